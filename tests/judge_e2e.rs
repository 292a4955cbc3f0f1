//! Issue 16 end to end: relevance before verdict on drafts about events the offline corpus
//! does not hold, and `check` giving the same verdict as `compare` for the same claim and page.

mod support;

use support::{citecheck, describe, document, parse_report};

/// Checks `text` as a Markdown draft with the defaults (embedded corpus), returning the exit
/// code, the JSON report and the human report.
fn check_draft(text: &str) -> (Option<i32>, serde_json::Value, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("draft.md");
    std::fs::write(&path, text).expect("write draft");
    let json = citecheck()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("run citecheck");
    let human = citecheck()
        .arg("check")
        .arg(&path)
        .output()
        .expect("run citecheck");
    assert_eq!(
        json.status.code(),
        human.status.code(),
        "{}",
        describe(&human)
    );
    (
        json.status.code(),
        parse_report(&json.stdout),
        String::from_utf8_lossy(&human.stdout).into_owned(),
    )
}

fn assert_unverifiable_offline(text: &str) {
    let (code, report, human) = check_draft(text);
    assert_eq!(code, Some(0), "{human}");
    let doc = document(&report, 0);
    let claims = support::array(doc, "claims");
    assert_eq!(claims.len(), 1, "{doc:#}");
    assert_eq!(claims[0]["verdict"], "unverifiable", "{:#}", claims[0]);
    // The unrelated demo page is never quoted as evidence.
    assert!(
        claims[0]["evidence"]
            .as_array()
            .is_none_or(|e| e.is_empty()),
        "{:#}",
        claims[0]
    );
    for c in support::array(doc, "citations") {
        assert_eq!(c["status"], "not_found", "{c:#}");
    }
    assert!(human.contains("not in the offline corpus"), "{human}");
    assert!(human.contains("--search"), "{human}");
    assert!(human.contains("best near miss"), "{human}");
    assert!(!human.contains("NOT SUPPORTED"), "{human}");
}

#[test]
fn issue_16_english_draft_about_an_unknown_event_is_unverifiable() {
    assert_unverifiable_offline(
        "Heavy snow closed 120 schools across Yorkshire on Friday, the BBC reported.\n",
    );
}

#[test]
fn issue_16_chinese_draft_about_an_unknown_event_is_unverifiable() {
    assert_unverifiable_offline("据新华社报道，河北某地暴雪致120所学校停课。\n");
}

#[test]
fn issue_16_check_gives_compare_verdicts_for_a_saved_page() {
    let root = support::repo_root();
    let page = root.join("fixtures/corpus/www.bbc.com/c3lm8q0zk2jo.html");
    let url = "https://www.bbc.com/news/articles/c3lm8q0zk2jo";
    // Claims the page states, and ones it does not: a changed figure, an added negation, a
    // swapped place, a claim about something else.
    let claims = [
        "Halvern Semiconductor has opened a new design centre in Cambridge that will create about 250 engineering jobs",
        "Halvern Semiconductor has opened a new design centre in Cambridge that will create about 900 engineering jobs",
        "Halvern Semiconductor has not opened a new design centre in Cambridge",
        "Halvern Semiconductor has opened a new design centre in Oxford",
        "Industry group TechUK welcomed the announcement but said the UK needed to do more to train engineers",
        "The company said how much the centre cost",
    ];
    let article: String = claims
        .iter()
        .map(|c| format!("{c}, [the BBC reported]({url}).\n\n"))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("article.md");
    std::fs::write(&path, &article).expect("write article");
    let out = citecheck()
        .arg("check")
        .arg(&path)
        .args(["--format", "json", "--offline"])
        .output()
        .expect("run citecheck");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        describe(&out)
    );
    let report = parse_report(&out.stdout);
    let doc = document(&report, 0);
    let judged = support::array(doc, "claims");
    assert_eq!(judged.len(), claims.len(), "{doc:#}");
    let mut verdicts = std::collections::BTreeSet::new();
    for k in judged {
        let text = k["text"].as_str().expect("claim text");
        let compared = citecheck()
            .args(["compare", "--claim", text, "--source"])
            .arg(&page)
            .args(["--format", "json"])
            .output()
            .expect("run citecheck compare");
        assert_eq!(compared.status.code(), Some(0), "{}", describe(&compared));
        let c: serde_json::Value =
            serde_json::from_slice(&compared.stdout).expect("compare writes JSON");
        assert_eq!(k["verdict"], c["verdict"], "check {k:#}\ncompare {c:#}");
        assert_eq!(k["score"], c["score"], "check {k:#}\ncompare {c:#}");
        verdicts.insert(k["verdict"].as_str().unwrap_or_default().to_string());
    }
    // The claims are not all judged alike, so the equality above means something.
    assert!(verdicts.len() >= 3, "{verdicts:?}");
    assert!(verdicts.contains("supported"), "{verdicts:?}");
}
