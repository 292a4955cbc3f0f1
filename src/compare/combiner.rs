//! A small learned combiner: gradient-boosted decision trees (softmax over classes) on the
//! [`features`](super::features). Training is deterministic (fixed quantile bins, fixed order of
//! rows and features, no sampling), so the same data gives the same file byte for byte. The
//! shipped model (`data/combiner.json`) holds only split thresholds and leaf values.

use super::features::{Features, LEXICAL, N, NAMES};
use serde::{Deserialize, Serialize};

/// One regression tree as flat arrays: node `i` is a leaf when `feature[i] < 0`; otherwise
/// rows with `x[feature] <= threshold` go to `left[i]`, the others to `right[i]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub feature: Vec<i16>,
    pub threshold: Vec<f64>,
    pub left: Vec<u32>,
    pub right: Vec<u32>,
    pub value: Vec<f64>,
}

impl Tree {
    fn predict(&self, x: &[f64]) -> f64 {
        let mut i = 0usize;
        // A tree built by `train` has no cycles; the bound guards a hand-edited file.
        for _ in 0..64 {
            let f = self.feature.get(i).copied().unwrap_or(-1);
            if f < 0 {
                break;
            }
            let go_left = x.get(f as usize).copied().unwrap_or(0.0)
                <= self.threshold.get(i).copied().unwrap_or(0.0);
            i = if go_left { self.left[i] } else { self.right[i] } as usize;
        }
        self.value.get(i).copied().unwrap_or(0.0)
    }
}

/// A trained model: per boosting round, one tree per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Combiner {
    pub classes: Vec<String>,
    pub features: Vec<String>,
    pub base: Vec<f64>,
    pub rounds: Vec<Vec<Tree>>,
    /// How the model was trained, for the record.
    #[serde(default)]
    pub note: String,
    /// The map from the raw probability of the first class (agree: supported) to the share
    /// of pairs that really are, fitted out of fold when the model was trained; absent in a
    /// model trained without it, whose raw probability is then used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// Every tree's nodes in one array, class by class and round by round, for fast
    /// prediction (built by [`Combiner::compile`]; not part of the file).
    #[serde(skip)]
    compiled: Compiled,
}

/// A monotone map from a raw score to an observed frequency, fitted by isotonic regression
/// (pool adjacent violators) and applied by linear interpolation between the pooled blocks'
/// mean scores; flat beyond the first and last block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Calibration {
    /// Mean raw score of each block, increasing.
    pub raw: Vec<f64>,
    /// Observed frequency of each block, non-decreasing.
    pub calibrated: Vec<f64>,
}

impl Calibration {
    /// Fits the map to `scores` and whether each event happened.
    pub fn fit(scores: &[f64], events: &[bool]) -> Calibration {
        let mut rows: Vec<(f64, f64)> = scores
            .iter()
            .zip(events)
            .filter(|(s, _)| s.is_finite())
            .map(|(s, e)| (*s, f64::from(u8::from(*e))))
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Blocks of (sum of scores, sum of events, count), merged while one's frequency
        // is not above the previous one's.
        let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
        for (s, e) in rows {
            blocks.push((s, e, 1.0));
            while blocks.len() >= 2 {
                let (b, a) = (blocks[blocks.len() - 1], blocks[blocks.len() - 2]);
                if a.1 / a.2 < b.1 / b.2 {
                    break;
                }
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            }
        }
        Calibration {
            raw: blocks.iter().map(|b| round6(b.0 / b.2)).collect(),
            calibrated: blocks.iter().map(|b| round6(b.1 / b.2)).collect(),
        }
    }

    /// The calibrated value of a raw score.
    pub fn apply(&self, score: f64) -> f64 {
        let (x, y) = (&self.raw, &self.calibrated);
        if x.is_empty() || x.len() != y.len() || !score.is_finite() {
            return score;
        }
        let i = x.partition_point(|v| *v <= score);
        if i == 0 {
            return y[0];
        }
        if i == x.len() {
            return y[x.len() - 1];
        }
        let (x0, x1, y0, y1) = (x[i - 1], x[i], y[i - 1], y[i]);
        if x1 <= x0 {
            return y1;
        }
        y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    }
}

/// One node of a compiled tree: a leaf when `feature < 0`; children are absolute indices.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    threshold: f64,
    value: f64,
    feature: i32,
    left: u32,
    right: u32,
}

/// All trees' nodes, and per class the root index of each round's tree.
#[derive(Debug, Clone, Default, PartialEq)]
struct Compiled {
    nodes: Vec<Node>,
    roots: Vec<Vec<u32>>,
    /// Whether a node splits on an inference-model feature.
    inference: bool,
}

/// Why a combiner file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CombinerError {
    #[error("combiner json: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "combiner was trained on other features (expected {expected} named as in this version)"
    )]
    Features { expected: usize },
    #[error("combiner calibration is not two increasing lists of one length")]
    Calibration,
    #[error("combiner has {trees} trees in a round for {classes} classes")]
    Shape { trees: usize, classes: usize },
}

impl Combiner {
    /// Parses and checks a combiner file.
    pub fn from_json(text: &str) -> Result<Self, CombinerError> {
        let c: Combiner = serde_json::from_str(text)?;
        // A file lists the features it was trained on: all of them, or the lexical ones only
        // (a combiner trained before the inference model's features existed).
        let width = c.features.len();
        if !(LEXICAL..=N).contains(&width) || c.features.iter().zip(NAMES).any(|(a, b)| a != b) {
            return Err(CombinerError::Features { expected: N });
        }
        for r in &c.rounds {
            if r.len() != c.classes.len() {
                return Err(CombinerError::Shape {
                    trees: r.len(),
                    classes: c.classes.len(),
                });
            }
            for t in r {
                let n = t.feature.len();
                let ok = [
                    t.threshold.len(),
                    t.left.len(),
                    t.right.len(),
                    t.value.len(),
                ]
                .iter()
                .all(|l| *l == n)
                    && t.left.iter().chain(&t.right).all(|c| (*c as usize) < n)
                    && t.feature.iter().all(|f| *f < width as i16);
                if !ok {
                    return Err(CombinerError::Shape {
                        trees: r.len(),
                        classes: c.classes.len(),
                    });
                }
            }
        }
        if let Some(cal) = &c.calibration {
            let increasing = |v: &[f64]| v.windows(2).all(|w| w[0] <= w[1]);
            if cal.raw.len() != cal.calibrated.len()
                || !increasing(&cal.raw)
                || !increasing(&cal.calibrated)
            {
                return Err(CombinerError::Calibration);
            }
        }
        Ok(c.compile())
    }

    /// Lays the trees out for [`Combiner::probabilities`]; predictions are unchanged.
    fn compile(mut self) -> Self {
        let mut c = Compiled {
            nodes: Vec::new(),
            roots: vec![Vec::with_capacity(self.rounds.len()); self.classes.len()],
            inference: false,
        };
        for (k, roots) in c.roots.iter_mut().enumerate() {
            for round in &self.rounds {
                let Some(t) = round.get(k) else { continue };
                let base = c.nodes.len() as u32;
                roots.push(base);
                for i in 0..t.feature.len() {
                    c.nodes.push(Node {
                        threshold: t.threshold[i],
                        value: t.value[i],
                        feature: i32::from(t.feature[i]),
                        left: base + t.left[i],
                        right: base + t.right[i],
                    });
                }
            }
        }
        c.inference = c.nodes.iter().any(|n| n.feature >= LEXICAL as i32);
        self.compiled = c;
        self
    }

    /// Whether any tree splits on the inference model's features (if not, they need not be
    /// computed).
    pub fn uses_inference(&self) -> bool {
        self.compiled.inference
    }

    /// Class probabilities for one feature vector.
    pub fn probabilities(&self, f: &Features) -> Vec<f64> {
        let mut z = self.base.clone();
        let nodes = &self.compiled.nodes;
        // Each class sums its trees in round order, as the uncompiled model does, so the
        // floating-point result is the same.
        for (k, roots) in self.compiled.roots.iter().enumerate() {
            for &root in roots {
                let mut n = nodes[root as usize];
                // A tree built by `train` has no cycles; the bound guards a hand-edited file.
                for _ in 0..64 {
                    if n.feature < 0 {
                        break;
                    }
                    let go_left = f.values[n.feature as usize] <= n.threshold;
                    n = nodes[if go_left { n.left } else { n.right } as usize];
                }
                z[k] += n.value;
            }
        }
        softmax(&z)
    }

    /// The probability that the source supports the claim: the first class's probability,
    /// through the model's calibration when it has one.
    pub fn support(&self, probabilities: &[f64]) -> f64 {
        let raw = probabilities.first().copied().unwrap_or(0.0);
        self.calibration.as_ref().map_or(raw, |c| c.apply(raw))
    }
}

/// The index of the largest value (the first of equals; 0 for an empty slice): the most
/// probable class of a probability vector.
pub fn argmax(p: &[f64]) -> usize {
    (0..p.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b })
}

fn softmax(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    pub rounds: usize,
    pub depth: usize,
    pub learning_rate: f64,
    pub lambda: f64,
    pub min_child_weight: f64,
    pub bins: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            rounds: 200,
            depth: 4,
            learning_rate: 0.1,
            lambda: 1.0,
            min_child_weight: 2.0,
            bins: 48,
        }
    }
}

/// Trains a softmax GBDT on rows `x` with labels `y` (class indices) and per-row weights.
pub fn train(
    x: &[Features],
    y: &[usize],
    weights: &[f64],
    classes: &[&str],
    config: TrainConfig,
) -> Combiner {
    use rayon::prelude::*;
    let k = classes.len();
    let rows = x.len();
    // Quantile cut points per feature, from the sorted distinct values.
    let cuts: Vec<Vec<f64>> = (0..N)
        .map(|f| {
            let mut vals: Vec<f64> = x.iter().map(|r| r.values[f]).collect();
            vals.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            vals.dedup();
            if vals.len() <= config.bins {
                vals.pop();
                vals
            } else {
                let mut c: Vec<f64> = (1..config.bins)
                    .map(|i| vals[i * vals.len() / config.bins])
                    .collect();
                c.dedup();
                c
            }
        })
        .collect();
    let binned: Vec<[u8; N]> = x
        .iter()
        .map(|r| {
            let mut b = [0u8; N];
            for f in 0..N {
                b[f] = cuts[f].partition_point(|c| *c < r.values[f]) as u8;
            }
            b
        })
        .collect();
    let total_w: f64 = weights.iter().sum();
    let base: Vec<f64> = (0..k)
        .map(|c| {
            let w: f64 = y
                .iter()
                .zip(weights)
                .filter(|(l, _)| **l == c)
                .map(|(_, w)| w)
                .sum();
            (w / total_w).max(1e-6).ln()
        })
        .collect();
    let mut z: Vec<Vec<f64>> = vec![base.clone(); rows];
    let mut rounds = Vec::with_capacity(config.rounds);
    for _ in 0..config.rounds {
        let probs: Vec<Vec<f64>> = z.iter().map(|r| softmax(r)).collect();
        let trees: Vec<Tree> = (0..k)
            .into_par_iter()
            .map(|c| {
                let (g, h): (Vec<f64>, Vec<f64>) = (0..rows)
                    .map(|i| {
                        let p = probs[i][c];
                        let t = (y[i] == c) as u8 as f64;
                        (weights[i] * (p - t), weights[i] * (p * (1.0 - p)).max(1e-6))
                    })
                    .unzip();
                build_tree(&binned, &cuts, &g, &h, config, k)
            })
            .collect();
        for (i, zi) in z.iter_mut().enumerate() {
            for (c, t) in trees.iter().enumerate() {
                zi[c] += t.predict(&x[i].values);
            }
        }
        rounds.push(trees);
    }
    Combiner {
        classes: classes.iter().map(|c| c.to_string()).collect(),
        features: NAMES.iter().map(|n| n.to_string()).collect(),
        base,
        rounds,
        note: format!(
            "softmax GBDT: {} rounds, depth {}, learning rate {}, lambda {}, {} rows",
            config.rounds, config.depth, config.learning_rate, config.lambda, rows
        ),
        calibration: None,
        compiled: Compiled::default(),
    }
    .compile()
}

fn build_tree(
    binned: &[[u8; N]],
    cuts: &[Vec<f64>],
    g: &[f64],
    h: &[f64],
    config: TrainConfig,
    classes: usize,
) -> Tree {
    let mut tree = Tree {
        feature: vec![],
        threshold: vec![],
        left: vec![],
        right: vec![],
        value: vec![],
    };
    // Friedman's scaling of the Newton step for K-class softmax.
    let scale = (classes as f64 - 1.0) / classes as f64;
    let all: Vec<u32> = (0..binned.len() as u32).collect();
    let mut stack: Vec<(usize, Vec<u32>, usize)> = Vec::new();
    tree.push_leaf();
    stack.push((0, all, 0));
    while let Some((node, rows, depth)) = stack.pop() {
        let (gs, hs): (f64, f64) = rows.iter().fold((0.0, 0.0), |(a, b), &r| {
            (a + g[r as usize], b + h[r as usize])
        });
        tree.value[node] = -config.learning_rate * scale * gs / (hs + config.lambda);
        if depth >= config.depth || rows.len() < 4 {
            continue;
        }
        let parent = gs * gs / (hs + config.lambda);
        let mut best: Option<(f64, usize, usize)> = None;
        let mut hist_g = vec![0.0f64; 256];
        let mut hist_h = vec![0.0f64; 256];
        for f in 0..N {
            let nb = cuts[f].len() + 1;
            if nb < 2 {
                continue;
            }
            hist_g[..nb].fill(0.0);
            hist_h[..nb].fill(0.0);
            for &r in &rows {
                let b = binned[r as usize][f] as usize;
                hist_g[b] += g[r as usize];
                hist_h[b] += h[r as usize];
            }
            let (mut gl, mut hl) = (0.0, 0.0);
            for b in 0..nb - 1 {
                gl += hist_g[b];
                hl += hist_h[b];
                let (gr, hr) = (gs - gl, hs - hl);
                if hl < config.min_child_weight || hr < config.min_child_weight {
                    continue;
                }
                let gain = gl * gl / (hl + config.lambda) + gr * gr / (hr + config.lambda) - parent;
                if gain > 1e-9 && best.is_none_or(|(bg, _, _)| gain > bg) {
                    best = Some((gain, f, b));
                }
            }
        }
        let Some((_, f, b)) = best else { continue };
        let (l, r): (Vec<u32>, Vec<u32>) = rows
            .iter()
            .partition(|&&row| (binned[row as usize][f] as usize) <= b);
        let li = tree.push_leaf();
        let ri = tree.push_leaf();
        tree.feature[node] = f as i16;
        tree.threshold[node] = cuts[f][b];
        tree.left[node] = li as u32;
        tree.right[node] = ri as u32;
        stack.push((ri, r, depth + 1));
        stack.push((li, l, depth + 1));
    }
    for v in &mut tree.value {
        *v = round6(*v);
    }
    tree
}

/// Six significant digits keep the shipped file small without changing predictions visibly.
fn round6(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return 0.0;
    }
    let mag = 10f64.powi(5 - v.abs().log10().floor() as i32);
    (v * mag).round() / mag
}

impl Tree {
    fn push_leaf(&mut self) -> usize {
        self.feature.push(-1);
        self.threshold.push(0.0);
        self.left.push(0);
        self.right.push(0);
        self.value.push(0.0);
        self.feature.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: f64, b: f64) -> Features {
        let mut values = [0.0; N];
        values[0] = a;
        values[1] = b;
        Features { values }
    }

    #[test]
    fn learns_a_separable_rule_deterministically() {
        // Class 1 when the first feature is above 0.5, else class 0; the second is noise.
        let x: Vec<Features> = (0..200)
            .map(|i| row(i as f64 / 200.0, ((i * 37) % 11) as f64))
            .collect();
        let y: Vec<usize> = x.iter().map(|r| (r.values[0] > 0.5) as usize).collect();
        let w = vec![1.0; x.len()];
        let cfg = TrainConfig {
            rounds: 30,
            ..TrainConfig::default()
        };
        let m = train(&x, &y, &w, &["no", "yes"], cfg);
        assert!(m.probabilities(&row(0.9, 3.0))[1] > 0.8);
        assert!(m.probabilities(&row(0.1, 3.0))[0] > 0.8);
        let again = train(&x, &y, &w, &["no", "yes"], cfg);
        assert_eq!(m, again);
        // The compiled layout predicts exactly what the trees do.
        for r in &x {
            let mut z = m.base.clone();
            for round in &m.rounds {
                for (k, t) in round.iter().enumerate() {
                    z[k] += t.predict(&r.values);
                }
            }
            assert_eq!(m.probabilities(r), softmax(&z));
        }
        let json = serde_json::to_string(&m).expect("serialises");
        assert_eq!(Combiner::from_json(&json).expect("loads"), m);
    }

    #[test]
    fn rejects_bad_files() {
        assert!(Combiner::from_json("{").is_err());
        let bad = r#"{"classes":["a"],"features":["x"],"base":[0],"rounds":[]}"#;
        assert!(matches!(
            Combiner::from_json(bad),
            Err(CombinerError::Features { .. })
        ));
        let names = serde_json::to_string(&NAMES[..]).expect("names");
        let with = |cal: &str| {
            format!(
                r#"{{"classes":["a"],"features":{names},"base":[0],"rounds":[],"calibration":{cal}}}"#
            )
        };
        assert!(Combiner::from_json(&with(r#"{"raw":[0.1,0.9],"calibrated":[0.2,0.7]}"#)).is_ok());
        for bad in [
            r#"{"raw":[0.9,0.1],"calibrated":[0.2,0.7]}"#,
            r#"{"raw":[0.1,0.9],"calibrated":[0.7,0.2]}"#,
            r#"{"raw":[0.1],"calibrated":[0.2,0.7]}"#,
        ] {
            assert!(
                matches!(
                    Combiner::from_json(&with(bad)),
                    Err(CombinerError::Calibration)
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn isotonic_calibration_pools_violators_and_interpolates() {
        // Raw scores that overstate: 0.9 happens half the time, 0.5 a quarter, 0.1 never;
        // 0.6 (once, an event) and 0.5 violate order and are pooled.
        let scores = [0.1, 0.1, 0.5, 0.5, 0.5, 0.5, 0.6, 0.9, 0.9];
        let events = [false, false, true, false, false, false, false, true, false];
        let c = Calibration::fit(&scores, &events);
        assert_eq!(c.raw, vec![0.1, 0.52, 0.9]);
        assert_eq!(c.calibrated, vec![0.0, 0.2, 0.5]);
        assert_eq!(c.apply(0.0), 0.0);
        assert_eq!(c.apply(0.52), 0.2);
        assert!((c.apply(0.71) - 0.35).abs() < 1e-9);
        assert_eq!(c.apply(1.0), 0.5);
        assert_eq!(Calibration::default().apply(0.42), 0.42);
        // The shipped model is calibrated, and its map is monotone by construction.
        let m = crate::compare::pair::shipped();
        let cal = m.calibration.as_ref().expect("shipped model is calibrated");
        assert!(cal.raw.len() > 10);
        assert!(m.support(&[0.99, 0.0, 0.0, 0.01]) < 1.0 + 1e-9);
        assert!(m.support(&[0.2, 0.0, 0.0, 0.8]) <= m.support(&[0.6, 0.0, 0.0, 0.4]));
    }
}
