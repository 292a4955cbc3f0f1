//! Soft 404s: pages served with status 200 that say the cited page is gone.
//!
//! Sites redirect a deleted article to their home page, or serve an error page (`404`,
//! `页面不存在`, `Page not found`) with status 200. Such a page is `not_found`, never `found`:
//! reading it would compare a claim with a site's navigation.

use crate::fetch::FetchedPage;
use crate::model::Page;
use regex::Regex;
use std::sync::LazyLock;

/// Phrases of error-page titles, matched on the lower-cased title.
const ERROR_TITLE_PHRASES: &[&str] = &[
    "page not found",
    "not found",
    "page does not exist",
    "page doesn't exist",
    "no longer available",
    "page unavailable",
    "content unavailable",
    "页面不存在",
    "页面未找到",
    "页面找不到",
    "找不到页面",
    "找不到网页",
    "页面已删除",
    "页面已失效",
    "文章不存在",
    "内容不存在",
    "新闻不存在",
    "信息不存在",
    "已被删除",
    "您访问的页面",
    "頁面不存在",
    "找不到網頁",
    "ページが見つかりません",
];

/// `404`, `Error 404`, `404 - 页面不存在`, `HTTP 410`: a title that opens with an error code.
static ERROR_CODE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:http\s*)?(?:error\s*)?(?:404|410)\s*(?:$|[-|_:–—·,.]|not\b|gone\b|error\b|page\b|页面|错误|找不到)",
    )
        .expect("valid error title regex")
});
static TITLE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("valid title regex"));

/// Paths that are a site's home page.
fn is_home_path(path: &str) -> bool {
    let p = path.trim_end_matches('/').to_ascii_lowercase();
    p.is_empty()
        || matches!(
            p.as_str(),
            "/index.html"
                | "/index.htm"
                | "/index.shtml"
                | "/index.php"
                | "/default.aspx"
                | "/home"
        )
}

/// Whether a title reads as an error page.
pub fn is_error_title(title: &str) -> bool {
    let t = title.trim().to_lowercase();
    if t.is_empty() {
        return false;
    }
    ERROR_CODE_TITLE.is_match(&t) || ERROR_TITLE_PHRASES.iter().any(|p| t.contains(p))
}

/// Why `fetched` (asked for as `requested`) is a soft 404, or `None` when it is a real page.
pub fn soft_404_reason(page: &Page, fetched: &FetchedPage, requested: &str) -> Option<String> {
    let final_url = if fetched.final_url.is_empty() {
        &fetched.url
    } else {
        &fetched.final_url
    };
    if let (Ok(asked), Ok(got)) = (url::Url::parse(requested), url::Url::parse(final_url)) {
        let asked_home = is_home_path(asked.path()) && asked.query().is_none();
        let got_home = is_home_path(got.path()) && got.query().is_none();
        if !asked_home && got_home {
            return Some(format!("redirected to the home page {final_url}"));
        }
    }
    let raw_title = TITLE_TAG
        .captures(&fetched.html)
        .map(|c| c[1].split_whitespace().collect::<Vec<_>>().join(" "));
    let reason = [page.title.as_deref(), raw_title.as_deref()]
        .into_iter()
        .flatten()
        .find(|t| is_error_title(t))
        .map(|t| format!("error page titled {t:?}"));
    reason
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(url: &str, final_url: &str, html: &str) -> FetchedPage {
        FetchedPage {
            url: url.to_string(),
            final_url: final_url.to_string(),
            status: 200,
            content_type: Some("text/html".to_string()),
            html: html.to_string(),
            encoding: "UTF-8".to_string(),
            etag: None,
            last_modified: None,
        }
    }

    #[test]
    fn error_titles() {
        for t in [
            "404",
            "404 Not Found",
            "Error 404 - Example",
            "HTTP 410 Gone",
            "Page not found | Reuters",
            "抱歉，您访问的页面不存在",
            "页面不存在_新浪网",
            "頁面不存在",
        ] {
            assert!(is_error_title(t), "{t}");
        }
        for t in [
            "404 people evacuated as floods hit the coast",
            "英伟达暂停H20芯片生产",
            "Found: the missing sculpture",
            "",
        ] {
            assert!(!is_error_title(t), "{t}");
        }
    }

    #[test]
    fn home_page_redirect_and_error_pages() {
        let page = Page::default();
        let art = "https://www.guancha.cn/economy/2025_08_22_1.shtml";
        let f = fetched(art, "https://www.guancha.cn/", "<title>观察者网</title>");
        assert_eq!(
            soft_404_reason(&page, &f, art).as_deref(),
            Some("redirected to the home page https://www.guancha.cn/")
        );
        let f = fetched(art, "https://www.guancha.cn/index.shtml", "");
        assert!(soft_404_reason(&page, &f, art).is_some());
        // Asking for the home page and getting it is fine.
        let f = fetched(
            "https://www.guancha.cn/",
            "https://www.guancha.cn/",
            "<title>观察者网</title>",
        );
        assert_eq!(soft_404_reason(&page, &f, "https://www.guancha.cn/"), None);
        let f = fetched(
            art,
            art,
            "<html><head><title>\n  404 - 页面不存在\n</title></head></html>",
        );
        assert_eq!(
            soft_404_reason(&page, &f, art).as_deref(),
            Some("error page titled \"404 - 页面不存在\"")
        );
        let real = Page {
            title: Some("英伟达暂停H20芯片生产".to_string()),
            ..Page::default()
        };
        let f = fetched(art, art, "<title>英伟达暂停H20芯片生产_观察者网</title>");
        assert_eq!(soft_404_reason(&real, &f, art), None);
    }
}
