//! Headline-less attributions (`据新华社报道，…`, `…, Reuters reported.`) found through a local
//! SearXNG-style search and a page proxy, in Chinese, in English, and a Chinese claim whose
//! report is in English. Each index also holds the outlet's other stories on the same topic,
//! so the report has to be told apart by the claim's words, names and figures.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;
use support::{check_via, describe, document, parse_report, SearxResult, TestServer};

/// A news page as outlets serve it: navigation, the story, a related list, comments, footer.
fn news_page(site: &str, title: &str, date: &str, paragraphs: &[&str], related: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    let related: String = related
        .iter()
        .enumerate()
        .map(|(i, r)| format!("<li><a href=\"/related/{i}.html\">{r}</a></li>\n"))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} - {site}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T08:30:00+00:00">
</head><body>
<header><nav><a href="/">{site}</a> <a href="/world">World</a> <a href="/business">Business</a>
<a href="/tech">Tech</a> <a href="/markets">Markets</a></nav></header>
<main><article>
<h1>{title}</h1>
<div class="byline">{site} · {date}</div>
{body}</article>
<aside class="related"><h3>Related</h3><ul>
{related}</ul></aside>
<section class="comments"><h3>Comments</h3>
<div class="comment">Great reporting, thanks.</div></section>
</main>
<footer>© 2025 {site}. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"#
    )
}

/// One story for the index and the proxy: URL, title, paragraphs.
struct Story {
    url: &'static str,
    site: &'static str,
    title: &'static str,
    date: &'static str,
    paragraphs: &'static [&'static str],
}

impl Story {
    fn html(&self) -> String {
        news_page(
            self.site,
            self.title,
            self.date,
            self.paragraphs,
            &["Markets wrap: stocks edge higher", "Weather: storms ahead"],
        )
    }

    fn result(&self) -> SearxResult {
        let mut r = SearxResult::new(self.url, self.title, self.paragraphs[0]);
        r.published_date = Some(format!("{}T08:30:00Z", self.date));
        r
    }
}

/// Starts the search index and the page proxy over `stories`.
fn servers(stories: &[Story]) -> (TestServer, TestServer) {
    let results: Vec<SearxResult> = stories.iter().map(Story::result).collect();
    let mut pages = HashMap::new();
    for s in stories {
        pages.insert(
            s.url.to_string(),
            (
                "text/html; charset=utf-8".to_string(),
                s.html().into_bytes(),
            ),
        );
    }
    (
        TestServer::start(support::searxng_results(results)),
        TestServer::start(support::news_proxy(pages)),
    )
}

fn write_article(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write article");
    path
}

/// The only citation of the first document, and the claim containing `needle`.
fn citation_and_claim(output: &Output, needle: &str) -> (serde_json::Value, serde_json::Value) {
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        describe(output)
    );
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    let citations = support::array(doc, "citations");
    assert_eq!(citations.len(), 1, "{citations:#?}");
    let claim = support::claim_containing(doc, needle).clone();
    (citations[0].clone(), claim)
}

const XINHUA_JULY: Story = Story {
    url: "http://www.news.cn/fortune/20250815/jobs-july.html",
    site: "新华网",
    title: "国家统计局：7月份城镇调查失业率5.2%",
    date: "2025-08-15",
    paragraphs: &[
        "新华社北京8月15日电 国家统计局15日发布数据显示，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点。",
        "31个大城市城镇调查失业率为5.3%，比上月上升0.1个百分点。",
        "国家统计局新闻发言人表示，毕业季因素带动失业率季节性上升。",
    ],
};

const XINHUA_JUNE: Story = Story {
    url: "http://www.news.cn/fortune/20250716/jobs-june.html",
    site: "新华网",
    title: "国家统计局：6月份城镇调查失业率5.0%",
    date: "2025-07-16",
    paragraphs: &[
        "新华社北京7月16日电 国家统计局16日发布数据显示，6月份全国城镇调查失业率为5.0%，与上月持平。",
        "31个大城市城镇调查失业率为5.0%，比上月下降0.1个百分点。",
    ],
};

#[test]
fn a_chinese_attribution_without_a_headline_finds_its_report() {
    let (searx, proxy) = servers(&[XINHUA_JUNE, XINHUA_JULY]);
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(
        dir.path(),
        "jobs.md",
        "# 就业形势\n\n据新华社报道，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点。\n",
    );
    let output = check_via(&searx, &proxy, &article);
    let (c, claim) = citation_and_claim(&output, "失业率为5.2%");
    assert_eq!(c["outlet"], "新华社", "{c:#}");
    assert!(c["headline"].is_null(), "{c:#}");
    assert_eq!(c["status"], "found", "{c:#}");
    assert!(
        c["source"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("jobs-july")),
        "the June story was taken: {c:#}"
    );
    let verdict = claim["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict == "supported" || verdict == "partially_supported",
        "{claim:#}"
    );
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
}

const REUTERS_BAKERY: Story = Story {
    url: "http://www.reuters.com/business/brightwater-foods-leeds-bakery-2025-03-04/",
    site: "Reuters",
    title: "Brightwater Foods to shut Leeds bakery, cutting 340 jobs",
    date: "2025-03-04",
    paragraphs: &[
        "LONDON, March 4 (Reuters) - Brightwater Foods will close its Leeds bakery and cut 340 jobs by the end of the year, the company said on Tuesday.",
        "The baker said rising energy costs had made the site unprofitable, and production would move to its plant in Hull.",
        "Unions said they would fight the closure.",
    ],
};

const REUTERS_FORECAST: Story = Story {
    url: "http://www.reuters.com/business/brightwater-foods-forecast-2025-02-11/",
    site: "Reuters",
    title: "Brightwater Foods raises annual profit forecast",
    date: "2025-02-11",
    paragraphs: &[
        "LONDON, Feb 11 (Reuters) - Brightwater Foods raised its annual profit forecast on Tuesday as bread and cake sales in Leeds and across the north held up.",
        "Shares in the company rose 4% in early trade.",
    ],
};

#[test]
fn an_english_attribution_without_a_headline_finds_its_report() {
    let (searx, proxy) = servers(&[REUTERS_FORECAST, REUTERS_BAKERY]);
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(
        dir.path(),
        "bakery.md",
        "# Bakery closure\n\nBrightwater Foods will close its Leeds bakery and cut 340 jobs by the end of the year, Reuters reported.\n",
    );
    let output = check_via(&searx, &proxy, &article);
    let (c, claim) = citation_and_claim(&output, "340 jobs");
    assert_eq!(c["status"], "found", "{c:#}");
    assert!(c["headline"].is_null(), "{c:#}");
    assert!(
        c["source"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("leeds-bakery")),
        "{c:#}"
    );
    let verdict = claim["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict == "supported" || verdict == "partially_supported",
        "{claim:#}"
    );
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
}

const REUTERS_H20: Story = Story {
    url: "http://www.reuters.com/technology/nvidia-tsmc-h20-2025-08-22/",
    site: "Reuters",
    title: "Nvidia asks TSMC to halt work on H20 chips",
    date: "2025-08-22",
    paragraphs: &[
        "Aug 22 (Reuters) - Nvidia has asked TSMC to halt production of its H20 AI chip, two people familiar with the matter said on Friday.",
        "The chipmaker's request came after Beijing urged Chinese companies to avoid the H20.",
        "Nvidia and TSMC declined to comment.",
    ],
};

const REUTERS_TSMC_SHARES: Story = Story {
    url: "http://www.reuters.com/markets/tsmc-shares-nvidia-2025-08-20/",
    site: "Reuters",
    title: "TSMC shares rise as Nvidia demand stays strong",
    date: "2025-08-20",
    paragraphs: &[
        "Aug 20 (Reuters) - Shares in TSMC rose 2% on Wednesday as strong demand from Nvidia kept its order book full.",
    ],
};

#[test]
fn a_chinese_claim_finds_the_english_report_it_leans_on() {
    let (searx, proxy) = servers(&[REUTERS_TSMC_SHARES, REUTERS_H20]);
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(
        dir.path(),
        "h20.md",
        "# H20芯片\n\n据路透社报道，英伟达已要求台积电暂停H20芯片的生产。\n",
    );
    let output = check_via(&searx, &proxy, &article);
    let (c, claim) = citation_and_claim(&output, "H20芯片的生产");
    assert_eq!(c["outlet"], "路透社", "{c:#}");
    assert_eq!(c["status"], "found", "{c:#}");
    assert!(
        c["source"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("nvidia-tsmc-h20")),
        "{c:#}"
    );
    // Judged against the English report: it is cited and has evidence from it.
    let id = c["id"].as_str().expect("citation id");
    assert!(
        support::array(&claim, "cited").iter().any(|x| x == id),
        "{claim:#}"
    );
    assert!(
        !support::array(&claim, "evidence").is_empty(),
        "no evidence quoted: {claim:#}"
    );
    // English queries were sent: the outlet's English name with the claim's names.
    let queries: Vec<String> = searx
        .requests()
        .iter()
        .filter_map(|r| r.query.get("q").cloned())
        .collect();
    assert!(
        queries
            .iter()
            .any(|q| q.contains("nvidia") && q.contains("h20") && !q.contains("英伟达")),
        "{queries:?}"
    );
}

#[test]
fn only_other_stories_of_the_outlet_means_not_found_with_the_queries_tried() {
    let (searx, proxy) = servers(&[XINHUA_JUNE, REUTERS_TSMC_SHARES]);
    let dir = tempfile::tempdir().expect("tempdir");
    let article = write_article(
        dir.path(),
        "two.md",
        "# 两则消息\n\n据新华社报道，7月份全国城镇调查失业率为5.2%，比上月上升0.2个百分点。\n\n\
         据路透社报道，英伟达已要求台积电暂停H20芯片的生产。\n",
    );
    let output = check_via(&searx, &proxy, &article);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        describe(&output)
    );
    let report = parse_report(&output.stdout);
    let doc = document(&report, 0);
    let citations = support::array(doc, "citations");
    assert_eq!(citations.len(), 2, "{citations:#?}");
    for c in citations {
        assert_eq!(c["status"], "not_found", "a near miss was taken: {c:#}");
        let detail = c["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("queries tried"), "{c:#}");
    }
    // Nothing a source could be asked about fails the run when no source was found.
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
}
