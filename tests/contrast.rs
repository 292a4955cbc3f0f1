//! Issue 16: claims against counter-claims that change one thing (a negation, an antonym, a
//! figure, a date, an entity, the actor, a hedge), each judged against the same source passage.
//! The counter-claim must get a worse verdict than the claim in at least 90 % of the pairs.
//! The pairs are our own, in `fixtures/contrast/pairs.tsv` (Chinese and English).

use citecheck::compare::pair::judge_texts;
use citecheck::model::Verdict;

/// How much a verdict vouches for the claim: the counter-claim must score strictly lower.
fn standing(v: Verdict) -> u8 {
    match v {
        Verdict::Supported => 3,
        Verdict::PartiallySupported => 2,
        Verdict::NotSupported | Verdict::Unverifiable => 1,
        Verdict::Contradicted => 0,
    }
}

struct Pair {
    line: usize,
    kind: String,
    source: String,
    claim: String,
    counter: String,
}

fn pairs() -> Vec<Pair> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contrast/pairs.tsv");
    let text = std::fs::read_to_string(&path).expect("fixtures/contrast/pairs.tsv is readable");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                f.len(),
                4,
                "pairs.tsv:{}: want 4 tab-separated fields",
                i + 1
            );
            Pair {
                line: i + 1,
                kind: f[0].to_string(),
                source: f[1].to_string(),
                claim: f[2].to_string(),
                counter: f[3].to_string(),
            }
        })
        .collect()
}

#[test]
fn issue_16_counter_claims_are_told_apart() {
    let pairs = pairs();
    assert!(pairs.len() >= 60, "only {} pairs", pairs.len());
    let zh = pairs
        .iter()
        .filter(|p| {
            p.claim
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
        .count();
    assert!(
        zh >= 25 && pairs.len() - zh >= 25,
        "{zh} Chinese of {}",
        pairs.len()
    );
    let mut missed = Vec::new();
    for p in &pairs {
        let claim = judge_texts(&p.claim, &p.source);
        let counter = judge_texts(&p.counter, &p.source);
        if standing(counter.verdict) >= standing(claim.verdict) {
            missed.push(format!(
                "line {} ({}): claim {:?}, counter {:?}: {}",
                p.line, p.kind, claim.verdict, counter.verdict, p.counter
            ));
        }
    }
    let told = pairs.len() - missed.len();
    let share = told as f64 / pairs.len() as f64;
    println!(
        "contrast set: {told} of {} pairs told apart ({:.1}%)",
        pairs.len(),
        share * 100.0
    );
    for m in &missed {
        println!("  missed {m}");
    }
    assert!(
        share >= 0.90,
        "{share:.3} told apart; missed:\n{}",
        missed.join("\n")
    );
}

#[test]
fn issue_16_claims_the_passage_states_are_not_refuted() {
    // The other half of telling apart: the claim itself must not be judged against.
    let bad: Vec<String> = pairs()
        .iter()
        .filter_map(|p| {
            let j = judge_texts(&p.claim, &p.source);
            matches!(j.verdict, Verdict::Contradicted)
                .then(|| format!("line {}: {}", p.line, p.claim))
        })
        .collect();
    assert!(
        bad.len() <= 3,
        "claims judged contradicted:\n{}",
        bad.join("\n")
    );
}
