//! `--exclude-outlet` and `--exclude-domain` (and `run.exclude_outlets`, `run.exclude_domains`)
//! end to end, against a local SearXNG-style index and a page proxy. An excluded citation is
//! reported as `excluded` and never searched or fetched, and a search result on an excluded
//! domain is never taken, even when it is the best match. The human report names what was
//! excluded.

mod support;

use std::collections::HashMap;
use support::{citecheck, describe, document, parse_report, SearxResult, TestServer};

fn page(site: &str, title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} - {site}</title>
<meta property="og:title" content="{title}"></head><body>
<header><nav><a href="/">{site}</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main><article><h1>{title}</h1>
{body}</article>
<aside class="related"><h3>More stories</h3><ul><li><a href="/r/1">Markets wrap</a></li></ul></aside>
<section class="comments"><div class="comment">Thanks for this.</div></section></main>
<footer>© 2025 {site}. <a href="/privacy">Privacy</a></footer>
</body></html>"#
    )
}

const REUTERS_URL: &str = "http://www.reuters.com/business/harbour-ships-record-2025-05-02/";
const MIRROR_URL: &str = "http://news.mirror-site.test/harbour-ships-record.html";
const BBC_URL: &str = "http://www.bbc.co.uk/news/business-harbour-cranes";

const SHIPS: &[&str] = &[
    "The port of Harwick handled 412 ships in April, a record for the month, its authority said on Friday.",
    "Container volumes rose 9% from a year earlier.",
];
const CRANES: &[&str] = &[
    "The port of Harwick will buy six electric cranes this year, its authority said.",
    "The cranes will cost 48 million pounds.",
];

fn servers() -> (TestServer, TestServer) {
    let results = vec![
        SearxResult::new(
            MIRROR_URL,
            "Harwick port handled record 412 ships in April",
            SHIPS[0],
        ),
        SearxResult::new(
            REUTERS_URL,
            "Harwick port handled record 412 ships in April",
            SHIPS[0],
        ),
        SearxResult::new(
            BBC_URL,
            "Harwick port to buy six electric cranes",
            CRANES[0],
        ),
    ];
    let mut pages = HashMap::new();
    for (url, site, title, paragraphs) in [
        (
            REUTERS_URL,
            "Reuters",
            "Harwick port handled record 412 ships in April",
            SHIPS,
        ),
        (
            MIRROR_URL,
            "Mirror Site",
            "Harwick port handled record 412 ships in April",
            SHIPS,
        ),
        (
            BBC_URL,
            "BBC News",
            "Harwick port to buy six electric cranes",
            CRANES,
        ),
    ] {
        pages.insert(
            url.to_string(),
            (
                "text/html; charset=utf-8".to_string(),
                page(site, title, paragraphs).into_bytes(),
            ),
        );
    }
    (
        TestServer::start(support::searxng_results(results)),
        TestServer::start(support::news_proxy(pages)),
    )
}

const ARTICLE: &str = "# Harwick port\n\n\
The port of Harwick handled 412 ships in April, a record for the month, according to Reuters.\n\n\
The port will buy six electric cranes this year, the BBC reported.\n\n\
Container volumes rose 9% from a year earlier, according to [a shipping blog](http://news.mirror-site.test/harbour-ships-record.html).\n\n\
Source: Harwick Echo — \"Harwick port handled record 412 ships in April\"\n";

fn run(args: &[&str], config: Option<&str>) -> (std::process::Output, TestServer, TestServer) {
    let (searx, proxy) = servers();
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("harbour.md");
    std::fs::write(&article, ARTICLE).unwrap();
    let mut cmd = citecheck();
    cmd.arg("check")
        .arg(&article)
        .args(["--search", "searxng", "--search-url"])
        .arg(searx.url())
        .arg("--proxy")
        .arg(proxy.url())
        .args(args);
    if let Some(text) = config {
        let path = dir.path().join("citecheck.toml");
        std::fs::write(&path, text).unwrap();
        cmd.arg("--config").arg(&path);
    }
    let output = cmd.output().expect("run citecheck");
    (output, searx, proxy)
}

fn citation<'a>(doc: &'a serde_json::Value, outlet: &str) -> &'a serde_json::Value {
    support::array(doc, "citations")
        .iter()
        .find(|c| c["outlet"].as_str() == Some(outlet))
        .unwrap_or_else(|| panic!("no citation of {outlet}: {doc:#}"))
}

/// The article's link to the mirror.
fn mirror_link(doc: &serde_json::Value) -> &serde_json::Value {
    support::array(doc, "citations")
        .iter()
        .find(|c| c["url"].as_str() == Some(MIRROR_URL))
        .unwrap_or_else(|| panic!("no link citation: {doc:#}"))
}

fn fetched(proxy: &TestServer) -> Vec<String> {
    proxy.requests().iter().map(|r| r.url()).collect()
}

#[test]
fn without_exclusions_the_mirror_is_a_source() {
    let (output, _searx, _proxy) = run(&["--format", "json"], None);
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    let echo = citation(doc, "Harwick Echo");
    assert_eq!(echo["source"]["url"], MIRROR_URL, "{echo:#}");
    let link = mirror_link(doc);
    assert_eq!(link["status"], "found", "{link:#}");
}

#[test]
fn an_excluded_outlet_is_reported_and_never_searched_or_fetched() {
    let (output, searx, proxy) = run(&["--format", "json", "--exclude-outlet", "路透社"], None);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        describe(&output)
    );
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    let reuters = citation(doc, "Reuters");
    assert_eq!(reuters["status"], "excluded", "{reuters:#}");
    assert!(
        reuters["detail"]
            .as_str()
            .is_some_and(|d| d.contains("excluded outlet 路透社")),
        "{reuters:#}"
    );
    // The other citations are checked as usual.
    assert_eq!(citation(doc, "BBC")["status"], "found", "{doc:#}");
    // Nothing was searched for the Reuters citation and no page taken for it. (Reuters's page
    // may still be fetched as the source of another citation: excluding an outlet excludes
    // its citations; `--exclude-domain` keeps its pages out.)
    let queries: Vec<String> = searx.requests().iter().map(|r| r.url()).collect();
    assert!(
        !queries.iter().any(|q| q.to_lowercase().contains("reuters")),
        "{queries:#?}"
    );
    assert!(reuters["source"].is_null(), "{reuters:#}");
    assert!(!fetched(&proxy).is_empty());
    // Its claim is unverifiable, and says why.
    let claim = support::claim_containing(doc, "412 ships");
    assert_eq!(claim["verdict"], "unverifiable", "{claim:#}");
}

#[test]
fn an_excluded_domain_is_never_a_source_from_search_or_from_a_link() {
    let (output, _searx, proxy) = run(
        &["--format", "json"],
        Some("[run]\nexclude_domains = [\"mirror-site.test\"]\n"),
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        describe(&output)
    );
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    // Search ranked the mirror first; it is dropped, and Reuters's own page is the source.
    let reuters = citation(doc, "Reuters");
    assert_eq!(reuters["status"], "found", "{reuters:#}");
    assert_eq!(reuters["source"]["url"], REUTERS_URL, "{reuters:#}");
    // The headline citation of an unregistered outlet takes Reuters's copy, not the mirror.
    assert_eq!(
        citation(doc, "Harwick Echo")["source"]["url"],
        REUTERS_URL,
        "{doc:#}"
    );
    // The link to the excluded domain is excluded, not fetched.
    let link = mirror_link(doc);
    assert_eq!(link["status"], "excluded", "{link:#}");
    assert!(
        link["detail"]
            .as_str()
            .is_some_and(|d| d.contains("excluded domain mirror-site.test")),
        "{link:#}"
    );
    assert!(
        !fetched(&proxy).iter().any(|u| u.contains("mirror-site")),
        "{:#?}",
        fetched(&proxy)
    );
}

#[test]
fn the_human_report_names_what_was_excluded() {
    let (output, _searx, _proxy) = run(
        &[
            "--format",
            "human",
            "--exclude-outlet",
            "BBC",
            "--exclude-domain",
            "https://www.mirror-site.test/",
        ],
        Some("[run]\nexclude_outlets = [\"Reuters\"]\n"),
    );
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        describe(&output)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Excluded by your settings: outlets Reuters, BBC; domains mirror-site.test"),
        "{text}"
    );
    assert_eq!(text.matches("excluded  ").count(), 3, "{text}");
    assert!(!text.contains("panicked"), "{text}");
}
