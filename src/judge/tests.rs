//! The judge's rules, one case each: relevance, overrides, reasons, and the pair cases of
//! `compare`.

use super::*;
use crate::compare::pair::{judge_texts, page_from_text};
use crate::model::Verdict;

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

