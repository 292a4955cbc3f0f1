//! Tokens and similarity measures that work for Chinese and English alike: CJK character
//! bigrams plus lower-case words, Sørensen–Dice, containment, and strsim's edit measures.

use super::normalize::{fold, is_cjk};
use std::collections::HashMap;

/// Words too common to say anything about whether two texts share a topic.
const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "were", "be",
    "been", "by", "with", "as", "at", "that", "this", "it", "its", "from", "has", "have", "had",
    "will", "would", "but", "not", "than", "which", "who", "their", "they", "he", "she", "his",
    "her", "said", "says",
];

/// Tokens of already folded text: overlapping bigrams of each CJK run (a lone CJK character is
/// its own token) and alphanumeric words outside CJK runs, stop words removed.
pub fn tokens_folded(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cjk_run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |run: &mut Vec<char>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => out.push(run[0].to_string()),
            _ => {
                for pair in run.windows(2) {
                    out.push(pair.iter().collect());
                }
            }
        }
        run.clear();
    };
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() && !STOP_WORDS.contains(&word.as_str()) {
            out.push(std::mem::take(word));
        }
        word.clear();
    };
    for c in folded.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk_run.push(c);
        } else if c.is_alphanumeric()
            || (c == '.' && word.chars().all(|d| d.is_ascii_digit()) && !word.is_empty())
        {
            flush_cjk(&mut cjk_run, &mut out);
            word.push(c);
        } else {
            flush_cjk(&mut cjk_run, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_cjk(&mut cjk_run, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// Tokens of raw text (folded first).
pub fn tokens(text: &str) -> Vec<String> {
    tokens_folded(&fold(text))
}

fn counts(tokens: &[String]) -> HashMap<&str, usize> {
    let mut map = HashMap::new();
    for t in tokens {
        *map.entry(t.as_str()).or_insert(0) += 1;
    }
    map
}

/// Sørensen–Dice coefficient of two token multisets, in 0..1.
pub fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let ca = counts(a);
    let cb = counts(b);
    let shared: usize = ca
        .iter()
        .map(|(t, n)| (*n).min(*cb.get(t).unwrap_or(&0)))
        .sum();
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// Share of `part`'s tokens (as a multiset) that also occur in `whole`, in 0..1.
pub fn containment(part: &[String], whole: &[String]) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    let cw = counts(whole);
    let cp = counts(part);
    let shared: usize = cp
        .iter()
        .map(|(t, n)| (*n).min(*cw.get(t).unwrap_or(&0)))
        .sum();
    shared as f64 / part.len() as f64
}

/// Folds and strips everything but letters, digits and CJK, for comparing short titles.
pub fn title_key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Similarity of two headlines, in 0..1: the best of bigram Dice, normalised Levenshtein and
/// (for short strings) Jaro–Winkler, on their folded, punctuation-free forms.
pub fn headline_similarity(a: &str, b: &str) -> f64 {
    let ka = title_key(a);
    let kb = title_key(b);
    if ka.is_empty() || kb.is_empty() {
        return 0.0;
    }
    if ka == kb {
        return 1.0;
    }
    let bigram = dice(&tokens_folded(&ka), &tokens_folded(&kb));
    let lev = strsim::normalized_levenshtein(&ka, &kb);
    // Jaro–Winkler rewards a shared prefix, which long headlines about the same company often
    // have; it only decides for short names.
    let short = ka.chars().count().max(kb.chars().count()) <= 12;
    let jw = if short {
        strsim::jaro_winkler(&ka, &kb)
    } else {
        0.0
    };
    jw.max(bigram).max(lev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_cjk_as_bigrams_and_words_as_words() {
        assert_eq!(tokens("英伟达AI芯片"), vec!["英伟", "伟达", "ai", "芯片"]);
        assert_eq!(tokens("The U.S. grew 5.3%"), vec!["u", "s", "grew", "5.3"]);
        assert_eq!(tokens("中"), vec!["中"]);
    }

    #[test]
    fn dice_and_containment() {
        let a = tokens("英伟达停止接受订单");
        let b = tokens("英伟达可能丢掉订单");
        assert!(dice(&a, &b) > 0.2 && dice(&a, &b) < 0.6);
        assert_eq!(containment(&a, &a), 1.0);
        assert_eq!(containment(&[], &a), 0.0);
    }

    #[test]
    fn headline_similarity_ignores_width_and_punctuation() {
        let s = headline_similarity(
            "渐失中国市场,不影响英伟达狂飙?",
            "渐失中国市场，不影响英伟达狂飙？",
        );
        assert_eq!(s, 1.0);
        assert!(
            headline_similarity(
                "英伟达狂飙背后：数据中心业务再创新高",
                "渐失中国市场，不影响英伟达狂飙？"
            ) < 0.6
        );
        assert_eq!(headline_similarity("", "x"), 0.0);
    }
}
