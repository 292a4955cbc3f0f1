//! Whole evaluations over tiny datasets written by the tests, so the code path is covered
//! without the real datasets.

use super::*;
use flate2::write::GzEncoder;
use std::io::Write;

const PAGE_A: &str = r#"<html><head><title>Storm hits the coast</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Storm hits the coast</h1>
<p>A powerful storm struck the northern coast on Tuesday, cutting power to thousands of homes and closing the main harbour for the day.</p>
<p>Officials said the clean-up would take at least a week, and asked residents to stay away from the sea front until the wind drops.</p>
</article>
<footer>Copyright Example News. All rights reserved.</footer></body></html>"#;

const PAGE_B: &str = r#"<html><head><title>Council approves budget</title></head><body>
<div class="content"><h1>Council approves budget</h1>
<p>The city council approved next year's budget on Monday evening after a long debate about school funding and road repairs.</p>
<p>The mayor said the plan keeps taxes flat while adding two new libraries in the eastern districts of the city.</p>
</div><div class="related"><a href="/x">Read more: other news</a></div></body></html>"#;

const GOLD_A: &str = "A powerful storm struck the northern coast on Tuesday, cutting power to thousands of homes and closing the main harbour for the day.\n\nOfficials said the clean-up would take at least a week, and asked residents to stay away from the sea front until the wind drops.";
const GOLD_B: &str = "The city council approved next year's budget on Monday evening after a long debate about school funding and road repairs.\n\nThe mayor said the plan keeps taxes flat while adding two new libraries in the eastern districts of the city.";

fn gz(path: &Path, text: &str) {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text.as_bytes()).expect("gzip to memory");
    std::fs::write(path, e.finish().expect("gzip to memory")).expect("write test file");
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write test file");
}

fn bodies(pairs: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(id, body)| {
            (
                id.to_string(),
                serde_json::json!({"articleBody": body, "url": format!("https://example.com/{id}")}),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

#[test]
fn article_benchmark_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("html")).expect("mkdir");
    gz(&dir.path().join("html/a.html.gz"), PAGE_A);
    gz(&dir.path().join("html/b.html.gz"), PAGE_B);
    write(
        &dir.path().join("ground-truth.json"),
        &bodies(&[("a", GOLD_A), ("b", GOLD_B)]),
    );
    let report = run_extraction(dir.path(), &EvalOptions::default()).expect("eval runs");
    assert_eq!(report.dataset, Dataset::ArticleExtractionBenchmark);
    assert_eq!(report.pages, 2);
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let w = report.words.expect("shingle scores");
    assert!(w.recall > 0.95, "{w:?}");
    assert!(w.precision > 0.9, "{w:?}");
    assert!(report.timing.is_some());
    assert!(report.dates.is_none() && report.cjk_chars.is_none());
    let human = render_human(&report, 5);
    assert!(
        human.contains("article-extraction-benchmark (2 pages)"),
        "{human}"
    );
    let json = serde_json::to_value(&report).expect("serialisable");
    assert_eq!(json["schema"], SCHEMA);

    // Scoring saved outputs instead: a perfect one and one missing a page.
    let pred = dir.path().join("pred.json.gz");
    gz(
        &pred,
        &format!(
            r#"{{"version": 1, "output": {}}}"#,
            bodies(&[("a", GOLD_A), ("b", GOLD_B)])
        ),
    );
    let opts = EvalOptions {
        predictions: Some(pred),
        ..EvalOptions::default()
    };
    let w = run_extraction(dir.path(), &opts)
        .expect("eval runs")
        .words
        .expect("scores");
    assert_eq!(
        (w.precision, w.recall, w.f1, w.accuracy),
        (1.0, 1.0, 1.0, 1.0)
    );
    let pred = dir.path().join("half.json");
    write(&pred, &bodies(&[("a", GOLD_A)]));
    let opts = EvalOptions {
        predictions: Some(pred),
        ..EvalOptions::default()
    };
    let report = run_extraction(dir.path(), &opts).expect("eval runs");
    let w = report.words.expect("scores");
    assert_eq!((w.precision, w.recall, w.accuracy), (1.0, 0.5, 0.5));
    assert_eq!(report.failures.len(), 1);
}

#[test]
fn zh_layout_scores_dates() {
    let page = r#"<html><head><meta charset="utf-8"><title>国产大飞机获新订单</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/n">新闻</a></div>
<div class="article"><h1>国产大飞机获新订单</h1><div class="info">2024-03-05 10:20 来源：新华社</div>
<p>中国商飞公司五日宣布，国产大型客机又获得一批新订单，订单总数超过一百架，这是今年以来的第三批订单。</p>
<p>公司负责人表示，交付工作将按计划推进，明年产能预计提高一倍，以满足国内外航空公司的需要。</p>
</div></body></html>"#;
    let gold = "中国商飞公司五日宣布，国产大型客机又获得一批新订单，订单总数超过一百架，这是今年以来的第三批订单。\n公司负责人表示，交付工作将按计划推进，明年产能预计提高一倍，以满足国内外航空公司的需要。";
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("original")).expect("mkdir");
    write(&dir.path().join("original/p1.html"), page);
    write(
        &dir.path().join("original/p2.html"),
        "<html><body></body></html>",
    );
    write(
        &dir.path().join("ground-truth.json"),
        r#"{"p1": {"articleBody": "GOLD"}, "p2": {"articleBody": ""}}"#
            .replace("GOLD", &gold.replace('\n', "\\n"))
            .as_str(),
    );
    write(
        &dir.path().join("date-ground-truth.json"),
        r#"{"p1": {"articleBody": "2024-3-5 10:20"}, "p2": {"articleBody": "UNKNOWN"}}"#,
    );
    let report = run_extraction(dir.path(), &EvalOptions::default()).expect("eval runs");
    assert_eq!(report.dataset, Dataset::ZhWebContentExtraction);
    assert_eq!(report.pages, 2);
    let c = report.cjk_chars.expect("character variant");
    assert!(c.recall > 0.95, "{c:?}");
    let d = report.dates.expect("date scores");
    assert_eq!(
        (d.with_gold_date, d.correct, d.without_gold_date, d.spurious),
        (1, 1, 1, 0)
    );
    assert!(render_human(&report, 5).contains("dates: 1/1 correct"));
}

#[test]
fn trafilatura_layout_counts_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("html")).expect("mkdir");
    gz(&dir.path().join("html/a.html.gz"), PAGE_A);
    gz(&dir.path().join("html/b.html.gz"), PAGE_B);
    let evaldata = serde_json::json!({
        "https://example.com/a": {"file": "a.html", "with": ["struck the northern coast", "stay away from the sea front"], "without": ["All rights reserved", "Sport"]},
        "https://example.com/b": {"file": "b.html", "with": ["two new libraries"], "without": ["Read more: other news"]},
    });
    write(&dir.path().join("evaldata.json"), &evaldata.to_string());
    let report = run_extraction(dir.path(), &EvalOptions::default()).expect("eval runs");
    assert_eq!(report.dataset, Dataset::TrafilaturaEval);
    let s = report.segments.expect("segment scores");
    assert_eq!((s.counts.tp, s.counts.fn_), (3, 0), "{s:?}");
    assert_eq!(s.counts.fp + s.counts.tn, 3);
    assert_eq!(s.pages, 2);
}

#[test]
fn unknown_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = run_extraction(dir.path(), &EvalOptions::default()).expect_err("no dataset");
    assert!(
        err.to_string().contains("not a known extraction dataset"),
        "{err}"
    );
}
