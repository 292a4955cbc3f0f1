//! Fixture pages in fixtures/pages/: every notice kind, the page model's fields, a legacy
//! charset, and the traps (a related list or a comment repeating a claim is not main text).

use citecheck::model::{NoticeKind, Page};
use std::path::Path;

fn page(name: &str, url: &str) -> Page {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pages")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture is readable");
    let decoded = citecheck::charset::decode(&bytes, None);
    citecheck::extract::extract_page(&decoded.text, url)
}

fn kinds(p: &Page) -> Vec<NoticeKind> {
    p.notices.iter().map(|n| n.kind).collect()
}

fn assert_absent(p: &Page, traps: &[&str]) {
    let text = p.text();
    for t in traps {
        assert!(
            !text.contains(t),
            "{t:?} leaked into the main text:\n{text}"
        );
    }
}

#[test]
fn english_correction_page() {
    let p = page(
        "en-correction.html",
        "https://www.northshoregazette.example/x",
    );
    assert_eq!(
        p.title.as_deref(),
        Some("Harbour council approves tidal barrier plan")
    );
    assert_eq!(p.published.as_deref(), Some("2024-10-22T09:15"));
    assert_eq!(p.updated.as_deref(), Some("2024-10-23T14:02"));
    assert_eq!(p.author.as_deref(), Some("Morag Ellison"));
    assert_eq!(p.site_name.as_deref(), Some("Northshore Gazette"));
    assert_eq!(p.language.as_deref(), Some("en-gb"));
    assert_eq!(
        p.canonical_url.as_deref(),
        Some("https://www.northshoregazette.example/news/2024/10/22/tidal-barrier")
    );
    assert_eq!(kinds(&p), [NoticeKind::Correction]);
    assert!(p.notices[0].text.contains("33 to 7"));
    let text = p.text();
    assert!(text.contains("Councillors voted by 31 to 9"), "{text}");
    assert!(text.contains("gates would stay open"), "{text}");
    assert_absent(
        &p,
        &[
            "£90 million",
            "Council rejects tidal barrier",
            "actually unanimous",
            "ten years at least",
            "We use cookies",
            "All rights reserved",
        ],
    );
}

#[test]
fn english_retraction_and_editors_note() {
    let p = page("en-retraction.html", "https://meridian.example/x");
    assert_eq!(
        p.title.as_deref(),
        Some("Study links night-shift work to faster memory decline")
    );
    assert_eq!(p.published.as_deref(), Some("2024-03-05"));
    assert_eq!(p.author.as_deref(), Some("Daniel Okafor"));
    assert_eq!(p.site_name.as_deref(), Some("Meridian Science Review"));
    let k = kinds(&p);
    assert!(k.contains(&NoticeKind::Retraction), "{:?}", p.notices);
    assert!(k.contains(&NoticeKind::Update), "{:?}", p.notices);
    assert!(p.text().contains("4,300 hospital staff"));
    assert_absent(&p, &["double the risk of dementia"]);
}

#[test]
fn chinese_portal_correction_and_origin() {
    let p = page(
        "zh-portal-correction.html",
        "https://news.huadong.example/x",
    );
    assert_eq!(p.title.as_deref(), Some("沿海三省启动台风防御四级应急响应"));
    assert_eq!(p.published.as_deref(), Some("2024-10-22T02:31"));
    assert_eq!(p.origin_outlet.as_deref(), Some("新华社"));
    assert_eq!(p.author.as_deref(), Some("王海涛"));
    assert_eq!(p.language.as_deref(), Some("zh"));
    assert_eq!(kinds(&p), [NoticeKind::Correction]);
    let text = p.text();
    assert!(text.contains("1.6万余艘渔船进港"), "{text}");
    assert!(text.contains("远离河道、海边和低洼地带"), "{text}");
    assert_absent(
        &p,
        &[
            "停课停工",
            "启动台风一级应急响应",
            "已经启动一级应急响应",
            "责任编辑",
            "版权所有",
        ],
    );
}

#[test]
fn chinese_blog_retraction_and_update() {
    let p = page(
        "zh-blog-retraction.html",
        "https://blog.kejiguancha.example/x",
    );
    assert_eq!(
        p.title.as_deref(),
        Some("关于某品牌电池起火事故调查结论的说明")
    );
    assert_eq!(p.published.as_deref(), Some("2024-06-18T10:20"));
    assert_eq!(p.updated.as_deref(), Some("2024-06-20T08:00"));
    assert_eq!(p.language.as_deref(), Some("zh-cn"));
    assert_eq!(
        p.canonical_url.as_deref(),
        Some("https://blog.kejiguancha.example/posts/battery-fire")
    );
    let k = kinds(&p);
    assert!(k.contains(&NoticeKind::Retraction), "{:?}", p.notices);
    assert!(k.contains(&NoticeKind::Update), "{:?}", p.notices);
    assert!(p.text().contains("上述说法缺乏可靠来源"));
    assert_absent(
        &p,
        &["厂家承认电池设计缺陷并召回全部产品", "召回是肯定的事情"],
    );
}

#[test]
fn legacy_gb2312_page() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages/zh-gbk-legacy.html");
    let bytes = std::fs::read(path).expect("fixture is readable");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must stay GB2312"
    );
    assert_eq!(citecheck::charset::decode(&bytes, None).encoding, "GBK");
    let p = page(
        "zh-gbk-legacy.html",
        "http://www.jiangcheng-daily.example/x",
    );
    assert_eq!(
        p.title.as_deref(),
        Some("市统计局：前三季度全市居民人均可支配收入增长5.1%")
    );
    assert_eq!(p.published.as_deref(), Some("2024-10-25T16:40"));
    assert_eq!(p.origin_outlet.as_deref(), Some("江城日报"));
    assert_eq!(p.author.as_deref(), Some("陈晓"));
    assert_eq!(kinds(&p), [NoticeKind::Correction]);
    let text = p.text();
    assert!(text.contains("同比名义增长5.1%"), "{text}");
    assert_absent(&p, &["全市居民收入增长5.8%创新高", "版权所有"]);
}

#[test]
fn page_command_prints_the_model() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pages/en-correction.html");
    let out = assert_cmd::Command::cargo_bin("citecheck")
        .expect("binary")
        .args([
            "page",
            path.to_str().expect("utf-8 path"),
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["page"]["author"], "Morag Ellison");
    assert_eq!(v["page"]["notices"][0]["kind"], "correction");
    assert_eq!(v["page"]["updated"], "2024-10-23T14:02");
}
