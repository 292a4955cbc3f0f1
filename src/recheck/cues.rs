//! Words that say what a page has become: a correction or retraction notice, a paywall or bot
//! wall, an error page. Matched on folded text (lower case, full-width folded).

use crate::text::normalize::fold;

/// A paragraph starting with one of these is a correction notice.
const CORRECTION_STARTS: &[&str] = &[
    "correction:",
    "correction (",
    "corrections:",
    "clarification:",
    "更正:",
    "更正声明",
    "勘误",
    "editor's note: this article was corrected",
];

/// Phrases anywhere in a paragraph that announce a correction.
const CORRECTION_PHRASES: &[&str] = &[
    "this article has been corrected",
    "this story has been corrected",
    "this article was corrected",
    "this story was corrected",
    "an earlier version of this article",
    "an earlier version of this story",
    "本文已更正",
    "特此更正",
];

const RETRACTION_STARTS: &[&str] = &[
    "retraction:",
    "retracted:",
    "[retracted]",
    "撤稿",
    "【撤稿】",
];

const RETRACTION_PHRASES: &[&str] = &[
    "this article has been retracted",
    "this story has been retracted",
    "this article was retracted",
    "has been withdrawn by the publisher",
    "本文已撤回",
    "本文已撤稿",
    "撤稿声明",
];

/// A page that shows this instead of the article is a paywall or a bot wall.
const WALL_PHRASES: &[&str] = &[
    "subscribe to continue reading",
    "subscribe to read",
    "subscribers only",
    "this content is for subscribers",
    "log in to continue reading",
    "are you a robot",
    "verify you are human",
    "verify you are a human",
    "enable javascript and cookies to continue",
    "complete the captcha",
    "access denied",
    "付费阅读",
    "订阅后阅读",
    "登录后查看全文",
    "请完成安全验证",
    "人机验证",
];

/// An error page's title or short text.
const ERROR_PHRASES: &[&str] = &[
    "page not found",
    "404 not found",
    "error 404",
    "not found",
    "page does not exist",
    "no longer available",
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "您访问的页面不存在",
];

/// The first paragraph (or title) that is a notice of this kind, if any.
fn notice<'a>(
    title: &str,
    paragraphs: impl Iterator<Item = &'a str>,
    starts: &[&str],
    phrases: &[&str],
) -> Option<String> {
    let t = fold(title);
    if starts.iter().any(|s| t.starts_with(s)) {
        return Some(title.trim().to_string());
    }
    for p in paragraphs {
        let f = fold(p.trim());
        if starts.iter().any(|s| f.starts_with(s)) || phrases.iter().any(|s| f.contains(s)) {
            return Some(p.trim().to_string());
        }
    }
    None
}

/// The correction notice of a page, if it has one.
pub fn correction<'a>(title: &str, paragraphs: impl Iterator<Item = &'a str>) -> Option<String> {
    notice(title, paragraphs, CORRECTION_STARTS, CORRECTION_PHRASES)
}

/// The retraction notice of a page, if it has one.
pub fn retraction<'a>(title: &str, paragraphs: impl Iterator<Item = &'a str>) -> Option<String> {
    notice(title, paragraphs, RETRACTION_STARTS, RETRACTION_PHRASES)
}

/// Whether the page is a paywall or bot wall rather than the article.
pub fn wall(title: &str, text: &str) -> Option<&'static str> {
    let f = fold(&format!("{title}\n{text}"));
    WALL_PHRASES.iter().copied().find(|p| f.contains(p))
}

/// Whether the page is an error page (judged on its title, or its text when that is short).
pub fn error_page(title: &str, text: &str) -> bool {
    let t = fold(title);
    if ERROR_PHRASES.iter().any(|p| t.contains(p)) || t.trim() == "404" {
        return true;
    }
    text.chars().count() < 300 && {
        let f = fold(text);
        ERROR_PHRASES.iter().any(|p| f.contains(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices() {
        let paras = [
            "The mayor spoke.",
            "Correction: an earlier version misstated the date.",
        ];
        assert!(correction("Title", paras.iter().copied()).is_some());
        assert!(correction("Title", ["The mayor spoke."].into_iter()).is_none());
        assert!(retraction("Retracted: Study finds", std::iter::empty()).is_some());
        assert!(retraction("T", ["本文已撤稿，特此说明。"].into_iter()).is_some());
        // A retraction the article reports on is not a notice about the page.
        assert!(retraction("T", ["The minister retracted his remarks."].into_iter()).is_none());
    }

    #[test]
    fn walls_and_errors() {
        assert_eq!(
            wall("News", "Subscribe to continue reading"),
            Some("subscribe to continue reading")
        );
        assert_eq!(wall("News", "The council met."), None);
        assert!(error_page("Page not found", ""));
        assert!(error_page("Example", "Sorry, 您访问的页面不存在"));
        assert!(!error_page(
            "Council approves budget",
            &"The council met. ".repeat(40)
        ));
    }
}
