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
mod metadata;
mod notices;

#[cfg(test)]
mod tests;

use scraper::Html;

use crate::model::Page;
use dom::{walk_blocks, Dom, TextBlock, Walk, IN_PENALISED, IN_SKIPPED};
use metadata::{find_date, normalise_date, read_metadata, strip_site_suffix};

/// Byline lines are short; a longer line is article text even if it mentions a date or `来源`.
const MAX_BYLINE_CHARS: usize = 150;

/// How many lines after the headline are searched for a visible date.
const BYLINE_WINDOW: usize = 40;

/// Extracts the main content of an HTML page fetched from `url`.
pub fn extract_page(html: &str, url: &str) -> Page {
    let doc = Html::parse_document(&crate::limits::cap_html_depth(
        html,
        crate::limits::MAX_HTML_DEPTH,
    ));
    let dom = Dom::new(&doc);
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
    let anchor = meta.h1.as_ref().map(|(i, _)| *i).or(container);
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
        });

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
    }
}

/// Resolves a possibly relative `href` against the page URL, keeping it as written on failure.
fn resolve(base: &str, href: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(href))
        .map(|u| u.to_string())
        .unwrap_or_else(|_| href.to_string())
}
