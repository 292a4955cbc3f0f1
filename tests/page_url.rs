//! `citecheck page URL` end to end: the URL goes through the fetcher `check` uses, so the SSRF
//! guard refuses a loopback page unless `--allow-private`, robots.txt and redirects are honoured,
//! `[fetch]` settings of the config file apply, and `--proxy` carries the request. Every server is
//! local (127.0.0.1); nothing leaves the machine.

mod support;

use std::path::PathBuf;
use std::process::Output;

use support::{citecheck, describe, Response, TestServer};

fn fixture_page() -> Vec<u8> {
    std::fs::read(support::repo_root().join("fixtures/pages/en-correction.html"))
        .expect("fixture page")
}

/// A site with the fixture article at `/article`, a redirect to it at `/old`, and a robots.txt
/// that disallows `/private/`.
fn site() -> TestServer {
    let page = fixture_page();
    TestServer::start(move |r| match r.path.as_str() {
        "/robots.txt" => Response::new(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/article" | "/private/article" => Response::html(page.clone()),
        "/old" => Response::redirect(301, "/article"),
        _ => Response::status(404),
    })
}

/// A config file that turns the per-host rate limit off, so robots.txt and the page follow
/// each other at once (the default is one request a second per host).
fn fast_config() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("citecheck.toml");
    std::fs::write(&path, "[fetch]\nper_host_rate = 0\nretries = 0\n").expect("write config");
    (dir, path)
}

fn page(args: &[&str], config: &PathBuf) -> Output {
    citecheck()
        .arg("page")
        .args(args)
        .arg("--config")
        .arg(config)
        .output()
        .expect("run citecheck")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not json ({e}):\n{}", describe(output)))
}

fn page_requests(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path != "/robots.txt")
        .map(|r| r.path)
        .collect()
}

#[test]
fn a_loopback_url_is_refused_by_the_ssrf_guard() {
    let server = site();
    let (_dir, config) = fast_config();
    let url = format!("{}/article", server.url());
    let output = page(&[&url], &config);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("blocked"), "{stderr}");
    assert!(stderr.contains("loopback address 127.0.0.1"), "{stderr}");
    assert!(
        server.requests().is_empty(),
        "the guard let a request through"
    );
}

#[test]
fn allow_private_fetches_and_extracts_the_page() {
    let server = site();
    let (_dir, config) = fast_config();
    let url = format!("{}/article", server.url());
    let output = page(&[&url, "--allow-private", "--format", "json"], &config);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let v = json(&output);
    assert_eq!(v["schema"], "citecheck.page.v1");
    assert_eq!(v["fetched"]["status"], 200);
    assert_eq!(v["fetched"]["url"], url.as_str());
    assert_eq!(v["page"]["url"], url.as_str());
    assert_eq!(
        v["page"]["title"],
        "Harbour council approves tidal barrier plan"
    );
    assert_eq!(v["page"]["author"], "Morag Ellison");
    assert_eq!(v["page"]["notices"][0]["kind"], "correction");
    assert_eq!(page_requests(&server), ["/article"]);
    // The request is citecheck's, as in `check`: its User-Agent, robots.txt asked first.
    let requests = server.requests();
    assert_eq!(requests[0].path, "/robots.txt");
    let agent = requests[1].header("user-agent").unwrap_or_default();
    assert!(agent.starts_with("citecheck/"), "{agent}");
}

#[test]
fn a_redirect_is_followed_and_the_final_url_reported() {
    let server = site();
    let (_dir, config) = fast_config();
    let url = format!("{}/old", server.url());
    let output = page(&[&url, "--allow-private", "--no-cache"], &config);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let v = json(&output);
    let final_url = format!("{}/article", server.url());
    assert_eq!(v["fetched"]["final_url"], final_url.as_str());
    assert_eq!(v["page"]["url"], final_url.as_str());
    assert_eq!(page_requests(&server), ["/old", "/article"]);
}

#[test]
fn robots_txt_is_honoured() {
    let server = site();
    let (_dir, config) = fast_config();
    let url = format!("{}/private/article", server.url());
    let output = page(&[&url, "--allow-private"], &config);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("robots.txt"), "{stderr}");
    assert!(page_requests(&server).is_empty());
}

#[test]
fn the_proxy_carries_the_request_and_the_guard_stays_on() {
    // A forward proxy on 127.0.0.1 answers for a public-looking host; the guard trusts the
    // proxy's host, so no --allow-private is needed.
    let page_bytes = fixture_page();
    let proxy = TestServer::start(move |r| {
        if r.path == "/robots.txt" {
            Response::status(404)
        } else if r.host == "news.example.com" && r.path == "/article" {
            Response::html(page_bytes.clone())
        } else {
            Response::status(502)
        }
    });
    let (_dir, config) = fast_config();
    let output = page(
        &[
            "http://news.example.com/article",
            "--proxy",
            &proxy.url(),
            "--timeout",
            "10",
        ],
        &config,
    );
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let v = json(&output);
    assert_eq!(v["page"]["author"], "Morag Ellison");
    let targets: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.path != "/robots.txt")
        .map(|r| r.target)
        .collect();
    assert_eq!(targets, ["http://news.example.com/article"]);
}

#[test]
fn a_url_with_url_flag_is_a_usage_error() {
    let (_dir, config) = fast_config();
    let output = page(
        &[
            "http://news.example.com/a",
            "--url",
            "http://other.example/",
        ],
        &config,
    );
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
}
