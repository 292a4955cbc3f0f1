//! The numbers a combiner weighs for one claim against one prepared source: lexical overlap of
//! the best passages (coverage, BM25, Levenshtein, Jaro–Winkler, bigram Dice), stance words
//! (refutation, hedges, assertions, negation) near the evidence, the mismatch flags, entity and
//! number agreement, and whether claim and source are in different languages.

use super::{best_evidence_in, cues, entities, numbers, PreparedSource, Ranking};
use crate::model::{Claim, Evidence, FlagKind};
use crate::nli::NliModel;
use crate::text::normalize::is_cjk;
use crate::text::similarity::{dice, title_key};

/// Names of the features, in the order of [`Features::values`]; the combiner file lists them
/// so a model trained on another order is refused. The first [`LEXICAL`] are computed from the
/// words alone; the last two are the embedded inference model's ([`crate::nli`]) probabilities
/// that the source entails or contradicts the claim.
pub const NAMES: [&str; 50] = [
    "similarity",
    "cover_best",
    "dice_best",
    "bm25_best",
    "doc_cover",
    "levenshtein",
    "jaro_winkler",
    "char_bigram_dice",
    "share_cover_50",
    "log_count_cover_30",
    "top3_cover",
    "refute_top3",
    "hedge_top3",
    "assert_top3",
    "negation_top3",
    "refute_rate",
    "hedge_rate",
    "refute_claim",
    "hedge_claim",
    "assert_claim",
    "negation_claim",
    "question_claim",
    "flag_entity_swap",
    "flag_number_mismatch",
    "flag_negation_flip",
    "flag_certainty",
    "flag_attribution",
    "flag_quote",
    "matched_numbers",
    "log_claim_tokens",
    "log_passages",
    "best_position",
    "cross_lingual",
    "entity_agreement",
    "number_agreement",
    "bm25_top3",
    "assert_rate",
    "negation_rate",
    "lead_cover",
    "pair_hits",
    "cover_second",
    "log_count_cover_70",
    "sentence_cover",
    "hedge_lead",
    "refute_lead",
    "log_unknown_tokens",
    "name_agreement",
    "top3_union_cover",
    "nli_entailment",
    "nli_contradiction",
];

/// How many features there are.
pub const N: usize = NAMES.len();

/// How many of the features come from the words alone (the rest need the inference model).
pub const LEXICAL: usize = 48;

/// One claim-source pair as numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features {
    pub values: [f64; N],
}

/// Words by which a text denies or debunks what it reports.
pub const REFUTATIONS: &[&str] = &[
    "fake",
    "fraud",
    "hoax",
    "false",
    "deny",
    "denies",
    "denied",
    "despite",
    "nope",
    "doubt",
    "doubts",
    "bogus",
    "debunk",
    "debunked",
    "debunks",
    "prank",
    "pranks",
    "retract",
    "retracted",
    "refute",
    "refuted",
    "untrue",
    "not true",
    "no evidence",
    "misleading",
    "satire",
    "satirical",
    "fabricated",
    "rumour",
    "辟谣",
    "谣言",
    "不实",
    "虚假",
    "假消息",
    "假新闻",
    "否认",
    "并非",
    "澄清",
    "子虚乌有",
    "捏造",
    "误导",
    "不属实",
    "没有证据",
];

/// Words by which a text reports a claim without vouching for it (what FNC-1 calls discuss).
pub const REPORTING: &[&str] = &[
    "reportedly",
    "allegedly",
    "alleged",
    "claims",
    "claimed",
    "according to",
    "reports",
    "reported",
    "rumor",
    "rumors",
    "unconfirmed",
    "purportedly",
    "supposedly",
    "apparently",
    "appears",
    "suggests",
    "believed",
    "may",
    "might",
    "could",
    "sources",
    "据悉",
    "据报道",
    "消息称",
    "据称",
    "疑似",
    "网传",
    "报道称",
    "传闻",
    "可能",
    "或将",
    "据传",
];

/// Counts of stance words in one folded passage: refutation, reporting/hedge, assertion,
/// negation. Each list counts the distinct cues it finds (ASCII cues on word boundaries, as
/// [`cues::contains_cue`]); one automaton scans the passage once for all four lists, since
/// every passage of every source is counted.
pub fn cue_counts(folded: &str) -> [u16; 4] {
    let (matcher, slots) = cue_matcher();
    let mut seen = vec![false; slots.len()];
    let bytes = folded.as_bytes();
    for m in matcher.find_overlapping_iter(folded) {
        let id = m.pattern().as_usize();
        if seen[id] {
            continue;
        }
        if slots[id].1 {
            let before = folded[..m.start()].chars().next_back();
            let after = bytes.get(m.end()).map(|b| *b as char);
            if before.is_some_and(|c| c.is_ascii_alphanumeric())
                || after.is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
        }
        seen[id] = true;
    }
    let mut out = [0u16; 4];
    for (id, (slot, _)) in slots.iter().enumerate() {
        if seen[id] {
            out[*slot] += 1;
        }
    }
    out
}

/// The automaton over all stance lists and, per pattern, its count slot and whether it is
/// ASCII (so needs word boundaries).
fn cue_matcher() -> &'static (aho_corasick::AhoCorasick, Vec<(usize, bool)>) {
    static M: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<(usize, bool)>)> =
        std::sync::OnceLock::new();
    M.get_or_init(|| {
        let lists: [(&[&str], usize); 5] = [
            (REFUTATIONS, 0),
            (REPORTING, 1),
            (cues::HEDGES, 1),
            (cues::ASSERTIONS, 2),
            (cues::NEGATIONS, 3),
        ];
        let mut patterns = Vec::new();
        let mut slots = Vec::new();
        for (list, slot) in lists {
            for cue in list {
                patterns.push(*cue);
                slots.push((slot, cue.is_ascii()));
            }
        }
        let matcher = aho_corasick::AhoCorasick::new(&patterns).expect("static cue lists");
        (matcher, slots)
    })
}

/// Share of a text's letters that are CJK, to tell Chinese from English.
pub fn cjk_share(text: &str) -> f64 {
    let (mut cjk, mut all) = (0usize, 0usize);
    for c in text.chars().take(2000) {
        if is_cjk(c) {
            cjk += 1;
            all += 1;
        } else if c.is_alphabetic() {
            all += 1;
        }
    }
    if all == 0 {
        0.0
    } else {
        cjk as f64 / all as f64
    }
}

/// Whether claim and source are written in different languages (Chinese against English).
pub fn is_cross_lingual(claim_folded: &str, source_folded: &str) -> bool {
    cross_lingual_shares(cjk_share(claim_folded), cjk_share(source_folded))
}

/// [`is_cross_lingual`] on the two texts' [`cjk_share`]s.
pub fn cross_lingual_shares(a: f64, b: f64) -> bool {
    (a > 0.5 && b < 0.1) || (a < 0.1 && b > 0.5)
}

/// Computes the evidence and the lexical features of `claim` against `source` (the inference
/// model's features are left at 0; see [`extract_with`]).
pub fn extract(claim: &Claim, source: &PreparedSource) -> (Evidence, Features, Ranking) {
    extract_with(claim, source, None)
}

/// Computes the evidence and the features of `claim` against `source`, with the inference
/// model's features from `nli` when one is given (a combiner that never splits on them needs
/// none, and saves the model's time).
pub fn extract_with(
    claim: &Claim,
    source: &PreparedSource,
    nli: Option<&NliModel>,
) -> (Evidence, Features, Ranking) {
    let (evidence, ranking) = best_evidence_in(claim, source, "c1");
    let mut features = features_of(claim, source, &evidence, &ranking);
    if let Some(model) = nli {
        let sentences: Vec<&str> = source
            .passages
            .iter()
            .filter(|p| !p.window)
            .map(|p| p.text.as_str())
            .collect();
        if !sentences.is_empty() && !claim.text.trim().is_empty() {
            let inference = model.infer(&claim.text, &sentences);
            features.values[LEXICAL] = f64::from(inference.entailment);
            features.values[LEXICAL + 1] = f64::from(inference.contradiction);
        }
    }
    (evidence, features, ranking)
}

fn features_of(
    claim: &Claim,
    source: &PreparedSource,
    evidence: &Evidence,
    ranking: &Ranking,
) -> Features {
    let mut v = [0.0f64; N];
    let claim_f = &ranking.claim_folded;
    let claim_tokens = &ranking.claim_tokens;
    let query = &ranking.query;
    let n = source.passages.len();
    let has = |k: FlagKind| evidence.flags.iter().any(|f| f.kind == k) as u8 as f64;
    let top: Vec<usize> = ranking.ranked.iter().take(3).map(|r| r.2).collect();
    if let Some(&(_, sim, best)) = ranking.ranked.first() {
        let ceiling = source.index.ceiling(query).max(1e-9);
        v[0] = sim;
        v[1] = ranking.cover[best];
        v[2] = dice(claim_tokens, &source.tokens[best]);
        v[3] = (ranking.bm25[best] / ceiling).min(2.0);
        let ck = title_key(claim_f);
        // Edit measures compare the claim with a span of the passage about its length, so a
        // long passage is not punished for what it adds around the claim.
        let pk: String = title_key(&source.folded[best])
            .chars()
            .take(ck.chars().count() * 2 + 8)
            .collect();
        v[5] = strsim::normalized_levenshtein(&ck, &pk);
        v[6] = strsim::jaro_winkler(&ck, &pk);
        v[7] = char_bigram_dice(&ck, &title_key(&source.folded[best]));
        v[8] = ranking.cover.iter().filter(|c| **c >= 0.5).count() as f64 / n as f64;
        v[9] = (ranking.cover.iter().filter(|c| **c >= 0.3).count() as f64).ln_1p();
        v[10] = top.iter().map(|i| ranking.cover[*i]).sum::<f64>() / top.len() as f64;
        let mut near = [0u32; 4];
        for i in &top {
            for (k, c) in source.cues[*i].iter().enumerate() {
                near[k] += u32::from(*c);
            }
        }
        v[11] = f64::from(near[0]);
        v[12] = f64::from(near[1]);
        v[13] = f64::from(near[2]);
        v[14] = f64::from(near[3]);
        v[15] = source.cue_totals[0] as f64 / n as f64;
        v[16] = source.cue_totals[1] as f64 / n as f64;
        v[31] = best as f64 / n as f64;
        v[35] = top.iter().map(|i| ranking.bm25[*i]).sum::<f64>() / ceiling / top.len() as f64;
        v[36] = source.cue_totals[2] as f64 / n as f64;
        v[37] = source.cue_totals[3] as f64 / n as f64;
        // News states its main fact first: how well the first sentences cover the claim.
        v[38] = ranking.cover.iter().take(5).copied().fold(0.0, f64::max);
        v[40] = ranking.ranked.get(1).map_or(0.0, |r| ranking.cover[r.2]);
        v[41] = (ranking.cover.iter().filter(|c| **c >= 0.7).count() as f64).ln_1p();
        v[42] = source
            .passages
            .iter()
            .zip(&ranking.cover)
            .filter(|(p, _)| !p.window)
            .map(|(_, c)| *c)
            .fold(0.0, f64::max);
        let mut lead = [0u32; 4];
        for (p, c) in source
            .passages
            .iter()
            .zip(&source.cues)
            .filter(|(p, _)| !p.window)
            .take(3)
        {
            let _ = p;
            for (k, x) in c.iter().enumerate() {
                lead[k] += u32::from(*x);
            }
        }
        v[43] = f64::from(lead[1]);
        v[44] = f64::from(lead[0]);
    }
    v[4] = source.index.doc_cover(query);
    let claim_cues = cue_counts(claim_f);
    v[17] = f64::from(claim_cues[0]);
    v[18] = f64::from(claim_cues[1]);
    v[19] = f64::from(claim_cues[2]);
    v[20] = f64::from(claim_cues[3]);
    v[21] = (claim.text.contains('?') || claim.text.contains('？')) as u8 as f64;
    v[22] = has(FlagKind::EntitySwap);
    v[23] = has(FlagKind::NumberMismatch);
    v[24] = has(FlagKind::NegationFlip);
    v[25] = has(FlagKind::CertaintyEscalation);
    v[26] = has(FlagKind::AttributionShift);
    v[27] = has(FlagKind::QuoteMismatch);
    v[28] = evidence.matched_numbers.min(3) as f64;
    v[29] = (claim_tokens.len() as f64).ln_1p();
    v[30] = (n as f64).ln_1p();
    v[32] = cross_lingual_shares(cjk_share(claim_f), source.cjk_share) as u8 as f64;
    v[33] = entity_agreement(claim_f, source);
    v[34] = number_agreement(claim_f, source);
    v[39] = source.pair_hits(claim_tokens);
    v[45] = (query.unknown_count() as f64).ln_1p();
    v[46] = name_agreement(&claim.text, source);
    v[47] = source.index.union_cover(query, &top);
    for x in &mut v {
        if !x.is_finite() {
            *x = 0.0;
        }
    }
    Features { values: v }
}

/// Sørensen–Dice over character bigrams (letters included, unlike word tokens).
pub fn char_bigram_dice(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        let mut g: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        g.sort_unstable();
        g
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return 0.0;
    }
    // Multiset intersection of two sorted lists.
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < ga.len() && j < gb.len() {
        match ga[i].cmp(&gb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (ga.len() + gb.len()) as f64
}

/// Share of the claim's named entities (any language: the gazetteer is bilingual) that the
/// source names too; 1 when the claim names none.
pub fn entity_agreement(claim_folded: &str, source: &PreparedSource) -> f64 {
    let names: std::collections::HashSet<&str> = entities::mentions_folded(claim_folded)
        .into_iter()
        .filter(|m| m.kind != entities::EntityKind::Media)
        .map(|m| m.entity)
        .collect();
    if names.is_empty() {
        return 1.0;
    }
    let found = names
        .iter()
        .filter(|n| source.entities.iter().any(|p| p.contains(**n)))
        .count();
    found as f64 / names.len() as f64
}

/// Share of the claim's names and figures as written (capitalised words after the first,
/// words with digits) the source states anywhere, in any of the forms [`source_names`]
/// accepts; 1 when the claim has none.
/// Unlike [`entity_agreement`] it needs no gazetteer, so it covers the people, works and
/// places of any claim (in English; Chinese has no capitals).
pub fn name_agreement(claim: &str, source: &PreparedSource) -> f64 {
    let names = claim_names(claim);
    if names.is_empty() {
        return 1.0;
    }
    let found = names
        .iter()
        .filter(|(_, tokens)| stated(&source.index, tokens))
        .count();
    found as f64 / names.len() as f64
}

/// Whether the source states every token of one name (see [`source_names`]).
fn stated(index: &super::bm25::PassageIndex, tokens: &[String]) -> bool {
    tokens.iter().all(|t| source_names(index, t))
}

/// The claim's names and figures as written (see [`name_agreement`]) that the source does not
/// state in any form, as the claim writes them, in claim order, without repeats.
pub fn missing_names(claim: &str, source: &PreparedSource) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (word, tokens) in claim_names(claim) {
        if !stated(&source.index, &tokens) && !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// Whether `text` is written in title case: more than 70 % of its English words after the
/// first start with a capital (words of three letters or more, short function words left
/// out, so a sentence naming three places is still in sentence case).
pub fn title_case(text: &str) -> bool {
    const FUNCTION: [&str; 16] = [
        "the", "and", "for", "with", "from", "into", "over", "but", "not", "its", "are", "was",
        "has", "had", "have", "that",
    ];
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !FUNCTION.iter().any(|f| f.eq_ignore_ascii_case(w)))
        .skip(1)
        .collect();
    let capitals = words
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        .count();
    words.len() >= 2 && capitals * 10 > words.len() * 7
}

/// Capitalised words after the first and words with digits, each with the tokens the
/// tokeniser cuts it into (U.S. is u and s); words that are no token at all (a capitalised
/// stop word such as The in The Who) are left out.
fn claim_names(claim: &str) -> Vec<(String, Vec<String>)> {
    // Runs of ASCII letters and digits (a decimal point kept), so 2024 is found inside
    // 英伟达2024年 as the tokeniser finds it.
    claim
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .enumerate()
        .filter(|(i, w)| {
            (*i > 0 && w.chars().next().is_some_and(char::is_uppercase))
                || w.chars().any(|c| c.is_ascii_digit())
        })
        .map(|(_, w)| (w.to_string(), crate::text::similarity::tokens(w)))
        .filter(|(_, tokens)| !tokens.is_empty())
        .collect()
}

/// English number words a source may spell a claim's small figure with.
const NUMBER_WORDS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

/// Whether the source states a name or figure of the claim, in the forms writers vary it in:
/// as written; a month by its name or abbreviation (August, Aug); a figure as digits or as a
/// word, an ordinal without its suffix (9th, 9, nine); a derived form sharing all but the
/// last letter of a word of five letters or more (Libyan and Libya, China and Chinese,
/// Olympics and Olympic), but not two different names sharing a stem (Austria, Australia).
pub fn source_names(index: &super::bm25::PassageIndex, name: &str) -> bool {
    if index.contains(name) {
        return true;
    }
    if let Some(month) = crate::text::english_month(name) {
        return index
            .vocabulary()
            .any(|t| crate::text::english_month(t) == Some(month));
    }
    let digits = name.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let word = digits
            .parse::<usize>()
            .ok()
            .and_then(|n| NUMBER_WORDS.get(n));
        return (digits.len() < name.len() && index.contains(digits))
            || word.is_some_and(|w| index.contains(w));
    }
    if name.chars().count() < 4 || !name.chars().all(char::is_alphabetic) {
        return false;
    }
    index.vocabulary().any(|t| derived_form(name, t))
}

/// Whether two words are one name in two forms: the shorter (four letters or more) is a
/// prefix of the longer, or, from five letters, is one but its last letter (Maria and Mario,
/// of one length, are two names).
fn derived_form(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let n = short.chars().count();
    if n < 4 || long.len() == short.len() || !short.is_ascii() || !long.is_ascii() {
        return false;
    }
    let shared = short
        .bytes()
        .zip(long.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    shared == n || (n >= 5 && shared == n - 1)
}

/// Share of the claim's amounts, percentages, years and dates the source states; 1 when the
/// claim has none.
pub fn number_agreement(claim_folded: &str, source: &PreparedSource) -> f64 {
    let qs: Vec<numbers::Quantity> = numbers::quantities(claim_folded)
        .into_iter()
        .filter(|q| q.unit != numbers::Unit::Plain)
        .collect();
    if qs.is_empty() {
        return 1.0;
    }
    let found = qs
        .iter()
        .filter(|q| {
            source
                .quantities
                .iter()
                .any(|c| numbers::same_quantity(c, q))
        })
        .count();
    found as f64 / qs.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClaimKind, Page};

    fn claim(text: &str) -> Claim {
        Claim {
            id: "k".into(),
            kind: ClaimKind::Statement,
            text: text.into(),
            line: 1,
            column: 1,
            cited: vec![],
            binding: None,
        }
    }

    fn page(paragraphs: &[&str]) -> Page {
        Page {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Page::default()
        }
    }

    fn feature(f: &Features, name: &str) -> f64 {
        f.values[NAMES.iter().position(|n| *n == name).expect("known")]
    }

    #[test]
    fn related_pair_scores_above_unrelated_pair() {
        let p = page(&[
            "Unions accepted a 5.3% pay rise on Monday.",
            "The weather was fine.",
        ]);
        let s = PreparedSource::new(&p);
        let (_, rel, _) = extract(&claim("Unions accepted a 5.3% pay rise."), &s);
        let (_, unrel, _) = extract(&claim("A meteorite hit Managua."), &s);
        for name in [
            "similarity",
            "bm25_best",
            "doc_cover",
            "levenshtein",
            "char_bigram_dice",
        ] {
            assert!(feature(&rel, name) > feature(&unrel, name), "{name}");
        }
        assert_eq!(feature(&rel, "number_agreement"), 1.0);
        assert!(rel.values.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn cue_counts_agree_with_contains_cue() {
        let slow = |folded: &str| {
            let count = |list: &[&str]| {
                list.iter()
                    .filter(|c| cues::contains_cue(folded, c))
                    .count() as u16
            };
            [
                count(REFUTATIONS),
                count(REPORTING) + count(cues::HEDGES),
                count(cues::ASSERTIONS),
                count(cues::NEGATIONS),
            ]
        };
        for text in [
            "officials denied the hoax; it may not be true, reportedly",
            "mayor says no. nope: notable",
            "据悉,英伟达可能停止,官方辟谣:不实,并未正式宣布",
            "",
            "could've mightily",
        ] {
            assert_eq!(cue_counts(text), slow(text), "{text}");
        }
    }

    #[test]
    fn stance_words_in_both_languages() {
        assert_eq!(cue_counts("officials denied the hoax")[0], 2);
        assert_eq!(cue_counts("官方辟谣:该消息不实")[0], 2);
        assert!(cue_counts("据悉,英伟达可能停止")[1] >= 2);
        assert!(cue_counts("英伟达正式宣布")[2] >= 1);
        assert!(cue_counts("the plant did not close")[3] >= 1);
        let p = page(&["The story was a hoax, police said.", "Officials denied it."]);
        let s = PreparedSource::new(&p);
        let (_, f, _) = extract(&claim("The story is a hoax?"), &s);
        assert!(feature(&f, "refute_top3") >= 2.0);
        assert_eq!(feature(&f, "question_claim"), 1.0);
    }

    #[test]
    fn cross_lingual_entities_and_numbers() {
        let p = page(&["Nvidia won $5 billion of orders from the Middle East in 2024."]);
        let s = PreparedSource::new(&p);
        let (_, f, _) = extract(&claim("英伟达2024年获得中东50亿美元订单"), &s);
        assert_eq!(feature(&f, "cross_lingual"), 1.0);
        assert_eq!(feature(&f, "entity_agreement"), 1.0);
        assert_eq!(feature(&f, "number_agreement"), 1.0);
        let (_, g, _) = extract(&claim("英伟达2023年获得中国60亿美元订单"), &s);
        assert!(feature(&g, "entity_agreement") < 1.0);
        assert_eq!(feature(&g, "number_agreement"), 0.0);
    }

    #[test]
    fn phrases_sentence_cover_and_lead_cues_in_both_languages() {
        let p = page(&[
            "Police denied the report. Officials said the pay rise may come later.",
            "Unions accepted a pay rise on Monday.",
        ]);
        let s = PreparedSource::new(&p);
        let (_, f, _) = extract(&claim("Unions accepted a pay rise"), &s);
        // unions accepted, accepted pay, pay rise: all neighbours in one sentence.
        assert_eq!(feature(&f, "pair_hits"), 1.0);
        assert_eq!(feature(&f, "sentence_cover"), 1.0);
        assert!(feature(&f, "refute_lead") >= 1.0 && feature(&f, "hedge_lead") >= 1.0);
        let (_, g, _) = extract(&claim("Rise pay accepted unions"), &s);
        assert_eq!(feature(&g, "pair_hits"), 0.0);
        let zh = page(&["官方辟谣称消息不实。", "英伟达可能停止接受中国订单。"]);
        let s = PreparedSource::new(&zh);
        let (_, h, _) = extract(&claim("英伟达停止接受中国订单"), &s);
        assert!(
            feature(&h, "pair_hits") > 0.5,
            "{}",
            feature(&h, "pair_hits")
        );
        assert!(feature(&h, "refute_lead") >= 2.0);
        assert!(feature(&h, "cover_second") < feature(&h, "cover_best"));
    }

    #[test]
    fn names_unknown_words_and_union_cover() {
        let p = page(&[
            "Irene Hervey was born in Los Angeles in 1909 to a family of actors.",
            "She appeared in more than fifty films.",
        ]);
        let s = PreparedSource::new(&p);
        let (_, f, _) = extract(
            &claim("Hervey, born in Los Angeles in 1909, appeared in fifty films."),
            &s,
        );
        assert_eq!(feature(&f, "name_agreement"), 1.0);
        assert_eq!(feature(&f, "log_unknown_tokens"), 0.0);
        assert!(feature(&f, "top3_union_cover") > feature(&f, "cover_best"));
        let (_, g, _) = extract(
            &claim("Hervey, born in Chicago in 1919, appeared in fifty films."),
            &s,
        );
        assert!(feature(&g, "name_agreement") < 0.5);
        assert!(feature(&g, "log_unknown_tokens") > 0.0);
        let zh = page(&["英伟达2024年获得5.3亿美元订单。"]);
        let s = PreparedSource::new(&zh);
        let (_, h, _) = extract(&claim("英伟达2024年获得5.3亿美元订单"), &s);
        assert_eq!(feature(&h, "name_agreement"), 1.0);
        let (_, i, _) = extract(&claim("英伟达2023年获得订单"), &s);
        assert_eq!(feature(&i, "name_agreement"), 0.0);
    }

    #[test]
    fn names_are_found_in_the_forms_writers_vary_them_in() {
        let p = page(&[
            "On Aug. 10 the U.S. team, led by a Libyan coach, won its 9th title; three players from China scored.",
            "The Who played in Austria.",
        ]);
        let s = PreparedSource::new(&p);
        let found = |n: &str| source_names(&s.index, n);
        // As written, a month by its abbreviation, an ordinal or a figure as a word.
        assert!(found("coach") && found("august") && found("9th") && found("3"));
        // Derived forms: Libya and Libyan, Chinese and China.
        assert!(found("libya") && found("chinese"));
        // Not a different name sharing a stem, nor a month or figure the source lacks.
        for n in ["australia", "july", "11th", "4", "iraq", "nepal"] {
            assert!(!found(n), "{n}");
        }
        let (_, f, _) = extract(
            &claim("The U.S. team won its 11th title in August in Austria."),
            &s,
        );
        // U.S. is looked up as the tokens u and s; 11th is the one name the source lacks.
        let share = feature(&f, "name_agreement");
        assert!((share - 3.0 / 4.0).abs() < 1e-9, "{share}");
        assert_eq!(
            missing_names("The U.S. team won its 11th title in Nepal in August.", &s),
            vec!["11th", "Nepal"]
        );
    }

    #[test]
    fn title_case_headlines_and_sentence_case_claims() {
        assert!(title_case("ISIS Beheads American Journalist James Foley"));
        assert!(title_case(
            "Apple Is Set to Unveil the New iPhone in September"
        ));
        assert!(!title_case(
            "Viber is also popular in Iraq, Libya and Nepal."
        ));
        assert!(!title_case("英伟达正式宣布停止接受中国新订单"));
        assert!(!title_case("Nvidia"));
    }

    #[test]
    fn edit_measures() {
        assert_eq!(char_bigram_dice("abcd", "abcd"), 1.0);
        assert_eq!(char_bigram_dice("", "abcd"), 0.0);
        assert!(char_bigram_dice("停止接受订单", "恢复接受订单") > 0.5);
        assert!(is_cross_lingual("英伟达停止接单", "nvidia stops orders"));
        assert!(!is_cross_lingual("英伟达停止接单", "英伟达恢复接单"));
    }
}
