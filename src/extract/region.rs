//! Where an HTML *article* (an input to check, not a source page) keeps its own text.
//!
//! A saved news page carries navigation, related-story lists, comment threads, footers and
//! portal link farms around the article, and every link there reads as a citation. The input
//! parser (`document::html`) asks this module which elements hold the article: the container
//! the body scorer picks, the byline and source boxes beside it (`来源：X` often sits above the
//! body), reference and footnote lists, and which subtrees are page furniture by tag, role or
//! class. Elements are named by their address inside the one parsed `Html` both sides share.

use std::collections::HashSet;

use scraper::node::Element;
use scraper::Html;

use super::dom::{
    is_meta_box, is_reference_box, is_source_box, Dom, Kind, IN_PENALISED, IN_SKIPPED, NONE,
};

/// Byline and source boxes outside the body are short; a long box is page text of its own.
const MAX_SIDE_BOX_CHARS: usize = 300;

/// A references heading is a word or two.
const MAX_REFS_HEADING_CHARS: usize = 12;
/// A reference list longer than this is page text of its own.
const MAX_REFERENCES_CHARS: usize = 20_000;

/// `参考文献`, `参考资料`, `References`, `Sources`: the heading of an article's reference list.
fn is_references_heading(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase();
    [
        "参考文献",
        "參考文獻",
        "参考资料",
        "參考資料",
        "references",
        "bibliography",
        "sources",
        "注释",
        "註釋",
    ]
    .contains(&t.as_str())
}

/// The parts of a parsed page that hold the article.
#[derive(Debug, Default)]
pub(crate) struct ArticleRegion {
    /// The article's container; `None` reads the whole page (minus furniture).
    container: Option<usize>,
    /// Roots of furniture subtrees (navigation, comments, related lists, hidden elements).
    furniture: HashSet<usize>,
    /// Boxes outside the container that still belong to the article (byline, source line,
    /// references).
    kept: HashSet<usize>,
}

/// The address that names element `e` of the shared tree.
pub(crate) fn element_key(e: &Element) -> usize {
    e as *const Element as usize
}

impl ArticleRegion {
    /// Whether the whole subtree of `e` is furniture.
    pub(crate) fn is_furniture(&self, e: &Element) -> bool {
        self.furniture.contains(&element_key(e))
    }

    /// Whether `e` opens the article's own text: the container, or a kept box.
    pub(crate) fn opens(&self, e: &Element) -> bool {
        let key = element_key(e);
        self.container.is_none_or(|c| c == key) || self.kept.contains(&key)
    }

    /// Whether a restriction applies at all.
    pub(crate) fn is_restricted(&self) -> bool {
        self.container.is_some()
    }
}

/// The longest unclassed box outside the container read as the article's source line when its
/// text opens with a source label (an old portal's `<td>来源：21世纪经济报道</td>`, or its date
/// cell `BUSINESS.SOHU.COM 2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]`).
const MAX_SOURCE_CELL_CHARS: usize = 60;

/// Whether `text` opens with a source label: `来源：`, `來源:`, `稿源：`, `Source:`, after a
/// date and time if one comes first. Only a cell or a box is kept this way, never its row or
/// table, whose other cells (`发表评论`) are page furniture.
fn opens_with_source_label(text: &str) -> bool {
    // A portal's date cell may put the time first: `2004-12-10 11:55:08 来源: 网易商业报道`.
    let t = crate::cite::after_leading_datetime(text.trim_start());
    [
        "来源",
        "來源",
        "稿源",
        "新闻来源",
        "文章来源",
        "Source",
        "SOURCE",
    ]
    .iter()
    .any(|label| {
        t.strip_prefix(label)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '：']))
    })
}

/// A short cell that credits the article's source: a source label (after a date, as
/// `opens_with_source_label` reads it), or a dateline ending with its outlets.
fn is_source_cell(text: &str) -> bool {
    opens_with_source_label(text) || crate::cite::is_dated_credit(text)
}

/// The article region of `html`.
pub(crate) fn article_region(html: &Html) -> ArticleRegion {
    let dom = Dom::new(html);
    let container = super::body::find_container(&dom);
    let container = container.filter(|&c| !matches!(dom.tag(c), Some("html" | "body")));
    let mut region = ArticleRegion::default();
    let on_path = |i: usize| container.is_some_and(|c| i <= c && c < dom.items[i].end);
    let in_container = |i: usize| container.is_some_and(|c| c <= i && i < dom.items[c].end);
    // End of the last "参考文献" / "References" heading seen: the box after it is the list.
    let mut refs_heading_end: Option<usize> = None;
    let mut i = 0;
    while i < dom.len() {
        let item = &dom.items[i];
        let Kind::Element(e) = item.kind else {
            i += 1;
            continue;
        };
        if (1..=MAX_REFS_HEADING_CHARS).contains(&item.chars)
            && is_references_heading(&dom.text_of(i))
        {
            refs_heading_end = Some(item.end);
        } else if container.is_some()
            && item.chars > 0
            && refs_heading_end.is_some_and(|end| i >= end)
            && !in_container(i)
            && !on_path(i)
            && item.flags & (IN_SKIPPED | IN_PENALISED) == 0
        {
            // The list right after an article's references heading, outside its container
            // (an old portal's `<table>` of `[1] 作者. 题名[J]. 刊名, 2011.`).
            refs_heading_end = None;
            if item.chars <= MAX_REFERENCES_CHARS {
                region.kept.insert(element_key(e));
                i = item.end;
                continue;
            }
        }
        let parent_flags = if item.parent == NONE {
            0
        } else {
            dom.items[item.parent].flags
        };
        let here = item.flags & (IN_SKIPPED | IN_PENALISED);
        if here != 0 && parent_flags & here != here && !on_path(i) {
            region.furniture.insert(element_key(e));
            i = item.end;
            continue;
        }
        if container == Some(i) {
            region.container = Some(element_key(e));
        } else if container.is_some()
            && !in_container(i)
            && !on_path(i)
            && (is_reference_box(e)
                || ((is_meta_box(e) || is_source_box(e)) && item.chars <= MAX_SIDE_BOX_CHARS)
                || (item.chars <= MAX_SOURCE_CELL_CHARS
                    && !matches!(dom.tag(i), Some("table" | "tbody" | "thead" | "tr"))
                    && is_source_cell(&dom.text_of(i))))
        {
            region.kept.insert(element_key(e));
            i = item.end;
            continue;
        }
        i += 1;
    }
    region
}
