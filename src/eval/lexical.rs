//! The lexical features of `benches/compare_reference.py`, computed the same way in Rust, so the
//! engine's speed can be set against the Python + rapidfuzz reference for the same work
//! (`citecheck eval fnc1 --features-only`).
//!
//! Everything here mirrors the script step by step: folding (NFKC, lower case, whitespace),
//! sentences split after `.!?。！？；` + whitespace or at line breaks, passages that are sentences
//! and windows of two and three sentences (in that order), tokens (`[0-9a-z]+(\.[0-9]+)?` words
//! minus stop words, CJK runs as character bigrams), per passage IDF-weighted coverage, token
//! Dice and Okapi BM25, the best passage by `0.8 cover + 0.2 dice + 1e-6 bm25`, then on it
//! normalised Levenshtein, Jaro–Winkler and character-bigram Dice of the alphanumeric keys. It
//! is not the engine's retrieval (no Traditional→Simplified folding, no jieba, no entities or
//! stance words): it exists only to time like against like.

use super::fnc1::Fnc1;
use rayon::prelude::*;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The same stop words as the script (and the engine).
const STOP: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "were", "be",
    "been", "by", "with", "as", "at", "that", "this", "it", "its", "from", "has", "have", "had",
    "will", "would", "but", "not", "than", "which", "who", "their", "they", "he", "she", "his",
    "her", "said", "says",
];
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The four figures the script prints per pair: best rank score, normalised Levenshtein,
/// Jaro–Winkler and character-bigram Dice.
pub type Lexical = [f64; 4];

/// `" ".join(unicodedata.normalize("NFKC", s).lower().split())`.
pub fn fold(s: &str) -> String {
    let lower = s.nfkc().collect::<String>().to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '；')
}

/// `re.split(r"(?<=[.!?。！？；])\s+|\n+", body)`.
pub fn split_sentences(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut prev: Option<char> = None;
    let mut it = body.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let after_terminator = prev.is_some_and(is_terminator) && c.is_whitespace();
        if after_terminator || c == '\n' {
            let mut end = i + c.len_utf8();
            let mut last = c;
            while let Some(&(j, d)) = it.peek() {
                let more = if after_terminator {
                    d.is_whitespace()
                } else {
                    d == '\n'
                };
                if !more {
                    break;
                }
                end = j + d.len_utf8();
                last = d;
                it.next();
            }
            out.push(&body[start..i]);
            start = end;
            prev = Some(last);
            continue;
        }
        prev = Some(c);
    }
    out.push(&body[start..]);
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// `WORD.findall(s)` expanded as the script's `tokens`.
pub fn tokens(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let word = |c: char| c.is_ascii_digit() || c.is_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if word(c) {
            let start = i;
            while i < chars.len() && word(chars[i]) {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let w: String = chars[start..i].iter().collect();
            if !STOP.contains(&w.as_str()) {
                out.push(w);
            }
        } else if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(run[0].to_string());
            } else {
                out.extend(run.windows(2).map(|p| p.iter().collect::<String>()));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// `"".join(c for c in s if c.isalnum())`.
fn key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A body as the script's `prepare` leaves it: passages, their token counts (ids), lengths,
/// and the two IDF tables.
pub struct Prepared {
    passages: Vec<String>,
    vocab: HashMap<String, u32>,
    counts: Vec<HashMap<u32, u32>>,
    lens: Vec<usize>,
    idf: Vec<f64>,
    bidf: Vec<f64>,
    avg: f64,
    n: f64,
}

/// The script's `prepare(body)`.
pub fn prepare(body: &str) -> Prepared {
    let sents: Vec<String> = split_sentences(body)
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .map(fold)
        .collect();
    let mut passages = sents.clone();
    for w in sents.windows(2) {
        passages.push(format!("{} {}", w[0], w[1]));
    }
    for w in sents.windows(3) {
        passages.push(format!("{} {} {}", w[0], w[1], w[2]));
    }
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut df: Vec<usize> = Vec::new();
    let mut counts = Vec::with_capacity(passages.len());
    let mut lens = Vec::with_capacity(passages.len());
    for p in &passages {
        let toks = tokens(p);
        let mut c: HashMap<u32, u32> = HashMap::new();
        for t in &toks {
            let next = vocab.len() as u32;
            let id = *vocab.entry(t.clone()).or_insert(next);
            *c.entry(id).or_insert(0) += 1;
        }
        df.resize(vocab.len(), 0);
        for id in c.keys() {
            df[*id as usize] += 1;
        }
        lens.push(toks.len());
        counts.push(c);
    }
    let n = passages.len().max(1) as f64;
    let idf = df.iter().map(|d| (1.0 + n / *d as f64).ln()).collect();
    let bidf = df
        .iter()
        .map(|d| ((n - *d as f64 + 0.5) / (*d as f64 + 0.5) + 1.0).ln())
        .collect();
    let avg = lens.iter().sum::<usize>() as f64 / n;
    Prepared {
        passages,
        vocab,
        counts,
        lens,
        idf,
        bidf,
        avg,
        n,
    }
}

/// The script's `features(headline, prepared)`.
pub fn features(headline: &str, p: &Prepared) -> Lexical {
    let h = fold(headline);
    let q = tokens(&h);
    // Distinct tokens in first-occurrence order (a Python Counter's order), with counts; the
    // id is None for a token the body never uses.
    let mut qc: Vec<(Option<u32>, &str, u32)> = Vec::new();
    for t in &q {
        match qc.iter_mut().find(|(_, s, _)| *s == t.as_str()) {
            Some(e) => e.2 += 1,
            None => qc.push((p.vocab.get(t).copied(), t, 1)),
        }
    }
    let unseen = (1.0 + p.n).ln();
    let total: f64 = qc
        .iter()
        .map(|(id, _, _)| id.map_or(unseen, |i| p.idf[i as usize]))
        .sum();
    let (mut best, mut best_i) = (-1.0f64, 0usize);
    for (i, c) in p.counts.iter().enumerate() {
        let (mut shared, mut inter, mut bm25) = (0.0f64, 0u32, 0.0f64);
        let norm = K1 * (1.0 - B + B * p.lens[i] as f64 / p.avg.max(1.0));
        for (id, _, v) in &qc {
            let Some(id) = id else { continue };
            let Some(&f) = c.get(id) else { continue };
            shared += p.idf[*id as usize];
            inter += (*v).min(f);
            let f = f64::from(f);
            bm25 += p.bidf[*id as usize] * f * (K1 + 1.0) / (f + norm);
        }
        let cover = if total != 0.0 { shared / total } else { 0.0 };
        let dice = if !q.is_empty() && p.lens[i] > 0 {
            2.0 * f64::from(inter) / (q.len() + p.lens[i]) as f64
        } else {
            0.0
        };
        let score = 0.8 * cover + 0.2 * dice + 1e-6 * bm25;
        if score > best {
            best = score;
            best_i = i;
        }
    }
    let ck = key(&h);
    let (pk, full) = match p.passages.get(best_i) {
        Some(passage) => {
            let full = key(passage);
            (
                full.chars().take(2 * ck.chars().count() + 8).collect(),
                full,
            )
        }
        None => (String::new(), String::new()),
    };
    [
        best,
        strsim::normalized_levenshtein(&ck, &pk),
        strsim::jaro_winkler(&ck, &pk),
        crate::compare::features::char_bigram_dice(&ck, &full),
    ]
}

/// The features of every pair, in pair order: bodies prepared once each, on all cores.
pub fn all(data: &Fnc1) -> Vec<Lexical> {
    let mut by_body: Vec<Vec<usize>> = vec![Vec::new(); data.bodies.len()];
    for (i, p) in data.pairs.iter().enumerate() {
        by_body[p.body].push(i);
    }
    let per_body: Vec<Vec<(usize, Lexical)>> = by_body
        .par_iter()
        .enumerate()
        .filter(|(_, pairs)| !pairs.is_empty())
        .map(|(b, pairs)| {
            let prepared = prepare(&data.bodies[b]);
            pairs
                .iter()
                .map(|i| (*i, features(&data.pairs[*i].headline, &prepared)))
                .collect()
        })
        .collect();
    let mut out = vec![[0.0; 4]; data.pairs.len()];
    for (i, f) in per_body.into_iter().flatten() {
        out[i] = f;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_the_python_regex() {
        assert_eq!(
            split_sentences("A b. C d!  E\n\nF. \nG"),
            vec!["A b.", "C d!", "E", "F.", "G"]
        );
        assert_eq!(split_sentences("3.5 m"), vec!["3.5 m"]);
        assert_eq!(split_sentences("停了。 复工\n"), vec!["停了。", "复工", ""]);
    }

    #[test]
    fn tokens_like_the_python_regex() {
        assert_eq!(
            tokens(&fold("The U.S. grew 5.3% in 2024, 英伟达停")),
            vec!["u", "s", "grew", "5.3", "2024", "英伟", "伟达", "达停"]
        );
        assert_eq!(tokens("中"), vec!["中"]);
        assert_eq!(fold("  Ａ\tB  "), "a b");
    }

    #[test]
    fn the_matching_passage_is_best() {
        let p = prepare(
            "The weather was fine. Unions accepted a 5.3% pay rise on Monday.\nShips sailed.",
        );
        let f = features("Unions accepted a 5.3% pay rise", &p);
        assert!(f[0] > 0.8, "{f:?}");
        assert!(f[1] > 0.5 && f[2] > 0.8 && f[3] > 0.5, "{f:?}");
        let g = features("A meteorite hit Managua", &p);
        assert!(g[0] < f[0] && g[3] < f[3]);
        assert_eq!(features("x", &prepare("")).len(), 4);
    }
}
