//! End-to-end: opinion and furniture are listed under "not checked", never fail a run, and
//! `--check-all` (or `claims.check_all`) judges them again. Embedded corpus, no network.

mod support;

use serde_json::Value;
use support::{citecheck, describe, parse_report};

fn fixture(name: &str) -> String {
    format!("{}/fixtures/worthiness/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `check --format json` on a fixture with extra args: (exit code, the document).
fn check(name: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let output = citecheck()
        .arg("check")
        .arg(fixture(name))
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("run citecheck");
    let report = parse_report(&output.stdout);
    let doc = report["documents"][0].clone();
    assert!(doc.is_object(), "{}", describe(&output));
    (output.status.code(), doc)
}

/// `(class, why)` of the not-checked sentence starting with `start`.
fn unchecked<'a>(doc: &'a Value, start: &str) -> (&'a str, &'a str) {
    let list = doc["not_checked"].as_array().expect("not_checked listed");
    let u = list
        .iter()
        .find(|u| u["text"].as_str().is_some_and(|t| t.starts_with(start)))
        .unwrap_or_else(|| panic!("{start:?} not under not_checked: {doc:#}"));
    (
        u["class"].as_str().unwrap_or_default(),
        u["why"].as_str().unwrap_or_default(),
    )
}

fn claim_texts(doc: &Value) -> Vec<String> {
    doc["claims"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| c["text"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn simplified_furniture_and_opinion_are_not_checked_and_do_not_fail() {
    let (code, doc) = check("worth-zh.md", &[]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(unchecked(&doc, "港航观察"), ("furniture", "byline"));
    assert_eq!(unchecked(&doc, "编者按"), ("furniture", "editor_note"));
    assert_eq!(unchecked(&doc, "一、复工进度"), ("furniture", "heading"));
    assert_eq!(unchecked(&doc, "请外贸企业"), ("furniture", "advice"));
    assert_eq!(unchecked(&doc, "喜欢本文"), ("furniture", "call_to_share"));
    assert_eq!(unchecked(&doc, "港口的韧性").0, "opinion");
    assert_eq!(unchecked(&doc, "我们认为").0, "opinion");
    let claims = claim_texts(&doc);
    assert!(
        claims.iter().any(|c| c.starts_with("据新华社报道")),
        "{claims:?}"
    );
    assert!(
        claims.iter().any(|c| c.starts_with("据人民网消息")),
        "{claims:?}"
    );
    assert!(!claims.iter().any(|c| c.contains("翻身仗")), "{claims:?}");
}

/// The verdict `check` gave the claim starting with `start`.
fn verdict_of<'a>(doc: &'a Value, start: &str) -> &'a str {
    doc["claims"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|c| c["text"].as_str().is_some_and(|t| t.starts_with(start)))
        })
        .and_then(|c| c["verdict"].as_str())
        .unwrap_or_else(|| panic!("no judged claim starts with {start:?}: {doc:#}"))
}

/// Whether the run's exit code is the one its verdicts call for (1 when a claim is not
/// supported or contradicted, else 0).
fn exit_matches_verdicts(code: Option<i32>, doc: &Value) {
    let failing = doc["summary"]["not_supported"].as_u64().unwrap_or(0)
        + doc["summary"]["contradicted"].as_u64().unwrap_or(0);
    assert_eq!(code, Some(i32::from(failing > 0)), "{doc:#}");
}

#[test]
fn check_all_judges_them_and_no_source_bears_the_opinion_out() {
    let (code, doc) = check("worth-zh.md", &["--check-all"]);
    assert!(doc.get("not_checked").is_none(), "{doc:#}");
    for start in ["编者按", "港口的韧性", "我们认为", "喜欢本文"] {
        // Judged now, and no source states them: the page is not about them.
        assert_eq!(verdict_of(&doc, start), "unverifiable", "{start}");
    }
    assert_eq!(verdict_of(&doc, "据新华社报道"), "supported");
    exit_matches_verdicts(code, &doc);
}

#[test]
fn the_config_key_does_what_the_flag_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("citecheck.toml");
    std::fs::write(&config, "[claims]\ncheck_all = true\n").expect("config written");
    let (code, doc) = check(
        "worth-en.html",
        &["--config", config.to_str().expect("utf-8")],
    );
    assert!(doc.get("not_checked").is_none(), "{doc:#}");
    assert_eq!(verdict_of(&doc, "I think"), "unverifiable");
    exit_matches_verdicts(code, &doc);
    let (flag_code, flag_doc) = check("worth-en.html", &["--check-all"]);
    assert_eq!(flag_code, code);
    assert_eq!(claim_texts(&flag_doc), claim_texts(&doc));
}

#[test]
fn traditional_editor_note_byline_and_opinion() {
    let (code, doc) = check("worth-hant.txt", &[]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(unchecked(&doc, "記者 陳小明"), ("furniture", "byline"));
    assert_eq!(unchecked(&doc, "編者按"), ("furniture", "editor_note"));
    assert_eq!(unchecked(&doc, "請讀者"), ("furniture", "advice"));
    assert_eq!(
        unchecked(&doc, "喜歡這篇文章"),
        ("furniture", "call_to_share")
    );
    assert_eq!(unchecked(&doc, "這場颱風再次證明").0, "opinion");
    assert_eq!(unchecked(&doc, "我們必須").0, "opinion");
    let (_, all) = check("worth-hant.txt", &["--check-all"]);
    assert!(claim_texts(&all).iter().any(|c| c.starts_with("我們必須")));
}

#[test]
fn english_html_read_time_editor_note_advice_and_opinion() {
    let (code, doc) = check("worth-en.html", &[]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(unchecked(&doc, "By Jane Porter"), ("furniture", "byline"));
    assert_eq!(
        unchecked(&doc, "Posted 31 October"),
        ("furniture", "read_time")
    );
    assert_eq!(
        unchecked(&doc, "Editor's note"),
        ("furniture", "editor_note")
    );
    assert_eq!(unchecked(&doc, "The numbers"), ("furniture", "heading"));
    assert_eq!(unchecked(&doc, "If you hold"), ("furniture", "advice"));
    assert_eq!(
        unchecked(&doc, "Share this story"),
        ("furniture", "call_to_share")
    );
    assert_eq!(unchecked(&doc, "What a quarter").0, "opinion");
    assert_eq!(unchecked(&doc, "I think").0, "opinion");
    let claims = claim_texts(&doc);
    assert!(
        claims
            .iter()
            .any(|c| c.starts_with("Sales in the data centre")),
        "{claims:?}"
    );
    let (code, all) = check("worth-en.html", &["--check-all"]);
    assert_eq!(verdict_of(&all, "Share this story"), "unverifiable");
    exit_matches_verdicts(code, &all);
}

#[test]
fn founding_article_title_is_judged_and_its_rhetoric_is_not() {
    let seed = format!(
        "{}/fixtures/articles/nvidia-china-orders.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = citecheck()
        .arg("check")
        .arg(&seed)
        .args(["--format", "json"])
        .output()
        .expect("run citecheck");
    let report = parse_report(&output.stdout);
    let doc = &report["documents"][0];
    assert_eq!(
        doc["claims"][0]["text"], "英伟达正式宣布:停止接受中国新订单!",
        "{doc:#}"
    );
    assert_eq!(doc["claims"][0]["verdict"], "not_supported");
    let claims = claim_texts(doc);
    for rhetoric in ["中国AI产业迎来巨大危机", "历史已经证明"] {
        assert!(
            !claims.iter().any(|c| c.contains(rhetoric)),
            "{rhetoric}: {claims:?}"
        );
        assert!(
            doc["not_checked"].as_array().is_some_and(|a| a
                .iter()
                .any(|u| u["text"].as_str().is_some_and(|t| t.contains(rhetoric))
                    && u["class"] == "opinion")),
            "{rhetoric}"
        );
    }
}
