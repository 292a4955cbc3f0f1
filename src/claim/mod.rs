//! Document + citations -> claims: the title and the check-worthy sentences of the article,
//! each bound to the citations meant to support it. Pure.
//!
//! Where the article ends matters as much as where it starts: the comment section under a
//! reposted article and the source list are not claims.

use crate::cite::is_source_line;
use crate::model::{Block, BlockKind, Citation, CitationKind, Claim, ClaimKind, Document};
use crate::text::segment::sentences;

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
    let s = sentence.trim();
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
    let has_number = s.chars().any(|c| c.is_ascii_digit());
    let has_verb = FACT_VERBS.iter().any(|v| s.contains(v));
    let has_entity = crate::compare::entities::mentions(s).next().is_some() || has_proper_noun(s);
    let attributed = ATTRIBUTIONS.iter().any(|a| s.contains(a));
    has_number
        || (has_verb && has_entity)
        || attributed
        || (cjk >= 12 && (s.contains("已") || s.contains("全部")))
}

/// Phrases that attribute a statement to a source: such a sentence reports a checkable fact.
const ATTRIBUTIONS: &[&str] = &[
    "据报道",
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
    if t.starts_with("By ")
        || t.starts_with("记者")
        || t.starts_with("作者")
        || t.starts_with("文/")
    {
        return t.chars().count() <= 80;
    }
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let len = t.chars().count();
    (len <= 40 && digits * 2 >= len / 2 && t.contains(['-', '年', ':']))
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
    let end = body_end(&doc.blocks);
    let body = &doc.blocks[..end];
    let mut out: Vec<Claim> = Vec::new();
    // Source-list citations bind the title and every claim no inline citation covers.
    let list_ids: Vec<String> = citations
        .iter()
        .filter(|c| c.kind == CitationKind::SourceLine)
        .map(|c| c.id.clone())
        .collect();
    for block in body {
        if is_source_line(&block.text) {
            continue;
        }
        if block.kind != BlockKind::Title && (is_heading_like(block) || is_byline(&block.text)) {
            continue;
        }
        let block_text = strip_emphasis(&block.text);
        // Citations written inside this block, with the char offset where each sits.
        let inline: Vec<(&Citation, usize)> = citations
            .iter()
            .filter(|c| c.kind != CitationKind::SourceLine)
            .filter_map(|c| offset_in_block(block, c).map(|o| (c, o)))
            .collect();
        let mut carried: Vec<String> = Vec::new();
        let first_of_block = out.len();
        for sentence in sentences(&block_text) {
            let is_title = block.kind == BlockKind::Title;
            if !is_title && !is_check_worthy(&sentence.text) {
                // Its citations still carry on to the next sentence of the paragraph.
                for (c, o) in &inline {
                    if *o >= sentence.start && *o < sentence.end && !carried.contains(&c.id) {
                        carried.push(c.id.clone());
                    }
                }
                continue;
            }
            let mut cited: Vec<String> = Vec::new();
            for (c, o) in &inline {
                if *o >= sentence.start && *o < sentence.end {
                    cited.push(c.id.clone());
                }
            }
            if cited.is_empty() {
                // An inline attribution carries on over the sentences that continue its report.
                cited.clone_from(&carried);
            } else {
                carried.clone_from(&cited);
            }
            if cited.is_empty() {
                cited.clone_from(&list_ids);
            }
            let (line, column) = block.position(sentence.start);
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
            });
        }
        // A trailing `（来源：央视新闻）` names the source of the paragraph before it: it binds
        // the paragraph's claims that no inline attribution covers.
        let used: Vec<&String> = out[first_of_block..]
            .iter()
            .flat_map(|c| &c.cited)
            .collect();
        let trailing: Vec<String> = inline
            .iter()
            .map(|(c, _)| c.id.clone())
            .filter(|id| !used.contains(&id))
            .collect();
        if !trailing.is_empty() {
            for claim in &mut out[first_of_block..] {
                if claim.cited == list_ids {
                    claim.cited.clone_from(&trailing);
                }
            }
        }
    }
    out
}

fn strip_emphasis(text: &str) -> String {
    text.replace("**", "")
}

/// Quoted speech: a sentence whose quoted part is long enough to be somebody's words.
fn is_quote(text: &str) -> bool {
    let open = text.find(['“', '「', '"']);
    let close = text.rfind(['”', '」', '"']);
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

/// The char offset of a citation inside a block's text, when the citation was written there.
fn offset_in_block(block: &Block, citation: &Citation) -> Option<usize> {
    let len = block.text.chars().count();
    (0..len.max(1)).find(|&i| block.position(i) == (citation.line, citation.column))
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
}
