//! Finding citations in the blocks of a document.
//!
//! Each form an editor writes has its own small matcher; all of them report where the citation
//! starts so reports can point at the draft's line and column.

use super::registry::OutletRegistry;
use crate::model::{Block, Citation, CitationKind, Document};
use regex::Regex;
use std::sync::OnceLock;

/// Groups that are cited without naming an outlet: resolvable only through a headline.
pub const UNNAMED_SOURCES: &[&str] = &[
    "美媒",
    "外媒",
    "港媒",
    "台媒",
    "日媒",
    "韩媒",
    "英媒",
    "德媒",
    "法媒",
    "俄媒",
    "印媒",
    "多家媒体",
    "知情人士",
    "消息人士",
    "业内人士",
    "接近",
    "据悉",
    "媒体",
];

struct Patterns {
    source_line: Regex,
    origin_line: Regex,
    original_title: Regex,
    ju_report: Regex,
    reported_says: Regex,
    according_to: Regex,
    en_source_line: Regex,
    reported_by: Regex,
    bare_url: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        // 信源来自于环球网:标题 / 信源：环球网《标题》 / 消息来源：X
        source_line: Regex::new(
            r"^(?:\*\*)?(?:信源|消息来源|資料來源|资料来源|參考來源|参考来源|引用来源)(?:来自于|來自於|来自|來自|来源于|來源於)?\s*[:：]?\s*(?P<rest>.+?)(?:\*\*)?$",
        )
        .expect("static regex"),
        // 来源：新华社 / 稿源：人民网 / 轉載自 / 编译自 / 综合X报道
        origin_line: Regex::new(
            r"(?:^|[（(\s。，；,;])(?:来源|來源|稿源|转载自|轉載自|编译自|編譯自|出处|出處)\s*[:：]?\s*(?P<outlet>[^\s，。,;；:：）)|]{2,24})",
        )
        .expect("static regex"),
        original_title: Regex::new(r"^(?:原标题|原標題)\s*[:：]\s*(?P<headline>.+)$")
            .expect("static regex"),
        // 据新华社报道 / 據中央社消息 / 综合路透社报道
        ju_report: Regex::new(
            r"(?:据|據|综合|綜合)(?P<outlet>[^，。,；;：:“”「」\s]{2,20}?)(?:最新|此前|日前|今天|近日|当天|當天)?(?:报道|報導|報道|消息|援引|称|稱|披露|指出|透露)",
        )
        .expect("static regex"),
        // 环球网报道称 / 路透社援引
        reported_says: Regex::new(
            r"(?P<outlet>[^，。,；;：:“”「」\s]{2,16}?)(?:报道称|報導稱|報道稱|援引|报道指|報導指|报道说|报道还提到|还提到|還提到|报道还称|还称)",
        )
        .expect("static regex"),
        according_to: Regex::new(
            r"(?i:according to|as first reported by|as reported by|reported by|via|per)\s+(?P<outlet>(?:the\s+)?(?:[A-Z][\w&'.-]*)(?:\s+(?:[A-Z][\w&'.-]*|of|for|and))*)",
        )
        .expect("static regex"),
        // Source: AP — "Headline"   Sources: Reuters, "Headline"
        en_source_line: Regex::new(
            r#"^(?:\*\*)?(?i:sources?|via|credit)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(?P<outlet>[^—–"“,|-]+?)\s*(?:[—–|,-]+\s*["“](?P<headline>[^"”]+)["”]|$|[—–|,-]+\s*(?P<plain>.+)$)"#,
        )
        .expect("static regex"),
        // Reuters reported (that) / The BBC said
        reported_by: Regex::new(
            r"(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)*)\s+(?:first\s+)?(?:reported|reports|said|says|wrote|quoted)\b",
        )
        .expect("static regex"),
        bare_url: Regex::new(r#"https?://[^\s<>"'）)\]，。]+"#).expect("static regex"),
    })
}

/// Whether a block is a source-list line (`信源来自于…`, `来源：…`, `Source: …`).
pub fn is_source_line(text: &str) -> bool {
    let p = patterns();
    let t = text.trim();
    p.source_line.is_match(t)
        || p.en_source_line.is_match(t)
        || p.original_title.is_match(t)
        || (t.chars().count() <= 40
            && (t.starts_with("来源") || t.starts_with("來源") || t.starts_with("稿源")))
}

/// A citation before ids are assigned.
struct Found {
    kind: CitationKind,
    outlet: Option<String>,
    headline: Option<String>,
    url: Option<String>,
    line: usize,
    column: usize,
}

/// All citations of a document, in order of appearance, ids `c1`, `c2`, ...
pub fn citations(doc: &Document, registry: &OutletRegistry) -> Vec<Citation> {
    let mut found: Vec<Found> = Vec::new();
    for block in &doc.blocks {
        for line in line_blocks(block) {
            found.extend(in_block(&line, registry));
        }
    }
    // Links from the markup, unless a source line already carries the same URL.
    for link in &doc.links {
        if found
            .iter()
            .any(|f| f.url.as_deref() == Some(link.url.as_str()))
        {
            continue;
        }
        let host = url::Url::parse(&link.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let outlet_from_text = registry.lookup(&link.text).map(|_| link.text.clone());
        let headline = if outlet_from_text.is_none() && looks_like_headline(&link.text) {
            Some(link.text.clone())
        } else {
            None
        };
        let _ = host;
        found.push(Found {
            kind: CitationKind::Link,
            outlet: outlet_from_text,
            headline,
            url: Some(link.url.clone()),
            line: link.line,
            column: link.column,
        });
    }
    found.sort_by_key(|f| (f.line, f.column));
    merge_original_titles(&mut found);
    merge_links_into_attributions(&mut found, registry);
    found
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let registry_outlet = f
                .outlet
                .as_deref()
                .and_then(|o| registry.lookup(o))
                .or_else(|| {
                    f.url.as_deref().and_then(|u| {
                        url::Url::parse(u)
                            .ok()
                            .and_then(|u| u.host_str().and_then(|h| registry.by_host(h)))
                    })
                })
                .map(|o| o.name.clone());
            Citation {
                id: format!("c{}", i + 1),
                kind: f.kind,
                outlet: f.outlet,
                registry_outlet,
                headline: f.headline,
                url: f.url,
                line: f.line,
                column: f.column,
            }
        })
        .collect()
}

/// Splits a block wrapped over several input lines into one block per line, since source
/// lists are written one entry per line even where Markdown joins them into one paragraph.
fn line_blocks(block: &Block) -> Vec<Block> {
    let starts: Vec<usize> = block.marks.iter().map(|m| m.offset).collect();
    if starts.len() <= 1 {
        return vec![block.clone()];
    }
    let chars: Vec<char> = block.text.chars().collect();
    let mut out = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts
            .get(i + 1)
            .copied()
            .unwrap_or(chars.len())
            .min(chars.len());
        if start >= end {
            continue;
        }
        let text: String = chars[start..end].iter().collect();
        let (line, column) = block.position(start);
        let mut b = Block::new(block.kind, text.trim_end(), line, column);
        b.marks.clear();
        out.push(b);
    }
    out
}

/// `Reuters first reported the figures in [headline](url)`: one citation, not two. A link on
/// the same line as an attribution to the outlet that owns the link's host joins it.
fn merge_links_into_attributions(found: &mut Vec<Found>, registry: &OutletRegistry) {
    let mut i = 0;
    while i < found.len() {
        if found[i].kind == CitationKind::Link {
            let host_outlet = found[i]
                .url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok())
                .and_then(|u| {
                    u.host_str()
                        .and_then(|h| registry.by_host(h))
                        .map(|o| o.id.clone())
                });
            let target = host_outlet.and_then(|id| {
                (0..found.len()).find(|&j| {
                    j != i
                        && found[j].kind == CitationKind::Inline
                        && found[j].url.is_none()
                        && found[j].line == found[i].line
                        && found[j]
                            .outlet
                            .as_deref()
                            .and_then(|o| registry.lookup(o))
                            .is_some_and(|o| o.id == id)
                })
            });
            if let Some(j) = target {
                let link = found.remove(i);
                let j = if j > i { j - 1 } else { j };
                found[j].url = link.url;
                found[j].headline = link.headline.or(found[j].headline.take());
                found[j].kind = CitationKind::Link;
                continue;
            }
        }
        i += 1;
    }
}

/// `原标题：Y` gives the headline of the source named on a neighbouring `来源：X` line.
fn merge_original_titles(found: &mut Vec<Found>) {
    let mut i = 0;
    while i < found.len() {
        let is_title_only = found[i].outlet.is_none()
            && found[i].headline.is_some()
            && found[i].url.is_none()
            && found[i].kind == CitationKind::SourceLine;
        if is_title_only {
            let near = (0..found.len()).find(|&j| {
                j != i
                    && found[j].kind == CitationKind::SourceLine
                    && found[j].headline.is_none()
                    && found[j].outlet.is_some()
                    && found[j].line.abs_diff(found[i].line) <= 2
            });
            if let Some(j) = near {
                found[j].headline = found[i].headline.take();
                found.remove(i);
                continue;
            }
        }
        i += 1;
    }
}

fn looks_like_headline(text: &str) -> bool {
    let cjk = text.chars().filter(|&c| crate::text::is_cjk(c)).count();
    cjk >= 6 || text.split_whitespace().count() >= 4
}

fn char_col(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

fn in_block(block: &Block, registry: &OutletRegistry) -> Vec<Found> {
    let p = patterns();
    let text = block.text.as_str();
    let trimmed = text.trim();
    let at = |byte: usize| -> (usize, usize) { block.position(char_col(text, byte)) };
    let mut out = Vec::new();

    // A whole line that is a source-list entry.
    if let Some(c) = p.source_line.captures(trimmed) {
        let rest = c.name("rest").map_or("", |m| m.as_str()).trim();
        let (outlet, headline) = split_outlet_headline(rest, registry);
        let url = p.bare_url.find(rest).map(|m| m.as_str().to_string());
        let (line, column) = at(0);
        out.push(Found {
            kind: CitationKind::SourceLine,
            outlet,
            headline,
            url,
            line,
            column,
        });
        return out;
    }
    if let Some(c) = p.original_title.captures(trimmed) {
        let (line, column) = at(0);
        out.push(Found {
            kind: CitationKind::SourceLine,
            outlet: None,
            headline: c.name("headline").map(|m| clean_headline(m.as_str())),
            url: None,
            line,
            column,
        });
        return out;
    }
    if let Some(c) = p.en_source_line.captures(trimmed) {
        let outlet = c.name("outlet").map(|m| m.as_str().trim().to_string());
        let headline = c
            .name("headline")
            .or_else(|| c.name("plain"))
            .map(|m| clean_headline(m.as_str()))
            .filter(|h| !h.starts_with("http"));
        let url = p.bare_url.find(trimmed).map(|m| m.as_str().to_string());
        if outlet.as_deref().is_some_and(|o| !o.is_empty()) {
            let (line, column) = at(0);
            out.push(Found {
                kind: CitationKind::SourceLine,
                outlet,
                headline,
                url,
                line,
                column,
            });
            return out;
        }
    }

    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut push_inline = |out: &mut Vec<Found>, start: usize, end: usize, outlet: &str| {
        if taken.iter().any(|&(s, e)| start < e && s < end) {
            return;
        }
        taken.push((start, end));
        let (line, column) = at(start);
        out.push(Found {
            kind: CitationKind::Inline,
            outlet: Some(trim_outlet(outlet)),
            headline: None,
            url: None,
            line,
            column,
        });
    };
    for c in p.origin_line.captures_iter(text) {
        let m = c.name("outlet").expect("group exists");
        let outlet = trim_outlet(m.as_str());
        if is_outlet_like(&outlet, registry) {
            push_inline(&mut out, m.start(), m.end(), &outlet);
        }
    }
    for c in p.ju_report.captures_iter(text) {
        let m = c.name("outlet").expect("group exists");
        let outlet = trim_outlet(m.as_str());
        if is_outlet_like(&outlet, registry) {
            let whole = c.get(0).expect("match");
            push_inline(&mut out, whole.start(), whole.end(), &outlet);
        }
    }
    for c in p.reported_says.captures_iter(text) {
        let m = c.name("outlet").expect("group exists");
        // Only the tail of the run before 报道称 can be the outlet: take the longest registry
        // name or unnamed group it ends with.
        let candidate = m.as_str();
        if let Some((offset, outlet)) = outlet_suffix(candidate, registry) {
            push_inline(&mut out, m.start() + offset, m.end(), &outlet);
        }
    }
    for c in p.according_to.captures_iter(text) {
        let m = c.name("outlet").expect("group exists");
        if let Some(outlet) = longest_registered_prefix(m.as_str(), registry) {
            let whole = c.get(0).expect("match");
            push_inline(&mut out, whole.start(), whole.end(), &outlet);
        }
    }
    for c in p.reported_by.captures_iter(text) {
        let m = c.name("outlet").expect("group exists");
        if let Some((offset, outlet)) = longest_registered_suffix_words(m.as_str(), registry) {
            push_inline(&mut out, m.start() + offset, m.end(), &outlet);
        }
    }
    for m in p.bare_url.find_iter(text) {
        if taken.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
            continue;
        }
        taken.push((m.start(), m.end()));
        let (line, column) = at(m.start());
        out.push(Found {
            kind: CitationKind::Link,
            outlet: None,
            headline: None,
            url: Some(m.as_str().trim_end_matches(['.', ',', ';']).to_string()),
            line,
            column,
        });
    }
    out.sort_by_key(|f| (f.line, f.column));
    out
}

/// Splits `环球网:美媒:标题` or `环球网《标题》` or `环球网 “标题”` into outlet and headline.
fn split_outlet_headline(
    rest: &str,
    registry: &OutletRegistry,
) -> (Option<String>, Option<String>) {
    let rest = rest.trim();
    if let Some(i) = rest.find(['《', '“', '「', '『', '"']) {
        let outlet = trim_outlet(&rest[..i]);
        let headline = clean_headline(&rest[i..]);
        return (non_empty(outlet), non_empty(headline));
    }
    if let Some(i) = rest.find([':', '：']) {
        let outlet = trim_outlet(&rest[..i]);
        let after = &rest[i..];
        let sep = after.chars().next().map_or(0, char::len_utf8);
        let headline = after[sep..].trim().to_string();
        return (non_empty(outlet), non_empty(headline));
    }
    if let Some(i) = rest.find([' ', '\u{3000}', '—', '-', '|']) {
        let outlet = trim_outlet(&rest[..i]);
        if registry.lookup(&outlet).is_some() {
            let headline =
                clean_headline(rest[i..].trim_start_matches([' ', '\u{3000}', '—', '-', '|']));
            return (non_empty(outlet), non_empty(headline));
        }
    }
    (non_empty(trim_outlet(rest)), None)
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn trim_outlet(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("the ")
        .or_else(|| s.strip_prefix("The "))
        .unwrap_or(s);
    s.trim()
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '《' | '》' | '“' | '”' | '"' | '*' | '(' | ')' | '（' | '）' | '[' | ']'
                )
        })
        .to_string()
}

/// Removes the quotes or book-title marks around a headline; keeps its own punctuation.
fn clean_headline(s: &str) -> String {
    let t = s.trim();
    let pairs = [
        ('《', '》'),
        ('“', '”'),
        ('「', '」'),
        ('『', '』'),
        ('"', '"'),
    ];
    for (open, close) in pairs {
        if let Some(inner) = t.strip_prefix(open) {
            let inner = inner.strip_suffix(close).unwrap_or(inner);
            if let Some(end) = inner.find(close) {
                // `“标题”，2024年` — take only the quoted part.
                return inner[..end].trim().to_string();
            }
            return inner.trim().to_string();
        }
    }
    t.trim_end_matches(['。', '.']).to_string()
}

/// Whether `name` could be an outlet: in the registry, an unnamed group, or shaped like an
/// outlet's name (ends in 社, 报, 网, 台, 新闻, 媒).
fn is_outlet_like(name: &str, registry: &OutletRegistry) -> bool {
    if name.chars().count() < 2 {
        return false;
    }
    if registry.lookup(name).is_some() || UNNAMED_SOURCES.contains(&name) {
        return true;
    }
    let folded = crate::text::fold(name);
    [
        "社", "报", "网", "台", "新闻", "媒", "日报", "时报", "周刊", "通讯",
    ]
    .iter()
    .any(|s| folded.ends_with(s))
}

/// The longest tail of `run` that names an outlet or an unnamed group, with its byte offset.
fn outlet_suffix(run: &str, registry: &OutletRegistry) -> Option<(usize, String)> {
    for (i, _) in run.char_indices() {
        let tail = &run[i..];
        if tail.chars().count() < 2 {
            break;
        }
        if registry.lookup(tail).is_some() || UNNAMED_SOURCES.contains(&tail) {
            return Some((i, tail.to_string()));
        }
    }
    None
}

/// The longest run of leading words of `words` that the registry knows (`the Associated Press`).
fn longest_registered_prefix(words: &str, registry: &OutletRegistry) -> Option<String> {
    let parts: Vec<&str> = words.split_whitespace().collect();
    for n in (1..=parts.len().min(6)).rev() {
        let name = parts[..n].join(" ");
        let name = name.trim_end_matches(['.', ',', '\'']).to_string();
        if registry.lookup(&name).is_some() {
            return Some(name);
        }
    }
    None
}

/// The longest run of trailing words of `words` that the registry knows, with its byte offset.
fn longest_registered_suffix_words(
    words: &str,
    registry: &OutletRegistry,
) -> Option<(usize, String)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(words.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    for &s in &starts {
        let name = &words[s..];
        if registry.lookup(name).is_some() {
            return Some((s, name.to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(text: &str) -> Vec<Citation> {
        let doc = crate::document::parse("t.txt", text.as_bytes(), None).expect("parses");
        citations(&doc, &OutletRegistry::builtin())
    }

    #[test]
    fn seed_source_lines() {
        let c = cites("标题\n\n正文。\n\n信源来自于鲁中晨报:美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片\n\n信源来自于环球网:美媒:因美政府扩大对华芯片出口限制,英伟达可能丢掉价值超50亿美元订单\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].outlet.as_deref(), Some("鲁中晨报"));
        assert_eq!(
            c[0].headline.as_deref(),
            Some("美国被曝考虑限制英伟达、AMD等向中东国家出口AI芯片")
        );
        assert_eq!(c[0].line, 5);
        assert_eq!(c[1].outlet.as_deref(), Some("环球网"));
        assert_eq!(
            c[1].headline.as_deref(),
            Some("美媒:因美政府扩大对华芯片出口限制,英伟达可能丢掉价值超50亿美元订单")
        );
        assert!(c[1].registry_outlet.is_some());
    }

    #[test]
    fn full_width_colon_and_book_marks() {
        let c = cites("标题\n信源：新华社《中国经济稳中向好》\n");
        assert_eq!(c[0].outlet.as_deref(), Some("新华社"));
        assert_eq!(c[0].headline.as_deref(), Some("中国经济稳中向好"));
    }

    #[test]
    fn inline_chinese_attributions() {
        let c = cites("标题\n据新华社报道，港口已恢复作业。来源：人民网\n");
        let outlets: Vec<_> = c.iter().filter_map(|c| c.outlet.as_deref()).collect();
        assert_eq!(outlets, vec!["新华社", "人民网"]);
        assert_eq!(c[0].column, 1);
        assert_eq!(c[0].line, 2);
    }

    #[test]
    fn english_forms() {
        let c = cites("Title\nThe port reopened on Monday, according to Reuters.\nSource: AP — \"Port strike ends after three weeks\"\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].outlet.as_deref(), Some("Reuters"));
        assert_eq!(c[1].outlet.as_deref(), Some("AP"));
        assert_eq!(
            c[1].headline.as_deref(),
            Some("Port strike ends after three weeks")
        );
    }

    #[test]
    fn markdown_links_and_bare_urls() {
        let doc = crate::document::parse(
            "a.md",
            b"# T\n\nSee [Port strike ends after three weeks](https://apnews.com/article/x) and https://www.bbc.com/news/y.\n",
            None,
        )
        .expect("parses");
        let c = citations(&doc, &OutletRegistry::builtin());
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].url.as_deref(), Some("https://apnews.com/article/x"));
        assert_eq!(
            c[0].headline.as_deref(),
            Some("Port strike ends after three weeks")
        );
        assert_eq!(c[1].url.as_deref(), Some("https://www.bbc.com/news/y"));
    }

    #[test]
    fn unnamed_sources_are_citations_without_registry_outlet() {
        let c = cites("标题\n据知情人士透露，谈判已破裂。据美媒报道，交易取消。\n");
        assert!(c
            .iter()
            .any(|c| c.outlet.as_deref() == Some("美媒") && c.registry_outlet.is_none()));
    }
}
