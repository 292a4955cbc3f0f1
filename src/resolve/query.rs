//! Citation -> search queries: what to ask the providers, most precise first.

use crate::cite::registry::Outlet;
use crate::model::Citation;
use crate::search::SearchQuery;
use crate::text::is_cjk;

/// Results asked of a provider per query.
pub const QUERY_LIMIT: usize = 10;
/// Key terms kept for a query built from a headline or a context sentence.
const MAX_KEY_TERMS: usize = 8;
/// Longest key-term text, in characters, so a long claim sentence stays a usable query.
const MAX_KEY_CHARS: usize = 60;

/// English words that say nothing about which article is meant.
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "for",
    "and",
    "or",
    "is",
    "are",
    "was",
    "were",
    "be",
    "by",
    "with",
    "as",
    "at",
    "that",
    "this",
    "it",
    "its",
    "from",
    "has",
    "have",
    "had",
    "will",
    "would",
    "but",
    "not",
    "than",
    "which",
    "who",
    "says",
    "said",
    "according",
    "report",
    "reported",
    "reports",
    "reportedly",
    "amid",
    "over",
    "after",
    "into",
    "about",
];

/// Attribution words at the start of a Chinese phrase (`据`, `根据`, `援引`).
const CJK_LEADING: &[&str] = &["根据", "援引", "据悉", "据", "另据"];
/// Attribution words at the end of a Chinese phrase (`报道称`, `消息`, `表示`).
const CJK_TRAILING: &[&str] = &[
    "报道称",
    "援引",
    "报道",
    "消息称",
    "消息",
    "指出",
    "表示",
    "透露",
    "获悉",
    "称",
    "的",
];

/// The queries to run for `citation`, most precise first:
///
/// 1. the cited headline as written, as a phrase (`phrase: true`: engines that support it
///    quote it);
/// 2. the headline as a phrase restricted to the outlet's domains;
/// 3. the headline's key terms (stop words and punctuation dropped, first 8) with the outlet's
///    name, which finds pages whose title was reworded or carries a site suffix.
///
/// Without a headline, `context` (the sentence the citation supports, e.g. the claim after
/// `据新华社报道`) stands in: its key terms restricted to the outlet's domains, then the outlet
/// name with those key terms. With no headline, no outlet, or no context to pair the outlet
/// with, there is nothing to search for and the list is empty. Duplicates are dropped. A cited
/// date to the day goes with every query (`around`), for engines that search a time window.
pub fn queries_for(
    citation: &Citation,
    outlet: Option<&Outlet>,
    context: &str,
) -> Vec<SearchQuery> {
    let outlet_name: Option<String> = outlet
        .map(|o| o.name.to_string())
        .or_else(|| citation.outlet.clone())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let domains: Vec<String> = outlet
        .map(|o| o.domains.iter().map(|d| d.to_string()).collect())
        .unwrap_or_default();
    let around = citation
        .date
        .as_deref()
        .and_then(super::date::parse_date)
        .filter(|d| d.day.is_some())
        .map(|d| d.iso());
    let mut out: Vec<SearchQuery> = Vec::new();
    let mut push = |text: String, domains: Vec<String>, phrase: bool| {
        let text = text.trim().to_string();
        if text.is_empty() {
            return;
        }
        let q = SearchQuery {
            language: language_of(&text),
            text,
            domains,
            limit: QUERY_LIMIT,
            phrase,
            around: around.clone(),
        };
        if !out.contains(&q) {
            out.push(q);
        }
    };

    let headline = citation
        .headline
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    if let Some(headline) = headline {
        push(headline.to_string(), Vec::new(), true);
        if !domains.is_empty() {
            push(headline.to_string(), domains.clone(), true);
        }
        let terms = key_terms(headline, &[]);
        let text = match &outlet_name {
            Some(name) => format!("{terms} {name}"),
            None => terms,
        };
        push(text, Vec::new(), false);
        return out;
    }

    let Some(name) = outlet_name else {
        return out;
    };
    let mut names: Vec<String> = vec![name.clone()];
    names.extend(citation.outlet.iter().cloned());
    if let Some(o) = outlet {
        names.extend(o.aliases.iter().map(|a| a.to_string()));
    }
    let terms = key_terms(context, &names);
    if terms.is_empty() {
        return out;
    }
    if !domains.is_empty() {
        push(terms.clone(), domains.clone(), false);
    }
    // The outlet as the claim's language writes it: `Reuters` for an English claim, not `路透社`.
    let claim_is_chinese = context.chars().any(is_cjk);
    let own_name = outlet
        .into_iter()
        .flat_map(Outlet::names)
        .chain(citation.outlet.as_deref())
        .find(|n| is_in_script(n, !claim_is_chinese))
        .unwrap_or(&name)
        .to_string();
    push(format!("{own_name} {terms}"), Vec::new(), false);
    // The report may be in the other language: a Chinese claim about an English wire story.
    let english = claim_is_chinese;
    if let Some(terms) = other_language_terms(context, &names, english) {
        if !domains.is_empty() {
            push(terms.clone(), domains, false);
        }
        let other_name = outlet
            .into_iter()
            .flat_map(Outlet::names)
            .find(|n| is_in_script(n, english))
            .map(str::to_string);
        if let Some(other_name) = other_name {
            push(format!("{other_name} {terms}"), Vec::new(), false);
        }
    }
    out
}

/// The claim's anchors (names, then figures) spelt for a search in English (`english`) or in
/// Chinese: `英伟达暂停H20芯片生产` gives `nvidia h20`. None when no name has a spelling in
/// that language, since figures alone find anything.
fn other_language_terms(context: &str, outlet_names: &[String], english: bool) -> Option<String> {
    let anchors = super::anchors::anchors_of(context, outlet_names);
    // An English claim's Latin names are already in its own query; Chinese needs an entity.
    let has_entity = anchors
        .names
        .iter()
        .any(|n| matches!(n, super::anchors::Name::Entity(_)));
    if !english && !has_entity {
        return None;
    }
    let names: Vec<String> = anchors
        .names
        .iter()
        .filter_map(|n| super::anchors::spelling(n, english))
        .collect();
    if names.is_empty() {
        return None;
    }
    let mut terms = names;
    terms.extend(
        anchors
            .figures
            .iter()
            .filter_map(super::anchors::figure_term),
    );
    let text = terms.join(" ");
    Some(text.chars().take(MAX_KEY_CHARS).collect())
}

/// Whether an outlet name is written in English (`english`: Latin letters, no Chinese) or in
/// Chinese.
fn is_in_script(name: &str, english: bool) -> bool {
    let cjk = name.chars().any(is_cjk);
    if english {
        !cjk && name.chars().any(|c| c.is_ascii_alphabetic())
    } else {
        cjk
    }
}

/// `zh-CN` for text with Chinese characters, `en` for Latin-only text.
fn language_of(text: &str) -> Option<String> {
    if text.chars().any(is_cjk) {
        Some("zh-CN".to_string())
    } else if text.chars().any(|c| c.is_ascii_alphabetic()) {
        Some("en".to_string())
    } else {
        None
    }
}

/// The words of `text` that identify an article: runs of letters, digits and Chinese characters
/// with punctuation, English stop words, attribution words and the `remove` names (the
/// outlet's) dropped; the first 8, joined by spaces, at most
/// 60 characters.
pub fn key_terms(text: &str, remove: &[String]) -> String {
    let mut cleaned = text.to_string();
    let mut names: Vec<&String> = remove.iter().filter(|n| !n.trim().is_empty()).collect();
    // Longest first, so `新华社` goes before `新华`.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    for n in names {
        cleaned = cleaned.replace(n.as_str(), " ");
    }
    let mut terms: Vec<String> = Vec::new();
    let mut chars = 0;
    for raw in split_terms(&cleaned) {
        let term = if raw.chars().any(is_cjk) {
            strip_attribution(&raw)
        } else if STOP_WORDS.contains(&raw.to_lowercase().as_str()) {
            String::new()
        } else {
            raw
        };
        if term.is_empty() {
            continue;
        }
        let term: String = term.chars().take(MAX_KEY_CHARS).collect();
        let n = term.chars().count();
        if !terms.is_empty() && chars + n > MAX_KEY_CHARS {
            break;
        }
        chars += n + 1;
        terms.push(term);
        if terms.len() >= MAX_KEY_TERMS {
            break;
        }
    }
    terms.join(" ")
}

/// Splits text on everything that is not a letter, digit or Chinese character, keeping `.`,
/// `%` and `,` inside numbers (`5.2%`, `1,000`).
fn split_terms(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_digit = chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        let keep = c.is_alphanumeric()
            || (matches!(c, '.' | ',') && prev_digit && next_digit)
            || (c == '%' && prev_digit)
            || (c == '\''
                && !cur.is_empty()
                && chars.get(i + 1).is_some_and(|d| d.is_alphabetic()));
        if keep {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Drops attribution words at either end of a Chinese phrase: `据报道` -> ``,
/// `消息人士称` stays `消息人士`.
fn strip_attribution(term: &str) -> String {
    let mut t = term;
    loop {
        let before = t;
        for p in CJK_LEADING {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest;
            }
        }
        for s in CJK_TRAILING {
            if let Some(rest) = t.strip_suffix(s) {
                t = rest;
            }
        }
        if t == before {
            break;
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_terms_drop_punctuation_stop_words_and_names() {
        assert_eq!(
            key_terms("渐失中国市场，不影响英伟达狂飙？", &[]),
            "渐失中国市场 不影响英伟达狂飙"
        );
        assert_eq!(
            key_terms("Nvidia halts H20 production after the China warning", &[]),
            "Nvidia halts H20 production China warning"
        );
        assert_eq!(
            key_terms(
                "据新华社报道，7月份城镇调查失业率为5.2%。",
                &["新华社".to_string()]
            ),
            "7月份城镇调查失业率为5.2%"
        );
        assert_eq!(key_terms("a b c d e f g h i j k", &[]), "b c d e f g h i");
    }

    #[test]
    fn key_terms_are_capped() {
        let long = "这是一个非常长的句子".repeat(10);
        assert!(key_terms(&long, &[]).chars().count() <= MAX_KEY_CHARS);
        let words = "alpha beta gamma delta epsilon zeta eta theta iota kappa";
        assert_eq!(key_terms(words, &[]).split(' ').count(), MAX_KEY_TERMS);
    }
}

#[cfg(test)]
mod queries_tests {
    use super::*;
    use crate::cite::registry::OutletRegistry;
    use crate::model::CitationKind;

    fn citation(outlet: Option<&str>, headline: Option<&str>, url: Option<&str>) -> Citation {
        Citation {
            id: "c1".to_string(),
            kind: CitationKind::SourceLine,
            outlet: outlet.map(str::to_string),
            registry_outlet: None,
            headline: headline.map(str::to_string),
            url: url.map(str::to_string),
            date: None,
            line: 1,
            column: 1,
        }
    }

    fn texts(qs: &[SearchQuery]) -> Vec<(String, Vec<String>)> {
        qs.iter()
            .map(|q| (q.text.clone(), q.domains.clone()))
            .collect()
    }

    #[test]
    fn headline_then_restricted_then_key_terms_with_outlet() {
        let reg = OutletRegistry::builtin();
        let outlet = reg.lookup("观察者网");
        let c = citation(Some("观察者网"), Some("英伟达：暂停H20芯片生产！"), None);
        let qs = queries_for(&c, outlet, "");
        assert_eq!(
            texts(&qs),
            vec![
                ("英伟达：暂停H20芯片生产！".to_string(), vec![]),
                (
                    "英伟达：暂停H20芯片生产！".to_string(),
                    vec!["guancha.cn".to_string()]
                ),
                ("英伟达 暂停H20芯片生产 观察者网".to_string(), vec![]),
            ]
        );
        assert!(qs.iter().all(|q| q.limit == QUERY_LIMIT));
        assert_eq!(qs[0].language.as_deref(), Some("zh-CN"));
        let phrases: Vec<bool> = qs.iter().map(|q| q.phrase).collect();
        assert_eq!(phrases, [true, true, false]);
        assert!(qs.iter().all(|q| q.around.is_none()));
    }

    #[test]
    fn a_cited_day_goes_with_every_query() {
        let reg = OutletRegistry::builtin();
        let mut c = citation(Some("观察者网"), Some("英伟达：暂停H20芯片生产！"), None);
        c.date = Some("2025年8月22日".to_string());
        let qs = queries_for(&c, reg.lookup("观察者网"), "");
        assert!(qs.iter().all(|q| q.around.as_deref() == Some("2025-08-22")));
        // A month is too coarse for a window.
        c.date = Some("2025年8月".to_string());
        let qs = queries_for(&c, reg.lookup("观察者网"), "");
        assert!(qs.iter().all(|q| q.around.is_none()));
    }

    #[test]
    fn headline_without_registry_outlet_uses_written_name() {
        let c = citation(Some("某某周刊"), Some("Nvidia halts H20 production"), None);
        let qs = queries_for(&c, None, "");
        assert_eq!(
            texts(&qs),
            vec![
                ("Nvidia halts H20 production".to_string(), vec![]),
                ("Nvidia halts H20 production 某某周刊".to_string(), vec![]),
            ]
        );
        assert_eq!(qs[0].language.as_deref(), Some("en"));
    }

    #[test]
    fn inline_citation_uses_outlet_and_context() {
        let reg = OutletRegistry::builtin();
        let outlet = reg.lookup("新华社");
        let c = citation(Some("新华社"), None, None);
        let qs = queries_for(&c, outlet, "据新华社报道，7月份全国城镇调查失业率为5.2%。");
        let domains: Vec<String> = outlet.unwrap().domains.clone();
        assert_eq!(
            texts(&qs),
            vec![
                ("7月份全国城镇调查失业率为5.2%".to_string(), domains),
                ("新华社 7月份全国城镇调查失业率为5.2%".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn a_chinese_claim_also_searches_in_english_with_its_names() {
        let reg = OutletRegistry::builtin();
        let outlet = reg.lookup("路透社");
        let c = citation(Some("路透社"), None, None);
        let qs = queries_for(
            &c,
            outlet,
            "据路透社报道，英伟达已要求供应商暂停H20芯片的生产。",
        );
        let got = texts(&qs);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(
            got[2],
            ("nvidia h20".to_string(), vec!["reuters.com".to_string()])
        );
        assert_eq!(got[3], ("Reuters nvidia h20".to_string(), vec![]));
        assert_eq!(qs[3].language.as_deref(), Some("en"));
        // An English claim about a Chinese entity searches the Chinese name with the outlet's.
        let outlet = reg.lookup("新华社");
        let c = citation(Some("Xinhua"), None, None);
        let qs = queries_for(&c, outlet, "Nvidia lost orders in China, Xinhua reported.");
        let last = &qs.last().unwrap().text;
        assert!(last.starts_with("新华社 "), "{last}");
        assert!(last.contains("英伟达") && last.contains("中国"), "{last}");
        // An English claim with no gazetteer entity needs no Chinese query.
        let c = citation(Some("Reuters"), None, None);
        let qs = queries_for(
            &c,
            reg.lookup("路透社"),
            "Halvern cut 1,200 jobs, Reuters reported.",
        );
        assert!(
            qs.iter().all(|q| !q.text.chars().any(is_cjk)),
            "{:?}",
            texts(&qs)
        );
    }

    #[test]
    fn nothing_to_search_for() {
        assert!(
            queries_for(&citation(None, None, None), None, "知情人士称，某事发生。").is_empty()
        );
        assert!(queries_for(
            &citation(None, None, Some("https://example.com/a")),
            None,
            ""
        )
        .is_empty());
        let reg = OutletRegistry::builtin();
        let c = citation(Some("新华社"), None, None);
        assert!(queries_for(&c, reg.lookup("新华社"), "").is_empty());
    }
}
