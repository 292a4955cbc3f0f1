//! End-to-end runs of `citecheck check --search searxng` against local stand-ins: a fake
//! SearXNG on 127.0.0.1 (reached directly, as NO_PROXY says) and a forward proxy that serves
//! the corpus pages for their news hosts. Nothing leaves the machine.

mod support;

use std::collections::HashMap;
use std::process::Output;

use support::{
    check_via, citecheck, describe, document, parse_report, seed_article, Response, TestServer,
};

/// Runs `check FILE --format json --search searxng --search-url SEARX --proxy PROXY`.
fn assert_no_panic(output: &Output) {
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        describe(output)
    );
}

/// The absolute-form targets the proxy was asked for, without robots.txt.
fn page_targets(proxy: &TestServer) -> Vec<String> {
    proxy
        .requests()
        .into_iter()
        .filter(|r| r.path != "/robots.txt")
        .map(|r| r.target)
        .collect()
}

#[test]
fn seed_via_searxng_and_proxy_finds_all_three_sources() {
    let searx = TestServer::start(support::searxng(support::corpus_search_results()));
    let proxy = TestServer::start(support::news_proxy(support::corpus_page_map()));
    let output = check_via(&searx, &proxy, &seed_article());
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));

    let report = parse_report(&output.stdout);
    assert_eq!(report["schema"], "citecheck.report.v1");
    let doc = document(&report, 0);
    support::assert_seed_citations(doc);
    for c in support::array(doc, "citations") {
        assert_eq!(
            c["status"],
            "found",
            "citation: {c:#}\n{}",
            describe(&output)
        );
    }
    support::assert_seed_title_claim(doc);

    // The search went straight to 127.0.0.1 (NO_PROXY), as SearXNG JSON queries.
    let searches = searx.requests();
    assert!(!searches.is_empty(), "no search requests");
    for r in &searches {
        assert_eq!(r.path, "/search", "{r:?}");
        assert_eq!(
            r.query.get("format").map(String::as_str),
            Some("json"),
            "{r:?}"
        );
        assert!(!r.is_absolute_form(), "search went through a proxy: {r:?}");
    }
    let queries: Vec<&str> = searches
        .iter()
        .filter_map(|r| r.query.get("q").map(String::as_str))
        .collect();
    for key in ["中东国家出口AI芯片", "渐失中国市场", "50亿美元订单"] {
        assert!(
            queries.iter().any(|q| q.contains(key)),
            "no query with {key:?}: {queries:?}"
        );
    }

    // The pages came through the proxy, asked for in absolute form.
    let targets = page_targets(&proxy);
    assert!(
        proxy.requests().iter().all(|r| r.is_absolute_form()),
        "origin-form request to the proxy: {targets:?}"
    );
    for page in [
        "http://www.163.com/dy/article/JEQK7M2D0514R9P4.html",
        "http://finance.sina.com.cn/stock/usstock/c/2024-08-29/doc-incmkqzx4821603.shtml",
        "http://tech.huanqiu.com/article/4EfWbC0eXyz",
    ] {
        assert!(
            targets.iter().any(|t| t == page),
            "proxy never asked for {page}: {targets:?}"
        );
    }
}

#[test]
fn no_search_results_leave_citations_not_found_and_claims_unverifiable() {
    let searx = TestServer::start(support::searxng(Vec::new()));
    let proxy = TestServer::start(support::news_proxy(HashMap::new()));
    let output = check_via(&searx, &proxy, &seed_article());
    assert_no_panic(&output);
    // Unverifiable alone does not fail the default policy.
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));

    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    support::assert_seed_citations(doc);
    for c in support::array(doc, "citations") {
        assert_eq!(c["status"], "not_found", "citation: {c:#}");
        assert!(c["source"].is_null(), "citation: {c:#}");
    }
    let claims = support::array(doc, "claims");
    assert!(!claims.is_empty());
    for claim in claims {
        assert_eq!(claim["verdict"], "unverifiable", "claim: {claim:#}");
    }
    assert!(!searx.requests().is_empty(), "searxng was never asked");
    assert!(
        page_targets(&proxy).is_empty(),
        "{:?}",
        page_targets(&proxy)
    );
}

/// Serves the corpus, except that every `*.huanqiu.com` page fails with `failure`.
fn run_with_failing_huanqiu(failure: fn() -> Response) {
    let searx = TestServer::start(support::searxng(support::corpus_search_results()));
    let pages = support::news_proxy(support::corpus_page_map());
    let proxy = TestServer::start(move |req: &support::Request| {
        if req.hostname().ends_with("huanqiu.com") && req.path != "/robots.txt" {
            failure()
        } else {
            pages(req)
        }
    });
    let output = check_via(&searx, &proxy, &seed_article());
    assert_no_panic(&output);
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    support::assert_seed_citations(doc);
    let citations = support::array(doc, "citations");
    assert_eq!(citations[0]["status"], "found", "{citations:#?}");
    assert_eq!(citations[1]["status"], "found", "{citations:#?}");
    assert_eq!(citations[2]["status"], "unreachable", "{citations:#?}");
    assert!(
        page_targets(&proxy)
            .iter()
            .any(|t| t.contains("huanqiu.com/article/4EfWbC0eXyz")),
        "the 环球网 page was never tried: {:?}",
        page_targets(&proxy)
    );
    // The title claim still fails on the sources that were read.
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
}

#[test]
fn server_error_makes_a_citation_unreachable_and_the_run_completes() {
    run_with_failing_huanqiu(|| Response::status(500));
}

#[test]
fn closed_connection_makes_a_citation_unreachable_and_the_run_completes() {
    run_with_failing_huanqiu(Response::close);
}

#[test]
fn reset_connection_makes_a_citation_unreachable_and_the_run_completes() {
    run_with_failing_huanqiu(Response::reset);
}

#[test]
fn markdown_link_citation_is_fetched_through_the_proxy() {
    let url = "http://www.example-news.test/a.html";
    let headline = "英伟达发布Blackwell架构新一代GPU";
    let page = format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{headline}_科技_示例新闻网</title>
<link rel="canonical" href="{url}"></head>
<body><article><h1>{headline}</h1>
<p>2024年3月19日，英伟达在GTC大会上发布了Blackwell架构新一代GPU，黄仁勋称计算正迎来新的转折点。</p>
<p>英伟达表示，新一代GPU将在今年晚些时候向客户供货。</p>
</article></body></html>"#
    );
    let mut pages = HashMap::new();
    pages.insert(
        url.to_string(),
        ("text/html; charset=utf-8".to_string(), page.into_bytes()),
    );
    let searx = TestServer::start(support::searxng(Vec::new()));
    let proxy = TestServer::start(support::news_proxy(pages));

    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("blackwell.md");
    std::fs::write(
        &article,
        format!(
            "# 英伟达发布新一代GPU\n\n\
             英伟达在GTC大会上发布了Blackwell架构新一代GPU([{headline}]({url}))。\n"
        ),
    )
    .expect("write article");

    let output = check_via(&searx, &proxy, &article);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    let citations = support::array(doc, "citations");
    assert_eq!(citations.len(), 1, "{citations:#?}");
    let c = &citations[0];
    assert_eq!(c["url"], url, "{c:#}");
    assert_eq!(c["headline"], headline, "{c:#}");
    assert_eq!(c["line"], 3, "{c:#}");
    assert_eq!(c["status"], "found", "{c:#}");
    assert!(
        c["source"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("www.example-news.test/a.html")),
        "{c:#}"
    );

    let targets = page_targets(&proxy);
    assert!(targets.iter().any(|t| t == url), "{targets:?}");
    assert!(proxy.requests().iter().all(|r| r.is_absolute_form()));

    let id = c["id"].as_str().expect("citation id");
    let claim = support::claim_containing(doc, "Blackwell架构");
    assert!(
        support::array(claim, "cited").iter().any(|x| x == id),
        "claim does not cite {id}: {claim:#}"
    );
    let verdict = claim["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict == "supported" || verdict == "partially_supported",
        "claim: {claim:#}"
    );
}

/// Runs the seed through searxng + a proxy built from the corpus with `patch` deciding first:
/// `Some(response)` answers the request, `None` serves the corpus page.
fn run_seed_with(
    patch: impl Fn(&support::Request) -> Option<Response> + Send + Sync + 'static,
    extra_args: &[&str],
) -> (Output, TestServer) {
    let searx = TestServer::start(support::searxng(support::corpus_search_results()));
    let pages = support::news_proxy(support::corpus_page_map());
    let proxy =
        TestServer::start(move |req: &support::Request| patch(req).unwrap_or_else(|| pages(req)));
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--search", "searxng", "--search-url"])
        .arg(searx.url())
        .arg("--proxy")
        .arg(proxy.url())
        .args(extra_args)
        .output()
        .expect("run citecheck");
    assert_no_panic(&output);
    (output, proxy)
}

fn statuses(output: &Output) -> Vec<String> {
    let report = parse_report(&output.stdout);
    support::strings(support::array(document(&report, 0), "citations"), "status")
}

#[test]
fn stalled_page_times_out_as_unreachable() {
    let started = std::time::Instant::now();
    let (output, _proxy) = run_seed_with(
        |req| {
            req.hostname()
                .ends_with("huanqiu.com")
                .then(Response::stall)
        },
        &["--timeout", "1"],
    );
    assert_eq!(
        statuses(&output),
        ["found", "found", "unreachable"],
        "{}",
        describe(&output)
    );
    // One-second timeouts, a few retries at most: far below the harness's minute.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn slow_page_within_the_timeout_is_found() {
    let (output, _proxy) = run_seed_with(
        |req| {
            if !req.hostname().ends_with("huanqiu.com") || req.path == "/robots.txt" {
                return None;
            }
            let page = support::corpus_pages()
                .into_iter()
                .find(|p| support::page_key(&p.url) == support::page_key(&req.url()))?;
            Some(
                Response::bytes(&page.content_type, page.bytes)
                    .delay(std::time::Duration::from_millis(500)),
            )
        },
        &["--timeout", "10"],
    );
    assert_eq!(
        statuses(&output),
        ["found", "found", "found"],
        "{}",
        describe(&output)
    );
}

#[test]
fn forbidden_page_is_blocked() {
    let (output, _proxy) = run_seed_with(
        |req| {
            (req.hostname().ends_with("163.com") && req.path != "/robots.txt")
                .then(|| Response::status(403))
        },
        &[],
    );
    assert_eq!(
        statuses(&output),
        ["blocked", "found", "found"],
        "{}",
        describe(&output)
    );
}

#[test]
fn redirected_page_is_followed_through_the_proxy() {
    // The search result is an old URL that now redirects to the page.
    let old = "http://www.163.com/old/JEQK7M2D0514R9P4.html";
    let new = "http://www.163.com/dy/article/JEQK7M2D0514R9P4.html";
    let results = support::corpus_search_results()
        .into_iter()
        .map(|(url, title, snippet)| {
            let url = if url == new { old.to_string() } else { url };
            (url, title, snippet)
        })
        .collect();
    let searx = TestServer::start(support::searxng(results));
    let pages = support::news_proxy(support::corpus_page_map());
    let proxy = TestServer::start(move |req: &support::Request| {
        if req.url() == old {
            Response::redirect(301, new)
        } else {
            pages(req)
        }
    });
    let output = check_via(&searx, &proxy, &seed_article());
    assert_no_panic(&output);
    assert_eq!(
        statuses(&output),
        ["found", "found", "found"],
        "{}",
        describe(&output)
    );
    let targets = page_targets(&proxy);
    assert!(targets.iter().any(|t| t == old), "{targets:?}");
    assert!(targets.iter().any(|t| t == new), "{targets:?}");
}

#[test]
fn corpus_mode_makes_no_network_requests() {
    // The proxy records anything the binary would send out; in corpus mode nothing is.
    let proxy = TestServer::start(|_: &support::Request| Response::status(502));
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--proxy"])
        .arg(proxy.url())
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let requests: Vec<String> = proxy.requests().into_iter().map(|r| r.target).collect();
    assert!(requests.is_empty(), "corpus mode went out: {requests:?}");
}

#[test]
fn offline_mode_does_not_fetch_cited_urls() {
    // chipmaker-earnings.md links to reuters.com; --offline must not try to fetch it.
    let proxy = TestServer::start(|_: &support::Request| Response::status(502));
    let output = citecheck()
        .arg("check")
        .arg(support::repo_root().join("fixtures/articles/chipmaker-earnings.md"))
        .args(["--format", "json", "--offline", "--proxy"])
        .arg(proxy.url())
        .output()
        .expect("run citecheck");
    assert_no_panic(&output);
    assert_ne!(output.status.code(), Some(2), "{}", describe(&output));
    let requests: Vec<String> = proxy.requests().into_iter().map(|r| r.target).collect();
    assert!(requests.is_empty(), "--offline went out: {requests:?}");
}
