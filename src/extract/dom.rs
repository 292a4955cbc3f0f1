//! A flat, document-ordered copy of the parsed tree, and the tag and class rules every pass shares.
//!
//! Every pass of the extractor walks the same tree. Copying it once into a preorder array makes
//! each subtree a contiguous index range, so "skip this subtree" is a jump, "bottom-up" is a
//! reverse loop, and no pass needs recursion (deeply nested input cannot overflow the stack).

use scraper::node::Element;
use scraper::{Html, Node};

/// Parent index of the root.
pub(crate) const NONE: usize = usize::MAX;

/// Inside an element whose text a reader never sees as article text (script, nav, footer...).
pub(crate) const IN_SKIPPED: u8 = 1;
/// Inside a `<header>`: the byline lives there, but it is not body text.
pub(crate) const IN_HEADER: u8 = 2;
/// Inside an element whose class or id marks it as comments, related links, sidebar and the like.
pub(crate) const IN_PENALISED: u8 = 4;
/// Inside a picture caption (`<figcaption>`, `class="caption"`) or an author's biography box:
/// Readability keeps them in the article container, a reader does not read them as the article.
/// Only the body leaves them out; the byline search still reads them.
pub(crate) const IN_FURNITURE: u8 = 8;

pub(crate) enum Kind<'a> {
    Element(&'a Element),
    Text(&'a scraper::node::Text),
    Other,
}

pub(crate) struct Item<'a> {
    pub parent: usize,
    /// One past the last index of this node's subtree.
    pub end: usize,
    pub kind: Kind<'a>,
    /// `IN_*` bits, inherited from the ancestors.
    pub flags: u8,
    /// Non-whitespace characters of text in the subtree, whatever the flags.
    pub chars: usize,
}

pub(crate) struct Dom<'a> {
    pub items: Vec<Item<'a>>,
}

impl<'a> Dom<'a> {
    pub fn new(html: &'a Html) -> Self {
        // Sized once: on a page of a few hundred thousand nodes, growing by doubling would
        // hold up to twice the array at its peak.
        let mut items: Vec<Item<'a>> = Vec::with_capacity(html.tree.nodes().count());
        let mut stack = vec![(html.tree.root(), NONE)];
        while let Some((node, parent)) = stack.pop() {
            let index = items.len();
            let kind = match node.value() {
                Node::Element(e) => Kind::Element(e),
                Node::Text(t) => Kind::Text(t),
                _ => Kind::Other,
            };
            let inherited = if parent == NONE {
                0
            } else {
                items[parent].flags
            };
            let own = match &kind {
                Kind::Element(e) => element_flags(e),
                _ => 0,
            };
            let chars = match &kind {
                Kind::Text(t) => t.chars().filter(|c| !c.is_whitespace()).count(),
                _ => 0,
            };
            items.push(Item {
                parent,
                end: index + 1,
                kind,
                flags: inherited | own,
                chars,
            });
            for child in node.children().rev() {
                stack.push((child, index));
            }
        }
        // Children come after their parent, so a reverse loop sees every subtree complete.
        for i in (0..items.len()).rev() {
            let parent = items[i].parent;
            if parent != NONE {
                if items[i].end > items[parent].end {
                    items[parent].end = items[i].end;
                }
                items[parent].chars += items[i].chars;
            }
        }
        Dom { items }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn element(&self, i: usize) -> Option<&'a Element> {
        match self.items[i].kind {
            Kind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn tag(&self, i: usize) -> Option<&'a str> {
        self.element(i).map(|e| e.name())
    }

    /// All text inside node `i`, whitespace collapsed.
    pub fn text_of(&self, i: usize) -> String {
        let mut raw = String::new();
        for item in &self.items[i..self.items[i].end] {
            if let Kind::Text(t) = item.kind {
                raw.push_str(t);
            }
        }
        clean_text(&raw)
    }

    /// The direct element children of `i`, in order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.items[i].end;
        let mut next = i + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let current = next;
            next = self.items[current].end;
            Some(current)
        })
    }
}

/// The value of attribute `name` of `e`. `Element::attr` turns the name into an interned atom on
/// every call (a global set lookup, and an insert and removal for names such as `data-testid`);
/// reading the attributes as strings costs a few comparisons instead.
pub(crate) fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
}

fn element_flags(e: &Element) -> u8 {
    let name = e.name();
    if is_skipped_tag(name) || is_hidden(e) {
        return IN_SKIPPED;
    }
    let mut flags = 0;
    if name == "header" {
        flags |= IN_HEADER;
    }
    let tokens = class_tokens(e);
    if name != "html" && name != "body" && is_penalised_tokens(&tokens) {
        flags |= IN_PENALISED;
    }
    if name == "figcaption" || tokens.iter().any(|t| is_furniture_token(t)) {
        flags |= IN_FURNITURE;
    }
    flags
}

/// Elements whose content is never article text.
///
/// `<form>` is not in the list on purpose: ASP.NET sites wrap the whole page in one, and the
/// controls inside a form (`button`, `select`, `textarea`) are skipped anyway.
fn is_skipped_tag(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "footer"
            | "aside"
            | "iframe"
            | "svg"
            | "button"
            | "select"
            | "textarea"
            | "object"
            | "canvas"
            | "dialog"
            | "menu"
    )
}

fn is_hidden(e: &Element) -> bool {
    if attr(e, "hidden").is_some() {
        return true;
    }
    if let Some(role) = attr(e, "role") {
        let role = role.trim().to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation" | "complementary" | "contentinfo" | "menu" | "menubar" | "dialog"
        ) {
            return true;
        }
    }
    if let Some(style) = attr(e, "style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// Tags whose text belongs to the block around them rather than forming a block of their own.
pub(crate) fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "big"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "img"
            | "ins"
            | "kbd"
            | "label"
            | "mark"
            | "nobr"
            | "picture"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    )
}

/// Attributes whose values name what an element is for.
const NAMING_ATTRS: &[&str] = &["class", "id", "data-testid", "data-component", "aria-label"];

/// The lower-cased words of an element's class, id, test id and label. Each class name also
/// appears with its separators removed, so `most-read` is seen as `mostread` too.
fn class_tokens(e: &Element) -> Vec<String> {
    let mut tokens = Vec::new();
    for (_, value) in e.attrs().filter(|(name, _)| NAMING_ATTRS.contains(name)) {
        let value = value.to_lowercase();
        for name in value.split_whitespace() {
            let mut joined = String::new();
            for token in name.split(|c: char| !c.is_alphanumeric()) {
                if !token.is_empty() {
                    joined.push_str(token);
                    tokens.push(token.to_string());
                }
            }
            if joined.len() < name.len() && !joined.is_empty() {
                tokens.push(joined);
            }
        }
    }
    tokens
}

/// Words that mark comments, related lists and the like, whatever else the class says.
const STRONG_PENALTY: &[&str] = &[
    "comment",
    "related",
    "recommend",
    "reply",
    "replies",
    "newsletter",
    "subscribe",
    "sidebar",
    "breadcrumb",
    "copyright",
    "cmnt",
    "disqus",
    "评论",
    "撰写",
    "相关",
    "推荐",
    "trending",
    "popular",
    "mostread",
    "hotnews",
    "hotlist",
    "ranking",
    "advert",
    "sponsor",
    "promo",
    "navbar",
    "navigation",
    "footer",
    "relate",
    "mostread",
];

/// Whole words that mark boilerplate unless the class also says it holds content.
const WEAK_PENALTY: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "hot",
    "rank",
    "tag",
    "tags",
    "share",
    "sharing",
    "social",
    "nav",
    "menu",
    "side",
    "foot",
    "widget",
    "popup",
    "modal",
    "cookie",
    "login",
    "more",
    "tie",
    "pager",
    "pagination",
    "banner",
    "toolbar",
    "tool",
    "tools",
    "print",
    "gotop",
];

/// Parts of class names of caption and author-biography boxes (`media-caption`,
/// `entry-author-bio`, `about-the-author`, `post-author`).
const FURNITURE: &[&str] = &[
    "caption",
    "authorbio",
    "aboutauthor",
    "abouttheauthor",
    "authorbox",
    "authorexcerpt",
    "authorcontent",
    "authorcard",
    "authorprofile",
    "authordesc",
    "postauthor",
    "entryauthor",
];

fn is_furniture_token(token: &str) -> bool {
    token == "bio" || FURNITURE.iter().any(|f| token.contains(f))
}

/// Words in a class or id that suggest the element holds the article.
const BONUS: &[&str] = &[
    "article", "content", "post", "story", "body", "text", "detail", "main", "entry", "正文",
    "editor", "ozoom",
];

/// Short whole words for the same (pinyin abbreviations common on Chinese portals).
const BONUS_EXACT: &[&str] = &["zw", "txt", "con", "cont", "trs", "artibody"];

fn has_bonus_tokens(tokens: &[String]) -> bool {
    tokens
        .iter()
        .any(|t| BONUS_EXACT.contains(&t.as_str()) || BONUS.iter().any(|b| t.contains(b)))
}

fn is_penalised_tokens(tokens: &[String]) -> bool {
    if tokens.is_empty() {
        return false;
    }
    if tokens
        .iter()
        .any(|t| STRONG_PENALTY.iter().any(|p| t.contains(p)))
    {
        return true;
    }
    tokens.iter().any(|t| WEAK_PENALTY.contains(&t.as_str())) && !has_bonus_tokens(tokens)
}

/// A score multiplier for elements whose class, id or microdata says they hold the article.
///
/// It multiplies rather than adds, so a page-wide wrapper called `main-content` cannot beat the
/// container that actually holds the paragraphs just because of its name.
pub(crate) fn class_bonus(e: &Element) -> f64 {
    let mut factor = 1.0;
    if attr(e, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")) {
        factor += 0.5;
    }
    if has_bonus_tokens(&class_tokens(e)) {
        factor += 0.25;
    }
    if e.name() == "article" || e.name() == "main" {
        factor += 0.1;
    }
    factor
}

/// The text of an element that names where the article comes from (`<span class="source">`).
pub(crate) fn is_source_box(e: &Element) -> bool {
    class_tokens(e)
        .iter()
        .any(|t| t == "source" || t == "media" || t == "medianame")
}

/// Reference and footnote lists (`<section class="footnotes">`, `<ol class="references">`):
/// an article's own list of its sources, wherever the body container ends.
pub(crate) fn is_reference_box(e: &Element) -> bool {
    const REFERENCES: &[&str] = &[
        "footnote",
        "footnotes",
        "reference",
        "references",
        "sources",
        "citations",
        "endnotes",
        "bibliography",
    ];
    class_tokens(e)
        .iter()
        .any(|t| REFERENCES.contains(&t.as_str()))
}

/// Byline and metadata boxes (`<div class="info">来源: … 2024-10-22</div>`) inside the content.
pub(crate) fn is_meta_box(e: &Element) -> bool {
    const META: &[&str] = &[
        "byline", "meta", "author", "dateline", "date", "time", "pubtime", "source", "info",
        "infos", "publish", "caption", "credit", "editor",
    ];
    // "editor" here is the credit line; a whole-body `TRS_Editor` is long and fails the size
    // check the caller applies.
    class_tokens(e).iter().any(|t| META.contains(&t.as_str()))
}

/// True for Han characters and CJK punctuation: no spaces are needed between them.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
            | 0x20000..=0x2FA1F)
}

/// Collapses whitespace runs to one space and trims. A run that holds a line break between two
/// CJK characters is dropped: it is source formatting, since Chinese puts no spaces between words.
pub(crate) fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    let mut pending_break = false;
    // Runs of visible characters are copied whole, not char by char.
    let mut run: Option<usize> = None;
    for (i, c) in raw.char_indices() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            if let Some(start) = run.take() {
                out.push_str(&raw[start..i]);
            }
            pending_space = true;
            pending_break |= c == '\n' || c == '\r';
            continue;
        }
        if run.is_some() {
            continue;
        }
        if pending_space && !out.is_empty() {
            let prev = out.chars().next_back().expect("out is not empty");
            if !(pending_break && is_cjk(prev) && is_cjk(c)) {
                out.push(' ');
            }
        }
        pending_space = false;
        pending_break = false;
        run = Some(i);
    }
    if let Some(start) = run {
        out.push_str(&raw[start..]);
    }
    out
}

/// A block of visible text: a paragraph, list item, heading or a `<br>`-separated line.
#[derive(Debug, Clone)]
pub(crate) struct TextBlock {
    pub text: String,
    /// Non-whitespace characters in the block.
    pub chars: usize,
    /// Non-whitespace characters inside links.
    pub link_chars: usize,
    /// Index of the block's first text node.
    pub start: usize,
}

impl TextBlock {
    pub fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

/// What a walk leaves out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk {
    /// `IN_*` bits of regions to leave out.
    pub exclude: u8,
    /// Leave out `<h1>` (the title is reported separately) and small byline boxes.
    pub body_only: bool,
}

/// Splits the subtree at `root` into blocks of text at every block-level element and `<br>`.
pub(crate) fn walk_blocks(dom: &Dom<'_>, root: usize, walk: Walk) -> Vec<TextBlock> {
    let mut blocks = Vec::new();
    let mut buf = String::new();
    let mut chars = 0;
    let mut link_chars = 0;
    let mut start = root;
    // Open elements as (end index, is a link).
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut links_open = 0usize;

    let mut flush = |buf: &mut String, chars: &mut usize, link_chars: &mut usize, start: usize| {
        if *chars > 0 {
            blocks.push(TextBlock {
                text: clean_text(buf),
                chars: *chars,
                link_chars: *link_chars,
                start,
            });
        }
        buf.clear();
        *chars = 0;
        *link_chars = 0;
    };

    let end = dom.items[root].end;
    let mut i = root;
    while i < end {
        while let Some(&(close, is_link)) = open.last() {
            if close > i {
                break;
            }
            open.pop();
            if is_link {
                links_open -= 1;
            } else {
                flush(&mut buf, &mut chars, &mut link_chars, start);
            }
        }
        let item = &dom.items[i];
        if item.flags & walk.exclude != 0 && i != root {
            i = item.end;
            continue;
        }
        match item.kind {
            Kind::Text(t) => {
                let n = item.chars;
                if n > 0 && chars == 0 {
                    start = i;
                }
                chars += n;
                if links_open > 0 {
                    link_chars += n;
                }
                buf.push_str(t);
            }
            Kind::Element(e) => {
                let name = e.name();
                if walk.body_only
                    && i != root
                    && (name == "h1" || (is_meta_box(e) && item.chars < 200))
                {
                    i = item.end;
                    continue;
                }
                if name == "a" {
                    links_open += 1;
                    open.push((item.end, true));
                } else if !is_inline(name) {
                    flush(&mut buf, &mut chars, &mut link_chars, start);
                    open.push((item.end, false));
                }
            }
            Kind::Other => {}
        }
        i += 1;
    }
    flush(&mut buf, &mut chars, &mut link_chars, start);
    blocks
}
