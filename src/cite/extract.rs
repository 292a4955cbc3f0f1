//! Finding citations in the blocks of a document.
//!
//! Each form an editor writes has its own small matcher (`forms.rs`); this file walks the
//! blocks, adds the links and `cite` markup of the input, merges what belongs together
//! (`原标题` with its `来源` line, a link with the attribution it illustrates) and numbers the
//! result. Every citation keeps where it starts so reports can point at the draft's line and
//! column.

use super::forms::{in_block, Found};
use super::patterns::patterns;
use super::registry::OutletRegistry;
use crate::model::{Block, Citation, CitationKind, Document, Link};
use std::collections::HashSet;

/// Groups that are cited without naming an outlet: resolvable only through a headline.
pub const UNNAMED_SOURCES: &[&str] = &[
    "美媒",
    "外媒",
    "港媒",
    "台媒",
    "日媒",
    "韩媒",
    "英媒",
    "德媒",
    "法媒",
    "俄媒",
    "印媒",
    "多家媒体",
    "外电",
    "外電",
    "知情人士",
    "消息人士",
    "业内人士",
    "接近",
    "据悉",
    "媒体",
];

/// Whether a block is a source-list line (`信源来自于…`, `来源：…`, `Source: …`).
pub fn is_source_line(text: &str) -> bool {
    let p = patterns();
    let t = super::forms::after_leading_datetime(text.trim());
    p.source_line.is_match(t)
        || p.en_source_line.is_match(t)
        || p.original_title.is_match(t)
        || (t.chars().count() <= 40
            && (t.starts_with("来源")
                || t.starts_with("來源")
                || t.starts_with("稿源")
                || t.starts_with("转载自")
                || t.starts_with("轉載自")
                || t.starts_with("编译自")
                || t.starts_with("編譯自")))
}

/// All citations of a document, in order of appearance, ids `c1`, `c2`, ...
pub fn citations(doc: &Document, registry: &OutletRegistry) -> Vec<Citation> {
    let mut found: Vec<Found> = Vec::new();
    for block in &doc.blocks {
        for line in line_blocks(block) {
            found.extend(in_block(&line, registry));
        }
    }
    // Links from the markup, unless a citation already carries the same URL.
    let mut urls: HashSet<String> = found.iter().filter_map(|f| f.url.clone()).collect();
    let mut lines: Option<Vec<Block>> = None;
    for link in &doc.links {
        if !urls.insert(link.url.clone()) {
            continue;
        }
        // An image with a link (a photo, a banner) says nothing a reader could take as a source.
        if link.text.trim().is_empty() {
            continue;
        }
        // `[the Financial Times reported](url)`: the text is an attribution, not a headline.
        let outlet_from_text = registry
            .lookup(&link.text)
            .map(|_| trim_outlet(&link.text))
            .or_else(|| super::forms::attribution_outlet(&link.text, registry));
        if !links_to_a_source(&link.url, outlet_from_text.is_some()) {
            continue;
        }
        if outlet_from_text.is_none() && is_keyword_link(link, doc, &mut lines) {
            continue;
        }
        let headline = if outlet_from_text.is_none() && looks_like_headline(&link.text) {
            Some(link.text.clone())
        } else {
            None
        };
        found.push(Found {
            kind: CitationKind::Link,
            outlet: outlet_from_text,
            headline,
            url: Some(link.url.clone()),
            date: None,
            line: link.line,
            column: link.column,
            link_text: Some(link.text.trim().to_string()),
        });
    }
    found.sort_by_key(|f| (f.line, f.column));
    add_markup_cites(&mut found, doc, registry, &mut urls);
    found.sort_by_key(|f| (f.line, f.column));
    merge_original_titles(&mut found);
    merge_links_into_attributions(&mut found, registry);
    // The same citation read twice at one place (a page's byline box repeated for small and
    // large screens) is one citation.
    found.dedup_by(|a, b| {
        a.kind == b.kind
            && a.line == b.line
            && a.column == b.column
            && a.outlet == b.outlet
            && a.url == b.url
            && a.headline == b.headline
    });
    found
        .into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            if f.outlet.is_none() {
                f.outlet = outlet_from_host(&f, doc, registry, &mut lines);
            }
            let registry_outlet = f
                .outlet
                .as_deref()
                .and_then(|o| registry.lookup(o))
                .or_else(|| f.url.as_deref().and_then(|u| registry.by_url(u)))
                .or_else(|| {
                    f.outlet
                        .as_deref()
                        .and_then(|o| super::forms::section_outlet(o, registry))
                })
                .map(|o| o.name.clone());
            Citation {
                id: format!("c{}", i + 1),
                kind: f.kind,
                outlet: f.outlet,
                registry_outlet,
                headline: f.headline,
                url: f.url,
                date: f.date,
                line: f.line,
                column: f.column,
            }
        })
        .collect()
}

/// Attribution words that make a link in running text a pointer to a source.
const LINK_CUES: &[&str] = &[
    "据", "报道", "報導", "報道", "来源", "來源", "详见", "詳見", "参见", "參見", "原文", "链接",
    "連結", "转自", "轉自", "出处", "出處", "援引", "引述", "引用",
];
/// Longest link text, in characters, taken for a portal's keyword link.
const MAX_KEYWORD_CHARS: usize = 5;

/// Whether `link` is a portal's keyword link: a short Chinese term inside a sentence
/// (`买一套50平方米的<a>小户型</a>，首付款…`), linked to the site's page about the term. Its line
/// holds no attribution word (`据`, `来源`, `详见`, …), which a link to a source would carry.
fn is_keyword_link(link: &Link, doc: &Document, lines: &mut Option<Vec<Block>>) -> bool {
    let text = link.text.trim();
    let n = text.chars().count();
    if !(2..=MAX_KEYWORD_CHARS).contains(&n) || !text.chars().all(crate::text::is_cjk) {
        return false;
    }
    let lines = lines.get_or_insert_with(|| doc.blocks.iter().flat_map(line_blocks).collect());
    let Some(block) = lines
        .iter()
        .find(|b| b.line == link.line && b.text.contains(text))
    else {
        return false;
    };
    let Some(at) = block.text.find(text) else {
        return false;
    };
    let before = block.text[..at].chars().next_back();
    let after = block.text[at + text.len()..].chars().next();
    let inside_a_sentence = before.is_some_and(crate::text::is_cjk)
        && after.is_some_and(|c| crate::text::is_cjk(c) || "，。、；".contains(c));
    inside_a_sentence && !LINK_CUES.iter().any(|cue| block.text.contains(cue))
}

/// Whether `url` is a site's home page (`http://www.example.com/`, `/index.html`).
pub(super) fn is_home_page(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    let path = parsed.path().to_ascii_lowercase();
    let query = parsed.query().unwrap_or("");
    // A language's home page: `/en`, `/zh-cn/`.
    let segment = path.trim_matches('/');
    let language_home = !segment.is_empty()
        && !segment.contains('/')
        && match segment.split_once('-') {
            Some((a, b)) => a.len() == 2 && (2..=4).contains(&b.len()),
            None => segment.len() == 2,
        }
        && segment.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    (language_home && query.is_empty())
        || path.trim_end_matches('/').is_empty() && query.is_empty()
        || [
            "/index.html",
            "/index.htm",
            "/index.shtml",
            "/index.php",
            "/default.htm",
        ]
        .contains(&path.as_str())
}

/// Whether a link can point at a source: not an image, script or download, an ad or affiliate
/// redirect, a shop page, a share button, a tag, topic, author, profile or quote page, and not a bare home page unless its text names the outlet
/// (`来源：<a href="http://www.people.com.cn/">人民网</a>`).
pub(super) fn links_to_a_source(url: &str, names_outlet: bool) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return true;
    };
    let path = parsed.path().to_ascii_lowercase();
    let query = parsed.query().unwrap_or("").to_ascii_lowercase();
    // Images, scripts, plugins and downloads are no report.
    const NOT_PAGES: &[&str] = &[
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".ico", ".swf", ".js", ".css",
        ".cab", ".torrent", ".exe", ".dmg", ".apk", ".zip", ".rar", ".mp3", ".mp4", ".flv",
    ];
    if NOT_PAGES.iter().any(|e| path.ends_with(e)) {
        return false;
    }
    let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    // Ad servers, affiliate redirects and shop pages: links that sell, not sources.
    const AD_HOSTS: &[&str] = &[
        "allyes.com",
        "doubleclick.net",
        "googlesyndication.com",
        "googleadservices.com",
        "viglink.com",
        "anrdoezrs.net",
        "sjv.io",
        "skimresources.com",
        "shareasale.com",
        "linksynergy.com",
        "awin1.com",
        "redirectingat.com",
        "amzn.to",
        "taobao.com",
        "tmall.com",
    ];
    if AD_HOSTS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    {
        return false;
    }
    const AD_MARKS: &[&str] = &[
        "adclick", "adfclick", "adlink=", "clicktag", "/ad/", "/ads/",
    ];
    if AD_MARKS
        .iter()
        .any(|m| path.contains(m) || query.contains(m))
        || (host.starts_with("amazon.") && (path.contains("/dp/") || path.contains("/gp/product")))
        || path.starts_with("/shop/")
    {
        return false;
    }
    const NOT_ARTICLES: &[&str] = &[
        "/tag/",
        "/tags/",
        "/topic/",
        "/topics/",
        "/author/",
        "/authors/",
        "/profile/",
        "/profiles/",
        "/quotes/",
        "/quote/",
        "/players/",
        "/playerpage/",
        "/teams/",
        "/category/",
        "/categories/",
        "/organization/",
        "/person/",
        "/login",
        "/subscribe",
        "/subscription",
    ];
    if NOT_ARTICLES.iter().any(|s| path.contains(s)) {
        return false;
    }
    const SOCIAL: &[&str] = &[
        "facebook.com",
        "twitter.com",
        "x.com",
        "instagram.com",
        "linkedin.com",
        "pinterest.com",
        "reddit.com",
        "weibo.com",
    ];
    let social = SOCIAL
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    // Share buttons: a social network's share or compose endpoint, or a share widget's host.
    const SHARE: &[&str] = &["/sharer", "/intent/", "/share", "/submit", "/pin/create"];
    if (social && SHARE.iter().any(|s| path.contains(s)))
        || host.contains("addthis.")
        || host.contains("sharethis.")
    {
        return false;
    }
    // A blog's or portal's category listing (`?cat=7`).
    if query.starts_with("cat=") || query.contains("&cat=") {
        return false;
    }
    let home = is_home_page(url);
    // A profile on a social network (`twitter.com/name`) is no report either.
    let profile =
        social && path.trim_matches('/').split('/').count() <= 1 && !path.contains("status");
    if (home || profile) && !names_outlet {
        return false;
    }
    true
}

/// The outlet of a citation that names none but whose URL's host is in the registry: the name
/// as written beside the link on its line (`covered by the Guardian: [headline](…)` gives
/// `Guardian`), else the registry's name. `lines` caches the document's lines, split on first use.
fn outlet_from_host(
    f: &Found,
    doc: &Document,
    registry: &OutletRegistry,
    lines: &mut Option<Vec<Block>>,
) -> Option<String> {
    let owner = registry.by_url(f.url.as_deref()?)?;
    let lines = lines.get_or_insert_with(|| doc.blocks.iter().flat_map(line_blocks).collect());
    let beside = lines
        .iter()
        .filter(|b| b.line == f.line)
        // Not the host inside a written URL (`theguardian.com` is an alias).
        .flat_map(|b| registry.find_mentions(&patterns().bare_url.replace_all(&b.text, " ")))
        .find(|m| m.outlet_id == owner.id)
        .map(|m| trim_outlet(&m.matched))
        .filter(|m| !m.is_empty());
    Some(beside.unwrap_or_else(|| owner.name.clone()))
}

/// Whether two outlet names as written mean one outlet: the same registry entry, or the same
/// words once folded.
fn same_outlet(a: &str, b: &str, registry: &OutletRegistry) -> bool {
    match (registry.lookup(a), registry.lookup(b)) {
        (Some(x), Some(y)) => x.id == y.id,
        _ => crate::text::fold(&trim_outlet(a)) == crate::text::fold(&trim_outlet(b)),
    }
}

/// HTML `cite="url"` attributes and `<cite>` elements. A `<cite>` that repeats what an
/// attribution on the same line already says (`according to <cite>Reuters</cite>`) completes
/// that citation instead of adding one.
fn add_markup_cites(
    found: &mut Vec<Found>,
    doc: &Document,
    registry: &OutletRegistry,
    urls: &mut HashSet<String>,
) {
    for cite in &doc.cites {
        let text = cite.text.trim();
        let url = (!cite.url.is_empty()).then(|| cite.url.clone());
        let outlet =
            (!text.is_empty() && registry.lookup(text).is_some()).then(|| trim_outlet(text));
        let headline = (!text.is_empty() && outlet.is_none() && looks_like_headline(text))
            .then(|| clean_headline(text));
        if let Some(u) = &url {
            if !urls.insert(u.clone()) {
                if let Some(f) = found.iter_mut().find(|f| f.url.as_deref() == Some(u)) {
                    if f.headline.is_none() {
                        f.headline = headline;
                    }
                    if f.outlet.is_none() {
                        f.outlet = outlet;
                    }
                }
                continue;
            }
        }
        if url.is_none() && outlet.is_none() && headline.is_none() {
            continue;
        }
        // `<cite>Headline</cite>, appeared in The Economist`: the outlet named beside it.
        let outlet = outlet.or_else(|| {
            headline.as_ref()?;
            let block = doc
                .blocks
                .iter()
                .find(|b| b.line == cite.line && b.text.contains(text))?;
            let rest = block.text.replacen(text, "", 1);
            let mentions = registry.find_mentions(&rest);
            match mentions.as_slice() {
                [m] => Some(trim_outlet(&m.matched)),
                _ => None,
            }
        });
        // The same outlet or headline already cited on this line: complete that citation.
        if url.is_none() {
            let same_line = found.iter_mut().find(|f| {
                f.line == cite.line
                    && (outlet.is_some() && f.outlet == outlet
                        || headline.is_some()
                            && (f.headline == headline
                                || f.headline.is_none() && f.outlet.is_some()))
            });
            if let Some(f) = same_line {
                if f.headline.is_none() {
                    f.headline = headline;
                }
                continue;
            }
        }
        found.push(Found {
            kind: if url.is_some() {
                CitationKind::Link
            } else {
                CitationKind::Inline
            },
            outlet,
            headline,
            url,
            date: None,
            line: cite.line,
            column: cite.column,
            link_text: None,
        });
    }
}

/// Splits a block wrapped over several input lines into one block per line, since source
/// lists are written one entry per line even where Markdown joins them into one paragraph.
fn line_blocks(block: &Block) -> Vec<Block> {
    if block.marks.len() <= 1 {
        return vec![block.clone()];
    }
    // Char offsets of the marks -> byte offsets, in one pass over the text.
    let mut bounds: Vec<(usize, usize, usize)> = Vec::with_capacity(block.marks.len());
    let mut marks = block.marks.iter().peekable();
    for (ci, (bi, _)) in block.text.char_indices().enumerate() {
        while let Some(m) = marks.next_if(|m| m.offset <= ci) {
            bounds.push((bi, m.line, m.column + (ci - m.offset)));
        }
    }
    let mut out = Vec::new();
    for (i, &(start, line, column)) in bounds.iter().enumerate() {
        let end = bounds.get(i + 1).map_or(block.text.len(), |b| b.0);
        if start >= end {
            continue;
        }
        out.push(Block::new(
            block.kind,
            block.text[start..end].trim_end(),
            line,
            column,
        ));
    }
    out
}

/// `Reuters first reported the figures in [headline](url)`: one citation, not two. A link on
/// the same line as an attribution to the outlet that owns the link's host joins it, and so
/// does a link whose text is the headline a source-list entry on its line gives.
fn merge_links_into_attributions(found: &mut Vec<Found>, registry: &OutletRegistry) {
    // Merged entries are marked and dropped at the end: removing one at a time is quadratic.
    let mut dead = vec![false; found.len()];
    for i in 0..found.len() {
        if found[i].kind != CitationKind::Link {
            continue;
        }
        let host_outlet = found[i]
            .url
            .as_deref()
            .and_then(|u| registry.by_url(u))
            .map(|o| o.id.clone());
        let link_headline = found[i].headline.clone();
        let link_outlet = found[i].outlet.clone();
        let link_text = found[i].link_text.clone();
        let line = found[i].line;
        // Citations on one line sit next to each other after sorting; an attribution a link
        // illustrates is one of its close neighbours.
        let lo = i.saturating_sub(4);
        let hi = (i + 4).min(found.len() - 1);
        let target = (lo..=hi).find(|&j| {
            // `来源：[ <a>国际金融报</a> ]` across a line break of the cell: the source line's
            // outlet is the link's text.
            let names_the_source_line = found[j].kind == CitationKind::SourceLine
                && found[j].line.abs_diff(line) <= 1
                && link_text.is_some()
                && found[j].outlet.as_deref().map(str::trim) == link_text.as_deref();
            j != i
                && !dead[j]
                && (found[j].line == line || names_the_source_line)
                && found[j].url.is_none()
                && found[j].kind != CitationKind::Link
                && (link_outlet.as_deref().is_some_and(|lo| {
                    // `according to [Reuters](url)`, `据[新华社](url)报道`: the link's own
                    // text names the outlet of the attribution around it, whatever its host.
                    found[j]
                        .outlet
                        .as_deref()
                        .is_some_and(|o| same_outlet(lo, o, registry))
                }) || host_outlet.as_ref().is_some_and(|id| {
                    found[j]
                        .outlet
                        .as_deref()
                        .and_then(|o| registry.lookup(o))
                        .is_some_and(|o| &o.id == id)
                }) || names_the_source_line
                    || (found[j].kind == CitationKind::SourceLine
                        && link_headline.is_some()
                        && found[j].headline == link_headline))
        });
        if let Some(j) = target {
            dead[i] = true;
            let url = found[i].url.take();
            let headline = found[i].headline.take();
            found[j].url = url;
            found[j].headline = found[j].headline.take().or(headline);
            if found[j].kind == CitationKind::Inline {
                found[j].kind = CitationKind::Link;
            }
        }
    }
    drop_dead(found, &dead);
}

/// `原标题：Y` gives the headline of the source named on a neighbouring `来源：X` line.
fn merge_original_titles(found: &mut Vec<Found>) {
    let mut dead = vec![false; found.len()];
    for i in 0..found.len() {
        let is_title_only = found[i].outlet.is_none()
            && found[i].headline.is_some()
            && found[i].url.is_none()
            && found[i].kind == CitationKind::SourceLine;
        if !is_title_only {
            continue;
        }
        let lo = i.saturating_sub(4);
        let hi = (i + 4).min(found.len() - 1);
        let near = (lo..=hi).find(|&j| {
            j != i
                && !dead[j]
                && found[j].kind == CitationKind::SourceLine
                && found[j].headline.is_none()
                && found[j].outlet.is_some()
                && found[j].line.abs_diff(found[i].line) <= 2
        });
        if let Some(j) = near {
            found[j].headline = found[i].headline.take();
            dead[i] = true;
        }
    }
    drop_dead(found, &dead);
}

fn drop_dead(found: &mut Vec<Found>, dead: &[bool]) {
    let mut k = 0;
    found.retain(|_| {
        k += 1;
        !dead[k - 1]
    });
}

pub(super) fn looks_like_headline(text: &str) -> bool {
    let cjk = text.chars().filter(|&c| crate::text::is_cjk(c)).count();
    cjk >= 6 || text.split_whitespace().count() >= 4
}

/// The outlet as written, without a leading "the", quotes or book-title marks.
pub(super) fn trim_outlet(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s);
    s.trim()
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '《' | '》'
                        | '“'
                        | '”'
                        | '"'
                        | '*'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                        | '['
                        | ']'
                        | '「'
                        | '」'
                        | ','
                        | '，'
                        | '.'
                        | '—'
                        | '–'
                        | '-'
                        | '|'
                        | ':'
                        | '：'
                        | '\''
                        | '’'
                )
        })
        .to_string()
}

/// Removes the quotes or book-title marks around a headline; keeps its own punctuation.
pub(super) fn clean_headline(s: &str) -> String {
    let t = s.trim();
    let pairs = [
        ('《', '》'),
        ('“', '”'),
        ('「', '」'),
        ('『', '』'),
        ('"', '"'),
    ];
    for (open, close) in pairs {
        if let Some(inner) = t.strip_prefix(open) {
            let inner = inner.strip_suffix(close).unwrap_or(inner);
            if let Some(end) = inner.find(close) {
                // `“标题”，2024年` — take only the quoted part.
                return inner[..end].trim().to_string();
            }
            return inner.trim().to_string();
        }
    }
    t.trim_end_matches(['。', '.']).to_string()
}
