//! The SSRF guard end to end: every vector refused as `FetchError::Blocked`, asked for directly
//! and through a redirect from an allowed host (reached through a local forward proxy, which is
//! trusted); names checked on the addresses they resolve to; credentials never sent to another
//! host; `--allow-private` lifting it; and a citation of a private address reported `blocked`
//! by the binary.

#[path = "support/fetch_faults.rs"]
mod faults;
mod support;

use citecheck::fetch::{build_client, FetchError, FetchSettings, Fetcher, HttpFetcher};
use faults::{article, html, redirect, response, FaultServer, Reply};
use std::time::Duration;

/// Guard on, nothing else in the way.
fn guarded() -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        retries: 0,
        robots: false,
        per_host_rate: 0.0,
        ..FetchSettings::default()
    }
}

/// Each vector with the words its refusal must contain. `PORT` is replaced by the port of a
/// live local server, so a vector that got through would be answered.
const VECTORS: &[(&str, &str)] = &[
    ("http://127.0.0.1:PORT/", "loopback address 127.0.0.1"),
    ("http://127.8.8.8:PORT/", "loopback address 127.8.8.8"),
    ("http://localhost:PORT/", "loopback name localhost"),
    ("http://app.localhost:PORT/", "loopback name app.localhost"),
    ("http://[::1]:PORT/", "loopback address ::1"),
    (
        "http://[::ffff:127.0.0.1]:PORT/",
        "ipv4-mapped loopback address",
    ),
    (
        "http://[::ffff:7f00:1]:PORT/",
        "ipv4-mapped loopback address",
    ),
    (
        "http://[::127.0.0.1]:PORT/",
        "ipv4-compatible non-public address",
    ),
    ("http://2130706433:PORT/", "loopback address 127.0.0.1"),
    ("http://0177.0.0.1:PORT/", "loopback address 127.0.0.1"),
    ("http://0x7f.0.0.1:PORT/", "loopback address 127.0.0.1"),
    ("http://0x7f000001:PORT/", "loopback address 127.0.0.1"),
    ("http://127.1:PORT/", "loopback address 127.0.0.1"),
    ("http://0.0.0.0:PORT/", "unspecified address 0.0.0.0"),
    ("http://[::]:PORT/", "unspecified address ::"),
    ("http://10.0.0.1/", "private address 10.0.0.1"),
    ("http://172.16.5.4/", "private address 172.16.5.4"),
    ("http://192.168.1.1/", "private address 192.168.1.1"),
    ("http://012.0.0.1/", "private address 10.0.0.1"),
    ("http://3232235777/", "private address 192.168.1.1"),
    ("http://100.64.0.1/", "shared (cgnat) address 100.64.0.1"),
    ("http://169.254.1.1/", "link-local address 169.254.1.1"),
    ("http://[fe80::1]/", "link-local address fe80::1"),
    ("http://[fc00::1]/", "unique-local address fc00::1"),
    (
        "http://[fd12:3456::1]/",
        "unique-local address fd12:3456::1",
    ),
    ("http://224.0.0.1/", "multicast address 224.0.0.1"),
    ("http://[ff02::1]/", "multicast address ff02::1"),
    (
        "http://255.255.255.255/",
        "broadcast address 255.255.255.255",
    ),
    ("http://192.0.2.1/", "documentation address 192.0.2.1"),
    (
        "http://169.254.169.254/latest/meta-data/",
        "cloud metadata address 169.254.169.254",
    ),
    (
        "http://2852039166/latest/meta-data/",
        "cloud metadata address 169.254.169.254",
    ),
    (
        "http://[::ffff:169.254.169.254]/",
        "ipv4-mapped cloud metadata address",
    ),
    (
        "http://[fd00:ec2::254]/",
        "cloud metadata address fd00:ec2::254",
    ),
    (
        "http://metadata.google.internal/computeMetadata/v1/",
        "cloud metadata name metadata.google.internal",
    ),
    ("http://db.corp.internal/", "internal name db.corp.internal"),
    ("http://intranet/", "single-label (intranet) name intranet"),
];

fn vectors(port: u16) -> Vec<(String, &'static str)> {
    VECTORS
        .iter()
        .map(|(url, reason)| (url.replace("PORT", &port.to_string()), *reason))
        .collect()
}

fn assert_blocked(error: &FetchError, url: &str, words: &str) {
    match error {
        FetchError::Blocked { url: u, reason } => {
            assert_eq!(u, url);
            assert!(reason.contains(words), "{url}: {reason:?} lacks {words:?}");
            assert!(reason.contains("ssrf guard"), "{url}: {reason:?}");
        }
        other => panic!("{url}: not blocked: {other:?}"),
    }
}

#[tokio::test]
async fn each_vector_is_blocked_when_asked_for_directly() {
    let target = FaultServer::start(|_| html("200 OK", &article("内部页面")));
    let fetcher = HttpFetcher::new(&guarded()).unwrap();
    for (url, words) in vectors(target.port()) {
        let error = fetcher.get(&url).await.unwrap_err();
        assert_blocked(&error, &url, words);
    }
    assert!(
        target.hits().is_empty(),
        "a vector got through: {:?}",
        target.targets()
    );
}

#[tokio::test]
async fn each_vector_is_blocked_through_a_redirect_from_an_allowed_host() {
    let target = FaultServer::start(|_| html("200 OK", &article("内部页面")));
    let list = vectors(target.port());
    let locations: Vec<String> = list.iter().map(|(url, _)| url.clone()).collect();
    // The proxy stands in for the public host news.example.test.
    let proxy = FaultServer::start(move |hit| {
        let path = hit.path();
        if path == "/ok" {
            return html("200 OK", &article("公开新闻"));
        }
        match path
            .strip_prefix("/go/")
            .and_then(|i| i.parse::<usize>().ok())
        {
            Some(i) if i < locations.len() => redirect(&locations[i]),
            _ => html("404 Not Found", ""),
        }
    });
    let settings = FetchSettings {
        proxy: Some(proxy.url()),
        ..guarded()
    };
    let fetcher = HttpFetcher::new(&settings).unwrap();
    // The allowed host itself is reached through the proxy.
    let page = fetcher.get("http://news.example.test/ok").await.unwrap();
    assert!(page.html.contains("公开新闻"));
    for (i, (location, words)) in list.iter().enumerate() {
        let url = format!("http://news.example.test/go/{i}");
        let error = fetcher.get(&url).await.unwrap_err();
        assert_blocked(&error, &url, words);
        if let FetchError::Blocked { reason, .. } = &error {
            assert!(reason.contains("redirect to"), "{location}: {reason}");
        }
    }
    assert!(
        target.hits().is_empty(),
        "a redirect got through: {:?}",
        target.targets()
    );
    // The proxy was asked only for the allowed host, never for a vector.
    let targets = proxy.targets();
    assert_eq!(targets.len(), 1 + list.len());
    assert!(
        targets
            .iter()
            .all(|t| t.starts_with("http://news.example.test/")),
        "{targets:?}"
    );
}

#[tokio::test]
async fn names_are_checked_on_the_addresses_they_resolve_to() {
    // The client alone (as search providers use it): no pre-check, only the resolver stands
    // between a name and a loopback connection.
    let target = FaultServer::start(|_| html("200 OK", &article("内部页面")));
    let client = build_client(&guarded()).unwrap();
    let error = client
        .get(format!("http://localhost:{}/", target.port()))
        .send()
        .await
        .unwrap_err();
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    assert!(
        chain.contains("localhost resolves to loopback address") && chain.contains("ssrf guard"),
        "{chain}"
    );
    assert!(target.hits().is_empty());
    // A trusted name (a configured search URL, a proxy) resolves unfiltered.
    let trusting = build_client(&FetchSettings {
        trusted_hosts: vec!["localhost".to_owned()],
        ..guarded()
    })
    .unwrap();
    let response = trusting
        .get(format!("http://localhost:{}/", target.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // A configured service's host is trusted by the service client only: the client of cited
    // pages refuses it.
    let settings = FetchSettings {
        service_hosts: vec!["localhost".to_owned()],
        ..guarded()
    };
    let pages = build_client(&settings).unwrap();
    let refused = pages
        .get(format!("http://localhost:{}/page", target.port()))
        .send()
        .await;
    assert!(refused.is_err(), "the page client reached a service host");
    let service = citecheck::fetch::build_service_client(&settings).unwrap();
    let response = service
        .get(format!("http://localhost:{}/search", target.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn allow_private_lifts_the_guard() {
    let target = FaultServer::start(|_| html("200 OK", &article("内部页面")));
    let settings = FetchSettings {
        allow_private: true,
        ..guarded()
    };
    let fetcher = HttpFetcher::new(&settings).unwrap();
    for host in ["127.0.0.1", "localhost", "2130706433"] {
        let page = fetcher
            .get(&format!("http://{host}:{}/", target.port()))
            .await
            .unwrap();
        assert!(page.html.contains("内部页面"), "{host}");
    }
}

#[tokio::test]
async fn only_http_and_https() {
    let fetcher = HttpFetcher::new(&guarded()).unwrap();
    for url in [
        "file:///etc/passwd",
        "ftp://news.example.test/",
        "gopher://x.test/",
    ] {
        let error = fetcher.get(url).await.unwrap_err();
        assert!(
            matches!(error, FetchError::InvalidUrl { .. }),
            "{url}: {error:?}"
        );
    }
    // A redirect to another scheme is refused too.
    let proxy = FaultServer::start(|_| redirect("file:///etc/passwd"));
    let fetcher = HttpFetcher::new(&FetchSettings {
        proxy: Some(proxy.url()),
        ..guarded()
    })
    .unwrap();
    let error = fetcher.get("http://news.example.test/a").await.unwrap_err();
    assert!(
        matches!(
            error,
            FetchError::InvalidUrl { .. } | FetchError::Blocked { .. }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn credentials_are_never_sent_to_another_host() {
    let proxy = FaultServer::start(|hit| match (hit.host.as_str(), hit.path().as_str()) {
        ("a.example.test", "/login") => redirect("http://b.example.test/land"),
        ("a.example.test", "/evil") => redirect("http://user:secret@c.example.test/"),
        ("a.example.test", "/same") => redirect("/land"),
        _ => Reply::Bytes(response(
            "200 OK",
            &[("Content-Type", "text/html")],
            article("落地页").as_bytes(),
        )),
    });
    let fetcher = HttpFetcher::new(&FetchSettings {
        proxy: Some(proxy.url()),
        ..guarded()
    })
    .unwrap();
    let page = fetcher
        .get("http://user:secret@a.example.test/login")
        .await
        .unwrap();
    assert_eq!(page.final_url, "http://b.example.test/land");
    let hits = proxy.hits();
    assert_eq!(hits.len(), 2);
    assert!(
        hits[0].header("authorization").is_some(),
        "{}",
        hits[0].head
    );
    assert_eq!(hits[1].host, "b.example.test");
    assert_eq!(hits[1].header("authorization"), None, "{}", hits[1].head);
    assert!(!hits[1].head.contains("secret") && !hits[1].head.contains("dXNlcjpzZWNyZXQ"));

    // A Location handing credentials to another host is refused.
    let error = fetcher.get("http://a.example.test/evil").await.unwrap_err();
    assert!(matches!(error, FetchError::InvalidUrl { .. }), "{error:?}");
    assert_eq!(proxy.hits().len(), 3);

    // On the same host they are kept.
    fetcher
        .get("http://user:secret@a.example.test/same")
        .await
        .unwrap();
    let hits = proxy.hits();
    assert!(
        hits[4].header("authorization").is_some(),
        "{}",
        hits[4].head
    );
}

/// Through the binary, with the shared support module (its `citecheck()` keeps the run off the
/// network and gives it a fresh cache).
#[test]
fn cli_reports_a_citation_of_a_private_address_as_blocked() {
    {
        let target = FaultServer::start(|_| html("200 OK", &article("内部页面")));
        let url = format!("http://127.0.0.1:{}/internal.html", target.port());
        let dir = tempfile::tempdir().expect("tempdir");
        // An empty corpus, so no saved page stands in for the cited one.
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus dir");
        let path = dir.path().join("private.md");
        std::fs::write(
            &path,
            format!(
                "# 内部消息\n\n据报道，公司内部已经完成了新一轮的系统升级([内部消息]({url}))。\n"
            ),
        )
        .expect("write article");
        let output = support::citecheck()
            .arg("check")
            .arg(&path)
            .args(["--format", "json", "--corpus"])
            .arg(&corpus)
            .output()
            .expect("run citecheck");
        let report = support::parse_report(&output.stdout);
        let doc = support::document(&report, 0);
        let citations = support::array(doc, "citations");
        assert_eq!(citations.len(), 1, "{citations:#?}");
        assert_eq!(citations[0]["status"], "blocked", "{:#}", citations[0]);
        let detail = citations[0]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("loopback address 127.0.0.1"), "{detail}");
        assert!(target.hits().is_empty(), "the private page was fetched");

        // --allow-private lifts it.
        let output = support::citecheck()
            .arg("check")
            .arg(&path)
            .args(["--format", "json", "--allow-private", "--corpus"])
            .arg(&corpus)
            .output()
            .expect("run citecheck");
        let report = support::parse_report(&output.stdout);
        let citations = support::array(support::document(&report, 0), "citations");
        assert_eq!(
            citations[0]["status"],
            "found",
            "{}",
            support::describe(&output)
        );
        assert!(!target.hits().is_empty());
    }
}
