//! One claim against one source: relevance, then the verdict and its reasons.
//!
//! The verdict's rules, in the order they are tried once the page is about the claim (each is
//! a documented override of, or an addition to, the combiner's class; tests in `tests.rs`):
//!
//! 1. a changed figure or date, or a negation on one side only (`not`, `never`, `no longer`,
//!    `没有`, `未`, `并非`, `不再`, antonyms), on a passage this close ([`CONTRADICTS_AT`]):
//!    **contradicted**;
//! 2. a swapped entity (中东 → 中国), a changed actor (the US government → Nvidia), misquoted
//!    words, or a figure or negation mismatch on a looser passage: **not supported**;
//! 3. the combiner's *disagree* (the source denies or debunks the claim): **contradicted**;
//! 4. escalated certainty (the source hedges: 考虑, 可能, may, considering; the claim asserts):
//!    at most **partially supported**, and only on a passage that restates the claim's core;
//! 5. the combiner's *agree*, or a passage restating the claim ([`SUPPORTED_AT`]) with no
//!    mismatch: **supported**, unless a sentence-case claim names a person, place, date or
//!    figure the source never states (then **partially supported**, or **not supported** when
//!    no passage restates even [`MIN_RELATED`] of the claim, or a missing figure comes with no
//!    passage restating [`SAME_MATTER_AT`] of it);
//! 6. *discuss*: a passage restating the claim's core ([`SAME_MATTER_AT`]) or its figures is
//!    **partially supported**; otherwise the source reports on the matter without confirming
//!    the claim: **not supported**.
//!
//! Across languages words cannot be matched, so names, amounts, percentages and years decide.

use crate::compare::combiner::argmax;
use crate::compare::combiner::Combiner;
use crate::compare::features::{self, Features};
use crate::compare::{entities, numbers, PreparedSource};
use crate::model::{Claim, Evidence, FlagKind, Verdict};
use crate::text::fold;

/// Below this similarity no passage of the source states the claim (and without a combiner
/// vote or a mismatch flag, the page is not about it).
pub const MIN_RELATED: f64 = crate::compare::MIN_RELATED;
/// From this similarity on, with no mismatch, a passage restates the claim: supported even when
/// the combiner says *discuss*. (0.60 in the old rule path; 0.80 keeps FNC-1's discuss pairs,
/// which often share most words of the headline, from being called support: BENCHMARKS.md.)
pub const SUPPORTED_AT: f64 = 0.80;
/// From this similarity on, a passage restates the claim's core.
pub const SAME_MATTER_AT: f64 = 0.45;
/// A changed number or flipped polarity on a passage this close contradicts the claim.
pub const CONTRADICTS_AT: f64 = 0.35;

/// The least score a supported verdict has (see `monolingual`).
pub const SUPPORTED_FLOOR: f64 = 0.5;

/// Index of each stance class in the combiner's probabilities.
const AGREE: usize = 0;
const DISAGREE: usize = 1;
const DISCUSS: usize = 2;
const UNRELATED: usize = 3;

/// The judgement of one claim against one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceJudgement {
    /// Whether the page is about the claim at all. When it is not, the page is no evidence
    /// and `verdict` is `not_supported`.
    pub relevant: bool,
    pub verdict: Verdict,
    /// Probability that the source supports the claim: the combiner's P(agree) through its
    /// isotonic calibration (fitted out of fold on FNC-1 training pairs), capped at 0.3 when a
    /// mismatch flag is raised and at 0.5 when the claim names what the source never states.
    pub score: f64,
    /// The decisive reason first, then the others (without the source's label).
    pub reasons: Vec<String>,
    /// The best passage (a sentence or a window of sentences of the body) and the flags.
    pub evidence: Evidence,
    pub features: Features,
    /// The combiner's class probabilities (agree, disagree, discuss, unrelated).
    pub probabilities: Vec<f64>,
    pub cross_lingual: bool,
}

/// Whether a sentence reads as body text rather than page furniture: a byline such as
/// "Kirsty MacleodBBC Scotland business reporter" or "记者 方晓 通讯员 王敏", a photo credit.
/// Furniture is short, does not end as a sentence ends, and names a newsroom role; anything
/// else (a list item, a heading, a caption) is kept, since it may be the evidence.
pub fn is_body_sentence(text: &str) -> bool {
    const ROLES: [&str; 14] = [
        "reporter",
        "correspondent",
        "editor",
        "staff writer",
        "contributor",
        "photographer",
        "bbc news",
        "getty images",
        "记者",
        "编辑",
        "通讯员",
        "责编",
        "摄影",
        "图片来源",
    ];
    let t = text.trim();
    let last = t
        .trim_end_matches(['"', '”', '’', '\'', '」', '）', ')', ']'])
        .chars()
        .last();
    if matches!(
        last,
        Some('.' | '!' | '?' | '。' | '！' | '？' | '…' | ';' | '；' | ':' | '：')
    ) {
        return true;
    }
    let cjk = t
        .chars()
        .filter(|c| crate::text::normalize::is_cjk(*c))
        .count();
    let words = t.split_whitespace().count();
    let short = if cjk > 0 { cjk <= 20 } else { words <= 8 };
    let lower = t.to_lowercase();
    !(short && ROLES.iter().any(|r| lower.contains(r)))
}

pub(super) fn judge(
    model: &Combiner,
    claim: &Claim,
    source: &PreparedSource,
    citation: &str,
) -> SourceJudgement {
    let nli = model.uses_inference().then(crate::nli::NliModel::shipped);
    let (mut evidence, features, _) = features::extract_with(claim, source, nli);
    evidence.citation = citation.to_string();
    // A negation only the claim makes (not, never, no longer, 没有, 未, 并非, 不再), on a passage
    // that restates the rest of the claim (on a looser one it may be about another matter).
    // Raised after the features: the combiner was trained without it.
    if evidence.similarity >= SAME_MATTER_AT
        && !evidence
            .flags
            .iter()
            .any(|f| f.kind == FlagKind::NegationFlip)
    {
        let core = fold(&crate::compare::claim_core(&claim.text));
        evidence.flags.extend(crate::compare::added_negation(
            &core,
            &fold(&evidence.quote),
        ));
    }
    let probabilities = model.probabilities(&features);
    let cross_lingual = features.values[32] > 0.5;
    let mut score = model.support(&probabilities);
    let sim = evidence.similarity;
    let class = argmax(&probabilities);
    let flagged = !evidence.flags.is_empty();

    // Relevance. Within a language the combiner's "unrelated" decides, unless a passage
    // shares a good part of the claim's words or a mismatch was found on a passage about the
    // same matter (flags are only looked for there). Across languages: a shared name or figure.
    let relevant = if cross_lingual {
        features.values[33] > 0.0 || features.values[34] > 0.0
    } else {
        class != UNRELATED || sim >= SAME_MATTER_AT || flagged
    };
    if !relevant {
        let reason = if evidence.quote.is_empty() {
            "the page has no text to compare".to_string()
        } else {
            format!(
                "the page is not about this claim (the closest passage shares {:.0}% of its weighted words)",
                sim * 100.0
            )
        };
        return SourceJudgement {
            relevant,
            verdict: Verdict::NotSupported,
            score: round(score.min(0.05)),
            reasons: vec![reason],
            evidence,
            features,
            probabilities,
            cross_lingual,
        };
    }

    let mut reasons = Vec::new();
    let verdict = if cross_lingual {
        let (v, s, r) = cross_lingual_verdict(claim, source, &features);
        score = s;
        reasons.extend(r);
        // A mismatch found across languages (a name or figure) still decides.
        if flagged && v != Verdict::NotSupported {
            Verdict::NotSupported
        } else {
            v
        }
    } else {
        let (v, decisive) = monolingual(claim, source, &evidence, &features, class, &mut score);
        reasons.push(decisive);
        v
    };
    // The flags: the decisive one first (it leads when the verdict rests on it).
    let mut flags = evidence.flags.clone();
    flags.sort_by_key(|f| priority(f.kind));
    let flag_reasons: Vec<String> = flags.iter().map(|f| f.reason.clone()).collect();
    if flagged {
        score = score.min(0.3);
        if matches!(verdict, Verdict::Contradicted | Verdict::NotSupported) || cross_lingual {
            // The mismatch is what decided: it comes first, the summary after it.
            let at = usize::from(cross_lingual).min(reasons.len());
            for (k, r) in flag_reasons.into_iter().enumerate() {
                reasons.insert(at + k, r);
            }
        } else {
            reasons.extend(flag_reasons);
        }
    }
    SourceJudgement {
        relevant,
        verdict,
        score: round(score),
        reasons,
        evidence,
        features,
        probabilities,
        cross_lingual,
    }
}

/// Which mismatch decides when there are several: the one a reader acts on first.
pub(super) fn priority(kind: FlagKind) -> u8 {
    match kind {
        FlagKind::EntitySwap => 0,
        FlagKind::NumberMismatch => 1,
        FlagKind::NegationFlip => 2,
        FlagKind::CertaintyEscalation => 3,
        FlagKind::AttributionShift => 4,
        FlagKind::QuoteMismatch => 5,
    }
}

/// Rules 1–6 of the module doc; returns the verdict and its own reason.
fn monolingual(
    claim: &Claim,
    source: &PreparedSource,
    evidence: &Evidence,
    f: &Features,
    class: usize,
    score: &mut f64,
) -> (Verdict, String) {
    let sim = evidence.similarity;
    let cover = sim * 100.0;
    let has = |k: FlagKind| evidence.flags.iter().any(|x| x.kind == k);
    let flagged = !evidence.flags.is_empty();
    // An added negation (a flag with no source word) contradicts unless the combiner reads the
    // passage as merely discussing the matter: then it is not supported (rule 2).
    let opposed = evidence.flags.iter().any(|x| {
        x.kind == FlagKind::NumberMismatch
            || (x.kind == FlagKind::NegationFlip && (!x.source.is_empty() || class != DISCUSS))
    });
    if opposed && sim >= CONTRADICTS_AT {
        return (
            Verdict::Contradicted,
            format!("a passage on the same matter conflicts with it ({cover:.0}% overlap)"),
        );
    }
    if has(FlagKind::EntitySwap)
        || has(FlagKind::AttributionShift)
        || has(FlagKind::QuoteMismatch)
        || has(FlagKind::NegationFlip)
        || has(FlagKind::NumberMismatch)
    {
        return (
            Verdict::NotSupported,
            format!("so the source does not bear the claim out (its closest passage shares {cover:.0}% of the claim's weighted words)"),
        );
    }
    if class == DISAGREE {
        let how = if f.values[11] > 0.0 {
            "deny or debunk it"
        } else {
            "dispute it"
        };
        return (
            Verdict::Contradicted,
            format!("passages on the same matter {how} ({cover:.0}% overlap)"),
        );
    }
    if has(FlagKind::CertaintyEscalation) {
        return if sim >= SAME_MATTER_AT || class == AGREE {
            (
                Verdict::PartiallySupported,
                format!("a passage states this ({cover:.0}%) only as a possibility"),
            )
        } else {
            (
                Verdict::NotSupported,
                format!("the source only reports this as a possibility ({cover:.0}% overlap)"),
            )
        };
    }
    if (class == AGREE || sim >= SUPPORTED_AT) && !flagged {
        // A claim that names a person, place, work, date or figure the source never states
        // adds a detail the source does not give: at most partially supported (WiCE's
        // definition). Only in a sentence-case claim: in a title-case headline every word
        // looks like a name. `name_agreement` (feature 46) is below 1 exactly when a name is
        // missing, so the names are only looked up again, for the reason, when there is one.
        if f.values[46] < 1.0 && !features::title_case(&claim.text) {
            let missing = features::missing_names(&crate::compare::claim_core(&claim.text), source);
            if !missing.is_empty() {
                *score = score.min(0.5);
                // On a loose passage the missing detail is all there is to go on, and so is a
                // missing figure on a passage that does not restate the claim's core: the
                // figure is what the claim is about.
                let figure = missing
                    .iter()
                    .any(|m| m.chars().any(|c| c.is_ascii_digit()));
                if sim < MIN_RELATED || (figure && sim < SAME_MATTER_AT) {
                    *score = score.min(0.3);
                    return (
                        Verdict::NotSupported,
                        format!(
                            "the claim names {} that the source never states, and the closest passage restates only {cover:.0}% of its weighted words",
                            missing.join(", ")
                        ),
                    );
                }
                return (
                    Verdict::PartiallySupported,
                    format!(
                        "the claim names {} that the source never states",
                        missing.join(", ")
                    ),
                );
            }
        }
        // A supported verdict never scores as unlikely support: the lexical route (a passage
        // restating the claim while the combiner reads *discuss*) lifts the score to 0.5.
        *score = score.max(SUPPORTED_FLOOR);
        return (
            Verdict::Supported,
            format!(
                "a passage states this ({cover:.0}% of the claim's weighted words; support {:.0}%)",
                score.clamp(0.0, 1.0) * 100.0
            ),
        );
    }
    if sim >= SAME_MATTER_AT {
        return (
            Verdict::PartiallySupported,
            format!("a passage covers the core ({cover:.0}%) but not every detail of the claim"),
        );
    }
    if evidence.matched_numbers >= 1 && sim >= MIN_RELATED {
        return (
            Verdict::PartiallySupported,
            "a passage states the claim's figures but not all it says around them".to_string(),
        );
    }
    (
        Verdict::NotSupported,
        format!("the source reports on the matter but no passage confirms the claim (the closest shares {cover:.0}% of its weighted words)"),
    )
}

fn round(x: f64) -> f64 {
    (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

/// Across languages words cannot be matched, so names, amounts, percentages and years decide.
fn cross_lingual_verdict(
    claim: &Claim,
    source: &PreparedSource,
    f: &Features,
) -> (Verdict, f64, Vec<String>) {
    let claim_f = fold(&claim.text);
    let entity_share = f.values[33];
    let number_share = f.values[34];
    let has_numbers = numbers::quantities(&claim_f)
        .iter()
        .any(|q| q.unit != numbers::Unit::Plain);
    let has_entities = !entities::mentions_folded(&claim_f).is_empty();
    let mut reasons = vec![format!(
        "the comparison is cross-lingual (claim in {}, source in {}): only names, numbers and dates were compared",
        language_name(&claim_f),
        language_name(&source.text_folded)
    )];
    let (v, s) = if !has_entities && !has_numbers {
        reasons.push("the claim names nothing that can be compared across languages".into());
        (Verdict::NotSupported, 0.1)
    } else if has_numbers && number_share == 0.0 && entity_share >= 1.0 {
        reasons.push("the source names the same parties but none of the claim's figures".into());
        (Verdict::NotSupported, 0.15)
    } else if entity_share >= 1.0 && (!has_numbers || number_share >= 1.0) {
        reasons.push(
            "the source names every party and states every figure of the claim; its wording was not compared".into(),
        );
        (Verdict::PartiallySupported, 0.5)
    } else {
        reasons.push(format!(
            "the source names {:.0}% of the claim's parties and states {:.0}% of its figures",
            entity_share * 100.0,
            number_share * 100.0
        ));
        (Verdict::NotSupported, 0.15)
    };
    (v, s, reasons)
}

fn language_name(folded: &str) -> &'static str {
    if features::cjk_share(folded) > 0.5 {
        "Chinese"
    } else {
        "English"
    }
}
