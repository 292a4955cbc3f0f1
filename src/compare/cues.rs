//! Word lists for what a lexical score misses: hedges and assertions (certainty), negations and
//! antonym pairs (polarity), and the verbs that tell who acts or speaks (attribution).
//! All entries are folded (Simplified, lower case).

/// Words by which a source says something is uncertain, planned or only reported.
pub const HEDGES: &[&str] = &[
    "考虑",
    "可能",
    "或将",
    "或许",
    "也许",
    "拟",
    "被曝",
    "据悉",
    "传出",
    "传闻",
    "据传",
    "有望",
    "计划",
    "打算",
    "酝酿",
    "寻求",
    "研究",
    "评估",
    "不排除",
    "预计",
    "或因",
    "恐将",
    "恐",
    "may",
    "might",
    "could",
    "reportedly",
    "considering",
    "considers",
    "is weighing",
    "weighing",
    "plans to",
    "planning",
    "proposed",
    "expected to",
    "likely",
    "possible",
    "possibly",
    "rumored",
    "rumoured",
    "sources said",
    "people familiar",
    "mulls",
    "mulling",
];

/// Words by which a claim says something is decided and done.
pub const ASSERTIONS: &[&str] = &[
    "正式宣布",
    "正式",
    "宣布",
    "已经",
    "已",
    "确认",
    "证实",
    "决定",
    "官宣",
    "全面",
    "彻底",
    "officially",
    "has decided",
    "decided",
    "announced",
    "confirmed",
    "has banned",
    "will stop",
    "formally",
    "definitely",
];

/// Pairs of words that state opposite things: a claim using one and its source the other is
/// a polarity flip.
pub const ANTONYMS: &[(&str, &str)] = &[
    ("停止", "恢复"),
    ("停止", "继续"),
    ("暂停", "恢复"),
    ("禁止", "允许"),
    ("禁止", "批准"),
    ("拒绝", "接受"),
    ("关闭", "开放"),
    ("关闭", "重启"),
    ("上涨", "下跌"),
    ("上升", "下降"),
    ("增长", "下降"),
    ("增加", "减少"),
    ("增长", "下滑"),
    ("扩大", "缩小"),
    ("取消", "暂不调整"),
    ("取消", "维持"),
    ("取消", "照常"),
    ("停运", "未出现停运"),
    ("停运", "正常运行"),
    ("停运", "正常开行"),
    ("收紧", "放宽"),
    ("加息", "降息"),
    ("stop", "resume"),
    ("stopped", "resumed"),
    ("halt", "resume"),
    ("halted", "resumed"),
    ("ban", "lift"),
    ("banned", "lifted"),
    ("ban", "allow"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("raised", "cut"),
    ("raise", "cut"),
    ("approved", "rejected"),
    ("closed", "reopened"),
    ("win", "lose"),
    ("won", "lost"),
    ("gain", "loss"),
];

/// Negation words; `X` and `不X`/`not X` state opposite things.
pub const NEGATIONS: &[&str] = &[
    "不", "未", "没有", "没", "无", "非", "暂不", "并未", "尚未", "否认", "not", "no", "never",
    "denied", "didn't", "won't", "hasn't", "has not", "did not", "will not",
];

/// Decision and speech verbs: whoever stands before one of these made the decision or said it.
pub const DECIDING_VERBS: &[&str] = &[
    "宣布",
    "表示",
    "称",
    "声称",
    "决定",
    "考虑",
    "计划",
    "拟",
    "限制",
    "禁止",
    "扩大",
    "要求",
    "下令",
    "批准",
    "announced",
    "announces",
    "said",
    "says",
    "decided",
    "is considering",
    "considering",
    "plans",
    "restricts",
    "restricted",
    "banned",
    "bans",
    "ordered",
    "expanded",
    "weighing",
];

/// Filler allowed between an actor and its verb (`英伟达正式宣布`, `美国被曝考虑`).
pub const ACTOR_FILLERS: &[&str] = &[
    "正式",
    "已经",
    "已",
    "被曝",
    "或将",
    "可能",
    "将",
    "也",
    "突然",
    "日前",
    "近日",
    "今天",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
    "官方",
    "方面",
    "正在",
    "还",
    "又",
    "再次",
    ":",
    "：",
    "officially",
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "reportedly",
    "now",
    "also",
    "may",
    "could",
    "will",
    "government",
    "officials",
    "政府",
    "官员",
];

/// The first cue of `list` found in folded `text` with word boundaries for ASCII cues.
pub fn find_cue<'a>(text: &str, list: &[&'a str]) -> Option<&'a str> {
    list.iter().copied().find(|cue| contains_cue(text, cue))
}

/// Whether folded `text` contains `cue`, respecting word boundaries for ASCII cues.
pub fn contains_cue(text: &str, cue: &str) -> bool {
    if !cue.is_ascii() {
        return text.contains(cue);
    }
    text.match_indices(cue).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + cue.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_respect_word_boundaries() {
        assert!(contains_cue("the us may curb", "may"));
        assert!(!contains_cue("mayor says", "may"));
        assert_eq!(find_cue("美国被曝考虑限制", HEDGES), Some("考虑"));
        assert_eq!(find_cue("英伟达正式宣布", ASSERTIONS), Some("正式宣布"));
    }
}
