//! Checks the local test servers in `tests/support/` themselves, so a failing end-to-end test
//! points at the binary and not at its stand-ins.

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use support::{Response, TestServer};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn proxied_client(proxy: &TestServer) -> reqwest::Client {
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(proxy.url()).expect("proxy url"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

fn sample_results() -> Vec<(String, String, String)> {
    vec![
        (
            "https://www.example-news.test/chips.html".to_string(),
            "美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片".to_string(),
            "据报道，美国官员正在考虑限制向中东国家出口先进AI芯片。".to_string(),
        ),
        (
            "https://finance.example.test/nv.html".to_string(),
            "渐失中国市场，不影响英伟达狂飙？".to_string(),
            "英伟达在中国市场的份额下降。".to_string(),
        ),
        (
            "https://www.other.test/weather".to_string(),
            "Rain expected over the weekend".to_string(),
            "Forecasters expect heavy rain on Saturday.".to_string(),
        ),
    ]
}

#[tokio::test]
async fn searxng_returns_matching_results_as_json() {
    let server = TestServer::start(support::searxng(sample_results()));
    let resp = client()
        .get(format!("{}/search", server.url()))
        .query(&[
            (
                "q",
                "鲁中晨报 美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片",
            ),
            ("format", "json"),
        ])
        .send()
        .await
        .expect("search request");
    assert_eq!(resp.status(), 200);
    assert!(resp
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("application/json")));
    let body: serde_json::Value =
        serde_json::from_slice(&resp.bytes().await.expect("body")).expect("json body");
    let results = body["results"].as_array().expect("results array");
    assert!(!results.is_empty(), "{body}");
    assert_eq!(
        results[0]["url"], "https://www.example-news.test/chips.html",
        "{body}"
    );
    assert!(results
        .iter()
        .all(|r| r["url"] != "https://www.other.test/weather"));
    for key in ["url", "title", "content", "publishedDate"] {
        assert!(results[0].get(key).is_some(), "missing {key}: {body}");
    }

    let req = &server.requests()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(req.path, "/search");
    assert_eq!(req.query["format"], "json");
    assert!(!req.is_absolute_form());
}

#[tokio::test]
async fn searxng_honours_site_operators_and_english_words() {
    let server = TestServer::start(support::searxng(sample_results()));
    let search = |q: &'static str| {
        let url = format!("{}/search", server.url());
        async move {
            let body = client()
                .get(url)
                .query(&[("q", q), ("format", "json")])
                .send()
                .await
                .expect("search request")
                .bytes()
                .await
                .expect("body");
            let body: serde_json::Value = serde_json::from_slice(&body).expect("json body");
            body["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["url"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search("中国市场份额下降 site:example.test").await,
        vec!["https://finance.example.test/nv.html"]
    );
    assert_eq!(
        search("中国市场份额下降 site:example-news.test").await,
        Vec::<String>::new()
    );
    assert_eq!(
        search("rain weekend forecast").await,
        vec!["https://www.other.test/weather"]
    );
    assert_eq!(search("site:other.test").await.len(), 1);
    assert!(search("completely unrelated words").await.is_empty());
}

#[tokio::test]
async fn searxng_refuses_other_formats_and_paths() {
    let server = TestServer::start(support::searxng(sample_results()));
    let resp = client()
        .get(format!("{}/search?q=rain&format=html", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = client()
        .get(format!("{}/search?q=rain", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = client()
        .get(format!("{}/other?q=rain&format=json", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn news_proxy_serves_pages_for_absolute_form_requests() {
    let mut pages = HashMap::new();
    pages.insert(
        "https://www.example-news.test/a.html".to_string(),
        (
            "text/html; charset=utf-8".to_string(),
            "<html><title>新闻</title><p>正文</p></html>"
                .as_bytes()
                .to_vec(),
        ),
    );
    let gbk = encoding_rs::GBK
        .encode("<html><p>中文</p></html>")
        .0
        .into_owned();
    pages.insert(
        "http://gbk.example-news.test/b".to_string(),
        ("text/html; charset=gbk".to_string(), gbk.clone()),
    );
    let proxy = TestServer::start(support::news_proxy(pages));
    let client = proxied_client(&proxy);

    // Saved as https, reached over plain HTTP through the proxy.
    let resp = client
        .get("http://www.example-news.test/a.html")
        .send()
        .await
        .expect("proxied request");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.text().await.unwrap(),
        "<html><title>新闻</title><p>正文</p></html>"
    );

    let resp = client
        .get("http://gbk.example-news.test/b/")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "text/html; charset=gbk"
    );
    assert_eq!(resp.bytes().await.unwrap().to_vec(), gbk);

    let resp = client
        .get("http://www.example-news.test/missing.html")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);

    let requests = proxy.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].target, "http://www.example-news.test/a.html");
    assert!(requests.iter().all(|r| r.is_absolute_form()));
    assert_eq!(requests[0].host, "www.example-news.test");
    assert_eq!(requests[0].hostname(), "www.example-news.test");
    assert_eq!(requests[0].path, "/a.html");
    assert_eq!(requests[0].url(), "http://www.example-news.test/a.html");
}

#[tokio::test]
async fn news_proxy_serves_origin_form_requests_by_host() {
    let server = TestServer::start(|req: &support::Request| {
        let mut pages = HashMap::new();
        pages.insert(
            format!("http://{}/page", req.host),
            ("text/plain".to_string(), b"direct".to_vec()),
        );
        support::news_proxy(pages)(req)
    });
    let resp = client()
        .get(format!("{}/page?x=1", server.url()))
        .send()
        .await
        .unwrap();
    // The key has no query, so `?x=1` does not match.
    assert_eq!(resp.status(), 404);
    let resp = client()
        .get(format!("{}/page", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "direct");
    let requests = server.requests();
    assert_eq!(requests[0].query["x"], "1");
    assert_eq!(requests[0].host, format!("127.0.0.1:{}", server.port()));
}

#[tokio::test]
async fn faults_delay_close_reset_and_stall() {
    let server = TestServer::start(|req: &support::Request| match req.path.as_str() {
        "/slow" => Response::html("late").delay(Duration::from_millis(300)),
        "/close" => Response::close(),
        "/reset" => Response::reset(),
        "/stall" => Response::stall(),
        "/status" => Response::status(503),
        "/redirect" => Response::redirect(302, "/slow"),
        "/panic" => panic!("handler bug"),
        _ => Response::status(404),
    });
    let base = server.url();

    let started = Instant::now();
    let resp = client().get(format!("{base}/slow")).send().await.unwrap();
    assert_eq!(resp.text().await.unwrap(), "late");
    assert!(started.elapsed() >= Duration::from_millis(300));

    assert!(client().get(format!("{base}/close")).send().await.is_err());
    assert!(client().get(format!("{base}/reset")).send().await.is_err());

    let short = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = short
        .get(format!("{base}/stall"))
        .send()
        .await
        .expect_err("stalled");
    assert!(err.is_timeout(), "{err:?}");

    let resp = client().get(format!("{base}/status")).send().await.unwrap();
    assert_eq!(resp.status(), 503);
    let resp = client()
        .get(format!("{base}/redirect"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url().path(), "/slow");
    let resp = client().get(format!("{base}/panic")).send().await.unwrap();
    assert_eq!(resp.status(), 500);

    // Dropping the server with a stalled connection still open must not hang.
    let stalled = tokio::spawn(
        client()
            .get(format!("{base}/stall"))
            .timeout(Duration::from_secs(30))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    drop(server);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stalled.await.unwrap().is_err());
}

#[test]
fn saved_from_url_reads_the_first_line() {
    assert_eq!(
        support::saved_from_url(
            b"<!-- saved from url=(0045)https://www.example.com/news/2024/a.html -->\n<html>"
        )
        .as_deref(),
        Some("https://www.example.com/news/2024/a.html")
    );
    assert_eq!(
        support::saved_from_url(b"<!-- saved from url=http://a.test/x -->\r\n").as_deref(),
        Some("http://a.test/x")
    );
    assert_eq!(support::saved_from_url(b"<html>\n"), None);
}

#[test]
fn declared_encoding_finds_meta_charset() {
    assert_eq!(
        support::declared_encoding(
            br#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#
        ),
        encoding_rs::GBK
    );
    assert_eq!(
        support::declared_encoding(br#"<meta charset="UTF-8">"#),
        encoding_rs::UTF_8
    );
    assert_eq!(
        support::declared_encoding(b"<p>none</p>"),
        encoding_rs::UTF_8
    );
}

#[test]
fn page_keys_ignore_scheme_port_and_trailing_slash() {
    assert_eq!(
        support::page_key("https://WWW.Example.test:443/a/"),
        support::page_key("http://www.example.test/a")
    );
    assert_ne!(
        support::page_key("http://www.example.test/a?x=1"),
        support::page_key("http://www.example.test/a")
    );
    assert_eq!(support::http_url("https://a.test/x"), "http://a.test/x");
}

#[test]
fn corpus_pages_have_urls_titles_and_snippets() {
    for page in support::corpus_pages() {
        assert!(
            page.url.starts_with("http://") || page.url.starts_with("https://"),
            "{}: {}",
            page.path.display(),
            page.url
        );
        assert!(!page.title.is_empty(), "{}: no title", page.path.display());
        assert!(
            !page.title.contains('\u{FFFD}'),
            "{}: {}",
            page.path.display(),
            page.title
        );
        assert!(
            !page.snippet.contains('\u{FFFD}'),
            "{}",
            page.path.display()
        );
        assert!(page.content_type.starts_with("text/html; charset="));
    }
}

#[tokio::test]
async fn corpus_search_ranks_the_cited_pages_first() {
    let server = TestServer::start(support::searxng(support::corpus_search_results()));
    let expected = [
        "http://www.163.com/dy/article/JEQK7M2D0514R9P4.html",
        "http://finance.sina.com.cn/stock/usstock/c/2024-08-29/doc-incmkqzx4821603.shtml",
        "http://tech.huanqiu.com/article/4EfWbC0eXyz",
    ];
    for ((outlet, headline), url) in support::SEED_CITATIONS.iter().zip(expected) {
        for q in [headline.to_string(), format!("{outlet} {headline}")] {
            let body = client()
                .get(format!("{}/search", server.url()))
                .query(&[("q", q.as_str()), ("format", "json")])
                .send()
                .await
                .expect("search")
                .bytes()
                .await
                .expect("body");
            let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
            assert_eq!(body["results"][0]["url"], url, "query {q}: {body:#}");
        }
    }
}

#[tokio::test]
async fn corpus_pages_are_served_through_the_proxy_in_their_charset() {
    let proxy = TestServer::start(support::news_proxy(support::corpus_page_map()));
    let client = proxied_client(&proxy);
    let resp = client
        .get("http://finance.sina.com.cn/stock/usstock/c/2024-08-29/doc-incmkqzx4821603.shtml")
        .send()
        .await
        .expect("proxied request");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "text/html; charset=gbk"
    );
    let bytes = resp.bytes().await.unwrap();
    let (text, _, had_errors) = encoding_rs::GBK.decode(&bytes);
    assert!(!had_errors);
    assert!(text.contains("渐失中国市场"));
}
