//! The on-disk HTTP cache against a local server: fresh entries served without a request,
//! stale ones revalidated with `If-None-Match`/`If-Modified-Since` (a 304 serves the entry),
//! changed pages replaced, failures never cached, and offline runs served from the cache only.

#[path = "support/fetch_faults.rs"]
mod faults;

use citecheck::fetch::{FetchError, FetchSettings, Fetcher, HttpFetcher};
use faults::{article, response, FaultServer, Reply};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn settings(dir: &std::path::Path, ttl: Duration) -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(5),
        retries: 0,
        allow_private: true,
        robots: false,
        per_host_rate: 0.0,
        cache_dir: Some(dir.to_path_buf()),
        cache_ttl: ttl,
        ..FetchSettings::default()
    }
}

/// A page with validators that answers 304 when they match, and `version` decides its body.
fn validating_server(version: Arc<AtomicUsize>) -> FaultServer {
    FaultServer::start(move |hit| {
        let v = version.load(Ordering::SeqCst);
        let etag = format!("\"v{v}\"");
        if hit.header("if-none-match").as_deref() == Some(etag.as_str()) {
            return Reply::Bytes(response("304 Not Modified", &[("ETag", &etag)], b""));
        }
        Reply::Bytes(response(
            "200 OK",
            &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("ETag", &etag),
                ("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ],
            article(&format!("第{v}版新闻")).as_bytes(),
        ))
    })
}

#[tokio::test]
async fn fresh_entries_need_no_request() {
    let dir = tempfile::tempdir().unwrap();
    let server = validating_server(Arc::new(AtomicUsize::new(1)));
    let url = format!("{}/a", server.url());
    let s = settings(dir.path(), Duration::from_secs(3600));
    let first = HttpFetcher::new(&s).unwrap().get(&url).await.unwrap();
    // A new fetcher (a new run) reads the same folder.
    let second = HttpFetcher::new(&s).unwrap().get(&url).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(server.hits().len(), 1);
}

#[tokio::test]
async fn stale_entries_are_revalidated() {
    let dir = tempfile::tempdir().unwrap();
    let version = Arc::new(AtomicUsize::new(1));
    let server = validating_server(version.clone());
    let url = format!("{}/a", server.url());
    let s = settings(dir.path(), Duration::ZERO);
    let fetcher = HttpFetcher::new(&s).unwrap();
    let first = fetcher.get(&url).await.unwrap();
    assert!(first.html.contains("第1版新闻"));
    // Unchanged: a 304, and the cached page.
    let again = fetcher.get(&url).await.unwrap();
    assert_eq!(again, first);
    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[1].header("if-none-match").as_deref(), Some("\"v1\""));
    assert_eq!(
        hits[1].header("if-modified-since").as_deref(),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    // Changed: the new page replaces the entry.
    version.store(2, Ordering::SeqCst);
    let changed = fetcher.get(&url).await.unwrap();
    assert!(changed.html.contains("第2版新闻"));
    let offline = HttpFetcher::new(&FetchSettings {
        offline: true,
        ..s.clone()
    })
    .unwrap();
    assert!(offline.get(&url).await.unwrap().html.contains("第2版新闻"));
}

#[tokio::test]
async fn failures_are_never_cached() {
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = FaultServer::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::Bytes(response("503 Service Unavailable", &[], b"busy")),
        1 => Reply::Stall(Vec::new()),
        _ => Reply::Bytes(response(
            "200 OK",
            &[("Content-Type", "text/html")],
            article("恢复").as_bytes(),
        )),
    });
    let url = format!("{}/a", server.url());
    let s = FetchSettings {
        timeout: Duration::from_millis(500),
        ..settings(dir.path(), Duration::from_secs(3600))
    };
    let fetcher = HttpFetcher::new(&s).unwrap();
    assert_eq!(
        fetcher.get(&url).await.unwrap_err(),
        FetchError::Status {
            url: url.clone(),
            status: 503
        }
    );
    assert_eq!(
        fetcher.get(&url).await.unwrap_err(),
        FetchError::Timeout { url: url.clone() }
    );
    assert!(fetcher.get(&url).await.unwrap().html.contains("恢复"));
    assert_eq!(server.hits().len(), 3);
}

#[tokio::test]
async fn offline_uses_only_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let server = validating_server(Arc::new(AtomicUsize::new(1)));
    let cached = format!("{}/cached", server.url());
    let missing = format!("{}/missing", server.url());
    let online = settings(dir.path(), Duration::ZERO);
    HttpFetcher::new(&online)
        .unwrap()
        .get(&cached)
        .await
        .unwrap();
    let offline = HttpFetcher::new(&FetchSettings {
        offline: true,
        ..online
    })
    .unwrap();
    // However old, the entry is served; what is not cached is `Offline`, with no request.
    assert!(offline
        .get(&cached)
        .await
        .unwrap()
        .html
        .contains("第1版新闻"));
    assert_eq!(
        offline.get(&missing).await.unwrap_err(),
        FetchError::Offline { url: missing }
    );
    assert_eq!(server.hits().len(), 1);
}
