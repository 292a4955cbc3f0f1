//! Limits on hostile input, run through the binary (issue 9): the article size limit, HTML
//! nested 100,000 levels deep (as an article and as a source page), an article with 100,000
//! citations, and config files with wrong types or unknown keys.
//!
//! The binary runs on its main thread (8 MB stack); a test thread has 2 MB, so running the
//! library in-process would not show what a user sees.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use support::{citecheck, describe, seed_article};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_no_crash(output: &Output) {
    let err = stderr(output);
    for bad in ["panicked", "overflow", "SIGSEGV", "stack"] {
        assert!(!err.contains(bad), "{bad}: {}", describe(output));
    }
    // A signal (stack overflow aborts with SIGABRT/SIGSEGV) leaves no exit code.
    assert!(output.status.code().is_some(), "{}", describe(output));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

const DEPTH: usize = 100_000;

/// An HTML article whose only citation sits 100,000 elements deep.
fn deep_article(open: &str, close: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>港口吞吐量</title></head><body>{}\
         <p>据新华社报道，宁波舟山港一季度集装箱吞吐量同比增长12%。</p>{}</body></html>",
        open.repeat(DEPTH),
        close.repeat(DEPTH)
    )
}

#[test]
fn article_over_the_default_size_limit_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge-article.txt");
    let file = std::fs::File::create(&path).expect("create");
    // 20 MB + 1 byte; sparse, so the test writes nothing.
    file.set_len(20 * 1024 * 1024 + 1).expect("set_len");
    let output = citecheck()
        .arg("check")
        .arg(&path)
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = stderr(&output);
    assert!(err.contains("huge-article.txt"), "{}", describe(&output));
    assert!(err.contains("20971520-byte limit"), "{}", describe(&output));
    assert_no_crash(&output);
}

#[test]
fn size_limit_from_config_applies_to_files_and_stdin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write(dir.path(), "c.toml", "[run]\nmax_input_bytes = 1000\n");
    let big = write(
        dir.path(),
        "long.txt",
        &"据新华社报道，港口很忙。\n".repeat(100),
    );
    let output = citecheck()
        .args(["check", "--offline", "--config"])
        .arg(&config)
        .arg(&big)
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("long.txt: 3700 bytes is over the 1000-byte limit"),
        "{}",
        describe(&output)
    );
    let output = citecheck()
        .args(["check", "--offline", "--config"])
        .arg(&config)
        .arg("-")
        .write_stdin("据新华社报道，港口很忙。\n".repeat(100))
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("<stdin>: more than 1000 bytes is over the 1000-byte limit"),
        "{}",
        describe(&output)
    );
    assert_no_crash(&output);
}

#[test]
fn html_article_nested_100000_deep_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, open, close) in [
        ("divs.html", "<div>", "</div>"),
        ("unclosed.html", "<div><span>", ""),
        ("lists.html", "<ul><li>", ""),
        ("tables.html", "<table><tr><td>", ""),
        ("quotes.html", "<blockquote>", "</blockquote>"),
    ] {
        let path = write(dir.path(), name, &deep_article(open, close));
        let output = citecheck()
            .arg("extract")
            .arg(&path)
            .output()
            .expect("run citecheck");
        assert_no_crash(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            describe(&output)
        );
        let report = support::parse_report(&output.stdout);
        let citations = support::array(support::document(&report, 0), "citations");
        assert_eq!(
            support::strings(citations, "outlet"),
            vec!["新华社"],
            "{name}: {report:#}"
        );
    }
    // And `check` goes through the whole pipeline on one of them.
    let path = dir.path().join("divs.html");
    let output = citecheck()
        .args(["check", "--offline", "--format", "json"])
        .arg(&path)
        .output()
        .expect("run citecheck");
    assert_no_crash(&output);
    // The corpus holds no report of this claim (only another story of the port), so the
    // citation is not found and nothing fails.
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report = support::parse_report(&output.stdout);
    let citations = support::array(support::document(&report, 0), "citations");
    assert_eq!(support::strings(citations, "status"), vec!["not_found"]);
}

#[test]
fn source_page_nested_100000_deep_is_extracted() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, open, close) in [
        ("divs.html", "<div>", "</div>"),
        ("spans.html", "<div><span>", ""),
        ("lists.html", "<ul><li>", ""),
        ("bold.html", "<b>", "</b>"),
    ] {
        let page = format!(
            "<html><head><title>宁波舟山港吞吐量增长</title></head><body><nav>首页 | 新闻</nav>\
             {}<article><h1>宁波舟山港吞吐量增长</h1><p>宁波舟山港一季度集装箱吞吐量同比增长12%，\
             港口方面表示，增长主要来自新开航线。</p></article>{}<footer>版权所有</footer></body></html>",
            open.repeat(DEPTH),
            close.repeat(DEPTH)
        );
        let path = write(dir.path(), name, &page);
        let output = citecheck()
            .arg("page")
            .arg(&path)
            .args(["--url", "https://news.example/a"])
            .output()
            .expect("run citecheck");
        assert_no_crash(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            describe(&output)
        );
        let report = support::parse_report(&output.stdout);
        let text = report["page"].to_string();
        assert!(text.contains("同比增长12%"), "{name}: {report:#}");
    }
}

/// An article with `n` distinct source lines.
fn many_citations(n: usize) -> String {
    let mut text = String::from("宁波舟山港吞吐量创新高\n\n");
    for i in 0..n {
        text.push_str(&format!(
            "据新华社报道，第{i}号泊位一季度吞吐量同比增长{}%。\n",
            i % 90 + 1
        ));
    }
    text
}

#[test]
fn article_with_100000_citations_is_refused_by_check_with_the_limit_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "many.txt", &many_citations(100_000));
    let output = citecheck()
        .args(["check", "--offline", "--format", "json"])
        .arg(&path)
        .arg(seed_article())
        .output()
        .expect("run citecheck");
    assert_no_crash(&output);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.contains("many.txt: 100000 citations is over the 5000-citation limit"),
        "{}",
        describe(&output)
    );
    assert!(err.contains("run.max_citations"), "{}", describe(&output));
    // The other article is still checked and the refusal is in the report.
    let report = support::parse_report(&output.stdout);
    support::assert_seed_citations(support::document(&report, 0));
    let failures = support::array(&report, "failures");
    assert_eq!(failures.len(), 1, "{report:#}");
    assert!(failures[0]["path"]
        .as_str()
        .unwrap_or_default()
        .ends_with("many.txt"));
}

#[test]
fn citation_limit_is_configurable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "five.txt", &many_citations(5));
    let low = write(dir.path(), "low.toml", "[run]\nmax_citations = 4\n");
    let high = write(dir.path(), "high.toml", "[run]\nmax_citations = 5\n");
    let output = citecheck()
        .args(["check", "--offline", "--config"])
        .arg(&low)
        .arg(&path)
        .output()
        .expect("run citecheck");
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("five.txt: 5 citations is over the 4-citation limit"),
        "{}",
        describe(&output)
    );
    let output = citecheck()
        .args(["check", "--offline", "--format", "json", "--config"])
        .arg(&high)
        .arg(&path)
        .output()
        .expect("run citecheck");
    assert_ne!(output.status.code(), Some(2), "{}", describe(&output));
    let report = support::parse_report(&output.stdout);
    assert_eq!(
        support::array(support::document(&report, 0), "citations").len(),
        5,
        "{report:#}"
    );
}

#[test]
fn extract_handles_many_citations() {
    // `extract` has no citation limit: 20,000 citations are all listed.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "many.txt", &many_citations(20_000));
    let output = citecheck()
        .arg("extract")
        .arg(&path)
        .output()
        .expect("run citecheck");
    assert_no_crash(&output);
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report = support::parse_report(&output.stdout);
    let doc = support::document(&report, 0);
    assert_eq!(support::array(doc, "citations").len(), 20_000);
}

#[test]
fn config_errors_name_the_file_line_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "[run]\nconcurrency = \"many\"\n",
            ":2: run.concurrency: invalid type",
        ),
        (
            "[fetch]\ntimeout_secs = 3\n\n[run]\nmax_input_bytes = -5\n",
            ":5: run.max_input_bytes: invalid value",
        ),
        (
            "[fetch]\nretries = 2\ntimeout_sec = 4\n",
            ":3: fetch.timeout_sec: unknown field `timeout_sec`",
        ),
        ("colour = true\n", ":1: colour: unknown field `colour`"),
        (
            "[run]\nfail_on = [\n  \"supported\",\n  \"bogus\",\n]\n",
            ":4: run.fail_on: unknown variant `bogus`",
        ),
        (
            "[[outlet]]\nid = \"x\"\nname = 5\n",
            ":3: outlet.name: invalid type: integer `5`",
        ),
        (
            "[search]\nproviders = \"corpus\"\n",
            ":2: search.providers: invalid type",
        ),
        (
            "[run]\nmax_citations = 1.5\n",
            ":2: run.max_citations: invalid type",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let config = write(dir.path(), &format!("bad{i}.toml"), text);
        let output = citecheck()
            .args(["check", "--offline", "--config"])
            .arg(&config)
            .arg(seed_article())
            .output()
            .expect("run citecheck");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{text}: {}",
            describe(&output)
        );
        let expected = format!("bad{i}.toml{expected}");
        assert!(
            stderr(&output).contains(&expected),
            "expected {expected:?}: {}",
            describe(&output)
        );
        assert!(output.stdout.is_empty(), "{}", describe(&output));
    }
}
