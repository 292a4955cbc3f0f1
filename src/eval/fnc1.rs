//! The FNC-1 stance benchmark (headline against article body): `citecheck eval fnc1` and
//! `citecheck eval train`. Reads `train_bodies.csv` and `train_stances.csv` from the folder it is
//! given, splits the pairs by body (a fixed hash of the body id, so no body is on both sides),
//! trains the combiner on one side and scores the engine on the other with the official
//! weighted score, macro-F1, per-class F1, a confusion matrix and a reliability table.

use crate::compare::combiner::argmax;
use crate::compare::combiner::{self, Calibration, Combiner, TrainConfig};
use crate::compare::features::Features;
use crate::compare::pair::{self, CLASSES};
use crate::compare::PreparedSource;
use crate::judge::{Judge, SourceJudgement};
use crate::model::{Page, Verdict};
use crate::nli::NliModel;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One headline-body pair with its gold stance (index into [`CLASSES`]).
#[derive(Debug, Clone)]
pub struct StancePair {
    pub headline: String,
    pub body: usize,
    pub body_id: String,
    pub stance: usize,
}

/// The dataset: bodies and pairs pointing into them.
#[derive(Debug, Clone, Default)]
pub struct Fnc1 {
    pub bodies: Vec<String>,
    pub pairs: Vec<StancePair>,
}

/// Parses RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes). Returns the
/// records with the 1-based line each starts on.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut out = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(format!(
            "unterminated quoted field starting on line {start_line}"
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start_line, record));
    }
    Ok(out)
}

/// Why a pair benchmark cannot be read: the file and, where known, the line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("reading {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
}

pub(crate) fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn bad(path: &Path, message: String) -> EvalError {
    EvalError::Format {
        path: path.to_path_buf(),
        message,
    }
}

/// Loads `train_bodies.csv` and `train_stances.csv` from `dir`.
pub fn load(dir: &Path) -> Result<Fnc1, EvalError> {
    let bodies_path = dir.join("train_bodies.csv");
    let stances_path = dir.join("train_stances.csv");
    let bodies_csv = parse_csv(&read(&bodies_path)?).map_err(|m| bad(&bodies_path, m))?;
    let mut data = Fnc1::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (line, rec) in bodies_csv.into_iter().skip(1) {
        if rec.len() != 2 {
            return Err(bad(
                &bodies_path,
                format!("line {line}: expected 2 fields, found {}", rec.len()),
            ));
        }
        index.insert(rec[0].trim().to_string(), data.bodies.len());
        data.bodies.push(rec[1].clone());
    }
    let stances_csv = parse_csv(&read(&stances_path)?).map_err(|m| bad(&stances_path, m))?;
    for (line, rec) in stances_csv.into_iter().skip(1) {
        if rec.len() != 3 {
            return Err(bad(
                &stances_path,
                format!("line {line}: expected 3 fields, found {}", rec.len()),
            ));
        }
        let id = rec[1].trim().to_string();
        let body = *index
            .get(&id)
            .ok_or_else(|| bad(&stances_path, format!("line {line}: unknown body id {id}")))?;
        let stance = CLASSES
            .iter()
            .position(|c| *c == rec[2].trim())
            .ok_or_else(|| {
                bad(
                    &stances_path,
                    format!("line {line}: unknown stance {:?}", rec[2]),
                )
            })?;
        data.pairs.push(StancePair {
            headline: rec[0].clone(),
            body,
            body_id: id,
            stance,
        });
    }
    Ok(data)
}

/// Whether a body belongs to the held-out split: FNV-1a of its id, one body in five. Fixed
/// so every run and every reader gets the same split.
pub fn held_out(body_id: &str) -> bool {
    fifth(body_id) == 0
}

/// FNV-1a-64 of a body id, modulo 5: 0 is the held-out split, 1–4 the folds of the training
/// side used for cross-validation.
pub fn fifth(body_id: &str) -> u64 {
    fnv(body_id) % 5
}

/// FNV-1a-64 of a body id.
fn fnv(body_id: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in body_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Out-of-fold predictions on the training side only (four folds by body, `fifth` 1–4):
/// each fold's pairs judged by a combiner trained on the other three. Returns, in fold order,
/// each pair's gold stance and class probabilities. The held-out split is never read, so
/// what is chosen or fitted from these stays honest on it.
pub fn out_of_fold(data: &Fnc1, feats: &[Features], config: TrainConfig) -> Vec<(usize, Vec<f64>)> {
    let mut out = Vec::new();
    for k in 1..5u64 {
        let (x, y): (Vec<Features>, Vec<usize>) = data
            .pairs
            .iter()
            .zip(feats)
            .filter(|(p, _)| !held_out(&p.body_id) && fifth(&p.body_id) != k)
            .map(|(p, f)| (*f, p.stance))
            .unzip();
        let cw = class_weights(&y, CLASSES.len());
        let w: Vec<f64> = y.iter().map(|l| cw[*l]).collect();
        let m = combiner::train(&x, &y, &w, &CLASSES, config);
        let fold: Vec<(usize, Vec<f64>)> = data
            .pairs
            .par_iter()
            .zip(feats)
            .filter(|(p, _)| fifth(&p.body_id) == k)
            .map(|(p, f)| (p.stance, m.probabilities(f)))
            .collect();
        out.extend(fold);
    }
    out
}

/// Four-fold cross-validation on the training side (see [`out_of_fold`]): the FNC score
/// (relative) and macro-F1 of the combiner's argmax over the pooled out-of-fold predictions.
pub fn cross_validate(data: &Fnc1, feats: &[Features], config: TrainConfig) -> (f64, f64) {
    let oof = out_of_fold(data, feats, config);
    let gold: Vec<usize> = oof.iter().map(|(g, _)| *g).collect();
    let pred: Vec<usize> = oof.iter().map(|(_, p)| argmax(p)).collect();
    let p_agree: Vec<f64> = oof.iter().map(|(_, p)| p[0]).collect();
    let r = score(&gold, &pred, &p_agree);
    (r.fnc_relative, r.macro_f1)
}

/// Each body as a page (one paragraph per non-empty line), prepared in parallel.
pub fn pages(data: &Fnc1) -> Vec<Page> {
    data.bodies
        .par_iter()
        .map(|b| pair::page_from_text(b))
        .collect()
}

/// The stacking fold of a training-side body: FNV-1a(body id) / 5, modulo 2 (the training tool
/// `tools/nli-prototype --fold K` leaves fold K's bodies out, so its model is out of fold for
/// them). Held-out bodies belong to no fold.
pub fn nli_fold(body_id: &str) -> Option<usize> {
    (!held_out(body_id)).then(|| (fnv(body_id) / 5 % 2) as usize)
}

/// Which inference model gives a pair's inference features (none: lexical features only).
pub enum InferenceFeatures<'a> {
    /// Lexical features only.
    None,
    /// One model for every pair (right for the held-out split, which no model trained on).
    One(&'a NliModel),
    /// Stacking: training-side pairs get the model that is out of fold for their body
    /// ([`nli_fold`]); held-out pairs get `held`.
    OutOfFold {
        folds: [&'a NliModel; 2],
        held: &'a NliModel,
    },
}

/// Features of every pair, in pair order.
pub fn features(data: &Fnc1, pages: &[Page], nli: &InferenceFeatures) -> Vec<Features> {
    let prepared: Vec<PreparedSource> = pages.par_iter().map(PreparedSource::new).collect();
    data.pairs
        .par_iter()
        .map(|p| {
            let claim = pair::claim_of(&p.headline);
            let model = match nli {
                InferenceFeatures::None => None,
                InferenceFeatures::One(m) => Some(*m),
                InferenceFeatures::OutOfFold { folds, held } => {
                    Some(nli_fold(&p.body_id).map_or(*held, |k| folds[k]))
                }
            };
            crate::compare::features::extract_with(&claim, &prepared[p.body], model).1
        })
        .collect()
}

/// Judges every pair with `judge`, in pair order.
pub fn judge_all(data: &Fnc1, pages: &[Page], judge: &Judge) -> Vec<SourceJudgement> {
    let prepared: Vec<PreparedSource> = pages.par_iter().map(PreparedSource::new).collect();
    data.pairs
        .par_iter()
        .map(|p| judge.source(&pair::claim_of(&p.headline), &prepared[p.body], "source"))
        .collect()
}

/// Per-class weights for training: the square root of inverse frequency, so that disagree
/// (1.7 % of pairs) is learned without swamping the FNC score's related/unrelated part.
pub fn class_weights(labels: &[usize], classes: usize) -> Vec<f64> {
    let mut counts = vec![0usize; classes];
    for l in labels {
        counts[*l] += 1;
    }
    let max = *counts.iter().max().unwrap_or(&1) as f64;
    counts
        .iter()
        .map(|c| {
            if *c == 0 {
                1.0
            } else {
                (max / *c as f64).sqrt()
            }
        })
        .collect()
}

/// Trains the combiner on the training side of the split.
pub fn train(data: &Fnc1, feats: &[Features], config: TrainConfig) -> Combiner {
    let (x, y): (Vec<Features>, Vec<usize>) = data
        .pairs
        .iter()
        .zip(feats)
        .filter(|(p, _)| !held_out(&p.body_id))
        .map(|(p, f)| (*f, p.stance))
        .unzip();
    let cw = class_weights(&y, CLASSES.len());
    let w: Vec<f64> = y.iter().map(|l| cw[*l]).collect();
    let mut m = combiner::train(&x, &y, &w, &CLASSES, config);
    // The class weights raise agree, so the raw probability overstates support; it is mapped
    // to the share of agree pairs among out-of-fold predictions of the same settings.
    let oof = out_of_fold(data, feats, config);
    let raw: Vec<f64> = oof.iter().map(|(_, p)| p[0]).collect();
    let agree: Vec<bool> = oof.iter().map(|(g, _)| *g == 0).collect();
    m.calibration = Some(Calibration::fit(&raw, &agree));
    m.note = format!(
        "{}; FNC-1 train_stances.csv minus held-out bodies (FNV-1a(body id) % 5 == 0); class weights sqrt(max/count); P(agree) calibrated by isotonic regression on 4-fold out-of-fold predictions (folds by body)",
        m.note
    );
    m
}

/// The stance class of a judgement, by the mapping stated in `crate::judge`: a page that is
/// not about the claim is *unrelated*; supported is *agree*, contradicted *disagree*; a page
/// about the claim that does not confirm it (partially or not supported) is *discuss*.
pub fn class_of(j: &SourceJudgement) -> usize {
    if !j.relevant {
        return 3;
    }
    match j.verdict {
        Verdict::Supported => 0,
        Verdict::Contradicted => 1,
        _ => 2,
    }
}

/// Classification figures for FNC-1-style stance labels.
#[derive(Debug, Clone, Serialize)]
pub struct StanceReport {
    pub pairs: usize,
    /// The official weighted score and its maximum on these pairs.
    pub fnc_score: f64,
    pub fnc_max: f64,
    pub fnc_relative: f64,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub per_class_f1: Vec<(String, f64)>,
    /// `confusion[gold][predicted]`, rows and columns in [`CLASSES`] order.
    pub confusion: Vec<Vec<usize>>,
    /// Reliability of the score: (bin low, bin high, pairs, mean score, share gold agree).
    pub calibration: Vec<(f64, f64, usize, f64, f64)>,
    /// Expected calibration error of the score over those bins.
    pub ece: f64,
}

/// Scores predictions against gold labels.
pub fn score(gold: &[usize], predicted: &[usize], scores: &[f64]) -> StanceReport {
    let k = CLASSES.len();
    let mut confusion = vec![vec![0usize; k]; k];
    let (mut s, mut max) = (0.0, 0.0);
    for (g, p) in gold.iter().zip(predicted) {
        confusion[*g][*p] += 1;
        let unrelated = 3;
        if g == p {
            s += 0.25;
            if *g != unrelated {
                s += 0.5;
            }
        }
        if *g != unrelated && *p != unrelated {
            s += 0.25;
        }
        max += if *g == unrelated { 0.25 } else { 1.0 };
    }
    let f1 = per_class_f1(&confusion);
    let correct: usize = (0..k).map(|c| confusion[c][c]).sum();
    let (calibration, ece) = reliability(scores, &gold.iter().map(|g| *g == 0).collect::<Vec<_>>());
    StanceReport {
        pairs: gold.len(),
        fnc_score: s,
        fnc_max: max,
        fnc_relative: if max > 0.0 { s / max } else { 0.0 },
        accuracy: correct as f64 / gold.len().max(1) as f64,
        macro_f1: f1.iter().sum::<f64>() / k as f64,
        per_class_f1: CLASSES.iter().map(|c| c.to_string()).zip(f1).collect(),
        confusion,
        calibration,
        ece,
    }
}

/// Each class's F1 from `confusion[gold][predicted]` (0 for a class never predicted right).
pub fn per_class_f1<R: AsRef<[usize]>>(confusion: &[R]) -> Vec<f64> {
    let k = confusion.len();
    (0..k)
        .map(|c| {
            let tp = confusion[c].as_ref()[c] as f64;
            let fp: f64 = (0..k)
                .filter(|g| *g != c)
                .map(|g| confusion[g].as_ref()[c] as f64)
                .sum();
            let fn_: f64 = (0..k)
                .filter(|p| *p != c)
                .map(|p| confusion[c].as_ref()[p] as f64)
                .sum();
            if tp == 0.0 {
                0.0
            } else {
                2.0 * tp / (2.0 * tp + fp + fn_)
            }
        })
        .collect()
}

/// Ten equal-width bins of a probability against the observed frequency of the event.
#[expect(clippy::type_complexity, reason = "a plain table of figures")]
pub fn reliability(scores: &[f64], events: &[bool]) -> (Vec<(f64, f64, usize, f64, f64)>, f64) {
    let mut bins = vec![(0usize, 0.0f64, 0usize); 10];
    for (s, e) in scores.iter().zip(events) {
        let b = ((s * 10.0).floor() as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += s;
        bins[b].2 += *e as usize;
    }
    let n = scores.len().max(1) as f64;
    let mut ece = 0.0;
    let table = bins
        .iter()
        .enumerate()
        .map(|(i, (count, sum, hits))| {
            let mean = if *count > 0 { sum / *count as f64 } else { 0.0 };
            let freq = if *count > 0 {
                *hits as f64 / *count as f64
            } else {
                0.0
            };
            ece += *count as f64 / n * (mean - freq).abs();
            (i as f64 / 10.0, (i + 1) as f64 / 10.0, *count, mean, freq)
        })
        .collect();
    (table, ece)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quotes_and_newlines() {
        let rows = parse_csv("a,b\n1,\"x, \"\"y\"\"\nz\"\n2,w").expect("parses");
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[1],
            (2, vec!["1".to_string(), "x, \"y\"\nz".to_string()])
        );
        assert_eq!(rows[2].0, 4);
        assert!(parse_csv("a,\"b").is_err());
    }

    #[test]
    fn official_score() {
        // agree→agree 1.0, discuss→agree 0.25, unrelated→unrelated 0.25, agree→unrelated 0.
        let r = score(&[0, 2, 3, 0], &[0, 0, 3, 3], &[0.9, 0.8, 0.1, 0.2]);
        assert_eq!(r.fnc_score, 1.5);
        assert_eq!(r.fnc_max, 3.25);
        assert_eq!(r.confusion[2][0], 1);
        assert!((r.accuracy - 0.5).abs() < 1e-9);
    }

    #[test]
    fn split_is_fixed_and_about_a_fifth() {
        let held = (0..2000).filter(|i| held_out(&i.to_string())).count();
        assert!((300..500).contains(&held), "{held}");
        assert_eq!(held_out("0"), held_out("0"));
    }

    #[test]
    fn reliability_bins() {
        let (t, ece) = reliability(&[0.05, 0.95, 0.95], &[false, true, true]);
        assert_eq!(t[0].2, 1);
        assert_eq!(t[9].2, 2);
        assert!(ece < 0.1);
    }
}
