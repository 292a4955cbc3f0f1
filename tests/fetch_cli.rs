//! The fetcher's politeness and cache through the binary: a page robots.txt disallows is a
//! `blocked` citation, and `--offline` serves a page fetched on an earlier run from the HTTP
//! cache. Pages come from a local forward proxy; nothing leaves the machine. The corpus is an
//! empty folder, so no saved page stands in for the cited one.

mod support;

use std::collections::HashMap;
use std::path::Path;
use support::{citecheck, describe, document, parse_report, Response, TestServer};

const URL: &str = "http://www.example-news.test/tech/gpu.html";
const HEADLINE: &str = "英伟达发布Blackwell架构新一代GPU";

fn page() -> Vec<u8> {
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{HEADLINE}_科技_示例新闻网</title></head>
<body><nav><a href="/">首页</a> <a href="/tech">科技</a></nav>
<article><h1>{HEADLINE}</h1>
<p>2024年3月19日，英伟达在GTC大会上发布了Blackwell架构新一代GPU，黄仁勋称计算正迎来新的转折点。</p>
<p>英伟达表示，新一代GPU将在今年晚些时候向客户供货。</p></article>
<aside><h2>相关阅读</h2><ul><li><a href="/tech/1.html">芯片出口新规出台</a></li></ul></aside>
<footer>示例新闻网 版权所有</footer></body></html>"#
    )
    .into_bytes()
}

/// A proxy serving the page, with `robots` as www.example-news.test's robots.txt.
fn proxy(robots: &'static str) -> TestServer {
    let mut pages = HashMap::new();
    pages.insert(
        URL.to_string(),
        ("text/html; charset=utf-8".to_string(), page()),
    );
    let serve = support::news_proxy(pages);
    TestServer::start(move |req: &support::Request| {
        if req.path == "/robots.txt" {
            Response::bytes("text/plain", robots)
        } else {
            serve(req)
        }
    })
}

fn article(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("gpu.md");
    std::fs::write(
        &path,
        format!(
            "# 英伟达发布新一代GPU\n\n英伟达在GTC大会上发布了Blackwell架构新一代GPU([{HEADLINE}]({URL}))。\n"
        ),
    )
    .expect("write article");
    path
}

fn citation(output: &std::process::Output) -> serde_json::Value {
    let report = parse_report(&output.stdout);
    let citations = support::array(document(&report, 0), "citations");
    assert_eq!(citations.len(), 1, "{}", describe(output));
    citations[0].clone()
}

#[test]
fn robots_disallow_makes_the_citation_blocked() {
    let proxy = proxy("User-agent: *\nDisallow: /tech/\n");
    let dir = tempfile::tempdir().expect("tempdir");
    // An empty corpus, so the cited page can only come from the network or the cache.
    let empty_corpus = dir.path().join("corpus");
    std::fs::create_dir(&empty_corpus).expect("corpus dir");
    let output = citecheck()
        .arg("check")
        .arg(article(dir.path()))
        .args(["--format", "json", "--corpus"])
        .arg(&empty_corpus)
        .arg("--proxy")
        .arg(proxy.url())
        .output()
        .expect("run citecheck");
    let c = citation(&output);
    assert_eq!(c["status"], "blocked", "{c:#}");
    assert!(
        c["detail"]
            .as_str()
            .is_some_and(|d| d.contains("disallowed by robots.txt")),
        "{c:#}"
    );
    let targets: Vec<String> = proxy.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        ["http://www.example-news.test/robots.txt"],
        "the disallowed page was fetched"
    );
}

#[test]
fn offline_serves_the_http_cache_of_an_earlier_run() {
    let proxy = proxy("User-agent: *\nAllow: /\n");
    let dir = tempfile::tempdir().expect("tempdir");
    // An empty corpus, so the cited page can only come from the network or the cache.
    let empty_corpus = dir.path().join("corpus");
    std::fs::create_dir(&empty_corpus).expect("corpus dir");
    let cache = dir.path().join("cache");
    let path = article(dir.path());
    let online = citecheck()
        .env("XDG_CACHE_HOME", &cache)
        .arg("check")
        .arg(&path)
        .args(["--format", "json", "--corpus"])
        .arg(&empty_corpus)
        .arg("--proxy")
        .arg(proxy.url())
        .output()
        .expect("run citecheck");
    assert_eq!(
        citation(&online)["status"],
        "found",
        "{}",
        describe(&online)
    );
    let fetched = proxy.requests().len();
    drop(proxy);

    let offline = citecheck()
        .env("XDG_CACHE_HOME", &cache)
        .arg("check")
        .arg(&path)
        .args(["--format", "json", "--offline", "--corpus"])
        .arg(&empty_corpus)
        .output()
        .expect("run citecheck");
    let c = citation(&offline);
    assert_eq!(c["status"], "found", "{}", describe(&offline));
    assert_eq!(fetched, 2, "robots.txt and the page");

    // Without the cache, offline has nothing to serve.
    let empty = citecheck()
        .arg("check")
        .arg(&path)
        .args(["--format", "json", "--offline", "--corpus"])
        .arg(&empty_corpus)
        .output()
        .expect("run citecheck");
    assert_ne!(citation(&empty)["status"], "found", "{}", describe(&empty));
}
