//! Check-worthiness: each sentence of an article is a *checkable claim*, *opinion or rhetoric*,
//! or *furniture*. Pure.
//!
//! Furniture (headings, bylines, datelines, read-time lines, editor's notes, calls to share or
//! follow, advice to the reader) is found by rules. Checkable against opinion is decided by a
//! logistic regression over hashed word and character n-grams plus cue features (numbers,
//! first person, modals, exclamation, reporting verbs, names, the hand rule
//! [`super::is_check_worthy`]). Its weights are `data/worthiness.json`, made by
//! `cargo run --release --example train_worthiness` (see BENCHMARKS.md for the data and split).

use crate::model::SentenceClass;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Hashed n-gram buckets of the built-in model.
pub const DEFAULT_DIM: usize = 8192;

/// The learned part: bias, one weight per cue, one per hashed n-gram bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// How the weights were made: command and data version.
    pub trained_with: String,
    pub bias: f64,
    /// Weights of [`CUES`], in that order.
    pub cues: Vec<f64>,
    /// Weights of the hashed n-grams; its length is the number of buckets.
    pub hashed: Vec<f64>,
    /// A Latin-script sentence scoring at least this is checkable.
    pub threshold: f64,
    /// A sentence the hand rule takes is checkable when it scores at least this. With few
    /// Chinese labels the model only vetoes the rule's picks in Chinese; in Latin script it
    /// also adds sentences scoring at least `threshold`.
    #[serde(default = "default_veto")]
    pub veto: f64,
}

fn default_veto() -> f64 {
    0.1
}

/// Names of the cue features, in weight order.
pub const CUES: &[&str] = &[
    "digit",
    "year_or_date",
    "percent_or_money",
    "first_person",
    "second_person",
    "modal",
    "exclamation",
    "question",
    "opinion_marker",
    "reporting_verb",
    "fact_verb",
    "proper_noun",
    "hand_rule",
    "short",
    "long",
    "evaluative",
];

const FIRST_PERSON_EN: &[&str] = &["i", "we", "my", "our", "me", "us", "i'm", "we're", "i've"];
const FIRST_PERSON_ZH: &[&str] = &["我", "我们", "笔者", "咱们"];
const SECOND_PERSON_EN: &[&str] = &["you", "your", "you're", "yourself"];
const SECOND_PERSON_ZH: &[&str] = &["你", "您", "大家", "读者"];
const MODALS_EN: &[&str] = &[
    "should", "must", "ought", "need", "needs", "could", "would", "might", "can", "shall",
];
const MODALS_ZH: &[&str] = &[
    "应该", "必须", "应当", "需要", "要想", "理应", "务必", "不妨",
];
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "reported",
    "announced",
    "according to",
    "confirmed",
    "表示",
    "称",
    "报道",
    "宣布",
    "透露",
    "据悉",
    "指出",
    "公布",
    "显示",
];
const EVALUATIVE: &[&str] = &[
    "great",
    "terrible",
    "disaster",
    "amazing",
    "shameful",
    "best",
    "worst",
    "incredible",
    "危机",
    "巨大",
    "伟大",
    "可怕",
    "耻辱",
    "震惊",
    "必由之路",
    "至关重要",
    "前所未有",
];

/// The cue vector of a sentence (already Simplified, trimmed).
fn cue_values(s: &str) -> [f64; 16] {
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let has_word = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let has_sub = |list: &[&str]| list.iter().any(|m| lower.contains(m));
    let digits = s.chars().any(|c| c.is_ascii_digit());
    let year = words
        .iter()
        .any(|w| w.len() == 4 && w.starts_with(['1', '2']) && w.parse::<u32>().is_ok())
        || s.contains('年') && digits
        || s.contains('月') && s.contains('日');
    let money = s.contains('%')
        || s.contains('％')
        || s.contains('$')
        || lower.contains("percent")
        || s.contains("亿")
        || s.contains("万");
    let len = s.chars().filter(|c| !c.is_whitespace()).count();
    let b = |v: bool| if v { 1.0 } else { 0.0 };
    [
        b(digits),
        b(year),
        b(money),
        b(has_word(FIRST_PERSON_EN) || has_sub(FIRST_PERSON_ZH)),
        b(has_word(SECOND_PERSON_EN) || has_sub(SECOND_PERSON_ZH)),
        b(has_word(MODALS_EN) || has_sub(MODALS_ZH)),
        b(s.contains('!') || s.contains('！')),
        b(s.ends_with('?') || s.ends_with('？')),
        b(super::OPINION_MARKERS.iter().any(|m| s.contains(m))),
        b(has_sub(REPORTING)),
        b(super::FACT_VERBS.iter().any(|v| lower.contains(v))),
        b(super::has_proper_noun(s)),
        b(super::is_check_worthy(s)),
        b(len < 12),
        b(len > 120),
        b(has_sub(EVALUATIVE)),
    ]
}

/// FNV-1a: a stable hash, so weights mean the same on every machine and build.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The most characters of a sentence the features are taken from.
const MAX_FEATURE_CHARS: usize = 2_000;

/// Hashed n-gram buckets of a sentence: Latin words and word pairs, CJK characters and
/// character pairs (Traditional read as Simplified).
fn ngram_buckets(s: &str, dim: usize) -> Vec<usize> {
    let lower = s.to_lowercase();
    let mut out = Vec::new();
    // Latin features hash into the lower half, CJK ones into the upper: the many English
    // weights never collide with the few Chinese ones.
    let half = (dim / 2).max(1) as u64;
    let mut push = |f: String| {
        let cjk = f.starts_with("c:") || f.starts_with("d:");
        let b = (fnv(&f) % half) as usize;
        out.push(if cjk { b + half as usize } else { b });
    };
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = if w.chars().all(|c| c.is_ascii_digit()) {
            "0"
        } else {
            w
        };
        push(format!("w:{w}"));
        if let Some(n) = words.get(i + 1) {
            push(format!("b:{w} {n}"));
        }
    }
    let cjk: Vec<char> = lower.chars().filter(|&c| crate::text::is_cjk(c)).collect();
    for (i, c) in cjk.iter().enumerate() {
        push(format!("c:{c}"));
        if let Some(n) = cjk.get(i + 1) {
            push(format!("d:{c}{n}"));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A sentence as the model sees it: Simplified script, trimmed.
fn normalise(sentence: &str) -> String {
    let t = sentence.trim();
    if t.is_ascii() {
        t.to_string()
    } else {
        fast2s::convert(t)
    }
}

/// The features of a sentence: cue values and hashed n-gram buckets (each worth 1).
pub struct Features {
    cues: [f64; 16],
    buckets: Vec<usize>,
}

impl Features {
    pub fn of(sentence: &str, dim: usize) -> Features {
        // A sentence is judged by its first `MAX_FEATURE_CHARS` characters: no sentence of the
        // training data is longer, and a "sentence" of megabytes (a text with no full stop)
        // must not cost memory in proportion.
        let end = sentence
            .char_indices()
            .nth(MAX_FEATURE_CHARS)
            .map_or(sentence.len(), |(i, _)| i);
        let s = normalise(&sentence[..end]);
        Features {
            cues: cue_values(&s),
            buckets: ngram_buckets(&s, dim),
        }
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The model compiled into the binary, or `None` if its file does not parse (a unit test
    /// guards that; [`classify`] then falls back to the hand rule).
    pub fn builtin() -> Option<&'static Model> {
        static MODEL: OnceLock<Option<Model>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                serde_json::from_str(include_str!("../../data/worthiness.json"))
                    .ok()
                    .filter(|m: &Model| m.cues.len() == CUES.len() && !m.hashed.is_empty())
            })
            .as_ref()
    }

    fn logit(&self, f: &Features) -> f64 {
        let cues: f64 = self.cues.iter().zip(f.cues).map(|(w, x)| w * x).sum();
        let hashed: f64 = f.buckets.iter().filter_map(|&i| self.hashed.get(i)).sum();
        self.bias + cues + hashed
    }

    /// The probability that `sentence` is a checkable claim.
    pub fn score(&self, sentence: &str) -> f64 {
        sigmoid(self.logit(&Features::of(sentence, self.hashed.len())))
    }

    /// The decision: what the hand rule [`super::is_check_worthy`] takes, unless the score
    /// vetoes it ([`Model::veto`]); and, in Latin script, whatever scores at least
    /// [`Model::threshold`].
    pub fn is_checkable(&self, sentence: &str) -> bool {
        let p = self.score(sentence);
        let ruled = p >= self.veto && super::is_check_worthy(sentence);
        ruled || !sentence.chars().any(crate::text::is_cjk) && p >= self.threshold
    }
}

/// One labelled sentence for training or evaluation, with its weight in the loss.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub checkable: bool,
    pub weight: f64,
}

/// Trains the model by full-batch gradient descent on the weighted logistic loss with L2.
/// Deterministic: no shuffling, no randomness.
pub fn train(
    examples: &[Example],
    dim: usize,
    epochs: usize,
    l2: f64,
    trained_with: &str,
) -> Model {
    let feats: Vec<Features> = examples
        .iter()
        .map(|e| Features::of(&e.text, dim))
        .collect();
    let mut m = Model {
        trained_with: trained_with.to_string(),
        bias: 0.0,
        cues: vec![0.0; CUES.len()],
        hashed: vec![0.0; dim],
        threshold: 0.5,
        veto: default_veto(),
    };
    let total: f64 = examples.iter().map(|e| e.weight).sum::<f64>().max(1.0);
    let rate = 2.0;
    for _ in 0..epochs {
        let mut gb = 0.0;
        let mut gc = vec![0.0; CUES.len()];
        let mut gh = vec![0.0; dim];
        for (e, f) in examples.iter().zip(&feats) {
            let y = if e.checkable { 1.0 } else { 0.0 };
            let g = (sigmoid(m.logit(f)) - y) * e.weight;
            gb += g;
            for (k, x) in f.cues.iter().enumerate() {
                gc[k] += g * x;
            }
            for &i in &f.buckets {
                gh[i] += g;
            }
        }
        m.bias -= rate * gb / total;
        for (w, g) in m.cues.iter_mut().zip(&gc) {
            *w -= rate * (g / total + l2 * *w);
        }
        for (w, g) in m.hashed.iter_mut().zip(&gh) {
            *w -= rate * 4.0 * (g / total + l2 * *w);
        }
    }
    // Four decimals are plenty and keep the weights file small.
    let round = |w: &mut f64| *w = (*w * 10_000.0).round() / 10_000.0;
    round(&mut m.bias);
    m.cues.iter_mut().for_each(round);
    m.hashed.iter_mut().for_each(round);
    m
}

/// Counts for "checkable" on labelled examples: precision and recall come from these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Confusion {
    pub fn of(examples: &[Example], predict: impl Fn(&str) -> bool) -> Confusion {
        let mut c = Confusion::default();
        for e in examples {
            match (predict(&e.text), e.checkable) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, true) => c.fn_ += 1,
                (false, false) => c.tn += 1,
            }
        }
        c
    }
    pub fn precision(&self) -> f64 {
        self.tp as f64 / ((self.tp + self.fp) as f64).max(1.0)
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / ((self.tp + self.fn_) as f64).max(1.0)
    }
}

/// Reads a labelled TSV (`checkable|opinion<TAB>sentence`, `#` comments). Errors name the
/// line.
pub fn read_labels(path: &str, text: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((label, sentence)) = line.split_once('\t') else {
            return Err(format!("{path}:{}: expected LABEL<TAB>SENTENCE", i + 1));
        };
        let checkable = match label {
            "checkable" => true,
            "opinion" => false,
            other => {
                return Err(format!(
                    "{path}:{}: label must be checkable or opinion, got {other:?}",
                    i + 1
                ))
            }
        };
        out.push(Example {
            text: sentence.trim().to_string(),
            checkable,
            weight: 1.0,
        });
    }
    Ok(out)
}

/// Editor's notes, including the whole paragraph they open.
const EDITOR_NOTES: &[&str] = &[
    "编者按",
    "編者按",
    "编者注",
    "編者註",
    "編者注",
    "编辑按",
    "Editor's note",
    "Editor’s note",
    "Editors' note",
    "EDITOR'S NOTE",
    "Editor's Note",
];

/// Whether a paragraph is an editor's note (all its sentences are furniture).
pub fn is_editor_note(block: &str) -> bool {
    let t = block
        .trim()
        .trim_start_matches(['*', '_', '【', '[', '（', '(']);
    EDITOR_NOTES.iter().any(|m| t.starts_with(m))
}

/// Calls to like, share, follow or subscribe (Simplified forms; Traditional is converted).
const CALLS: &[&str] = &[
    "点赞",
    "转发",
    "关注我们",
    "欢迎关注",
    "请关注",
    "点击关注",
    "订阅",
    "分享给",
    "扫码",
    "扫描二维码",
    "长按识别",
    "share this",
    "follow us",
    "subscribe to",
    "subscribe now",
    "subscribe for",
    "sign up for",
    "like and share",
    "click here",
    "to our newsletter",
];

/// Openings of advice addressed to the reader.
const ADVICE: &[&str] = &[
    "请",
    "建议大家",
    "建议读者",
    "读者朋友",
    "提醒大家",
    "提醒读者",
    "记得",
    "别忘了",
    "不要忘记",
    "大家一定要",
    "you should",
    "make sure",
    "be sure to",
    "don't forget",
    "remember to",
    "we recommend",
    "readers should",
    "if you ",
    "consider ",
    "try to",
];

/// Read-time and posting lines: `Posted May 3, 2024 · 4 min read`, `阅读时长 3 分钟`.
fn is_read_time(s: &str) -> bool {
    let lower = s.to_lowercase();
    let short = s.chars().count() <= 80;
    short
        && (lower.contains("min read")
            || lower.contains("minute read")
            || lower.contains("minutes read")
            || s.contains("分钟阅读")
            || s.contains("阅读时长")
            || s.contains("阅读约")
            || s.contains("预计阅读")
            || [
                "posted ",
                "published ",
                "updated ",
                "last updated",
                "发布时间",
                "发布于",
                "更新于",
                "更新时间",
            ]
            .iter()
            .any(|p| lower.starts_with(p)))
}

/// A dateline standing alone (`LONDON, May 12 (Reuters) -`, `新华社北京10月5日电`) with no
/// statement after it.
fn is_dateline(s: &str) -> bool {
    let t = s.trim().trim_end_matches(['-', '—', '–', ' ', '：', ':']);
    let len = t.chars().count();
    if len == 0 || len > 40 {
        return false;
    }
    (t.ends_with('电') && (t.contains('月') || t.contains("讯")))
        || t.ends_with(')')
            && t.contains('(')
            && t.contains(',')
            && t.chars().any(|c| c.is_ascii_digit())
}

/// How much of a sentence's opening, in characters, the furniture rules look at: more than
/// the longest sentence any of them takes (120 characters).
const FURNITURE_WINDOW_CHARS: usize = 1_000;

/// Which furniture rule a sentence meets, if any (`sentence` in any script).
pub fn furniture(sentence: &str) -> Option<&'static str> {
    // Every rule looks at a short sentence or at a sentence's opening, so a long sentence is
    // looked at by its opening only: no copy is made of a 20 MiB line.
    let sentence = match sentence.char_indices().nth(FURNITURE_WINDOW_CHARS) {
        Some((end, _)) => &sentence[..end],
        None => sentence,
    };
    let s = normalise(sentence);
    let s = s.trim_start_matches(['*', '_', '>', ' ', '#']).trim();
    let lower = s.to_lowercase();
    if is_read_time(s) {
        return Some("read_time");
    }
    if is_dateline(s) {
        return Some("dateline");
    }
    // A bracketed source note left over after its citation (`（来源：央视新闻）`).
    let unbracketed = s.trim_start_matches(['（', '(', '【', '[']);
    if unbracketed.len() < s.len()
        && ["来源", "信源", "source", "Source"]
            .iter()
            .any(|p| unbracketed.starts_with(p))
        && s.chars().count() <= 40
    {
        return Some("source_note");
    }
    if super::is_byline(s) {
        return Some("byline");
    }
    if CALLS.iter().any(|c| lower.contains(c)) && s.chars().count() <= 120 {
        return Some("call_to_share");
    }
    if ADVICE.iter().any(|a| lower.starts_with(a)) {
        return Some("advice");
    }
    None
}

/// The class of one sentence of the body, and what decided it.
pub fn classify(sentence: &str) -> (SentenceClass, &'static str) {
    if let Some(why) = furniture(sentence) {
        return (SentenceClass::Furniture, why);
    }
    let t = sentence.trim();
    if t.ends_with('？') || t.ends_with('?') {
        return (SentenceClass::Opinion, "question");
    }
    // An English exclamation is rhetoric (a Chinese headline may end in `!` and still state a
    // fact: the model decides those).
    if t.ends_with('!') && !t.chars().any(crate::text::is_cjk) {
        return (SentenceClass::Opinion, "exclamation");
    }
    // Words attributed to somebody: that they said them is checkable, whatever they say.
    if super::is_quote(t) && super::is_check_worthy(t) {
        return (SentenceClass::Checkable, "quote");
    }
    match Model::builtin() {
        Some(m) if m.is_checkable(t) => (SentenceClass::Checkable, "model"),
        Some(_) => (SentenceClass::Opinion, "model"),
        None if super::is_check_worthy(t) => (SentenceClass::Checkable, "rule"),
        None => (SentenceClass::Opinion, "rule"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_loads() {
        let m = Model::builtin().expect("data/worthiness.json parses");
        assert_eq!(m.cues.len(), CUES.len());
        assert!(
            m.trained_with.contains("train_worthiness"),
            "{}",
            m.trained_with
        );
    }

    #[test]
    fn founding_article_title_and_opinions() {
        assert_eq!(
            classify("英伟达正式宣布:停止接受中国新订单!").0,
            SentenceClass::Checkable
        );
        assert_eq!(
            classify("中国AI产业迎来巨大危机!").0,
            SentenceClass::Opinion
        );
        assert_eq!(
            classify("历史已经证明,开放合作才是科技发展的必由之路。").0,
            SentenceClass::Opinion
        );
        assert_eq!(classify("中国AI产业,路在何方?").0, SentenceClass::Opinion);
    }

    #[test]
    fn checkable_facts_in_three_scripts() {
        for s in [
            "海关总署周二公布，前三季度出口同比增长5.3%。",
            "財政部8日公布，9月出口414.2億美元，年增4.5%。",
            "The port of Rotterdam reopened on Monday after a three-day strike, Reuters reported.",
        ] {
            assert_eq!(classify(s).0, SentenceClass::Checkable, "{s}");
        }
    }

    #[test]
    fn opinions_in_three_scripts() {
        for s in [
            "我们必须认清形势，做好打持久战的准备。",
            "這種做法，最終只會損害自身利益。",
            "I think we should all be a lot more careful about what we share.",
        ] {
            assert_eq!(classify(s).0, SentenceClass::Opinion, "{s}");
        }
    }

    #[test]
    fn furniture_rules() {
        assert_eq!(
            furniture("Posted May 3, 2024 · 4 min read"),
            Some("read_time")
        );
        assert_eq!(furniture("阅读时长约3分钟"), Some("read_time"));
        assert_eq!(furniture("By Jane Smith"), Some("byline"));
        assert_eq!(furniture("新华社北京10月5日电"), Some("dateline"));
        assert_eq!(
            furniture("喜歡這篇文章，請點贊並轉發給朋友。"),
            Some("call_to_share")
        );
        assert_eq!(
            furniture("Follow us on Mastodon for daily updates."),
            Some("call_to_share")
        );
        assert_eq!(furniture("请大家出行前查询最新航班信息。"), Some("advice"));
        assert_eq!(
            furniture("Make sure you back up your phone before updating."),
            Some("advice")
        );
        assert_eq!(
            furniture("The port reopened on Monday, Reuters reported."),
            None
        );
        assert!(is_editor_note("编者按：本文作者长期关注半导体产业。"));
        assert!(is_editor_note("【編者按】本文原載於作者個人網站。"));
        assert!(is_editor_note(
            "Editor's note: this story was updated on Friday."
        ));
        assert!(!is_editor_note("编者认为这件事很重要。"));
    }

    #[test]
    fn training_learns_a_separable_toy_set() {
        let ex = |t: &str, c: bool| Example {
            text: t.into(),
            checkable: c,
            weight: 1.0,
        };
        let data = vec![
            ex("Exports rose 5% in May, the ministry said.", true),
            ex("The company cut 300 jobs in 2023.", true),
            ex("Profits fell 12% to $4 billion.", true),
            ex("I think this is a wonderful idea.", false),
            ex("We must stand together.", false),
            ex("What a beautiful day it is!", false),
        ];
        let m = train(&data, 256, 300, 0.0, "toy");
        let c = Confusion::of(&data, |s| m.is_checkable(s));
        assert_eq!((c.tp, c.tn), (3, 3), "{c:?}");
        assert!((c.precision() - 1.0).abs() < 1e-9 && (c.recall() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn labels_file_errors_name_the_line() {
        let e = read_labels("x.tsv", "# c\ncheckable\tA fact.\nmaybe\tB.\n").unwrap_err();
        assert!(e.starts_with("x.tsv:3:"), "{e}");
        assert!(read_labels("x.tsv", "no tab here\n")
            .unwrap_err()
            .contains(":1:"));
    }
}
