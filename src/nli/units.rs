//! The embedded inference model's input units: each CJK character (after Traditional →
//! Simplified) and each Latin-script word (lowercased), hashed by FNV-1a into [`VOCAB`]
//! buckets. Bucket 0 is padding. No vocabulary file: a unit never seen in training lands in a
//! bucket whose vector was trained on whatever else hashed there.
//!
//! This file is also compiled into the training tool (`tools/nli-prototype`, through
//! `#[path]`), so training and inference cut text into units the same way. Keep it free of
//! crate-internal imports: only `std` and `fast2s`.

/// Hash buckets; the embedding table has this many rows.
pub const VOCAB: usize = 1 << 15;

/// Longest premise (source passage) the model reads, in units.
pub const MAX_PREMISE: usize = 128;
/// Longest hypothesis (claim) the model reads, in units.
pub const MAX_HYPOTHESIS: usize = 64;

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn bucket(tagged: &str) -> u32 {
    1 + (fnv1a(tagged) % (VOCAB as u64 - 1)) as u32
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// `text` as at most `max` unit ids, never empty (a text with no units gives one `<empty>`
/// unit, so the model always has something to attend to).
pub fn units(text: &str, max: usize) -> Vec<u32> {
    let simplified = fast2s::convert(text).to_lowercase();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut tagged = String::new();
    for c in simplified.chars() {
        if out.len() >= max {
            break;
        }
        if c.is_alphanumeric() && !is_cjk(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tagged.clear();
            tagged.push('w');
            tagged.push_str(&word);
            out.push(bucket(&tagged));
            word.clear();
        }
        if is_cjk(c) {
            tagged.clear();
            tagged.push('c');
            tagged.push(c);
            out.push(bucket(&tagged));
        }
    }
    if !word.is_empty() && out.len() < max {
        out.push(bucket(&format!("w{word}")));
    }
    out.truncate(max);
    if out.is_empty() {
        out.push(bucket("<empty>"));
    }
    out
}

/// The premise the model reads for `claim` from a source of several sentences: the sentences
/// that share the most units with the claim (share of the sentence's distinct units that the
/// claim holds, weighted by how many), taken best first until [`MAX_PREMISE`] units, then put
/// back in the source's order. A source that fits is read whole.
pub fn premise<S: AsRef<str>>(claim: &str, sentences: &[S]) -> Vec<u32> {
    let empty = units("", 1);
    let cut: Vec<Vec<u32>> = sentences
        .iter()
        .map(|s| units(s.as_ref(), MAX_PREMISE))
        .filter(|u| *u != empty)
        .collect();
    let total: usize = cut.iter().map(Vec::len).sum();
    if total <= MAX_PREMISE {
        let whole: Vec<u32> = cut.into_iter().flatten().collect();
        return if whole.is_empty() {
            units("", 1)
        } else {
            whole
        };
    }
    let wanted: std::collections::HashSet<u32> = units(claim, MAX_PREMISE).into_iter().collect();
    let mut scored: Vec<(f64, usize)> = cut
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let distinct: std::collections::HashSet<&u32> = u.iter().collect();
            let shared = distinct.iter().filter(|x| wanted.contains(x)).count() as f64;
            (shared * shared / distinct.len().max(1) as f64, i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen = Vec::new();
    let mut used = 0;
    // Best first; a sentence that no longer fits is skipped (a shorter one may), so the
    // cut at the end never drops the best sentence for worse ones earlier in the source.
    for (_, i) in scored {
        if chosen.is_empty() || used + cut[i].len() <= MAX_PREMISE {
            chosen.push(i);
            used += cut[i].len();
        }
    }
    chosen.sort_unstable();
    let mut out: Vec<u32> = chosen
        .into_iter()
        .flat_map(|i| cut[i].iter().copied())
        .collect();
    out.truncate(MAX_PREMISE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_and_words_are_units_in_either_script() {
        let simplified = units("英伟达宣布 Nvidia H20", 64);
        let traditional = units("英偉達宣佈 NVIDIA h20", 64);
        assert_eq!(simplified.len(), 7);
        assert_eq!(simplified, traditional);
        assert!(simplified.iter().all(|u| (1..VOCAB as u32).contains(u)));
    }

    #[test]
    fn limits_and_empty_text() {
        assert_eq!(units("一二三四五六", 4).len(), 4);
        assert_eq!(units("，。!", 8), units("", 8));
        assert_eq!(units("", 8).len(), 1);
    }

    #[test]
    fn a_long_source_gives_the_sentences_nearest_the_claim() {
        let filler = "Officials met on Tuesday to discuss the schedule for next year.";
        let mut source = vec![filler; 30];
        source.insert(
            17,
            "The company said exports to the Middle East would be limited.",
        );
        let p = premise("exports to the Middle East limited", &source);
        assert!(p.len() <= MAX_PREMISE);
        let key = units("Middle East", 8);
        assert!(p.windows(2).any(|w| w == key.as_slice()));
        assert_eq!(premise("x", &["短句。"]), units("短句", 8));
    }
}
