//! End-to-end runs of `citecheck check` on awkward inputs: missing, empty, binary and
//! GBK-encoded files, several files at once, and standard input.

mod support;

use std::path::Path;

use support::{citecheck, describe, document, parse_report, seed_article};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_input_error(path: &Path) {
    let output = citecheck()
        .arg("check")
        .arg(path)
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let name = path.file_name().expect("file name").to_string_lossy();
    assert!(
        stderr(&output).contains(name.as_ref()),
        "stderr does not name {name}: {}",
        describe(&output)
    );
    assert!(
        !stderr(&output).contains("panicked"),
        "{}",
        describe(&output)
    );
}

#[test]
fn missing_file_is_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_input_error(&dir.path().join("no-such-article.txt"));
}

#[test]
fn empty_file_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("empty-article.txt");
    std::fs::write(&path, b"").expect("write");
    assert_input_error(&path);
}

#[test]
fn whitespace_only_file_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("blank-article.md");
    std::fs::write(&path, b"  \n\n\t\n").expect("write");
    assert_input_error(&path);
}

#[test]
fn binary_file_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("picture.txt");
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89".to_vec();
    png.extend_from_slice(b"\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4");
    png.extend_from_slice(b"\x00\x00\x00\x00IEND\xaeB`\x82");
    std::fs::write(&path, &png).expect("write");
    assert_input_error(&path);
}

#[test]
fn gbk_article_is_decoded_and_checked() {
    // The seed up to its source lines (the comments below hold characters GBK lacks), as GBK.
    let seed = std::fs::read_to_string(seed_article()).expect("read seed");
    let body: Vec<&str> = seed.lines().take(129).collect();
    let text = body.join("\n") + "\n";
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(&text);
    assert!(!had_errors, "seed text not encodable in GBK");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "GBK bytes happen to be UTF-8"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nvidia-gbk.txt");
    std::fs::write(&path, &bytes).expect("write");

    let output = citecheck()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    assert!(support::array(&report, "failures").is_empty(), "{report:#}");
    let doc = document(&report, 0);
    assert!(
        doc["title"]
            .as_str()
            .is_some_and(|t| t.contains("英伟达正式宣布")),
        "title not decoded: {}",
        doc["title"]
    );
    support::assert_seed_citations(doc);
    for c in support::array(doc, "citations") {
        assert_eq!(c["status"], "found", "citation: {c:#}");
    }
}

#[test]
fn missing_file_next_to_the_seed_still_reports_the_seed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("gone-article.txt");
    let output = citecheck()
        .arg("check")
        .arg(&missing)
        .arg(seed_article())
        .args(["--format", "json"])
        .output()
        .expect("run citecheck");
    // An input error outranks the seed's failing claim.
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("gone-article.txt"),
        "{}",
        describe(&output)
    );

    let report = parse_report(&output.stdout);
    assert_eq!(report["schema"], "citecheck.report.v1");
    let documents = support::array(&report, "documents");
    assert_eq!(documents.len(), 1, "{report:#}");
    assert!(
        documents[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("nvidia-china-orders.txt")),
        "{report:#}"
    );
    support::assert_seed_citations(&documents[0]);
    let failures = support::array(&report, "failures");
    assert_eq!(failures.len(), 1, "{report:#}");
    assert!(
        failures[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("gone-article.txt")),
        "{report:#}"
    );
    assert!(failures[0]["message"].is_string(), "{report:#}");
}

#[test]
fn stdin_dash_reads_the_article_from_standard_input() {
    let seed = std::fs::read(seed_article()).expect("read seed");
    let output = citecheck()
        .args(["check", "-", "--format", "json"])
        .write_stdin(seed)
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    assert_eq!(doc["path"], "<stdin>", "{doc:#}");
    support::assert_seed_citations(doc);
    support::assert_seed_title_claim(doc);
}

#[test]
fn empty_stdin_is_an_input_error() {
    let output = citecheck()
        .args(["check", "-"])
        .write_stdin(Vec::new())
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let output = citecheck()
        .arg("check")
        .arg(seed_article())
        .arg("--no-such-flag")
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
}
