//! Folding text so that spellings a reader treats as the same compare equal: NFKC (full-width
//! to half-width, compatibility forms), Traditional to Simplified Chinese, lower case, and one
//! kind of whitespace.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a CJK ideograph (the characters Chinese text is compared on).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Folds one character the way [`fold`] does, without Traditional→Simplified conversion.
pub fn fold_char(c: char) -> char {
    // Fast paths, same results: NFKC leaves ASCII and the unified ideographs alone, and the
    // mappings below touch neither (most of what is folded is one or the other).
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return c;
    }
    let mut it = std::iter::once(c).nfkc();
    let first = it.next().unwrap_or(c);
    if it.next().is_some() {
        return c;
    }
    match first {
        '\u{3000}' => ' ',
        '“' | '”' | '「' | '」' | '『' | '』' => '"',
        '‘' | '’' => '\'',
        '—' | '–' | '―' => '-',
        '、' => ',',
        '。' => '.',
        other => other.to_lowercase().next().unwrap_or(other),
    }
}

/// Folds text for comparison: NFKC, Traditional→Simplified, lower case, quotes and dashes
/// unified, runs of whitespace collapsed to one space. Keeps one output char per input char
/// except where NFKC expands a compatibility character, so offsets stay close.
pub fn fold(s: &str) -> String {
    let simplified = fast2s::convert(s);
    let mut out = String::with_capacity(simplified.len());
    let mut last_space = false;
    for c in simplified.chars() {
        let f = fold_char(c);
        if f.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(f);
            last_space = false;
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(fold(input), expected, "fold({input:?})");
    }

    #[test]
    fn folds_width_case_and_script() {
        check("ＡＢＣ１２３", "abc123");
        check("環球網", "环球网");
        check("英偉達：停止", "英伟达:停止");
        check("  a \t\n b ", "a b");
        check("「断供」", "\"断供\"");
    }

    #[test]
    fn fast_paths_agree_with_nfkc() {
        let slow = |c: char| {
            let mut it = std::iter::once(c).nfkc();
            let first = it.next().unwrap_or(c);
            if it.next().is_some() {
                c
            } else {
                first.to_lowercase().next().unwrap_or(first)
            }
        };
        for c in (0u8..128).map(char::from).chain(['中', '龥', '一', '丨']) {
            assert_eq!(fold_char(c), slow(c), "{c:?}");
        }
    }

    #[test]
    fn recognises_cjk() {
        assert!(is_cjk('中'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk('。'));
    }
}
