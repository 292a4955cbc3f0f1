//! Document + citations -> claims: the title and the check-worthy sentences of the article,
//! each bound to the citations meant to support it. Pure.
//!
//! Where the article ends matters as much as where it starts: the comment section under a
//! reposted article and the source list are not claims.

pub mod ignore;
pub mod worthiness;

use crate::cite::is_source_line;
use crate::model::{
    Binding, Block, BlockKind, Citation, CitationKind, Claim, ClaimKind, Document, SentenceClass,
    Unchecked,
};
use crate::text::segment::{sentences, Sentence};
use std::collections::{HashMap, HashSet};

/// Lines that start the comment section or page furniture after the article body.
const END_MARKERS: &[&str] = &[
    "评论列表",
    "網友評論",
    "网友评论",
    "全部评论",
    "热门评论",
    "发表评论",
    "相关阅读",
    "相关推荐",
    "Comments",
    "Related articles",
    "Read more",
    "Recommended",
];

/// Phrases that mark opinion, exhortation or rhetoric rather than a checkable fact.
const OPINION_MARKERS: &[&str] = &[
    "我认为",
    "我们认为",
    "笔者",
    "我们要",
    "必须",
    "应该",
    "应当",
    "只有",
    "才能",
    "无疑",
    "可以预见",
    "毫无疑问",
    "不言而喻",
    "路在何方",
    "让我们",
    "希望",
    "愿意",
    "令人",
    "不得不说",
    "I think",
    "I believe",
    "we must",
    "should",
    "in my view",
    "arguably",
];

/// Words that signal an event or an attribution, which make a sentence checkable.
const FACT_VERBS: &[&str] = &[
    "宣布",
    "表示",
    "称",
    "报道",
    "决定",
    "考虑",
    "限制",
    "禁止",
    "停止",
    "恢复",
    "发布",
    "公布",
    "透露",
    "批准",
    "签署",
    "出口",
    "进口",
    "下跌",
    "上涨",
    "增长",
    "下降",
    "减少",
    "增加",
    "收购",
    "裁员",
    "订单",
    "投票",
    "投了",
    "否决",
    "announced",
    "said",
    "reported",
    "decided",
    "banned",
    "approved",
    "rose",
    "fell",
    "grew",
    "signed",
    "cut",
    "raised",
    "reopened",
    "closed",
    "ordered",
    "confirmed",
    "plans",
    "considering",
];

/// Whether a sentence asserts something a source could confirm (a number, a date, a named
/// actor with an action, an attribution) rather than rhetoric, a question or an opinion.
pub fn is_check_worthy(sentence: &str) -> bool {
    // Traditional script meets the Simplified marker lists (報導 is 报道).
    let simplified;
    let s = if sentence.is_ascii() {
        sentence.trim()
    } else {
        simplified = fast2s::convert(sentence.trim());
        simplified.as_str()
    };
    let cjk = s.chars().filter(|&c| crate::text::is_cjk(c)).count();
    let words = s.split_whitespace().count();
    if cjk < 8 && words < 5 {
        return false;
    }
    if s.ends_with('？') || s.ends_with('?') {
        return false;
    }
    if OPINION_MARKERS.iter().any(|m| s.contains(m)) {
        return false;
    }
    // Cheap tests first: the entity gazetteer is the costly one, asked only when it decides.
    let has_number = s.chars().any(|c| c.is_ascii_digit());
    if has_number || ATTRIBUTIONS.iter().any(|a| s.contains(a)) {
        return true;
    }
    let has_verb = FACT_VERBS.iter().any(|v| s.contains(v));
    if has_verb && (has_proper_noun(s) || crate::compare::entities::mentions(s).next().is_some()) {
        return true;
    }
    cjk >= 12 && (s.contains("已") || s.contains("全部"))
}

/// Phrases that attribute a statement to a source: such a sentence reports a checkable fact.
const ATTRIBUTIONS: &[&str] = &[
    "据报道",
    "报导",
    "据悉",
    "报道",
    "援引",
    "according to",
    "reported",
    "told",
    "said",
    "says",
    "announced",
];

/// An English capitalised word that does not start the sentence (a name, a company, a place).
fn has_proper_noun(s: &str) -> bool {
    s.split_whitespace()
        .skip(1)
        .any(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && w.len() > 1)
}

/// A section heading such as `**一、芯片之争**`, `1.1 芯片短缺:` or `结语:`.
fn is_heading_like(block: &Block) -> bool {
    if block.kind == BlockKind::Heading {
        return true;
    }
    let t = block.text.trim();
    let short = t.chars().count() <= 30;
    short
        && (t.starts_with("**")
            || t.ends_with(':')
            || t.ends_with('：')
            || t.chars()
                .next()
                .is_some_and(|c| "一二三四五六七八九十".contains(c))
                && t.contains('、')
            || t.chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .count()
                >= 2)
}

/// A byline: author and date, or a read counter (`3 阅读:2280`).
fn is_byline(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['*', '_']);
    // A sentence (`记者从广州港集团获悉，…。`, `財政部8日公布，9月出口…`) is not a byline.
    let sentence = t.contains(['。', '，']);
    if t.starts_with("By ") {
        return t.chars().count() <= 80;
    }
    if t.starts_with("记者")
        || t.starts_with("記者")
        || t.starts_with("作者")
        || t.starts_with("文/")
    {
        return t.chars().count() <= 80 && !sentence;
    }
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let len = t.chars().count();
    (len <= 40 && digits * 2 >= len / 2 && t.contains(['-', '年', ':']) && !sentence)
        || t.contains("阅读:")
        || t.contains("阅读：")
}

/// The index of the first block after the article body (comment section, furniture), if any.
fn body_end(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .position(|b| {
            let t = b.text.trim();
            END_MARKERS.iter().any(|m| t.starts_with(m))
                || t.contains("阅读:")
                || t.contains("阅读：")
        })
        .unwrap_or(blocks.len())
}

/// Extracts the claims of `doc` and binds them to `citations`.
pub fn claims(doc: &Document, citations: &[Citation]) -> Vec<Claim> {
    claims_and_unchecked(doc, citations, false).0
}

/// The claims of `doc` bound to `citations`, and the sentences of the body that are not
/// judged (opinion, rhetoric, furniture) with their class. With `check_all` every sentence of
/// the body is a claim and nothing is left unchecked.
pub fn claims_and_unchecked(
    doc: &Document,
    citations: &[Citation],
    check_all: bool,
) -> (Vec<Claim>, Vec<Unchecked>) {
    let end = body_end(&doc.blocks);
    let body = &doc.blocks[..end];
    let mut out: Vec<Claim> = Vec::new();
    let mut unchecked: Vec<Unchecked> = Vec::new();
    // Source-list citations bind the title and every claim no inline citation covers.
    let lists = SourceLists::new(citations);
    // Source lines that name only an outlet (no headline, no link): the article's provenance,
    // which every claim leans on besides what it cites itself.
    let provenance: HashSet<&str> = citations
        .iter()
        .filter(|c| c.kind == CitationKind::SourceLine && c.headline.is_none() && c.url.is_none())
        .map(|c| c.id.as_str())
        .collect();
    let order: HashMap<&str, usize> = citations
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    // Where each source-list entry starts: a block starting there is a list entry, not prose.
    let entry_starts: HashSet<(usize, usize)> = citations
        .iter()
        .filter(|c| c.kind == CitationKind::SourceLine)
        .map(|c| (c.line, c.column))
        .collect();
    // Inline citations by input line, so each block looks only at its own lines.
    let mut by_line: HashMap<usize, Vec<&Citation>> = HashMap::new();
    for c in citations
        .iter()
        .filter(|c| c.kind != CitationKind::SourceLine)
    {
        by_line.entry(c.line).or_default().push(c);
    }
    // The citations of the last inline-cited sentence of the section so far: a later
    // paragraph that opens as a continuation ("该报道还指出", "The report also notes") leans on
    // them. A heading starts a new section.
    let mut section_cited: Vec<String> = Vec::new();
    for block in body {
        if is_source_line(&block.text) || entry_starts.contains(&(block.line, block.column)) {
            continue;
        }
        if is_heading_like(block) {
            section_cited.clear();
        }
        // Headings and bylines are furniture as a whole block (`--check-all` judges them).
        if !check_all
            && block.kind != BlockKind::Title
            && (is_heading_like(block) || is_byline(&block.text))
        {
            let text = strip_emphasis(block.text.trim()).trim().to_string();
            if !text.is_empty() {
                let why = if is_heading_like(block) {
                    "heading"
                } else {
                    "byline"
                };
                unchecked.push(Unchecked {
                    text,
                    line: block.line,
                    column: block.column,
                    class: SentenceClass::Furniture,
                    why: why.into(),
                });
            }
            continue;
        }
        let editor_note = worthiness::is_editor_note(&block.text);
        // Citations written inside this block, with the char offset where each sits.
        let inline = inline_offsets(block, &by_line);
        let mut carried: Vec<String> = Vec::new();
        let first_of_block = out.len();
        let list_ids = lists.for_line(block.line);
        let mut from_list: Vec<bool> = Vec::new();
        // Citations and sentences both run in text order: one pointer walks the citations.
        let mut next = 0usize;
        // Segment the text as written, so offsets match the citations' positions; `**` is
        // dropped from each sentence afterwards.
        // The sentences are edited in place: a block of 200,000 sentences is not held twice.
        let mut segmented = sentences(&block.text);
        segmented.retain_mut(|sentence| {
            if sentence.text.contains("**") {
                let lead = sentence.text.len() - sentence.text.trim_start_matches('*').len();
                sentence.start += lead.min(2);
                sentence.text = strip_emphasis(&sentence.text).trim().to_string();
            }
            !sentence.text.is_empty()
        });
        let is_title = block.kind == BlockKind::Title;
        let classify = |s: &Sentence| {
            if editor_note {
                (SentenceClass::Furniture, "editor_note")
            } else {
                worthiness::classify(&s.text)
            }
        };
        // The title is judged whole unless part of it is checkable and the rest is not: then
        // only the checkable part is (`英伟达正式宣布:停止接受中国新订单!` of a title whose second
        // half is rhetoric). Only a title's sentences are classified ahead.
        let title_classes: Vec<(SentenceClass, &str)> = if is_title {
            segmented.iter().map(classify).collect()
        } else {
            Vec::new()
        };
        let title_has_checkable = title_classes
            .iter()
            .any(|c| c.0 == SentenceClass::Checkable);
        let mut title_classes = title_classes.into_iter();
        for sentence in segmented {
            let (class, why) = title_classes.next().unwrap_or_else(|| classify(&sentence));
            while next < inline.len() && inline[next].1 < sentence.start {
                next += 1;
            }
            let from = next;
            while next < inline.len() && inline[next].1 < sentence.end {
                next += 1;
            }
            let here = &inline[from..next];
            let judged =
                check_all || class == SentenceClass::Checkable || is_title && !title_has_checkable;
            if !judged {
                let (line, column) = position(block, sentence.start);
                unchecked.push(Unchecked {
                    text: sentence.text.clone(),
                    line,
                    column,
                    class,
                    why: why.to_string(),
                });
                // Its citations still carry on to the next sentence of the paragraph.
                for (c, _) in here {
                    if !carried.contains(&c.id) {
                        carried.push(c.id.clone());
                    }
                }
                if !here.is_empty() {
                    section_cited.clone_from(&carried);
                }
                continue;
            }
            let mut cited: Vec<String> = here.iter().map(|(c, _)| c.id.clone()).collect();
            let mut binding = (!cited.is_empty()).then_some(Binding::SameSentence);
            if cited.is_empty() {
                if !carried.is_empty() {
                    // An inline attribution carries on over the sentences that continue its
                    // report.
                    cited.clone_from(&carried);
                    binding = Some(Binding::SameParagraph);
                } else if !section_cited.is_empty() && is_continuation(&sentence.text) {
                    // A later paragraph that says it goes on with the same report.
                    cited.clone_from(&section_cited);
                    carried.clone_from(&section_cited);
                    binding = Some(Binding::Continuation);
                }
            } else {
                carried.clone_from(&cited);
                section_cited.clone_from(&cited);
            }
            let listed = cited.is_empty();
            if listed {
                cited = list_ids.to_vec();
                binding = (!cited.is_empty()).then_some(Binding::SourceList);
            } else {
                // The outlet whose copy the whole article is (`来源：国际金融报`, a wire byline)
                // stands behind a claim that cites another source too.
                let before = cited.len();
                for id in list_ids
                    .iter()
                    .filter(|id| provenance.contains(id.as_str()))
                {
                    if !cited.contains(id) {
                        cited.push(id.clone());
                    }
                }
                if cited.len() > before {
                    cited.sort_by_key(|id| order.get(id.as_str()).copied().unwrap_or(usize::MAX));
                }
            }
            from_list.push(listed);
            let (line, column) = position(block, sentence.start);
            let kind = if is_title {
                ClaimKind::Title
            } else if is_quote(&sentence.text) {
                ClaimKind::Quote
            } else {
                ClaimKind::Statement
            };
            out.push(Claim {
                id: format!("k{}", out.len() + 1),
                kind,
                text: sentence.text,
                line,
                column,
                cited,
                binding,
            });
        }
        // A trailing `（来源：央视新闻）` names the source of the paragraph before it: it binds
        // the paragraph's claims that no inline attribution covers.
        let used: HashSet<&String> = out[first_of_block..]
            .iter()
            .flat_map(|c| &c.cited)
            .collect();
        let trailing: Vec<String> = inline
            .iter()
            .map(|(c, _)| c.id.clone())
            .filter(|id| !used.contains(id))
            .collect();
        if !trailing.is_empty() {
            for (claim, listed) in out[first_of_block..].iter_mut().zip(&from_list) {
                if *listed {
                    claim.cited.clone_from(&trailing);
                    claim.binding = Some(Binding::TrailingSource);
                }
            }
        }
    }
    // Grown by doubling: give back the spare half before the claims are judged (an article of
    // 170,000 paragraphs holds them for the whole run).
    out.shrink_to_fit();
    (out, unchecked)
}

/// Openings of a sentence that go on with a report cited earlier, in Simplified and Traditional
/// Chinese (matched after folding to Simplified) and English (lowercased).
const CONTINUATION_OPENINGS_ZH: &[&str] = &[
    "该报道",
    "该报导",
    "该报",
    "该文",
    "该媒体",
    "该研究",
    "该报告",
    "该调查",
    "该消息",
    "同一报道",
    "同一报导",
    "同篇报道",
    "报道还",
    "报道亦",
    "报道也",
    "报道并",
    "报道指出",
    "报道称",
    "报导还",
    "报导指出",
    "报导称",
    "文章还",
    "文章指出",
    "文章称",
    "报告还",
    "报告指出",
    "研究还",
    "研究发现",
    "研究指出",
    "调查还",
    "调查发现",
    "据该报道",
    "据该报",
    "据报道称",
    "据同一报道",
    "其中，",
    "其中,",
    "此外，该",
    "此外,该",
    "另外，该",
];

/// Words after an outlet or a pronoun that say the sentence continues a report
/// (`新华社还报道称`, `路透社亦指出`).
const CONTINUATION_VERBS_ZH: &[&str] = &[
    "还报道",
    "还报导",
    "亦报道",
    "也报道",
    "还指出",
    "亦指出",
    "也指出",
    "还称",
    "亦称",
    "还表示",
    "并指出",
    "还援引",
];

const CONTINUATION_OPENINGS_EN: &[&str] = &[
    "the report ",
    "the report,",
    "the article ",
    "the study ",
    "the survey ",
    "the paper ",
    "the analysis ",
    "the same report",
    "the newspaper ",
    "the agency also",
    "the outlet ",
    "the broadcaster ",
    "the magazine ",
    "the researchers ",
    "the authors ",
    "according to the report",
    "according to the same",
    "according to the study",
    "according to the article",
    "it added",
    "the report also",
    "the filing ",
];

const CONTINUATION_VERBS_EN: &[&str] = &[
    " also reported",
    " also reports",
    " also noted",
    " also notes",
    " also said",
    " also says",
    " also found",
    " also wrote",
    " also cited",
    " further reported",
];

/// Whether `sentence` opens as the continuation of a report cited before it: "该报道还指出…",
/// "其中，…", "路透社还报道称…", "The report also notes…", "It added that…".
pub fn is_continuation(sentence: &str) -> bool {
    let folded = crate::text::fold(sentence.trim_start_matches(['“', '"', '「', '『', ' ']));
    let head: String = folded.chars().take(12).collect();
    if CONTINUATION_OPENINGS_ZH
        .iter()
        .any(|o| folded.starts_with(o))
        || CONTINUATION_VERBS_ZH.iter().any(|v| head.contains(v))
    {
        return true;
    }
    let lower = sentence.trim_start().to_lowercase();
    if CONTINUATION_OPENINGS_EN
        .iter()
        .any(|o| lower.starts_with(o))
    {
        return true;
    }
    // "Reuters also reported…", "The New York Times also noted…": a name of one to four
    // capitalised words, then a continuation verb. Not a pronoun ("He also said", "We also
    // found") nor a lower-case subject ("the company also reported"): those are people and
    // companies speaking, not the cited report going on.
    let words: Vec<&str> = sentence.split_whitespace().take(6).collect();
    let Some(also) = words.iter().position(|w| w.eq_ignore_ascii_case("also")) else {
        return false;
    };
    let subject = &words[..also];
    let named = (1..=4).contains(&subject.len())
        && subject
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !subject.iter().any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "he" | "she" | "we" | "i" | "they" | "you" | "it" | "but" | "and" | "this"
            )
        });
    let rest = words[also..].join(" ").to_lowercase();
    named
        && CONTINUATION_VERBS_EN
            .iter()
            .any(|v| format!(" {rest}").contains(v))
}

/// The source lists of an article: runs of source-list entries on nearby lines. A claim is
/// bound to the list that follows it (an article's sources come at its end), or, past the last
/// list, to the one before it; one list binds the whole article, and a digest of several
/// articles each with its own list binds each part to its own.
struct SourceLists {
    /// (first line, last line, citation ids), in article order.
    runs: Vec<(usize, usize, Vec<String>)>,
}

impl SourceLists {
    fn new(citations: &[Citation]) -> SourceLists {
        let mut runs: Vec<(usize, usize, Vec<String>)> = Vec::new();
        let mut entries: Vec<&Citation> = citations
            .iter()
            .filter(|c| c.kind == CitationKind::SourceLine)
            .collect();
        entries.sort_by_key(|c| (c.line, c.column));
        for c in entries {
            match runs.last_mut() {
                // Blank lines and a `Sources:` heading may sit between entries of one list.
                Some(run) if c.line <= run.1 + 2 => {
                    run.1 = c.line;
                    run.2.push(c.id.clone());
                }
                _ => runs.push((c.line, c.line, vec![c.id.clone()])),
            }
        }
        SourceLists { runs }
    }

    fn for_line(&self, line: usize) -> &[String] {
        let next = self.runs.partition_point(|r| r.1 < line);
        self.runs
            .get(next)
            .or_else(|| self.runs.last())
            .map_or(&[], |r| r.2.as_slice())
    }
}

/// The input line and column of the char at `offset` of a block: `Block::position` with a
/// binary search, since a long wrapped paragraph has a mark per line.
fn position(block: &Block, offset: usize) -> (usize, usize) {
    let i = block.marks.partition_point(|m| m.offset <= offset);
    match i.checked_sub(1).map(|i| &block.marks[i]) {
        Some(m) => (m.line, m.column + (offset - m.offset)),
        None => (block.line, block.column + offset),
    }
}

/// The inline citations written inside a block, each with its char offset in the block's
/// text, in order. Linear in the block's marks and the citations on its lines.
fn inline_offsets<'a>(
    block: &Block,
    by_line: &HashMap<usize, Vec<&'a Citation>>,
) -> Vec<(&'a Citation, usize)> {
    let len = block.text.chars().count();
    // Stretches of the block's text: (first char offset, end offset, line, column).
    let mut stretches: Vec<(usize, usize, usize, usize)> = Vec::new();
    if block.marks.is_empty() {
        stretches.push((0, len, block.line, block.column));
    } else {
        for (i, m) in block.marks.iter().enumerate() {
            let end = block.marks.get(i + 1).map_or(len, |n| n.offset);
            stretches.push((m.offset, end.max(m.offset), m.line, m.column));
        }
    }
    let mut out = Vec::new();
    for (start, end, line, column) in stretches {
        let Some(cs) = by_line.get(&line) else {
            continue;
        };
        for c in cs {
            if c.column < column {
                continue;
            }
            let o = start + (c.column - column);
            // The last stretch holds everything to the end of the block (or one past, for a
            // citation at the very end of an empty block).
            if o < end || (o == 0 && len == 0) {
                out.push((*c, o));
            }
        }
    }
    out.sort_by_key(|&(c, o)| (o, c.id.len(), c.id.clone()));
    out.dedup_by(|a, b| a.0.id == b.0.id);
    out
}

fn strip_emphasis(text: &str) -> String {
    text.replace("**", "")
}

/// Quoted speech: a sentence whose quoted part is long enough to be somebody's words.
fn is_quote(text: &str) -> bool {
    let open = text.find(['“', '「', '『', '"']);
    let close = text.rfind(['”', '」', '』', '"']);
    match (open, close) {
        (Some(o), Some(c)) if c > o => {
            let inner = &text[o..c];
            let said = ["说", "称", "表示", "said", "says", "told"]
                .iter()
                .any(|v| text.contains(v));
            said && inner.chars().count() >= 12
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cite::{citations, registry::OutletRegistry};

    fn run(text: &str) -> Vec<Claim> {
        let doc = crate::document::parse("t.txt", text.as_bytes(), None).expect("parses");
        let cites = citations(&doc, &OutletRegistry::builtin());
        claims(&doc, &cites)
    }

    #[test]
    fn title_and_facts_bound_to_source_list() {
        let c = run("英伟达正式宣布:停止接受中国新订单!\n\n英伟达突然宣布停止接受来自中国的新订单。\n中国AI产业,路在何方?\n\n信源来自于环球网:英伟达可能丢掉订单\n\n评论列表\n英伟达已经宣布停止接受中国订单了，真的假的\n");
        let texts: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "英伟达正式宣布:停止接受中国新订单!",
                "英伟达突然宣布停止接受来自中国的新订单。"
            ]
        );
        assert_eq!(c[0].kind, ClaimKind::Title);
        assert_eq!(c[0].cited, vec!["c1"]);
        assert_eq!(c[1].line, 3);
    }

    #[test]
    fn inline_attribution_binds_its_paragraph() {
        let c = run("标题：港口复工\n\n据新华社报道，上海港已于周一恢复集装箱作业。港口方面表示，作业量已恢复至90%。\n\n信源来自于人民网:港口复工\n");
        assert_eq!(c[1].cited, vec!["c1"]);
        assert_eq!(c[2].cited, vec!["c1"]);
        assert_eq!(c[0].cited, vec!["c2"]);
    }

    #[test]
    fn skips_rhetoric_headings_and_questions() {
        let c = run("标题\n\n**一、芯片之争:现实困境**\n\n没有退路,就是最好的出路。\n中国AI产业要想突围,就必须认清形势。\n");
        assert_eq!(c.len(), 1);
    }

    fn run_in(path: &str, text: &str) -> Vec<Claim> {
        let doc = crate::document::parse(path, text.as_bytes(), None).expect("parses");
        let cites = citations(&doc, &OutletRegistry::builtin());
        claims(&doc, &cites)
    }

    /// `(text start, cited ids)` of every claim.
    fn check(path: &str, text: &str, expected: &[(&str, &[&str])]) {
        let got = run_in(path, text);
        let got: Vec<(String, Vec<String>)> = got.into_iter().map(|c| (c.text, c.cited)).collect();
        assert_eq!(got.len(), expected.len(), "{got:#?}");
        for ((text, cited), (want_start, want_cited)) in got.iter().zip(expected) {
            assert!(text.starts_with(want_start), "{text:?} vs {want_start:?}");
            assert_eq!(cited, want_cited, "citations of {text:?}");
        }
    }

    #[test]
    fn attribution_binds_its_sentence_and_the_ones_continuing_it() {
        check(
            "t.txt",
            "Port reopens after strike\nThe port of Rotterdam reopened on Monday, Reuters reported. About 40 ships were waiting to unload.\nSource: AP — \"Port strike ends\"\n",
            &[
                ("Port reopens", &["c2"]),
                ("The port of Rotterdam", &["c1"]),
                ("About 40 ships", &["c1"]),
            ],
        );
    }

    #[test]
    fn the_outlet_an_article_is_copied_from_stands_behind_every_claim() {
        use Binding::*;
        // `来源：X` with no headline: the article is X's copy, so a claim citing a study in it
        // leans on X too. A source list with headlines does not (the founding article's form).
        check_bound(
            "t.txt",
            "气垫鞋调查\n来源：国际金融报\n据路透社报道，研究人员调查了三千多名篮球运动员的受伤情况。运动员每参加250场比赛就会发生一次脚踝受伤。\n港口去年共接待货轮3200艘。\n",
            &[
                ("气垫鞋调查", &["c1"], Some(SourceList)),
                ("据路透社报道", &["c1", "c2"], Some(SameSentence)),
                ("运动员每参加", &["c1", "c2"], Some(SameParagraph)),
                ("港口去年", &["c1"], Some(SourceList)),
            ],
        );
        check_bound(
            "t.txt",
            "气垫鞋调查\n据路透社报道，研究人员调查了三千多名篮球运动员的受伤情况。\n信源来自于环球网:气垫鞋被指增加脚踝受伤风险\n",
            &[
                ("气垫鞋调查", &["c2"], Some(SourceList)),
                ("据路透社报道", &["c1"], Some(SameSentence)),
            ],
        );
    }

    /// `(text start, cited ids, binding)` of every claim.
    fn check_bound(path: &str, text: &str, expected: &[(&str, &[&str], Option<Binding>)]) {
        let got = run_in(path, text);
        assert_eq!(got.len(), expected.len(), "{got:#?}");
        for (c, (start, cited, binding)) in got.iter().zip(expected) {
            assert!(c.text.starts_with(start), "{:?} is not {start:?}", c.text);
            assert_eq!(&c.cited, cited, "citations of {:?}", c.text);
            assert_eq!(&c.binding, binding, "binding of {:?}", c.text);
        }
    }

    #[test]
    fn a_later_paragraph_continuing_the_report_is_bound_to_it() {
        use Binding::*;
        check_bound(
            "t.md",
            "# 港口吞吐量创新高\n\n据新华社报道，宁波舟山港一季度集装箱吞吐量同比增长12%。\n\n\
             该报道还指出，港口新增了三条国际航线。\n\n港口去年共接待货轮3200艘。\n",
            &[
                ("港口吞吐量创新高", &[], None),
                ("据新华社报道", &["c1"], Some(SameSentence)),
                ("该报道还指出", &["c1"], Some(Continuation)),
                // No continuation cue: the reader cannot tell whose report it is.
                ("港口去年共接待", &[], None),
            ],
        );
        check_bound(
            "t.md",
            "# 港口\n\n據中央社報導，高雄港上月貨櫃量成長7%。\n\n該報導亦指出，港區新增兩座起重機。\n",
            &[
                ("港口", &[], None),
                ("據中央社報導", &["c1"], Some(SameSentence)),
                ("該報導亦指出", &["c1"], Some(Continuation)),
            ],
        );
        check_bound(
            "t.md",
            "# Port reopens\n\nThe port of Rotterdam reopened on Monday, Reuters reported.\n\n\
             The report also notes that about 40 ships were waiting to unload.\n\n\
             Dock workers in Antwerp voted on a new contract on Tuesday.\n",
            &[
                ("Port reopens", &[], None),
                ("The port of Rotterdam", &["c1"], Some(SameSentence)),
                ("The report also notes", &["c1"], Some(Continuation)),
                ("Dock workers", &[], None),
            ],
        );
    }

    #[test]
    fn a_heading_ends_what_a_continuation_can_lean_on() {
        check_bound(
            "t.md",
            "# 港口\n\n据新华社报道，宁波舟山港一季度集装箱吞吐量同比增长12%。\n\n## 其他港口\n\n\
             其中，上海港吞吐量增长8%。\n",
            &[
                ("港口", &[], None),
                ("据新华社报道", &["c1"], Some(Binding::SameSentence)),
                ("其中", &[], None),
            ],
        );
    }

    #[test]
    fn continuation_openings() {
        for yes in [
            "该报道还指出，港口新增航线。",
            "該報導還指出，港口新增航線。",
            "其中，上海港增长8%。",
            "新华社还报道称，港口新增航线。",
            "The report also notes that ships waited.",
            "It added that ships waited.",
            "The New York Times also noted that ships waited.",
            "Reuters also reported that unions agreed.",
            "According to the same report, ships waited.",
        ] {
            assert!(is_continuation(yes), "{yes}");
        }
        for no in [
            "港口方面表示，作业量已恢复。",
            "Dock workers said the deal was fair.",
            "The port reopened on Monday.",
            "报告显示的数据来自海关。",
            "It also doubles as a display for the camera.",
            "We also found that this claim did not originate with a credible outlet.",
            "But the company also reported long-term debt of more than $700 million.",
            "He also said he hoped the swap would pave the way.",
        ] {
            assert!(!is_continuation(no), "{no}");
        }
    }

    #[test]
    fn attribution_does_not_cross_paragraphs() {
        check(
            "t.txt",
            "标题\n据新华社报道，上海港已于周一恢复集装箱作业。\n港口方面表示，作业量已恢复至90%。\n信源：人民网《港口复工》\n",
            &[
                ("标题", &["c2"]),
                ("据新华社报道", &["c1"]),
                ("港口方面表示", &["c2"]),
            ],
        );
    }

    #[test]
    fn reference_list_entries_are_not_claims() {
        check(
            "a.md",
            "# Halvern shares jump after outlook raised\n\nShares rose 7% on Thursday.\n\n1. Reuters, \"Halvern revenue rises 5.3%\", 12 May 2024\n2. AP — \"Halvern shares jump\" (https://apnews.com/y)\n",
            &[
                ("Halvern shares jump", &["c1", "c2"]),
                ("Shares rose 7%", &["c1", "c2"]),
            ],
        );
    }

    #[test]
    fn quoted_speech_is_a_quote_claim() {
        let c = run("标题\n\n董事长表示：「我們不會停止接受來自中國的新訂單，這一點非常明確。」\n");
        assert_eq!(c[1].kind, ClaimKind::Quote, "{c:?}");
        let c = run("Title\n\nThe chief executive said \"demand is broadening beyond the largest cloud companies\" on Monday.\n");
        assert_eq!(c[1].kind, ClaimKind::Quote, "{c:?}");
    }

    #[test]
    fn citations_on_wrapped_lines_bind_the_right_sentence() {
        // Markdown joins the lines into one paragraph; the attribution on the second line
        // binds the second sentence only.
        let c = run_in(
            "a.md",
            "# T\n\nShares of Halvern rose 7% in New York on Thursday.\nRevenue rose 6.3% to $3.84 billion, according to Reuters.\n",
        );
        assert_eq!(c[1].cited, Vec::<String>::new(), "{c:#?}");
        assert_eq!(c[2].cited, vec!["c1"], "{c:#?}");
        assert_eq!(c[2].line, 4);
    }

    #[test]
    fn sentences_are_not_bylines() {
        let c = run("标题\n\n记者从广州港集团获悉，南沙港区新开通三条外贸集装箱航线，每周共新增6个航班。\n財政部8日公布，9月出口414.2億美元，年增4.5%。\n记者 张三\n2024-09-22 10:15\n");
        assert_eq!(c.len(), 3, "{c:#?}");
    }

    #[test]
    fn traditional_attributions_make_claims() {
        let c = run("標題\n\n有線新聞報道，火警期間附近一段道路須封閉約兩小時。\n");
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[1].cited, vec!["c1"]);
    }

    #[test]
    fn each_source_list_binds_the_part_above_it() {
        let c = run("Digest\n\nShares of Halvern rose 7% on Thursday.\nSource: Reuters — \"Halvern shares rise\"\n\nThe port of Rotterdam reopened on Monday after 3 days.\nSource: AP — \"Port reopens\"\n");
        let cited: Vec<Vec<String>> = c.iter().map(|c| c.cited.clone()).collect();
        assert_eq!(cited, vec![vec!["c1"], vec!["c1"], vec!["c2"]], "{c:#?}");
    }
}
