//! Prototype of the embedded neural inference model (issue 16): a decomposable-attention
//! model (Parikh et al. 2016, with ESIM-style difference and product features) over hashed
//! characters and words, trained with candle on OCNLI train.10k (a tenth of the premises held
//! out by FNV-1a of `prem_id`), scored on OCNLI dev each epoch. Not part of citecheck yet.

use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{embedding, linear, ops, AdamW, Embedding, Linear, Optimizer, ParamsAdamW, VarBuilder, VarMap};

const VOCAB: usize = 1 << 15;

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
fn id(s: &str) -> u32 {
    1 + (fnv(s) % (VOCAB as u64 - 1)) as u32
}
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}
fn units(text: &str, max: usize, bigrams: bool) -> Vec<u32> {
    let s = fast2s::convert(text).to_lowercase();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if c.is_alphanumeric() && !is_cjk(c) {
            word.push(c);
            prev = None;
            continue;
        }
        if !word.is_empty() {
            out.push(id(&format!("w{word}")));
            word.clear();
        }
        if is_cjk(c) {
            out.push(id(&format!("c{c}")));
            if bigrams {
                if let Some(p) = prev {
                    out.push(id(&format!("b{p}{c}")));
                }
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    if !word.is_empty() {
        out.push(id(&format!("w{word}")));
    }
    out.truncate(max);
    if out.is_empty() {
        out.push(id("<empty>"));
    }
    out
}

struct Nli {
    emb: Embedding,
    proj: Linear,
    attend: Linear,
    cmp1: Linear,
    cmp2: Linear,
    agg: Linear,
    out: Linear,
}

impl Nli {
    fn new(vb: VarBuilder, d: usize, h: usize) -> Result<Self> {
        Ok(Nli {
            emb: embedding(VOCAB, d, vb.pp("emb"))?,
            proj: linear(d, h, vb.pp("proj"))?,
            attend: linear(h, h, vb.pp("attend"))?,
            cmp1: linear(4 * h, h, vb.pp("cmp1"))?,
            cmp2: linear(h, h, vb.pp("cmp2"))?,
            agg: linear(4 * h, h, vb.pp("agg"))?,
            out: linear(h, 3, vb.pp("out"))?,
        })
    }
    fn compare(&self, x: &Tensor, y: &Tensor) -> Result<Tensor> {
        let z = Tensor::cat(&[x, y, &(x - y)?, &(x * y)?], D::Minus1)?;
        self.cmp2.forward(&self.cmp1.forward(&z)?.relu()?)?.relu()
    }
    fn forward(&self, a: &Tensor, am: &Tensor, b: &Tensor, bm: &Tensor, train: bool) -> Result<Tensor> {
        let drop = |t: Tensor| -> Result<Tensor> { if train { ops::dropout(&t, 0.2) } else { Ok(t) } };
        let a = self.proj.forward(&drop(self.emb.forward(a)?)?)?;
        let b = self.proj.forward(&drop(self.emb.forward(b)?)?)?;
        let fa = self.attend.forward(&a)?.relu()?;
        let fb = self.attend.forward(&b)?.relu()?;
        let e = fa.matmul(&fb.transpose(1, 2)?.contiguous()?)?;
        let nb = bm.affine(1e4, -1e4)?.unsqueeze(1)?;
        let beta = ops::softmax_last_dim(&e.broadcast_add(&nb)?)?.matmul(&b)?;
        let na = am.affine(1e4, -1e4)?.unsqueeze(1)?;
        let et = e.transpose(1, 2)?.contiguous()?;
        let alpha = ops::softmax_last_dim(&et.broadcast_add(&na)?)?.matmul(&a)?;
        let va = self.compare(&a, &beta)?;
        let vb = self.compare(&b, &alpha)?;
        let pa = pool(&va, am)?;
        let pb = pool(&vb, bm)?;
        let z = drop(Tensor::cat(&[pa, pb], D::Minus1)?)?;
        self.out.forward(&drop(self.agg.forward(&z)?.relu()?)?)
    }
}

fn pool(v: &Tensor, m: &Tensor) -> Result<Tensor> {
    let m3 = m.unsqueeze(2)?;
    let sum = v.broadcast_mul(&m3)?.sum(1)?;
    let mean = sum.broadcast_div(&m.sum_keepdim(1)?)?;
    let max = v.broadcast_add(&m3.affine(1e4, -1e4)?)?.max(1)?;
    Tensor::cat(&[mean, max], D::Minus1)
}

struct Pair {
    p: Vec<u32>,
    h: Vec<u32>,
    y: u32,
    group: String,
}

fn batch(pairs: &[&Pair], dev: &Device) -> Result<(Tensor, Tensor, Tensor, Tensor, Tensor)> {
    let la = pairs.iter().map(|p| p.p.len()).max().unwrap();
    let lb = pairs.iter().map(|p| p.h.len()).max().unwrap();
    let mut a = vec![0u32; pairs.len() * la];
    let mut am = vec![0f32; pairs.len() * la];
    let mut b = vec![0u32; pairs.len() * lb];
    let mut bm = vec![0f32; pairs.len() * lb];
    for (i, p) in pairs.iter().enumerate() {
        for (j, t) in p.p.iter().enumerate() {
            a[i * la + j] = *t;
            am[i * la + j] = 1.0;
        }
        for (j, t) in p.h.iter().enumerate() {
            b[i * lb + j] = *t;
            bm[i * lb + j] = 1.0;
        }
    }
    let n = pairs.len();
    Ok((
        Tensor::from_vec(a, (n, la), dev)?,
        Tensor::from_vec(am, (n, la), dev)?,
        Tensor::from_vec(b, (n, lb), dev)?,
        Tensor::from_vec(bm, (n, lb), dev)?,
        Tensor::from_vec(pairs.iter().map(|p| p.y).collect::<Vec<_>>(), n, dev)?,
    ))
}

fn load(path: &str, bigrams: bool) -> Vec<Pair> {
    let text = std::fs::read_to_string(path).unwrap();
    let labels = ["entailment", "neutral", "contradiction"];
    text.lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let lab = v["label"].as_str()?;
            let y = labels.iter().position(|x| *x == lab)? as u32;
            Some(Pair {
                p: units(v["sentence1"].as_str()?, 128, bigrams),
                h: units(v["sentence2"].as_str()?, 64, bigrams),
                y,
                group: v["prem_id"].as_str().unwrap_or("").to_string(),
            })
        })
        .collect()
}

fn accuracy(model: &Nli, pairs: &[Pair], dev: &Device) -> Result<f64> {
    let mut right = 0;
    for chunk in pairs.chunks(128) {
        let refs: Vec<&Pair> = chunk.iter().collect();
        let (a, am, b, bm, y) = batch(&refs, dev)?;
        let pred = model.forward(&a, &am, &b, &bm, false)?.argmax(D::Minus1)?;
        let eq = pred.eq(&y)?.to_dtype(DType::F32)?.sum_all()?.to_scalar::<f32>()?;
        right += eq as usize;
    }
    Ok(right as f64 / pairs.len() as f64)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let d: usize = args.get(1).map(|s| s.parse().unwrap()).unwrap_or(64);
    let h: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(96);
    let epochs: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(10);
    let bigrams = args.get(4).map(|s| s == "1").unwrap_or(false);
    let lr: f64 = args.get(5).map(|s| s.parse().unwrap()).unwrap_or(1e-3);
    let dev = Device::Cpu;
    let all = load("../../../shared/data/ocnli/train.10k.json", bigrams);
    let (held, train): (Vec<Pair>, Vec<Pair>) = all.into_iter().partition(|p| fnv(&p.group) % 10 == 0);
    let test = load("../../../shared/data/ocnli/dev.json", bigrams);
    eprintln!("train {} held {} dev {}", train.len(), held.len(), test.len());
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &dev);
    let model = Nli::new(vb, d, h)?;
    let mut opt = AdamW::new(varmap.all_vars(), ParamsAdamW { lr, weight_decay: 1e-4, ..Default::default() })?;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut seed: u64 = 42;
    for epoch in 0..epochs {
        let t = std::time::Instant::now();
        for i in (1..order.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (seed >> 33) as usize % (i + 1);
            order.swap(i, j);
        }
        let mut total = 0.0;
        for chunk in order.chunks(32) {
            let refs: Vec<&Pair> = chunk.iter().map(|i| &train[*i]).collect();
            let (a, am, b, bm, y) = batch(&refs, &dev)?;
            let logits = model.forward(&a, &am, &b, &bm, true)?;
            let loss = candle_nn::loss::cross_entropy(&logits, &y)?;
            total += loss.to_scalar::<f32>()?;
            opt.backward_step(&loss)?;
        }
        let ha = accuracy(&model, &held, &dev)?;
        let ta = accuracy(&model, &test, &dev)?;
        eprintln!("epoch {epoch} loss {:.3} held {ha:.3} dev {ta:.3} ({:.1}s)", total / (order.len() as f32 / 32.0), t.elapsed().as_secs_f64());
    }
    Ok(())
}
