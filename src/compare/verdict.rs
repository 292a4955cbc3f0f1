//! Evidence -> verdict: per source, then per claim over all its cited sources.

use crate::model::{Claim, ClaimResult, Evidence, FlagKind, Verdict};

/// Below this similarity no passage of the source states the claim.
pub const MIN_RELATED: f64 = 0.30;
/// From this similarity on, with no mismatch, the source states the claim.
pub const SUPPORTED_AT: f64 = 0.60;
/// From this similarity on, a passage is about the same matter, so a flipped polarity or a
/// changed number contradicts the claim rather than missing it.
pub const SAME_MATTER_AT: f64 = 0.45;
/// A changed number or flipped polarity on a passage this close contradicts the claim.
pub const CONTRADICTS_AT: f64 = 0.35;

/// How much each mismatch lowers the score.
fn penalty(kind: FlagKind) -> f64 {
    match kind {
        FlagKind::EntitySwap => 0.45,
        FlagKind::NumberMismatch => 0.4,
        FlagKind::NegationFlip => 0.3,
        FlagKind::CertaintyEscalation => 0.7,
        FlagKind::AttributionShift => 0.6,
        FlagKind::QuoteMismatch => 0.5,
    }
}

/// The judgement of one claim against one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceJudgement {
    pub verdict: Verdict,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// Judges one claim against the best evidence of one source (`outlet` names it in reasons).
pub fn judge_source(evidence: &Evidence, outlet: &str) -> SourceJudgement {
    let sim = evidence.similarity;
    let has = |k: FlagKind| evidence.flags.iter().any(|f| f.kind == k);
    let score = evidence
        .flags
        .iter()
        .fold(sim, |s, f| s * penalty(f.kind))
        .clamp(0.0, 1.0);
    let score = (score * 1000.0).round() / 1000.0;
    let mut reasons: Vec<String> = evidence
        .flags
        .iter()
        .map(|f| format!("{outlet}: {}", f.reason))
        .collect();
    let verdict = if sim < MIN_RELATED {
        reasons.insert(
            0,
            format!(
                "{outlet}: no passage states this; the closest shares {:.0}% of the claim's weighted words",
                sim * 100.0
            ),
        );
        Verdict::NotSupported
    } else if (has(FlagKind::NegationFlip) || has(FlagKind::NumberMismatch))
        && sim >= CONTRADICTS_AT
    {
        Verdict::Contradicted
    } else if has(FlagKind::EntitySwap)
        || has(FlagKind::AttributionShift)
        || has(FlagKind::NegationFlip)
        || has(FlagKind::NumberMismatch)
        || has(FlagKind::QuoteMismatch)
    {
        Verdict::NotSupported
    } else if evidence.flags.is_empty() && sim < SAME_MATTER_AT && evidence.matched_numbers >= 1 {
        reasons.push(format!(
            "{outlet}: a passage states the claim's figures but not all it says around them"
        ));
        Verdict::PartiallySupported
    } else if evidence.flags.is_empty() && sim >= SUPPORTED_AT {
        reasons.push(format!(
            "{outlet}: a passage states this ({:.0}% of the claim's weighted words)",
            sim * 100.0
        ));
        Verdict::Supported
    } else if sim >= SAME_MATTER_AT {
        if evidence.flags.is_empty() {
            reasons.push(format!(
                "{outlet}: a passage covers the core ({:.0}%) but not every detail of the claim",
                sim * 100.0
            ));
        }
        Verdict::PartiallySupported
    } else {
        reasons.insert(
            0,
            format!(
                "{outlet}: the closest passage covers only {:.0}% of the claim",
                sim * 100.0
            ),
        );
        Verdict::NotSupported
    };
    SourceJudgement {
        verdict,
        score,
        reasons,
    }
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

/// Combines the per-source judgements of a claim. `judged` holds each readable cited source's
/// evidence and judgement; `unreadable` the reasons for cited sources that could not be read.
pub fn judge_claim(
    claim: &Claim,
    judged: Vec<(Evidence, SourceJudgement)>,
    unreadable: Vec<String>,
) -> ClaimResult {
    if judged.is_empty() {
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
    let verdict = judged
        .iter()
        .map(|(_, j)| j.verdict)
        .min_by_key(|v| rank(*v))
        .expect("not empty");
    let score = judged
        .iter()
        .filter(|(_, j)| j.verdict == verdict)
        .map(|(_, j)| j.score)
        .fold(0.0, f64::max);
    let mut ordered = judged;
    ordered.sort_by(|a, b| {
        rank(a.1.verdict).cmp(&rank(b.1.verdict)).then(
            b.0.similarity
                .partial_cmp(&a.0.similarity)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    let mut reasons: Vec<String> = ordered
        .iter()
        .flat_map(|(_, j)| j.reasons.clone())
        .collect();
    reasons.extend(unreadable);
    ClaimResult {
        claim: claim.clone(),
        verdict,
        score,
        reasons,
        evidence: ordered.into_iter().map(|(e, _)| e).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClaimKind, Flag};

    fn evidence(sim: f64, flags: &[FlagKind]) -> Evidence {
        Evidence {
            citation: "c1".into(),
            url: "u".into(),
            quote: "q".into(),
            start: 0,
            end: 1,
            similarity: sim,
            matched_numbers: 0,
            flags: flags
                .iter()
                .map(|k| Flag {
                    kind: *k,
                    claim: "a".into(),
                    source: "b".into(),
                    reason: "r".into(),
                })
                .collect(),
        }
    }

    fn check(sim: f64, flags: &[FlagKind], expected: Verdict) {
        assert_eq!(
            judge_source(&evidence(sim, flags), "X").verdict,
            expected,
            "{sim} {flags:?}"
        );
    }

    #[test]
    fn verdict_rules() {
        check(0.9, &[], Verdict::Supported);
        check(0.5, &[], Verdict::PartiallySupported);
        check(
            0.9,
            &[FlagKind::CertaintyEscalation],
            Verdict::PartiallySupported,
        );
        check(0.9, &[FlagKind::NumberMismatch], Verdict::Contradicted);
        check(
            0.9,
            &[FlagKind::EntitySwap, FlagKind::CertaintyEscalation],
            Verdict::NotSupported,
        );
        check(0.1, &[], Verdict::NotSupported);
        check(0.35, &[], Verdict::NotSupported);
    }

    #[test]
    fn one_supporting_source_is_enough_and_none_is_unverifiable() {
        let claim = Claim {
            id: "k1".into(),
            kind: ClaimKind::Statement,
            text: "t".into(),
            line: 1,
            column: 1,
            cited: vec!["c1".into()],
        };
        let a = (evidence(0.9, &[]), judge_source(&evidence(0.9, &[]), "A"));
        let b = (evidence(0.2, &[]), judge_source(&evidence(0.2, &[]), "B"));
        let r = judge_claim(&claim, vec![b, a], vec![]);
        assert_eq!(r.verdict, Verdict::Supported);
        assert_eq!(r.evidence[0].similarity, 0.9);
        let r = judge_claim(&claim, vec![], vec!["c1: unreachable".into()]);
        assert_eq!(r.verdict, Verdict::Unverifiable);
    }
}
