//! Verdict change events (from `recheck`) as every format shows them: whether a change fails the
//! policy, where its claim is, and one line of plain words saying what changed and why.

use super::text::{claim_region, truncate, verdict_words};
use super::Context;
use crate::model::VerdictChange;

/// Whether the new verdict fails the run's policy (as a claim with that verdict and score would).
pub fn fails(ctx: &Context, c: &VerdictChange) -> bool {
    ctx.policy.fails_with(c.new, c.new_score)
}

/// The claim's region in its document (located in the text when the document is loaded).
pub fn region(ctx: &Context, c: &VerdictChange) -> (usize, usize, usize, usize) {
    claim_region(ctx.document(&c.document), &c.claim)
}

/// "supported → not supported" (or "none → …" when no verdict was recorded).
pub fn transition(c: &VerdictChange) -> String {
    format!(
        "{} → {}",
        c.old.map_or_else(|| "none".to_string(), verdict_words),
        verdict_words(c.new)
    )
}

/// One line: what changed, for which claim, caused by which source and how.
pub fn summary(c: &VerdictChange) -> String {
    let mut s = format!(
        "verdict changed {} for {} \"{}\": source {} is {}",
        transition(c),
        c.claim.id,
        truncate(&c.claim.text, 120),
        c.source,
        c.class.replace('_', " ")
    );
    if let Some(a) = &c.archived_url {
        s.push_str(&format!(" (judged on the archived copy {a})"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Claim, ClaimKind, Verdict};
    use crate::report::Policy;

    fn change(new: Verdict) -> VerdictChange {
        VerdictChange {
            document: "a.md".into(),
            claim: Claim {
                id: "k2".into(),
                kind: ClaimKind::Statement,
                text: "The budget is 5 million euros.".into(),
                line: 3,
                column: 1,
                cited: vec!["c1".into()],
                binding: None,
            },
            source: "http://news.test/budget".into(),
            class: "text_changed".into(),
            old: Some(Verdict::Supported),
            new,
            old_score: Some(0.9),
            new_score: 0.2,
            reasons: vec!["the source says 7 million, the claim says 5 million".into()],
            archived_url: None,
        }
    }

    #[test]
    fn a_change_fails_as_its_new_verdict_would() {
        let ctx = Context::default();
        assert!(fails(&ctx, &change(Verdict::Contradicted)));
        assert!(!fails(&ctx, &change(Verdict::PartiallySupported)));
        let strict = Context {
            policy: Policy {
                fail_on: vec![],
                min_score: Some(0.5),
            },
            ..Context::default()
        };
        assert!(fails(&strict, &change(Verdict::PartiallySupported)));
        assert!(!fails(&strict, &change(Verdict::Unverifiable)));
    }

    #[test]
    fn the_summary_says_what_changed_and_why() {
        let s = summary(&change(Verdict::Contradicted));
        assert!(s.contains("supported → contradicted"), "{s}");
        assert!(s.contains("k2"), "{s}");
        assert!(s.contains("text changed"), "{s}");
        let region = region(&Context::default(), &change(Verdict::Contradicted));
        assert_eq!(region, (3, 1, 3, 31));
    }
}
