//! HTML of a source page -> `Page`: headline, main text paragraphs, date, site, portal origin.
//!
//! A claim is compared with what the source's article says, not with its sidebar, related-story
//! list, comments, navigation or footer: those are where a misleading claim finds false support.
//! So the extractor parses once, copies the tree into a flat array (`dom`), reads declared
//! metadata (`metadata`), scores containers to find the article body (`body`), and reads the
//! portal's `来源:X` line and boilerplate rules from `notices`. Every pass is linear in the size
//! of the page and none recurses, so no input can make it panic or crawl.

mod body;
mod dom;
mod furniture;
mod metadata;
mod notices;
mod readable;
pub(crate) mod region;

#[cfg(test)]
mod tests;

use scraper::Html;

use crate::model::{Notice, Page};
use dom::{walk_blocks, Dom, TextBlock, Walk, IN_PENALISED, IN_SKIPPED};
use metadata::{find_date, normalise_date, read_metadata, strip_site_suffix};

/// Byline lines are short; a longer line is article text even if it mentions a date or `来源`.
const MAX_BYLINE_CHARS: usize = 150;

/// How many lines after the headline are searched for a visible date.
const BYLINE_WINDOW: usize = 40;

/// How many lines before the anchor are searched when none after it holds a date.
const BYLINE_BEFORE: usize = 10;

/// Which body extractor `extract_page_with` uses (the eval command compares them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BodyExtractor {
    /// `dom_smoothie` cleaned with our region and boilerplate rules, our scorer as fallback.
    #[default]
    Combined,
    /// Our readability-style container scorer only.
    Own,
    /// `dom_smoothie`'s text as it comes (for comparison).
    DomSmoothie,
}

/// The largest page `dom_smoothie` is also run on (bytes of HTML). The largest page of the
/// three extraction benchmarks is 1.5 MB; a 19.5 MB page parsed twice peaks above 200 MB.
pub const SECOND_PARSE_MAX_BYTES: usize = 5 * 1024 * 1024;

/// Extracts the main content of an HTML page fetched from `url`.
pub fn extract_page(html: &str, url: &str) -> Page {
    extract_page_with(html, url, BodyExtractor::Combined)
}

/// [`extract_page`] with a chosen body extractor.
pub fn extract_page_with(html: &str, url: &str, extractor: BodyExtractor) -> Page {
    let capped = crate::limits::cap_html_depth(html, crate::limits::MAX_HTML_DEPTH);
    let doc = Html::parse_document(&capped);
    let raw = (capped.len() <= SECOND_PARSE_MAX_BYTES).then_some(&*capped);
    extract_parsed(&doc, raw, url, extractor)
}

/// [`extract_page`] of a page the caller no longer needs: a page too large for a second parse
/// is freed as soon as it is parsed, so its text and its tree are never held at once.
pub fn extract_page_owned(html: String, url: &str) -> Page {
    if html.len() <= SECOND_PARSE_MAX_BYTES {
        return extract_page(&html, url);
    }
    let doc = {
        let capped = crate::limits::cap_html_depth(&html, crate::limits::MAX_HTML_DEPTH);
        Html::parse_document(&capped)
    };
    drop(html);
    extract_parsed(&doc, None, url, BodyExtractor::Own)
}

/// The extraction of a parsed page. `raw` is its HTML for `dom_smoothie`'s own parse, `None`
/// for a page too large to parse twice (our scorer alone then).
fn extract_parsed(doc: &Html, raw: Option<&str>, url: &str, extractor: BodyExtractor) -> Page {
    let dom = Dom::new(doc);
    let meta = read_metadata(&dom);

    let site_name = meta.site_name.clone().or(meta.ld_publisher.clone());
    let title = meta
        .og_title
        .as_deref()
        .or(meta.ld_headline.as_deref())
        .or(meta.h1.as_ref().map(|(_, t)| t.as_str()))
        .or(meta.html_title.as_deref())
        .map(|t| strip_site_suffix(t, site_name.as_deref()))
        .filter(|t| !t.is_empty());

    let (mut paragraphs, container) = body::extract_body(&dom, title.as_deref());
    // dom_smoothie parses the page into a second tree of its own; above
    // SECOND_PARSE_MAX_BYTES that would add to the peak memory (issue 17's 200 MB bound), so
    // our scorer's text stands alone.
    let (extractor, html) = match raw {
        Some(html) => (extractor, html),
        None => (BodyExtractor::Own, ""),
    };
    match extractor {
        BodyExtractor::Own => {}
        BodyExtractor::DomSmoothie => {
            paragraphs = readable::readable_lines(&dom, html, url).unwrap_or_default();
        }
        BodyExtractor::Combined => {
            if let Some(lines) = readable::readable_lines(&dom, html, url) {
                let kept = readable::clean_lines(&dom, lines, title.as_deref());
                if !kept.is_empty() {
                    paragraphs = kept;
                }
            }
        }
    }
    notices::strip_leading_bylines(&mut paragraphs, site_name.as_deref());

    // Lines of the whole page outside scripts, navigation, comments and related lists: the
    // byline (date, `来源：X`) may sit in a `<header>` or above the body container.
    let lines = walk_blocks(
        &dom,
        0,
        Walk {
            exclude: IN_SKIPPED | IN_PENALISED,
            body_only: false,
        },
    );
    // The byline sits next to the headline: the `<h1>`, else the first line that reads as the
    // headline (a `<div class="title">` on older portals), else the top of the body.
    let title_line = || {
        let t = title.as_deref()?;
        lines.iter().find(|l| l.text == t).map(|l| l.start)
    };
    let anchor = meta
        .h1
        .as_ref()
        .map(|(i, _)| *i)
        .or_else(title_line)
        .or(container);
    let split = anchor.map_or(0, |a| lines.partition_point(|l| l.start < a));
    let short = |l: &&TextBlock| l.chars <= MAX_BYLINE_CHARS;

    let published = meta
        .meta_published
        .as_deref()
        .or(meta.ld_published.as_deref())
        .or(meta.time_published.as_deref())
        .map(normalise_date)
        .or_else(|| {
            lines[split..]
                .iter()
                .take(BYLINE_WINDOW)
                .filter(short)
                .find_map(|l| find_date(&l.text))
        })
        // Just above the anchor, nearest first: a date line between the headline and a body
        // container that the anchor fell back to.
        .or_else(|| {
            lines[..split]
                .iter()
                .rev()
                .take(BYLINE_BEFORE)
                .filter(short)
                .find_map(|l| find_date(&l.text))
        });

    // A labelled date anywhere on the page (`发布时间：…` in a side box, `Published 22 Oct`).
    let published = published.or_else(|| {
        lines
            .iter()
            .filter(short)
            .find(|l| is_labelled_date(&l.text))
            .and_then(|l| find_date(&l.text))
    });

    let updated = meta
        .meta_modified
        .as_deref()
        .or(meta.ld_modified.as_deref())
        .map(normalise_date)
        .or_else(|| {
            lines
                .iter()
                .filter(short)
                .find_map(|l| notices::updated_in_line(&l.text))
        });

    let author = meta
        .meta_author
        .clone()
        .or(meta.ld_author.clone())
        .or_else(|| {
            lines[split..]
                .iter()
                .take(BYLINE_WINDOW)
                .chain(lines[..split].iter().rev().take(10))
                .filter(|l| l.chars <= 80)
                .find_map(|l| notices::author_in_line(&l.text))
        });

    let mut page_notices: Vec<Notice> = Vec::new();
    for l in &lines {
        if let Some(kind) = notices::notice_in_line(&l.text) {
            if !page_notices.iter().any(|n| n.text == l.text) {
                page_notices.push(Notice {
                    kind,
                    text: l.text.clone(),
                });
            }
        }
    }

    let language = meta.lang.clone().or_else(|| guess_language(&paragraphs));

    let origin_outlet = lines[split..]
        .iter()
        .chain(lines[..split].iter())
        .filter(short)
        .find_map(|l| notices::origin_in_line(&l.text))
        .or(meta.source_box);

    let canonical_url = meta
        .canonical
        .as_deref()
        .or(meta.og_url.as_deref())
        .filter(|u| !u.is_empty())
        .map(|u| resolve(url, u));

    Page {
        url: url.to_string(),
        canonical_url,
        title,
        paragraphs,
        published,
        site_name,
        origin_outlet,
        updated,
        author,
        language,
        notices: page_notices,
    }
}

/// Labels that introduce the publication date of the page.
const DATE_LABELS: &[&str] = &[
    "发布时间",
    "发表时间",
    "发布日期",
    "发表日期",
    "发表于",
    "发布于",
    "时间：",
    "时间:",
    "日期：",
    "日期:",
    "published",
    "posted",
    "first published",
];

static DATE_LABEL_MARKS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(DATE_LABELS)
            .expect("static patterns")
    });

fn is_labelled_date(line: &str) -> bool {
    DATE_LABEL_MARKS.is_match(line) && find_date(line).is_some()
}

/// `zh` when Han characters make up much of the main text; other languages are not guessed.
fn guess_language(paragraphs: &[String]) -> Option<String> {
    let (mut han, mut kana, mut letters) = (0usize, 0usize, 0usize);
    for p in paragraphs.iter().take(50) {
        for c in p.chars() {
            if matches!(c as u32, 0x3040..=0x30FF) {
                kana += 1;
            } else if matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF) {
                han += 1;
            } else if c.is_alphabetic() {
                letters += 1;
            }
        }
    }
    let total = han + kana + letters;
    if total == 0 {
        return None;
    }
    if kana * 10 > total {
        Some("ja".to_string())
    } else if han * 3 > total {
        Some("zh".to_string())
    } else {
        None
    }
}

/// Resolves a possibly relative `href` against the page URL, keeping it as written on failure.
fn resolve(base: &str, href: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(href))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| href.to_string())
}
