//! Limits that keep hostile input from stalling a run: how deep HTML may nest before it is
//! flattened, and how many citations one article may hold before `check` refuses it.
//!
//! HTML is parsed by html5ever, whose tree builder scans its stack of open elements on most
//! tags (the spec's "has an element in scope" checks). On a page nested 100,000 levels deep that
//! is quadratic: minutes of CPU for a 1 MB page. Browsers cap the depth of the tree they build
//! (Blink at 512); we do the same before parsing, with a linear scan that tracks an estimate of
//! the parser's stack and keeps anything from nesting deeper than [`MAX_HTML_DEPTH`]. Past the
//! cap, each new element closes the deepest open one and takes its place, so deep content
//! becomes siblings at the cap and keeps its own elements (a `<p>` stays a paragraph). Pages
//! under the cap pass through unchanged and without a copy.
//!
//! The estimate follows the spec's rules for the tags that real pages leave unclosed (`p`,
//! `li`, `dd`, `dt`, `td`, `th`, `tr`, `option`, `a`) and for end tags (block end tags close
//! what is open inside them, other end tags only close through non-special elements), so it
//! errs on the side of counting too deep rather than too shallow: counting too shallow would let
//! a crafted page slip past the cap.

use std::borrow::Cow;
use std::collections::HashMap;

/// Deepest element nesting kept when parsing HTML (articles and source pages).
pub const MAX_HTML_DEPTH: usize = 512;

/// Default cap on the citations of one article that `check` resolves. Each citation costs a
/// search and a fetch; an article with more is refused with a message naming the limit
/// (`run.max_citations` in the config raises it). `extract` has no such cap.
pub const DEFAULT_MAX_CITATIONS: usize = 5_000;

/// `html` with no element nested deeper than `max_depth`: a start tag that would is preceded by
/// the end tag of the deepest open element (whose own end tag is then dropped), so deep content
/// becomes a run of siblings. Borrowed, unchanged, when nothing nests that deep.
pub fn cap_html_depth(html: &str, max_depth: usize) -> Cow<'_, str> {
    let mut scanner = Scanner {
        stack: Vec::new(),
        open: HashMap::new(),
        dropped: HashMap::new(),
        max_depth,
    };
    let bytes = html.as_bytes();
    // Byte ranges replaced (tags cut out, or end tags inserted before a tag), in order.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find(bytes, start + 2, b">").map_or(bytes.len(), |e| e + 1);
            continue;
        }
        let (is_end, name_start) = if rest.starts_with(b"</") {
            (true, start + 2)
        } else {
            (false, start + 1)
        };
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .map_or(bytes.len(), |p| name_start + p);
        let name = html[name_start..name_end].to_ascii_lowercase();
        let Some(tag_end) = tag_end(bytes, name_end) else {
            break;
        };
        let self_closing = bytes[..tag_end - 1].ends_with(b"/");
        if is_end {
            if !scanner.end_tag(&name) {
                edits.push((start, tag_end, String::new()));
            }
        } else if let Some(closed) = scanner.start_tag(&name, self_closing) {
            edits.push((start, start, format!("</{closed}>")));
        }
        i = tag_end;
        if !is_end {
            if name == "plaintext" {
                break;
            }
            if RAW_TEXT.contains(&name.as_str()) {
                // Skip to the matching end tag: its content is not markup.
                i = find_end_tag(bytes, i, name.as_bytes()).unwrap_or(bytes.len());
            }
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut last = 0;
    for (s, e, replacement) in edits {
        out.push_str(&html[last..s]);
        out.push_str(&replacement);
        last = e;
    }
    out.push_str(&html[last..]);
    Cow::Owned(out)
}

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "image",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// The spec's "special" elements: "any other end tag" stops at them.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Start tags that close an open `<p>` in button scope.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "li",
    "dd",
    "dt",
    "xmp",
    "plaintext",
];

/// End tags that close everything open inside them when they are in scope.
const BLOCK_END: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
    "li",
    "p",
    "dd",
    "dt",
    "form",
    "td",
    "th",
    "tr",
    "tbody",
    "thead",
    "tfoot",
    "table",
    "caption",
    "select",
    "svg",
    "math",
];

/// Scope boundaries of the spec's "has an element in scope".
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

/// One element on the estimated stack, with its name's classes looked up once.
struct Open {
    name: String,
    special: bool,
    scope: bool,
}

/// Where an implied close stops looking for the element it closes.
#[derive(Clone, Copy)]
enum Stop {
    /// Only at the given boundaries and `template` (table scope).
    Table,
    /// At scope boundaries (`p` in button scope).
    Scope,
    /// At scope boundaries and special elements other than `address`, `div` and `p`.
    Special,
}

struct Scanner {
    /// Estimated stack of open elements (html, head and body are not counted).
    stack: Vec<Open>,
    /// How many elements of each name are on `stack`, so that a close of something not open
    /// costs nothing (on a deep page a walk down the stack for every tag would be slow).
    open: HashMap<String, usize>,
    /// Elements closed early for depth, by name, so their own end tags are dropped.
    dropped: HashMap<String, usize>,
    max_depth: usize,
}

impl Scanner {
    /// Takes a start tag; returns the name of an element to close before it, when the tag
    /// would nest deeper than the cap: the deepest open element is closed and the new one
    /// takes its place, as a sibling (what Blink does), so its content keeps its own element.
    fn start_tag(&mut self, name: &str, self_closing: bool) -> Option<String> {
        if matches!(name, "html" | "head" | "body") || VOID.contains(&name) {
            return None;
        }
        if self_closing && (self.is_open("svg") || self.is_open("math")) {
            return None;
        }
        match name {
            "li" => self.close_same(&["li"], &["ul", "ol"], Stop::Special),
            "dd" | "dt" => self.close_same(&["dd", "dt"], &["dl"], Stop::Special),
            "td" | "th" => self.close_same(&["td", "th"], &["tr", "table"], Stop::Table),
            "tr" => self.close_same(&["tr"], &["table"], Stop::Table),
            "tbody" | "thead" | "tfoot" => {
                self.close_same(&["tbody", "thead", "tfoot"], &["table"], Stop::Table)
            }
            "option" | "optgroup" => {
                while self.stack.last().is_some_and(|n| {
                    n.name == "option" || (name == "optgroup" && n.name == "optgroup")
                }) {
                    self.pop();
                }
            }
            "a" => self.close_through_phrasing("a"),
            _ => {}
        }
        if CLOSES_P.contains(&name) {
            self.close_same(&["p"], &["button"], Stop::Scope);
        }
        if is_heading(name) && self.stack.last().is_some_and(|n| is_heading(&n.name)) {
            self.pop();
        }
        let mut closed = None;
        if self.stack.len() >= self.max_depth.max(1) {
            if let Some(top) = self.stack.last().map(|o| o.name.clone()) {
                self.pop();
                // Its own end tag, later in the input, is then dropped.
                *self.dropped.entry(top.clone()).or_default() += 1;
                closed = Some(top);
            }
        }
        *self.open.entry(name.to_string()).or_default() += 1;
        self.stack.push(Open {
            name: name.to_string(),
            special: SPECIAL.contains(&name),
            scope: SCOPE.contains(&name),
        });
        closed
    }

    /// Whether to keep this end tag.
    fn end_tag(&mut self, name: &str) -> bool {
        if let Some(n) = self.dropped.get_mut(name).filter(|n| **n > 0) {
            *n -= 1;
            return false;
        }
        if matches!(name, "html" | "head" | "body") {
            return true;
        }
        if is_heading(name) {
            if ["h1", "h2", "h3", "h4", "h5", "h6"]
                .iter()
                .any(|h| self.is_open(h))
            {
                self.pop_to(|o| is_heading(&o.name), |o| o.scope);
            }
        } else if BLOCK_END.contains(&name) {
            if self.is_open(name) {
                self.pop_to(|o| o.name == name, |o| o.scope);
            }
        } else {
            self.close_through_phrasing(name);
        }
        true
    }

    fn is_open(&self, name: &str) -> bool {
        self.open.get(name).is_some_and(|n| *n > 0)
    }

    fn pop(&mut self) {
        if let Some(o) = self.stack.pop() {
            if let Some(n) = self.open.get_mut(&o.name) {
                *n -= 1;
            }
        }
    }

    /// Pops everything down to and including the nearest element `hit` accepts, unless an
    /// element `stop` accepts comes first (then nothing is popped).
    fn pop_to(&mut self, hit: impl Fn(&Open) -> bool, stop: impl Fn(&Open) -> bool) {
        for i in (0..self.stack.len()).rev() {
            let open = &self.stack[i];
            if hit(open) {
                while self.stack.len() > i {
                    self.pop();
                }
                return;
            }
            if stop(open) {
                return;
            }
        }
    }

    /// Pops to the nearest open element named in `names`, unless a `boundary` (or what
    /// `stop` says) comes first.
    fn close_same(&mut self, names: &[&str], boundary: &[&str], stop: Stop) {
        if !names.iter().any(|n| self.is_open(n)) {
            return;
        }
        self.pop_to(
            |o| names.contains(&o.name.as_str()),
            |o| {
                boundary.contains(&o.name.as_str())
                    || match stop {
                        Stop::Table => o.name == "template",
                        Stop::Scope => o.scope,
                        // `li` closes an open `li` through `div`, `address` and `p`, but no
                        // other special element (the spec's rule; `dd` and `dt` alike).
                        Stop::Special => {
                            o.scope
                                || (o.special
                                    && !matches!(o.name.as_str(), "address" | "div" | "p"))
                        }
                    }
            },
        );
    }

    /// "Any other end tag": pops to `name` when only non-special elements are open above it.
    fn close_through_phrasing(&mut self, name: &str) {
        if self.is_open(name) {
            self.pop_to(|o| o.name == name, |o| o.special);
        }
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The byte after the `>` closing a tag whose name ends at `from`, honouring quoted attributes.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (j, &b) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => {
                // A quote starts a value only right after `=` (allowing spaces).
                let before = bytes[from..j]
                    .iter()
                    .rev()
                    .find(|c| !c.is_ascii_whitespace());
                if before == Some(&b'=') {
                    quote = Some(b);
                }
            }
            None if b == b'>' => return Some(j + 1),
            None => {}
        }
    }
    None
}

/// The start of `</name` (case-insensitive) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = find(bytes, i, b"</") {
        let after = p + 2;
        if bytes
            .get(after..after + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after + name.len())
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            return Some(p);
        }
        i = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_after(html: &str) -> usize {
        let doc = scraper::Html::parse_document(&cap_html_depth(html, 8));
        doc.tree
            .nodes()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn shallow_pages_are_borrowed_unchanged() {
        let page = "<html><body><div><p>one<p>two<ul><li>a<li>b</ul><table><tr><td>x<td>y<tr><td>z</table></div></body></html>";
        assert!(matches!(cap_html_depth(page, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_siblings_do_not_count_as_depth() {
        let mut page = String::from("<html><body>");
        for _ in 0..100 {
            page.push_str("<p>para<li>item<td>cell<tr><option>o<a href=x>link<dd>d");
        }
        assert!(matches!(cap_html_depth(&page, 8), Cow::Borrowed(_)));
        let mut page = String::from("<html><body><ul>");
        for _ in 0..100 {
            page.push_str("<li><span>unclosed span</li>");
        }
        assert!(matches!(cap_html_depth(&page, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_capped_and_text_kept() {
        for unit in [
            "<div>",
            "<div><span>",
            "<ul><li>",
            "<table><tr><td>",
            "<b>",
            "<blockquote>",
            "<div/>",
            "<p><div>",
            "<li><section>",
            "<span><div></span>",
            "<svg><g>",
        ] {
            let html = format!("<html><body>{}deep text</body></html>", unit.repeat(1000));
            let capped = cap_html_depth(&html, 8);
            assert!(capped.contains("deep text"), "{unit}");
            let depth = depth_after(&html);
            // html > body > 8 kept levels, plus the text node and a little slack for the
            // elements the parser inserts itself (tbody).
            assert!(depth <= 16, "{unit}: depth {depth}");
        }
    }

    #[test]
    fn deep_elements_become_siblings_and_their_end_tags_match() {
        let html = format!(
            "<body>{}x{}<p>after</p></body>",
            "<div>".repeat(20),
            "</div>".repeat(20)
        );
        let capped = cap_html_depth(&html, 8);
        assert_eq!(capped.matches("<div>").count(), 20);
        assert_eq!(capped.matches("</div>").count(), 20);
        assert!(capped.contains(&format!("{}</div><div>", "<div>".repeat(8))));
        assert!(capped.contains(&format!("<div>x{}<p>", "</div>".repeat(8))));
        let doc = scraper::Html::parse_document(&capped);
        let p = scraper::Selector::parse("body > p").expect("valid selector");
        assert_eq!(doc.select(&p).count(), 1, "{capped}");
    }

    #[test]
    fn comments_scripts_and_quoted_attributes_are_not_markup() {
        let html = format!(
            "<body><!-- {} --><script>{}</script><div title=\"a>b\">x</div></body>",
            "<div>".repeat(50),
            "if (a<b) { s = '<div>'.repeat(50) }".repeat(20)
        );
        assert!(matches!(cap_html_depth(&html, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "<",
            "</",
            "<a",
            "<a href='",
            "<!--",
            "<script>",
            "<é>",
            "</é",
            "<<<>>>",
        ] {
            let _ = cap_html_depth(s, 2);
        }
    }
}
