//! HTML input articles: visible blocks (headings, paragraphs, list items, quotes) in document
//! order, with each block's line found by locating its text in the source, `<a href>` links,
//! and the sources markup names without a link: `cite="url"` on `<blockquote>`/`<q>` and
//! `<cite>` elements. Footnote sections (`<section class="footnotes">`, `<ol class="references">`)
//! are ordinary list items here; `cite` reads their entries.

use crate::model::{Block, BlockKind, Link};
use scraper::{ElementRef, Html, Node};

/// Never article text. `<form>` is not here: ASP.NET pages wrap the whole page in one.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "svg", "iframe",
    "button", "select", "textarea",
];

pub(super) fn parse(source: &str) -> (Vec<Block>, Vec<Link>, Vec<Link>) {
    let html = Html::parse_document(&crate::limits::cap_html_depth(
        source,
        crate::limits::MAX_HTML_DEPTH,
    ));
    // Each block with its first few text nodes, to find it in the source when markup splits it.
    let mut raw_blocks: Vec<(BlockKind, String, Vec<String>)> = Vec::new();
    let mut raw_links: Vec<(String, String)> = Vec::new();
    // Whether the blocks read so far sit under a "Sources" / "参考资料" heading.
    let mut under_sources = false;
    // Whether an element is a row of links, by element, for links outside blocks.
    let mut link_lists: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
    let mut title_tag: Option<String> = None;
    // A saved page: only the article's container, its byline and source boxes and its
    // reference list are read; navigation, related lists, comments and footers never are.
    let region = crate::extract::region::article_region(&html);
    // An explicit stack instead of recursion: deeply nested input must not overflow. Each
    // element comes with whether it is inside the article's text.
    let mut stack: Vec<(ElementRef, bool)> = vec![(html.root_element(), !region.is_restricted())];
    while let Some((el, inside)) = stack.pop() {
        let name = el.value().name();
        if name == "title" && title_tag.is_none() {
            title_tag = Some(collapse(&el.text().collect::<String>()));
            continue;
        }
        if SKIPPED.contains(&name) || region.is_furniture(el.value()) {
            continue;
        }
        let inside = inside || region.opens(el.value());
        if !inside {
            // Outside the article only its headline is read; the walk goes on down to the
            // container and to the boxes kept beside it.
            if name == "h1" && !raw_blocks.iter().any(|(k, _, _)| *k == BlockKind::Title) {
                let text = collapse(&el.text().collect::<String>());
                if !text.is_empty() {
                    let nodes = el.text().take(4).map(str::to_string).collect();
                    raw_blocks.push((BlockKind::Title, text, nodes));
                }
                continue;
            }
            let children: Vec<ElementRef> = el.children().filter_map(ElementRef::wrap).collect();
            stack.extend(children.into_iter().rev().map(|c| (c, false)));
            continue;
        }
        if name == "a" {
            if let Some(href) = el.value().attr("href") {
                if href.starts_with("http://") || href.starts_with("https://") {
                    let text = collapse(&el.text().collect::<String>());
                    // A link in running text cites; one in a bare row of links is navigation.
                    let in_link_list = el.parent().and_then(ElementRef::wrap).is_some_and(|p| {
                        *link_lists
                            .entry(crate::extract::region::element_key(p.value()))
                            .or_insert_with(|| is_link_list(p))
                    });
                    let row = link_row(el);
                    if !(in_link_list || row.is_links)
                        || keeps_links(&text, &row.text, under_sources)
                    {
                        raw_links.push((text, href.to_string()));
                    }
                }
            }
        }
        // A layout cell that holds paragraphs (`<td><P>…</P><P>…</P></td>`) is read as its
        // paragraphs, each at its own line, not as one block at the cell's first line.
        let layout_cell = name == "td" && holds_blocks(el);
        let kind = match name {
            _ if layout_cell => None,
            "h1" => Some(BlockKind::Title),
            "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading),
            "p" | "figcaption" | "dd" | "dt" | "td" => Some(BlockKind::Paragraph),
            "li" => Some(BlockKind::ListItem),
            "blockquote" => Some(BlockKind::Quote),
            _ => None,
        };
        if let Some(kind) = kind {
            let text = collapse(&visible_text(el).collect::<String>());
            if matches!(kind, BlockKind::Heading | BlockKind::Title) {
                under_sources = is_sources_heading(&text);
            } else if is_sources_heading(&text) {
                under_sources = true;
            }
            // Links inside a block still count, unless the block is only links (a related
            // list, a menu row) and is neither a source line nor under a "Sources" heading.
            let link_list = is_link_list(el);
            for a in el.select(&a_selector()) {
                if let Some(href) = a.value().attr("href") {
                    if href.starts_with("http://") || href.starts_with("https://") {
                        let link_text = collapse(&a.text().collect::<String>());
                        // Inside a block, the link's own row counts too: a table cell that
                        // holds the article and, after `<br>`s, its related headlines.
                        let row = link_row(a);
                        let row_text = if link_list { text.as_str() } else { &row.text };
                        if !(link_list || row.is_links)
                            || keeps_links(&link_text, row_text, under_sources)
                        {
                            raw_links.push((link_text, href.to_string()));
                        }
                    }
                }
            }
            if !text.is_empty() {
                let mut nodes: Vec<String> = visible_text(el).take(4).map(str::to_string).collect();
                // One text node that is the block's text adds nothing to the search for the
                // text itself (and would hold a 20 MB article's text twice).
                if nodes.len() == 1 && nodes[0].trim() == text {
                    nodes.clear();
                }
                raw_blocks.push((kind, text, nodes));
            }
            continue;
        }
        // Text directly inside a div or body, bare or in inline elements (`<span>`, `<b>`, a
        // link), also forms blocks: one per run between block-level children.
        if layout_cell || matches!(name, "div" | "body" | "section" | "article" | "main") {
            for run in inline_runs(el) {
                raw_blocks.push((BlockKind::Paragraph, run, Vec::new()));
            }
        }
        let children: Vec<ElementRef> = el.children().filter_map(ElementRef::wrap).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, true)));
    }
    let raw_cites = markup_cites(&html, &region);
    // The tree is not needed again: free it before the blocks are placed in the source (on a
    // 20 MB article it is the largest thing held).
    drop(html);
    let mut lines = LineIndex::new(source);
    let mut blocks = Vec::new();
    // Blocks are looked for from the `<body>` on: the `<head>` repeats the lead and the source
    // line in its description and would take their lines.
    let mut cursor = body_start(source);
    let mut seen_title = false;
    if !raw_blocks.iter().any(|(k, _, _)| *k == BlockKind::Title) {
        if let Some(t) = title_tag.filter(|t| !t.is_empty()) {
            raw_blocks.insert(0, (BlockKind::Title, t.clone(), vec![t]));
        }
    }
    for (mut kind, text, nodes) in raw_blocks {
        if kind == BlockKind::Title {
            if seen_title {
                kind = BlockKind::Heading;
            }
            seen_title = true;
        }
        let (offset, found) = locate_block(source, &text, &nodes, cursor);
        if found {
            cursor = offset;
        }
        let (line, column) = lines.line_col(offset);
        blocks.push(Block::new(kind, text, line, column));
    }
    let mut links = Vec::new();
    let mut cursor = body_start(source);
    for (text, url) in raw_links {
        let (offset, found) = locate_link(source, &url, &text, cursor);
        if found {
            cursor = offset;
        }
        let (line, column) = lines.line_col(offset);
        links.push(Link {
            text,
            url,
            line,
            column,
        });
    }
    let mut cites = Vec::new();
    let mut cursor = 0usize;
    for (text, url, probe) in raw_cites {
        let (offset, found) = locate(source, &probe, cursor);
        if found {
            cursor = offset;
        }
        let (line, column) = lines.line_col(offset);
        cites.push(Link {
            text,
            url,
            line,
            column,
        });
    }
    blocks.shrink_to_fit();
    (blocks, links, cites)
}

/// Letters of `s` (links are weighed against text by letters, not bytes or spaces).
fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

/// Whether `el` reads as a row or list of links (a menu, related stories) rather than text that
/// cites: its links hold at least 80% of its letters.
fn is_link_list(el: ElementRef) -> bool {
    let total: usize = visible_text(el).map(letters).sum();
    if total == 0 {
        return false;
    }
    let linked: usize = el
        .select(&a_selector())
        .map(|a| a.text().map(letters).sum::<usize>())
        .sum();
    linked * 10 >= total * 8
}

/// The row a link sits in: the text around it up to the nearest `<br>` or block-level
/// element on each side (climbing out of inline wrappers such as `<b>` or `<font>`), and
/// whether links hold at least 80% of that row's letters (`·<a>headline</a>（date）<br>`).
struct LinkRow {
    text: String,
    is_links: bool,
}

fn link_row(a: ElementRef) -> LinkRow {
    let is_inline = |n: &Node| match n {
        Node::Element(e) => INLINE.contains(&e.name()) || e.name() == "img",
        Node::Text(_) | Node::Comment(_) => true,
        _ => false,
    };
    // The outermost inline ancestor whose parent is not inline: the row's unit.
    let mut unit = *a;
    while let Some(parent) = unit.parent() {
        match parent.value() {
            Node::Element(e) if INLINE.contains(&e.name()) => unit = parent,
            _ => break,
        }
    }
    let mut ordered = Vec::new();
    let mut prev = unit.prev_sibling();
    while let Some(n) = prev.filter(|n| is_inline(n.value())) {
        ordered.push(n);
        prev = n.prev_sibling();
    }
    ordered.reverse();
    ordered.push(unit);
    let mut next = unit.next_sibling();
    while let Some(n) = next.filter(|n| is_inline(n.value())) {
        ordered.push(n);
        next = n.next_sibling();
    }
    let (mut total, mut linked) = (0usize, 0usize);
    let mut text = String::new();
    // Ancestors up to the row's container are searched for a link.
    let row_parent = unit.parent().map_or(unit.id(), |p| p.id());
    for n in ordered {
        for d in n.descendants() {
            if let Node::Text(t) = d.value() {
                let l = letters(t);
                total += l;
                let in_link = d
                    .ancestors()
                    .take_while(|x| x.id() != row_parent)
                    .any(|x| x.value().as_element().is_some_and(|e| e.name() == "a"));
                if in_link {
                    linked += l;
                }
                text.push_str(t);
            }
        }
    }
    LinkRow {
        text: collapse(&text),
        is_links: total > 0 && linked * 10 >= total * 8,
    }
}

/// A link in a row of links still cites when its block is a source line (`来源：<a>X</a>`),
/// when it sits under a "Sources" heading, or when it shows its own address (a bare URL).
fn keeps_links(link_text: &str, block_text: &str, under_sources: bool) -> bool {
    under_sources
        || link_text.starts_with("http://")
        || link_text.starts_with("https://")
        || (!block_text.is_empty() && crate::cite::is_source_line(block_text))
}

/// Byte offset of the `<body` tag (any case), or 0.
fn body_start(source: &str) -> usize {
    let bytes = source.as_bytes();
    bytes
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<body"))
        .unwrap_or(0)
}

/// Headings of an article's own source list.
fn is_sources_heading(text: &str) -> bool {
    const HEADINGS: &[&str] = &[
        "source",
        "sources",
        "reference",
        "references",
        "citations",
        "notes",
        "footnotes",
        "further reading",
        "参考资料",
        "参考文献",
        "参考",
        "资料来源",
        "信源",
        "来源",
        "參考資料",
        "參考文獻",
        "資料來源",
        "來源",
        "信源来自",
        "出处",
        "出處",
    ];
    let t = text
        .trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase();
    HEADINGS.contains(&t.as_str())
}

/// Inline elements whose text belongs to the surrounding run of text.
const INLINE: &[&str] = &[
    "span", "a", "b", "i", "em", "strong", "small", "u", "s", "sup", "sub", "code", "mark", "time",
    "abbr", "font", "q", "cite", "big", "tt", "label", "ins", "del",
];

/// The runs of text directly inside `el`: text nodes and inline elements, split at its
/// block-level children (which are blocks of their own) and at `<br>`.
fn inline_runs(el: ElementRef) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, runs: &mut Vec<String>| {
        let text = collapse(current);
        if !text.is_empty() {
            runs.push(text);
        }
        current.clear();
    };
    for child in el.children() {
        match child.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) if INLINE.contains(&e.name()) => match ElementRef::wrap(child) {
                // A `<span>` holding paragraphs is a container: its blocks speak for it.
                Some(inline) if !holds_blocks(inline) => current.extend(visible_text(inline)),
                _ => flush(&mut current, &mut runs),
            },
            Node::Element(_) => flush(&mut current, &mut runs),
            _ => {}
        }
    }
    flush(&mut current, &mut runs);
    runs
}

/// The text nodes under `el` that a reader sees: not those inside a `<script>`, `<style>` or
/// another element of `SKIPPED` (a `<td>` of an old portal holds its ad scripts inline).
fn visible_text<'a>(el: ElementRef<'a>) -> impl Iterator<Item = &'a str> + 'a {
    let root = el.id();
    el.descendants().filter_map(move |n| match n.value() {
        Node::Text(t) => {
            let hidden = n.ancestors().take_while(|a| a.id() != root).any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| SKIPPED.contains(&e.name()))
            });
            (!hidden).then_some(&**t)
        }
        _ => None,
    })
}

/// Whether `el` has a block-level element (one that forms blocks of its own) inside it.
fn holds_blocks(el: ElementRef) -> bool {
    el.descendants().any(|n| {
        n.value().as_element().is_some_and(|e| {
            matches!(
                e.name(),
                "p" | "div"
                    | "li"
                    | "ul"
                    | "ol"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "blockquote"
                    | "table"
                    | "section"
                    | "article"
                    | "figcaption"
                    | "dd"
                    | "dt"
            )
        })
    })
}

/// `cite="url"` attributes (text empty: the quoted words are already a block) and `<cite>`
/// elements (text the outlet or headline, url of a link inside or around it), outside skipped
/// page furniture, in document order. Each comes with the text to locate it by in the source.
fn markup_cites(
    html: &Html,
    region: &crate::extract::region::ArticleRegion,
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for node in html.root_element().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let name = el.value().name();
        if !matches!(name, "blockquote" | "q" | "cite") {
            continue;
        }
        let skipped = std::iter::once(el.value())
            .chain(el.ancestors().filter_map(|a| a.value().as_element()))
            .any(|e| SKIPPED.contains(&e.name()) || region.is_furniture(e));
        let in_article = !region.is_restricted()
            || std::iter::once(el.value())
                .chain(el.ancestors().filter_map(|a| a.value().as_element()))
                .any(|e| region.opens(e));
        if skipped || !in_article {
            continue;
        }
        if name == "cite" {
            let text = collapse(&el.text().collect::<String>());
            if text.is_empty() {
                continue;
            }
            let inner = el
                .select(&a_selector())
                .filter_map(|a| a.value().attr("href"))
                .find(|h| is_web_url(h));
            let around = el
                .parent()
                .and_then(|p| p.value().as_element())
                .filter(|e| e.name() == "a")
                .and_then(|e| e.attr("href"))
                .filter(|h| is_web_url(h));
            let url = inner.or(around).unwrap_or_default().to_string();
            out.push((text.clone(), url, text));
        } else if let Some(url) = el.value().attr("cite").map(str::trim) {
            if is_web_url(url) {
                out.push((String::new(), url.to_string(), url.to_string()));
            }
        }
    }
    out
}

fn is_web_url(href: &str) -> bool {
    href.starts_with("http://") || href.starts_with("https://")
}

/// 1-based line and column of byte offsets, linear over a run of increasing offsets: a long
/// page with thousands of blocks must not recount its text for each one.
struct LineIndex<'a> {
    source: &'a str,
    /// Byte offsets where each line starts.
    starts: Vec<usize>,
    /// The last offset asked for, its line index and column, to count on from.
    last: (usize, usize, usize),
}

impl<'a> LineIndex<'a> {
    fn new(source: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            source,
            starts,
            last: (0, 0, 1),
        }
    }

    fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_line, last_col) = self.last;
        let column = if line == last_line && offset >= last_offset {
            last_col + self.source[last_offset..offset].chars().count()
        } else {
            1 + self.source[self.starts[line]..offset].chars().count()
        };
        self.last = (offset, line, column);
        (line + 1, column)
    }
}

fn a_selector() -> scraper::Selector {
    scraper::Selector::parse("a[href]").expect("static selector is valid")
}

/// Where a block starts in the source: its whole text, else its text nodes one by one (markup
/// such as `据<a>新华社</a>报道` splits the text), walking back from the first node found to
/// the block's first node; else the probes of [`locate`].
fn locate_block(source: &str, text: &str, nodes: &[String], cursor: usize) -> (usize, bool) {
    let rest = source.get(cursor..).unwrap_or("");
    if let Some(i) = rest.find(text) {
        return (cursor + i, true);
    }
    let first = nodes.iter().map(|n| n.trim()).find(|n| !n.is_empty());
    for (k, node) in nodes.iter().enumerate() {
        let node = node.trim();
        if node.chars().count() < 2 {
            continue;
        }
        if let Some(i) = rest.find(node) {
            if k > 0 {
                if let Some(j) = first.and_then(|f| rest[..i].rfind(f)) {
                    return (cursor + j, true);
                }
            }
            return (cursor + i, true);
        }
    }
    locate(source, text, cursor)
}

/// Byte offset of `text`'s start in `source` at or after `cursor` (falling back to anywhere),
/// matched on its first few characters since markup may interrupt the rest.
/// Where a link with this URL and text is written: the first place from `cursor` where the
/// URL is followed closely by the text (an image link to the same page may come first: a
/// portal's logo before its `来源：[<a>人民网</a>]`), else where [`locate`] finds the URL.
fn locate_link(source: &str, url: &str, text: &str, cursor: usize) -> (usize, bool) {
    /// How far after the URL the link's text may start (attributes, `<font>` wrappers).
    const TEXT_WITHIN_BYTES: usize = 300;
    /// Occurrences of the URL looked at before the first is taken.
    const MAX_TRIES: usize = 20;
    let text = text.trim();
    if !text.is_empty() {
        let mut from = cursor;
        for _ in 0..MAX_TRIES {
            let Some(i) = source.get(from..).and_then(|s| s.find(url)) else {
                break;
            };
            let at = from + i;
            let after = at + url.len();
            let mut end = (after + TEXT_WITHIN_BYTES).min(source.len());
            while !source.is_char_boundary(end) {
                end -= 1;
            }
            // The link's own text: up to its closing tag.
            let window = &source[after..end];
            let window = match window.find("</a").or_else(|| window.find("</A")) {
                Some(close) => &window[..close],
                None => window,
            };
            if window.contains(text) {
                return (at, true);
            }
            from = after;
        }
    }
    locate(source, url, cursor)
}

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
    fn a_link_is_placed_where_its_text_follows_its_url() {
        let source = "<a href='http://p.test/'><img src='logo.gif'></a>\n<p>来源：[ <a href='http://p.test/'><font>人民网</font></a> ]</p>";
        let (at, found) = locate_link(source, "http://p.test/", "人民网", 0);
        assert!(found);
        assert_eq!(crate::document::line_col(source, at).0, 2);
        // No text near any occurrence: the first occurrence.
        let (at, _) = locate_link(source, "http://p.test/", "新华社", 0);
        assert_eq!(crate::document::line_col(source, at).0, 1);
    }

    #[test]
    fn blocks_and_links_with_lines() {
        let src = "<html><head><title>T - Site</title></head><body>\n<nav><a href=\"https://x.com\">Home</a></nav>\n<h1>Headline</h1>\n<p>First <b>para</b>, per <a href=\"https://www.reuters.com/x\">Reuters</a>.</p>\n<footer>c</footer></body></html>";
        let (blocks, links, _) = parse(src);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].kind, BlockKind::Title);
        assert_eq!(blocks[0].line, 3);
        assert_eq!(blocks[1].text, "First para, per Reuters.");
        assert_eq!(blocks[1].line, 4);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].line, 4);
    }

    #[test]
    fn a_layout_cell_of_paragraphs_is_read_paragraph_by_paragraph() {
        let src = "<html><body><table><tr><td class=cj20>\n<br>\n\
                   <P>　　第一段，据新华社报道，港口恢复作业。</P>\n\
                   <P>　　第二段，据人民日报报道，吞吐量增长。</P>\n\
                   </td></tr></table></body></html>";
        let (blocks, _, _) = parse(src);
        let at: Vec<(&str, usize)> = blocks.iter().map(|b| (b.text.as_str(), b.line)).collect();
        assert_eq!(
            at,
            vec![
                ("第一段，据新华社报道，港口恢复作业。", 3),
                ("第二段，据人民日报报道，吞吐量增长。", 4)
            ]
        );
        // A cell of text alone is still one block, `<br>` lines and all.
        let (blocks, _, _) = parse(
            "<html><body><table><tr><td>据新华社报道，港口恢复作业。<br>\n吞吐量增长。</td></tr></table></body></html>",
        );
        assert_eq!(blocks.len(), 1, "{blocks:?}");
    }

    #[test]
    fn text_in_inline_elements_inside_a_div_is_a_block() {
        let (blocks, links, _) = parse(
            "<html><body><div><span>据新华社报道，港口吞吐量增长5%。</span></div>\n\
             <div>Per <a href=\"https://apnews.com/x\">AP</a>, rates rose.<p>Own block.</p>Tail.</div>\
             </body></html>",
        );
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            texts.contains(&"据新华社报道，港口吞吐量增长5%。"),
            "{texts:?}"
        );
        assert!(texts.contains(&"Per AP, rates rose."), "{texts:?}");
        assert!(texts.contains(&"Own block."), "{texts:?}");
        assert!(texts.contains(&"Tail."), "{texts:?}");
        assert_eq!(links.len(), 1);
        assert_eq!(blocks[0].line, 1);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 20_000;
        let src = format!(
            "{}<p>x</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let (blocks, _, _) = parse(&src);
        assert!(!blocks.is_empty());
    }

    #[test]
    fn cite_attributes_and_elements() {
        let src = "<html><body>\n<h1>T</h1>\n<blockquote cite=\"https://www.reuters.com/a\"><p>Words.</p></blockquote>\n<p>He said <q cite=\"https://apnews.com/b\">no</q>, per <cite>Reuters</cite>.</p>\n<footer><cite>Hidden</cite></footer></body></html>";
        let (_, _, cites) = parse(src);
        let got: Vec<(&str, &str, usize)> = cites
            .iter()
            .map(|c| (c.text.as_str(), c.url.as_str(), c.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("", "https://www.reuters.com/a", 3),
                ("", "https://apnews.com/b", 4),
                ("Reuters", "", 4),
            ]
        );
    }

    #[test]
    fn line_index_counts_characters() {
        let src = "ab\n中文x\ny";
        let mut idx = LineIndex::new(src);
        assert_eq!(idx.line_col(9), (2, 3));
        assert_eq!(idx.line_col(8), (2, 2));
        assert_eq!(idx.line_col(11), (3, 1));
        assert_eq!(idx.line_col(0), (1, 1));
    }
}
