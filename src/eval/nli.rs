//! Entailment benchmarks for the comparison engine: WiCE (Wikipedia claims against the oracle
//! chunks of the pages they cite; supported against the rest) and OCNLI (Chinese premise and
//! hypothesis; entailment, neutral, contradiction). Each is scored twice: the shipped engine
//! zero-shot (its verdicts mapped to the dataset's labels), and a combiner trained in the same
//! run on the dataset's own training side (WiCE dev, OCNLI train.3k) with the same features,
//! since FNC-1's stance labels are not entailment labels.

use super::fnc1::{bad, read, reliability, EvalError};
use crate::compare::combiner::{self, Combiner, TrainConfig};
use crate::compare::features::{self, Features};
use crate::compare::pair;
use crate::compare::PreparedSource;
use crate::judge::{Judge, SourceJudgement};
use crate::model::{Page, Verdict};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// One labelled pair: a claim, its source as sentences, a label index.
#[derive(Debug, Clone)]
pub struct NliPair {
    pub claim: String,
    pub source: Vec<String>,
    pub label: usize,
    /// A key that keeps rows of one claim together when folds are cut.
    pub group: String,
}

/// WiCE labels.
pub const WICE_LABELS: [&str; 3] = ["supported", "partially_supported", "not_supported"];
/// OCNLI labels.
pub const OCNLI_LABELS: [&str; 3] = ["entailment", "neutral", "contradiction"];

fn parse_lines(
    path: &Path,
    labels: &[&str],
    row: impl Fn(&serde_json::Value) -> Option<(String, Vec<String>, String, String)>,
) -> Result<Vec<NliPair>, EvalError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(path, format!("line {}: {e}", i + 1)))?;
        let (claim, source, label, group) =
            row(&v).ok_or_else(|| bad(path, format!("line {}: missing fields", i + 1)))?;
        // Rows without a majority label (`-` in OCNLI) are excluded, as the authors do.
        let Some(label) = labels.iter().position(|l| *l == label) else {
            continue;
        };
        out.push(NliPair {
            claim,
            source,
            label,
            group,
        });
    }
    Ok(out)
}

/// WiCE oracle-chunk rows of one split (`dev` or `test`).
pub fn load_wice(dir: &Path, split: &str) -> Result<Vec<NliPair>, EvalError> {
    let path = dir.join(format!("oracle_chunks/claim/{split}.jsonl"));
    parse_lines(&path, &WICE_LABELS, |v| {
        let claim = v.get("claim")?.as_str()?.to_string();
        let source = v
            .get("evidence")?
            .as_array()?
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        let label = v.get("label")?.as_str()?.to_string();
        let group = v
            .get("meta")
            .and_then(|m| m.get("id"))
            .and_then(|i| i.as_str())
            .unwrap_or_default()
            .to_string();
        Some((claim, source, label, group))
    })
}

/// OCNLI rows of one file (`dev.json`, `train.3k.json`).
pub fn load_ocnli(dir: &Path, file: &str) -> Result<Vec<NliPair>, EvalError> {
    parse_lines(&dir.join(file), &OCNLI_LABELS, |v| {
        let premise = v.get("sentence1")?.as_str()?.to_string();
        let hypothesis = v.get("sentence2")?.as_str()?.to_string();
        let label = v.get("label")?.as_str()?.to_string();
        let group = v
            .get("prem_id")
            .and_then(|g| g.as_str())
            .unwrap_or_default()
            .to_string();
        Some((hypothesis, vec![premise], label, group))
    })
}

fn page_of(p: &NliPair) -> Page {
    Page {
        paragraphs: p
            .source
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        ..Page::default()
    }
}

/// Features and judgements of every pair, by the judge `check` uses.
pub fn judge(pairs: &[NliPair]) -> Vec<(Features, SourceJudgement)> {
    pairs
        .par_iter()
        .map(|p| {
            let page = page_of(p);
            let prepared = PreparedSource::new(&page);
            let j = Judge::shipped().source(&pair::claim_of(&p.claim), &prepared, "source");
            (j.features, j)
        })
        .collect()
}

/// The settings for the small in-domain combiners: few rows, so shallow trees and few rounds.
pub fn small_config() -> TrainConfig {
    TrainConfig {
        rounds: 80,
        depth: 3,
        learning_rate: 0.1,
        ..TrainConfig::default()
    }
}

/// Trains an in-domain combiner on `x`/`y` with classes balanced by weight.
pub fn train_in_domain(x: &[Features], y: &[usize], labels: &[&str]) -> Combiner {
    train_with(x, y, labels, small_config())
}

fn train_with(x: &[Features], y: &[usize], labels: &[&str], config: TrainConfig) -> Combiner {
    let cw = super::fnc1::class_weights(y, labels.len());
    let w: Vec<f64> = y.iter().map(|l| cw[*l]).collect();
    combiner::train(x, y, &w, labels, config)
}

/// The settings WiCE's in-domain combiner chooses from, by claim-level F1 of out-of-fold
/// scores on dev (1,043 rows is little data, so shallower and fewer trees are tried too).
fn wice_candidates() -> Vec<TrainConfig> {
    [
        (1, 40),
        (1, 80),
        (1, 160),
        (2, 40),
        (2, 80),
        (3, 40),
        (3, 80),
        (4, 80),
    ]
    .into_iter()
    .map(|(depth, rounds)| TrainConfig {
        depth,
        rounds,
        ..small_config()
    })
    .collect()
}

/// Binary figures for one positive class.
#[derive(Debug, Clone, Serialize)]
pub struct BinaryReport {
    pub rows: usize,
    pub positives: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    /// The score threshold used, when one was tuned.
    pub threshold: Option<f64>,
}

/// Precision, recall and F1 of predicted against gold positives.
pub fn binary(gold: &[bool], predicted: &[bool], threshold: Option<f64>) -> BinaryReport {
    let tp = gold
        .iter()
        .zip(predicted)
        .filter(|(g, p)| **g && **p)
        .count() as f64;
    let fp = gold
        .iter()
        .zip(predicted)
        .filter(|(g, p)| !**g && **p)
        .count() as f64;
    let fn_ = gold
        .iter()
        .zip(predicted)
        .filter(|(g, p)| **g && !**p)
        .count() as f64;
    let correct = gold.iter().zip(predicted).filter(|(g, p)| g == p).count();
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let recall = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    BinaryReport {
        rows: gold.len(),
        positives: gold.iter().filter(|g| **g).count(),
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        accuracy: correct as f64 / gold.len().max(1) as f64,
        threshold,
    }
}

/// The threshold on `scores` that maximises F1 for `gold` (ties: the lowest).
pub fn best_threshold(scores: &[f64], gold: &[bool]) -> f64 {
    let mut cands: Vec<f64> = scores.to_vec();
    cands.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    cands.dedup();
    let mut best = (0.0, 0.5);
    for t in cands {
        let pred: Vec<bool> = scores.iter().map(|s| *s >= t).collect();
        let f = binary(gold, &pred, None).f1;
        if f > best.0 + 1e-12 {
            best = (f, t);
        }
    }
    best.1
}

/// The WiCE evaluation: shipped engine (supported verdict), then a combiner trained on dev with
/// its threshold tuned on dev out-of-fold scores, both on test. Scored per row (one per oracle
/// chunk) and per claim: all chunks of a claim carry the claim's label, and a claim is
/// supported when one of its chunks supports it (the maximum score over its chunks), which is
/// how WiCE's published claim-level figures are computed.
#[derive(Debug, Clone, Serialize)]
pub struct WiceReport {
    /// The in-domain combiner's settings, chosen on dev.
    pub depth: usize,
    pub rounds: usize,
    pub engine: BinaryReport,
    pub in_domain: BinaryReport,
    pub engine_claims: BinaryReport,
    pub in_domain_claims: BinaryReport,
    /// The embedded inference model alone per claim: supported when one chunk's most probable
    /// class is entailment (trained with WiCE dev, never test).
    pub embedded_claims: BinaryReport,
    /// The shipped engine and the in-domain combiner per claim on the 100 test claims the
    /// WiCE authors scored other models on (ids from `reference_model_scores/`), when that
    /// file is there.
    pub engine_subset: Option<BinaryReport>,
    pub in_domain_subset: Option<BinaryReport>,
    /// GPT-4's figure on that subset from the same file (supported = score 1.0), as a check.
    pub gpt4_subset: Option<BinaryReport>,
    /// Expected calibration error on test of the judge's score as P(supported), per row and
    /// per claim (its best chunk), and of the in-domain combiner's per claim.
    pub engine_ece_rows: f64,
    pub engine_ece_claims: f64,
    pub in_domain_ece_claims: f64,
}

/// Per claim (rows grouped by `group`, first-seen order): whether it is gold supported and the
/// maximum of `scores` over its rows.
fn per_claim(rows: &[NliPair], scores: &[f64]) -> (Vec<String>, Vec<bool>, Vec<f64>) {
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let (mut ids, mut gold, mut best) = (Vec::new(), Vec::new(), Vec::<f64>::new());
    for (p, s) in rows.iter().zip(scores) {
        let i = *index.entry(p.group.as_str()).or_insert_with(|| {
            ids.push(p.group.clone());
            gold.push(p.label == 0);
            best.push(f64::NEG_INFINITY);
            ids.len() - 1
        });
        best[i] = best[i].max(*s);
    }
    (ids, gold, best)
}

/// Per claim, from a yes-or-no prediction per row: a claim is supported when one of its rows
/// is. Returns the figures and each claim's prediction (in `per_claim` order).
fn any_row_supports(rows: &[NliPair], predicted: &[bool]) -> (BinaryReport, Vec<bool>) {
    let scores: Vec<f64> = predicted.iter().map(|p| f64::from(u8::from(*p))).collect();
    let (_, gold, any) = per_claim(rows, &scores);
    let claims: Vec<bool> = any.iter().map(|s| *s > 0.5).collect();
    (binary(&gold, &claims, None), claims)
}

pub fn eval_wice(dir: &Path) -> Result<WiceReport, EvalError> {
    let dev = load_wice(dir, "dev")?;
    let test = load_wice(dir, "test")?;
    let dev_j = judge(&dev);
    let test_j = judge(&test);
    let gold_test: Vec<bool> = test.iter().map(|p| p.label == 0).collect();
    let engine_pred: Vec<bool> = test_j
        .iter()
        .map(|(_, j)| j.verdict == Verdict::Supported)
        .collect();
    let engine = binary(&gold_test, &engine_pred, None);
    let (engine_claims, engine_any) = any_row_supports(&test, &engine_pred);
    let engine_scores: Vec<f64> = test_j.iter().map(|(_, j)| j.score).collect();
    let (_, engine_ece_rows) = reliability(&engine_scores, &gold_test);
    let (_, engine_claim_gold, engine_claim_scores) = per_claim(&test, &engine_scores);
    let (_, engine_ece_claims) = reliability(&engine_claim_scores, &engine_claim_gold);
    // Supported against the rest, trained on dev; the thresholds from 3-fold out-of-fold
    // scores on dev (folds by claim id), so the test split is never looked at.
    let x: Vec<Features> = dev_j.iter().map(|(f, _)| *f).collect();
    let y: Vec<usize> = dev.iter().map(|p| (p.label != 0) as usize).collect();
    let labels = ["supported", "rest"];
    let oof_of = |config: TrainConfig| {
        let mut oof = vec![0.0; dev.len()];
        for fold in 0..3 {
            let in_fold = |p: &NliPair| fold_of(&p.group, 3) == fold;
            let (tx, ty): (Vec<Features>, Vec<usize>) = dev
                .iter()
                .zip(x.iter().zip(&y))
                .filter(|(p, _)| !in_fold(p))
                .map(|(_, (f, l))| (*f, *l))
                .unzip();
            let m = train_with(&tx, &ty, &labels, config);
            for (i, p) in dev.iter().enumerate() {
                if in_fold(p) {
                    oof[i] = m.probabilities(&x[i])[0];
                }
            }
        }
        oof
    };
    // The settings with the best claim-level F1 out of fold on dev (ties: the first, the
    // simplest); test is not looked at.
    let mut best: Option<(f64, TrainConfig, Vec<f64>)> = None;
    for config in wice_candidates() {
        let oof = oof_of(config);
        let (_, g, c) = per_claim(&dev, &oof);
        let t = best_threshold(&c, &g);
        let f = binary(&g, &c.iter().map(|s| *s >= t).collect::<Vec<_>>(), None).f1;
        if best.as_ref().is_none_or(|(bf, _, _)| f > *bf + 1e-12) {
            best = Some((f, config, oof));
        }
    }
    let (_, config, oof) = best.expect("candidates are not empty");
    let gold_dev: Vec<bool> = y.iter().map(|l| *l == 0).collect();
    let threshold = best_threshold(&oof, &gold_dev);
    let (_, claim_gold_dev, claim_oof) = per_claim(&dev, &oof);
    let claim_threshold = best_threshold(&claim_oof, &claim_gold_dev);
    let model = train_with(&x, &y, &labels, config);
    let test_scores: Vec<f64> = test_j
        .iter()
        .map(|(f, _)| model.probabilities(f)[0])
        .collect();
    let pred: Vec<bool> = test_scores.iter().map(|s| *s >= threshold).collect();
    let (claim_ids, claim_gold_test, claim_scores) = per_claim(&test, &test_scores);
    let claim_pred: Vec<bool> = claim_scores.iter().map(|s| *s >= claim_threshold).collect();
    let in_domain_claims = binary(&claim_gold_test, &claim_pred, Some(claim_threshold));
    let nli = crate::nli::NliModel::shipped();
    let embedded_pred: Vec<bool> = test
        .par_iter()
        .map(|p| nli.infer(&p.claim, &p.source).label() == 0)
        .collect();
    let (embedded_claims, _) = any_row_supports(&test, &embedded_pred);
    let (engine_subset, in_domain_subset, gpt4_subset) = match reference_subset(dir) {
        Some(gpt4) => {
            let keep: Vec<usize> = (0..claim_ids.len())
                .filter(|i| gpt4.contains_key(&claim_ids[*i]))
                .collect();
            let gold: Vec<bool> = keep.iter().map(|i| claim_gold_test[*i]).collect();
            let engine: Vec<bool> = keep.iter().map(|i| engine_any[*i]).collect();
            let ours: Vec<bool> = keep.iter().map(|i| claim_pred[*i]).collect();
            let theirs: Vec<bool> = keep.iter().map(|i| gpt4[&claim_ids[*i]] >= 1.0).collect();
            (
                Some(binary(&gold, &engine, None)),
                Some(binary(&gold, &ours, Some(claim_threshold))),
                Some(binary(&gold, &theirs, None)),
            )
        }
        None => (None, None, None),
    };
    Ok(WiceReport {
        depth: config.depth,
        rounds: config.rounds,
        engine,
        in_domain: binary(&gold_test, &pred, Some(threshold)),
        engine_claims,
        in_domain_claims,
        embedded_claims,
        engine_subset,
        in_domain_subset,
        gpt4_subset,
        engine_ece_rows,
        engine_ece_claims,
        in_domain_ece_claims: reliability(&claim_scores, &claim_gold_test).1,
    })
}

/// GPT-4's published per-claim scores on the authors' 100-claim test subset, by claim id.
fn reference_subset(dir: &Path) -> Option<std::collections::HashMap<String, f64>> {
    let text =
        std::fs::read_to_string(dir.join("reference_model_scores/oracle_test_subset_scores.json"))
            .ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let scores = v.get("claim")?.get("gpt-4-0613")?.as_object()?;
    Some(
        scores
            .iter()
            .filter_map(|(k, s)| Some((k.clone(), s.as_f64()?)))
            .collect(),
    )
}

fn fold_of(key: &str, folds: u64) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h % folds
}

/// The OCNLI evaluation on dev: accuracy of the shipped engine (supported → entailment,
/// contradicted → contradiction, the rest → neutral) and of a combiner trained on train.3k.
#[derive(Debug, Clone, Serialize)]
pub struct OcnliReport {
    pub rows: usize,
    pub engine_accuracy: f64,
    pub in_domain_accuracy: f64,
    /// `confusion[gold][predicted]` of the in-domain combiner, in [`OCNLI_LABELS`] order.
    pub in_domain_confusion: Vec<Vec<usize>>,
    pub majority_accuracy: f64,
    /// The embedded inference model alone (`nli::NliModel::shipped`, trained on train.10k
    /// minus a tenth of its premises; dev never seen): its most probable class.
    pub embedded_accuracy: f64,
    /// Expected calibration error of the judge's score as P(entailment), and of the embedded
    /// model's P(entailment).
    pub engine_ece: f64,
    pub embedded_ece: f64,
    /// `confusion[gold][predicted]` of the embedded model.
    pub embedded_confusion: Vec<Vec<usize>>,
}

pub fn eval_ocnli(dir: &Path) -> Result<OcnliReport, EvalError> {
    let train = load_ocnli(dir, "train.3k.json")?;
    let dev = load_ocnli(dir, "dev.json")?;
    let train_j = judge(&train);
    let dev_j = judge(&dev);
    let engine_correct = dev
        .iter()
        .zip(&dev_j)
        .filter(|(p, (_, j))| {
            let pred = match j.verdict {
                Verdict::Supported => 0,
                Verdict::Contradicted => 2,
                _ => 1,
            };
            pred == p.label
        })
        .count();
    let x: Vec<Features> = train_j.iter().map(|(f, _)| *f).collect();
    let y: Vec<usize> = train.iter().map(|p| p.label).collect();
    let model = train_in_domain(&x, &y, &OCNLI_LABELS);
    let mut confusion = vec![vec![0usize; 3]; 3];
    for (p, (f, _)) in dev.iter().zip(&dev_j) {
        let probs = model.probabilities(f);
        let pred = combiner::argmax(&probs);
        confusion[p.label][pred] += 1;
    }
    let correct: usize = (0..3).map(|i| confusion[i][i]).sum();
    let mut counts = [0usize; 3];
    for p in &dev {
        counts[p.label] += 1;
    }
    let n = dev.len().max(1) as f64;
    let nli = crate::nli::NliModel::shipped();
    let inferred: Vec<crate::nli::Inference> = dev
        .par_iter()
        .map(|p| nli.infer(&p.claim, &p.source))
        .collect();
    let embedded_correct = dev
        .iter()
        .zip(&inferred)
        .filter(|(p, i)| i.label() == p.label)
        .count();
    let mut embedded_confusion = vec![vec![0usize; 3]; 3];
    for (p, i) in dev.iter().zip(&inferred) {
        embedded_confusion[p.label][i.label()] += 1;
    }
    let entailed: Vec<bool> = dev.iter().map(|p| p.label == 0).collect();
    let engine_scores: Vec<f64> = dev_j.iter().map(|(_, j)| j.score).collect();
    let embedded_scores: Vec<f64> = inferred.iter().map(|i| f64::from(i.entailment)).collect();
    Ok(OcnliReport {
        embedded_accuracy: embedded_correct as f64 / n,
        rows: dev.len(),
        engine_accuracy: engine_correct as f64 / n,
        in_domain_accuracy: correct as f64 / n,
        in_domain_confusion: confusion,
        majority_accuracy: *counts.iter().max().unwrap_or(&0) as f64 / n,
        engine_ece: reliability(&engine_scores, &entailed).1,
        embedded_ece: reliability(&embedded_scores, &entailed).1,
        embedded_confusion,
    })
}

/// Names the features the in-domain combiners see, for the record.
pub fn feature_count() -> usize {
    features::N
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_figures_and_threshold() {
        let r = binary(
            &[true, true, false, false],
            &[true, false, true, false],
            None,
        );
        assert_eq!(
            (r.precision, r.recall, r.f1, r.accuracy),
            (0.5, 0.5, 0.5, 0.5)
        );
        let t = best_threshold(&[0.9, 0.8, 0.3, 0.1], &[true, true, false, false]);
        assert_eq!(t, 0.8);
    }

    #[test]
    fn claims_take_their_best_chunk() {
        let row = |group: &str, label: usize| NliPair {
            claim: String::new(),
            source: Vec::new(),
            label,
            group: group.into(),
        };
        let rows = [row("a", 0), row("b", 1), row("a", 0), row("b", 1)];
        let (ids, gold, best) = per_claim(&rows, &[0.2, 0.4, 0.9, 0.1]);
        assert_eq!(ids, vec!["a", "b"]);
        assert_eq!(gold, vec![true, false]);
        assert_eq!(best, vec![0.9, 0.4]);
    }

    #[test]
    fn reads_rows_and_skips_no_majority() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("dev.json"),
            "{\"sentence1\":\"他去了北京\",\"sentence2\":\"他去过北京\",\"label\":\"entailment\",\"prem_id\":\"a\"}\n\
             {\"sentence1\":\"x\",\"sentence2\":\"y\",\"label\":\"-\",\"prem_id\":\"b\"}\n",
        )
        .expect("write");
        let rows = load_ocnli(dir.path(), "dev.json").expect("loads");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].claim, "他去过北京");
        std::fs::write(dir.path().join("bad.json"), "{\"sentence1\":1}\n").expect("write");
        let e = load_ocnli(dir.path(), "bad.json").expect_err("bad row");
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
