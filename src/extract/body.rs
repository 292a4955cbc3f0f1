//! Finds the container that holds the article text and reads its paragraphs.
//!
//! A misleading claim finds false support in a page's sidebar, related-story list or comments, so
//! the point here is as much what is left out as what is kept. Containers are scored the way
//! readability does it: every paragraph adds to its parent and, less, to further ancestors, by
//! its length and punctuation; link-heavy containers lose, class names such as `content` win,
//! and regions named like comments or related lists are never scored or read.

use super::dom::{
    class_bonus, is_inline, walk_blocks, Dom, Kind, TextBlock, Walk, IN_HEADER, IN_PENALISED,
    IN_SKIPPED, NONE,
};
use super::notices::is_boilerplate;

/// Regions whose text is never body text.
const BODY_EXCLUDE: u8 = IN_SKIPPED | IN_HEADER | IN_PENALISED;

/// A paragraph shorter than this (non-whitespace characters) does not vote for its container.
const MIN_UNIT_CHARS: usize = 10;

/// The best container needs this much text, or the page is read as loose paragraphs.
const MIN_CONTAINER_CHARS: usize = 40;

/// Counts are `u32` (saturating): one `Acc` per node, so on a page of half a million nodes
/// they are 12 MB less than `usize` would be, and no page under the 4 GiB body cap can
/// overflow a count that matters.
#[derive(Default, Clone, Copy)]
struct Acc {
    /// Non-whitespace characters of text in the subtree, outside excluded regions.
    total: u32,
    link: u32,
    /// Text owned directly by this block (its own text and that of inline children).
    unit_chars: u32,
    unit_link: u32,
    unit_punct: u32,
    score: f64,
}

/// A count as an `Acc` count.
fn count32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '；' | '：' | '！' | '？' | ',' | '.' | ';' | '!' | '?' | '"' | '“'
    )
}

fn is_candidate_tag(name: &str) -> bool {
    matches!(
        name,
        "div" | "article" | "section" | "main" | "td" | "body" | "center" | "dd"
    )
}

/// Tags whose text votes for their parent rather than for themselves.
fn is_paragraph_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote" | "pre" | "figcaption"
    )
}

/// The article's body paragraphs, and the index of the first chosen container (if any).
pub(crate) fn extract_body(dom: &Dom<'_>, title: Option<&str>) -> (Vec<String>, Option<usize>) {
    score_body(dom, title, true)
}

/// The container [`extract_body`] would choose, without reading its text (the article
/// region of an input document needs only where it is).
pub(crate) fn find_container(dom: &Dom<'_>) -> Option<usize> {
    score_body(dom, None, false).1
}

fn score_body(dom: &Dom<'_>, title: Option<&str>, with_text: bool) -> (Vec<String>, Option<usize>) {
    let n = dom.len();
    if n == 0 {
        return (Vec::new(), None);
    }
    // The nearest ancestor-or-self that is a block element: the owner of a node's inline text.
    let mut owner = vec![NONE; n];
    let mut in_link = vec![false; n];
    for i in 0..n {
        let item = &dom.items[i];
        let parent = item.parent;
        let parent_owner = if parent == NONE { NONE } else { owner[parent] };
        let parent_link = parent != NONE && in_link[parent];
        match item.kind {
            Kind::Element(e) => {
                owner[i] = if is_inline(e.name()) { parent_owner } else { i };
                in_link[i] = parent_link || e.name() == "a";
            }
            _ => {
                owner[i] = parent_owner;
                in_link[i] = parent_link;
            }
        }
    }

    let mut acc = vec![Acc::default(); n];
    for i in 0..n {
        let item = &dom.items[i];
        if item.flags & BODY_EXCLUDE != 0 {
            continue;
        }
        if let Kind::Text(t) = item.kind {
            let o = owner[i];
            if o == NONE {
                continue;
            }
            let chars = count32(item.chars);
            let punct = count32(t.chars().filter(|&c| is_punct(c)).count());
            let a = &mut acc[o];
            a.unit_chars = a.unit_chars.saturating_add(chars);
            a.unit_punct = a.unit_punct.saturating_add(punct);
            a.total = a.total.saturating_add(chars);
            if in_link[i] {
                a.unit_link = a.unit_link.saturating_add(chars);
                a.link = a.link.saturating_add(chars);
            }
        }
    }

    // Bottom-up: children have larger indices than their parents.
    for i in (0..n).rev() {
        let item = &dom.items[i];
        if item.flags & BODY_EXCLUDE != 0 || owner[i] != i {
            continue;
        }
        let Some(name) = dom.tag(i) else { continue };
        let up = if item.parent == NONE {
            NONE
        } else {
            owner[item.parent]
        };
        let a = acc[i];
        if up != NONE {
            acc[up].total = acc[up].total.saturating_add(a.total);
            acc[up].link = acc[up].link.saturating_add(a.link);
        }
        if (a.unit_chars as usize) < MIN_UNIT_CHARS {
            continue;
        }
        let density = a.unit_link as f64 / a.unit_chars as f64;
        let unit =
            (1.0 + a.unit_punct as f64 + (a.unit_chars as f64 / 100.0).min(3.0)) * (1.0 - density);
        if unit <= 0.0 {
            continue;
        }
        let mut target = if is_paragraph_tag(name) { up } else { i };
        let mut level = 0;
        while target != NONE && level < 5 {
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            acc[target].score += unit / divider;
            let parent = dom.items[target].parent;
            target = if parent == NONE { NONE } else { owner[parent] };
            level += 1;
        }
    }

    let final_score = |i: usize| -> f64 {
        let a = &acc[i];
        if a.total == 0 {
            return 0.0;
        }
        let density = a.link as f64 / a.total as f64;
        let factor = dom.element(i).map(class_bonus).unwrap_or(1.0);
        a.score * factor * (1.0 - density)
    };

    let mut best = NONE;
    let mut best_score = 0.0;
    for (i, a) in acc.iter().enumerate() {
        if dom.items[i].flags & BODY_EXCLUDE != 0 || a.score <= 0.0 {
            continue;
        }
        if !dom.tag(i).is_some_and(is_candidate_tag) {
            continue;
        }
        let s = final_score(i);
        if s > best_score {
            best = i;
            best_score = s;
        }
    }

    if !with_text {
        let found = best != NONE && acc[best].total as usize >= MIN_CONTAINER_CHARS;
        return (Vec::new(), found.then_some(best));
    }
    let walk = Walk {
        exclude: BODY_EXCLUDE,
        body_only: true,
    };
    let mut chosen = None;
    let mut blocks = Vec::new();
    if best != NONE && acc[best].total as usize >= MIN_CONTAINER_CHARS {
        chosen = Some(best);
        // Paragraphs split across sibling containers (an ad or a picture between them) are
        // read too, as long as the siblings look like article text themselves.
        let parent = dom.items[best].parent;
        let threshold = (best_score * 0.2).max(5.0);
        let roots: Vec<usize> = if parent == NONE {
            vec![best]
        } else {
            dom.children(parent)
                .filter(|&s| {
                    if s == best {
                        return true;
                    }
                    if dom.items[s].flags & BODY_EXCLUDE != 0 || dom.element(s).is_none() {
                        return false;
                    }
                    let a = &acc[s];
                    let is_p = dom.tag(s) == Some("p");
                    let p_ok = is_p
                        && a.total >= 40
                        && (a.link as f64) < 0.2 * a.total as f64
                        && a.unit_punct > 0;
                    p_ok || (owner[s] == s && a.score > 0.0 && final_score(s) >= threshold)
                })
                .collect()
        };
        for root in roots {
            blocks.extend(walk_blocks(dom, root, walk));
        }
    }
    let mut paragraphs = keep_paragraphs(blocks, title);
    if paragraphs.is_empty() {
        // No container stood out: read every paragraph outside the excluded regions.
        paragraphs = keep_paragraphs(walk_blocks(dom, 0, walk), title)
            .into_iter()
            .filter(|p| p.chars().count() >= MIN_UNIT_CHARS)
            .collect();
    }
    if paragraphs.is_empty() {
        // Class names misled us (a page-wide wrapper called `has-sidebar`): ignore them.
        let loose = Walk {
            exclude: IN_SKIPPED,
            body_only: true,
        };
        paragraphs = keep_paragraphs(walk_blocks(dom, 0, loose), title)
            .into_iter()
            .filter(|p| p.chars().count() >= MIN_UNIT_CHARS)
            .collect();
    }
    (paragraphs, chosen)
}

/// Drops link lists, boilerplate lines, repeats of the title and consecutive duplicates.
pub(crate) fn keep_paragraphs(blocks: Vec<TextBlock>, title: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for block in blocks {
        if block.link_density() > 0.5 {
            continue;
        }
        let text = block.text;
        // Fewer than four characters is a caption stub (`资料图`) or a stray label.
        if block.chars < 4 || !text.chars().any(char::is_alphanumeric) {
            continue;
        }
        if is_boilerplate(&text) || title.is_some_and(|t| is_title_line(&text, t)) {
            continue;
        }
        if out.last() == Some(&text) {
            continue;
        }
        out.push(text);
    }
    out
}

/// The longest breadcrumb trail read in front of a repeated headline.
const MAX_CRUMB_CHARS: usize = 60;

/// The headline itself, or the headline after a breadcrumb trail run into it
/// (`HomeLatest NewsThe headline`).
fn is_title_line(text: &str, title: &str) -> bool {
    if text == title {
        return true;
    }
    title.chars().count() >= 20
        && text
            .strip_suffix(title)
            .is_some_and(|crumb| crumb.chars().count() <= MAX_CRUMB_CHARS)
}
