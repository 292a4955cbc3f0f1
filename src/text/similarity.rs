//! Tokens and similarity measures that work for Chinese and English alike: CJK character
//! bigrams plus lower-case words, Sørensen–Dice, containment, and strsim's edit measures.
//! Retrieval tokens add jieba's words of each CJK run beside its bigrams, so a passage sharing
//! the claim's real words (英伟达, 订单) ranks above one sharing only bigrams that straddle
//! word boundaries.

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
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        // A decimal point stays inside a number (5.3), never a sentence's full stop (2024.).
        let decimal_point = c == '.'
            && !word.is_empty()
            && word.chars().all(|d| d.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit);
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk_run.push(c);
        } else if c.is_alphanumeric() || decimal_point {
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

/// Marks a jieba word so it never merges with the character bigram spelled the same: the word
/// counts on top of its bigram, which is what weights real words above straddling bigrams.
pub const WORD_MARK: char = '_';

/// The jieba segmenter with its embedded dictionary, built on first use (loading the
/// dictionary takes a few hundred milliseconds, so English-only runs never pay for it).
fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// The words of at least two characters jieba finds in one run of CJK characters (HMM off, so
/// the cut depends on the dictionary alone and is the same on every run).
pub fn cjk_words(run: &str) -> Vec<&str> {
    jieba()
        .cut(run, false)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| w.chars().count() >= 2 && w.chars().all(is_cjk))
        .collect()
}

/// Tokens for ranking passages: [`tokens_folded`], then for every CJK run of two or more
/// characters its jieba words, each marked with [`WORD_MARK`].
pub fn retrieval_tokens_folded(folded: &str) -> Vec<String> {
    let mut out = tokens_folded(folded);
    let mut run_start: Option<usize> = None;
    let push_words = |run: &str, out: &mut Vec<String>| {
        if run.chars().nth(1).is_some() {
            for w in cjk_words(run) {
                let mut t = String::with_capacity(w.len() + 1);
                t.push(WORD_MARK);
                t.push_str(w);
                out.push(t);
            }
        }
    };
    for (i, c) in folded.char_indices() {
        match (is_cjk(c), run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                push_words(&folded[s..i], &mut out);
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run_start {
        push_words(&folded[s..], &mut out);
    }
    out
}

/// Retrieval tokens of raw text (folded first).
pub fn retrieval_tokens(text: &str) -> Vec<String> {
    retrieval_tokens_folded(&fold(text))
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
        // A number ending a sentence loses the full stop, so a claim's year matches it.
        assert_eq!(tokens("born in 2024."), vec!["born", "2024"]);
        assert_eq!(tokens("up 5.3. Then 6"), vec!["up", "5.3", "then", "6"]);
    }

    #[test]
    fn retrieval_tokens_add_jieba_words_beside_bigrams() {
        let t = retrieval_tokens("英伟达停止接受中国新订单");
        // Every bigram is still there...
        for b in ["英伟", "伟达", "达停", "停止", "新订", "订单"] {
            assert!(t.iter().any(|x| x == b), "{b} in {t:?}");
        }
        // ...and the dictionary's words come on top, marked; single characters (新) do not.
        for w in ["_停止", "_接受", "_中国", "_订单"] {
            assert!(t.iter().any(|x| x == w), "{w} in {t:?}");
        }
        assert!(!t.iter().any(|x| x == "_新"), "{t:?}");
        // Traditional script is folded first, so both spellings give the same words.
        assert_eq!(retrieval_tokens("英偉達停止接受中國新訂單"), t);
        // English is tokenised as before: jieba never sees it.
        assert_eq!(
            retrieval_tokens("Nvidia stops new orders"),
            tokens("Nvidia stops new orders")
        );
        // A lone CJK character and mixed text.
        assert_eq!(retrieval_tokens("中"), vec!["中"]);
        let mixed = retrieval_tokens("AMD向中东国家出口AI芯片");
        assert!(mixed.contains(&"amd".to_string()) && mixed.contains(&"_芯片".to_string()));
        assert!(mixed.contains(&"_中东国家".to_string()), "{mixed:?}");
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
