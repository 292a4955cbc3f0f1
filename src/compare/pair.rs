//! One claim against one source text, judged end to end: retrieval, features, the learned
//! combiner, then the mismatch flags, which override a lexical "supported" a reader would not
//! accept (a swapped entity, a changed actor, a flipped polarity). This is what
//! `citecheck compare` and the benchmark evaluations run.

use super::combiner::Combiner;
use super::features::{self, Features};
use super::{numbers, verdict, PreparedSource};
use crate::model::{Claim, ClaimKind, Evidence, FlagKind, Page, Verdict};
use crate::text::fold;

/// The classes of the shipped combiner, in FNC-1's stance terms, and the verdicts they mean.
pub const CLASSES: [&str; 4] = ["agree", "disagree", "discuss", "unrelated"];

/// The verdict a stance class maps to.
pub fn verdict_of_class(class: usize) -> Verdict {
    match class {
        0 => Verdict::Supported,
        1 => Verdict::Contradicted,
        2 => Verdict::PartiallySupported,
        _ => Verdict::NotSupported,
    }
}

/// The combiner trained by `citecheck eval train --fnc1 DIR` (see BENCHMARKS.md).
pub fn shipped() -> &'static Combiner {
    static MODEL: std::sync::OnceLock<Combiner> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        Combiner::from_json(include_str!("../../data/combiner.json"))
            .expect("data/combiner.json is checked by a unit test")
    })
}

/// The judgement of one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct PairJudgement {
    pub verdict: Verdict,
    /// Probability that the source supports the claim: the combiner's P(agree) through its
    /// isotonic calibration (fitted out of fold on FNC-1 training pairs), capped at 0.3 when
    /// a mismatch flag is raised.
    pub score: f64,
    pub evidence: Evidence,
    pub reasons: Vec<String>,
    pub features: Features,
    /// The combiner's class probabilities (agree, disagree, discuss, unrelated).
    pub probabilities: Vec<f64>,
    pub cross_lingual: bool,
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
    }
}

/// Judges `claim` against a prepared source with `model`.
pub fn judge_pair(claim: &str, source: &PreparedSource, model: &Combiner) -> PairJudgement {
    judge_prepared(&claim_of(claim), source, model)
}

/// Judges an extracted claim against a prepared source with `model`. (`check` and `recheck`
/// still judge by `verdict::judge_source`; see BENCHMARKS.md on why.)
pub fn judge_prepared(claim: &Claim, source: &PreparedSource, model: &Combiner) -> PairJudgement {
    let (evidence, features, _) = features::extract(claim, source);
    let probabilities = model.probabilities(&features);
    let cross_lingual = features.values[32] > 0.5;
    let (mut verdict, mut score, mut reasons) = if cross_lingual {
        cross_lingual_verdict(claim, source, &features)
    } else {
        let class = argmax(&probabilities);
        (
            verdict_of_class(class),
            model.support(&probabilities),
            Vec::new(),
        )
    };
    let sim = evidence.similarity;
    let has = |k: FlagKind| evidence.flags.iter().any(|f| f.kind == k);
    // A "supported" from the combiner yields to any mismatch flag; a "partially supported"
    // (FNC-1's discuss) only to several kinds at once, since one flag on a passage that merely
    // reports the matter is often noise (measured on FNC-1, see BENCHMARKS.md).
    let kinds = {
        let mut k: Vec<FlagKind> = evidence.flags.iter().map(|f| f.kind).collect();
        k.sort_by_key(|f| *f as u8);
        k.dedup();
        k.len()
    };
    let positive =
        verdict == Verdict::Supported || (verdict == Verdict::PartiallySupported && kinds >= 2);
    if positive
        && (has(FlagKind::NegationFlip) || has(FlagKind::NumberMismatch))
        && sim >= verdict::CONTRADICTS_AT
    {
        verdict = Verdict::Contradicted;
    } else if positive
        && (has(FlagKind::EntitySwap)
            || has(FlagKind::AttributionShift)
            || has(FlagKind::QuoteMismatch))
    {
        verdict = Verdict::NotSupported;
    } else if verdict == Verdict::Supported && has(FlagKind::CertaintyEscalation) && kinds >= 2 {
        // Hedging alone is already weighed by the combiner (a feature); it overrides only
        // together with another mismatch.
        verdict = Verdict::PartiallySupported;
    }
    // A claim that names a person, place, work, date or figure the source never states adds
    // a detail the source does not give: at most partially supported (WiCE's definition).
    // Only in a sentence-case claim: in a title-case headline every word looks like a name.
    // `name_agreement` (feature 46) is below 1 exactly when some name is missing, so the
    // names are only looked up again, for the reason, when there is one to give.
    if verdict == Verdict::Supported
        && !cross_lingual
        && features.values[46] < 1.0
        && !features::title_case(&claim.text)
    {
        let missing = features::missing_names(&claim.text, source);
        if !missing.is_empty() {
            verdict = Verdict::PartiallySupported;
            score = score.min(0.5);
            reasons.push(format!(
                "the claim names {} that the source never states",
                missing.join(", ")
            ));
        }
    }
    if !evidence.flags.is_empty() {
        score = score.min(0.3);
    }
    reasons.extend(evidence.flags.iter().map(|f| f.reason.clone()));
    // The verdict's own reason leads, after what says the comparison is cross-lingual.
    let at = usize::from(cross_lingual).min(reasons.len());
    reasons.insert(at, summary(verdict, &evidence, &features, score));
    PairJudgement {
        verdict,
        score: (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
        evidence,
        reasons,
        features,
        probabilities,
        cross_lingual,
    }
}

/// Judges one pair given as plain texts with the shipped model.
pub fn judge_texts(claim: &str, source_text: &str) -> PairJudgement {
    let page = page_from_text(source_text);
    judge_pair(claim, &PreparedSource::new(&page), shipped())
}

fn argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    best
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
    let has_entities = !super::entities::mentions_folded(&claim_f).is_empty();
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

fn summary(v: Verdict, e: &Evidence, f: &Features, score: f64) -> String {
    let cover = e.similarity * 100.0;
    match v {
        Verdict::Supported => format!(
            "a passage states this ({cover:.0}% of the claim's weighted words; support {:.0}%)",
            score * 100.0
        ),
        Verdict::PartiallySupported => format!(
            "a passage speaks to this ({cover:.0}% of the claim's weighted words) but does not vouch for all of it"
        ),
        Verdict::Contradicted => {
            if f.values[11] > 0.0 {
                format!("passages on the same matter deny or debunk it ({cover:.0}% overlap)")
            } else {
                format!("a passage on the same matter conflicts with it ({cover:.0}% overlap)")
            }
        }
        _ => format!(
            "no passage states this; the closest shares {cover:.0}% of the claim's weighted words"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_loads_with_this_feature_set() {
        assert_eq!(shipped().features.len(), features::N);
        assert_eq!(shipped().classes, CLASSES);
    }

    #[test]
    fn supported_and_unrelated_pairs() {
        let source = "Dockworkers at the port of Rotterdam returned to work on Monday after a three-week strike.\n\
                      Unions accepted a 5.3% pay rise, the port authority said.\nShipping lines expect delays to ease within days.";
        let j = judge_texts(
            "Dockworkers in Rotterdam returned to work on Monday after a three-week strike.",
            source,
        );
        assert!(
            matches!(j.verdict, Verdict::Supported | Verdict::PartiallySupported),
            "{j:?}"
        );
        let u = judge_texts("A meteorite crashed near the airport of Managua.", source);
        assert_eq!(u.verdict, Verdict::NotSupported, "{u:?}");
        assert!(u.score < j.score);
        let chars: Vec<char> = page_from_text(source).text().chars().collect();
        let quote: String = chars[j.evidence.start..j.evidence.end].iter().collect();
        assert_eq!(quote, j.evidence.quote);
    }

    #[test]
    fn a_name_the_source_never_states_makes_a_claim_partial() {
        let source = "Dockworkers at the port of Rotterdam returned to work on Monday after a three-week strike.\n\
                      Unions accepted a 5.3% pay rise, the port authority said.";
        let whole = judge_texts(
            "Dockworkers at the port of Rotterdam returned to work on Monday after a three-week strike.",
            source,
        );
        assert_eq!(whole.verdict, Verdict::Supported, "{whole:?}");
        let more = judge_texts(
            "Dockworkers at the ports of Rotterdam and Antwerp returned to work on Monday after a three-week strike.",
            source,
        );
        assert_eq!(more.verdict, Verdict::PartiallySupported, "{more:?}");
        assert!(
            more.reasons
                .iter()
                .any(|r| r.contains("Antwerp") && r.contains("never states")),
            "{:?}",
            more.reasons
        );
        assert!(more.score <= 0.5);
        // In a title-case headline every word looks like a name, so none is held against it.
        let headline = judge_texts(
            "Dockworkers At Rotterdam And Antwerp Return To Work After Three-Week Strike",
            source,
        );
        assert!(
            !headline.reasons.iter().any(|r| r.contains("never states")),
            "{:?}",
            headline.reasons
        );
    }

    #[test]
    fn flags_override_lexical_support() {
        let j = judge_texts(
            "Unions accepted a 6.3% pay rise.",
            "Unions accepted a 5.3% pay rise on Monday.",
        );
        assert_eq!(j.verdict, Verdict::Contradicted, "{j:?}");
        assert!(
            j.reasons.iter().any(|r| r.contains("5.3%")),
            "{:?}",
            j.reasons
        );
        let z = judge_texts(
            "上海港周一停止集装箱装卸作业。",
            "上海港周一恢复集装箱装卸作业。",
        );
        assert_eq!(z.verdict, Verdict::Contradicted, "{z:?}");
    }

    #[test]
    fn seed_claim_against_an_english_report() {
        let source = "US officials are considering restricting exports of Nvidia chips to the Middle East, Bloomberg reported.\nThe talks are at an early stage.";
        let en = judge_texts(
            "Nvidia officially announced it will stop taking orders from China.",
            source,
        );
        assert_eq!(en.verdict, Verdict::NotSupported, "{en:?}");
        let r = en.reasons.join(" | ");
        assert!(
            r.contains("the source says 中东, the claim says 中国"),
            "{r}"
        );
        assert!(
            r.contains("the source hedges (considering), the claim asserts (officially)"),
            "{r}"
        );
        let zh = judge_texts("英伟达正式宣布停止接受中国新订单", source);
        assert!(zh.cross_lingual);
        assert_eq!(zh.verdict, Verdict::NotSupported, "{zh:?}");
        let r = zh.reasons.join(" | ");
        assert!(
            r.contains("cross-lingual") && r.contains("正式宣布") && r.contains("中东"),
            "{r}"
        );
    }

    #[test]
    fn cross_lingual_pair_says_so() {
        let source = "Nvidia has won $5 billion of new orders from the Middle East, the company said in 2024.";
        let j = judge_texts("英伟达2024年获得中东50亿美元新订单", source);
        assert!(j.cross_lingual);
        assert_eq!(j.verdict, Verdict::PartiallySupported, "{j:?}");
        assert!(j.reasons[0].contains("cross-lingual"), "{:?}", j.reasons);
        let k = judge_texts("英伟达2024年获得中东80亿美元新订单", source);
        assert_eq!(k.verdict, Verdict::NotSupported, "{k:?}");
        let m = judge_texts("英伟达2024年获得中国50亿美元新订单", source);
        assert_ne!(m.verdict, Verdict::PartiallySupported, "{m:?}");
    }
}
