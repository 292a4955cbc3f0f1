//! Lines that are about the article rather than part of it: the portal's `来源:X` line naming the
//! original outlet, and the credit, share and copyright lines that must not count as body text.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::is_cjk;
use super::metadata::find_date;

/// Prefixes of short lines that are page furniture, not article text.
const SHORT_PREFIXES: &[&str] = &[
    "责任编辑",
    "编辑：",
    "编辑:",
    "编辑 ",
    "校对",
    "审核",
    "监制",
    "终审",
    "统筹",
    "点击进入专题",
    "进入专题",
    "分享到",
    "分享：",
    "返回搜狐",
    "原标题",
    "来源：",
    "来源:",
    "稿源",
    "文章来源",
    "本文来源",
    "声明：",
    "免责声明",
    "特别声明",
    "扫一扫",
    "关注我们",
    "打开APP",
    "相关新闻",
    "相关阅读",
    "延伸阅读",
    "推荐阅读",
    "热门推荐",
    "猜你喜欢",
    "相关推荐",
    "热点推荐",
    "精彩推荐",
    "热门文章",
    "责编",
    "most read",
    "more on this story",
    "top stories",
    "advertisement",
    "read more",
    "read next",
    "sign up",
    "subscribe to",
    "subscribe now",
    "share this",
    "share on",
    "follow us",
    "related:",
    "related stories",
    "related articles",
    "more from",
    "our standards",
    "source:",
    "photo:",
    "image:",
];

/// Prefixes of credit lines, which can run long (`Reporting by …; Additional reporting by …`).
const CREDIT_PREFIXES: &[&str] = &[
    "reporting by",
    "additional reporting by",
    "editing by",
    "writing by",
    "compiled by",
];

/// Short lines that are only a section label.
const LABELS: &[&str] = &[
    "related", "comments", "share", "save", "评论", "相关", "推荐",
];

/// Markers that make a line boilerplate at any length.
const ANYWHERE: &[&str] = &[
    "版权所有",
    "all rights reserved",
    "copyright ©",
    "copyright (c)",
];

/// True for credit, share, sign-up and copyright lines, and end marks such as `（完）`.
pub(crate) fn is_boilerplate(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_lowercase();
    if ANYWHERE.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if t.starts_with('©') {
        return true;
    }
    let len = t.chars().count();
    if len <= 8 {
        let bare: String = t
            .chars()
            .filter(|c| !matches!(c, '(' | ')' | '（' | '）' | '【' | '】' | '[' | ']' | ' '))
            .collect();
        if matches!(
            bare.as_str(),
            "完" | "终" | "全文完" | "本文完" | "end" | "END"
        ) {
            return true;
        }
    }
    if len <= 60 && SHORT_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    if len <= 300 && CREDIT_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    if LABELS.contains(&lower.as_str()) {
        return true;
    }
    // A credit line in parentheses: `（记者 张三）`, `(编辑 李四)`.
    if len <= 30
        && (t.starts_with('（') || t.starts_with('('))
        && (t.ends_with('）') || t.ends_with(')'))
        && ["编辑", "责编", "记者", "作者", "来源"]
            .iter()
            .any(|w| t.contains(w))
    {
        return true;
    }
    false
}

static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(文章来源|稿件来源|消息来源|新闻来源|本文来源|来源|稿源|Source|SOURCE)\s*[:：]\s*")
        .expect("static regex")
});

static ENGLISH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][\w.&'-]*(?:\s+(?:[A-Z][\w.&'-]*|of|the|and|&))*").expect("static regex")
});

/// Words that end the outlet name in a byline (`来源：新华社 作者：…`, `来源：X编辑：Y`).
const STOP_WORDS: &[&str] = &[
    "责任编辑",
    "编辑",
    "作者",
    "记者",
    "时间",
    "发布",
    "日期",
    "浏览",
    "阅读",
    "字号",
    "分享",
    "评论",
    "点击",
];

/// The outlet named in a `来源：X` / `Source: X` line, if `line` has one.
pub(crate) fn origin_in_line(line: &str) -> Option<String> {
    for m in SOURCE_LINE.captures_iter(line) {
        let whole = m.get(0).expect("group 0 always matches");
        let keyword = m.get(1).expect("group 1 always matches").as_str();
        let before = line[..whole.start()].chars().next_back();
        let rest = &line[whole.end()..];
        if keyword.eq_ignore_ascii_case("source") {
            // `Source:` must start a word and be followed by a capitalised name.
            if before.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            if let Some(name) = ENGLISH_NAME.find(rest) {
                let name = name.as_str().trim_end_matches(['.', ',', '-']).trim();
                if !name.is_empty() {
                    return Some(name.to_string());
                }
            }
            continue;
        }
        // `数据来源：` and the like name where figures come from, not the article's origin.
        if before.is_some_and(is_cjk_letter) {
            continue;
        }
        if let Some(name) = chinese_name(rest) {
            return Some(name);
        }
    }
    None
}

fn is_cjk_letter(c: char) -> bool {
    is_cjk(c) && !matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

fn chinese_name(rest: &str) -> Option<String> {
    let mut end = rest.len();
    for (pos, c) in rest.char_indices() {
        if c.is_whitespace()
            || c.is_ascii_digit()
            || matches!(
                c,
                '|' | '｜' | '，' | ',' | '。' | '；' | ';' | '【' | '[' | '/' | '：' | ':'
            )
        {
            end = pos;
            break;
        }
        if STOP_WORDS.iter().any(|w| rest[pos..].starts_with(w)) {
            end = pos;
            break;
        }
    }
    let name = rest[..end]
        .trim_end_matches(['-', '—', '_', '·', '、', '(', '（'])
        .trim();
    let len = name.chars().count();
    if len == 0 || len > 30 {
        return None;
    }
    Some(name.to_string())
}

/// True for a byline at the top of the body: `澎湃新闻记者 秦盛`, `2024-08-29 11:05`,
/// `By Jane Doe`, `新浪财经 周子衡`.
fn is_byline(text: &str, site_name: Option<&str>) -> bool {
    let len = text.chars().count();
    if len > 40 || text.contains(['。', '！', '？', '!', '?']) {
        return false;
    }
    if origin_in_line(text).is_some() {
        return true;
    }
    if ["记者", "作者", "撰稿", "文/", "文｜", "文|"]
        .iter()
        .any(|w| text.contains(w))
        || text.starts_with("By ")
    {
        return true;
    }
    if find_date(text).is_some() {
        // Only a date and perhaps a time or a word or two around it.
        let rest = text
            .chars()
            .filter(|c| c.is_alphabetic() && !matches!(c, '年' | '月' | '日'))
            .count();
        if rest <= 12 {
            return true;
        }
    }
    if let Some(site) = site_name.map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(rest) = text.strip_prefix(site) {
            let name = rest.trim();
            let n = name.chars().count();
            if (2..=4).contains(&n) && name.chars().all(is_cjk_letter) {
                return true;
            }
        }
    }
    false
}

/// Removes byline and date lines that open the body.
pub(crate) fn strip_leading_bylines(paragraphs: &mut Vec<String>, site_name: Option<&str>) {
    let lead = paragraphs
        .iter()
        .take(4)
        .take_while(|p| is_byline(p, site_name))
        .count();
    paragraphs.drain(..lead);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expected: Option<&str>) {
        assert_eq!(origin_in_line(line).as_deref(), expected, "line: {line}");
    }

    #[test]
    fn origin_lines() {
        check("2024年10月22日 02:31 来源：环球时报", Some("环球时报"));
        check("来源: 新华社 作者：张三", Some("新华社"));
        check(
            "2024-10-22 02:31:51来源：央视新闻|编辑：李四",
            Some("央视新闻"),
        );
        check("稿源：经济日报2024-10-22", Some("经济日报"));
        check("文章来源：澎湃新闻 责任编辑：王五", Some("澎湃新闻"));
        check("来源：中国新闻网编辑：赵六", Some("中国新闻网"));
        check("数据来源：国家统计局", None);
        check("Source: Reuters", Some("Reuters"));
        check(
            "Source: The Associated Press | 2024",
            Some("The Associated Press"),
        );
        check("Opensource: foo", None);
        check("没有来源的句子", None);
    }

    #[test]
    fn boilerplate_lines() {
        assert!(is_boilerplate("责任编辑：张三"));
        assert!(is_boilerplate("（完）"));
        assert!(is_boilerplate("点击进入专题：中美关系"));
        assert!(is_boilerplate("Advertisement"));
        assert!(is_boilerplate("Read more: the latest on the election"));
        assert!(is_boilerplate(
            "Copyright © 2024 Sina Corporation, All Rights Reserved"
        ));
        assert!(is_boilerplate("（记者 张三）"));
        assert!(!is_boilerplate("外交部发言人表示，中方坚决反对。"));
        assert!(!is_boilerplate(
            "Reading the report, analysts said growth slowed."
        ));
        assert!(is_boilerplate("(责编：沈佳怡、吴志远)"));
        assert!(is_boilerplate(
            "Reporting by Elena Marsh in London; Additional reporting by Priya Natarajan in \
             Bengaluru; Editing by Tom Hogue"
        ));
        assert!(is_boilerplate("Most read"));
        assert!(is_boilerplate("Related"));
    }

    #[test]
    fn leading_bylines() {
        let mut p: Vec<String> = [
            "澎湃新闻记者 秦盛",
            "2024-08-29 11:05",
            "14 May 2024",
            "新浪财经 周子衡",
            "美东时间8月28日，英伟达公布财报。",
            "2024-08-29 11:05",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        strip_leading_bylines(&mut p, Some("新浪财经"));
        assert_eq!(p, ["美东时间8月28日，英伟达公布财报。", "2024-08-29 11:05"]);
        let mut p = vec!["全球产业链受到冲击".to_string(), "正文。".to_string()];
        strip_leading_bylines(&mut p, None);
        assert_eq!(p.len(), 2);
    }
}
