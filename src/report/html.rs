//! One self-contained HTML page: no CDN, no external request (a Content-Security-Policy forbids
//! them), inline CSS and a few lines of inline script. Per document: the article with each
//! claim highlighted by verdict colour; selecting a claim shows its verdict, reasons and, side
//! by side, the evidence passage of each cited source with the words it shares with the claim
//! highlighted and the mismatches (entity, number, certainty, attribution, ...) marked. An
//! inline SVG chart counts verdicts per document. All article and page text is escaped.

use super::text::{escape_markup as esc, locate_claim, truncate, verdict_words};
use super::{Context, Finding, Reporter};
use crate::model::{
    BlockKind, ClaimResult, DocumentResult, Evidence, FlagKind, RunResult, Verdict,
};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;

/// Writes the HTML report.
pub struct Html {
    pub ctx: Arc<Context>,
}

fn colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "#2e7d32",
        Verdict::PartiallySupported => "#b7791f",
        Verdict::NotSupported => "#c62828",
        Verdict::Contradicted => "#6a1b9a",
        Verdict::Unverifiable => "#616161",
    }
}

fn flag_label(k: FlagKind) -> &'static str {
    match k {
        FlagKind::EntitySwap => "entity",
        FlagKind::NumberMismatch => "number",
        FlagKind::NegationFlip => "negation",
        FlagKind::CertaintyEscalation => "certainty",
        FlagKind::AttributionShift => "attribution",
        FlagKind::QuoteMismatch => "quote",
    }
}

/// An id safe in attributes and CSS selectors: ASCII letters, digits and `-` only.
fn safe_id(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Only http(s) links become `href`s; anything else (javascript:, data:) stays text.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| esc(url.trim()))
}

const STYLE: &str = r#"
:root{--supported:#2e7d32;--partially_supported:#b7791f;--not_supported:#c62828;--contradicted:#6a1b9a;--unverifiable:#616161}
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header,main{max-width:1200px;margin:0 auto;padding:0 20px}
header h1{font-size:22px;margin:20px 0 4px}
.totals{color:#555;margin:0 0 12px}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px;margin:0 0 16px}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:13px;margin-top:6px}
.legend span::before{content:"";display:inline-block;width:11px;height:11px;margin-right:5px;border-radius:2px;background:var(--c)}
.doc{background:#fff;border:1px solid #ddd;border-radius:6px;margin:0 0 20px;padding:14px 18px}
.doc>h2{font-size:16px;margin:0;word-break:break-all}
.doc .doc-title{color:#555;margin:2px 0 10px}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px;align-items:start}
@media (max-width:900px){.layout{grid-template-columns:1fr}}
article p,article blockquote,article h3,article h4{margin:0 0 10px}
article blockquote{border-left:3px solid #ccc;padding-left:10px;color:#333}
article .li{padding-left:14px;text-indent:-10px}
.claim{border-bottom:2px solid var(--c);background:color-mix(in srgb,var(--c) 14%,transparent);cursor:pointer;border-radius:2px}
.claim:hover,.claim:focus{background:color-mix(in srgb,var(--c) 28%,transparent);outline:none}
.claim.selected{outline:2px solid var(--c);outline-offset:1px}
.details{position:sticky;top:10px;max-height:calc(100vh - 20px);overflow:auto}
.hint{color:#666;font-style:italic}
.detail{border:1px solid #ddd;border-radius:6px;padding:10px 12px;background:#fcfcfc}
.detail h3{font-size:15px;margin:0 0 6px}
.badge{display:inline-block;color:#fff;background:var(--c);border-radius:3px;padding:0 6px;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.new{color:#c62828;font-weight:600;font-size:12px}
.known{color:#666;font-size:12px}
.claim-text{background:#f3f3f3;padding:6px 8px;border-radius:4px}
.sources{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:10px;margin-top:8px}
.source{border:1px solid #e0e0e0;border-radius:4px;padding:8px;background:#fff}
.source h4{font-size:13px;margin:0 0 4px;word-break:break-all}
.source blockquote{margin:0;font-size:14px}
.sim{color:#666;font-size:12px}
mark.m{background:#c8e6c9;color:inherit}
mark.x{background:#ffcdd2;color:inherit;text-decoration:underline wavy #c62828}
.flags{margin:6px 0 0;padding-left:18px;font-size:13px}
.flags b{text-transform:uppercase;font-size:11px;color:#c62828}
.unlocated{margin-top:10px;font-size:14px}
.failures{color:#c62828}
.filter{margin:0 0 10px;font-size:14px}
.toc{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px;margin:0 0 16px;font-size:14px}
.toc ol{margin:0;padding-left:22px}
.toc li.failing a{color:#c62828;font-weight:600}
.citations{margin-top:12px;font-size:13px}
.citations summary{cursor:pointer;font-weight:600}
.citations table{border-collapse:collapse;width:100%;margin-top:6px}
.citations th,.citations td{border-top:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-word}
.citations .why{color:#666;font-size:12px}
.chip{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff;background:#616161;white-space:nowrap}
.chip.s-found{background:#2e7d32}.chip.s-not_found{background:#b7791f}.chip.s-unreachable,.chip.s-blocked{background:#c62828}.chip.s-excluded{background:#9e9e9e}
body.only-failing .doc:not(.has-failing){display:none}
body.only-failing .claim:not(.failing){background:none;border-bottom-color:transparent;cursor:default;pointer-events:none}
body.only-failing .toc li:not(.failing){display:none}
@media (prefers-color-scheme:dark){
:root{--supported:#66bb6a;--partially_supported:#e0a030;--not_supported:#ef5350;--contradicted:#ba68c8;--unverifiable:#9e9e9e}
body{color:#e4e4e4;background:#121212}
.totals,.doc .doc-title,.hint,.sim,.known,.citations .why{color:#aaa}
.chart,.doc,.toc{background:#1e1e1e;border-color:#333}
.detail{background:#1a1a1a;border-color:#333}
.source{background:#222;border-color:#333}
.claim-text{background:#2a2a2a}
article blockquote{color:#ccc;border-left-color:#555}
.citations th,.citations td,.changes th,.changes td{border-top-color:#333}
mark.m{background:#1b5e20;color:inherit}
mark.x{background:#7f1d1d;color:inherit}
a{color:#8ab4f8}
.toc li.failing a{color:#ef5350}
}
"#;

const SCRIPT: &str = r#"
(function () {
  'use strict';
  function show(id) {
    var detail = document.getElementById(id);
    if (!detail) { return; }
    var doc = detail.closest('.doc');
    doc.querySelectorAll('.detail').forEach(function (d) { d.hidden = true; });
    doc.querySelectorAll('.claim.selected').forEach(function (c) {
      c.classList.remove('selected');
      c.setAttribute('aria-pressed', 'false');
    });
    detail.hidden = false;
    doc.querySelectorAll('.claim[data-claim="' + id + '"]').forEach(function (c) {
      c.classList.add('selected');
      c.setAttribute('aria-pressed', 'true');
    });
    var hint = doc.querySelector('.hint');
    if (hint) { hint.hidden = true; }
  }
  document.addEventListener('click', function (e) {
    var c = e.target.closest ? e.target.closest('.claim') : null;
    if (c) { show(c.getAttribute('data-claim')); }
  });
  document.addEventListener('keydown', function (e) {
    var c = e.target;
    if ((e.key === 'Enter' || e.key === ' ') && c.classList && c.classList.contains('claim')) {
      e.preventDefault();
      show(c.getAttribute('data-claim'));
    }
  });
  var only = document.getElementById('only-failing');
  function filter() { document.body.classList.toggle('only-failing', !!(only && only.checked)); }
  if (only) {
    only.addEventListener('change', filter);
    if (window.location.hash === '#only-failing') { only.checked = true; }
    filter();
  }
  var m = /^#select=([A-Za-z0-9-]+)$/.exec(window.location.hash);
  if (m) { show(m[1]); }
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.setAttribute('data-scheme', dark ? 'dark' : 'light');
  document.documentElement.setAttribute('data-ready', '1');
})();
"#;

/// The folded form of one character, as the similarity tokens see it.
fn fold1(c: char) -> char {
    crate::text::fold(c.encode_utf8(&mut [0; 4]))
        .chars()
        .next()
        .unwrap_or(c)
}

/// Which characters of `text` are part of a token the claim has too (CJK bigrams, words).
fn matched_chars(text: &str, claim_tokens: &HashSet<String>) -> Vec<bool> {
    let chars: Vec<char> = text.chars().map(fold1).collect();
    let mut marks = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if crate::text::is_cjk(c) {
            let start = i;
            while i < chars.len() && crate::text::is_cjk(chars[i]) {
                i += 1;
            }
            if i - start == 1 {
                marks[start] = claim_tokens.contains(&c.to_string());
            }
            for j in start..i.saturating_sub(1) {
                let pair: String = [chars[j], chars[j + 1]].iter().collect();
                if claim_tokens.contains(&pair) {
                    marks[j] = true;
                    marks[j + 1] = true;
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len()
                && !crate::text::is_cjk(chars[i])
                && (chars[i].is_alphanumeric()
                    || (chars[i] == '.' && i + 1 < chars.len() && chars[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if claim_tokens.contains(&word) {
                marks[start..i].iter_mut().for_each(|m| *m = true);
            }
        } else {
            i += 1;
        }
    }
    marks
}

/// Char ranges of `needle` in `hay` (every occurrence).
fn char_ranges(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if needle.trim().is_empty() {
        return out;
    }
    let n = needle.chars().count();
    for (byte, _) in hay.match_indices(needle) {
        let start = hay[..byte].chars().count();
        out.push((start, start + n));
    }
    out
}

/// `text` as HTML with matched characters in `<mark class="m">` and the given mismatch ranges
/// in `<mark class="x" title=reason>`.
fn highlight(text: &str, matched: &[bool], mismatches: &[(usize, usize, String)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    // 0 plain, 1 match, 2 + i mismatch i.
    let mut class = vec![0usize; chars.len()];
    for (i, m) in matched.iter().enumerate().take(chars.len()) {
        if *m {
            class[i] = 1;
        }
    }
    for (k, (s, e, _)) in mismatches.iter().enumerate() {
        for c in class.iter_mut().take((*e).min(chars.len())).skip(*s) {
            *c = 2 + k;
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let k = class[i];
        let start = i;
        while i < chars.len() && class[i] == k {
            i += 1;
        }
        let piece: String = chars[start..i].iter().collect();
        match k {
            0 => out.push_str(&esc(&piece)),
            1 => {
                let _ = write!(out, "<mark class=\"m\">{}</mark>", esc(&piece));
            }
            k => {
                let _ = write!(
                    out,
                    "<mark class=\"x\" title=\"{}\">{}</mark>",
                    esc(&mismatches[k - 2].2),
                    esc(&piece)
                );
            }
        }
    }
    out
}

fn evidence_html(out: &mut String, c: &ClaimResult, e: &Evidence, d: &DocumentResult) {
    let claim_tokens: HashSet<String> = crate::text::similarity::tokens(&c.claim.text)
        .into_iter()
        .collect();
    let matched = matched_chars(&e.quote, &claim_tokens);
    let mismatches: Vec<(usize, usize, String)> = e
        .flags
        .iter()
        .flat_map(|f| {
            char_ranges(&e.quote, &f.source)
                .into_iter()
                .map(move |(s, t)| (s, t, format!("{}: {}", flag_label(f.kind), f.reason)))
        })
        .collect();
    let citation = d.citations.iter().find(|x| x.id == e.citation);
    let label = citation
        .and_then(|x| x.outlet.clone().or_else(|| x.registry_outlet.clone()))
        .unwrap_or_else(|| e.citation.clone());
    let link = match safe_href(&e.url) {
        Some(href) => format!(
            "<a href=\"{href}\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">{}</a>",
            esc(&truncate(&e.url, 90))
        ),
        None => esc(&truncate(&e.url, 90)),
    };
    let _ = write!(
        out,
        "<div class=\"source\"><h4>[{}] {} · {link}</h4><div class=\"sim\">similarity {:.2}</div><blockquote>{}</blockquote>",
        esc(&e.citation),
        esc(&label),
        e.similarity,
        highlight(&e.quote, &matched, &mismatches)
    );
    if !e.flags.is_empty() {
        out.push_str("<ul class=\"flags\">");
        for f in &e.flags {
            let _ = write!(
                out,
                "<li><b>{}</b> {}</li>",
                flag_label(f.kind),
                esc(&f.reason)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
}

fn detail_html(out: &mut String, id: &str, c: &ClaimResult, d: &DocumentResult, finding: Finding) {
    let v = c.verdict;
    let status = match finding {
        Finding::New => " <span class=\"new\">fails</span>",
        Finding::Known => " <span class=\"known\">fails (in baseline)</span>",
        Finding::Pass => "",
    };
    let _ = write!(
        out,
        "<section class=\"detail\" id=\"{id}\" hidden style=\"--c:var(--{})\"><h3>{} · line {} · <span class=\"badge\">{}</span> score {:.2}{status}</h3>",
        v.as_str(),
        esc(&c.claim.id),
        c.claim.line,
        esc(&verdict_words(v)),
        c.score
    );
    // The claim with what the sources say differently marked.
    let claim_mismatches: Vec<(usize, usize, String)> = c
        .evidence
        .iter()
        .flat_map(|e| &e.flags)
        .flat_map(|f| {
            char_ranges(&c.claim.text, &f.claim)
                .into_iter()
                .map(move |(s, t)| (s, t, format!("{}: {}", flag_label(f.kind), f.reason)))
        })
        .collect();
    let _ = write!(
        out,
        "<p class=\"claim-text\">{}</p>",
        highlight(&c.claim.text, &[], &claim_mismatches)
    );
    if let Some(binding) = c.claim.binding {
        let _ = write!(
            out,
            "<p class=\"binding\">Sources bound: {} ({}).</p>",
            esc(&c.claim.cited.join(", ")),
            esc(binding.describe())
        );
    }
    if !c.reasons.is_empty() {
        out.push_str("<ul>");
        for r in &c.reasons {
            let _ = write!(out, "<li>{}</li>", esc(r));
        }
        out.push_str("</ul>");
    }
    if c.evidence.is_empty() {
        out.push_str("<p>No readable cited source.</p>");
    } else {
        out.push_str("<div class=\"sources\">");
        for e in &c.evidence {
            evidence_html(out, c, e, d);
        }
        out.push_str("</div>");
    }
    out.push_str("</section>");
}

fn claim_span(id: &str, c: &ClaimResult, failing: bool, inner: &str) -> String {
    let class = if failing { "claim failing" } else { "claim" };
    format!(
        "<span class=\"{class}\" role=\"button\" tabindex=\"0\" aria-pressed=\"false\" data-claim=\"{id}\" data-verdict=\"{}\" style=\"--c:var(--{})\" title=\"{}\">{inner}</span>",
        c.verdict.as_str(),
        c.verdict.as_str(),
        esc(&verdict_words(c.verdict))
    )
}

impl Html {
    fn document(&self, out: &mut String, index: usize, d: &DocumentResult) {
        let ids: Vec<String> = d
            .claims
            .iter()
            .map(|c| format!("d{index}-{}", safe_id(&c.claim.id)))
            .collect();
        let failing: Vec<bool> = d
            .claims
            .iter()
            .map(|c| self.ctx.finding(&d.path, c) == Finding::New)
            .collect();
        let class = if failing.contains(&true) {
            "doc has-failing"
        } else {
            "doc"
        };
        let _ = write!(
            out,
            "<section class=\"{class}\" id=\"doc-{index}\"><h2>{}</h2>",
            esc(&d.path)
        );
        if let Some(t) = &d.title {
            let _ = write!(out, "<p class=\"doc-title\">{}</p>", esc(t));
        }
        out.push_str("<div class=\"layout\"><article>");
        let mut unlocated: Vec<usize> = Vec::new();
        match self.ctx.document(&d.path) {
            Some(doc) => {
                // Claims by block, in text order; overlapping claims after the first are listed
                // below the article instead.
                let mut by_block: Vec<Vec<(usize, usize, usize)>> =
                    vec![Vec::new(); doc.blocks.len()];
                for (k, c) in d.claims.iter().enumerate() {
                    match locate_claim(doc, &c.claim) {
                        Some(span) => by_block[span.block].push((span.start, span.end, k)),
                        None => unlocated.push(k),
                    }
                }
                for (b, block) in doc.blocks.iter().enumerate() {
                    let spans = &mut by_block[b];
                    spans.sort();
                    let chars: Vec<char> = block.text.chars().collect();
                    let mut html = String::new();
                    let mut at = 0usize;
                    for &(s, e, k) in spans.iter() {
                        if s < at {
                            unlocated.push(k);
                            continue;
                        }
                        html.push_str(&esc(&chars[at..s].iter().collect::<String>()));
                        let inner = esc(&chars[s..e.min(chars.len())].iter().collect::<String>());
                        html.push_str(&claim_span(&ids[k], &d.claims[k], failing[k], &inner));
                        at = e.min(chars.len());
                    }
                    html.push_str(&esc(&chars[at.min(chars.len())..]
                        .iter()
                        .collect::<String>()));
                    let (open, close) = match block.kind {
                        BlockKind::Title => ("<h3>", "</h3>"),
                        BlockKind::Heading => ("<h4>", "</h4>"),
                        BlockKind::Paragraph => ("<p>", "</p>"),
                        BlockKind::ListItem => ("<p class=\"li\">• ", "</p>"),
                        BlockKind::Quote => ("<blockquote>", "</blockquote>"),
                    };
                    let _ = write!(out, "{open}{html}{close}");
                }
            }
            None => unlocated.extend(0..d.claims.len()),
        }
        if !unlocated.is_empty() {
            unlocated.sort_unstable();
            out.push_str("<div class=\"unlocated\"><p>Claims:</p><ol>");
            for k in unlocated {
                let c = &d.claims[k];
                let _ = write!(
                    out,
                    "<li>{}</li>",
                    claim_span(&ids[k], c, failing[k], &esc(&c.claim.text))
                );
            }
            out.push_str("</ol></div>");
        }
        super::not_checked::html(d, out);
        out.push_str("</article><aside class=\"details\"><p class=\"hint\">Select a highlighted claim to see its evidence.</p>");
        for (k, c) in d.claims.iter().enumerate() {
            detail_html(out, &ids[k], c, d, self.ctx.finding(&d.path, c));
        }
        out.push_str("</aside></div>");
        citations_table(out, d);
        out.push_str("</section>");
    }
}

/// "1 claim", "3 claims".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The document's citations: outlet, headline, status and the page each resolved to.
fn citations_table(out: &mut String, d: &DocumentResult) {
    if d.citations.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<details class=\"citations\" open><summary>{}</summary><table><thead><tr><th>Id</th><th>Line</th><th>Outlet</th><th>Headline</th><th>Status</th><th>Source</th></tr></thead><tbody>",
        esc(&count(d.citations.len(), "citation", "citations"))
    );
    for c in &d.citations {
        let res = d.resolutions.iter().find(|r| r.citation_id == c.id);
        let status = res
            .map_or(crate::model::CitationStatus::NotFound, |r| r.status)
            .as_str();
        let url = res
            .and_then(|r| r.page.as_ref().map(|p| p.url.clone()))
            .or_else(|| c.url.clone());
        let link = match url.as_deref() {
            Some(u) => match safe_href(u) {
                Some(href) => format!(
                    "<a href=\"{href}\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">{}</a>",
                    esc(&truncate(u, 70))
                ),
                None => esc(&truncate(u, 70)),
            },
            None => String::new(),
        };
        let detail = res
            .and_then(|r| r.detail.as_deref())
            .map(|t| format!("<div class=\"why\">{}</div>", esc(&truncate(t, 200))))
            .unwrap_or_default();
        let outlet = c
            .outlet
            .clone()
            .or_else(|| c.registry_outlet.clone())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"chip s-{status}\">{}</span></td><td>{link}{detail}</td></tr>",
            esc(&c.id),
            c.line,
            esc(&outlet),
            esc(c.headline.as_deref().unwrap_or("")),
            esc(&status.replace('_', " "))
        );
    }
    out.push_str("</tbody></table></details>");
}

/// A table of contents for a run of several documents: each with its claims and failing ones.
fn contents(out: &mut String, run: &RunResult, ctx: &Context) {
    if run.documents.len() < 2 {
        return;
    }
    out.push_str("<nav class=\"toc\" aria-label=\"Documents\"><ol>");
    for (i, d) in run.documents.iter().enumerate() {
        let failing = d
            .claims
            .iter()
            .filter(|c| ctx.finding(&d.path, c) == Finding::New)
            .count();
        let _ = write!(
            out,
            "<li{}><a href=\"#doc-{i}\">{}</a> · {} · {} failing</li>",
            if failing > 0 {
                " class=\"failing\""
            } else {
                ""
            },
            esc(&d.path),
            esc(&count(d.claims.len(), "claim", "claims")),
            failing
        );
    }
    out.push_str("</ol></nav>");
}

/// Stacked bars of verdict counts per document, as inline SVG.
fn chart(run: &RunResult) -> String {
    let row = 24usize;
    let label_w = 260usize;
    let bar_w = 600usize;
    let height = row * run.documents.len().max(1) + 8;
    let max = run
        .documents
        .iter()
        .map(|d| d.claims.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Verdicts per document\" width=\"100%\" viewBox=\"0 0 {} {height}\" preserveAspectRatio=\"xMinYMin meet\">",
        label_w + bar_w + 60
    );
    for (i, d) in run.documents.iter().enumerate() {
        let y = 4 + i * row;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"currentColor\">{}</text>",
            label_w - 8,
            y + 15,
            esc(&truncate(&d.path, 38))
        );
        let mut x = label_w as f64;
        for v in Verdict::ALL {
            let n = d.claims.iter().filter(|c| c.verdict == v).count();
            if n == 0 {
                continue;
            }
            let w = bar_w as f64 * n as f64 / max as f64;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {n} {}</title></rect>",
                row - 6,
                colour(v),
                esc(&d.path),
                verdict_words(v)
            );
            x += w;
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\">{}</text>",
            x + 6.0,
            y + 15,
            d.claims.len()
        );
    }
    svg.push_str("</svg>");
    svg
}

impl Reporter for Html {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let claims: usize = run.documents.iter().map(|d| d.claims.len()).sum();
        let failing = run
            .documents
            .iter()
            .flat_map(|d| d.claims.iter().map(move |c| (d, c)))
            .filter(|(d, c)| self.ctx.finding(&d.path, c) == Finding::New)
            .count();
        let mut html = String::new();
        html.push_str("<!DOCTYPE html>\n<html lang=\"und\"><head><meta charset=\"utf-8\">");
        html.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.push_str(
            "<meta name=\"generator\" content=\"citecheck\"><title>citecheck report</title><style>",
        );
        html.push_str(STYLE);
        html.push_str("</style></head><body><header><h1>citecheck report</h1>");
        let _ = write!(
            html,
            "<p class=\"totals\">{} · {} · {failing} failing</p><p class=\"filter\"><label><input type=\"checkbox\" id=\"only-failing\"> Show only failing claims</label></p><figure class=\"chart\">{}<figcaption class=\"legend\">",
            count(run.documents.len(), "document", "documents"),
            count(claims, "claim", "claims"),
            chart(run)
        );
        for v in Verdict::ALL {
            let _ = write!(
                html,
                "<span style=\"--c:{}\">{}</span>",
                colour(v),
                verdict_words(v)
            );
        }
        html.push_str("</figcaption></figure>");
        contents(&mut html, run, &self.ctx);
        html.push_str("</header><main>");
        for (i, d) in run.documents.iter().enumerate() {
            self.document(&mut html, i, d);
        }
        if !run.failures.is_empty() {
            html.push_str(
                "<section class=\"doc failures\"><h2>Inputs that could not be checked</h2><ul>",
            );
            for f in &run.failures {
                let _ = write!(html, "<li>{}: {}</li>", esc(&f.path), esc(&f.message));
            }
            html.push_str("</ul></section>");
        }
        if !run.changes.is_empty() {
            let _ = write!(
                html,
                "<style>.changes table{{border-collapse:collapse;width:100%;font-size:13px}}.changes th,.changes td{{border-top:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-word}}.changes tr.failing td:first-child{{border-left:3px solid #c62828}}</style><section class=\"doc changes\"><h2>Verdict changes ({})</h2><table><thead><tr><th>Where</th><th>Change</th><th>Claim</th><th>Source</th><th>Why</th></tr></thead><tbody>",
                run.changes.len()
            );
            for c in &run.changes {
                let failing = super::changes::fails(&self.ctx, c);
                let source = match &c.archived_url {
                    Some(a) => format!(
                        "{} ({}; judged on <a href=\"{}\">the archived copy</a>)",
                        esc(&c.source),
                        esc(&c.class.replace('_', " ")),
                        esc(a)
                    ),
                    None => format!("{} ({})", esc(&c.source), esc(&c.class.replace('_', " "))),
                };
                let _ = write!(
                    html,
                    "<tr class=\"{}\"><td>{}:{}</td><td><span class=\"badge\" style=\"--c:{}\">{}</span></td><td>{}</td><td>{source}</td><td>{}</td></tr>",
                    if failing { "change failing" } else { "change" },
                    esc(&c.document),
                    c.claim.line,
                    colour(c.new),
                    esc(&super::changes::transition(c)),
                    esc(&c.claim.text),
                    esc(&c.reasons.join("; ")),
                );
            }
            html.push_str("</tbody></table></section>");
        }
        html.push_str("</main><script>");
        html.push_str(SCRIPT);
        html.push_str("</script></body></html>\n");
        out.write_all(html.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_words_and_cjk_bigrams_are_marked() {
        let tokens: HashSet<String> = crate::text::similarity::tokens("Revenue rose 6.3% 中东订单")
            .into_iter()
            .collect();
        let m = matched_chars("revenue fell; 中东的订单", &tokens);
        let marked: String = "revenue fell; 中东的订单"
            .chars()
            .zip(&m)
            .filter(|(_, m)| **m)
            .map(|(c, _)| c)
            .collect();
        assert_eq!(marked, "revenue中东订单");
    }

    #[test]
    fn highlight_escapes_everything() {
        let html = highlight(
            "<img src=x onerror=alert(1)> 42",
            &[],
            &[(29, 31, "number: \"x\"<".into())],
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(
            html.contains("title=\"number: &quot;x&quot;&lt;\">42</mark>"),
            "{html}"
        );
    }

    #[test]
    fn hostile_page_text_and_urls_are_inert() {
        use crate::model::{Claim, ClaimKind, Evidence, Flag};
        let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        let claim = ClaimResult {
            claim: Claim {
                id: "k1\"><b>".into(),
                kind: ClaimKind::Statement,
                text: format!("Sales rose 5% {evil}"),
                line: 1,
                column: 1,
                cited: vec!["c1".into()],
                binding: None,
            },
            verdict: Verdict::Contradicted,
            score: 0.1,
            reasons: vec![format!("reason {evil}")],
            evidence: vec![Evidence {
                citation: "c1".into(),
                url: "javascript:alert(3)".into(),
                quote: format!("Sales rose 7% {evil}"),
                start: 0,
                end: 10,
                similarity: 0.5,
                matched_numbers: 0,
                flags: vec![Flag {
                    kind: FlagKind::NumberMismatch,
                    claim: "5%".into(),
                    source: "7%".into(),
                    reason: format!("the source says 7% {evil}"),
                }],
            }],
        };
        let run = RunResult {
            documents: vec![DocumentResult {
                path: format!("{evil}.md"),
                title: Some(evil.into()),
                citations: vec![],
                resolutions: vec![],
                claims: vec![claim],
                fact_checks: Default::default(),
                not_checked: vec![],
            }],
            failures: vec![],
            changes: vec![],
            excluded: Default::default(),
        };
        let mut out = Vec::new();
        Html {
            ctx: Arc::new(Context::default()),
        }
        .write(&run, &mut out)
        .expect("written");
        let html = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            html.matches("<script>").count(),
            1,
            "only the report's script"
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            !html.contains("\"><b>"),
            "the claim id breaks out of an attribute"
        );
        assert!(
            html.contains("<mark class=\"x\""),
            "the number mismatch is marked"
        );
    }

    #[test]
    fn only_http_links_are_links() {
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(
            safe_href("https://a.test/?q=\"x\"").as_deref(),
            Some("https://a.test/?q=&quot;x&quot;")
        );
        assert_eq!(safe_id("k1\"><script>"), "k1---script-");
    }
}
