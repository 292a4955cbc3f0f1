//! Pairs given as plain text (`citecheck compare`, the benchmarks): the page and the claim a
//! text makes, and the shipped combiner the judge (`crate::judge`) runs.

use super::combiner::Combiner;
use super::PreparedSource;
use crate::judge::{Judge, SourceJudgement};
use crate::model::{Claim, ClaimKind, Page};

/// The classes of the shipped combiner, in FNC-1's stance terms (the verdicts they mean are
/// stated in `crate::judge`).
pub const CLASSES: [&str; 4] = ["agree", "disagree", "discuss", "unrelated"];

/// The combiner trained by `citecheck eval train --fnc1 DIR` (see BENCHMARKS.md).
pub fn shipped() -> &'static Combiner {
    static MODEL: std::sync::OnceLock<Combiner> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        Combiner::from_json(include_str!("../../data/combiner.json"))
            .expect("data/combiner.json is checked by a unit test")
    })
}

/// A page holding plain source text: one paragraph per non-empty line.
pub fn page_from_text(text: &str) -> Page {
    Page {
        paragraphs: text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        ..Page::default()
    }
}

/// A claim of plain text, as the pair commands take it.
pub fn claim_of(text: &str) -> Claim {
    Claim {
        id: "claim".into(),
        kind: if text.contains('“') || text.contains('「') {
            ClaimKind::Quote
        } else {
            ClaimKind::Statement
        },
        text: text.to_string(),
        line: 1,
        column: 1,
        cited: vec!["source".into()],
        binding: None,
    }
}

/// Judges one pair given as plain texts with the shipped judge.
pub fn judge_texts(claim: &str, source_text: &str) -> SourceJudgement {
    let page = page_from_text(source_text);
    Judge::shipped().source(&claim_of(claim), &PreparedSource::new(&page), "source")
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_loads_with_this_feature_set() {
        let width = shipped().features.len();
        assert!((super::super::features::LEXICAL..=super::super::features::N).contains(&width));
        assert_eq!(
            shipped().features[..],
            super::super::features::NAMES[..width]
        );
        assert_eq!(shipped().classes, CLASSES);
    }
}
