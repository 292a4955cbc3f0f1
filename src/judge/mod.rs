//! The one judge every command uses: `check`, `recheck`, `compare` and `eval` all call
//! [`Judge`], so a claim gets the same verdict from each of them.
//!
//! A claim is judged against each source page bound to it in two steps. **Relevance** first:
//! is the page about the claim at all? A page that is not never becomes evidence (the citation
//! that found it by search is then `not_found`, and a claim with no other source is
//! unverifiable). Then the **verdict**, from the learned combiner's stance probabilities and
//! the mismatch flags, with the decisive reason first (see `judge/source.rs` for the rules and their
//! order). Pure: no I/O, no clock.
//!
//! The combiner was trained on FNC-1 stances. Its classes map to verdicts this way: *agree* is
//! supported; *disagree* is contradicted; *discuss* — a body that reports on the claim without
//! confirming it — is **not** support: it is `not_supported`, or `partially_supported` when a
//! passage restates the claim's core; *unrelated* is "not about the claim" (not evidence).

mod claim;
mod source;

pub use claim::combine;
pub use source::{
    is_body_sentence, SourceJudgement, CONTRADICTS_AT, MIN_RELATED, SAME_MATTER_AT, SUPPORTED_AT,
};

use crate::compare::combiner::Combiner;
use crate::compare::PreparedSource;
use crate::model::{Claim, ClaimResult, Page};

/// The judge: the learned combiner and the rules that run around it.
#[derive(Debug, Clone)]
pub struct Judge {
    model: Combiner,
}

/// A source page bound to a claim through one of its citations.
pub struct Bound<'a> {
    /// The citation's id (`c1`).
    pub citation: &'a str,
    /// The name reasons give the source (the outlet, else the URL).
    pub label: &'a str,
    pub page: &'a Page,
    /// Whether the citation named this page (its URL) rather than the page being found by
    /// search. A cited page that is not about the claim is judged `not_supported` (the writer
    /// pointed at it); a page search found that is not about the claim is no evidence at all.
    pub cited: bool,
}

impl Judge {
    /// A judge with another combiner (`--model FILE`).
    pub fn new(model: Combiner) -> Judge {
        Judge { model }
    }

    /// The judge with the shipped combiner (`data/combiner.json`), built once.
    pub fn shipped() -> &'static Judge {
        static JUDGE: std::sync::OnceLock<Judge> = std::sync::OnceLock::new();
        JUDGE.get_or_init(|| Judge::new(crate::compare::pair::shipped().clone()))
    }

    /// The combiner in use.
    pub fn model(&self) -> &Combiner {
        &self.model
    }

    /// Judges `claim` against one prepared source (relevance, then verdict).
    pub fn source(
        &self,
        claim: &Claim,
        source: &PreparedSource,
        citation: &str,
    ) -> SourceJudgement {
        source::judge(&self.model, claim, source, citation)
    }

    /// Whether `page` is about `claim` at all (the first step of [`Judge::source`]).
    pub fn is_about(&self, claim: &Claim, page: &Page) -> bool {
        self.source(claim, &PreparedSource::new(page), "c").relevant
    }

    /// The one entry point: `claim` against every source page bound to it. `unreadable` holds
    /// a reason for each bound citation whose page could not be read. Sources the judge finds
    /// not to be about the claim are not evidence; their reason is kept.
    pub fn judge(&self, claim: &Claim, sources: &[Bound], unreadable: Vec<String>) -> ClaimResult {
        let judged = sources
            .iter()
            .map(|b| {
                let prepared = PreparedSource::new(b.page);
                let j = self.source(claim, &prepared, b.citation);
                (b.label.to_string(), b.cited, j)
            })
            .collect();
        combine(claim, judged, unreadable)
    }
}

#[cfg(test)]
mod tests;
