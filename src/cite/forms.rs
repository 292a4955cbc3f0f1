//! The citation forms of one line of an article.
//!
//! Whole-line forms come first (a source-list entry, `来源：X`, `原标题：Y`, `Source: X — "Y"`,
//! a numbered reference `[1] Reuters, "Y", 12 May 2024, https://…`): such a line is one
//! citation per entry and nothing else. Otherwise the line is searched for attributions inside
//! sentences (`据X报道`, `according to X`, datelines, bare URLs); where two forms cover the
//! same words the one tried first wins.

use super::extract::{clean_headline, looks_like_headline, trim_outlet, UNNAMED_SOURCES};
use super::patterns::patterns;
use super::registry::OutletRegistry;
use crate::model::{Block, BlockKind, CitationKind};
use std::cell::Cell;
use std::collections::BTreeMap;

/// A citation before ids are assigned.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub kind: CitationKind,
    pub outlet: Option<String>,
    pub headline: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub line: usize,
    pub column: usize,
    /// A link's text as shown (links only): `来源：[<a>国际金融报</a>]` names the source line's
    /// outlet with it.
    pub link_text: Option<String>,
}

/// One entry of a source list, relative to the line it sits on.
#[derive(Debug, Default)]
struct Entry {
    /// Byte offset in the line.
    offset: usize,
    outlet: Option<String>,
    headline: Option<String>,
    url: Option<String>,
    date: Option<String>,
}

/// Byte offset -> char offset for increasing offsets in one pass (a reset when a later pattern
/// starts again from the left), so many matches in a long line stay linear.
struct Cols<'a> {
    text: &'a str,
    last: Cell<(usize, usize)>,
}

impl Cols<'_> {
    fn chars_at(&self, byte: usize) -> usize {
        let (b, c) = self.last.get();
        let n = if byte >= b {
            c + self.text[b..byte].chars().count()
        } else {
            self.text[..byte].chars().count()
        };
        self.last.set((byte, n));
        n
    }
}

/// Collects inline citations; the first form to cover some words keeps them.
struct Sink<'a> {
    block: &'a Block,
    cols: Cols<'a>,
    /// Taken byte spans, start -> end, never overlapping each other.
    taken: BTreeMap<usize, usize>,
    out: Vec<Found>,
}

impl Sink<'_> {
    fn is_free(&self, start: usize, end: usize) -> bool {
        let before = self.taken.range(..end).next_back();
        before.is_none_or(|(_, &e)| e <= start)
    }

    fn take(&mut self, start: usize, end: usize) -> bool {
        if !self.is_free(start, end) {
            return false;
        }
        self.taken.insert(start, end.max(start + 1));
        true
    }

    fn found(&self, at: usize, kind: CitationKind) -> Found {
        let (line, column) = self.block.position(self.cols.chars_at(at));
        Found {
            kind,
            outlet: None,
            headline: None,
            url: None,
            date: None,
            line,
            column,
            link_text: None,
        }
    }

    fn inline(&mut self, start: usize, end: usize, outlet: &str, headline: Option<String>) {
        if self.take(start, end) {
            self.push_inline(start, outlet, headline);
        }
    }

    fn push_inline(&mut self, at: usize, outlet: &str, headline: Option<String>) {
        let mut f = self.found(at, CitationKind::Inline);
        f.outlet = Some(trim_outlet(outlet));
        f.headline = headline;
        self.out.push(f);
    }
}

/// The outlet an attribution in `text` names (`the Financial Times reported`, `according to
/// AP`, `据新华社报道`), for link texts that are attributions rather than headlines.
pub(super) fn attribution_outlet(text: &str, registry: &OutletRegistry) -> Option<String> {
    let block = Block::new(BlockKind::Paragraph, text, 1, 1);
    let mut sink = Sink {
        block: &block,
        cols: Cols {
            text,
            last: Cell::new((0, 0)),
        },
        taken: BTreeMap::new(),
        out: Vec::new(),
    };
    chinese_inline(&mut sink, text, registry);
    english_inline(&mut sink, text, 0, registry);
    sink.out.into_iter().find_map(|f| f.outlet)
}

/// The citations written in one line of a block.
pub(super) fn in_block(block: &Block, registry: &OutletRegistry) -> Vec<Found> {
    let text = block.text.as_str();
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    let mut sink = Sink {
        block,
        cols: Cols {
            text,
            last: Cell::new((0, 0)),
        },
        taken: BTreeMap::new(),
        out: Vec::new(),
    };
    if let Some(entries) = whole_line(trimmed, block.kind, registry) {
        for e in entries {
            let mut f = sink.found(lead + e.offset, CitationKind::SourceLine);
            f.outlet = e.outlet;
            f.headline = e.headline;
            f.url = e.url;
            f.date = e.date;
            sink.out.push(f);
        }
        return sink.out;
    }
    let masked = mask_section_tags(&mut sink, text, registry);
    let text_in = masked.as_deref().unwrap_or(text);
    paren_url(&mut sink, text_in, registry);
    chinese_inline(&mut sink, text_in, registry);
    english_inline(&mut sink, text_in, lead, registry);
    let p = patterns();
    let urls = text.contains("http");
    for m in p.bare_url.find_iter(text).filter(|_| urls) {
        // `可访问我的个人网站：http://www.example.com/`: a site, not a report. A registry
        // outlet's home page still cites the outlet (`来源：人民网 http://www.people.com.cn/`).
        let url = trim_url(m.as_str());
        // The rules for links hold for written URLs too (downloads, ads, tag pages, home pages).
        if !super::extract::links_to_a_source(&url, registry.by_url(&url).is_some()) {
            continue;
        }
        if sink.take(m.start(), m.end()) {
            let mut f = sink.found(m.start(), CitationKind::Link);
            f.url = Some(trim_url(m.as_str()));
            sink.out.push(f);
        }
    }
    sink.out.sort_by_key(|f| (f.line, f.column));
    sink.out
}

/// Blanks out the section tags of a line (`【财经观察】`, `〔国际〕`, a leading `[国际]` or
/// `「專題」`) so no form takes a section's name for an outlet or glues its bracket to the
/// outlet that follows (`【栏目】X报道称` cites X). Each character becomes whitespace of the same
/// UTF-8 length, so byte offsets and columns stay those of the line. A tag that is itself an
/// attribution, `【环球网报道】` or `【新华社讯】`, is cited here; a tag that is only an outlet's
/// name in corner quotes (`「明報」報道`) is left to the other forms. `None`: nothing to blank.
fn mask_section_tags(sink: &mut Sink, text: &str, registry: &OutletRegistry) -> Option<String> {
    if !text.contains(['【', '〔', '[', '「']) {
        return None;
    }
    let mut out: Option<String> = None;
    for c in patterns().section_tag.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let inner = ["lent", "tort", "sq", "corner"]
            .iter()
            .find_map(|g| c.name(g))
            .expect("one group matches");
        let name = inner.as_str().trim();
        if c.name("corner").is_some() || c.name("sq").is_some() {
            // `「明報」報道`, `[Reuters]`: a name in marks, not a section.
            if registry.lookup(name).is_some() {
                continue;
            }
        }
        if c.name("lent").is_some() || c.name("tort").is_some() {
            if let Some(outlet) = tag_attribution(name, registry) {
                sink.inline(inner.start(), whole.end(), &outlet, None);
                continue;
            }
        }
        let start = whole.start() + (whole.as_str().len() - whole.as_str().trim_start().len());
        if text[start..whole.end()]
            .chars()
            .any(|ch| ch.len_utf8() == 4)
        {
            continue;
        }
        let buf = out.get_or_insert_with(|| text.to_string());
        let blank: String = text[start..whole.end()]
            .chars()
            .map(|ch| match ch.len_utf8() {
                1 => " ",
                2 => "\u{a0}",
                _ => "\u{3000}",
            })
            .collect();
        buf.replace_range(start..whole.end(), &blank);
    }
    out
}

/// `环球网报道 记者 张三`, `新华社讯`, `路透社消息`: the outlet a bracketed tag attributes to.
fn tag_attribution(inner: &str, registry: &OutletRegistry) -> Option<String> {
    let head = inner.split_whitespace().next()?;
    for verb in [
        "综合报道",
        "綜合報導",
        "报道",
        "報導",
        "報道",
        "讯",
        "訊",
        "消息",
        "电",
        "電",
    ] {
        if let Some(name) = head.strip_suffix(verb) {
            if registry.lookup(name).is_some() {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// `（新华社，https://…）`, `(Reuters, 12 May 2024, https://…)`: one citation with the outlet
/// and the URL, not an outlet-less link.
fn paren_url(sink: &mut Sink, text: &str, registry: &OutletRegistry) {
    if !text.contains("http") {
        return;
    }
    let p = patterns();
    for c in p.paren_url.captures_iter(text) {
        let m = c.name("outlet").expect("group exists");
        let written = trim_outlet(m.as_str());
        // `（详见新华社，…）`: the registry's name at the end of the words, else the words.
        let outlet = match outlet_suffix(&written, registry) {
            Some((off, tail)) if off == 0 || tail.starts_with(crate::text::is_cjk) => tail,
            _ => written,
        };
        let url = c.name("url").expect("group exists").as_str();
        let named = is_outlet_like(&outlet, registry)
            || is_title_case_name(&outlet) && name_in_host(&outlet, url);
        if !named || UNNAMED_SOURCES.contains(&outlet.as_str()) {
            continue;
        }
        let whole = c.get(0).expect("match");
        if !sink.take(whole.start(), whole.end()) {
            continue;
        }
        let mid = c.name("mid").map(|m| m.as_str()).unwrap_or_default();
        let date = p.date.find(mid).map(|d| d.as_str().to_string());
        let quoted = mid.trim_start();
        let headline = quoted
            .starts_with(['“', '"', '《', '「', '『'])
            .then(|| clean_headline(quoted))
            .and_then(non_empty);
        let mut f = sink.found(m.start(), CitationKind::Link);
        f.outlet = Some(outlet);
        f.headline = headline;
        f.date = date;
        f.url = Some(trim_url(url));
        sink.out.push(f);
    }
}

/// Whether any of `needles` occurs in `text`: a cheap test before a costly pattern runs.
fn has_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}

fn trim_url(url: &str) -> String {
    url.trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_'])
        .to_string()
}

/// A line that is a source-list entry or a list of them: `Some` (perhaps empty, for a bare
/// `Sources:` heading) when the whole line is one, `None` when the line is prose.
/// `来源: X` after what a portal's date cell writes before it: the date and time, a
/// `发布时间：` label, the site's name in capitals, the author in brackets
/// (`2004-12-10 11:55:08 来源: 网易商业报道`, `发布时间：2022-02-13 04:22:18 来源：云南日报`,
/// `BUSINESS.SOHU.COM 2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]`); any other line as it is.
pub fn after_leading_datetime(line: &str) -> &str {
    const LABELS: &[&str] = &[
        "发布时间",
        "發布時間",
        "更新时间",
        "更新時間",
        "时间",
        "時間",
        "日期",
        "发布",
        "發布",
    ];
    /// Longest prefix taken, in characters: a cell's date and credit, not a sentence.
    const MAX_PREFIX_CHARS: usize = 48;
    let mut rest = line;
    let mut dated = false;
    loop {
        let before = rest.len();
        // Private-use characters too: legacy GBK pages decode some spacing bytes to them.
        rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '\u{a0}' | '|' | '｜' | '\u{e000}'..='\u{f8ff}')
        });
        if let Some(label) = LABELS.iter().find(|l| rest.starts_with(*l)) {
            rest = rest[label.len()..].trim_start_matches([':', '：']);
        }
        let stripped = rest.trim_start_matches(|c: char| {
            c.is_ascii_alphanumeric() || "-/:.年月日时分秒".contains(c)
        });
        dated |= rest[..rest.len() - stripped.len()].contains(|c: char| c.is_ascii_digit());
        rest = stripped;
        // The author in brackets: `[ 黄宇 ]`, `【记者 张三】`.
        if let Some(inner) = rest.strip_prefix(['[', '【']) {
            if let Some(close) = inner.find([']', '】']) {
                if inner[..close].trim().chars().count() <= 8 && !inner[..close].contains("来源")
                {
                    rest =
                        &inner[close + inner[close..].chars().next().map_or(1, char::len_utf8)..];
                }
            }
        }
        if rest.len() == before {
            break;
        }
    }
    let prefix_chars = line[..line.len() - rest.len()].chars().count();
    if dated
        && prefix_chars <= MAX_PREFIX_CHARS
        && ["来源", "來源", "稿源"].iter().any(|l| rest.starts_with(l))
    {
        rest
    } else {
        line
    }
}

/// A portal's dateline that ends with the outlets it took the story from
/// (`AUTO.SOHU.COM 2003年11月12日16:36 金羊网—新快报`).
pub fn is_dated_credit(line: &str) -> bool {
    patterns().dateline_outlets.is_match(line.trim())
}

fn whole_line(line: &str, kind: BlockKind, registry: &OutletRegistry) -> Option<Vec<Entry>> {
    let p = patterns();
    if let Some(c) = p.source_line.captures(line) {
        let rest = c.name("rest").expect("group exists");
        let (outlet, headline) = split_outlet_headline(rest.as_str(), registry);
        let (headline, date) = split_trailing_date(headline);
        let url = p.bare_url.find(rest.as_str()).map(|m| trim_url(m.as_str()));
        return Some(vec![Entry {
            offset: 0,
            outlet,
            headline,
            url,
            date,
        }]);
    }
    if let Some(c) = p.original_title.captures(line) {
        return Some(vec![Entry {
            offset: 0,
            headline: c.name("headline").map(|m| clean_headline(m.as_str())),
            ..Entry::default()
        }]);
    }
    let undated = after_leading_datetime(line);
    if let Some(c) = p.origin_start.captures(undated) {
        let rest = c.name("rest").expect("group exists");
        let mut entry = origin_entry(rest.as_str(), registry);
        // After a date cell's date, the citation is where its outlet is written.
        if undated.len() < line.len() {
            if let Some(e) = entry.as_mut() {
                let prefix = line.len() - undated.len();
                let at = e
                    .outlet
                    .as_deref()
                    .and_then(|o| rest.as_str().find(o))
                    .unwrap_or(0);
                e.offset = prefix + rest.start() + at;
            }
        }
        return Some(entry.into_iter().collect());
    }
    if let Some(c) = p.en_source_line.captures(line) {
        let rest = c.name("rest").expect("group exists");
        if rest.as_str().is_empty() {
            return Some(Vec::new());
        }
        let mut entries = Vec::new();
        for (off, part) in split_entries(rest.as_str()) {
            if let Some(mut e) = parse_entry(part, registry, false) {
                // The first entry is cited from the start of the line, as before.
                e.offset = if entries.is_empty() {
                    0
                } else {
                    rest.start() + off
                };
                entries.push(e);
            }
        }
        if !entries.is_empty() {
            return Some(entries);
        }
        return None;
    }
    if let Some(c) = p.paper_edition.captures(line) {
        let outlet = c.name("outlet").expect("group exists").as_str().trim();
        if registry.lookup(outlet).is_some() || is_outlet_like(outlet, registry) {
            return Some(vec![Entry {
                offset: 0,
                outlet: Some(outlet.to_string()),
                date: c
                    .name("date")
                    .map(|m| m.as_str().split_whitespace().collect()),
                ..Entry::default()
            }]);
        }
    }
    if let Some(c) = p.dateline_outlets.captures(line) {
        let run = c.name("outlets").expect("group exists");
        let entries: Vec<Entry> = run
            .as_str()
            .split(['—', '－', '-'])
            .map(str::trim)
            .filter(|name| is_outlet_like(name, registry))
            .map(|name| Entry {
                offset: run.start() + run.as_str().find(name).unwrap_or(0),
                outlet: Some(name.to_string()),
                ..Entry::default()
            })
            .collect();
        if !entries.is_empty() {
            return Some(entries);
        }
    }
    // A registered outlet alone on its line (`21世纪经济报道`, `网易商业报道`): the credit line of
    // a portal's copy.
    if kind == BlockKind::Paragraph && line.chars().count() <= 20 {
        let name = line.trim();
        let bare = name
            .strip_suffix("报道")
            .or_else(|| name.strip_suffix("報導"))
            .filter(|b| b.chars().count() >= 2)
            .unwrap_or(name);
        if !bare.contains(char::is_whitespace)
            && (registry.lookup(name).is_some() || is_outlet_section(name, registry))
        {
            return Some(vec![Entry {
                offset: 0,
                outlet: Some(name.to_string()),
                ..Entry::default()
            }]);
        }
    }
    if line.chars().count() <= 100 && kind != BlockKind::Title {
        if let Some(c) = p.wire_byline.captures(line) {
            let written = c.name("outlet").expect("group exists").as_str();
            if registry.lookup(written).is_some() {
                return Some(vec![Entry {
                    offset: c.name("outlet").map_or(0, |m| m.start()),
                    outlet: Some(written.to_string()),
                    ..Entry::default()
                }]);
            }
        }
    }
    if let Some(c) = p.gbt_reference.captures(line) {
        // `华北电力大学(河北)`: the campus in brackets is not part of the school's name.
        let outlet = c.name("outlet").map(|m| {
            let o = m.as_str().trim();
            let o = match o.find(['(', '（']) {
                Some(i) if i > 0 && o.ends_with([')', '）']) => &o[..i],
                _ => o,
            };
            o.trim().to_string()
        });
        let headline = c.name("title").map(|m| clean_headline(m.as_str()));
        return Some(vec![Entry {
            offset: 0,
            outlet: outlet.filter(|o| !o.is_empty()),
            headline: headline.and_then(non_empty),
            url: p.bare_url.find(line).map(|m| trim_url(m.as_str())),
            date: c.name("year").map(|m| m.as_str().to_string()),
        }]);
    }
    let marker = p.reference_marker.find(line);
    let listed = matches!(kind, BlockKind::ListItem);
    if marker.is_some() || listed {
        let body = marker.map_or(line, |m| &line[m.end()..]);
        if let Some(e) = parse_entry(body, registry, true) {
            return Some(vec![e]);
        }
    }
    None
}

/// `新华社 原标题：Y`, `新华社《Y》`, `人民网　作者：张三`.
fn origin_entry(rest: &str, registry: &OutletRegistry) -> Option<Entry> {
    let (outlet_part, headline) = match rest.find("原标题").or_else(|| rest.find("原標題")) {
        Some(i) => {
            let h = rest[i..]
                .trim_start_matches("原标题")
                .trim_start_matches("原標題")
                .trim_start_matches([':', '：', ' ']);
            (
                &rest[..i],
                Some(clean_headline(h)).filter(|h| !h.is_empty()),
            )
        }
        None => (rest, None),
    };
    let cut = [
        "作者",
        "编辑",
        "編輯",
        "责任编辑",
        "責任編輯",
        "记者",
        "記者",
        "  ",
        "\u{3000}",
    ]
    .iter()
    .filter_map(|m| outlet_part.find(m))
    .min()
    .unwrap_or(outlet_part.len());
    let (outlet, h2) = split_outlet_headline(&outlet_part[..cut], registry);
    let outlet = outlet.map(|o| {
        o.split_whitespace().next().map_or(o.clone(), |first| {
            if registry.lookup(&o).is_some() {
                o.clone()
            } else {
                first.to_string()
            }
        })
    });
    let headline = headline.or(h2);
    let url = patterns().bare_url.find(rest).map(|m| trim_url(m.as_str()));
    let named = outlet
        .as_deref()
        .is_some_and(|o| is_outlet_like(o, registry) || is_outlet_section(o, registry));
    (named || headline.is_some() || url.is_some()).then(|| Entry {
        offset: 0,
        outlet: outlet.filter(|_| named || headline.is_some()),
        headline,
        url,
        date: None,
    })
}

/// Splits `X, "Y"; Z, "W"` on semicolons outside quotes, with each part's byte offset.
fn split_entries(rest: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_ascii = false;
    let mut start = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '"' => in_ascii = !in_ascii,
            '“' | '《' | '「' | '『' => depth += 1,
            '”' | '》' | '」' | '』' => depth -= 1,
            ';' | '；' if depth <= 0 && !in_ascii => {
                out.push((start, &rest[start..i]));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((start, &rest[start..]));
    out.into_iter()
        .map(|(o, s)| (o + (s.len() - s.trim_start().len()), s.trim()))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// One reference entry: `Reuters, "Y", 12 May 2024, https://…`, `AP — "Y" (https://…)`,
/// `新华社：《Y》，2024年5月12日`. `strict` (a numbered or bulleted line that might be prose)
/// asks for a known or outlet-shaped name and something beside it.
fn parse_entry(entry: &str, registry: &OutletRegistry, strict: bool) -> Option<Entry> {
    let p = patterns();
    let entry = entry
        .trim()
        .trim_end_matches(['↩', '\u{fe0e}', '\u{fe0f}', ' '])
        .trim();
    if entry.is_empty() {
        return None;
    }
    let url_match = p.bare_url.find(entry);
    let url = url_match.map(|m| trim_url(m.as_str()));
    let without_url: String = match url_match {
        Some(m) => {
            let before = entry[..m.start()].trim_end_matches(['(', '（', '<', ' ']);
            let after = entry[m.end()..].trim_start_matches([')', '）', '>']);
            format!("{before}{after}")
        }
        None => entry.to_string(),
    };
    let body = without_url.trim();
    let quote = body
        .char_indices()
        .find(|&(_, c)| matches!(c, '“' | '"' | '《' | '「' | '『'));
    let (outlet_part, headline, rest, quoted) = match quote {
        Some((i, _)) => {
            let h = clean_headline(&body[i..]);
            let after_quote = close_of(&body[i..]).map_or("", |end| &body[i + end..]);
            (&body[..i], Some(h), after_quote.to_string(), true)
        }
        None => {
            let seps = [" — ", " – ", " - ", "—", "–", " | ", ", ", "，", "：", ": "];
            let cut = seps
                .iter()
                .filter_map(|s| body.find(s).map(|i| (i, s.len())))
                .min();
            match cut {
                Some((i, n)) => {
                    let after = &body[i + n..];
                    (&body[..i], None, after.to_string(), false)
                }
                None => (body, None, String::new(), false),
            }
        }
    };
    let date_in = |s: &str| p.date.find(s).map(|m| m.as_str().to_string());
    let date = date_in(&rest).or_else(|| date_in(outlet_part));
    // An unquoted headline is what is left after the date and separators.
    let headline = headline.or_else(|| {
        let mut h = rest.clone();
        if let Some(d) = &date {
            h = h.replace(d.as_str(), "");
        }
        let h = h
            .trim()
            .trim_matches(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        ',' | '，' | '.' | '。' | '(' | ')' | '（' | '）' | '—' | '–' | '-' | '|'
                    )
            })
            .to_string();
        (!h.is_empty()).then_some(h)
    });
    let mut outlet_text = outlet_part.to_string();
    if let Some(d) = &date {
        outlet_text = outlet_text.replace(d.as_str(), "");
    }
    let outlet = trim_outlet(outlet_text.trim_end_matches(['(', '（', ' ', ',', '，']));
    let outlet = (!outlet.is_empty()).then_some(outlet);
    let known = outlet
        .as_deref()
        .is_some_and(|o| registry.lookup(o).is_some() || UNNAMED_SOURCES.contains(&o));
    let shaped = outlet
        .as_deref()
        .is_some_and(|o| is_outlet_like(o, registry));
    let short = outlet.as_deref().is_some_and(|o| {
        o.split_whitespace().count() <= 5 && o.chars().count() <= 40 && !o.ends_with(['.', '。'])
    });
    let accept = if strict {
        match &outlet {
            None => url.is_some() && headline.is_none(),
            Some(_) => {
                (known && (headline.is_some() || url.is_some() || date.is_some()))
                    || (shaped && (quoted || url.is_some() || date.is_some()))
                    || (short && quoted && (url.is_some() || date.is_some()))
            }
        }
    } else {
        outlet.is_some() && short || url.is_some()
    };
    if !accept {
        return None;
    }
    // An unquoted remainder that is only prose about the outlet is no headline.
    let headline = headline.filter(|h| quoted || !strict || known || looks_like_headline(h));
    Some(Entry {
        offset: 0,
        outlet: if outlet.as_deref().is_some_and(|o| o.starts_with("http")) {
            None
        } else {
            outlet
        },
        headline: headline.filter(|h| !h.starts_with("http")),
        url,
        date,
    })
}

/// Byte offset just past the quote that closes the one `s` starts with.
fn close_of(s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    let close = match open {
        '“' => '”',
        '《' => '》',
        '「' => '」',
        '『' => '』',
        _ => '"',
    };
    let inner = &s[open.len_utf8()..];
    inner
        .find(close)
        .map(|i| open.len_utf8() + i + close.len_utf8())
}

/// `标题，2024年5月12日` -> (`标题`, `2024年5月12日`); a headline without a trailing date is kept.
fn split_trailing_date(headline: Option<String>) -> (Option<String>, Option<String>) {
    let Some(h) = headline else {
        return (None, None);
    };
    if let Some(m) = patterns().date.find_iter(&h).last() {
        let before = h[..m.start()].trim_end();
        let sep = before.ends_with([',', '，', ' ', '|']);
        if m.end() == h.trim_end().len() && sep {
            let head = before.trim_end_matches([',', '，', ' ', '|']).to_string();
            if !head.is_empty() {
                return (Some(head), Some(m.as_str().to_string()));
            }
        }
    }
    (Some(h), None)
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
        if !rest[i..].starts_with("://") {
            let outlet = trim_outlet(&rest[..i]);
            let after = &rest[i..];
            let sep = after.chars().next().map_or(0, char::len_utf8);
            let headline = after[sep..].trim().to_string();
            return (non_empty(outlet), non_empty(headline));
        }
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

/// Whether `name` could be an outlet: in the registry, an unnamed group, or shaped like an
/// outlet's name (ends in 社, 报, 网, 台, 新闻, 媒).
/// A registered outlet's name, or its name and a section of two to four characters, with or
/// without `报道` (`网易商业报道`, `腾讯科技`, `新浪汽车`): how portals credit their own desks.
pub(super) fn is_outlet_section(name: &str, registry: &OutletRegistry) -> bool {
    let name = name.trim();
    let bare = name
        .strip_suffix("报道")
        .or_else(|| name.strip_suffix("報導"))
        .filter(|b| b.chars().count() >= 2)
        .unwrap_or(name);
    if registry.lookup(bare).is_some() {
        return true;
    }
    let n = bare.chars().count();
    bare.chars().all(crate::text::is_cjk)
        && registry
            .find_mentions(bare)
            .iter()
            .any(|m| m.start == 0 && n - m.end <= 4 && (n == m.end || n - m.end >= 2))
}

/// The registered outlet whose desk `name` is (`网易商业报道` -> 网易), per [`is_outlet_section`].
pub(super) fn section_outlet<'r>(
    name: &str,
    registry: &'r OutletRegistry,
) -> Option<&'r crate::cite::registry::Outlet> {
    if !is_outlet_section(name, registry) {
        return None;
    }
    let mention = registry.find_mentions(name.trim()).into_iter().next()?;
    registry.get(&mention.outlet_id)
}

pub(super) fn is_outlet_like(name: &str, registry: &OutletRegistry) -> bool {
    let n = name.chars().count();
    if !(2..=24).contains(&n) {
        return false;
    }
    if registry.lookup(name).is_some() || UNNAMED_SOURCES.contains(&name) {
        return true;
    }
    if name.starts_with('本') || name.starts_with('该') || name.starts_with('該') {
        return false;
    }
    let folded = crate::text::fold(name);
    if !folded
        .chars()
        .all(|c| crate::text::is_cjk(c) || c.is_alphanumeric())
    {
        return false;
    }
    [
        "社", "报", "网", "台", "新闻", "媒", "日报", "时报", "周刊", "通讯", "杂志",
    ]
    .iter()
    .any(|s| folded.ends_with(s))
}

/// Name endings of periodicals that cite only in book-title marks (`《X学术季刊》`): on their
/// own they name too many other things.
const PERIODICAL_SUFFIXES: &[&str] = &[
    "季刊",
    "月刊",
    "双月刊",
    "文摘",
    "年鉴",
    "专刊",
    "学报",
    "期刊",
    "画报",
    "晚报",
    "周报",
];
/// Verbs after `《X》上` that make the periodical the place of publication.
const PUBLISHED_IN: &[&str] = &[
    "发表", "發表", "刊登", "刊发", "刊發", "指出", "报道", "報導",
];

/// `《华尔街日报》的一篇文章报道说`, `在美国《读者文摘》杂志上发表`, `接受《纽约时报》采访`,
/// `摘自《X学术季刊》2000年第2期`, `就在最新的《X杂志》上，英国医生发表的文章指出`: a
/// periodical in book-title marks as the place a report appeared, with no headline. The name
/// must be a registry outlet or read as a periodical (`…报`, `…杂志`, `…季刊`), so a book
/// (`《红楼梦》`) or a film never cites.
fn book_periodical(sink: &mut Sink, text: &str, registry: &OutletRegistry) {
    if !text.contains('《') {
        return;
    }
    for c in patterns().book_periodical.captures_iter(text) {
        let name_m = c.name("name").expect("group exists");
        let mut name = name_m.as_str().trim().to_string();
        let kind = c.name("kind").map_or("", |m| m.as_str());
        let folded = crate::text::fold(&name);
        let periodical = registry.lookup(&name).is_some()
            || is_outlet_like(&name, registry)
            || PERIODICAL_SUFFIXES.iter().any(|s| folded.ends_with(s))
            || matches!(kind, "杂志" | "雜誌" | "周刊" | "週刊");
        // What stands just before the marks: `摘自`, `接受`, `在美国`.
        let mut lead: Vec<char> = text[..name_m.start() - '《'.len_utf8()]
            .chars()
            .rev()
            .take(6)
            .collect();
        lead.reverse();
        let lead: String = lead.into_iter().collect();
        // `被美国《消费者报告》评为“最可靠汽车”`: rated by a publication, whatever its name.
        // Right after the closing mark, or after the kind word (`《时代》杂志`).
        let after_marks = &text[c
            .name("kind")
            .map_or(name_m.end() + '》'.len_utf8(), |k| k.end())..];
        let rated = lead.contains('被') && RATED_AS.iter().any(|v| after_marks.starts_with(v));
        if !periodical && !rated {
            continue;
        }
        let post = c.name("post").map_or("", |m| m.as_str());
        let whole = c.get(0).expect("match");
        let rest = &text[whole.end()..];
        let sentence_rest: &str = rest.split(['。', '！', '？', '\n']).next().unwrap_or("");
        let excerpt = ["摘自", "选自", "選自", "转载自", "轉載自", "转自", "轉自"]
            .iter()
            .any(|w| lead.ends_with(w))
            || c.name("issue").is_some();
        let interview = lead.contains("接受")
            && ["采访", "採訪", "专访", "專訪"]
                .iter()
                .any(|w| post.contains(w));
        let published_in = post.contains('上')
            && (PUBLISHED_IN.iter().any(|v| post.contains(v))
                || PUBLISHED_IN.iter().any(|v| sentence_rest.contains(v)));
        let reported = post.starts_with('的')
            && [
                "报道", "報導", "報道", "指出", "称", "稱", "说", "說", "披露",
            ]
            .iter()
            .any(|v| post.ends_with(v));
        // `《外科年鉴》刊登的…文章`, `《英国运动医学专刊》（British Journal…）发表了`: a periodical
        // by its name, then at once a verb of publishing.
        let after = match sentence_rest.strip_prefix(['（', '(']) {
            Some(inner) => inner.find(['）', ')']).map_or(sentence_rest, |i| {
                let close = inner[i..].chars().next().map_or(0, char::len_utf8);
                &inner[i + close..]
            }),
            None => sentence_rest,
        };
        let by_name = registry.lookup(&name).is_some()
            || PERIODICAL_SUFFIXES.iter().any(|s| folded.ends_with(s));
        // (A registered name with its short name in brackets, `《金融时报》（FT）报道`, is the
        // full-and-short form's.)
        let published_directly = by_name
            && (PUBLISHED_IN.iter().any(|v| post.starts_with(v))
                || (post.is_empty()
                    && registry.lookup(&name).is_none()
                    && PUBLISHED_IN.iter().any(|v| after.starts_with(v))));
        if !(excerpt || interview || published_in || reported || published_directly || rated) {
            continue;
        }
        if registry.lookup(&name).is_none() && (kind == "报" || kind == "報") {
            name.push_str(kind);
        }
        let start = name_m.start() - '《'.len_utf8();
        sink.inline(start, whole.end(), &name, None);
    }
}

/// Verbs of a publication's rating, after `被《X》`: `评为`, `评选为` (not `列为`: a plan lists things too).
const RATED_AS: &[&str] = &["评为", "評為", "评选为", "評選為", "选为", "選為"];

/// Words that open a clause before a name (`而法国星期天报说`, `此外，`): not part of it.
const LEAD_WORDS: &[&str] = &[
    "据", "據", "而", "但", "另", "又", "并", "並", "同时", "同時", "此外", "对此", "對此", "其中",
    "另外", "还有", "還有", "不过", "不過", "这是", "這是",
];

/// `run` without the clause-opening words in front of it, with the byte offset of what is left.
fn strip_lead_words(run: &str) -> (usize, &str) {
    let mut offset = 0;
    let mut rest = run;
    while let Some(w) = LEAD_WORDS.iter().find(|w| rest.starts_with(**w)) {
        offset += w.len();
        rest = &rest[w.len()..];
    }
    (offset, rest)
}

/// A name that reads as a paper, agency or broadcaster the registry may not know: three to
/// twelve characters, not `该报`/`本报`/`此报`/`报纸`, no `的` inside (`美国的报`), ending in
/// a publication word.
fn is_paper_name(name: &str, registry: &OutletRegistry) -> bool {
    let n = name.chars().count();
    const OWN: &[&str] = &[
        "该", "該", "本", "此", "这", "這", "那", "其", "各", "每", "一", "多",
    ];
    (3..=12).contains(&n)
        && !OWN.iter().any(|w| name.starts_with(w))
        && !name.contains('的')
        && !name.contains("报纸")
        && !name.contains("報紙")
        && is_outlet_like(name, registry)
}

/// `The Oregonian`, `Der Spiegel`: one to five capitalised words (`of`, `and`, `the` aside),
/// the shape of a publication's name beside a URL, unlike `see the county dashboard`.
fn is_title_case_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().enumerate().all(|(i, w)| {
            let lead = w.chars().next().is_some_and(char::is_uppercase);
            let joiner = i > 0 && matches!(*w, "of" | "and" | "the" | "for" | "&");
            (lead || joiner)
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-' | '&'))
        })
}

/// Whether a word of `name` (its first four letters) is in the URL's host: `The Oregonian` and
/// `oregonlive.com`, `Der Spiegel` and `spiegel.de`, but not a person's name and `x.com`.
fn name_in_host(name: &str, url: &str) -> bool {
    let Some(host) = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_lowercase))
    else {
        return false;
    };
    name.split_whitespace().any(|w| {
        let stem: String = w.to_lowercase().chars().take(4).collect();
        stem.chars().count() == 4
            && !matches!(stem.as_str(), "news" | "dail" | "time")
            && host.contains(&stem)
    })
}

/// Whether `s` looks like the short name an article puts in brackets after a full one: Latin
/// capitals and digits (`NHK`, `ABC`), or a few CJK characters.
fn is_short_form(s: &str) -> bool {
    let n = s.chars().count();
    (2..=8).contains(&n)
        && (s
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&')
            || s.chars().all(crate::text::is_cjk))
}

/// The longest tail of `run` that names an outlet or an unnamed group, with its byte offset.
fn outlet_suffix(run: &str, registry: &OutletRegistry) -> Option<(usize, String)> {
    for (i, _) in run.char_indices() {
        let tail = &run[i..];
        if tail.chars().count() < 2 {
            break;
        }
        // `】环球网`: a mark is never the first character of a name as written.
        if tail.chars().next().is_some_and(|c| !c.is_alphanumeric()) {
            continue;
        }
        if registry.lookup(tail).is_some() || UNNAMED_SOURCES.contains(&tail) {
            return Some((i, tail.to_string()));
        }
    }
    None
}

/// The longest run of leading words of `words` that the registry knows (`the Associated Press`).
fn longest_registered_prefix(words: &str, registry: &OutletRegistry) -> Option<String> {
    let parts: Vec<&str> = words.split_whitespace().take(6).collect();
    for n in (1..=parts.len()).rev() {
        let name = parts[..n].join(" ");
        let name = name.trim_end_matches(['.', ',', '\'', '’']).to_string();
        if registry.lookup(&name).is_some() {
            return Some(name);
        }
    }
    newspaper_prefix(&parts)
}

/// Words that end an English newspaper's name (`Pittsburgh Post-Gazette`, `Sioux Falls Argus
/// Leader`, `SportsBusiness Journal`). A name the registry does not know cites when it has at
/// least two capitalised words and ends in one of these.
const NEWSPAPER_ENDINGS: &[&str] = &[
    "Journal",
    "Gazette",
    "Post-Gazette",
    "Times",
    "Herald",
    "Tribune",
    "Chronicle",
    "Courier",
    "Inquirer",
    "Examiner",
    "Dispatch",
    "Telegraph",
    "Argus",
    "Leader",
    "Sentinel",
    "Star-Ledger",
    "Courier-Journal",
    "Press-Telegram",
];

/// The longest run of capitalised words at the start of `parts` (after `the`) that reads as
/// a newspaper's name.
fn newspaper_prefix(parts: &[&str]) -> Option<String> {
    let skip = usize::from(parts.first().is_some_and(|w| w.eq_ignore_ascii_case("the")));
    let words: Vec<&str> = parts[skip..]
        .iter()
        .map(|w| w.trim_end_matches(['.', ',', '\'', '’', ';', ':']))
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    (2..=words.len())
        .rev()
        .find(|&n| NEWSPAPER_ENDINGS.contains(&words[n - 1].trim_end_matches("'s")))
        .map(|n| words[..n].join(" "))
}

/// The longest run of trailing words of `words` that the registry knows, with its byte offset.
fn longest_registered_suffix_words(
    words: &str,
    registry: &OutletRegistry,
) -> Option<(usize, String)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(words.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    // Names are short: only the last six words can be one.
    let from = starts.len().saturating_sub(6);
    for &s in &starts[from..] {
        let name = &words[s..];
        if registry.lookup(name).is_some() {
            return Some((s, name.to_string()));
        }
    }
    None
}

fn chinese_inline(sink: &mut Sink, text: &str, registry: &OutletRegistry) {
    let p = patterns();
    // `《X》以《Y》为题报道`, `另据《X》题为《Y》的报道`, `「X」以「Y」為題報導`.
    let run = text.contains(['《', '「']);
    for c in p.book_headline.captures_iter(text).filter(|_| run) {
        let m = c
            .name("book")
            .or_else(|| c.name("corner"))
            .expect("one group matches");
        let name = m.as_str().trim();
        let known = registry.lookup(name).is_some();
        // Corner quotes are speech as often as names: only a registry outlet counts there.
        if !(known || c.name("book").is_some() && is_outlet_like(name, registry)) {
            continue;
        }
        let conn = c.name("conn").map_or("", |m| m.as_str());
        let post = c.name("post").map_or("", |m| m.as_str());
        let titled = conn.contains("题为")
            || conn.contains("題為")
            || post.contains("为题")
            || post.contains("為題");
        let noun = post
            .trim_start_matches(['为', '為', '题', '題', '的'])
            .chars()
            .next()
            .is_some();
        if !(titled || noun && (c.name("pre").is_some() || !conn.is_empty())) {
            continue;
        }
        let whole = c.get(0).expect("match");
        let start = c.name("pre").map_or(whole.start(), |m| {
            // `另据`: the citation starts at 据.
            m.start() + m.as_str().len() - '据'.len_utf8()
        });
        let q = c.name("q").expect("group exists");
        sink.inline(
            start,
            whole.end(),
            name,
            non_empty(clean_headline(q.as_str())),
        );
    }
    book_periodical(sink, text, registry);
    // `美国有线电视新闻网（CNN）报道`: a full name with its short name in brackets.
    let run = text.contains(['（', '(']);
    for c in p.zh_full_short.captures_iter(text).filter(|_| run) {
        let full = c.name("full").expect("group exists");
        let short = c.name("short").expect("group exists").as_str().trim();
        // `《金融时报》（FT）`: the marks are not part of the name.
        let (full_text, marks) = match full.as_str().strip_prefix('《') {
            Some(inner) => (inner.trim_end_matches('》'), '《'.len_utf8()),
            None => (full.as_str(), 0),
        };
        let (off, full_name) = match outlet_suffix(full_text, registry) {
            Some(x) => x,
            None if is_outlet_like(full_text, registry) => (0, full_text.to_string()),
            None => {
                // `美国一家电视台（CNN）报道`: the short name alone may still be known.
                match registry.lookup(short) {
                    Some(_) => (full_text.len(), String::new()),
                    None => continue,
                }
            }
        };
        // The citation starts at the mark before a quoted full name.
        let off = if marks > 0 && off == 0 {
            0
        } else {
            off + marks
        };
        let same = match (registry.lookup(&full_name), registry.lookup(short)) {
            (Some(a), Some(b)) => a.id == b.id,
            (None, Some(_)) => full_name.is_empty(),
            (Some(_), None) => is_short_form(short),
            (None, None) => is_short_form(short),
        };
        if !same {
            continue;
        }
        // The registry's short name where it has one (CNN), else the full name as written.
        let outlet = if registry.lookup(short).is_some() {
            short.to_string()
        } else {
            full_name
        };
        let whole = c.get(0).expect("match");
        let start = c.name("pre").map_or(full.start() + off, |m| m.start());
        sink.inline(start, whole.end(), &outlet, None);
    }
    // An outlet with the headline it gave: `据环球网“Y”报道`, `新华社《Y》`, `路透社题为「Y」的报道`.
    let run = text.contains(['“', '「', '『', '《']);
    for c in p.zh_headline.captures_iter(text).filter(|_| run) {
        let run = c.name("run").expect("group exists");
        let q = c.name("q").expect("group exists");
        let Some((off, outlet)) = outlet_suffix(run.as_str(), registry)
            .filter(|(off, _)| !run.as_str().starts_with('《') || *off == 0)
            .or_else(|| {
                let r = run.as_str();
                let i = r.rfind(['据', '據'])? + '据'.len_utf8();
                is_outlet_like(&r[i..], registry).then(|| (i, r[i..].to_string()))
            })
        else {
            continue;
        };
        let before = &run.as_str()[..off];
        let ju = c.name("pre").is_some()
            || before.ends_with(['据', '據'])
            || before.ends_with("综合")
            || before.ends_with("綜合");
        let book_next = q.as_str().starts_with('《') && c.name("conn").is_none_or(|m| m.is_empty());
        let conn = c.name("conn").is_some_and(|m| !m.is_empty());
        if !(ju || conn || c.name("post").is_some() || book_next) {
            continue;
        }
        if UNNAMED_SOURCES.contains(&outlet.as_str()) && !ju && c.name("post").is_none() {
            continue;
        }
        let start = if ju {
            c.name("pre")
                .map_or(run.start() + off - '据'.len_utf8(), |m| m.start())
        } else {
            run.start() + off
        };
        let start = if before.ends_with("综合") || before.ends_with("綜合") {
            run.start() + off - "综合".len()
        } else {
            start
        };
        let end = c.get(0).expect("match").end();
        let headline = clean_headline(q.as_str());
        sink.inline(start, end, &outlet, non_empty(headline));
    }
    // Datelines and bylines: `新华社北京5月12日电`, `（人民日报记者 王某）`.
    let run = text.contains(['电', '電', '讯', '訊']);
    for c in p.zh_dateline.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        let (off, outlet) = match outlet_suffix(m.as_str(), registry) {
            Some(x) => x,
            None if is_outlet_like(m.as_str(), registry) => (0, m.as_str().to_string()),
            None => continue,
        };
        let whole = c.get(0).expect("match");
        sink.inline(m.start() + off, whole.end(), &outlet, None);
    }
    let run = has_any(text, &["记者", "記者", "通讯员", "通訊員"]);
    for c in p.zh_byline.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        let outlet = trim_outlet(m.as_str());
        if !is_outlet_like(&outlet, registry) || UNNAMED_SOURCES.contains(&outlet.as_str()) {
            continue;
        }
        // `新华社北京电（新华社记者 张三）` names the dateline's outlet twice: one citation.
        let whole = c.get(0).expect("match");
        let dup = sink.out.last().is_some_and(|f| {
            f.outlet.as_deref() == Some(outlet.as_str())
                && text[..whole.start()].ends_with(['电', '電'])
        });
        if dup {
            sink.take(whole.start(), whole.end());
            continue;
        }
        sink.inline(m.start(), whole.end(), &outlet, None);
    }
    // `据新华社报道`, `综合新华社、中新社报道`: one citation per outlet named.
    let run = text.contains(['据', '據', '综', '綜']);
    for c in p.ju_report.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        let whole = c.get(0).expect("match");
        if !sink.is_free(whole.start(), whole.end()) {
            continue;
        }
        let parts = split_outlet_list(m.as_str(), registry);
        if parts.is_empty() {
            continue;
        }
        sink.take(whole.start(), whole.end());
        for (k, (off, outlet)) in parts.into_iter().enumerate() {
            let at = if k == 0 {
                whole.start()
            } else {
                m.start() + off
            };
            sink.push_inline(at, &outlet, None);
        }
    }
    // `《人民日报》报道`: book-title marks around an outlet's name.
    let run = text.contains(['《', '「', '『', '“']);
    for c in p.book_outlet.captures_iter(text).filter(|_| run) {
        let (m, book) = match c.name("outlet") {
            Some(m) => (m, true),
            None => (
                c.name("corner")
                    .or_else(|| c.name("white"))
                    .or_else(|| c.name("dq"))
                    .expect("one group matches"),
                false,
            ),
        };
        // `「明報」報道`, `台湾“中央社”报道`: in corner or double quotes only a registry outlet,
        // since quoted speech looks alike.
        if registry.lookup(m.as_str()).is_some() || book && is_outlet_like(m.as_str(), registry) {
            let whole = c.get(0).expect("match");
            sink.inline(whole.start(), whole.end(), m.as_str(), None);
        }
    }
    // `环球网报道称`, `路透社援引`: only the tail of the run can be the outlet.
    let run = has_any(
        text,
        &["报道", "報導", "報道", "援引", "引述", "还", "還", "消息"],
    );
    for c in p.reported_says.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        if let Some((offset, outlet)) = outlet_suffix(m.as_str(), registry) {
            sink.inline(m.start() + offset, m.end(), &outlet, None);
        }
    }
    // `日经新闻23日报道`, `路透社的一篇报道称`, `新华社记者从…获悉`: a registered outlet's own
    // report (an unnamed source never: `记者从交通运输部了解到` is the article's own reporter).
    let run = has_any(
        text,
        &[
            "报",
            "報",
            "获悉",
            "獲悉",
            "了解到",
            "得知",
            "注意到",
            "发现",
            "發現",
            "文章",
            "评论",
            "評論",
            "消息",
            "刊文",
            "发文",
            "發文",
            "援引",
            "称",
            "稱",
        ],
    );
    for c in p.zh_own_report.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        if let Some((offset, outlet)) = outlet_suffix(m.as_str(), registry) {
            if registry.lookup(&outlet).is_some() {
                sink.inline(m.start() + offset, m.end(), &outlet, None);
            }
        }
    }
    // `法国星期天报说`: a paper, agency or broadcaster the registry does not know, before a
    // plain verb of saying. `报纸说`, `该报称` and `本台报道` are the article's own words.
    let run = has_any(text, &["报", "報", "社", "台", "刊", "志", "誌"]);
    for c in p.paper_says.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        let whole = c.get(0).expect("match");
        if !sink.is_free(whole.start(), whole.end()) {
            continue;
        }
        let (offset, name) = match outlet_suffix(m.as_str(), registry) {
            Some(x) => x,
            None => {
                let (offset, name) = strip_lead_words(m.as_str());
                if !is_paper_name(name, registry) {
                    continue;
                }
                (offset, name.to_string())
            }
        };
        sink.inline(m.start() + offset, whole.end(), &name, None);
    }
    // `X援引Y报道`: Y is a second citation when Y is an outlet, not when it is a person.
    let run = has_any(text, &["援引", "引述", "引用"]);
    for c in p.quoting.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        let name = trim_outlet(m.as_str());
        let outlet_named = registry.lookup(&name).is_some()
            || (is_outlet_like(&name, registry) && !UNNAMED_SOURCES.contains(&name.as_str()));
        if outlet_named && !name.ends_with('媒') {
            sink.inline(m.start(), m.end(), &name, None);
        }
    }
    // `美媒称`, `知情人士透露`, `据消息人士`.
    let run = text.contains(['媒', '人']);
    for c in p.unnamed.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        if c.name("ju").is_none() && c.name("v").is_none() {
            continue;
        }
        let whole = c.get(0).expect("match");
        // `路透社援引知情人士称`: the people quoted are the outlet's source, not the article's.
        let before = &text[..whole.start()];
        if ["援引", "引述", "引用"].iter().any(|w| before.ends_with(w)) {
            continue;
        }
        sink.inline(whole.start(), whole.end(), m.as_str(), None);
    }
    // `（来源：央视新闻）`, `编译自路透社` inside a paragraph.
    let run = has_any(
        text,
        &["源", "转载", "轉載", "编译", "編譯", "出处", "出處"],
    );
    for c in p.origin_inline.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        let outlet = trim_outlet(m.as_str());
        if is_outlet_like(&outlet, registry) || is_outlet_section(&outlet, registry) {
            sink.inline(m.start(), m.end(), &outlet, None);
        }
    }
}

/// `新华社、中新社` -> both, with byte offsets; a single name -> itself. Only names that look
/// like outlets are kept.
fn split_outlet_list(run: &str, registry: &OutletRegistry) -> Vec<(usize, String)> {
    let whole = trim_outlet(run);
    if is_outlet_like(&whole, registry) {
        return vec![(0, whole)];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut pieces = Vec::new();
    for (i, c) in run.char_indices() {
        if matches!(c, '、' | '和' | '与' | '與' | '及') {
            pieces.push((start, &run[start..i]));
            start = i + c.len_utf8();
        }
    }
    pieces.push((start, &run[start..]));
    if pieces.len() < 2 {
        return out;
    }
    for (off, piece) in pieces {
        let name = trim_outlet(piece.trim_start_matches('以'));
        if is_outlet_like(&name, registry) {
            out.push((off, name));
        } else {
            return Vec::new();
        }
    }
    out
}

fn english_inline(sink: &mut Sink, text: &str, lead: usize, registry: &OutletRegistry) {
    let p = patterns();
    // `WASHINGTON (Reuters) -`: a dateline opens the paragraph.
    if let Some(c) = p.en_dateline.captures(&text[lead..]) {
        let m = c.name("outlet").expect("group exists");
        if let Some(outlet) = longest_registered_prefix(m.as_str(), registry) {
            sink.inline(lead + m.start(), lead + m.end(), &outlet, None);
        }
    }
    let run = text.bytes().any(|b| b.is_ascii_uppercase());
    // `the British Broadcasting Corporation (BBC) reported`: one outlet, two names.
    for c in p
        .en_full_short
        .captures_iter(text)
        .filter(|_| run && text.contains('('))
    {
        let full = c.name("full").expect("group exists");
        let short = c.name("short").expect("group exists").as_str();
        let Some(short_outlet) = registry.lookup(short) else {
            continue;
        };
        // The citation starts at the full name when the registry knows it as the same outlet.
        let start = match longest_registered_suffix_words(full.as_str(), registry) {
            Some((off, name))
                if registry.lookup(&name).map(|o| &o.id) == Some(&short_outlet.id) =>
            {
                full.start() + off
            }
            _ => c.name("short").expect("group exists").start(),
        };
        let whole = c.get(0).expect("match");
        sink.inline(start, whole.end(), short, None);
    }
    // `(Source: CNN)`, `(via Reuters)`.
    for c in p.en_source_paren.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        if let Some(outlet) = longest_registered_prefix(m.as_str(), registry) {
            let whole = c.get(0).expect("match");
            sink.inline(whole.start(), whole.end(), &outlet, None);
        }
    }
    for c in p.according_to.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        if let Some(outlet) = longest_registered_prefix(m.as_str(), registry) {
            let whole = c.get(0).expect("match");
            sink.inline(whole.start(), whole.end(), &outlet, None);
        }
    }
    let run = has_any(
        text,
        &[
            "report",
            "said",
            "says",
            "wrote",
            "writes",
            "quoted",
            "revealed",
            "disclosed",
            "found",
            "show",
        ],
    );
    for c in p.reported_by.captures_iter(text).filter(|_| run) {
        let m = c.name("outlet").expect("group exists");
        // `The Washington Post's analysis found`: the possessive is not part of the name.
        let words = m.as_str().trim_end_matches("'s").trim_end_matches("’s");
        if let Some((offset, outlet)) = longest_registered_suffix_words(words, registry) {
            sink.inline(m.start() + offset, m.start() + words.len(), &outlet, None);
        }
    }
    // `told Reuters`, `said, via ESPN`, `in an interview with the BBC`: the outlet is the name
    // the pattern captures, cited from its first word (each pattern tried only when its key
    // word is in the text).
    for (pattern, key) in [
        (&p.told, "t"),
        (&p.outlet_report, ""),
        (&p.said_via, " via "),
        (&p.interview, "interview"),
    ] {
        if !text.contains(key) {
            continue;
        }
        for c in pattern.captures_iter(text) {
            let Some(m) = c
                .name("outlet")
                .or(c.name("with"))
                .or(c.name("owner"))
                .or(c.name("interviewer"))
                .or(c.name("venue"))
            else {
                continue;
            };
            if let Some(outlet) = longest_registered_prefix(m.as_str(), registry) {
                sink.inline(m.start(), m.start() + outlet.len(), &outlet, None);
            }
        }
    }
}
