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
    let source =
        "Nvidia has won $5 billion of new orders from the Middle East, the company said in 2024.";
    let j = judge_texts("英伟达2024年获得中东50亿美元新订单", source);
    assert!(j.cross_lingual);
    assert_eq!(j.verdict, Verdict::PartiallySupported, "{j:?}");
    assert!(j.reasons[0].contains("cross-lingual"), "{:?}", j.reasons);
    let k = judge_texts("英伟达2024年获得中东80亿美元新订单", source);
    assert_eq!(k.verdict, Verdict::NotSupported, "{k:?}");
    let m = judge_texts("英伟达2024年获得中国50亿美元新订单", source);
    assert_ne!(m.verdict, Verdict::PartiallySupported, "{m:?}");
}

fn claim(text: &str) -> crate::model::Claim {
    crate::compare::pair::claim_of(text)
}

const PORT: &str =
    "Dockworkers at the port of Rotterdam returned to work on Monday after a three-week strike.\n\
    Unions accepted a 5.3% pay rise, the port authority said.";

#[test]
fn a_page_about_something_else_is_not_relevant_and_never_evidence() {
    let page = page_from_text(PORT);
    let j = Judge::shipped().source(
        &claim("Heavy snow closed 120 schools across Yorkshire on Friday."),
        &crate::compare::PreparedSource::new(&page),
        "c1",
    );
    assert!(!j.relevant, "{j:?}");
    assert!(
        j.reasons[0].contains("not about this claim"),
        "{:?}",
        j.reasons
    );
    // Found by search: no evidence, so the claim is unverifiable.
    let bound = [Bound {
        citation: "c1",
        label: "BBC",
        page: &page,
        cited: false,
    }];
    let c = claim("Heavy snow closed 120 schools across Yorkshire on Friday.");
    let r = Judge::shipped().judge(&c, &bound, vec![]);
    assert_eq!(r.verdict, Verdict::Unverifiable, "{r:?}");
    assert!(r.evidence.is_empty());
    assert!(
        r.reasons[0].starts_with("BBC: not evidence"),
        "{:?}",
        r.reasons
    );
    // Cited by URL: the writer pointed at it, so it does not support the claim, but no
    // passage of it is quoted.
    let cited = [Bound {
        cited: true,
        ..bound[0]
    }];
    let r = Judge::shipped().judge(&c, &cited, vec![]);
    assert_eq!(r.verdict, Verdict::NotSupported, "{r:?}");
    assert!(r.evidence.is_empty());
}

#[test]
fn one_supporting_source_is_enough_and_leads_the_reasons() {
    let good = page_from_text(PORT);
    let other = page_from_text("Dockworkers at the port of Rotterdam returned to work on Monday after a strike of three weeks that cost 4% of trade.");
    let c = claim("Unions accepted a 5.3% pay rise, the port authority said.");
    let bound = [
        Bound {
            citation: "c1",
            label: "A",
            page: &other,
            cited: true,
        },
        Bound {
            citation: "c2",
            label: "B",
            page: &good,
            cited: true,
        },
    ];
    let r = Judge::shipped().judge(&c, &bound, vec!["C: source unreachable".into()]);
    assert_eq!(r.verdict, Verdict::Supported, "{r:?}");
    assert_eq!(r.evidence[0].citation, "c2");
    assert!(r.reasons[0].starts_with("B: "), "{:?}", r.reasons);
    assert_eq!(
        r.reasons.last().map(String::as_str),
        Some("C: source unreachable")
    );
}

#[test]
fn added_negations_contradict_in_english_and_chinese() {
    let cases = [
        (
            "The council approved the new cycling lanes on Tuesday after a long debate.",
            "The council did not approve the new cycling lanes on Tuesday.",
        ),
        (
            "The ferry operator runs a daily service between Dover and Calais.",
            "The ferry operator no longer runs a daily service between Dover and Calais.",
        ),
        (
            "该航空公司目前仍运营北京至拉萨的直飞航线。",
            "该航空公司不再运营北京至拉萨的直飞航线。",
        ),
        (
            "调查组指出，事故是由设备老化引起的。",
            "调查组指出，事故并非由设备老化引起。",
        ),
    ];
    for (source, counter) in cases {
        let j = judge_texts(counter, source);
        assert!(
            matches!(j.verdict, Verdict::Contradicted | Verdict::NotSupported),
            "{counter}: {j:?}"
        );
        assert!(
            j.reasons[0].contains("negates"),
            "decisive reason first: {:?}",
            j.reasons
        );
    }
    // "not only" negates nothing, and a negation the source makes too is no mismatch.
    let j = judge_texts(
        "The council did not approve the cycling lanes on Tuesday.",
        "The council did not approve the cycling lanes on Tuesday, after a long debate.",
    );
    assert!(
        !j.reasons.iter().any(|r| r.contains("negates")),
        "{:?}",
        j.reasons
    );
    assert!(crate::compare::negations("not only this").is_empty());
    assert!(crate::compare::negations("未来不断发展").is_empty());
}

#[test]
fn a_hedged_source_makes_an_asserted_claim_at_most_partial() {
    let source = "美国官员正在考虑限制英伟达向中东国家出口人工智能芯片。";
    let hedged = judge_texts(
        "美国官员正在考虑限制英伟达向中东国家出口人工智能芯片。",
        source,
    );
    let asserted = judge_texts(
        "美国官员正式宣布限制英伟达向中东国家出口人工智能芯片。",
        source,
    );
    assert!(
        matches!(
            hedged.verdict,
            Verdict::Supported | Verdict::PartiallySupported
        ),
        "{hedged:?}"
    );
    assert!(hedged.evidence.flags.is_empty(), "{hedged:?}");
    assert!(
        matches!(
            asserted.verdict,
            Verdict::PartiallySupported | Verdict::NotSupported
        ),
        "{asserted:?}"
    );
    assert!(asserted.score <= 0.3, "{asserted:?}");
    assert!(
        asserted.reasons.iter().any(|r| r.contains("hedges")),
        "{:?}",
        asserted.reasons
    );
}

#[test]
fn bylines_are_not_body_sentences() {
    assert!(!is_body_sentence(
        "Kirsty MacleodBBC Scotland business reporter"
    ));
    assert!(!is_body_sentence("Tom AshbyBusiness reporter, BBC News"));
    assert!(!is_body_sentence("记者 方晓 通讯员 王敏"));
    assert!(is_body_sentence("Media Play News"));
    assert!(is_body_sentence(
        "Thomas K. Arnold, Publisher and Editorial Director, Media Play News:"
    ));
    assert!(is_body_sentence(
        "The reporter said the company would appeal."
    ));
    let page = page_from_text("Kirsty MacleodBBC Scotland business reporter\nThe plant in Livingston employs about 620 people.");
    let j = judge_texts(
        "Kirsty Macleod is a BBC Scotland business reporter",
        &page.paragraphs.join("\n"),
    );
    assert!(!j.evidence.quote.contains("Macleod"), "{j:?}");
}

#[test]
fn a_vague_agreement_does_not_outweigh_a_closer_contradiction() {
    let c = claim("Unions accepted a 6.3% pay rise, the port authority said.");
    let close = page_from_text("Unions accepted a 5.3% pay rise, the port authority said.");
    let j = Judge::shipped().source(&c, &crate::compare::PreparedSource::new(&close), "c2");
    assert_eq!(j.verdict, Verdict::Contradicted, "{j:?}");
    let mut vague = j.clone();
    vague.verdict = Verdict::Supported;
    vague.evidence.similarity = 0.2;
    vague.evidence.citation = "c1".into();
    let r = combine(
        &c,
        vec![
            ("A".into(), true, vague.clone()),
            ("B".into(), true, j.clone()),
        ],
        vec![],
    );
    assert_eq!(r.verdict, Verdict::Contradicted, "{r:?}");
    assert!(r.reasons[0].starts_with("B: "), "{:?}", r.reasons);
    // A supporting passage at least as close wins, as before.
    vague.evidence.similarity = 0.9;
    let r = combine(
        &c,
        vec![("A".into(), true, vague), ("B".into(), true, j)],
        vec![],
    );
    assert_eq!(r.verdict, Verdict::Supported, "{r:?}");
}

#[test]
fn a_figure_the_source_never_states_on_a_loose_passage_is_not_support() {
    let source = "台风过后，宁波舟山港各港区有序恢复生产。\n宁波舟山港是全球货物吞吐量最大的港口之一，目前拥有集装箱航线300余条，连接全球200多个国家和地区的600多个港口。\n港口方面表示，将全力保障外贸航线运行。";
    let j = judge_texts(
        "据新华社报道，宁波舟山港一季度集装箱吞吐量同比增长12%。",
        source,
    );
    assert!(
        matches!(j.verdict, Verdict::NotSupported | Verdict::Contradicted),
        "{j:?}"
    );
}
