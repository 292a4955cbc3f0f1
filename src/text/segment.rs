//! Sentence segmentation for Chinese and English that does not split inside quotes, decimal
//! numbers, abbreviations or URLs.

/// A sentence of a larger text, with its character offsets in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    /// Character offset of the first character (after leading whitespace is skipped).
    pub start: usize,
    /// Character offset one past the last character.
    pub end: usize,
}

/// English abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "ltd", "co", "corp", "vs", "etc",
    "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "gov", "gen", "sen", "rep", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "st", "mt",
];

/// Quotes long enough to hold several sentences are split anyway past this many characters,
/// so an unbalanced quote mark cannot swallow a whole article.
const MAX_QUOTED_RUN: usize = 400;

fn is_opening_quote(c: char) -> bool {
    matches!(c, '“' | '「' | '『' | '《' | '（' | '(')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '」' | '』' | '》' | '）' | ')')
}

fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | '…')
}

/// Splits `text` into sentences. Line breaks always end a sentence.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut depth = 0usize;
    let mut quote_open_at = 0usize;
    let mut in_ascii_quote = false;
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if is_opening_quote(c) {
            if depth == 0 {
                quote_open_at = i;
            }
            depth += 1;
        } else if is_closing_quote(c) {
            depth = depth.saturating_sub(1);
        } else if c == '"' {
            in_ascii_quote = !in_ascii_quote;
            if in_ascii_quote && depth == 0 {
                quote_open_at = i;
            }
        }
        let quoted = (depth > 0 || in_ascii_quote) && i - quote_open_at < MAX_QUOTED_RUN;
        let mut cut_after: Option<usize> = None;
        if c == '\n' {
            cut_after = Some(i);
            depth = 0;
            in_ascii_quote = false;
        } else if !quoted && is_cjk_terminator(c) {
            cut_after = Some(i);
        } else if depth == 1
            && is_cjk_terminator(c)
            && matches!(chars.get(i + 1), Some(&q) if is_closing_quote(q))
        {
            // `……停止。”` ends the quoted sentence and the sentence that quotes it.
            cut_after = Some(i);
        } else if !quoted && c == '.' && ends_english_sentence(&chars, i) {
            cut_after = Some(i);
        }
        if let Some(mut end) = cut_after {
            // Keep trailing terminators and closing quotes with the sentence: `。”`, `?!`.
            while end + 1 < chars.len()
                && (is_closing_quote(chars[end + 1])
                    || is_cjk_terminator(chars[end + 1])
                    || chars[end + 1] == '"' && in_ascii_quote)
            {
                if chars[end + 1] == '"' {
                    in_ascii_quote = false;
                }
                end += 1;
            }
            push(&chars, start, end + 1, &mut out);
            start = end + 1;
            i = end + 1;
            depth = 0;
            continue;
        }
        i += 1;
    }
    push(&chars, start, chars.len(), &mut out);
    out
}

fn push(chars: &[char], start: usize, end: usize, out: &mut Vec<Sentence>) {
    let mut s = start;
    while s < end && chars[s].is_whitespace() {
        s += 1;
    }
    let mut e = end;
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if e > s {
        out.push(Sentence {
            text: chars[s..e].iter().collect(),
            start: s,
            end: e,
        });
    }
}

/// Whether the period at `i` ends an English sentence (not a decimal point, an abbreviation,
/// an initial or part of a URL).
fn ends_english_sentence(chars: &[char], i: usize) -> bool {
    let next = chars.get(i + 1).copied();
    // A decimal point or a URL/domain dot: no space after it.
    match next {
        None => return true,
        Some(n) if n.is_whitespace() || n == '"' || is_closing_quote(n) => {}
        Some(_) => return false,
    }
    // The word before the period.
    let mut j = i;
    while j > 0 && !chars[j - 1].is_whitespace() && !is_opening_quote(chars[j - 1]) {
        j -= 1;
    }
    let word: String = chars[j..i].iter().collect::<String>().to_lowercase();
    let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    if word.is_empty() {
        return true;
    }
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    // Dotted initials: "L.A.", "D.C.", "U.S.A." (the last dot is the one at `i`).
    let parts: Vec<&str> = word.split('.').collect();
    if parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
    {
        return false;
    }
    // Single initials such as "J." in "J. Smith".
    if word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic()) {
        return false;
    }
    // The next word starting in lower case means the sentence goes on ("approx. five").
    let mut k = i + 1;
    while k < chars.len() && chars[k].is_whitespace() {
        if chars[k] == '\n' {
            return true;
        }
        k += 1;
    }
    !matches!(chars.get(k), Some(c) if c.is_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let got: Vec<String> = sentences(input).into_iter().map(|s| s.text).collect();
        assert_eq!(got, expected, "sentences({input:?})");
    }

    #[test]
    fn splits_chinese() {
        check(
            "英伟达宣布停产。中国市场受影响！",
            &["英伟达宣布停产。", "中国市场受影响！"],
        );
        check(
            "他说：“我们不会停止。”随后离开。",
            &["他说：“我们不会停止。”", "随后离开。"],
        );
        check("增长5.3%，达到50亿美元。", &["增长5.3%，达到50亿美元。"]);
    }

    #[test]
    fn splits_english() {
        check(
            "The U.S. economy grew 5.3% in 2024. Dr. Smith said so.",
            &["The U.S. economy grew 5.3% in 2024.", "Dr. Smith said so."],
        );
        check(
            "See https://example.com/a.html for more. Then stop.",
            &["See https://example.com/a.html for more.", "Then stop."],
        );
        check(
            "\"It will not happen. Never,\" she said. Next.",
            &["\"It will not happen. Never,\" she said.", "Next."],
        );
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "一。 二！";
        let got = sentences(text);
        let chars: Vec<char> = text.chars().collect();
        for s in got {
            let slice: String = chars[s.start..s.end].iter().collect();
            assert_eq!(slice, s.text);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            "",
            ".",
            "。。。",
            "“",
            "”",
            "a.b.c.",
            "\n\n",
            "(((",
            "\"\"\"",
        ] {
            let _ = sentences(input);
        }
    }

    #[test]
    fn traditional_corner_quotes_hold_their_sentences() {
        check(
            "他說：「我們不會停止。也不會退出。」隨後離開。",
            &["他說：「我們不會停止。也不會退出。」", "隨後離開。"],
        );
        check(
            "報導指出『訂單已暫停。』市場震動。",
            &["報導指出『訂單已暫停。』", "市場震動。"],
        );
        check("「這不是結束。」他說。", &["「這不是結束。」", "他說。"]);
    }

    #[test]
    fn chinese_ellipsis_ends_once() {
        check(
            "订单可能取消……市场担忧加剧。",
            &["订单可能取消……", "市场担忧加剧。"],
        );
        check(
            "他说：“我们……不会停止。”随后离开。",
            &["他说：“我们……不会停止。”", "随后离开。"],
        );
    }

    #[test]
    fn dotted_initials_do_not_end_a_sentence() {
        check(
            "New SUVs highlight L.A. Auto Show",
            &["New SUVs highlight L.A. Auto Show"],
        );
        check(
            "Officials in Washington, D.C. said so. Prices rose.",
            &["Officials in Washington, D.C. said so.", "Prices rose."],
        );
    }

    #[test]
    fn numbers_and_abbreviations_stay_whole() {
        check(
            "营收增长5.3%，达到50亿元。利润下降。",
            &["营收增长5.3%，达到50亿元。", "利润下降。"],
        );
        check(
            "Prof. Li met U.N. officials at 3 p.m. on Monday. They agreed.",
            &[
                "Prof. Li met U.N. officials at 3 p.m. on Monday.",
                "They agreed.",
            ],
        );
        check(
            "详见https://www.news.cn/a.b/c.html。下一句。",
            &["详见https://www.news.cn/a.b/c.html。", "下一句。"],
        );
    }
}
