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

/// Longest word, in characters, looked at before a period to tell an abbreviation.
const MAX_WORD_CHARS: usize = 64;

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
///
/// Walks the text by bytes and counts characters as it goes, so a 20 MiB line costs no copy of
/// itself as characters (4 bytes each).
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = Pos::default();
    let mut depth = 0usize;
    let mut quote_open_at = 0usize;
    let mut in_ascii_quote = false;
    let mut at = Pos::default();
    while let Some(c) = text[at.byte..].chars().next() {
        let i = at.char;
        let after = at.after(c);
        let next = text[after.byte..].chars().next();
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
        let cut = if c == '\n' {
            depth = 0;
            in_ascii_quote = false;
            true
        } else if !quoted && is_cjk_terminator(c) {
            true
        } else if depth == 1 && is_cjk_terminator(c) && next.is_some_and(is_closing_quote) {
            // `……停止。”` ends the quoted sentence and the sentence that quotes it.
            true
        } else {
            !quoted && c == '.' && ends_english_sentence(text, at.byte)
        };
        if cut {
            // Keep trailing terminators and closing quotes with the sentence: `。”`, `?!`.
            let mut end = after;
            while let Some(n) = text[end.byte..].chars().next() {
                if !(is_closing_quote(n) || is_cjk_terminator(n) || n == '"' && in_ascii_quote) {
                    break;
                }
                if n == '"' {
                    in_ascii_quote = false;
                }
                end = end.after(n);
            }
            push(text, start, end, &mut out);
            start = end;
            at = end;
            depth = 0;
            continue;
        }
        at = after;
    }
    push(text, start, at, &mut out);
    out
}

/// A place in a text, as a byte offset (for slicing) and a character offset (for reporting).
#[derive(Debug, Clone, Copy, Default)]
struct Pos {
    byte: usize,
    char: usize,
}

impl Pos {
    /// The place just after `c`, which starts here.
    fn after(self, c: char) -> Pos {
        Pos {
            byte: self.byte + c.len_utf8(),
            char: self.char + 1,
        }
    }
}

fn push(text: &str, start: Pos, end: Pos, out: &mut Vec<Sentence>) {
    let slice = &text[start.byte..end.byte];
    let from_start = slice.trim_start();
    let lead = slice[..slice.len() - from_start.len()].chars().count();
    let trimmed = from_start.trim_end();
    let trail = from_start[trimmed.len()..].chars().count();
    if !trimmed.is_empty() {
        out.push(Sentence {
            text: trimmed.to_string(),
            start: start.char + lead,
            end: end.char - trail,
        });
    }
}

/// Whether the period at byte `dot` ends an English sentence (not a decimal point, an
/// abbreviation, an initial or part of a URL).
fn ends_english_sentence(text: &str, dot: usize) -> bool {
    let rest = &text[dot + 1..];
    // A decimal point or a URL/domain dot: no space after it.
    match rest.chars().next() {
        None => return true,
        Some(n) if n.is_whitespace() || n == '"' || is_closing_quote(n) => {}
        Some(_) => return false,
    }
    // The word before the period.
    // Only the last `MAX_WORD_CHARS` characters are looked at: no abbreviation or initial is
    // longer, and a line with no space in it is not walked back to its start at every dot.
    let before = &text[..dot];
    let window = before
        .char_indices()
        .rev()
        .take(MAX_WORD_CHARS)
        .last()
        .map_or(0, |(k, _)| k);
    let word_start = before[window..]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || is_opening_quote(c))
        .map_or(window, |(k, c)| window + k + c.len_utf8());
    let word = before[word_start..].to_lowercase();
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
    for c in rest.chars() {
        if c == '\n' {
            return true;
        }
        if !c.is_whitespace() {
            return !c.is_lowercase();
        }
    }
    true
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
