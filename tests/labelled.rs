//! Extraction measured on a labelled set (issues 3 and 15): `fixtures/labelled/<id>.<txt|md|html>`
//! are short invented articles, `fixtures/labelled/<id>.json` say which citations, claims (with
//! the citations each rests on) and not-checkable sentences a careful editor finds in each.
//! `citecheck eval articles fixtures/labelled` scores the set (the scorer is
//! `src/eval/articles.rs`); this test runs it and holds the targets, and checks that every label
//! points at text that is really there.
//!
//! See the figures and every mismatch with:
//!
//! ```sh
//! cargo test --test labelled -- --nocapture
//! ```
//!
//! Set `CITECHECK_LABELLED_REPORT=path.json` to also write the report as JSON (to compare runs),
//! and `CITECHECK_LABELLED_DIR=dir` to score another set labelled the same way.
//!
//! How the labels are written (they are the truth; never bend them to today's output):
//!
//! - One citation per attribution as written: `据新华社报道` twice on two lines is two citations;
//!   `X援引Y报道` and `综合X、Y报道` cite both outlets; an attribution and a link to the same
//!   outlet on one line are one citation; `原标题：Y` belongs to the `来源：X` line beside it.
//! - `outlet` is the name as written, without a leading "the" or the marks 《》; unnamed groups
//!   (美媒, 外媒, 港媒, 知情人士, 外電) are outlets with a `registry_outlet` of null. A bare URL,
//!   `<blockquote cite>`, `<q cite>`, or a link with no outlet named in its text or attribution
//!   (`[Reuters reported](…)` names one) has `outlet` null and the owner of its host as
//!   `registry_outlet` (the extractor fills its `outlet` with that owner's name, so such a label
//!   is matched by URL). Datelines such as
//!   `WASHINGTON (Reuters) —`, `（新华社记者 张三）` or `中新网9月1日电` cite their outlet.
//! - `registry_outlet` is the canonical `name` in `data/outlets.toml` (Reuters is `路透社`).
//! - `headline` is the cited title exactly as written, without the quotes or marks around it.
//! - `line` is the 1-based input line where the citation is written; for reference-style Markdown
//!   links it is the line of the link, not of the `[1]: url` definition; a reference list
//!   (`[1] Reuters, "…", https://…`) or a footnote (`[^1]: …`) cites on the entry's own line.
//! - Mentions of an outlet that cite nothing ("Reuters is a news agency", "他在新华社工作了十年")
//!   are not citations. `据悉` names no source and is not a citation.
//! - `claims` are check-worthy sentences that must be extracted (a substring, on that line);
//!   `not_claims` are rhetoric, questions and comment-section text that must not be.
//!
//! Matching: an extracted citation matches a label on the same line with the same outlet (case,
//! a leading "the" and 《》 ignored) or, failing that, the same URL; one to one.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use support::{citecheck, describe, parse_report};

/// The issues' targets, for each language on its own.
const MIN_CITATION_F1: f64 = 0.95;
const MIN_OUTLET_ACCURACY: f64 = 0.95;
const MIN_BINDING_ACCURACY: f64 = 0.90;

const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "html"];

/// One labelled article: its input file and its label.
struct Labelled {
    id: String,
    path: PathBuf,
    format: String,
    label: Value,
}

/// `fixtures/labelled`, or `CITECHECK_LABELLED_DIR` to score another set written the same way
/// (a held-out set kept outside the repository, say).
fn labelled_dir() -> PathBuf {
    std::env::var_os("CITECHECK_LABELLED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| support::repo_root().join("fixtures/labelled"))
}

/// Every article of the set, sorted by file name, with its label.
fn labelled_set(dir: &std::path::Path) -> Vec<Labelled> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let id = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("utf-8 file name")
                .to_string();
            let format = path
                .extension()
                .and_then(|e| e.to_str())
                .expect("has extension")
                .to_string();
            let label_path = dir.join(format!("{id}.json"));
            let bytes = std::fs::read(&label_path)
                .unwrap_or_else(|e| panic!("{} has no label: {e}", label_path.display()));
            let label: Value = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", label_path.display()));
            Labelled {
                id,
                path,
                format,
                label,
            }
        })
        .collect()
}

fn items<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn text(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_string)
}

fn show(c: &Value) -> String {
    format!(
        "line {} outlet {} registry {} headline {} url {}",
        c["line"], c["outlet"], c["registry_outlet"], c["headline"], c["url"]
    )
}

/// `fixtures/labelled-heldout`: 30 articles (10 per script) written for issue 15's binding and
/// check-worthiness classes after the extractor was built, and never tuned on. The issue's
/// targets are not met there yet (see BENCHMARKS.md); these floors hold today's figures so a
/// change cannot make them worse unnoticed.
fn heldout_dir() -> PathBuf {
    support::repo_root().join("fixtures/labelled-heldout")
}
const HELDOUT_MIN_CITATION_F1: f64 = 0.85;
const HELDOUT_MIN_BINDING_ACCURACY: f64 = 0.78;
const HELDOUT_MIN_WORTHINESS_PRECISION: f64 = 0.95;

/// Runs `citecheck eval articles DIR`, prints the table, and returns the JSON report.
fn evaluate(dir: &std::path::Path) -> Value {
    let human = citecheck()
        .args(["eval", "articles"])
        .arg(dir)
        .args(["--problems", "1000"])
        .output()
        .expect("run citecheck eval articles");
    assert_eq!(human.status.code(), Some(0), "{}", describe(&human));
    eprintln!(
        "\nlabelled articles ({}):\n{}",
        dir.display(),
        String::from_utf8_lossy(&human.stdout)
    );
    let output = citecheck()
        .args(["eval", "articles"])
        .arg(dir)
        .args(["--format", "json"])
        .output()
        .expect("run citecheck eval articles");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let report = parse_report(&output.stdout);
    assert_eq!(report["schema"], "citecheck.eval.articles.v1");
    assert!(
        items(&report, "failures").is_empty(),
        "{:#}",
        report["failures"]
    );
    for group in ["all", "en", "zh-Hans", "zh-Hant"] {
        assert!(
            items(&report, "groups").iter().any(|g| g["group"] == group),
            "no {group} row"
        );
    }
    report
}

/// Asserts `minimum` for figure `key` in every group of `report`.
fn assert_floor(report: &Value, key: &str, minimum: f64) {
    for g in items(report, "groups") {
        let name = g["group"].as_str().unwrap_or_default();
        let got = g["figures"][key]
            .as_f64()
            .unwrap_or_else(|| panic!("{name}: no {key}"));
        assert!(
            got >= minimum,
            "{name}: {key} {got:.3} is below {minimum}; run with --nocapture for the mismatches"
        );
    }
}

#[test]
fn labelled_extraction_meets_targets_in_each_language() {
    let report = evaluate(&labelled_dir());
    if let Ok(path) = std::env::var("CITECHECK_LABELLED_REPORT") {
        std::fs::write(&path, report.to_string()).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    assert_floor(&report, "citation_f1", MIN_CITATION_F1);
    assert_floor(&report, "outlet_accuracy", MIN_OUTLET_ACCURACY);
    assert_floor(&report, "binding_accuracy", MIN_BINDING_ACCURACY);
}

#[test]
fn heldout_articles_hold_their_floors() {
    let report = evaluate(&heldout_dir());
    assert_floor(&report, "citation_f1", HELDOUT_MIN_CITATION_F1);
    assert_floor(&report, "outlet_accuracy", MIN_OUTLET_ACCURACY);
    assert_floor(&report, "binding_accuracy", HELDOUT_MIN_BINDING_ACCURACY);
    assert_floor(
        &report,
        "worthiness_precision",
        HELDOUT_MIN_WORTHINESS_PRECISION,
    );
}

/// The set is what the issue asks for, and every label points at text that is really there.
#[test]
fn labelled_set_is_complete_and_consistent() {
    let mut set = labelled_set(&labelled_dir());
    let main_count = set.len();
    set.extend(labelled_set(&heldout_dir()));
    let registry = std::fs::read_to_string(support::repo_root().join("data/outlets.toml"))
        .expect("data/outlets.toml");
    let mut per_language: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for article in &set {
        let id = &article.id;
        let source = std::fs::read_to_string(&article.path).expect("article is UTF-8");
        let lines: Vec<&str> = source.lines().collect();
        let language = text(&article.label, "language").unwrap_or_default();
        if !["zh-Hans", "zh-Hant", "en"].contains(&language.as_str()) {
            problems.push(format!("{id}: language {language:?}"));
        }
        *per_language.entry(language).or_default() += 1;
        let line_text = |v: &Value| -> &str {
            v["line"]
                .as_u64()
                .and_then(|l| lines.get((l as usize).wrapping_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        for c in items(&article.label, "citations") {
            let on_line = line_text(c);
            if on_line.is_empty() {
                problems.push(format!("{id}: citation on an empty line: {}", show(c)));
            }
            if let Some(s) = text(c, "outlet") {
                if !on_line.contains(&s) {
                    problems.push(format!("{id}: outlet {s:?} not on its line"));
                }
            }
            // A `原标题：Y` line gives the headline of the `来源：X` line beside it.
            if let Some(s) = text(c, "headline") {
                let original_title = lines.iter().any(|l| {
                    (l.starts_with("原标题") || l.starts_with("原標題")) && l.contains(&s)
                });
                if !on_line.contains(&s) && !original_title {
                    problems.push(format!("{id}: headline {s:?} not on its line"));
                }
            }
            if let Some(url) = text(c, "url") {
                if !source.contains(&url) {
                    problems.push(format!("{id}: url {url} not in the article"));
                }
            }
            if let Some(name) = text(c, "registry_outlet") {
                if !registry.contains(&format!("name = \"{name}\"")) {
                    problems.push(format!(
                        "{id}: registry outlet {name:?} not in outlets.toml"
                    ));
                }
            }
        }
        for c in items(&article.label, "claims") {
            let needle = c["text_contains"].as_str().unwrap_or_default();
            if needle.is_empty() || !line_text(c).contains(needle) {
                problems.push(format!("{id}: claim {needle:?} not on line {}", c["line"]));
            }
        }
        for n in items(&article.label, "not_claims") {
            if !n
                .as_str()
                .is_some_and(|s| !s.is_empty() && source.contains(s))
            {
                problems.push(format!("{id}: not_claim {n} not in the article"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let count = |l: &str| per_language.get(l).copied().unwrap_or(0);
    assert!(main_count >= 60, "{main_count} labelled articles");
    assert!(
        set.len() - main_count >= 30,
        "{} held-out articles",
        set.len() - main_count
    );
    assert!(count("zh-Hans") >= 20, "{per_language:?}");
    assert!(count("zh-Hant") >= 10, "{per_language:?}");
    assert!(count("en") >= 20, "{per_language:?}");
    for format in ARTICLE_EXTENSIONS {
        assert!(
            set.iter().any(|a| a.format == *format),
            "no .{format} article"
        );
    }
}
