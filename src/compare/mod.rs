//! Claim x source page -> evidence and verdict.
//!
//! Finds the passage of the source's main text that speaks to the claim (IDF-weighted token
//! overlap over CJK bigrams, jieba words and English words, after folding; passages are
//! sentences and windows of two and three sentences), then looks for what a lexical score
//! misses: a swapped entity, a changed number, a flipped polarity, escalated certainty, a
//! changed actor, misquoted speech. The verdict combines both. Pure: no I/O, no clock.

pub mod bm25;
pub mod combiner;
pub mod cues;
pub mod entities;
pub mod features;
pub mod numbers;
pub mod pair;

/// Below this similarity no passage of the source states the claim, and mismatch flags are
/// only looked for on a passage that names the claim's organisation.
pub const MIN_RELATED: f64 = 0.30;

use crate::model::{Claim, ClaimKind, Evidence, Flag, FlagKind, Page};
use crate::text::fold;
use crate::text::segment::sentences;
use crate::text::similarity::{retrieval_tokens_folded, tokens_folded};
use entities::{mentions_folded, EntityKind};
use std::collections::HashSet;

/// A candidate passage of a source's main text, with char offsets in `Page::text()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Whether this is a window of several sentences rather than one sentence.
    pub window: bool,
}

/// The longest window of neighbouring sentences a passage may be: a claim often condenses a
/// fact a source spreads over two or three sentences (who, then what, then how much).
pub const MAX_WINDOW: usize = 3;

/// Sentences of the page's main text and windows of two and three neighbouring sentences of a
/// paragraph. Order: each sentence, then the windows starting at it, shortest first, so that
/// among equal ranks the tightest passage (the earliest) wins.
///
/// A one-sentence paragraph that does not read as body text (a byline, a credit, a dateline:
/// see [`crate::judge::is_body_sentence`]) is left out, so it is never quoted as evidence,
/// unless the page has nothing else.
pub fn passages(page: &Page) -> Vec<Passage> {
    let furniture = |p: &String| {
        let s = sentences(p);
        s.len() == 1 && !crate::judge::is_body_sentence(&s[0].text)
    };
    let skip_furniture = page.paragraphs.iter().any(|p| !furniture(p));
    let mut out = Vec::new();
    let mut base = 0usize;
    for paragraph in &page.paragraphs {
        let sents = sentences(paragraph);
        let chars: Vec<char> = paragraph.chars().collect();
        if skip_furniture && furniture(paragraph) {
            base += chars.len() + 1;
            continue;
        }
        for (i, s) in sents.iter().enumerate() {
            out.push(Passage {
                text: s.text.clone(),
                start: base + s.start,
                end: base + s.end,
                window: false,
            });
            for last in sents.iter().skip(i + 1).take(MAX_WINDOW - 1) {
                out.push(Passage {
                    text: chars[s.start..last.end].iter().collect(),
                    start: base + s.start,
                    end: base + last.end,
                    window: true,
                });
            }
        }
        base += chars.len() + 1;
    }
    out
}

/// A source page made ready for many claims: its passages folded, tokenised and weighted once.
/// Comparing tens of thousands of claims with the same page reuses this.
pub struct PreparedSource<'a> {
    pub page: &'a Page,
    pub passages: Vec<Passage>,
    pub folded: Vec<String>,
    pub tokens: Vec<Vec<String>>,
    /// The entities each passage names.
    entities: Vec<HashSet<&'static str>>,
    pub index: bm25::PassageIndex,
    first_paragraph_end: usize,
    title_folded: Option<String>,
    title_organisations: Vec<&'static str>,
    /// The folded main text.
    pub text_folded: String,
    /// Share of the main text's letters that are CJK (see [`features::cjk_share`]).
    pub cjk_share: f64,
    /// Per passage: refutation, hedge, assertion and negation word counts.
    pub cues: Vec<[u16; 4]>,
    /// The same counts summed over the sentences (not windows) of the source.
    pub cue_totals: [u32; 4],
    /// Amounts, percentages and years the main text states.
    pub quantities: Vec<numbers::Quantity>,
    /// Every pair of neighbouring tokens of a sentence (token ids of the index), sorted: a
    /// claim's word pairs found here are phrases the source uses, not just shared words.
    pairs: Vec<(u32, u32)>,
}

impl<'a> PreparedSource<'a> {
    pub fn new(page: &'a Page) -> Self {
        let passages = passages(page);
        let folded: Vec<String> = passages.iter().map(|p| fold(&p.text)).collect();
        let tokens: Vec<Vec<String>> = folded.iter().map(|p| retrieval_tokens_folded(p)).collect();
        let entities = folded
            .iter()
            .map(|f| mentions_folded(f).into_iter().map(|m| m.entity).collect())
            .collect();
        let index = bm25::PassageIndex::new(&tokens);
        let title_folded = page.title.as_deref().map(fold);
        let title_organisations = title_folded
            .as_deref()
            .map(mentions_folded)
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.kind == EntityKind::Organisation)
            .map(|m| m.entity)
            .collect();
        let text_folded = fold(&page.text());
        let cues: Vec<[u16; 4]> = folded.iter().map(|f| features::cue_counts(f)).collect();
        let mut cue_totals = [0u32; 4];
        for (p, c) in passages.iter().zip(&cues) {
            if !p.window {
                for k in 0..4 {
                    cue_totals[k] += u32::from(c[k]);
                }
            }
        }
        let quantities = numbers::quantities(&text_folded);
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (p, toks) in passages.iter().zip(&tokens) {
            if !p.window {
                let ids = index.ids(toks);
                pairs.extend(ids.windows(2).filter_map(|w| Some((w[0]?, w[1]?))));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        PreparedSource {
            pairs,
            cjk_share: features::cjk_share(&text_folded),
            cues,
            cue_totals,
            quantities,
            page,
            first_paragraph_end: page.paragraphs.first().map_or(0, |p| p.chars().count()),
            passages,
            folded,
            tokens,
            entities,
            index,
            title_folded,
            title_organisations,
            text_folded,
        }
    }
}

impl PreparedSource<'_> {
    /// Share of the claim's neighbouring token pairs that some sentence of the source has
    /// as neighbours too; 0 for a claim of fewer than two tokens.
    pub fn pair_hits(&self, claim_tokens: &[String]) -> f64 {
        let ids = self.index.ids(claim_tokens);
        if ids.len() < 2 {
            return 0.0;
        }
        let hits = ids
            .windows(2)
            .filter(|w| match (w[0], w[1]) {
                (Some(a), Some(b)) => self.pairs.binary_search(&(a, b)).is_ok(),
                _ => false,
            })
            .count();
        hits as f64 / (ids.len() - 1) as f64
    }
}

/// The passages of a source ranked for one claim.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    /// (rank score, lexical similarity, passage index), best first.
    pub ranked: Vec<(f64, f64, usize)>,
    /// Per passage: IDF-weighted coverage of the claim.
    pub cover: Vec<f64>,
    /// Per passage: BM25 of the claim's tokens.
    pub bm25: Vec<f64>,
    /// The claim's core (attribution removed), folded, and its retrieval tokens and their
    /// lookup in the source's index: kept so features need not compute them again.
    pub claim_folded: String,
    pub claim_tokens: Vec<String>,
    pub query: bm25::Query,
}

/// Ranks every passage of `source` for the claim's folded tokens and entities.
pub fn rank_passages(
    claim_tokens: &[String],
    claim_entities: &HashSet<&str>,
    source: &PreparedSource,
) -> Ranking {
    let n = source.passages.len();
    let mut ranking = Ranking {
        ranked: Vec::with_capacity(n),
        cover: Vec::with_capacity(n),
        bm25: Vec::with_capacity(n),
        query: source.index.query(claim_tokens),
        ..Ranking::default()
    };
    let query = &ranking.query;
    for i in 0..n {
        let m = source.index.score(query, i);
        let cover = m.cover;
        // Coverage of the claim decides; Dice breaks ties in favour of tighter passages.
        let score = 0.8 * cover + 0.2 * m.dice;
        // Ranking also favours passages naming the claim's entities and the lead paragraph,
        // where news states its main fact; the reported similarity stays lexical.
        let shared_entities = if claim_entities.is_empty() {
            0.0
        } else {
            claim_entities.intersection(&source.entities[i]).count() as f64
                / claim_entities.len() as f64
        };
        let lead = if source.passages[i].end <= source.first_paragraph_end {
            0.04
        } else {
            0.0
        };
        ranking.cover.push(cover);
        ranking.bm25.push(m.bm25);
        ranking
            .ranked
            .push((score + 0.08 * shared_entities + lead, score, i));
    }
    // Stable: among equal ranks the earlier passage wins, as a reader would quote it.
    ranking.ranked.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.2.cmp(&b.2))
    });
    // Ties within 1e-9 keep the earlier passage.
    if let Some(&(top, _, _)) = ranking.ranked.first() {
        let earliest = ranking
            .ranked
            .iter()
            .filter(|r| r.0 > top - 1e-9)
            .min_by_key(|r| r.2)
            .copied();
        if let Some(e) = earliest {
            let pos = ranking
                .ranked
                .iter()
                .position(|r| r.2 == e.2)
                .expect("present");
            let item = ranking.ranked.remove(pos);
            ranking.ranked.insert(0, item);
        }
    }
    ranking
}

/// Finds the best passage of `page` for `claim` and the mismatches between them.
pub fn best_evidence(claim: &Claim, page: &Page, citation_id: &str) -> Evidence {
    best_evidence_in(claim, &PreparedSource::new(page), citation_id).0
}

/// [`best_evidence`] on a prepared source; also returns the ranking for feature extraction.
pub fn best_evidence_in(
    claim: &Claim,
    source: &PreparedSource,
    citation_id: &str,
) -> (Evidence, Ranking) {
    let page = source.page;
    let core = claim_core(&claim.text);
    let claim_folded = fold(&core);
    let claim_tokens = retrieval_tokens_folded(&claim_folded);
    let claim_entities: HashSet<&str> = mentions_folded(&claim_folded)
        .into_iter()
        .map(|m| m.entity)
        .collect();
    let mut ranking = rank_passages(&claim_tokens, &claim_entities, source);
    ranking.claim_folded = claim_folded;
    ranking.claim_tokens = claim_tokens;
    let url = page
        .canonical_url
        .clone()
        .unwrap_or_else(|| page.url.clone());
    let Some(&(_, similarity, index)) = ranking.ranked.first() else {
        let empty = Evidence {
            citation: citation_id.to_string(),
            url,
            quote: String::new(),
            start: 0,
            end: 0,
            similarity: 0.0,
            matched_numbers: 0,
            flags: Vec::new(),
        };
        return (empty, ranking);
    };
    let passage = &source.passages[index];
    // Mismatches only mean something on a passage about the same matter: one that names the
    // same organisation, or shares enough of the claim's words.
    let shares_organisation = mentions_folded(&source.folded[index])
        .iter()
        .filter(|m| m.kind == EntityKind::Organisation)
        .map(|m| m.entity)
        .chain(source.title_organisations.iter().copied())
        .any(|e| claim_entities.contains(e));
    let flags = if shares_organisation || similarity >= MIN_RELATED {
        flags_in(claim, &source.folded[index], source)
    } else {
        Vec::new()
    };
    let evidence = Evidence {
        citation: citation_id.to_string(),
        url,
        quote: passage.text.clone(),
        start: passage.start,
        end: passage.end,
        similarity: (similarity * 1000.0).round() / 1000.0,
        matched_numbers: matched_numbers(&core, &passage.text),
        flags,
    };
    (evidence, ranking)
}

/// The claim without its attribution (`according to Reuters`, `据新华社报道`): the outlet's
/// name and the reporting verb are not what the source is asked to confirm.
pub fn claim_core(text: &str) -> String {
    static PATTERNS: std::sync::OnceLock<Vec<regex::Regex>> = std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            r"(?i),?\s*(?:according to|as reported by|as first reported by|per)\s+(?:the\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*",
            r",?\s*(?:the\s+|The\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*\s+(?:first\s+)?(?:reported|said)(?:\s+that)?,?",
            r"(?:据|據|综合)[^，,。；]{1,20}?(?:报道|報導|消息|援引)[，,]?",
            r"[^，,。；]{1,12}?(?:报道称|报道还提到|还提到|援引)[，,]?",
            r"[（(](?:来源|來源|稿源)[:：][^）)]*[）)]",
        ]
        .iter()
        .map(|p| regex::Regex::new(p).expect("static regex"))
        .collect()
    });
    let mut out = text.to_string();
    for p in patterns {
        out = p.replace_all(&out, "").into_owned();
    }
    if out.trim().chars().count() < 4 {
        text.to_string()
    } else {
        out
    }
}

/// The mismatches between a claim and its best passage (read together with the source's
/// headline, which states the source's own summary of the matter).
pub fn find_flags(claim: &Claim, passage: &str, page: &Page) -> Vec<Flag> {
    let claim_f = fold(&claim.text);
    let passage_f = fold(passage);
    let title_f = page.title.as_deref().map(fold);
    flags_folded(
        claim,
        &claim_f,
        &passage_f,
        title_f.as_deref(),
        &numbers::quantities(&fold(&page.text())),
        &page.text(),
    )
}

fn flags_in(claim: &Claim, passage_folded: &str, source: &PreparedSource) -> Vec<Flag> {
    let claim_f = fold(&claim.text);
    let raw = if claim.kind == ClaimKind::Quote {
        source.page.text()
    } else {
        String::new()
    };
    flags_folded(
        claim,
        &claim_f,
        passage_folded,
        source.title_folded.as_deref(),
        &source.quantities,
        &raw,
    )
}

fn flags_folded(
    claim: &Claim,
    claim_f: &str,
    passage_f: &str,
    title_f: Option<&str>,
    everywhere: &[numbers::Quantity],
    raw_text: &str,
) -> Vec<Flag> {
    let context = match title_f {
        Some(t) => format!("{passage_f} {t}"),
        None => passage_f.to_string(),
    };
    let mut flags = Vec::new();
    flags.extend(entity_swap(claim_f, &context));
    flags.extend(number_mismatch(claim_f, &context, everywhere));
    flags.extend(polarity_flip(claim_f, &context));
    // Hedges count only in the passage itself: a hedged headline says nothing about the
    // certainty of the other facts the article reports.
    flags.extend(certainty_escalation(claim_f, passage_f));
    flags.extend(attribution_shift(claim_f, &context));
    if claim.kind == ClaimKind::Quote {
        flags.extend(quote_mismatch(&claim.text, raw_text));
    }
    flags
}

fn entity_swap(claim: &str, context: &str) -> Option<Flag> {
    let claim_ents = mentions_folded(claim);
    let ctx_ents = mentions_folded(context);
    // The source's actors are not what the claim's place or object was swapped for: a changed
    // actor is reported as an attribution shift instead.
    let source_actors: HashSet<&str> = actors(context).into_iter().map(|(a, _)| a).collect();
    let ctx_names: HashSet<&str> = ctx_ents.iter().map(|m| m.entity).collect();
    let claim_names: HashSet<&str> = claim_ents.iter().map(|m| m.entity).collect();
    for m in &claim_ents {
        if m.kind == EntityKind::Media || ctx_names.contains(m.entity) {
            continue;
        }
        let replacement = ctx_ents
            .iter()
            .filter(|o| o.kind == m.kind && !claim_names.contains(o.entity))
            .max_by_key(|o| {
                let not_actor = !source_actors.contains(o.entity);
                let shared = o.entity.chars().filter(|c| m.entity.contains(*c)).count();
                (not_actor, shared, std::cmp::Reverse(o.start))
            })?;
        return Some(Flag {
            kind: FlagKind::EntitySwap,
            claim: m.entity.to_string(),
            source: replacement.entity.to_string(),
            reason: format!(
                "the source says {}, the claim says {}",
                replacement.entity, m.entity
            ),
        });
    }
    None
}

/// Numbers of a claim that the passage states too (percentages, amounts, years).
pub fn matched_numbers(claim: &str, passage: &str) -> usize {
    let ctx = numbers::quantities(&fold(passage));
    numbers::quantities(&fold(claim))
        .iter()
        .filter(|q| q.unit != numbers::Unit::Plain)
        .filter(|q| ctx.iter().any(|c| numbers::same_quantity(c, q)))
        .count()
}

/// A claim's percentage, amount or year that the source never states, where the passage
/// states another of the same kind. Bare counts are left alone: without their counter word
/// (12艘, 20日) they compare apples with days.
fn number_mismatch(claim: &str, context: &str, everywhere: &[numbers::Quantity]) -> Option<Flag> {
    let ctx = numbers::quantities(context);
    for q in numbers::quantities(claim) {
        if q.unit == numbers::Unit::Plain
            || everywhere.iter().any(|c| numbers::same_quantity(c, &q))
        {
            continue;
        }
        let same_kind: Vec<&numbers::Quantity> = ctx.iter().filter(|c| c.unit == q.unit).collect();
        if same_kind.is_empty() || same_kind.iter().any(|c| numbers::same_quantity(c, &q)) {
            continue;
        }
        let closest = same_kind
            .iter()
            .min_by(|a, b| {
                (a.value - q.value)
                    .abs()
                    .partial_cmp(&(b.value - q.value).abs())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .expect("not empty");
        return Some(Flag {
            kind: FlagKind::NumberMismatch,
            claim: q.text.clone(),
            source: closest.text.clone(),
            reason: format!(
                "the source says {}, the claim says {}",
                closest.text, q.text
            ),
        });
    }
    None
}

fn polarity_flip(claim: &str, context: &str) -> Option<Flag> {
    for (a, b) in cues::ANTONYMS {
        for (said, other) in [(a, b), (b, a)] {
            if cues::contains_cue(claim, said)
                && cues::contains_cue(context, other)
                && !cues::contains_cue(context, said)
            {
                return Some(Flag {
                    kind: FlagKind::NegationFlip,
                    claim: said.to_string(),
                    source: other.to_string(),
                    reason: format!("the source says {other}, the claim says {said}"),
                });
            }
        }
    }
    // `已恢复` against `尚未恢复`: the same verb, negated on one side only.
    for verb in [
        "恢复", "停止", "批准", "宣布", "接受", "完成", "达成", "同意", "停运", "取消", "调整",
    ] {
        if claim.contains(verb) && context.contains(verb) {
            let neg_claim = negated_before(claim, verb);
            let neg_ctx = negated_before(context, verb);
            if neg_claim != neg_ctx {
                let (c, s) = if neg_ctx {
                    (verb.to_string(), format!("未{verb}"))
                } else {
                    (format!("未{verb}"), verb.to_string())
                };
                return Some(Flag {
                    kind: FlagKind::NegationFlip,
                    reason: format!("the source says {s}, the claim says {c}"),
                    claim: c,
                    source: s,
                });
            }
        }
    }
    None
}

/// The negations of a folded text, in order: English negative words (`not`, `never`, `no`,
/// `n't`, …; `not only` is no negation) and Chinese negative characters (不, 没, 未, 无, 非)
/// outside words where they negate nothing (不断, 未来, 非常, 无论, …).
pub fn negations(folded: &str) -> Vec<&'static str> {
    const EN: [&str; 10] = [
        "not", "never", "no", "none", "nobody", "nothing", "neither", "nor", "cannot", "without",
    ];
    const ZH_FREE: [&str; 30] = [
        "不断",
        "不少",
        "不过",
        "不仅",
        "不久",
        "不但",
        "不同",
        "不料",
        "不管",
        "不论",
        "不足",
        "不错",
        "不得不",
        "不定",
        "未来",
        "无论",
        "无人机",
        "无线",
        "无数",
        "非常",
        "非洲",
        "是非",
        "不禁",
        "毫不",
        "不已",
        "并不少",
        "不光",
        "不只",
        "非但",
        "莫不",
    ];
    let mut out = Vec::new();
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if let Some(n) = EN.iter().find(|n| *n == w) {
            if *n == "not" && words.get(i + 1) == Some(&"only") {
                continue;
            }
            out.push(*n);
        } else if w.ends_with("n't") || w.ends_with("n’t") {
            out.push("n't");
        }
    }
    let chars: Vec<char> = folded.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        if let Some(free) = ZH_FREE.iter().find(|f| rest.starts_with(**f)) {
            i += free.chars().count();
            continue;
        }
        match chars[i] {
            '不' => out.push("不"),
            '没' => out.push("没"),
            '未' => out.push("未"),
            '无' => out.push("无"),
            '非' => out.push("非"),
            _ => {}
        }
        i += 1;
    }
    out
}

/// A negation the claim makes and the passage does not (more negations in the claim), on
/// folded texts. Not one of the combiner's features (it was trained without it): the judge
/// raises it on a passage that restates the rest of the claim.
pub fn added_negation(claim: &str, passage: &str) -> Option<Flag> {
    let in_claim = negations(claim);
    let in_passage = negations(passage);
    if in_claim.len() <= in_passage.len() {
        return None;
    }
    let word = in_claim
        .iter()
        .find(|n| !in_passage.contains(n))
        .or(in_claim.first())
        .copied()
        .unwrap_or_default();
    Some(Flag {
        kind: FlagKind::NegationFlip,
        claim: word.to_string(),
        source: String::new(),
        reason: format!("the claim negates it ({word}), the source does not"),
    })
}

/// Whether every occurrence of `verb` in `text` is negated by one of the three chars before it.
fn negated_before(text: &str, verb: &str) -> bool {
    let mut any = false;
    for (i, _) in text.match_indices(verb) {
        let before: String = text[..i]
            .chars()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let neg = ["未", "不", "没", "无", "否认", "暂不"]
            .iter()
            .any(|n| before.contains(n));
        if !neg {
            return false;
        }
        any = true;
    }
    any
}

fn certainty_escalation(claim: &str, context: &str) -> Option<Flag> {
    let source_hedge = cues::find_cue(context, cues::HEDGES)?;
    if cues::find_cue(claim, cues::HEDGES).is_some() {
        return None;
    }
    let claim_assert = cues::find_cue(claim, cues::ASSERTIONS);
    let (claim_word, reason) = match claim_assert {
        Some(a) => (
            a.to_string(),
            format!("the source hedges ({source_hedge}), the claim asserts ({a})"),
        ),
        None => (
            String::new(),
            format!("the source hedges ({source_hedge}), the claim states it as fact"),
        ),
    };
    Some(Flag {
        kind: FlagKind::CertaintyEscalation,
        claim: claim_word,
        source: source_hedge.to_string(),
        reason,
    })
}

/// The entities that decide or speak in `text`, each with its verb.
fn actors(text: &str) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for m in mentions_folded(text) {
        let mut rest = text[m.end..].trim_start();
        // Skip fillers (`正式`, `被曝`, `官员正在`) between the actor and its verb.
        for _ in 0..4 {
            match cues::ACTOR_FILLERS.iter().find(|f| rest.starts_with(**f)) {
                Some(f) => rest = rest[f.len()..].trim_start(),
                None => break,
            }
        }
        if let Some(v) = cues::DECIDING_VERBS.iter().find(|v| rest.starts_with(**v)) {
            out.push((m.entity, *v));
        }
    }
    out
}

fn attribution_shift(claim: &str, context: &str) -> Option<Flag> {
    let claim_actors = actors(claim);
    let source_actors = actors(context);
    let (claim_actor, claim_verb) = *claim_actors.first()?;
    if source_actors.iter().any(|(a, _)| *a == claim_actor) {
        return None;
    }
    let (source_actor, source_verb) = *source_actors.first()?;
    Some(Flag {
        kind: FlagKind::AttributionShift,
        claim: claim_actor.to_string(),
        source: source_actor.to_string(),
        reason: format!(
            "the claim has {claim_actor} act ({claim_verb}); in the source it is {source_actor} ({source_verb})"
        ),
    })
}

fn quote_mismatch(claim: &str, source_text: &str) -> Option<Flag> {
    let quoted = quoted_spans(claim);
    let source = fold(source_text);
    let source_tokens = tokens_folded(&source);
    for q in quoted {
        let qf = fold(&q);
        if qf.chars().count() < 6 || source.contains(&qf) {
            continue;
        }
        let cover = crate::text::similarity::containment(&tokens_folded(&qf), &source_tokens);
        if cover < 0.9 {
            return Some(Flag {
                kind: FlagKind::QuoteMismatch,
                claim: q.clone(),
                source: String::new(),
                reason: format!("the quoted words “{q}” are not in the source"),
            });
        }
    }
    None
}

fn quoted_spans(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('“', '”'), ('「', '」'), ('"', '"')] {
        let mut rest = text;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len_utf8()..];
            match after.find(close) {
                Some(j) => {
                    out.push(after[..j].to_string());
                    rest = &after[j + close.len_utf8()..];
                }
                None => break,
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClaimKind;

    fn claim(text: &str) -> Claim {
        Claim {
            id: "k1".into(),
            kind: ClaimKind::Title,
            text: text.into(),
            line: 1,
            column: 1,
            cited: vec!["c1".into()],
            binding: None,
        }
    }

    fn page(title: &str, paragraphs: &[&str]) -> Page {
        Page {
            url: "https://example.com/a".into(),
            title: Some(title.into()),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            ..Page::default()
        }
    }

    fn kinds(e: &Evidence) -> Vec<FlagKind> {
        e.flags.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn seed_title_against_middle_east_source() {
        let p = page(
            "美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片",
            &[
                "据彭博社报道，美国官员正在考虑限制英伟达、AMD等公司向中东国家出口人工智能芯片。",
                "报道称，相关讨论仍处于早期阶段，尚未做出最终决定。",
            ],
        );
        let e = best_evidence(&claim("英伟达正式宣布:停止接受中国新订单!"), &p, "c1");
        let k = kinds(&e);
        assert!(k.contains(&FlagKind::EntitySwap), "{:?}", e.flags);
        assert!(k.contains(&FlagKind::CertaintyEscalation), "{:?}", e.flags);
        assert!(k.contains(&FlagKind::AttributionShift), "{:?}", e.flags);
        let swap = e
            .flags
            .iter()
            .find(|f| f.kind == FlagKind::EntitySwap)
            .unwrap();
        assert_eq!(
            (swap.claim.as_str(), swap.source.as_str()),
            ("中国", "中东")
        );
        assert!(e.quote.contains("中东"));
        let text: Vec<char> = p.text().chars().collect();
        assert_eq!(text[e.start..e.end].iter().collect::<String>(), e.quote);
    }

    #[test]
    fn supported_claim_has_no_flags_and_high_similarity() {
        let p = page(
            "Port strike ends",
            &["Dockworkers at the port of Rotterdam returned to work on Monday after a three-week strike. Unions accepted a 5.3% pay rise."],
        );
        let e = best_evidence(
            &claim(
                "Dockworkers in Rotterdam returned to work on Monday after a three-week strike.",
            ),
            &p,
            "c1",
        );
        assert!(e.flags.is_empty(), "{:?}", e.flags);
        assert!(e.similarity > 0.7, "{}", e.similarity);
    }

    #[test]
    fn number_and_polarity_flags() {
        let p = page(
            "Unions accept pay deal",
            &["Unions accepted a 5.3% pay rise, and the port resumed operations."],
        );
        let e = best_evidence(&claim("Unions accepted a 6.3% pay rise."), &p, "c1");
        assert_eq!(kinds(&e), vec![FlagKind::NumberMismatch]);
        let zh = page("港口恢复作业", &["上海港周一恢复集装箱装卸作业。"]);
        let e = best_evidence(&claim("上海港周一停止集装箱装卸作业。"), &zh, "c1");
        assert!(kinds(&e).contains(&FlagKind::NegationFlip), "{:?}", e.flags);
    }

    fn texts(p: &Page) -> Vec<String> {
        passages(p).into_iter().map(|x| x.text).collect()
    }

    #[test]
    fn passages_are_sentences_and_windows_of_two_and_three() {
        let p = page("", &["A one. B two. C three. D four."]);
        assert_eq!(
            texts(&p),
            vec![
                "A one.",
                "A one. B two.",
                "A one. B two. C three.",
                "B two.",
                "B two. C three.",
                "B two. C three. D four.",
                "C three.",
                "C three. D four.",
                "D four.",
            ]
        );
        // Windows never cross paragraphs, and offsets point into `Page::text()`.
        let zh = page("", &["英伟达宣布。订单暂停。", "市场震动。股价下跌。"]);
        let all = passages(&zh);
        assert_eq!(
            texts(&zh),
            vec![
                "英伟达宣布。",
                "英伟达宣布。订单暂停。",
                "订单暂停。",
                "市场震动。",
                "市场震动。股价下跌。",
                "股价下跌。",
            ]
        );
        assert_eq!(all.iter().filter(|p| p.window).count(), 2);
        let text: Vec<char> = zh.text().chars().collect();
        for x in &all {
            assert_eq!(text[x.start..x.end].iter().collect::<String>(), x.text);
        }
    }

    #[test]
    fn a_claim_spread_over_three_sentences_finds_the_three_sentence_window() {
        let en = page(
            "",
            &[
                "The weather was mild. Nvidia posted results on Wednesday. Revenue reached $30 billion. Data centre sales tripled. Analysts were surprised.",
            ],
        );
        let e = best_evidence(
            &claim("Nvidia posted results on Wednesday: revenue reached $30 billion as data centre sales tripled."),
            &en,
            "c1",
        );
        assert_eq!(
            e.quote,
            "Nvidia posted results on Wednesday. Revenue reached $30 billion. Data centre sales tripled."
        );
        let zh = page(
            "",
            &["天气晴朗。英伟达周三发布财报。营收达到300亿美元。数据中心销售额增长两倍。分析师感到意外。"],
        );
        let e = best_evidence(
            &claim("英伟达发布财报，营收300亿美元，数据中心销售额增长两倍"),
            &zh,
            "c1",
        );
        assert_eq!(
            e.quote,
            "英伟达周三发布财报。营收达到300亿美元。数据中心销售额增长两倍。"
        );
    }

    #[test]
    fn jieba_words_rank_the_passage_sharing_real_words() {
        // Both passages share three bigrams with the claim (研究生命起源 = 研究/生命/起源), so on
        // bigrams alone the first would win the tie; only the second shares the claim's words
        // rather than 研究生 and 命运, which straddle them.
        let p = page("", &["研究生命运多舛。", "他们研究了生命和起源。"]);
        let e = best_evidence(&claim("研究生命起源"), &p, "c1");
        assert_eq!(e.quote, "他们研究了生命和起源。");
    }

    #[test]
    fn empty_page_gives_empty_evidence() {
        let e = best_evidence(&claim("任何内容"), &Page::default(), "c1");
        assert_eq!(e.similarity, 0.0);
        assert!(e.quote.is_empty());
    }
}
