//! Resolution against local servers: a dead cited URL is read from the Wayback Machine's
//! capture closest to the cited date; the archive's own failures leave the citation as it was.

mod support;

use async_trait::async_trait;
use citecheck::cite::registry::OutletRegistry;
use citecheck::fetch::{FetchError, FetchedPage, Fetcher};
use citecheck::model::{Citation, CitationKind, CitationStatus};
use citecheck::resolve::resolve_citation_with;
use citecheck::search::Wayback;
use support::search_apis::{self, Script};
use support::{Response, TestServer};

const DEAD: &str = "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/";

/// The live web, where the cited page is gone (404), and plain HTTP for everything on
/// 127.0.0.1 (the archive).
struct DeadLinkWeb {
    client: reqwest::Client,
}

#[async_trait]
impl Fetcher for DeadLinkWeb {
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
        if !url.starts_with("http://127.0.0.1") {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: 404,
            });
        }
        let r = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| FetchError::Connect {
                url: url.to_string(),
                message: e.to_string(),
            })?;
        let status = r.status().as_u16();
        if status != 200 {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        Ok(FetchedPage {
            url: url.to_string(),
            final_url: url.to_string(),
            status,
            content_type: Some("text/html".to_string()),
            html: r.text().await.unwrap_or_default(),
            encoding: "UTF-8".to_string(),
            etag: None,
            last_modified: None,
        })
    }
}

fn citation() -> Citation {
    Citation {
        id: "c1".to_string(),
        kind: CitationKind::Link,
        outlet: Some("Reuters".to_string()),
        registry_outlet: None,
        headline: Some("Nvidia halts H20 production".to_string()),
        url: Some(DEAD.to_string()),
        date: Some("22 August 2025".to_string()),
        line: 1,
        column: 1,
    }
}

fn archive_page(title: &str, text: &str) -> String {
    format!(
        "<html><head><title>{title} | Reuters</title></head><body><nav><a href=\"/\">Home</a> \
         <a href=\"/world\">World</a></nav><article><h1>{title}</h1><p>{text}</p></article>\
         <footer>© Reuters</footer></body></html>"
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn dead_cited_url_is_read_from_the_closest_capture() {
    let archive = TestServer::start(search_apis::wayback(
        vec![
            (
                DEAD.to_string(),
                "20250822120000".to_string(),
                archive_page(
                    "Nvidia halts H20 production",
                    "Nvidia has asked suppliers to halt work related to its H20 chip.",
                ),
            ),
            (
                DEAD.to_string(),
                "20260101000000".to_string(),
                archive_page("Page not found", ""),
            ),
        ],
        Script::default(),
    ));
    let wayback = Wayback::new(&archive.url(), client());
    let web = DeadLinkWeb { client: client() };
    let r = resolve_citation_with(
        &citation(),
        "",
        &OutletRegistry::builtin(),
        &[],
        &web,
        Some(&wayback),
    )
    .await;
    assert_eq!(r.status, CitationStatus::Found, "{r:?}");
    let chosen = r.chosen.unwrap();
    assert_eq!(
        chosen.url,
        format!("{}/web/20250822120000/{DEAD}", archive.url())
    );
    assert!(
        chosen.domain_match,
        "the archived page is still the outlet's"
    );
    let page = r.page.unwrap();
    assert!(page.text().contains("H20 chip"));
    let detail = r.detail.unwrap();
    assert!(
        detail.starts_with(&format!(
            "{DEAD}: http status 404; read the archived copy of 2025-08-22"
        )),
        "{detail}"
    );
    let asked = archive.requests();
    assert_eq!(asked[0].path, "/wayback/available");
    assert_eq!(asked[0].query["timestamp"], "20250822");
    assert!(
        asked[1].target.contains("20250822120000id_/"),
        "{:?}",
        asked[1].target
    );
}

#[tokio::test]
async fn archive_without_a_capture_or_failing_leaves_the_link_unreachable() {
    for script in [
        Script::default(),
        Script::new(vec![Response::status(429).header("Retry-After", "600")]),
        Script::new(vec![Response::new(
            200,
            "application/json",
            "{\"archived_snapshots\":",
        )]),
    ] {
        let archive = TestServer::start(search_apis::wayback(Vec::new(), script));
        let wayback = Wayback::new(&archive.url(), client());
        let web = DeadLinkWeb { client: client() };
        let r = resolve_citation_with(
            &citation(),
            "",
            &OutletRegistry::builtin(),
            &[],
            &web,
            Some(&wayback),
        )
        .await;
        assert_eq!(r.status, CitationStatus::Unreachable, "{r:?}");
        assert_eq!(r.detail, Some(format!("{DEAD}: http status 404")));
    }
}
