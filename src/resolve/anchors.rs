//! Claim -> anchors: the names and figures that identify the report a headline-less citation
//! leans on, in either language.
//!
//! `据路透社报道，英伟达已通知台积电暂停H20芯片生产` names no headline. What tells the Reuters
//! report apart from every other Reuters story about chips is its names (英伟达 / Nvidia,
//! 台积电 / TSMC, H20) and its figures. Names come from the bilingual gazetteer
//! (`compare::entities`, `data/aliases.toml`), so a Chinese claim can be matched against an
//! English page and back, and from Latin-script tokens written in the claim (`H20`, `Nvidia`,
//! `OpenAI`), which read the same in both. Figures come from `compare::numbers`, so `50亿美元`
//! and `$5 billion` are one figure.

use crate::compare::entities::{self, mentions_folded};
use crate::compare::numbers::{quantities, same_quantity, Quantity, Unit};
use crate::text::{fold, is_cjk};
use std::collections::HashSet;

/// Latin tokens shorter than this are no name (`a`, `US` is a gazetteer entry anyway).
const MIN_LATIN_NAME_CHARS: usize = 2;
/// Anchors kept per claim, names first, so a long sentence stays a usable query.
const MAX_ANCHORS: usize = 8;

/// English words that start a sentence or are capitalised for other reasons; never a name
/// (month names neither, see [`crate::text::english_month`]).
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "according",
    "in",
    "on",
    "at",
    "for",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "i",
    "but",
    "and",
    "or",
    "as",
    "after",
    "before",
    "when",
    "while",
    "if",
    "by",
    "from",
    "of",
    "to",
    "with",
    "said",
    "says",
    "reported",
    "report",
    "reports",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "news",
    "there",
    "here",
];

/// One thing a claim names.
#[derive(Debug, Clone, PartialEq)]
pub enum Name {
    /// A gazetteer entity by its canonical name (`英伟达`), found in any of its spellings.
    Entity(&'static str),
    /// A Latin-script token as written, lower case (`h20`, `openai`).
    Latin(String),
}

/// The names and figures of a claim.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Anchors {
    pub names: Vec<Name>,
    pub figures: Vec<Quantity>,
}

impl Anchors {
    /// How many anchors there are to look for.
    pub fn len(&self) -> usize {
        self.names.len() + self.figures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The anchors of `claim`, leaving out the `skip` names (the cited outlet's, which every page
/// of the outlet carries).
pub fn anchors_of(claim: &str, skip: &[String]) -> Anchors {
    let mut folded = fold(claim);
    let mut skip: Vec<String> = skip
        .iter()
        .map(|s| fold(s))
        .filter(|s| !s.is_empty())
        .collect();
    skip.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in &skip {
        folded = folded.replace(s.as_str(), " ");
    }
    let mut names: Vec<Name> = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for m in mentions_folded(&folded) {
        if m.kind == entities::EntityKind::Media {
            continue;
        }
        covered.push((m.start, m.end));
        let name = Name::Entity(m.entity);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for (start, word) in latin_words(&folded) {
        let end = start + word.len();
        if covered.iter().any(|&(s, e)| start < e && s < end) {
            continue;
        }
        if !is_name_like(claim, &word) {
            continue;
        }
        let name = Name::Latin(word);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.truncate(MAX_ANCHORS);
    let mut figures: Vec<Quantity> = Vec::new();
    for q in quantities(&without_dates(&without_codes(claim))) {
        if figures.iter().any(|f| same_quantity(f, &q)) {
            continue;
        }
        figures.push(q);
    }
    figures.truncate(MAX_ANCHORS.saturating_sub(names.len()).max(2));
    Anchors { names, figures }
}

/// `claim` with its letter-and-digit codes (`H20`, `A100`, `5G`) blanked, so their digits are
/// not read as figures.
fn without_codes(claim: &str) -> String {
    let mut out = String::with_capacity(claim.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let code = word.chars().any(|c| c.is_ascii_alphabetic())
            && word.chars().any(|c| c.is_ascii_digit());
        if code {
            out.extend(std::iter::repeat_n(' ', word.chars().count()));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in claim.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// `text` with the day and month numbers of dates blanked (`7月份`, `15日`, `8月15日电`,
/// `March 4`): every story of the month shares them, so they tell no report apart.
fn without_dates(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let run = i - start;
        let next = chars.get(i).copied();
        let chinese_date = run <= 2 && matches!(next, Some('月' | '日' | '号'));
        // The word before the number, past spaces and an abbreviation's dot: `March 4`, `Aug. 4`.
        let english_date = run <= 2 && start > 0 && chars[start - 1] == ' ' && {
            let mut k = start;
            while k > 0 && chars[k - 1] == ' ' {
                k -= 1;
            }
            if k > 0 && chars[k - 1] == '.' {
                k -= 1;
            }
            let end = k;
            while k > 0 && chars[k - 1].is_ascii_alphabetic() {
                k -= 1;
            }
            let word: String = chars[k..end].iter().collect();
            crate::text::english_month(&word).is_some()
        };
        if chinese_date || english_date {
            for c in out.iter_mut().take(i).skip(start) {
                *c = ' ';
            }
        }
    }
    out.into_iter().collect()
}

/// Latin words of folded text with their byte offsets: runs of ASCII letters and digits that
/// hold at least one letter.
fn latin_words(folded: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |out: &mut Vec<(usize, String)>, s: usize, e: usize| {
        let w = &folded[s..e];
        if w.chars().any(|c| c.is_ascii_alphabetic()) {
            out.push((s, w.to_string()));
        }
    };
    for (i, c) in folded.char_indices() {
        if c.is_ascii_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(&mut out, s, i);
        }
    }
    if let Some(s) = start {
        push(&mut out, s, folded.len());
    }
    out
}

/// Whether a Latin word is a name: in Chinese text any Latin word (`H20`, `Nvidia`) is; in
/// English text, a word written with a capital or a digit somewhere (`Nvidia`, `H20`, `iPhone`)
/// that is not a common sentence opener.
fn is_name_like(original: &str, folded_word: &str) -> bool {
    if folded_word.chars().count() < MIN_LATIN_NAME_CHARS
        || NOT_NAMES.contains(&folded_word)
        || crate::text::english_month(folded_word).is_some()
    {
        return false;
    }
    if original.chars().any(is_cjk) {
        return true;
    }
    original
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.eq_ignore_ascii_case(folded_word))
        .any(|w| w.chars().any(|c| c.is_ascii_uppercase()) || w.chars().any(|c| c.is_ascii_digit()))
}

/// The spelling of a name to put in a query in `english` (or Chinese when false): the entity's
/// first spelling in that script, or the Latin token itself.
pub fn spelling(name: &Name, english: bool) -> Option<String> {
    match name {
        Name::Latin(w) => Some(w.clone()),
        Name::Entity(e) => {
            if !english {
                return Some(e.to_string());
            }
            entities::spellings(e)
                .into_iter()
                .find(|s| s.is_ascii() && s.chars().any(|c| c.is_ascii_alphabetic()))
                .map(str::to_string)
        }
    }
}

/// A figure as a query word: `5.2%`, `2025`, `120`; amounts with a multiplier are written out
/// in neither language (`50亿` is not `5 billion` to an engine), so only plain values go.
pub fn figure_term(q: &Quantity) -> Option<String> {
    let v = q.value;
    if !v.is_finite() || !(0.0..1e7).contains(&v) || (v.fract() != 0.0 && q.unit != Unit::Percent) {
        return None;
    }
    let n = if v.fract() == 0.0 {
        format!("{}", v as u64)
    } else {
        format!("{v}")
    };
    Some(match q.unit {
        Unit::Percent => format!("{n}%"),
        _ => n,
    })
}

/// How many of a claim's anchors a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AnchorsFound {
    /// Names and figures found over all anchors, in 0..1 (0 when there are none).
    pub share: f64,
    pub names: usize,
    pub figures: usize,
}

/// What share of `anchors` a page's text holds. A name counts when any of its spellings is on
/// the page; a figure counts when the page states the same quantity.
pub fn anchor_share(anchors: &Anchors, page_text: &str) -> AnchorsFound {
    if anchors.is_empty() {
        return AnchorsFound::default();
    }
    let folded = fold(page_text);
    let entities_here: HashSet<&'static str> = mentions_folded(&folded)
        .into_iter()
        .map(|m| m.entity)
        .collect();
    let words: HashSet<String> = latin_words(&folded).into_iter().map(|(_, w)| w).collect();
    let names_found = anchors
        .names
        .iter()
        .filter(|n| match n {
            Name::Entity(e) => entities_here.contains(e),
            Name::Latin(w) => words.contains(w),
        })
        .count();
    let page_figures = if anchors.figures.is_empty() {
        Vec::new()
    } else {
        quantities(&without_dates(page_text))
    };
    let figures_found = anchors
        .figures
        .iter()
        .filter(|f| page_figures.iter().any(|p| same_quantity(f, p)))
        .count();
    AnchorsFound {
        share: (names_found + figures_found) as f64 / anchors.len() as f64,
        names: names_found,
        figures: figures_found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(claim: &str) -> Vec<Name> {
        anchors_of(claim, &[]).names
    }

    #[test]
    fn chinese_claims_name_gazetteer_entities_and_latin_tokens() {
        let a = anchors_of(
            "据路透社报道，英伟达已要求供应商暂停H20芯片的生产。",
            &["路透社".into()],
        );
        assert_eq!(
            a.names,
            vec![Name::Entity("英伟达"), Name::Latin("h20".to_string())]
        );
        // `H20` is a name, not the figure 20.
        assert!(a.figures.is_empty(), "{:?}", a.figures);
    }

    #[test]
    fn english_claims_name_capitalised_words_but_not_sentence_openers() {
        let got = names("According to Reuters, Halvern Semiconductor cut 1,200 jobs on Friday.");
        assert!(got.contains(&Name::Latin("halvern".to_string())), "{got:?}");
        assert!(got.contains(&Name::Latin("semiconductor".to_string())));
        assert!(!got.contains(&Name::Latin("according".to_string())));
        assert!(!got.contains(&Name::Latin("friday".to_string())));
        assert!(!got.contains(&Name::Latin("jobs".to_string())));
        let a = anchors_of(
            "Halvern cut 1,200 jobs, Reuters reported.",
            &["Reuters".into()],
        );
        assert!(!a.names.contains(&Name::Latin("reuters".to_string())));
        assert!(a.figures.iter().any(|f| f.value == 1200.0));
    }

    #[test]
    fn a_chinese_claim_finds_its_anchors_on_an_english_page() {
        let a = anchors_of(
            "据路透社报道，英伟达在中东的订单增长了15%。",
            &["路透社".into()],
        );
        let page = "Nvidia's orders from the Middle East grew 15% in the quarter, sources said.";
        let found = anchor_share(&a, page);
        assert_eq!((found.names, found.figures), (2, 1));
        assert!((found.share - 1.0).abs() < 1e-9, "{found:?}");
        let other = "Nvidia unveiled a new gaming card on Tuesday.";
        let found = anchor_share(&a, other);
        assert_eq!((found.names, found.figures), (1, 0));
        assert!(found.share < 0.5, "{found:?}");
    }

    #[test]
    fn query_spellings_follow_the_language() {
        assert_eq!(
            spelling(&Name::Entity("英伟达"), true).as_deref(),
            Some("nvidia")
        );
        assert_eq!(
            spelling(&Name::Entity("英伟达"), false).as_deref(),
            Some("英伟达")
        );
        assert_eq!(
            spelling(&Name::Latin("h20".into()), false).as_deref(),
            Some("h20")
        );
        let q = &quantities("增长了15%")[0];
        assert_eq!(figure_term(q).as_deref(), Some("15%"));
        let q = &quantities("50亿美元")[0];
        assert_eq!(figure_term(q), None);
    }

    #[test]
    fn dates_are_no_figures() {
        let a = anchors_of("新华社北京8月15日电 7月份失业率为5.2%", &[]);
        assert_eq!(a.figures.len(), 1, "{:?}", a.figures);
        assert_eq!(a.figures[0].unit, Unit::Percent);
        let a = anchors_of("LONDON, March 4 (Reuters) - Brightwater cut 340 jobs", &[]);
        let values: Vec<f64> = a.figures.iter().map(|f| f.value).collect();
        assert_eq!(values, vec![340.0]);
        // A month name's word is not a month: `maybe 12` stays.
        assert_eq!(without_dates("maybe 12"), "maybe 12");
    }

    #[test]
    fn nothing_to_anchor_on() {
        assert!(anchors_of("据报道，情况正在好转。", &[]).is_empty());
        assert_eq!(
            anchor_share(&Anchors::default(), "any text"),
            AnchorsFound::default()
        );
    }
}
