//! The body as `dom_smoothie` (a port of Mozilla's Readability.js) reads it, cleaned with our
//! rules: lines our tree marks as comments, related lists, navigation or sidebar are dropped, and
//! so are boilerplate lines, repeats of the headline and a leading byline.
//!
//! Measured on three public benchmarks (BENCHMARKS.md, issue 5), Readability's candidate
//! selection finds the article container more often than our own scorer (`body`), which stays as
//! the fallback when Readability returns nothing.

use std::collections::HashSet;

use super::dom::{walk_blocks, Dom, TextBlock, Walk, IN_FURNITURE, IN_PENALISED, IN_SKIPPED};

/// Pages with more nodes (elements and text) than this are left to our own scorer:
/// `dom_smoothie`'s time grows faster than the page (a 2 MB page of 14,000 paragraphs took
/// 0.7 s), ours is linear. A few benchmark pages have more (trafilatura-eval F 0.899 -> 0.898).
const MAX_ELEMENTS: usize = 20_000;

/// The largest share of Readability's text the region filter may remove.
const MAX_DROPPED_SHARE: f64 = 0.5;

/// Deeper trees are left to our own scorer: `dom_smoothie`'s time grows with depth times size
/// (20,000 nested `<div>`s took minutes), ours does not. Real pages stay far below this.
const MAX_DEPTH: usize = 256;

/// The depth of the deepest node of `dom`.
pub(crate) fn max_depth(dom: &Dom<'_>) -> usize {
    let mut depth = vec![0usize; dom.len()];
    let mut max = 0;
    for i in 0..dom.len() {
        let p = dom.items[i].parent;
        if p != super::dom::NONE {
            depth[i] = depth[p] + 1;
            max = max.max(depth[i]);
        }
    }
    max
}

/// The main-text lines `dom_smoothie` extracts from `html`, or `None` when it finds no article
/// or the page is too deep or too large for it (see [`MAX_DEPTH`]).
pub(crate) fn readable_lines(dom: &Dom<'_>, html: &str, url: &str) -> Option<Vec<String>> {
    if dom.len() > MAX_ELEMENTS || max_depth(dom) > MAX_DEPTH {
        return None;
    }
    let cfg = || dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let base = url
        .parse::<url::Url>()
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|_| url);
    let mut reader = dom_smoothie::Readability::new(html, base, Some(cfg())).ok()?;
    let article = reader.parse().ok()?;
    let lines: Vec<String> = article
        .text_content
        .lines()
        .map(|l| join_cjk(&super::dom::clean_text(l)))
        .filter(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then_some(lines)
}

/// Keeps the lines of `lines` a reader sees as the article: not text our tree places only in a
/// comment, related-list, navigation, sidebar or picture-caption region.
pub(crate) fn clean_lines(dom: &Dom<'_>, lines: Vec<String>, title: Option<&str>) -> Vec<String> {
    let all = walk_blocks(
        dom,
        0,
        Walk {
            exclude: 0,
            body_only: false,
        },
    );
    let mut outside: HashSet<&str> = HashSet::new();
    let mut inside: HashSet<&str> = HashSet::new();
    for b in &all {
        let region = dom.items[b.start].flags & (IN_PENALISED | IN_SKIPPED | IN_FURNITURE) != 0;
        if region || b.link_density() > 0.5 {
            outside.insert(b.text.as_str());
        } else {
            inside.insert(b.text.as_str());
        }
    }
    let is_outside = |l: &str| outside.contains(l) && !inside.contains(l);
    let total: usize = lines.iter().map(|l| l.len()).sum();
    let dropped: usize = lines
        .iter()
        .filter(|l| is_outside(l))
        .map(|l| l.len())
        .sum();
    // When most of what Readability chose sits in a region our class rules penalise, the rules
    // misread the page (an article wrapper named `post-related`): trust Readability.
    let filter = (dropped as f64) < MAX_DROPPED_SHARE * total as f64;
    let blocks: Vec<TextBlock> = lines
        .into_iter()
        .filter(|l| !(filter && is_outside(l)))
        .map(|text| TextBlock {
            chars: text.chars().filter(|c| !c.is_whitespace()).count(),
            link_chars: 0,
            start: 0,
            text,
        })
        .collect();
    super::body::keep_paragraphs(blocks, title)
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20)
}

/// Removes a space after CJK punctuation before a CJK character: Readability turns a source
/// line break inside a Chinese paragraph into a space, where Chinese puts none.
fn join_cjk(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' '
            && i > 0
            && i + 1 < chars.len()
            && is_cjk_punct(chars[i - 1])
            && super::dom::is_cjk(chars[i + 1])
        {
            continue;
        }
        out.push(c);
    }
    out
}
