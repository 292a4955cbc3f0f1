//! Each search provider against a local server that speaks its API's documented format,
//! including its error answers and rate limits: 429 with `Retry-After`, 5xx, malformed JSON,
//! HTML or text where JSON belongs, empty results. Nothing leaves 127.0.0.1.

mod support;

use citecheck::search::{
    Brave, BraveEndpoint, FactCheckTools, Gdelt, SearchError, SearchProvider, SearchQuery, Wayback,
};
use serde_json::json;
use support::search_apis::{self, Record, Script};
use support::{Response, TestServer};

const KEY: &str = "test-brave-token-0123";

fn records() -> Vec<Record> {
    vec![
        Record::new(
            "https://www.guancha.cn/economy/2025_08_22_1.shtml",
            "英伟达暂停H20芯片生产",
            "据报道，英伟达已要求供应商暂停与H20芯片相关的生产工作。",
            "2025-08-22",
        ),
        Record::new(
            "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/",
            "Nvidia halts H20 production",
            "Nvidia has asked suppliers to halt work related to its H20 chip.",
            "2025-08-22",
        ),
        Record::new(
            "https://www.example.com/nvidia-h20-roundup",
            "Nvidia H20 roundup",
            "Everything about the Nvidia H20 chip.",
            "2025-08-23",
        ),
    ]
}

fn query(text: &str, domains: &[&str], language: Option<&str>, phrase: bool) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        domains: domains.iter().map(|d| d.to_string()).collect(),
        language: language.map(str::to_string),
        limit: 10,
        phrase,
        around: None,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds")
}

fn brave_server(script: Vec<Response>) -> TestServer {
    TestServer::start(search_apis::brave(records(), KEY, Script::new(script)))
}

fn brave(server: &TestServer, key: &str, endpoint: BraveEndpoint) -> Brave {
    Brave::new(&server.url(), key, endpoint, client())
}

// ------------------------------------------------------------------------------------------
// Brave

#[tokio::test]
async fn brave_web_search_sends_the_documented_request() {
    let server = brave_server(vec![]);
    let b = brave(&server, KEY, BraveEndpoint::Web).with_freshness(Some("pm".into()));
    let got = b
        .search(&query("Nvidia halts H20 production", &[], Some("en"), true))
        .await
        .unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0].url,
        "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/"
    );
    // Brave's <strong> highlighting is removed.
    assert_eq!(got[0].title, "Nvidia halts H20 production");
    assert_eq!(got[0].published.as_deref(), Some("2025-08-22T00:00:00"));
    assert_eq!(got[0].provider, "brave");
    let req = &server.requests()[0];
    assert_eq!(req.path, "/res/v1/web/search");
    assert_eq!(req.header("x-subscription-token"), Some(KEY));
    assert_eq!(req.query["q"], "\"Nvidia halts H20 production\"");
    assert_eq!(req.query["count"], "10");
    assert_eq!(req.query["search_lang"], "en");
    assert_eq!(req.query["freshness"], "pm");
}

#[tokio::test]
async fn brave_news_and_site_restriction() {
    let server = brave_server(vec![]);
    let b = brave(&server, KEY, BraveEndpoint::News);
    let got = b
        .search(&query("英伟达 H20", &["guancha.cn"], Some("zh-CN"), false))
        .await
        .unwrap();
    let urls: Vec<&str> = got.iter().map(|c| c.url.as_str()).collect();
    assert_eq!(urls, ["https://www.guancha.cn/economy/2025_08_22_1.shtml"]);
    assert_eq!(got[0].provider, "brave_news");
    let req = &server.requests()[0];
    assert_eq!(req.path, "/res/v1/news/search");
    assert_eq!(req.query["q"], "英伟达 H20 site:guancha.cn");
    assert_eq!(req.query["search_lang"], "zh-hans");
}

#[tokio::test]
async fn brave_wrong_key_is_reported_without_the_key() {
    let server = brave_server(vec![]);
    let b = brave(&server, "wrong-secret-key", BraveEndpoint::Web);
    let err = b
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("brave: api key rejected, http status 401"),
        "{text}"
    );
    assert!(text.contains("SUBSCRIPTION_TOKEN_INVALID"), "{text}");
    assert!(!text.contains("wrong-secret-key"), "{text}");
    assert!(!format!("{b:?}").contains("wrong-secret-key"));
}

#[tokio::test]
async fn brave_short_retry_after_is_waited_out_once() {
    let server = brave_server(vec![Response::status(429).header("Retry-After", "1")]);
    let b = brave(&server, KEY, BraveEndpoint::Web);
    let got = b
        .search(&query("Nvidia H20 roundup", &[], None, false))
        .await
        .unwrap();
    assert!(!got.is_empty());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(
        reqs[1].received.duration_since(reqs[0].received) >= std::time::Duration::from_millis(900)
    );
}

#[tokio::test]
async fn brave_long_retry_after_cools_the_provider_down() {
    let server = brave_server(vec![Response::status(429)
        .header("Retry-After", "120")
        .header("X-RateLimit-Reset", "1, 2000")]);
    let b = brave(&server, KEY, BraveEndpoint::Web);
    let err = b
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        SearchError::RateLimited {
            provider: "brave".into(),
            retry_after: Some(std::time::Duration::from_secs(120)),
        }
    );
    assert_eq!(
        err.to_string(),
        "brave: rate limited (http 429), retry after 120s"
    );
    // While cooling down, nothing more is sent: no 429 storm.
    let err = b
        .search(&query("Nvidia H20", &[], None, false))
        .await
        .unwrap_err();
    assert!(matches!(err, SearchError::RateLimited { .. }), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn brave_server_errors_malformed_and_empty_answers() {
    // One 503 is retried; the retry succeeds.
    let server = brave_server(vec![Response::status(503)]);
    let b = brave(&server, KEY, BraveEndpoint::Web);
    assert!(!b
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(server.requests().len(), 2);

    let server = brave_server(vec![Response::status(500)]);
    let err = brave(&server, KEY, BraveEndpoint::Web)
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("brave: http status 500"),
        "{err}"
    );

    let server = brave_server(vec![Response::new(
        200,
        "application/json",
        "{\"web\": {\"results\": [",
    )]);
    let err = brave(&server, KEY, BraveEndpoint::Web)
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not valid json"), "{err}");

    let server = brave_server(vec![Response::html("<html><body>Captcha</body></html>")]);
    let err = brave(&server, KEY, BraveEndpoint::Web)
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not json: Captcha"), "{err}");

    let server = brave_server(vec![]);
    let got = brave(&server, KEY, BraveEndpoint::Web)
        .search(&query("nothing matches this", &[], None, false))
        .await
        .unwrap();
    assert!(got.is_empty());
}

// ------------------------------------------------------------------------------------------
// GDELT

fn gdelt_server(script: Vec<Response>) -> TestServer {
    TestServer::start(search_apis::gdelt(records(), Script::new(script)))
}

#[tokio::test]
async fn gdelt_searches_the_outlet_domain_in_its_language() {
    let server = gdelt_server(vec![]);
    let g = Gdelt::new(&server.url(), client());
    let mut q = query(
        "英伟达暂停H20芯片生产",
        &["guancha.cn"],
        Some("zh-CN"),
        true,
    );
    q.around = Some("2025-08-22".to_string());
    let got = g.search(&q).await.unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].title, "英伟达暂停H20芯片生产");
    assert_eq!(got[0].published.as_deref(), Some("2025-08-22T10:15:00Z"));
    let req = &server.requests()[0];
    assert_eq!(req.query["query"], "domainis:guancha.cn sourcelang:chinese");
    assert_eq!(req.query["mode"], "artlist");
    assert_eq!(req.query["format"], "json");
    assert_eq!(req.query["maxrecords"], "250");
    assert_eq!(req.query["startdatetime"], "20250815000000");
    assert_eq!(req.query["enddatetime"], "20250829000000");
}

#[tokio::test]
async fn gdelt_english_phrase_and_nothing_to_search() {
    let server = gdelt_server(vec![]);
    let g = Gdelt::new(&server.url(), client());
    let got = g
        .search(&query("Nvidia halts H20 production", &[], Some("en"), true))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        server.requests()[0].query["query"],
        "\"Nvidia halts H20 production\" sourcelang:english"
    );
    // Chinese words only and no domain: GDELT cannot search that, so nothing is sent.
    let got = g
        .search(&query("英伟达暂停芯片生产", &[], Some("zh-CN"), true))
        .await
        .unwrap();
    assert!(got.is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn gdelt_text_errors_with_status_200_are_errors() {
    for (answer, expected) in [
        (
            Response::new(200, "text/html", "The specified phrase is too short."),
            "gdelt: query refused (html page): The specified phrase is too short.",
        ),
        (
            Response::new(
                200,
                "text/html; charset=utf-8",
                "<html><body><h2>Invalid query</h2><p>Parentheses may only be used around OR'd statements.</p></body></html>",
            ),
            "gdelt: query refused (html page): Invalid query Parentheses may only be used around OR'd statements.",
        ),
        (
            Response::new(200, "application/json", "{\"articles\": [{\"url\": "),
            "gdelt: answer is not valid json",
        ),
        (Response::status(500), "gdelt: http status 500"),
    ] {
        let server = gdelt_server(vec![answer]);
        let err = Gdelt::new(&server.url(), client())
            .search(&query("Nvidia halts H20", &[], Some("en"), false))
            .await
            .unwrap_err();
        assert!(err.to_string().starts_with(expected), "{err}");
    }
    // Empty results come as `{}`.
    let server = gdelt_server(vec![]);
    let got = Gdelt::new(&server.url(), client())
        .search(&query("Completely unrelated words", &[], Some("en"), false))
        .await
        .unwrap();
    assert!(got.is_empty());
}

#[tokio::test]
async fn gdelt_rate_limit_without_retry_after() {
    let server = gdelt_server(vec![Response::new(
        429,
        "text/plain",
        "Please limit requests to one every 5 seconds.",
    )]);
    let g = Gdelt::new(&server.url(), client());
    let err = g
        .search(&query("Nvidia halts H20", &[], Some("en"), false))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        SearchError::RateLimited {
            provider: "gdelt".into(),
            retry_after: None
        }
    );
    assert!(g
        .search(&query("Nvidia", &[], Some("en"), false))
        .await
        .is_err());
    assert_eq!(server.requests().len(), 1);
}

// ------------------------------------------------------------------------------------------
// Wayback

fn captures() -> Vec<search_apis::Capture> {
    let page = |t: &str| {
        format!("<html><head><title>{t}</title></head><body><article><h1>{t}</h1><p>Archived text of {t}.</p></article></body></html>")
    };
    vec![
        (
            "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/"
                .to_string(),
            "20250822120000".to_string(),
            page("Nvidia halts H20 production"),
        ),
        (
            "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/"
                .to_string(),
            "20240101000000".to_string(),
            page("Older capture"),
        ),
        (
            "https://www.reuters.com/world/storm-hits-coast-2025-08-20/".to_string(),
            "20250820120000".to_string(),
            page("Storm hits coast"),
        ),
        (
            "https://www.reuters.com/markets/12345678".to_string(),
            "20250820120000".to_string(),
            page("Numbered page"),
        ),
    ]
}

#[tokio::test]
async fn wayback_closest_snapshot_to_a_date() {
    let server = TestServer::start(search_apis::wayback(captures(), Script::default()));
    let w = Wayback::new(&server.url(), client());
    let url = "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/";
    let s = w
        .closest_snapshot(url, Some("2025-08-22"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.timestamp, "20250822120000");
    assert_eq!(s.original, url);
    assert_eq!(s.date().as_deref(), Some("2025-08-22"));
    assert_eq!(
        s.raw_url(w.base_url()),
        format!("{}/web/20250822120000id_/{url}", server.url())
    );
    let s = w
        .closest_snapshot(url, Some("2023-12-30"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.timestamp, "20240101000000");
    let req = server.requests();
    assert_eq!(req[0].path, "/wayback/available");
    assert_eq!(req[0].query["timestamp"], "20250822");
    assert!(w
        .closest_snapshot("https://never.archived.test/a", None)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn wayback_lists_an_outlet_domain_and_ranks_by_slug() {
    let server = TestServer::start(search_apis::wayback(captures(), Script::default()));
    let w = Wayback::new(&server.url(), client()).with_cdx_limit(500);
    let got = w
        .search(&query(
            "Nvidia halts H20 production",
            &["reuters.com"],
            Some("en"),
            false,
        ))
        .await
        .unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0].url,
        "https://www.reuters.com/technology/nvidia-halts-h20-production-2025-08-22/"
    );
    assert_eq!(got[0].title, "technology nvidia halts h20 production");
    assert_eq!(got[0].provider, "wayback");
    let req = &server.requests()[0];
    assert_eq!(req.path, "/cdx/search/cdx");
    assert_eq!(req.query["url"], "reuters.com/*");
    assert_eq!(req.query["output"], "json");
    assert_eq!(req.query["filter"], "statuscode:200");
    assert_eq!(req.query["limit"], "500");
    // The listing is fetched once per domain and run.
    let again = w
        .search(&query(
            "Storm hits coast",
            &["reuters.com"],
            Some("en"),
            false,
        ))
        .await
        .unwrap();
    assert_eq!(
        again[0].url,
        "https://www.reuters.com/world/storm-hits-coast-2025-08-20/"
    );
    assert_eq!(server.requests().len(), 1);
    // Without domains there is nothing to list.
    assert!(w
        .search(&query("Nvidia", &[], None, false))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn wayback_errors_and_empty_listings() {
    for (answer, expected) in [
        (Response::status(503), "wayback: http status 503"),
        (
            Response::new(200, "application/json", "[[\"urlkey\",\"timestamp\""),
            "wayback: answer is not valid json",
        ),
        (
            Response::html("<html><body>Wayback Machine is down for maintenance</body></html>"),
            "wayback: answer is not json: Wayback Machine is down for maintenance",
        ),
    ] {
        // 503 is retried once, so it is scripted twice.
        let script = if answer.status == 503 {
            vec![answer.clone(), answer]
        } else {
            vec![answer]
        };
        let server = TestServer::start(search_apis::wayback(captures(), Script::new(script)));
        let err = Wayback::new(&server.url(), client())
            .search(&query("Nvidia", &["reuters.com"], None, false))
            .await
            .unwrap_err();
        assert!(err.to_string().starts_with(expected), "{err}");
    }
    let server = TestServer::start(search_apis::wayback(captures(), Script::default()));
    let got = Wayback::new(&server.url(), client())
        .search(&query("Nvidia", &["nothing-archived.test"], None, false))
        .await
        .unwrap();
    assert!(got.is_empty());
}

// ------------------------------------------------------------------------------------------
// Fact Check Tools

const FC_KEY: &str = "fc-key-9876";

fn fact_checks() -> serde_json::Value {
    json!([{
        "text": "Nvidia halted all H20 production worldwide",
        "claimant": "social media posts",
        "claimDate": "2025-08-23T00:00:00Z",
        "claimReview": [{
            "publisher": {"name": "Example Fact Check", "site": "factcheck.example"},
            "url": "https://factcheck.example/nvidia-h20",
            "title": "Did Nvidia halt all H20 production?",
            "reviewDate": "2025-08-25T00:00:00Z",
            "textualRating": "Missing context",
            "languageCode": "en"
        }]
    }])
}

#[tokio::test]
async fn factcheck_finds_reviews_of_a_claim() {
    let server = TestServer::start(search_apis::factcheck(
        fact_checks(),
        FC_KEY,
        Script::default(),
    ));
    let f = FactCheckTools::new(&server.url(), FC_KEY, client());
    let got = f
        .claims("Nvidia halted H20 production", Some("en"))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rating, "Missing context");
    assert_eq!(got[0].publisher, "Example Fact Check");
    assert_eq!(got[0].url, "https://factcheck.example/nvidia-h20");
    let req = &server.requests()[0];
    assert_eq!(req.path, "/v1alpha1/claims:search");
    assert_eq!(req.query["languageCode"], "en");
    assert_eq!(req.query["key"], FC_KEY);
    assert!(f
        .claims("Unrelated words entirely", None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn factcheck_errors_never_show_the_key() {
    let server = TestServer::start(search_apis::factcheck(
        fact_checks(),
        FC_KEY,
        Script::default(),
    ));
    let f = FactCheckTools::new(&server.url(), "my-secret-fc-key", client());
    let err = f.claims("Nvidia", None).await.unwrap_err().to_string();
    assert!(
        err.starts_with("factcheck: http status 403: PERMISSION_DENIED"),
        "{err}"
    );
    assert!(!err.contains("my-secret-fc-key"), "{err}");

    let server = TestServer::start(search_apis::factcheck(
        fact_checks(),
        FC_KEY,
        Script::new(vec![Response::new(
            429,
            "application/json",
            json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}).to_string(),
        )
        .header("Retry-After", "30")]),
    ));
    let f = FactCheckTools::new(&server.url(), FC_KEY, client());
    let err = f.claims("Nvidia", None).await.unwrap_err();
    assert!(matches!(err, SearchError::RateLimited { .. }), "{err}");
    assert!(!err.to_string().contains(FC_KEY));

    // A refused connection names the provider but not the URL (which holds the key).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let f = FactCheckTools::new(&format!("http://{addr}"), FC_KEY, client());
    let err = f.claims("Nvidia", None).await.unwrap_err().to_string();
    assert!(err.starts_with("factcheck: request failed"), "{err}");
    assert!(!err.contains(FC_KEY), "{err}");
}
