//! The embedded natural-language inference model: given a premise (a source passage) and a
//! hypothesis (a claim), the probabilities that the premise entails it, is neutral to it, or
//! contradicts it. Chinese (either script) and English, through hashed character and word
//! units ([`units`]).
//!
//! The model is a decomposable-attention network (Parikh et al. 2016) with ESIM-style
//! difference and product features and mean and max pooling, trained by the tool in
//! `tools/nli-prototype` (candle, outside the package) and shipped as
//! `data/nli.safetensors`. This module owns only inference: the forward pass is written out
//! here over plain `f32` arrays (a few small matrix products per pair), so the package needs
//! the `safetensors` reader and nothing of candle's 150 crates. `data/nli-parity.json` holds
//! the training tool's probabilities for a few sentences; a test checks this forward pass
//! reproduces them. Pure: no I/O beyond reading a weights file the caller names.

pub mod units;

use std::path::Path;
use units::{MAX_HYPOTHESIS, VOCAB};

/// The three classes, in the order of [`Inference`]'s fields and of the model's output.
pub const LABELS: [&str; 3] = ["entailment", "neutral", "contradiction"];

/// What the model says of one premise and hypothesis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inference {
    pub entailment: f32,
    pub neutral: f32,
    pub contradiction: f32,
}

impl Inference {
    /// The class with the highest probability (an index into [`LABELS`]).
    pub fn label(&self) -> usize {
        crate::compare::combiner::argmax(&[
            f64::from(self.entailment),
            f64::from(self.neutral),
            f64::from(self.contradiction),
        ])
    }
}

/// A weights file that is not a model of this architecture.
#[derive(Debug, thiserror::Error)]
pub enum NliError {
    #[error("{0}: cannot read: {1}")]
    Read(String, std::io::Error),
    #[error("{0}: not a safetensors file: {1}")]
    Format(String, String),
    #[error("{0}: tensor `{1}`: {2}")]
    Tensor(String, String, String),
}

/// A dense layer: `weight` is `outputs × inputs`, row-major (candle's `Linear` layout).
#[derive(Debug, Clone)]
struct Dense {
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

impl Dense {
    /// `x` holds rows of `inputs` values; the result holds rows of `outputs` values.
    fn apply(&self, x: &[f32], relu: bool) -> Vec<f32> {
        let rows = x.len() / self.inputs;
        let mut out = Vec::with_capacity(rows * self.outputs);
        for row in x.chunks_exact(self.inputs) {
            for (w, b) in self.weight.chunks_exact(self.inputs).zip(&self.bias) {
                let v = b + dot(row, w);
                out.push(if relu { v.max(0.0) } else { v });
            }
        }
        out
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The model's weights.
#[derive(Debug, Clone)]
pub struct NliModel {
    dim: usize,
    hidden: usize,
    embedding: Vec<f32>,
    proj: Dense,
    attend: Dense,
    cmp1: Dense,
    cmp2: Dense,
    agg: Dense,
    out: Dense,
    /// How the model was trained (the file's `note`).
    pub note: String,
}

impl NliModel {
    /// The shipped model (`data/nli.safetensors`), read once.
    pub fn shipped() -> &'static NliModel {
        static MODEL: std::sync::OnceLock<NliModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            NliModel::from_bytes(
                include_bytes!("../../data/nli.safetensors"),
                "data/nli.safetensors",
            )
            .expect("the shipped data/nli.safetensors is a model (checked by a test)")
        })
    }

    /// A model from a weights file (`--nli-model DIR` reads `DIR/nli.safetensors`).
    pub fn from_file(path: &Path) -> Result<NliModel, NliError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| NliError::Read(name.clone(), e))?;
        NliModel::from_bytes(&bytes, &name)
    }

    /// A model from the bytes of a safetensors file; `name` is what errors call it.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<NliModel, NliError> {
        let file = safetensors::SafeTensors::deserialize(bytes)
            .map_err(|e| NliError::Format(name.to_string(), e.to_string()))?;
        let note = safetensors::SafeTensors::read_metadata(bytes)
            .ok()
            .and_then(|(_, m)| m.metadata().as_ref().and_then(|m| m.get("note").cloned()))
            .unwrap_or_default();
        let tensor =
            |key: &str, shape: &[Option<usize>]| -> Result<(Vec<f32>, Vec<usize>), NliError> {
                let bad = |why: String| NliError::Tensor(name.to_string(), key.to_string(), why);
                let view = file.tensor(key).map_err(|e| bad(e.to_string()))?;
                if view.dtype() != safetensors::Dtype::F32 {
                    return Err(bad(format!("{:?}, expected F32", view.dtype())));
                }
                let dims = view.shape().to_vec();
                let fits = dims.len() == shape.len()
                    && dims
                        .iter()
                        .zip(shape)
                        .all(|(d, want)| want.is_none_or(|w| w == *d));
                if !fits {
                    return Err(bad(format!("shape {dims:?}, expected {shape:?}")));
                }
                let values = view
                    .data()
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
                Ok((values, dims))
            };
        let (embedding, emb_dims) = tensor("emb.weight", &[Some(VOCAB), None])?;
        let dim = emb_dims[1];
        let (proj_w, proj_dims) = tensor("proj.weight", &[None, Some(dim)])?;
        let hidden = proj_dims[0];
        let dense = |key: &str, inputs: usize, outputs: usize| -> Result<Dense, NliError> {
            let (weight, _) = tensor(&format!("{key}.weight"), &[Some(outputs), Some(inputs)])?;
            let (bias, _) = tensor(&format!("{key}.bias"), &[Some(outputs)])?;
            Ok(Dense {
                weight,
                bias,
                inputs,
                outputs,
            })
        };
        let (proj_b, _) = tensor("proj.bias", &[Some(hidden)])?;
        Ok(NliModel {
            dim,
            hidden,
            embedding,
            proj: Dense {
                weight: proj_w,
                bias: proj_b,
                inputs: dim,
                outputs: hidden,
            },
            attend: dense("attend", hidden, hidden)?,
            cmp1: dense("cmp1", 4 * hidden, hidden)?,
            cmp2: dense("cmp2", hidden, hidden)?,
            agg: dense("agg", 4 * hidden, hidden)?,
            out: dense("out", hidden, 3)?,
            note,
        })
    }

    /// `claim` against a source given as sentences: the passage nearest the claim
    /// ([`units::premise`]) is the premise.
    pub fn infer<S: AsRef<str>>(&self, claim: &str, source: &[S]) -> Inference {
        let premise = units::premise(claim, source);
        let hypothesis = units::units(claim, MAX_HYPOTHESIS);
        self.probabilities(&premise, &hypothesis)
    }

    /// The forward pass over unit ids (neither list may be empty).
    pub fn probabilities(&self, premise: &[u32], hypothesis: &[u32]) -> Inference {
        let h = self.hidden;
        let a = self.proj.apply(&self.embed(premise), false);
        let b = self.proj.apply(&self.embed(hypothesis), false);
        let fa = self.attend.apply(&a, true);
        let fb = self.attend.apply(&b, true);
        let (la, lb) = (premise.len().max(1), hypothesis.len().max(1));
        // e[i][j]: how much premise unit i and hypothesis unit j attend to each other.
        let mut e = vec![0f32; la * lb];
        for i in 0..la {
            for j in 0..lb {
                e[i * lb + j] = dot(&fa[i * h..(i + 1) * h], &fb[j * h..(j + 1) * h]);
            }
        }
        let beta = attend_over(&e, la, lb, &b, h, false);
        let alpha = attend_over(&e, la, lb, &a, h, true);
        let va = self.compare(&a, &beta);
        let vb = self.compare(&b, &alpha);
        let mut z = pool(&va, h);
        z.extend(pool(&vb, h));
        let logits = self.out.apply(&self.agg.apply(&z, true), false);
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = logits.iter().map(|l| (l - max).exp()).collect();
        let sum: f32 = exp.iter().sum();
        Inference {
            entailment: exp[0] / sum,
            neutral: exp[1] / sum,
            contradiction: exp[2] / sum,
        }
    }

    fn embed(&self, ids: &[u32]) -> Vec<f32> {
        let d = self.dim;
        let mut out = Vec::with_capacity(ids.len().max(1) * d);
        for &id in ids {
            let row = (id as usize).min(VOCAB - 1);
            out.extend_from_slice(&self.embedding[row * d..(row + 1) * d]);
        }
        if ids.is_empty() {
            out.extend_from_slice(&self.embedding[..d]);
        }
        out
    }

    /// Each row of `x` against its attended row of `y`: `[x, y, x − y, x ⊙ y]` through two
    /// layers.
    fn compare(&self, x: &[f32], y: &[f32]) -> Vec<f32> {
        let mut z = Vec::with_capacity(x.len() * 4);
        for (xr, yr) in x.chunks_exact(self.hidden).zip(y.chunks_exact(self.hidden)) {
            z.extend_from_slice(xr);
            z.extend_from_slice(yr);
            z.extend(xr.iter().zip(yr).map(|(p, q)| p - q));
            z.extend(xr.iter().zip(yr).map(|(p, q)| p * q));
        }
        self.cmp2.apply(&self.cmp1.apply(&z, true), true)
    }
}

/// Softmax-weighted sums of `values`' rows: for each premise row over the hypothesis
/// (`transposed == false`, `values` has `lb` rows), or for each hypothesis row over the premise.
fn attend_over(
    e: &[f32],
    la: usize,
    lb: usize,
    values: &[f32],
    h: usize,
    transposed: bool,
) -> Vec<f32> {
    let (rows, cols) = if transposed { (lb, la) } else { (la, lb) };
    let mut out = vec![0f32; rows * h];
    let mut weights = vec![0f32; cols];
    for r in 0..rows {
        for (c, w) in weights.iter_mut().enumerate() {
            *w = if transposed {
                e[c * lb + r]
            } else {
                e[r * lb + c]
            };
        }
        let max = weights.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for w in weights.iter_mut() {
            *w = (*w - max).exp();
            sum += *w;
        }
        let target = &mut out[r * h..(r + 1) * h];
        for (c, w) in weights.iter().enumerate() {
            let wn = w / sum;
            for (t, v) in target.iter_mut().zip(&values[c * h..(c + 1) * h]) {
                *t += wn * v;
            }
        }
    }
    out
}

/// The mean and the maximum of `v`'s rows, side by side.
fn pool(v: &[f32], h: usize) -> Vec<f32> {
    let rows = (v.len() / h).max(1);
    let mut mean = vec![0f32; h];
    let mut max = vec![f32::NEG_INFINITY; h];
    for row in v.chunks_exact(h) {
        for k in 0..h {
            mean[k] += row[k] / rows as f32;
            max[k] = max[k].max(row[k]);
        }
    }
    mean.extend(max);
    mean
}

#[cfg(test)]
mod tests;
