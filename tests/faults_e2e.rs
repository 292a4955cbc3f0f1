//! Faults end to end (issue 9): `check` over 100 generated articles whose 300 cited pages are
//! served through a local forward proxy, a third of them failing in ten different ways
//! (stalls, resets, closes, 500, 503, 429, bot walls, wrong charsets, bodies over the cap,
//! redirect loops). The run completes, every citation has a status that matches its fault,
//! no claim is lost from the JSON report, the exit code is 1 (failing claims), not 2, and the
//! child's peak memory stays bounded.

mod support;

#[path = "support/faults_sites.rs"]
mod faults_sites;

use faults_sites::{fault_of, is_misquoted, SiteFault};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{describe, parse_report, TestServer};

const ARTICLES: usize = 100;

/// Peak resident set allowed for the whole run, in KiB: generous (the run measured about
/// 30 MB on the machine that wrote this test), so only unbounded growth trips it, such as
/// every article's pages kept to the end or bodies read far past the cap.
const MAX_RSS_KB: u64 = 256 * 1024;

#[test]
fn check_survives_a_third_of_sources_failing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("mkdir");
    faults_sites::write_articles(&articles, ARTICLES);
    let config = dir.path().join("faults.toml");
    std::fs::write(
        &config,
        // A stalled site costs the whole timeout; a healthy one answers in milliseconds, but
        // on a loaded 2-core machine not always within one second, so 3 s.
        "[fetch]\ntimeout_secs = 3.0\nconnect_timeout_secs = 2.0\nmax_body_bytes = 1048576\n\
         max_redirects = 5\nretries = 0\n\n[run]\nconcurrency = 8\n",
    )
    .expect("write config");
    let proxy = TestServer::start(faults_sites::sites(None, true, 8 * 1024 * 1024));

    let mut cmd = support::citecheck_command();
    cmd.arg("check")
        .arg(&articles)
        .args(["--format", "json", "--config"])
        .arg(&config)
        .arg("--proxy")
        .arg(proxy.url());
    let (output, peak_kb) = faults_sites::run_measuring_rss(cmd, Duration::from_secs(120));
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        describe(&output)
    );
    if std::path::Path::new("/proc/self/status").exists() {
        assert!(peak_kb > 0, "no VmHWM read");
        assert!(
            peak_kb < MAX_RSS_KB,
            "peak RSS {peak_kb} KiB over {MAX_RSS_KB} KiB"
        );
    }
    eprintln!("faults_e2e: peak RSS {peak_kb} KiB");

    let report = parse_report(&output.stdout);
    let documents = support::array(&report, "documents");
    assert_eq!(documents.len(), ARTICLES, "documents lost");
    assert!(support::array(&report, "failures").is_empty(), "{report:#}");

    // Every citation has a status, and it says what happened to its page.
    let mut seen_faults = BTreeSet::new();
    for (i, doc) in documents.iter().enumerate() {
        let path = doc["path"].as_str().unwrap_or_default();
        assert!(path.ends_with(&format!("article-{i:04}.md")), "{path}");
        let citations = support::array(doc, "citations");
        for c in citations {
            let status = c["status"].as_str().unwrap_or_default();
            assert!(
                ["found", "not_found", "unreachable", "blocked"].contains(&status),
                "{path}: citation without a status: {c:#}"
            );
        }
        // The linked citations, one per cited page (attributions without a link are
        // citations too, resolved by search).
        let linked: Vec<&serde_json::Value> =
            citations.iter().filter(|c| c["url"].is_string()).collect();
        assert_eq!(linked.len(), 3, "{path}: {doc:#}");
        for (j, c) in linked.into_iter().enumerate() {
            assert_eq!(c["url"], faults_sites::url_of(i, j), "{path}: {c:#}");
            let status = c["status"].as_str().unwrap_or_default();
            let expected: &[&str] = match fault_of(i, j) {
                None => &["found"],
                Some(SiteFault::TooMany | SiteFault::BotWall) => &["blocked"],
                // The bytes decode (detection overrides the false declaration) or are refused;
                // either way the citation has a status and the run goes on.
                Some(SiteFault::BadCharset) => &["found", "unreachable", "not_found"],
                Some(_) => &["unreachable"],
            };
            assert!(
                expected.contains(&status),
                "{path} source {j} ({:?}): status {status:?}, expected {expected:?}: {c:#}",
                fault_of(i, j)
            );
            if let Some(f) = fault_of(i, j) {
                seen_faults.insert(format!("{f:?}"));
                if status != "found" {
                    assert!(
                        c["detail"].as_str().is_some_and(|d| !d.is_empty()),
                        "{path} source {j} ({f:?}) has no detail: {c:#}"
                    );
                }
            }
        }
    }
    assert_eq!(
        seen_faults.len(),
        faults_sites::ALL_FAULTS.len(),
        "{seen_faults:?}"
    );

    // No claim is lost: the report has exactly the claims `extract` finds, each with a verdict.
    let extracted = support::citecheck()
        .arg("extract")
        .arg(&articles)
        .output()
        .expect("run citecheck extract");
    assert_eq!(extracted.status.code(), Some(0), "{}", describe(&extracted));
    let extracted = parse_report(&extracted.stdout);
    let extracted_docs = support::array(&extracted, "documents");
    assert_eq!(extracted_docs.len(), ARTICLES);
    let mut total = 0;
    for (doc, want) in documents.iter().zip(extracted_docs) {
        let got: Vec<(String, String)> = support::array(doc, "claims")
            .iter()
            .map(|c| {
                let verdict = c["verdict"].as_str().unwrap_or_default();
                assert!(!verdict.is_empty(), "claim without verdict: {c:#}");
                (
                    c["id"].as_str().unwrap_or_default().to_string(),
                    c["text"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = support::array(want, "claims")
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap_or_default().to_string(),
                    c["text"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        assert_eq!(got, want, "claims of {}", doc["path"]);
        assert!(got.len() >= 3, "{doc:#}");
        total += got.len();
    }
    assert!(total >= 3 * ARTICLES);

    // The misquoted first sources give failing claims (the reason for exit code 1); claims
    // whose every source failed are unverifiable, not failed.
    for (i, doc) in documents.iter().enumerate() {
        let claim = support::claim_containing(doc, "集装箱吞吐量");
        let verdict = claim["verdict"].as_str().unwrap_or_default();
        if is_misquoted(i) && fault_of(i, 0).is_none() {
            assert!(
                verdict == "contradicted" || verdict == "not_supported",
                "article {i}: misquoted source gave {verdict}: {claim:#}"
            );
        }
    }
}
