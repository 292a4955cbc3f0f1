//! Lines that are about the article rather than part of it: the portal's `来源:X` line naming the
//! original outlet, and the credit, share and copyright lines that must not count as body text.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::is_cjk;
use super::metadata::find_date;
use crate::model::NoticeKind;

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
/// (`is_boilerplate` looks for "right" before it looks for these: keep it in every English one.)
const ANYWHERE: &[&str] = &[
    "版权所有",
    "all rights reserved",
    "copyright ©",
    "copyright (c)",
];

static ANYWHERE_MARKS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(ANYWHERE)
        .expect("static patterns")
});

/// `text` starts with `prefix`, ASCII letters compared without case. Every prefix list here is
/// lower-case ASCII or Chinese, so this is what lower-casing the line and comparing did, without
/// lower-casing tens of thousands of lines of a large page (it was a third of its time).
pub(crate) fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// True for credit, share, sign-up and copyright lines, and end marks such as `（完）`.
pub(crate) fn is_boilerplate(text: &str) -> bool {
    let t = text.trim();
    // Every English marker holds "right"; `str::contains` finds a short needle with SIMD, so
    // most lines never reach the automaton.
    let may_mark = t.contains("版权所有") || t.contains("ight") || t.contains("IGHT");
    if may_mark && ANYWHERE_MARKS.is_match(t) {
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
    if len <= 60 && SHORT_PREFIXES.iter().any(|p| starts_with_ci(t, p)) {
        return true;
    }
    if len <= 300 && CREDIT_PREFIXES.iter().any(|p| starts_with_ci(t, p)) {
        return true;
    }
    if LABELS.iter().any(|l| l.eq_ignore_ascii_case(t)) {
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
    super::furniture::is_furniture(t)
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

/// Notices are short; a longer block is article text that happens to use the words.
const MAX_NOTICE_CHARS: usize = 600;

static ZH_RETRACTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"撤稿|(本文|该文|此文|文章|原文|该稿|此稿|本报道|该报道)(已经|已)?(被)?(撤回|撤下|撤销)",
    )
    .expect("static regex")
});

static EN_EARLIER_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(an earlier|a previous|an older) version of this (article|story|report|post)(?-u:\b)|(?-u:\b)this (article|story|report|post) (has been|was) (corrected|amended)")
        .expect("static regex")
});

static EN_RETRACTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)this (article|story|report|post|paper) (has been|was|is being) (retracted|withdrawn)(?-u:\b)|^(retraction|retracted|notice of retraction)\s*[:：]")
        .expect("static regex")
});

/// Every notice and update stamp holds one of these: one pass rules out most lines cheaply.
static NOTICE_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build([
            "correct",
            "clarif",
            "retract",
            "withdrawn",
            "update",
            "editor",
            "last modified",
            "earlier version",
            "previous version",
            "older version",
            "更正",
            "勘误",
            "撤",
            "更新",
            "编者",
            "修改时间",
        ])
        .expect("static patterns")
});

/// Prefixes that open a notice of each kind (matched on the lower-cased line).
const CORRECTION_PREFIXES: &[&str] = &[
    "correction:",
    "corrections:",
    "correction：",
    "clarification:",
    "correction (",
    "clarification (",
    "更正",
    "勘误",
    "【更正】",
    "【勘误】",
];
const UPDATE_PREFIXES: &[&str] = &[
    "update:",
    "updated:",
    "update (",
    "editor's note",
    "editor’s note",
    "editors' note",
    "editors’ note",
    "更新：",
    "更新:",
    "【更新】",
    "（更新）",
    "编者按",
    "编者注",
];

/// What kind of notice `line` is, if it is one: a correction, a retraction or an update of the
/// article (not a bare `Updated 3:05 PM` stamp, which is a date).
pub(crate) fn notice_in_line(line: &str) -> Option<NoticeKind> {
    let t = line.trim();
    if t.len() > MAX_NOTICE_CHARS * 4 || !NOTICE_WORDS.is_match(t) {
        return None;
    }
    if t.chars().count() > MAX_NOTICE_CHARS {
        return None;
    }
    if EN_RETRACTED.is_match(t) || (t.chars().count() <= 200 && ZH_RETRACTED.is_match(t)) {
        return Some(NoticeKind::Retraction);
    }
    if CORRECTION_PREFIXES.iter().any(|p| starts_with_ci(t, p))
        || EN_EARLIER_VERSION.is_match(t)
        || ["更正声明", "勘误声明", "特此更正", "予以更正", "现更正如下"]
            .iter()
            .any(|w| t.contains(w))
    {
        // `更正` also opens ordinary words (`更正常`): a correction names what it corrects.
        if let Some(rest) = t.strip_prefix("更正") {
            let marked = rest.starts_with(['：', ':', ' ', '　', '】', '声'])
                || ["有误", "应为", "特此更正", "更正如下"]
                    .iter()
                    .any(|w| t.contains(w));
            if !marked {
                return None;
            }
        }
        return Some(NoticeKind::Correction);
    }
    if let Some(p) = UPDATE_PREFIXES.iter().find(|p| starts_with_ci(t, p)) {
        let rest = t[p.len()..].to_lowercase();
        if has_words_beyond_date(&rest) {
            return Some(NoticeKind::Update);
        }
    }
    None
}

/// True when `rest` says something besides a date and time: three words, or six Han characters.
fn has_words_beyond_date(rest: &str) -> bool {
    let words = rest
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .filter(|w| month_word(w).is_none())
        .count();
    let han = rest
        .chars()
        .filter(|&c| is_cjk_letter(c) && !matches!(c, '年' | '月' | '日' | '时' | '分'))
        .count();
    words >= 3 || han >= 6
}

fn month_word(w: &str) -> Option<()> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let w = w.trim_matches(|c: char| !c.is_alphabetic());
    (w.len() >= 3 && M.iter().any(|m| w.starts_with(m))).then_some(())
}

/// A visible "last updated" stamp: `Updated: 22 Oct 2024`, `更新时间：2024-10-22 10:00`.
pub(crate) fn updated_in_line(line: &str) -> Option<String> {
    let line = line.trim();
    // The label may follow the publication date on the same line (`发布时间：… · 更新时间：…`).
    let pos = UPDATED_LABELS.find(line)?.start();
    find_date(&line[pos..])
}

/// Labels of a "last updated" stamp, found leftmost first, ASCII letters without case.
static UPDATED_LABELS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    const PREFIXES: &[&str] = &[
        "updated",
        "last updated",
        "last modified",
        "update:",
        "更新时间",
        "更新于",
        "最后更新",
        "最近更新",
        "修改时间",
    ];
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(PREFIXES)
        .expect("static patterns")
});

static ZH_AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(作者|记者|撰文|文)\s*[:：/｜|]?\s*([\p{Han}·]{2,8}(?:[、，,\s]+[\p{Han}·]{2,4}){0,3})",
    )
    .expect("static regex")
});

static EN_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[Bb]y|BY|Written by|Words by)\s+([A-Z][\p{L}.'-]+(?:\s+(?:[A-Z][\p{L}.'-]+|and|&|de|van|von)){0,6})")
        .expect("static regex")
});

/// The author named in a byline line: `作者：张三`, `记者 李四 王五`, `By Jane Doe and John Roe`.
pub(crate) fn author_in_line(line: &str) -> Option<String> {
    let t = line.trim();
    if let Some(c) = EN_BY.captures(t) {
        let name = c[1].trim_end_matches([',', '.', '|']).trim();
        let name = name.trim_end_matches(" and").trim_end_matches(" &").trim();
        return (!name.is_empty()).then(|| name.to_string());
    }
    for c in ZH_AUTHOR.captures_iter(t) {
        let whole = c.get(0).expect("group 0");
        let keyword = &c[1];
        // `文` alone is a byline only at the start (`文/张三`), not inside `中文` or `全文`.
        if keyword == "文" && whole.start() != 0 {
            continue;
        }
        if keyword == "文" && !t[keyword.len()..].starts_with(['/', '｜', '|', '：', ':']) {
            continue;
        }
        let mut name = c[2].trim().to_string();
        for stop in STOP_WORDS
            .iter()
            .chain(["通讯员", "摄影", "报道", "来源"].iter())
        {
            if let Some(pos) = name.find(stop) {
                name.truncate(pos);
            }
        }
        let name = name
            .trim_end_matches(['、', '，', ',', ' '])
            .trim()
            .to_string();
        if name.chars().count() >= 2 {
            return Some(name);
        }
    }
    None
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

    #[test]
    fn notice_lines() {
        use NoticeKind::*;
        let n = |l: &str| notice_in_line(l);
        assert_eq!(
            n("Correction: An earlier version misspelled the name."),
            Some(Correction)
        );
        assert_eq!(
            n("Clarification: the figure refers to 2023."),
            Some(Correction)
        );
        assert_eq!(
            n("An earlier version of this story gave the wrong date."),
            Some(Correction)
        );
        assert_eq!(n("更正：本文此前称三级响应，有误。"), Some(Correction));
        assert_eq!(n("勘误：第二段数字应为5.1%。"), Some(Correction));
        assert_eq!(
            n("This article has been retracted at the authors' request."),
            Some(Retraction)
        );
        assert_eq!(n("【撤稿声明】本文已撤回。"), Some(Retraction));
        assert_eq!(
            n("Editor's note: this story was updated to add a response."),
            Some(Update)
        );
        assert_eq!(
            n("Updated: the minister has since resigned from the cabinet."),
            Some(Update)
        );
        assert_eq!(n("更新：厂家发布声明称正在配合调查。"), Some(Update));
        assert_eq!(n("Updated: 22 Oct 2024 10:05 BST"), None);
        assert_eq!(n("更正常的做法是先征求意见"), None);
        assert_eq!(n("公司宣布撤回上市申请，股价应声下跌。"), None);
        assert_eq!(n("The council voted to update the plan."), None);
        assert_eq!(
            updated_in_line("发布时间：2024-06-18 10:20 · 更新时间：2024-06-20 08:00").as_deref(),
            Some("2024-06-20T08:00")
        );
    }

    #[test]
    fn author_lines() {
        assert_eq!(author_in_line("作者：王海涛").as_deref(), Some("王海涛"));
        assert_eq!(
            author_in_line("来源：江城日报　记者 陈晓").as_deref(),
            Some("陈晓")
        );
        assert_eq!(
            author_in_line("By Jane Doe and John Roe, Reuters").as_deref(),
            Some("Jane Doe and John Roe")
        );
        assert_eq!(author_in_line("全文共三千字"), None);
    }
}
