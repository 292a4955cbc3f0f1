//! The shingle metric of the article extraction benchmark (Zyte/Scrapinghub), used by its
//! authors and by the Chinese web content extraction set.
//!
//! As the benchmark's README defines it: tokens are maximal runs of word characters (`\w+`, as
//! Python's Unicode `re` sees them); each text becomes a multiset of 4-token shingles (a text of
//! one to three tokens is a single shorter shingle); per page TP is the overlap of the two
//! multisets, FP the predicted-only part and FN the gold-only part. Precision is averaged over
//! pages with TP+FP > 0, recall over pages with TP+FN > 0, and F1 is the harmonic mean of the two
//! averages (not the mean of per-page F1). Accuracy is the share of pages whose whole token
//! sequence equals the gold one. Tokens are compared as written (no case folding).
//!
//! On Chinese text a `\w+` run spans a whole clause, so [`Tokens::CjkChars`] offers the variant the
//! Chinese set's README suggests: every CJK character is its own token (not a published metric).

use serde::Serialize;
use std::collections::HashMap;

/// Tokens per shingle, as the benchmark's authors chose.
pub const SHINGLE_N: usize = 4;

/// How a text is cut into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tokens {
    /// Maximal runs of word characters: the published metric.
    Words,
    /// Like `Words`, but each CJK character (Han, kana, Hangul syllable) is a token of its own.
    CjkChars,
}

/// Python's `\w` on `str`: a letter or number by general category (`str.isalnum()`) or the
/// underscore. Rust's `is_alphanumeric` uses the Alphabetic property, which also admits combining
/// marks (Arabic vowel signs) and circled letters (`ⓒ`) that Python splits on; without those two
/// exceptions the published figures are off in the fourth decimal.
fn is_word_char(c: char) -> bool {
    c == '_'
        || (c.is_alphanumeric()
            && !unicode_normalization::char::is_combining_mark(c)
            && !matches!(c as u32, 0x24B6..=0x24E9 | 0x1F130..=0x1F189))
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3FFFF) // Extensions B and later
}

/// The tokens of `text`, in order.
pub fn tokenize(text: &str, mode: Tokens) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let split_here = mode == Tokens::CjkChars && is_cjk(c);
        if is_word_char(c) && !split_here {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        if split_here {
            out.push(&text[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The multiset of `n`-token shingles of `tokens`. Fewer than `n` tokens (but at least one)
/// make one shorter shingle, so a short text still counts.
fn shingles<'a>(tokens: &'a [&'a str], n: usize) -> HashMap<&'a [&'a str], u64> {
    let mut out: HashMap<&[&str], u64> = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < n {
        out.insert(tokens, 1);
        return out;
    }
    for w in tokens.windows(n) {
        *out.entry(w).or_insert(0) += 1;
    }
    out
}

/// Shingle counts of one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ShingleCounts {
    pub tp: u64,
    pub fp: u64,
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// The whole token sequences are equal.
    pub exact: bool,
}

impl ShingleCounts {
    /// This page's precision, or `None` when it predicted nothing (it is then left out of the
    /// mean).
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0).then(|| self.tp as f64 / (self.tp + self.fp) as f64)
    }

    /// This page's recall, or `None` when the gold text is empty.
    pub fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0).then(|| self.tp as f64 / (self.tp + self.fn_) as f64)
    }

    /// This page's own F1 (for listing the worst pages; the benchmark's F1 is not its mean).
    pub fn f1(&self) -> f64 {
        harmonic(
            self.precision().unwrap_or(0.0),
            self.recall().unwrap_or(0.0),
        )
    }
}

/// Compares a predicted text with the gold one.
pub fn score_page(gold: &str, predicted: &str, mode: Tokens) -> ShingleCounts {
    let gold_tokens = tokenize(gold, mode);
    let pred_tokens = tokenize(predicted, mode);
    let gold_sh = shingles(&gold_tokens, SHINGLE_N);
    let pred_sh = shingles(&pred_tokens, SHINGLE_N);
    let mut c = ShingleCounts {
        exact: gold_tokens == pred_tokens,
        ..ShingleCounts::default()
    };
    for (k, &g) in &gold_sh {
        let p = pred_sh.get(k).copied().unwrap_or(0);
        c.tp += g.min(p);
        c.fn_ += g.saturating_sub(p);
    }
    for (k, &p) in &pred_sh {
        let g = gold_sh.get(k).copied().unwrap_or(0);
        c.fp += p.saturating_sub(g);
    }
    c
}

/// The benchmark's figures over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShingleScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    pub pages: usize,
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Averages page counts as the benchmark does (see the module doc).
pub fn aggregate(pages: &[ShingleCounts]) -> ShingleScores {
    let precision = mean(pages.iter().filter_map(ShingleCounts::precision));
    let recall = mean(pages.iter().filter_map(ShingleCounts::recall));
    ShingleScores {
        precision,
        recall,
        f1: harmonic(precision, recall),
        accuracy: mean(pages.iter().map(|c| if c.exact { 1.0 } else { 0.0 })),
        pages: pages.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_tokens(text: &str, mode: Tokens, expected: &[&str]) {
        assert_eq!(tokenize(text, mode), expected, "text: {text:?}");
    }

    #[test]
    fn tokens() {
        check_tokens("Hello, world!", Tokens::Words, &["Hello", "world"]);
        check_tokens(
            "it's 3.5% — snake_case",
            Tokens::Words,
            &["it", "s", "3", "5", "snake_case"],
        );
        check_tokens("", Tokens::Words, &[]);
        check_tokens("  ,.;  ", Tokens::Words, &[]);
        check_tokens("Café über naïve", Tokens::Words, &["Café", "über", "naïve"]);
        check_tokens("中国新订单，停止。", Tokens::Words, &["中国新订单", "停止"]);
        check_tokens(
            "中国AI芯片，2025年",
            Tokens::CjkChars,
            &["中", "国", "AI", "芯", "片", "2025", "年"],
        );
    }

    #[test]
    fn tokens_follow_python_word_characters() {
        // Python's `\w` splits on combining marks and on circled letters; Rust's Alphabetic
        // property would not.
        check_tokens("ⓒ Yonhap", Tokens::Words, &["Yonhap"]);
        check_tokens("كَتَبَ", Tokens::Words, &["ك", "ت", "ب"]);
        check_tokens("x² ½", Tokens::Words, &["x²", "½"]);
    }

    fn counts(tp: u64, fp: u64, fn_: u64) -> ShingleCounts {
        ShingleCounts {
            tp,
            fp,
            fn_,
            exact: false,
        }
    }

    #[test]
    fn page_counts() {
        // Gold has shingles abcd, bcde; prediction abcd, bcdx.
        let c = score_page("a b c d e", "a b c d x", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_, c.exact), (1, 1, 1, false));
        let c = score_page("a b c d e", "a, b; c d e.", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_, c.exact), (2, 0, 0, true));
        // Case matters.
        let c = score_page("A b c d", "a b c d", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_), (0, 1, 1));
        // Repeated shingles are a multiset: the prediction repeats the text once too often.
        let c = score_page("a b c d", "a b c d a b c d", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_), (1, 4, 0));
        // Short texts are one shorter shingle.
        let c = score_page("a b", "a b", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_, c.exact), (1, 0, 0, true));
        let c = score_page("a b", "", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_), (0, 0, 1));
        let c = score_page("", "", Tokens::Words);
        assert_eq!((c.tp, c.fp, c.fn_, c.exact), (0, 0, 0, true));
        // Characters: 中国芯片 is one word token but four character tokens.
        let c = score_page("中国芯片出口", "中国芯片", Tokens::CjkChars);
        assert_eq!((c.tp, c.fp, c.fn_), (1, 0, 2));
    }

    #[test]
    fn averaging_skips_empty_sides() {
        let pages = [
            counts(3, 1, 0), // P 0.75, R 1
            counts(0, 0, 4), // predicted nothing: no precision, R 0
            counts(0, 2, 0), // gold empty: P 0, no recall
        ];
        let s = aggregate(&pages);
        assert!((s.precision - 0.375).abs() < 1e-12, "{s:?}");
        assert!((s.recall - 0.5).abs() < 1e-12, "{s:?}");
        assert!((s.f1 - 2.0 * 0.375 * 0.5 / 0.875).abs() < 1e-12, "{s:?}");
        assert_eq!(s.pages, 3);
        assert_eq!(aggregate(&[]).f1, 0.0);
        assert_eq!(counts(2, 2, 0).f1(), 2.0 * 0.5 / 1.5);
    }
}
