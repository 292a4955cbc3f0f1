//! What a page says about itself: headline, canonical URL, site name, publication date.
//!
//! Declared metadata (`og:*`, `article:*`, JSON-LD) is preferred to guessing from visible text,
//! because it is written for machines and rarely carries navigation or site suffixes.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::{attr, clean_text, is_source_box, Dom, Kind, IN_PENALISED, IN_SKIPPED};

/// Everything found in `<meta>`, `<link>`, JSON-LD, `<title>`, `<time>` and `<h1>`.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    pub og_title: Option<String>,
    pub ld_headline: Option<String>,
    /// Index of the `<h1>` that most likely holds the headline, and its text.
    pub h1: Option<(usize, String)>,
    pub html_title: Option<String>,
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    pub site_name: Option<String>,
    pub ld_publisher: Option<String>,
    pub meta_published: Option<String>,
    pub ld_published: Option<String>,
    pub time_published: Option<String>,
    /// Text of a `<span class="source">`-like element, for portals that write no `来源：`.
    pub source_box: Option<String>,
    pub meta_modified: Option<String>,
    pub ld_modified: Option<String>,
    pub meta_author: Option<String>,
    pub ld_author: Option<String>,
    /// `<html lang>`, then `content-language`, then `og:locale`.
    pub lang: Option<String>,
    lang_rank: usize,
}

/// `<meta>` keys that carry the date of the last update.
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "lastmod",
    "last-modified",
    "dc.date.modified",
];

/// `<meta>` keys that carry the author's name.
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
    "parsely-author",
    "twitter:creator",
];

/// A byline value that is a name, not a profile URL, handle or empty credit.
fn author_value(v: &str) -> Option<String> {
    let v = v
        .trim()
        .trim_start_matches("By ")
        .trim_start_matches("by ")
        .trim();
    if v.is_empty() || v.contains("://") || v.starts_with('@') || v.chars().count() > 80 {
        return None;
    }
    Some(v.to_string())
}

fn set_lang(meta: &mut Metadata, value: &str, rank: usize) {
    let v = value.trim().replace('_', "-");
    let ok =
        !v.is_empty() && v.len() <= 16 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok && rank < meta.lang_rank {
        meta.lang = Some(v.to_ascii_lowercase());
        meta.lang_rank = rank;
    }
}

/// `<meta name=…>` values that carry a publication date, most trusted first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "article:published",
    "publishdate",
    "pubdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "parsely-pub-date",
    "sailthru.date",
    "og:release_date",
];

pub(crate) fn read_metadata(dom: &Dom<'_>) -> Metadata {
    let mut meta = Metadata {
        lang_rank: usize::MAX,
        ..Metadata::default()
    };
    let mut date_rank = usize::MAX;
    let mut best_h1_len = 0;
    for i in 0..dom.len() {
        let Some(e) = dom.element(i) else { continue };
        let flags = dom.items[i].flags;
        match e.name() {
            "meta" => {
                let key = attr(e, "property")
                    .or_else(|| attr(e, "name"))
                    .or_else(|| attr(e, "itemprop"))
                    .map(|k| k.trim().to_ascii_lowercase());
                let key =
                    key.or_else(|| attr(e, "http-equiv").map(|k| k.trim().to_ascii_lowercase()));
                let Some(key) = key else { continue };
                if key == "content-language" {
                    if let Some(v) = attr(e, "content") {
                        set_lang(&mut meta, v.split(',').next().unwrap_or(""), 1);
                    }
                    continue;
                }
                let Some(value) = attr(e, "content").map(clean_text).filter(|v| !v.is_empty())
                else {
                    continue;
                };
                match key.as_str() {
                    "og:title" | "twitter:title" if meta.og_title.is_none() => {
                        meta.og_title = Some(value)
                    }
                    "og:url" if meta.og_url.is_none() => meta.og_url = Some(value),
                    "og:site_name" if meta.site_name.is_none() => meta.site_name = Some(value),
                    "og:locale" => set_lang(&mut meta, &value, 2),
                    k if MODIFIED_META.contains(&k) => {
                        meta.meta_modified.get_or_insert(value);
                    }
                    k if AUTHOR_META.contains(&k) => {
                        if meta.meta_author.is_none() {
                            meta.meta_author = author_value(&value);
                        }
                    }
                    k => {
                        if let Some(rank) = DATE_META.iter().position(|d| *d == k) {
                            if rank < date_rank {
                                date_rank = rank;
                                meta.meta_published = Some(value);
                            }
                        }
                    }
                }
            }
            "html" => {
                if let Some(lang) = attr(e, "lang").or_else(|| attr(e, "xml:lang")) {
                    set_lang(&mut meta, lang, 0);
                }
            }
            "link" => {
                let is_canonical = attr(e, "rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("canonical"))
                });
                if is_canonical && meta.canonical.is_none() {
                    meta.canonical = attr(e, "href").map(str::trim).map(str::to_string);
                }
            }
            "script" => {
                let is_ld = attr(e, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld {
                    read_json_ld(&raw_text(dom, i), &mut meta);
                }
            }
            "title" if meta.html_title.is_none() => {
                let t = dom.text_of(i);
                if !t.is_empty() {
                    meta.html_title = Some(t);
                }
            }
            "time" if meta.time_published.is_none() && flags & (IN_SKIPPED | IN_PENALISED) == 0 => {
                if let Some(dt) = attr(e, "datetime").map(str::trim).filter(|d| !d.is_empty()) {
                    meta.time_published = Some(dt.to_string());
                }
            }
            "h1" if flags & (IN_SKIPPED | IN_PENALISED) == 0 => {
                // Logos are often an `<h1>` too; the headline is the longest one.
                let t = dom.text_of(i);
                let len = t.chars().count();
                if len > best_h1_len {
                    best_h1_len = len;
                    meta.h1 = Some((i, t));
                }
            }
            _ => {}
        }
        if meta.source_box.is_none()
            && flags & (IN_SKIPPED | IN_PENALISED) == 0
            && dom.items[i].chars <= 20
            && is_source_box(e)
        {
            let t = dom.text_of(i);
            let t = super::notices::origin_in_line(&t).unwrap_or(t);
            let ok = (2..=20).contains(&t.chars().count())
                && t.chars().any(super::dom::is_cjk)
                && !t.chars().any(|c| c.is_ascii_digit());
            if ok {
                meta.source_box = Some(t);
            }
        }
        if e.name() != "meta" && meta.ld_published.is_none() {
            let is_date =
                attr(e, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("datePublished"));
            if let Some(d) = attr(e, "datetime").or_else(|| attr(e, "content")) {
                if is_date && !d.trim().is_empty() {
                    meta.ld_published = Some(d.trim().to_string());
                }
            }
        }
    }
    meta
}

/// Text of a `<script>` without whitespace collapsing (JSON strings keep their spaces).
fn raw_text(dom: &Dom<'_>, i: usize) -> String {
    let mut s = String::new();
    for item in &dom.items[i..dom.items[i].end] {
        if let Kind::Text(t) = item.kind {
            s.push_str(t);
        }
    }
    s
}

fn read_json_ld(raw: &str, meta: &mut Metadata) {
    let trimmed = raw
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim();
    let Ok(value) = serde_json::from_str::<serde_json::Value>(trimmed) else {
        return;
    };
    let mut objects = Vec::new();
    collect_objects(&value, &mut objects, 0);
    for obj in objects {
        if meta.ld_headline.is_none() {
            if let Some(h) = obj.get("headline").and_then(|v| v.as_str()) {
                let h = clean_text(h);
                if !h.is_empty() {
                    meta.ld_headline = Some(h);
                }
            }
        }
        if meta.ld_published.is_none() {
            if let Some(d) = obj.get("datePublished").and_then(|v| v.as_str()) {
                if !d.trim().is_empty() {
                    meta.ld_published = Some(d.trim().to_string());
                }
            }
        }
        if meta.ld_modified.is_none() {
            if let Some(d) = obj.get("dateModified").and_then(|v| v.as_str()) {
                if !d.trim().is_empty() {
                    meta.ld_modified = Some(d.trim().to_string());
                }
            }
        }
        if meta.ld_author.is_none() {
            let author = match obj.get("author") {
                Some(serde_json::Value::Array(a)) => a.first(),
                a => a,
            };
            let name = match author {
                Some(serde_json::Value::Object(p)) => p.get("name").and_then(|n| n.as_str()),
                Some(serde_json::Value::String(s)) => Some(s.as_str()),
                _ => None,
            };
            meta.ld_author = name.map(clean_text).as_deref().and_then(author_value);
        }
        if meta.ld_publisher.is_none() {
            let publisher = obj.get("publisher");
            let publisher = match publisher {
                Some(serde_json::Value::Array(a)) => a.first(),
                p => p,
            };
            let name = match publisher {
                Some(serde_json::Value::Object(p)) => p.get("name").and_then(|n| n.as_str()),
                Some(serde_json::Value::String(s)) => Some(s.as_str()),
                _ => None,
            };
            if let Some(name) = name.map(clean_text).filter(|n| !n.is_empty()) {
                meta.ld_publisher = Some(name);
            }
        }
    }
}

/// Every object in a JSON-LD value that describes the article (including inside `@graph`).
fn collect_objects<'v>(
    value: &'v serde_json::Value,
    out: &mut Vec<&'v serde_json::Map<String, serde_json::Value>>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                collect_objects(item, out, depth + 1);
            }
        }
        serde_json::Value::Object(map) => {
            out.push(map);
            if let Some(graph) = map.get("@graph") {
                collect_objects(graph, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

static SITE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(网|报|社|台|新闻|资讯|频道|财经|订阅|在线|时报|日报|周刊|杂志|中文|观察|号$|news|times|post|journal|reuters|bbc|cnn|\bap\b|bloomberg|guardian|tribune|herald|online|daily|weekly|magazine|press|agency|\.com|\.cn|\.net|\.org|wire|insider|gazette|telegraph|economist|nikkei|xinhua)",
    )
    .expect("static regex")
});

/// Separators a site suffix hangs from; longer forms first so ` - ` wins over `-`.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", "——", "—", "－", "｜", "|", "_", "-",
];

/// Removes trailing site names (` - 环球网`, `_新浪财经_新浪网`, `| Reuters`).
pub(crate) fn strip_site_suffix(title: &str, site_name: Option<&str>) -> String {
    let mut title = clean_text(title);
    for _ in 0..4 {
        let Some((pos, sep)) = SEPARATORS
            .iter()
            .filter_map(|s| title.rfind(s).map(|p| (p, *s)))
            .max_by_key(|(p, s)| (*p + s.len(), s.len()))
        else {
            break;
        };
        let head = title[..pos].trim();
        let tail = title[pos + sep.len()..].trim();
        if head.chars().count() < 4 || tail.is_empty() || tail.chars().count() > 30 {
            break;
        }
        let lower_tail = tail.to_lowercase();
        let matches_site = site_name.is_some_and(|s| {
            let s = s.trim().to_lowercase();
            !s.is_empty() && (s.contains(&lower_tail) || lower_tail.contains(&s))
        });
        let site_like = SITE_WORDS.is_match(tail);
        let strip = match sep {
            // A bare hyphen also joins words ("U.S.-China"): only a Chinese site name counts.
            "-" | "－" => matches_site || (site_like && tail.chars().any(super::dom::is_cjk)),
            "|" | " | " | "｜" | "_" => {
                matches_site
                    || site_like
                    || (tail.split_whitespace().count() <= 3 && tail.chars().count() <= 16)
            }
            _ => matches_site || site_like,
        };
        if !strip {
            break;
        }
        title = head.to_string();
    }
    title
}

const MONTHS: &str = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:[T\s]*(\d{1,2})[:：](\d{2}))?",
    )
    .expect("static regex")
});

static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})\s+{MONTHS},?\s+((?:19|20)\d{{2}})(?:,?\s+(?:at\s+)?(\d{{1,2}})[:.](\d{{2}})\s*([AaPp]\.?[Mm]\.?)?)?"
    ))
    .expect("static regex")
});

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{MONTHS}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})(?:,?\s+(?:at\s+)?(\d{{1,2}})[:.](\d{{2}})\s*([AaPp]\.?[Mm]\.?)?)?"
    ))
    .expect("static regex")
});

fn format_date(y: u32, m: u32, d: u32, time: Option<(u32, u32)>) -> Option<String> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    match time {
        Some((h, min)) if h < 24 && min < 60 => {
            Some(format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}"))
        }
        _ => Some(format!("{y:04}-{m:02}-{d:02}")),
    }
}

fn english_time(
    h: Option<regex::Match<'_>>,
    m: Option<regex::Match<'_>>,
    ampm: Option<regex::Match<'_>>,
) -> Option<(u32, u32)> {
    let mut h: u32 = h?.as_str().parse().ok()?;
    let m: u32 = m?.as_str().parse().ok()?;
    if let Some(ampm) = ampm {
        let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
        if pm && h < 12 {
            h += 12;
        } else if !pm && h == 12 {
            h = 0;
        }
    }
    Some((h, m))
}

/// The first date in `text`, as `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
pub(crate) fn find_date(text: &str) -> Option<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for c in NUMERIC_DATE.captures_iter(text) {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let time = num(4).zip(num(5));
        if let Some(d) = format_date(num(1)?, num(2)?, num(3)?, time) {
            found.push((c.get(0).expect("group 0").start(), d));
            break;
        }
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        let day: u32 = c[1].parse().ok()?;
        let year: u32 = c[3].parse().ok()?;
        let time = english_time(c.get(4), c.get(5), c.get(6));
        if let Some(d) = format_date(
            year,
            crate::text::english_month(&c[2]).unwrap_or(0),
            day,
            time,
        ) {
            found.push((c.get(0).expect("group 0").start(), d));
        }
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        let day: u32 = c[2].parse().ok()?;
        let year: u32 = c[3].parse().ok()?;
        let time = english_time(c.get(4), c.get(5), c.get(6));
        if let Some(d) = format_date(
            year,
            crate::text::english_month(&c[1]).unwrap_or(0),
            day,
            time,
        ) {
            found.push((c.get(0).expect("group 0").start(), d));
        }
    }
    found
        .into_iter()
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, d)| d)
}

/// A declared date, normalised when it can be parsed and kept as written otherwise.
pub(crate) fn normalise_date(value: &str) -> String {
    find_date(value).unwrap_or_else(|| value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_title(title: &str, site: Option<&str>, expected: &str) {
        assert_eq!(strip_site_suffix(title, site), expected, "title: {title}");
    }

    #[test]
    fn site_suffixes() {
        check_title(
            "中方回应美对华芯片出口管制 - 环球网",
            None,
            "中方回应美对华芯片出口管制",
        );
        check_title(
            "央行宣布降准0.5个百分点_新浪财经_新浪网",
            None,
            "央行宣布降准0.5个百分点",
        );
        check_title(
            "Nvidia halts China orders | Reuters",
            None,
            "Nvidia halts China orders",
        );
        check_title("Storm hits coast - BBC News", None, "Storm hits coast");
        check_title("国产大飞机获新订单_网易订阅", None, "国产大飞机获新订单");
        check_title(
            "中美经贸磋商取得进展-观察者网",
            None,
            "中美经贸磋商取得进展",
        );
        check_title(
            "A headline - Example Site",
            Some("Example Site"),
            "A headline",
        );
        check_title(
            "U.S.-China trade talks resume",
            None,
            "U.S.-China trade talks resume",
        );
        check_title(
            "Biden - Harris ticket gains",
            None,
            "Biden - Harris ticket gains",
        );
        check_title("  Spaces   everywhere  ", None, "Spaces everywhere");
        check_title("中方回应——外交部", None, "中方回应——外交部");
    }

    fn check_date(text: &str, expected: Option<&str>) {
        assert_eq!(find_date(text).as_deref(), expected, "text: {text}");
    }

    #[test]
    fn dates() {
        check_date(
            "2024年10月22日 02:31 来源：环球网",
            Some("2024-10-22T02:31"),
        );
        check_date("2024-10-22 02:31:51", Some("2024-10-22T02:31"));
        check_date("2024-10-22T02:31:51+08:00", Some("2024-10-22T02:31"));
        check_date("2024/10/22", Some("2024-10-22"));
        check_date("Published 22 Oct 2024", Some("2024-10-22"));
        check_date("October 22, 2024 3:05 PM GMT", Some("2024-10-22T15:05"));
        check_date("Updated Oct. 22, 2024", Some("2024-10-22"));
        check_date("Tue, 22 Oct 2024 02:31:51 GMT", Some("2024-10-22T02:31"));
        check_date("no date here 2024", None);
        check_date("2024-13-45", None);
        assert_eq!(normalise_date("yesterday"), "yesterday");
    }
}
