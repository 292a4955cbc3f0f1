//! Trust per role (issue 17, part 4), through the binary: the configured search endpoint, the
//! archive endpoint and the proxy are reached for their own role, and a cited URL that points
//! at one of them is still refused by the SSRF guard. Each endpoint is given through a flag,
//! the config file and the environment. `--allow-private` stays the only way in.
//!
//! The endpoints are named `localhost`, the one name that resolves to a private address on any
//! machine, so the trust the resolver gives a configured host is what is under test.

#[path = "support/fetch_faults.rs"]
mod faults;
mod support;

use faults::{article, html, response, FaultServer, Hit, Reply};
use std::path::Path;

/// A JSON answer.
fn json(body: &serde_json::Value) -> Reply {
    Reply::Bytes(response(
        "200 OK",
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    ))
}

/// A SearXNG-compatible endpoint that also serves an "admin" page nobody may fetch through a
/// citation. Its one search result is a page on the same host.
fn search_and_admin_server() -> FaultServer {
    FaultServer::start(|hit: &Hit| {
        if hit.path().starts_with("/search") {
            json(&serde_json::json!({ "results": [] }))
        } else {
            html("200 OK", &article("内部管理页面"))
        }
    })
}

/// An article citing `admin_url` by link, and a second source by outlet and headline only (so
/// the search endpoint is asked).
fn write_article(dir: &Path, admin_url: &str) -> std::path::PathBuf {
    let path = dir.join("draft.md");
    std::fs::write(
        &path,
        format!(
            "# 港口通报\n\n据内部通报，港口一季度吞吐量同比增长12%([通报]({admin_url}))。\n\n\
             据新华社报道，宁波舟山港一季度集装箱吞吐量同比增长12%。\n"
        ),
    )
    .expect("write article");
    path
}

fn citations(output: &std::process::Output) -> Vec<serde_json::Value> {
    let report = support::parse_report(&output.stdout);
    support::array(support::document(&report, 0), "citations").to_vec()
}

/// The cited admin page is refused as `blocked` and never requested; the search was asked.
fn assert_admin_blocked(output: &std::process::Output, server: &FaultServer, admin: &str) {
    let cites = citations(output);
    let cited = cites
        .iter()
        .find(|c| c["url"].as_str() == Some(admin))
        .unwrap_or_else(|| panic!("no citation of {admin}: {cites:#?}"));
    assert_eq!(cited["status"], "blocked", "{:#}", cited);
    let detail = cited["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("localhost"), "{detail}");
    let paths: Vec<String> = server.hits().iter().map(Hit::path).collect();
    assert!(
        !paths.iter().any(|p| p.starts_with("/admin")),
        "the cited admin page was fetched: {paths:?}"
    );
}

#[test]
fn a_cited_url_on_the_search_host_is_refused_by_flag_file_and_environment() {
    let server = search_and_admin_server();
    let base = format!("http://localhost:{}", server.port());
    let admin = format!("{base}/admin/users.html");
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path(), &admin);
    let corpus = dir.path().join("empty-corpus");
    std::fs::create_dir(&corpus).expect("corpus dir");
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        format!("[search]\nproviders = [\"searxng\"]\nsearxng_url = \"{base}\"\n"),
    )
    .expect("write config");

    let runs: Vec<(&str, assert_cmd::Command)> = vec![
        ("flag", {
            let mut c = support::citecheck();
            c.args(["check", "-q", "--format", "json", "--search", "searxng"])
                .args(["--search-url", &base])
                .arg(&article);
            c
        }),
        ("config file", {
            let mut c = support::citecheck();
            c.args(["check", "-q", "--format", "json", "--config"])
                .arg(&config)
                .arg(&article);
            c
        }),
        ("environment", {
            let mut c = support::citecheck();
            c.args(["check", "-q", "--format", "json"])
                .env("CITECHECK_SEARCH__PROVIDERS", "searxng")
                .env("CITECHECK_SEARCH__SEARXNG_URL", &base)
                .arg(&article);
            c
        }),
    ];
    for (how, mut command) in runs {
        let before = server.hits().len();
        let output = command.output().expect("run citecheck");
        assert!(
            output.status.code() == Some(0) || output.status.code() == Some(1),
            "{how}: {}",
            support::describe(&output)
        );
        assert_admin_blocked(&output, &server, &admin);
        let searched = server.hits()[before..]
            .iter()
            .any(|h| h.path().starts_with("/search"));
        assert!(
            searched,
            "{how}: the search endpoint was not asked: {}",
            support::describe(&output)
        );
    }

    // --allow-private is the way in.
    let output = support::citecheck()
        .args(["check", "-q", "--format", "json", "--allow-private"])
        .args(["--search", "searxng", "--search-url", &base])
        .arg(&article)
        .output()
        .expect("run citecheck");
    let cites = citations(&output);
    let cited = cites
        .iter()
        .find(|c| c["url"].as_str() == Some(admin.as_str()))
        .expect("the admin citation");
    assert_eq!(cited["status"], "found", "{:#}", cited);
}

#[test]
fn a_cited_url_on_the_archive_host_is_refused_by_file_and_environment() {
    // The archive answers "no capture" to the wayback provider's queries.
    let server = FaultServer::start(|hit: &Hit| {
        if hit.path().starts_with("/cdx") {
            json(&serde_json::json!([]))
        } else if hit.path().starts_with("/wayback") {
            json(&serde_json::json!({ "archived_snapshots": {} }))
        } else {
            html("200 OK", &article("内部管理页面"))
        }
    });
    let base = format!("http://localhost:{}", server.port());
    let admin = format!("{base}/admin/users.html");
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path(), &admin);
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        format!("[search]\nproviders = [\"wayback\"]\nwayback_url = \"{base}\"\n"),
    )
    .expect("write config");
    let mut by_file = support::citecheck();
    by_file
        .args(["check", "-q", "--format", "json", "--config"])
        .arg(&config)
        .arg(&article);
    let mut by_env = support::citecheck();
    by_env
        .args(["check", "-q", "--format", "json"])
        .env("CITECHECK_SEARCH__PROVIDERS", "wayback")
        .env("CITECHECK_SEARCH__WAYBACK_URL", &base)
        .arg(&article);
    for (how, mut command) in [("config file", by_file), ("environment", by_env)] {
        let before = server.hits().len();
        let output = command.output().expect("run citecheck");
        let asked = server.hits()[before..]
            .iter()
            .any(|h| h.path().starts_with("/wayback") || h.path().starts_with("/cdx"));
        assert!(
            asked,
            "{how}: the archive was not asked: {}",
            support::describe(&output)
        );
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{how}: {}",
            support::describe(&output)
        );
        assert_admin_blocked(&output, &server, &admin);
    }
}

#[test]
fn a_cited_url_on_the_proxy_host_is_refused_by_flag_file_and_environment() {
    // A forward proxy that would answer anything; the cited URL names the proxy itself.
    let proxy = FaultServer::start(|_| html("200 OK", &article("代理内部页面")));
    let proxy_url = format!("http://localhost:{}", proxy.port());
    let admin = format!("http://localhost:{}/admin/users.html", proxy.port());
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(dir.path(), &admin);
    let corpus = dir.path().join("empty-corpus");
    std::fs::create_dir(&corpus).expect("corpus dir");
    let config = dir.path().join("c.toml");
    std::fs::write(&config, format!("[fetch]\nproxy = \"{proxy_url}\"\n")).expect("config");

    let base = |c: &mut assert_cmd::Command| {
        c.args(["check", "-q", "--format", "json", "--corpus"])
            .arg(&corpus)
            .arg(&article);
    };
    let mut by_flag = support::citecheck();
    base(&mut by_flag);
    by_flag.args(["--proxy", &proxy_url]);
    let mut by_file = support::citecheck();
    base(&mut by_file);
    by_file.arg("--config").arg(&config);
    let mut by_env = support::citecheck();
    base(&mut by_env);
    by_env
        .env("HTTP_PROXY", &proxy_url)
        .env("http_proxy", &proxy_url)
        .env("NO_PROXY", "")
        .env("no_proxy", "");
    for (how, mut command) in [
        ("flag", by_flag),
        ("config file", by_file),
        ("environment", by_env),
    ] {
        let output = command.output().expect("run citecheck");
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{how}: {}",
            support::describe(&output)
        );
        let cites = citations(&output);
        let cited = cites
            .iter()
            .find(|c| c["url"].as_str() == Some(admin.as_str()))
            .unwrap_or_else(|| panic!("{how}: no admin citation: {cites:#?}"));
        assert_eq!(cited["status"], "blocked", "{how}: {:#}", cited);
        assert!(
            !proxy.targets().iter().any(|t| t.contains("/admin")),
            "{how}: the cited admin page was asked for: {:?}",
            proxy.targets()
        );
    }
}
