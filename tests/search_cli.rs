//! The search providers through the binary: chosen in `config.toml` or with `--search NAME
//! --search-url URL`, a failing provider falling through to the next, keys read from the
//! environment variable the config names (and never printed), fact-checks beside verdicts.

mod support;

use serde_json::json;
use std::path::Path;
use support::search_apis::{self, Record, Script};
use support::{citecheck, describe, document, parse_report, seed_article, Response, TestServer};

const KEY: &str = "cli-test-brave-token";

fn write_config(dir: &Path, body: &str) -> std::path::PathBuf {
    let path = dir.join("citecheck.toml");
    std::fs::write(&path, body).unwrap();
    path
}

fn statuses(report: &serde_json::Value) -> Vec<String> {
    support::array(document(report, 0), "citations")
        .iter()
        .map(|c| c["status"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn failing_provider_falls_through_to_the_corpus() {
    // Brave answers 500 to everything; the embedded corpus still finds every source.
    let brave = TestServer::start(search_apis::brave(
        Vec::new(),
        KEY,
        Script::new((0..50).map(|_| Response::status(500)).collect()),
    ));
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "[search]\nproviders = [\"brave\", \"corpus\"]\nbrave_url = \"{}\"\nbrave_key_env = \"CITECHECK_TEST_BRAVE\"\n\n[fetch]\noffline = true\n",
            brave.url()
        ),
    );
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--config"])
        .arg(&config)
        .env("CITECHECK_TEST_BRAVE", KEY)
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(2), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    let st = statuses(&report);
    assert!(!st.is_empty());
    assert!(
        st.iter().all(|s| s == "found"),
        "{st:?}\n{}",
        describe(&output)
    );
    let details: Vec<String> = support::array(document(&report, 0), "citations")
        .iter()
        .map(|c| c["detail"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        details.iter().any(|d| d.contains("brave: http status 500")),
        "{details:?}"
    );
    assert!(!brave.requests().is_empty());
    for r in brave.requests() {
        assert_eq!(r.header("x-subscription-token"), Some(KEY));
    }
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.contains(KEY), "the key leaked into the output");
}

#[test]
fn missing_key_is_a_config_error_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[search]\nproviders = [\"brave\"]\nbrave_key_env = \"CITECHECK_TEST_NO_SUCH_KEY\"\n",
    );
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .arg("--config")
        .arg(&config)
        .env_remove("CITECHECK_TEST_NO_SUCH_KEY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(
            "brave needs an api key: set the environment variable CITECHECK_TEST_NO_SUCH_KEY"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unknown_provider_in_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[search]\nproviders = [\"altavista\"]\n");
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("unknown search provider \"altavista\"")
    );
}

#[test]
fn search_flag_with_url_picks_gdelt() {
    let gdelt = TestServer::start(search_apis::gdelt(
        vec![Record::new(
            "https://www.guancha.cn/a.shtml",
            "unrelated",
            "",
            "2025-08-22",
        )],
        Script::default(),
    ));
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args([
            "--format",
            "json",
            "--offline",
            "--search",
            "gdelt",
            "--search-url",
        ])
        .arg(gdelt.url())
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(2), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    assert!(!statuses(&report).is_empty());
    let requests = gdelt.requests();
    assert!(!requests.is_empty(), "gdelt was never asked");
    for r in &requests {
        assert_eq!(r.path, "/api/v2/doc/doc");
        assert_eq!(r.query["mode"], "artlist");
        assert!(
            r.query["query"].contains("domainis:") || r.query["query"].contains("sourcelang:"),
            "{:?}",
            r.query
        );
    }
}

#[test]
fn fact_checks_are_reported_beside_the_verdict() {
    let title = "英伟达正式宣布:停止接受中国新订单!中国AI产业迎来巨大危机!";
    let fc = TestServer::start(search_apis::factcheck(
        json!([{
            "text": title,
            "claimant": "网络文章",
            "claimReview": [{
                "publisher": {"name": "示例核查", "site": "check.example"},
                "url": "https://check.example/nvidia-orders",
                "title": "英伟达停止接受中国订单？",
                "reviewDate": "2024-10-25T00:00:00Z",
                "textualRating": "错误",
                "languageCode": "zh"
            }]
        }]),
        "fc-cli-key",
        Script::default(),
    ));
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!(
            "[search]\nproviders = [\"corpus\", \"factcheck\"]\nfactcheck_url = \"{}\"\nfactcheck_key_env = \"CITECHECK_TEST_FC\"\n\n[fetch]\noffline = true\n",
            fc.url()
        ),
    );
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--config"])
        .arg(&config)
        .env("CITECHECK_TEST_FC", "fc-cli-key")
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(2), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    // Fact-checks never become sources: every citation still resolves from the corpus.
    assert!(statuses(&report).iter().all(|s| s == "found"));
    let claims = support::array(doc, "claims");
    let checked: Vec<&serde_json::Value> = claims
        .iter()
        .filter(|c| c.get("fact_checks").is_some())
        .collect();
    // The fake matches both halves of the title; only the first is a claim (the second,
    // 中国AI产业迎来巨大危机!, is rhetoric and listed as not checked), and nothing else matches.
    assert_eq!(checked.len(), 1, "{claims:#?}");
    assert!(checked.iter().all(|c| c["kind"] == "title"));
    let f = &checked[0]["fact_checks"][0];
    assert_eq!(f["rating"], "错误");
    assert_eq!(f["publisher"], "示例核查");
    assert_eq!(f["url"], "https://check.example/nvidia-orders");
    assert!(!fc.requests().is_empty());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("fc-cli-key"));
}

/// One gzip member per record, as `wget --warc-file` writes them.
fn warc_of(pages: &[support::CorpusPage]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    for p in pages {
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
            p.content_type,
            p.bytes.len()
        )
        .into_bytes();
        http.extend_from_slice(&p.bytes);
        let mut record = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {}\r\nWARC-Date: 2025-08-22T00:00:00Z\r\n\
             Content-Type: application/http;msgtype=response\r\nContent-Length: {}\r\n\r\n",
            p.url,
            http.len()
        )
        .into_bytes();
        record.extend_from_slice(&http);
        record.extend_from_slice(b"\r\n\r\n");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&record).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

#[test]
fn a_warc_corpus_finds_the_sources_and_is_cached() {
    let pages: Vec<support::CorpusPage> = support::corpus_pages()
        .into_iter()
        .filter(|p| {
            ["JEQK7M2D0514R9P4", "doc-incmkqzx4821603", "4EfWbC0eXyz"]
                .iter()
                .any(|k| p.path.to_string_lossy().contains(k))
        })
        .collect();
    assert_eq!(pages.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("crawl.warc.gz"), warc_of(&pages)).unwrap();
    let run = || {
        citecheck()
            .arg("check")
            .arg(seed_article())
            .args(["--format", "json", "--offline", "--corpus"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let first = run();
    assert_ne!(first.status.code(), Some(2), "{}", describe(&first));
    let st = statuses(&parse_report(&first.stdout));
    assert!(
        st.iter().all(|s| s == "found"),
        "{st:?}\n{}",
        describe(&first)
    );
    let cache = dir.path().join(".citecheck-index.json");
    assert!(cache.exists(), "no index cache written");
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    // The second run reads the cache (and leaves it alone): same result.
    let second = run();
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written
    );
}
