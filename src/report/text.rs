//! Small text helpers the reporters share: where a claim sits in its document, and escaping
//! for HTML/XML, Markdown table cells and URIs. Every byte of article or page text that goes
//! into markup passes through one of these.

use crate::model::{Claim, Document};

/// Where a claim's text sits: the block, char offsets in the block's text, and input positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimSpan {
    pub block: usize,
    /// Char offsets of the claim in the block's text (end exclusive).
    pub start: usize,
    pub end: usize,
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    /// 1-based column one past the claim's last character.
    pub end_column: usize,
}

/// Finds `claim` in `doc`: the block whose text holds the claim at the claim's start position.
/// `None` when the claim's text is not in any block as written (e.g. emphasis was removed).
pub fn locate_claim(doc: &Document, claim: &Claim) -> Option<ClaimSpan> {
    let len = claim.text.chars().count();
    if len == 0 {
        return None;
    }
    let mut fallback = None;
    // Blocks are in input order: only those starting on or before the claim's line and still
    // running on it can hold it, so a long article costs a binary search, not a scan.
    let after = doc.blocks.partition_point(|b| b.line <= claim.line);
    let mut first = after;
    while first > 0 {
        let b = &doc.blocks[first - 1];
        let last_line = b.marks.last().map_or(b.line, |m| m.line.max(b.line));
        if last_line < claim.line && first < after {
            break;
        }
        first -= 1;
        if last_line < claim.line {
            break;
        }
    }
    for (i, block) in doc.blocks.iter().enumerate().take(after).skip(first) {
        let mut from = 0usize;
        while let Some(found) = block.text.get(from..).and_then(|t| t.find(&claim.text)) {
            let byte = from + found;
            let start = block.text[..byte].chars().count();
            let (line, column) = block.position(start);
            let (end_line, last_column) = block.position(start + len - 1);
            let span = ClaimSpan {
                block: i,
                start,
                end: start + len,
                start_line: line,
                start_column: column,
                end_line,
                end_column: last_column + 1,
            };
            if (line, column) == (claim.line, claim.column) {
                return Some(span);
            }
            fallback.get_or_insert(span);
            from = byte + claim.text.len().max(1);
        }
    }
    // The same sentence written twice: the first copy on the claim's line, else the first.
    fallback.filter(|s| s.start_line == claim.line)
}

/// The claim's region in its input: located in the document when possible, else its start
/// position and the claim's length on that line.
pub fn claim_region(doc: Option<&Document>, claim: &Claim) -> (usize, usize, usize, usize) {
    if let Some(span) = doc.and_then(|d| locate_claim(d, claim)) {
        return (
            span.start_line,
            span.start_column,
            span.end_line,
            span.end_column,
        );
    }
    let len = claim.text.chars().count();
    (claim.line, claim.column, claim.line, claim.column + len)
}

/// Escapes text for HTML and XML content and attribute values.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids are dropped; tab, newline and CR are kept.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for one cell of a Markdown table: one line, no table pipes, no HTML, no
/// emphasis or links that would change what a reader sees.
pub fn escape_markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '@' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A path as a relative URI reference: `\` becomes `/`, everything but unreserved characters
/// and `/` percent-encoded as UTF-8.
/// A SARIF `artifactLocation`: a relative path against `%SRCROOT%` (the working folder), or a
/// `file://` URI for an absolute path outside it; standard input has a plain URI.
pub fn artifact_location(path: &str) -> serde_json::Value {
    let p = path.replace('\\', "/");
    if p.starts_with('/') || p.get(1..3) == Some(":/") {
        serde_json::json!({"uri": file_uri(&p)})
    } else if p.starts_with('<') {
        serde_json::json!({"uri": path_uri(&p.replace(['<', '>'], ""))})
    } else {
        serde_json::json!({"uri": path_uri(&p), "uriBaseId": "%SRCROOT%"})
    }
}

/// A `file://` URI for an absolute path.
pub fn file_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    if p.starts_with('/') {
        format!("file://{}", path_uri(&p))
    } else {
        format!("file:///{}", path_uri(&p))
    }
}

pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// At most `max` characters of `s`, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A verdict as readers say it: `not supported`.
pub fn verdict_words(v: crate::model::Verdict) -> String {
    v.as_str().replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind, ClaimKind, InputFormat, LineMark};

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            path: "a.md".into(),
            format: InputFormat::Markdown,
            encoding: "UTF-8".into(),
            blocks,
            links: vec![],
            cites: vec![],
        }
    }

    fn claim(text: &str, line: usize, column: usize) -> Claim {
        Claim {
            id: "k1".into(),
            kind: ClaimKind::Statement,
            text: text.into(),
            line,
            column,
            cited: vec![],
            binding: None,
        }
    }

    #[test]
    fn locates_a_claim_wrapped_over_two_lines() {
        let mut b = Block::new(BlockKind::Paragraph, "One. Two three four.", 3, 1);
        b.marks = vec![
            LineMark {
                offset: 0,
                line: 3,
                column: 1,
            },
            LineMark {
                offset: 9,
                line: 4,
                column: 1,
            },
        ];
        let d = doc(vec![Block::new(BlockKind::Title, "T", 1, 3), b]);
        let span = locate_claim(&d, &claim("Two three four.", 3, 6)).expect("found");
        assert_eq!((span.block, span.start, span.end), (1, 5, 20));
        assert_eq!((span.start_line, span.start_column), (3, 6));
        assert_eq!((span.end_line, span.end_column), (4, 12));
    }

    #[test]
    fn a_claim_not_in_the_text_is_not_located() {
        let d = doc(vec![Block::new(BlockKind::Paragraph, "Other words.", 1, 1)]);
        assert_eq!(locate_claim(&d, &claim("Missing.", 1, 1)), None);
        assert_eq!(
            claim_region(Some(&d), &claim("Missing.", 1, 1)),
            (1, 1, 1, 9)
        );
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape_markup("<script>alert('x')&\"</script>\u{1}"),
            "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;"
        );
        assert_eq!(
            escape_markdown_cell("a|b\n<img src=x> *c* [l](u)"),
            "a\\|b &lt;img src=x&gt; \\*c\\* \\[l\\](u)"
        );
        assert_eq!(path_uri("./dir\\新 a.md"), "dir/%E6%96%B0%20a.md");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
