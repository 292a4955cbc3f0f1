//! Per-source judgements -> one verdict per claim.

use super::SourceJudgement;
use crate::model::{Claim, ClaimResult, Verdict};

/// The priority of a judgement's most decisive mismatch (`u8::MAX` without one).
fn decisive_flag(j: &SourceJudgement) -> u8 {
    j.evidence
        .flags
        .iter()
        .map(|f| super::source::priority(f.kind))
        .min()
        .unwrap_or(u8::MAX)
}

/// Preference when sources disagree: one source that supports the claim is enough.
fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Supported => 0,
        Verdict::PartiallySupported => 1,
        Verdict::Contradicted => 2,
        Verdict::NotSupported => 3,
        Verdict::Unverifiable => 4,
    }
}

/// Combines the per-source judgements of a claim. `judged` holds, per readable bound source,
/// its label, whether the citation named it, and its judgement; `unreadable` the reasons for
/// bound sources that could not be read. A source found by search that is not about the claim
/// is not evidence: its reason joins the unreadable ones. With no evidence left the claim is
/// unverifiable.
pub fn combine(
    claim: &Claim,
    judged: Vec<(String, bool, SourceJudgement)>,
    mut unreadable: Vec<String>,
) -> ClaimResult {
    let mut evidence_of: Vec<(String, SourceJudgement)> = Vec::new();
    for (label, cited, j) in judged {
        if j.relevant || cited {
            evidence_of.push((label, j));
        } else {
            unreadable.push(format!(
                "{label}: not evidence: {} ({})",
                j.reasons.first().map(String::as_str).unwrap_or_default(),
                j.evidence.url
            ));
        }
    }
    if evidence_of.is_empty() {
        let mut reasons = unreadable;
        if claim.cited.is_empty() {
            reasons.push("no citation is bound to this claim".to_string());
        } else if reasons.is_empty() {
            reasons.push("none of the cited sources could be read".to_string());
        }
        return ClaimResult {
            claim: claim.clone(),
            verdict: Verdict::Unverifiable,
            score: 0.0,
            reasons,
            evidence: Vec::new(),
        };
    }
    // One source that supports the claim is enough, unless another source contradicts it on a
    // passage closer to the claim: a vague agreement does not outweigh a precise conflict.
    let conflict = evidence_of
        .iter()
        .filter(|(_, j)| j.verdict == Verdict::Contradicted)
        .map(|(_, j)| j.evidence.similarity)
        .fold(f64::NEG_INFINITY, f64::max);
    let counts = |j: &SourceJudgement| {
        !matches!(j.verdict, Verdict::Supported | Verdict::PartiallySupported)
            || j.evidence.similarity >= conflict
    };
    let verdict = evidence_of
        .iter()
        .filter(|(_, j)| counts(j))
        .map(|(_, j)| j.verdict)
        .min_by_key(|v| rank(*v))
        .expect("a source that is not outweighed is left");
    let score = evidence_of
        .iter()
        .filter(|(_, j)| j.verdict == verdict)
        .map(|(_, j)| j.score)
        .fold(0.0, f64::max);
    // The decisive reason leads: sources in verdict order, then the one whose mismatch a reader
    // acts on first (a swapped entity before a hedge), then the closest passage.
    evidence_of.sort_by(|a, b| {
        let key = |j: &SourceJudgement| (!counts(j), rank(j.verdict));
        key(&a.1)
            .cmp(&key(&b.1))
            .then(decisive_flag(&a.1).cmp(&decisive_flag(&b.1)))
            .then(
                b.1.evidence
                    .similarity
                    .partial_cmp(&a.1.evidence.similarity)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
    });
    let mut reasons: Vec<String> = evidence_of
        .iter()
        .flat_map(|(label, j)| j.reasons.iter().map(move |r| format!("{label}: {r}")))
        .collect();
    reasons.extend(unreadable);
    ClaimResult {
        claim: claim.clone(),
        verdict,
        score,
        reasons,
        // A cited page that is not about the claim gives its verdict, never a quote.
        evidence: evidence_of
            .into_iter()
            .filter(|(_, j)| j.relevant)
            .map(|(_, j)| j.evidence)
            .collect(),
    }
}
