//! HTML input articles: visible blocks (headings, paragraphs, list items, quotes) in document
//! order, with each block's line found by locating its text in the source, and `<a href>` links.

use super::line_col;
use crate::model::{Block, BlockKind, Link};
use scraper::{ElementRef, Html, Node};

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form", "svg",
    "iframe", "button", "select",
];

pub(super) fn parse(source: &str) -> (Vec<Block>, Vec<Link>) {
    let html = Html::parse_document(source);
    let mut raw_blocks: Vec<(BlockKind, String)> = Vec::new();
    let mut raw_links: Vec<(String, String)> = Vec::new();
    let mut title_tag: Option<String> = None;
    // An explicit stack instead of recursion: deeply nested input must not overflow.
    let mut stack: Vec<ElementRef> = vec![html.root_element()];
    while let Some(el) = stack.pop() {
        let name = el.value().name();
        if name == "title" && title_tag.is_none() {
            title_tag = Some(collapse(&el.text().collect::<String>()));
            continue;
        }
        if SKIPPED.contains(&name) {
            continue;
        }
        if name == "a" {
            if let Some(href) = el.value().attr("href") {
                if href.starts_with("http://") || href.starts_with("https://") {
                    raw_links.push((collapse(&el.text().collect::<String>()), href.to_string()));
                }
            }
        }
        let kind = match name {
            "h1" => Some(BlockKind::Title),
            "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading),
            "p" | "figcaption" | "dd" | "dt" | "td" => Some(BlockKind::Paragraph),
            "li" => Some(BlockKind::ListItem),
            "blockquote" => Some(BlockKind::Quote),
            _ => None,
        };
        if let Some(kind) = kind {
            let text = collapse(&el.text().collect::<String>());
            if !text.is_empty() {
                raw_blocks.push((kind, text));
            }
            // Links inside a block still count.
            for a in el.select(&a_selector()) {
                if let Some(href) = a.value().attr("href") {
                    if href.starts_with("http://") || href.starts_with("https://") {
                        raw_links.push((collapse(&a.text().collect::<String>()), href.to_string()));
                    }
                }
            }
            continue;
        }
        // Bare text directly inside a div or body also forms a block.
        let direct: String = el
            .children()
            .filter_map(|c| match c.value() {
                Node::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        let direct = collapse(&direct);
        if !direct.is_empty() && matches!(name, "div" | "body" | "section" | "article" | "main") {
            raw_blocks.push((BlockKind::Paragraph, direct));
        }
        let children: Vec<ElementRef> = el.children().filter_map(ElementRef::wrap).collect();
        stack.extend(children.into_iter().rev());
    }
    let mut blocks = Vec::new();
    let mut cursor = 0usize;
    let mut seen_title = false;
    if !raw_blocks.iter().any(|(k, _)| *k == BlockKind::Title) {
        if let Some(t) = title_tag.filter(|t| !t.is_empty()) {
            raw_blocks.insert(0, (BlockKind::Title, t));
        }
    }
    for (mut kind, text) in raw_blocks {
        if kind == BlockKind::Title {
            if seen_title {
                kind = BlockKind::Heading;
            }
            seen_title = true;
        }
        let (offset, found) = locate(source, &text, cursor);
        if found {
            cursor = offset;
        }
        let (line, column) = line_col(source, offset);
        blocks.push(Block::new(kind, text, line, column));
    }
    let mut links = Vec::new();
    let mut cursor = 0usize;
    for (text, url) in raw_links {
        let (offset, found) = locate(source, &url, cursor);
        if found {
            cursor = offset;
        }
        let (line, column) = line_col(source, offset);
        links.push(Link {
            text,
            url,
            line,
            column,
        });
    }
    (blocks, links)
}

fn a_selector() -> scraper::Selector {
    scraper::Selector::parse("a[href]").expect("static selector is valid")
}

/// Byte offset of `text`'s start in `source` at or after `cursor` (falling back to anywhere),
/// matched on its first few characters since markup may interrupt the rest.
fn locate(source: &str, text: &str, cursor: usize) -> (usize, bool) {
    if let Some(i) = source.get(cursor..).and_then(|s| s.find(text)) {
        return (cursor + i, true);
    }
    for len in [8, 4, 2] {
        let probe: String = text.chars().take(len).collect();
        if probe.is_empty() {
            return (cursor, false);
        }
        if let Some(i) = source.get(cursor..).and_then(|s| s.find(&probe)) {
            return (cursor + i, true);
        }
    }
    let probe: String = text.chars().take(8).collect();
    match source.find(&probe) {
        Some(i) => (i, true),
        None => (cursor, false),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_links_with_lines() {
        let src = "<html><head><title>T - Site</title></head><body>\n<nav><a href=\"https://x.com\">Home</a></nav>\n<h1>Headline</h1>\n<p>First <b>para</b>, per <a href=\"https://www.reuters.com/x\">Reuters</a>.</p>\n<footer>c</footer></body></html>";
        let (blocks, links) = parse(src);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].kind, BlockKind::Title);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[1].text, "First para, per Reuters.");
        assert_eq!(blocks[1].line, 4);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].line, 4);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 20_000;
        let src = format!(
            "{}<p>x</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let (blocks, _) = parse(&src);
        assert!(!blocks.is_empty());
    }
}
