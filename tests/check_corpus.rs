//! End-to-end runs of `citecheck check` on the founding example against the embedded corpus:
//! no network, the pages compiled in from `fixtures/corpus/`.

mod support;

use support::{citecheck, describe, document, parse_report, seed_article};

#[test]
fn seed_json_report_finds_all_three_sources_and_fails_the_title() {
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json"])
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));

    let report = parse_report(&output.stdout);
    assert_eq!(report["schema"], "citecheck.report.v1", "{report:#}");
    assert_eq!(support::array(&report, "documents").len(), 1);
    assert!(support::array(&report, "failures").is_empty(), "{report:#}");

    let doc = document(&report, 0);
    assert!(
        doc["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("nvidia-china-orders.txt")),
        "{}",
        doc["path"]
    );
    assert!(
        doc["title"]
            .as_str()
            .is_some_and(|t| t.contains("英伟达正式宣布")),
        "{}",
        doc["title"]
    );
    support::assert_seed_citations(doc);
    let citations = support::array(doc, "citations");
    for c in citations {
        assert_eq!(c["status"], "found", "citation: {c:#}");
        assert!(c["source"].is_object(), "found without a source: {c:#}");
    }
    // Each found source is the outlet's page with the cited headline, not a distractor.
    let source_urls: Vec<&str> = citations
        .iter()
        .map(|c| c["source"]["url"].as_str().unwrap_or_default())
        .collect();
    assert!(
        source_urls[0].contains("163.com/dy/article/JEQK7M2D0514R9P4"),
        "{source_urls:?}"
    );
    assert!(
        source_urls[1].contains("doc-incmkqzx4821603"),
        "{source_urls:?}"
    );
    assert!(
        source_urls[2].contains("tech.huanqiu.com/article/4EfWbC0eXyz"),
        "{source_urls:?}"
    );

    support::assert_seed_title_claim(doc);
}

#[test]
fn seed_json_report_is_well_formed() {
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json"])
        .output()
        .expect("run citecheck");
    let report = parse_report(&output.stdout);
    assert_eq!(report["schema"], "citecheck.report.v1");
    let doc = document(&report, 0);
    let citation_ids = support::strings(support::array(doc, "citations"), "id");
    for claim in support::array(doc, "claims") {
        for key in [
            "id", "text", "line", "cited", "verdict", "score", "evidence",
        ] {
            assert!(claim.get(key).is_some(), "claim lacks {key}: {claim:#}");
        }
        let verdict = claim["verdict"].as_str().unwrap_or_default();
        assert!(
            [
                "supported",
                "partially_supported",
                "not_supported",
                "contradicted",
                "unverifiable"
            ]
            .contains(&verdict),
            "{claim:#}"
        );
        let score = claim["score"].as_f64().expect("numeric score");
        assert!((0.0..=1.0).contains(&score), "{claim:#}");
        for cited in support::array(claim, "cited") {
            assert!(
                citation_ids.iter().any(|id| cited == id.as_str()),
                "claim cites unknown {cited}: {claim:#}"
            );
        }
        for evidence in support::array(claim, "evidence") {
            for key in ["citation", "url", "quote", "similarity", "flags"] {
                assert!(
                    evidence.get(key).is_some(),
                    "evidence lacks {key}: {evidence:#}"
                );
            }
            for flag in support::array(evidence, "flags") {
                let kind = flag["kind"].as_str().unwrap_or_default();
                assert!(
                    [
                        "entity_swap",
                        "number_mismatch",
                        "negation_flip",
                        "certainty_escalation",
                        "attribution_shift",
                        "quote_mismatch"
                    ]
                    .contains(&kind),
                    "{flag:#}"
                );
                for key in ["claim", "source", "reason"] {
                    assert!(flag[key].is_string(), "flag lacks {key}: {flag:#}");
                }
            }
        }
    }
    for c in support::array(doc, "citations") {
        let status = c["status"].as_str().unwrap_or_default();
        assert!(
            ["found", "not_found", "unreachable", "blocked"].contains(&status),
            "{c:#}"
        );
        if c["source"].is_object() {
            for key in ["url", "title", "match"] {
                assert!(c["source"].get(key).is_some(), "source lacks {key}: {c:#}");
            }
        }
    }
}

#[test]
fn seed_human_report_names_outlets_and_verdicts() {
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let stdout = String::from_utf8(output.stdout.clone()).expect("human report is UTF-8");
    for outlet in ["鲁中晨报", "新浪财经", "环球网"] {
        assert!(stdout.contains(outlet), "no {outlet} in:\n{stdout}");
    }
    // The human report may spell verdicts for people ("NOT SUPPORTED"); compare loosely.
    let words = stdout.to_lowercase().replace('_', " ");
    assert!(
        words.contains("not supported") || words.contains("contradicted"),
        "no failing verdict word in:\n{stdout}"
    );
    assert!(
        stdout.contains("英伟达正式宣布"),
        "title claim not shown:\n{stdout}"
    );
    // NO_COLOR is set and stdout is a pipe: no escape codes.
    assert!(!stdout.contains('\u{1b}'), "colour codes in:\n{stdout}");
}

#[test]
fn fail_on_policy_decides_the_exit_code() {
    // Failing on the title claim's own verdicts must fail the seed.
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args([
            "--format",
            "json",
            "--fail-on",
            "not_supported,contradicted",
        ])
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));

    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--fail-on", "unverifiable"])
        .output()
        .expect("run citecheck");
    // Under a policy that fails only unverifiable claims, the title's not_supported no longer
    // counts: the exit code follows whether any claim is unverifiable.
    let report = parse_report(&output.stdout);
    let any_unverifiable = support::array(document(&report, 0), "claims")
        .iter()
        .any(|c| c["verdict"] == "unverifiable");
    let expected = if any_unverifiable { 1 } else { 0 };
    assert_eq!(
        output.status.code(),
        Some(expected),
        "{}",
        describe(&output)
    );
}

#[test]
fn corpus_dir_replaces_the_embedded_corpus() {
    // A folder holding only the three cited pages gives the same citations as the embedded one.
    let dir = tempfile::tempdir().expect("tempdir");
    for page in support::corpus_pages() {
        let name = page.path.file_name().expect("file name");
        let keep = ["JEQK7M2D0514R9P4", "doc-incmkqzx4821603", "4EfWbC0eXyz"]
            .iter()
            .any(|k| name.to_string_lossy().contains(k));
        if keep {
            std::fs::write(dir.path().join(name), &page.bytes).expect("write page");
        }
    }
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--corpus"])
        .arg(dir.path())
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    support::assert_seed_citations(doc);
    for c in support::array(doc, "citations") {
        assert_eq!(c["status"], "found", "citation: {c:#}");
    }

    // An empty corpus finds nothing: every citation is not_found, and nothing panics.
    let empty = tempfile::tempdir().expect("tempdir");
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .args(["--format", "json", "--corpus"])
        .arg(empty.path())
        .output()
        .expect("run citecheck");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        describe(&output)
    );
    let report = parse_report(&output.stdout);
    for c in support::array(document(&report, 0), "citations") {
        assert_eq!(c["status"], "not_found", "citation: {c:#}");
    }
}
