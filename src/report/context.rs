//! What every reporter may need besides the run's result: the loaded documents (for positions
//! and the HTML article), the policy that says which claims fail, and a baseline of findings
//! already known, so CI fails only on new ones.

use crate::model::{ClaimResult, Document, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The schema name of a baseline file.
pub const BASELINE_SCHEMA: &str = "citecheck.baseline.v1";

/// Which claims fail a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Verdicts that fail.
    pub fail_on: Vec<Verdict>,
    /// A claim with at least one readable source (verdict other than unverifiable) and a score
    /// below this fails too.
    pub min_score: Option<f64>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            fail_on: vec![Verdict::NotSupported, Verdict::Contradicted],
            min_score: None,
        }
    }
}

impl Policy {
    /// Whether `c` fails under this policy (baseline not considered).
    pub fn fails(&self, c: &ClaimResult) -> bool {
        self.fails_with(c.verdict, c.score)
    }

    /// Whether a claim judged `verdict` with `score` fails under this policy.
    pub fn fails_with(&self, verdict: Verdict, score: f64) -> bool {
        self.fail_on.contains(&verdict)
            || self
                .min_score
                .is_some_and(|min| verdict != Verdict::Unverifiable && score < min)
    }
}

/// What a claim is for CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// It passes the policy.
    Pass,
    /// It fails and is not in the baseline.
    New,
    /// It fails but the baseline already lists it.
    Known,
}

impl Finding {
    /// Whether the claim fails the policy at all (new or known).
    pub fn is_failing(self) -> bool {
        self != Finding::Pass
    }
}

/// One finding of a baseline file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub path: String,
    pub claim: String,
    pub verdict: Verdict,
}

/// Findings accepted earlier (`--write-baseline`), matched by fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub schema: String,
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// The fingerprints it holds.
    pub fn fingerprints(&self) -> HashSet<&str> {
        self.findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect()
    }
}

/// Everything a reporter reads besides the run's result.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// ANSI colours in the human report.
    pub color: bool,
    pub policy: Policy,
    /// The loaded inputs, by path (positions of claims, the article in HTML). May be empty:
    /// reporters then fall back to the claims' start positions.
    pub documents: Vec<Document>,
    /// Known findings, when `--baseline` is given.
    pub baseline: Option<Baseline>,
    /// The baseline's fingerprints, built on first use (set `baseline` before any lookup).
    pub(crate) known: OnceLock<HashSet<String>>,
}

impl Context {
    /// The input document with this path, if loaded.
    pub fn document(&self, path: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.path == path)
    }

    /// What the claim `c` of the document at `path` is for CI.
    pub fn finding(&self, path: &str, c: &ClaimResult) -> Finding {
        if !self.policy.fails(c) {
            return Finding::Pass;
        }
        let Some(baseline) = &self.baseline else {
            return Finding::New;
        };
        let known = self.known.get_or_init(|| {
            baseline
                .findings
                .iter()
                .map(|f| f.fingerprint.clone())
                .collect()
        });
        if known.contains(&fingerprint(path, &c.claim.text)) {
            Finding::Known
        } else {
            Finding::New
        }
    }
}

/// A stable id of a claim for baselines and code scanning: the document path and the claim's
/// text folded (case, width, Traditional/Simplified) with whitespace and punctuation dropped,
/// hashed with 64-bit FNV-1a. Moving a claim to another line keeps its fingerprint.
pub fn fingerprint(path: &str, claim_text: &str) -> String {
    let folded: String = crate::text::fold(claim_text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes().chain([0u8]).chain(folded.bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_spacing_case_and_punctuation() {
        let a = fingerprint("drafts/a.md", "Revenue rose 6.3%, Reuters said.");
        assert_eq!(
            a,
            fingerprint("./drafts/a.md", "revenue  rose 6.3 % Reuters said")
        );
        assert_ne!(
            a,
            fingerprint("drafts/b.md", "Revenue rose 6.3%, Reuters said.")
        );
        assert_ne!(
            a,
            fingerprint("drafts/a.md", "Revenue rose 5.3%, Reuters said.")
        );
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn min_score_ignores_unverifiable_claims() {
        let policy = Policy {
            fail_on: vec![],
            min_score: Some(0.5),
        };
        let mut c = ClaimResult {
            claim: crate::model::Claim {
                id: "k1".into(),
                kind: crate::model::ClaimKind::Statement,
                text: "x".into(),
                line: 1,
                column: 1,
                cited: vec![],
                binding: None,
            },
            verdict: Verdict::Unverifiable,
            score: 0.0,
            reasons: vec![],
            evidence: vec![],
        };
        assert!(!policy.fails(&c));
        c.verdict = Verdict::PartiallySupported;
        c.score = 0.4;
        assert!(policy.fails(&c));
        c.score = 0.6;
        assert!(!policy.fails(&c));
    }
}
