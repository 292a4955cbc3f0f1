//! The `citecheck.report.v1` wire format. Only this file knows it: its own structs, converted
//! from the model, so a model change cannot silently break consumers. Fields are only ever
//! added, never renamed.

use super::Reporter;
use crate::model::{
    Citation, CitationStatus, ClaimResult, DocumentResult, Evidence, Excluded, Flag, InputFailure,
    Resolution, RunResult, ScoredCandidate, Verdict, VerdictChange,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The schema name every report carries.
pub const SCHEMA: &str = "citecheck.report.v1";

/// Writes the report as pretty-printed JSON.
pub struct Json;

impl Reporter for Json {
    fn write(&self, run: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let report = Report::from(run);
        serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
        writeln!(out)
    }
}

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    version: &'static str,
    documents: Vec<DocumentOut<'a>>,
    failures: &'a [InputFailure],
    /// Verdict change events (`recheck`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    changes: Vec<ChangeOut<'a>>,
    /// What the run excluded; absent when nothing.
    #[serde(skip_serializing_if = "Excluded::is_empty")]
    excluded: &'a Excluded,
}

/// A verdict change event: the same object in the report, the event stream, `recheck`'s own
/// JSON and the store's event log.
#[derive(Serialize)]
struct ChangeOut<'a> {
    kind: &'static str,
    document: &'a str,
    claim: &'a str,
    claim_text: &'a str,
    line: usize,
    column: usize,
    source: &'a str,
    class: &'a str,
    old: Option<Verdict>,
    new: Verdict,
    old_score: Option<f64>,
    new_score: f64,
    reasons: &'a [String],
    archived_url: Option<&'a str>,
}

fn change(c: &VerdictChange) -> ChangeOut<'_> {
    ChangeOut {
        kind: "verdict_changed",
        document: &c.document,
        claim: &c.claim.id,
        claim_text: &c.claim.text,
        line: c.claim.line,
        column: c.claim.column,
        source: &c.source,
        class: &c.class,
        old: c.old,
        new: c.new,
        old_score: c.old_score,
        new_score: c.new_score,
        reasons: &c.reasons,
        archived_url: c.archived_url.as_deref(),
    }
}

/// A verdict change event in its wire form.
pub fn change_value(c: &VerdictChange) -> serde_json::Value {
    serde_json::to_value(change(c)).unwrap_or(serde_json::Value::Null)
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    path: &'a str,
    title: Option<&'a str>,
    citations: Vec<CitationOut<'a>>,
    claims: Vec<ClaimOut<'a>>,
    summary: BTreeMap<&'static str, usize>,
    /// Sentences not judged (opinion, furniture) with their class; absent when none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    not_checked: &'a [crate::model::Unchecked],
}

#[derive(Serialize)]
struct CitationOut<'a> {
    id: &'a str,
    kind: crate::model::CitationKind,
    outlet: Option<&'a str>,
    registry_outlet: Option<&'a str>,
    headline: Option<&'a str>,
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    line: usize,
    column: usize,
    status: CitationStatus,
    source: Option<SourceOut<'a>>,
    detail: Option<&'a str>,
    candidates: &'a [ScoredCandidate],
}

#[derive(Serialize)]
struct SourceOut<'a> {
    url: &'a str,
    title: Option<&'a str>,
    #[serde(rename = "match")]
    match_score: f64,
    published: Option<&'a str>,
    origin_outlet: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
    kind: crate::model::ClaimKind,
    text: &'a str,
    line: usize,
    column: usize,
    cited: &'a [String],
    /// Why those sources are bound to the claim; absent when none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    binding: Option<crate::model::Binding>,
    verdict: Verdict,
    score: f64,
    reasons: &'a [String],
    evidence: Vec<EvidenceOut<'a>>,
    /// Existing fact-checks of the claim (advisory, never a source); absent when none.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fact_checks: &'a [crate::model::FactCheck],
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    citation: &'a str,
    url: &'a str,
    quote: &'a str,
    start: usize,
    end: usize,
    similarity: f64,
    flags: &'a [Flag],
}

impl<'a> From<&'a RunResult> for Report<'a> {
    fn from(run: &'a RunResult) -> Self {
        Report {
            schema: SCHEMA,
            version: env!("CARGO_PKG_VERSION"),
            documents: run.documents.iter().map(document).collect(),
            failures: &run.failures,
            changes: run.changes.iter().map(change).collect(),
            excluded: &run.excluded,
        }
    }
}

fn document(d: &DocumentResult) -> DocumentOut<'_> {
    let mut summary: BTreeMap<&'static str, usize> =
        Verdict::ALL.iter().map(|v| (v.as_str(), 0)).collect();
    for c in &d.claims {
        *summary.entry(c.verdict.as_str()).or_insert(0) += 1;
    }
    DocumentOut {
        path: &d.path,
        title: d.title.as_deref(),
        citations: d
            .citations
            .iter()
            .map(|c| citation(c, d.resolutions.iter().find(|r| r.citation_id == c.id)))
            .collect(),
        claims: d
            .claims
            .iter()
            .map(|c| {
                let mut out = claim(c);
                if let Some(f) = d.fact_checks.get(&c.claim.id) {
                    out.fact_checks = f;
                }
                out
            })
            .collect(),
        summary,
        not_checked: &d.not_checked,
    }
}

fn citation<'a>(c: &'a Citation, r: Option<&'a Resolution>) -> CitationOut<'a> {
    let source = r.and_then(|r| {
        r.chosen.as_ref().map(|chosen| SourceOut {
            url: &chosen.url,
            title: r
                .page
                .as_ref()
                .and_then(|p| p.title.as_deref())
                .or(Some(chosen.title.as_str())),
            match_score: chosen.score,
            published: r.page.as_ref().and_then(|p| p.published.as_deref()),
            origin_outlet: r.page.as_ref().and_then(|p| p.origin_outlet.as_deref()),
        })
    });
    CitationOut {
        id: &c.id,
        kind: c.kind,
        outlet: c.outlet.as_deref(),
        registry_outlet: c.registry_outlet.as_deref(),
        headline: c.headline.as_deref(),
        url: c.url.as_deref(),
        date: c.date.as_deref(),
        line: c.line,
        column: c.column,
        status: r.map_or(CitationStatus::NotFound, |r| r.status),
        source,
        detail: r.and_then(|r| r.detail.as_deref()),
        candidates: r.map_or(&[], |r| r.candidates.as_slice()),
    }
}

fn claim(c: &ClaimResult) -> ClaimOut<'_> {
    ClaimOut {
        id: &c.claim.id,
        kind: c.claim.kind,
        text: &c.claim.text,
        line: c.claim.line,
        column: c.claim.column,
        cited: &c.claim.cited,
        binding: c.claim.binding,
        verdict: c.verdict,
        score: c.score,
        reasons: &c.reasons,
        evidence: c.evidence.iter().map(evidence).collect(),
        fact_checks: &[],
    }
}

fn evidence(e: &Evidence) -> EvidenceOut<'_> {
    EvidenceOut {
        citation: &e.citation,
        url: &e.url,
        quote: &e.quote,
        start: e.start,
        end: e.end,
        similarity: e.similarity,
        flags: &e.flags,
    }
}

/// A claim in the report's wire form (the same object as in `documents[].claims[]`), for the
/// event stream.
pub(super) fn claim_value(c: &ClaimResult) -> serde_json::Value {
    serde_json::to_value(claim(c)).unwrap_or(serde_json::Value::Null)
}

/// A document's citations in the report's wire form, for the event stream.
pub(super) fn citations_value(d: &DocumentResult) -> serde_json::Value {
    serde_json::to_value(document(d).citations).unwrap_or(serde_json::Value::Null)
}

/// A document's verdict counts as in `documents[].summary`.
pub(super) fn summary_value(d: &DocumentResult) -> serde_json::Value {
    serde_json::to_value(document(d).summary).unwrap_or(serde_json::Value::Null)
}
