//! AVeriTeC (real claims checked by fact-checkers, with question-and-answer evidence from the
//! web) as a held-out test of the judge: it is never trained or tuned on (the snapshot holds
//! only the dev split, under a non-commercial licence). Each claim is judged against a page made
//! of its evidence, one paragraph per answer ("question answer. explanation"), by the judge
//! `check` uses. Gold Supported maps to supported, Refuted to contradicted; Not Enough Evidence
//! and Conflicting Evidence/Cherrypicking to neither. What a newsroom cares about most is
//! reported on its own: how often a claim the fact-checkers found true would fail a run.

use super::fnc1::{bad, per_class_f1, read, reliability, EvalError};
use super::nli::{binary, BinaryReport};
use crate::compare::{pair, PreparedSource};
use crate::judge::Judge;
use crate::model::{Page, Verdict};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// The dataset's labels, in the order reports use.
pub const LABELS: [&str; 4] = [
    "Supported",
    "Refuted",
    "Not Enough Evidence",
    "Conflicting Evidence/Cherrypicking",
];

/// One claim and its evidence paragraphs.
#[derive(Debug, Clone)]
pub struct AveritecClaim {
    pub claim: String,
    pub evidence: Vec<String>,
    /// Index into [`LABELS`].
    pub label: usize,
}

/// The elements of the array under `key` (none when it is absent or not an array).
fn items<'a>(v: &'a serde_json::Value, key: &str) -> impl Iterator<Item = &'a serde_json::Value> {
    v.get(key).and_then(|a| a.as_array()).into_iter().flatten()
}

/// Reads `dev.json`: a list of claims with `claim`, `label` and `questions[].answers[]`.
pub fn load(dir: &Path) -> Result<Vec<AveritecClaim>, EvalError> {
    let path = dir.join("dev.json");
    let text = read(&path)?;
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| bad(&path, format!("not a JSON list: {e}")))?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let field = |k: &str| row.get(k).and_then(|v| v.as_str());
        let (Some(claim), Some(label)) = (field("claim"), field("label")) else {
            return Err(bad(&path, format!("claim {i}: no `claim` or `label`")));
        };
        let Some(label) = LABELS.iter().position(|l| *l == label) else {
            return Err(bad(&path, format!("claim {i}: unknown label {label:?}")));
        };
        let mut evidence = Vec::new();
        for q in items(row, "questions") {
            let question = q.get("question").and_then(|v| v.as_str()).unwrap_or("");
            for a in items(q, "answers") {
                let answer = a.get("answer").and_then(|v| v.as_str()).unwrap_or("");
                if answer.trim().is_empty() {
                    continue;
                }
                let explanation = a
                    .get("boolean_explanation")
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                let text = format!("{} {}. {}", question.trim(), answer.trim(), explanation);
                evidence.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
        out.push(AveritecClaim {
            claim: claim.to_string(),
            evidence,
            label,
        });
    }
    Ok(out)
}

/// The judge on AVeriTeC dev.
#[derive(Debug, Clone, Serialize)]
pub struct AveritecReport {
    pub claims: usize,
    /// `confusion[gold][verdict]`, gold in [`LABELS`] order, verdicts in `Verdict::ALL` order.
    pub confusion: Vec<Vec<usize>>,
    /// Supported against the rest.
    pub supported: BinaryReport,
    /// Refuted against the rest, the verdict contradicted.
    pub refuted: BinaryReport,
    /// Three classes (supported, refuted, neither): accuracy and macro-F1.
    pub accuracy: f64,
    pub macro_f1: f64,
    /// Of the claims a default run fails (not supported or contradicted), the share the
    /// fact-checkers refuted, and the share of their supported claims that would fail.
    pub failing: usize,
    pub failing_refuted: f64,
    pub supported_failing: f64,
    /// Expected calibration error of the judge's score as P(supported).
    pub ece: f64,
}

/// The three-class reading of a verdict: supported 0, refuted 1, neither 2.
fn class_of_verdict(v: Verdict) -> usize {
    match v {
        Verdict::Supported => 0,
        Verdict::Contradicted => 1,
        _ => 2,
    }
}

fn class_of_label(label: usize) -> usize {
    label.min(2)
}

pub fn eval(dir: &Path) -> Result<AveritecReport, EvalError> {
    let claims = load(dir)?;
    let judged: Vec<(Verdict, f64)> = claims
        .par_iter()
        .map(|c| {
            let page = Page {
                paragraphs: c.evidence.clone(),
                ..Page::default()
            };
            let j = Judge::shipped().source(
                &pair::claim_of(&c.claim),
                &PreparedSource::new(&page),
                "evidence",
            );
            (j.verdict, j.score)
        })
        .collect();
    Ok(report(&claims, &judged))
}

fn report(claims: &[AveritecClaim], judged: &[(Verdict, f64)]) -> AveritecReport {
    let mut confusion = vec![vec![0usize; Verdict::ALL.len()]; LABELS.len()];
    let mut three = [[0usize; 3]; 3];
    for (c, (v, _)) in claims.iter().zip(judged) {
        let vi = Verdict::ALL.iter().position(|x| x == v).unwrap_or(0);
        confusion[c.label][vi] += 1;
        three[class_of_label(c.label)][class_of_verdict(*v)] += 1;
    }
    let gold_sup: Vec<bool> = claims.iter().map(|c| c.label == 0).collect();
    let pred_sup: Vec<bool> = judged
        .iter()
        .map(|(v, _)| *v == Verdict::Supported)
        .collect();
    let gold_ref: Vec<bool> = claims.iter().map(|c| c.label == 1).collect();
    let pred_ref: Vec<bool> = judged
        .iter()
        .map(|(v, _)| *v == Verdict::Contradicted)
        .collect();
    let f1s = per_class_f1(&three);
    let fails = |v: &Verdict| matches!(v, Verdict::NotSupported | Verdict::Contradicted);
    let failing: Vec<usize> = (0..claims.len()).filter(|i| fails(&judged[*i].0)).collect();
    let failing_refuted = failing.iter().filter(|i| claims[**i].label == 1).count();
    let supported_total = gold_sup.iter().filter(|g| **g).count();
    let supported_failing = failing.iter().filter(|i| claims[**i].label == 0).count();
    let scores: Vec<f64> = judged.iter().map(|(_, s)| *s).collect();
    let (_, ece) = reliability(&scores, &gold_sup);
    let n = claims.len().max(1) as f64;
    AveritecReport {
        claims: claims.len(),
        confusion,
        supported: binary(&gold_sup, &pred_sup, None),
        refuted: binary(&gold_ref, &pred_ref, None),
        accuracy: (0..3).map(|k| three[k][k]).sum::<usize>() as f64 / n,
        macro_f1: f1s.iter().sum::<f64>() / 3.0,
        failing: failing.len(),
        failing_refuted: failing_refuted as f64 / failing.len().max(1) as f64,
        supported_failing: supported_failing as f64 / supported_total.max(1) as f64,
        ece,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(label: usize) -> AveritecClaim {
        AveritecClaim {
            claim: "c".into(),
            evidence: vec![],
            label,
        }
    }

    #[test]
    fn reads_claims_and_their_answers() {
        let dir = std::env::temp_dir().join(format!("citecheck-averitec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("dev.json"),
            r#"[{"claim":"The bridge opened in 1990.","label":"Refuted","questions":[
                {"question":"When did the bridge open?","answers":[
                  {"answer":"In 1994","answer_type":"Abstractive"},
                  {"answer":"No","answer_type":"Boolean","boolean_explanation":"It opened later."},
                  {"answer":"","answer_type":"Unanswerable"}]}]}]"#,
        )
        .unwrap();
        let claims = load(&dir).unwrap();
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].label, 1);
        assert_eq!(
            claims[0].evidence,
            vec![
                "When did the bridge open? In 1994.".to_string(),
                "When did the bridge open? No. It opened later.".to_string()
            ]
        );
        std::fs::write(dir.join("dev.json"), r#"[{"claim":"x","label":"Maybe"}]"#).unwrap();
        let err = load(&dir).unwrap_err().to_string();
        assert!(err.contains("dev.json") && err.contains("Maybe"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn figures_count_failures_against_the_fact_checkers() {
        let claims = [claim(0), claim(0), claim(1), claim(2)];
        let judged = [
            (Verdict::Supported, 0.9),
            (Verdict::NotSupported, 0.2),
            (Verdict::Contradicted, 0.1),
            (Verdict::PartiallySupported, 0.4),
        ];
        let r = report(&claims, &judged);
        assert_eq!(r.failing, 2);
        assert!((r.failing_refuted - 0.5).abs() < 1e-9);
        assert!((r.supported_failing - 0.5).abs() < 1e-9);
        assert!((r.accuracy - 0.75).abs() < 1e-9);
        assert_eq!(r.confusion[0][0], 1);
        assert_eq!(r.confusion[1][3], 1);
    }
}
