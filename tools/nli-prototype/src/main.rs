//! Trains citecheck's embedded inference model (issue 16): a decomposable-attention model
//! (Parikh et al. 2016, with ESIM-style difference and product features, mean and max pooling)
//! over the hashed units of `src/nli/units.rs`, with candle on the CPU.
//!
//! Data (`--data DIR`, the folder that holds the public sets):
//! - OCNLI `train.10k.json`, a tenth of the premises held out by FNV-1a of `prem_id`;
//! - WiCE `oracle_chunks/claim/dev.jsonl` and `non_supported_tokens/train.jsonl`
//!   (supported → entailment; partially and not supported → neutral), a tenth of the claims
//!   held out; WiCE test is never read;
//! - FNC-1 `train_stances.csv` minus citecheck's held-out bodies (FNV-1a(body id) % 5 == 0,
//!   `eval::fnc1::held_out`): agree → entailment, disagree → contradiction (three copies),
//!   discuss → neutral, unrelated → neutral (one pair in six), a tenth of the other bodies held
//!   out.
//!
//! OCNLI dev is scored each epoch and never chosen on. The epoch with the best held-out
//! accuracy (mean of the Chinese and the English held-out parts) is written to
//! `OUT/nli.safetensors`, with `OUT/nli-parity.json`: the written model's probabilities for a
//! few sentences of our own, which citecheck's own forward pass must reproduce.

#[path = "../../../src/nli/units.rs"]
#[allow(dead_code)]
mod units;

use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{embedding, linear, ops, AdamW, Embedding, Linear, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use units::{premise, units, MAX_HYPOTHESIS, MAX_PREMISE, VOCAB};

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
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

#[derive(Clone)]
struct Pair {
    p: Vec<u32>,
    h: Vec<u32>,
    y: u32,
}

fn batch(pairs: &[&Pair], dev: &Device) -> Result<(Tensor, Tensor, Tensor, Tensor, Tensor)> {
    let la = pairs.iter().map(|p| p.p.len()).max().unwrap_or(1);
    let lb = pairs.iter().map(|p| p.h.len()).max().unwrap_or(1);
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

fn pair(claim: &str, source: &[String], y: u32) -> Pair {
    Pair { p: premise(claim, source), h: units(claim, MAX_HYPOTHESIS), y }
}

fn json_lines(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// OCNLI rows of `file`, split into (held, train) by premise.
fn ocnli(dir: &Path, file: &str) -> (Vec<Pair>, Vec<Pair>) {
    let labels = ["entailment", "neutral", "contradiction"];
    let mut held = Vec::new();
    let mut train = Vec::new();
    for v in json_lines(&dir.join("ocnli").join(file)) {
        let (Some(lab), Some(p), Some(h)) = (v["label"].as_str(), v["sentence1"].as_str(), v["sentence2"].as_str()) else { continue };
        let Some(y) = labels.iter().position(|x| *x == lab) else { continue };
        let row = Pair { p: units(p, MAX_PREMISE), h: units(h, MAX_HYPOTHESIS), y: y as u32 };
        if fnv(v["prem_id"].as_str().unwrap_or("")) % 10 == 0 { held.push(row) } else { train.push(row) }
    }
    (held, train)
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// WiCE dev chunks and the non-supported-tokens train claims, split into (held, train) by claim.
fn wice(dir: &Path) -> (Vec<Pair>, Vec<Pair>) {
    let mut held = Vec::new();
    let mut train = Vec::new();
    for file in ["oracle_chunks/claim/dev.jsonl", "non_supported_tokens/train.jsonl"] {
        for v in json_lines(&dir.join("wice").join(file)) {
            let (Some(claim), Some(lab)) = (v["claim"].as_str(), v["label"].as_str()) else { continue };
            let y = if lab == "supported" { 0 } else { 1 };
            let row = pair(claim, &strings(&v["evidence"]), y);
            if fnv(claim) % 10 == 0 { held.push(row) } else { train.push(row) }
        }
    }
    (held, train)
}

/// Fields of a CSV file with quoted fields that may hold commas, quotes and newlines.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => { field.push('"'); chars.next(); }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => { row.push(std::mem::take(&mut field)); rows.push(std::mem::take(&mut row)); }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() { row.push(field); rows.push(row); }
    rows
}

fn sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = body.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            if !cur.trim().is_empty() { out.push(cur.trim().to_string()); }
            cur.clear();
            continue;
        }
        cur.push(c);
        if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() { out.push(cur.trim().to_string()); }
    out
}

/// FNC-1 training pairs outside citecheck's held-out bodies, split into (held, train) by body.
/// With `skip_fold = Some(k)`, bodies of stacking fold `k` (FNV-1a(body id) / 5 % 2, beside the held-out rule FNV-1a % 5 == 0; the
/// rule of citecheck's `eval::fnc1::nli_fold`) are left out, so the model is out of fold for them.
fn fnc1(dir: &Path, skip_fold: Option<u64>) -> (Vec<Pair>, Vec<Pair>) {
    let read = |f: &str| std::fs::read_to_string(dir.join("fnc1").join(f)).unwrap_or_else(|e| panic!("fnc1/{f}: {e}"));
    let bodies: HashMap<String, Vec<String>> = csv_rows(&read("train_bodies.csv"))
        .into_iter()
        .skip(1)
        .filter(|r| r.len() >= 2)
        .map(|r| (r[0].clone(), sentences(&r[1])))
        .collect();
    let mut held = Vec::new();
    let mut train = Vec::new();
    let mut unrelated = 0usize;
    for r in csv_rows(&read("train_stances.csv")).into_iter().skip(1) {
        if r.len() < 3 || fnv(&r[1]) % 5 == 0 { continue; }
        if skip_fold.is_some_and(|k| fnv(&r[1]) / 5 % 2 == k) { continue; }
        let Some(body) = bodies.get(&r[1]) else { continue };
        let (y, copies) = match r[2].as_str() {
            "agree" => (0, 1),
            "disagree" => (2, 3),
            "discuss" => (1, 1),
            "unrelated" => { unrelated += 1; if unrelated % 6 != 0 { continue } (1, 1) }
            _ => continue,
        };
        let row = pair(&r[0], body, y);
        let is_held = fnv(&format!("held{}", r[1])) % 10 == 0;
        for _ in 0..if is_held { 1 } else { copies } {
            if is_held { held.push(row.clone()) } else { train.push(row.clone()) }
        }
    }
    (held, train)
}

fn accuracy(model: &Nli, pairs: &[Pair], dev: &Device) -> Result<f64> {
    let mut right = 0;
    for chunk in pairs.chunks(128) {
        let refs: Vec<&Pair> = chunk.iter().collect();
        let (a, am, b, bm, y) = batch(&refs, dev)?;
        let pred = model.forward(&a, &am, &b, &bm, false)?.argmax(D::Minus1)?;
        right += pred.eq(&y)?.to_dtype(DType::F32)?.sum_all()?.to_scalar::<f32>()? as usize;
    }
    Ok(right as f64 / pairs.len().max(1) as f64)
}

/// Sentences of our own for the parity file (premise, hypothesis).
const PARITY: [(&str, &str); 4] = [
    ("美国正在考虑限制向中东出口人工智能芯片。", "英伟达正式宣布停止接受中国新订单。"),
    ("英伟达可能因美国新规失去部分订单。", "英伟达可能失去订单。"),
    ("Heavy snow closed 120 schools across Yorkshire on Friday.", "Snow closed schools in Yorkshire."),
    ("The council said the bridge would reopen in May.", "The bridge will never reopen."),
];

fn probabilities(model: &Nli, premise_text: &str, hypothesis: &str, dev: &Device) -> Result<Vec<f32>> {
    let p = Pair { p: units(premise_text, MAX_PREMISE), h: units(hypothesis, MAX_HYPOTHESIS), y: 0 };
    let (a, am, b, bm, _) = batch(&[&p], dev)?;
    ops::softmax_last_dim(&model.forward(&a, &am, &b, &bm, false)?)?.squeeze(0)?.to_vec1::<f32>()
}

fn flag(args: &[String], name: &str, default: &str) -> String {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| default.to_string())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let data = PathBuf::from(flag(&args, "--data", "../../../shared/data"));
    let out = PathBuf::from(flag(&args, "--out", "../../data"));
    let d: usize = flag(&args, "--dim", "64").parse().expect("--dim");
    let h: usize = flag(&args, "--hidden", "96").parse().expect("--hidden");
    let epochs: usize = flag(&args, "--epochs", "8").parse().expect("--epochs");
    let lr: f64 = flag(&args, "--lr", "0.001").parse().expect("--lr");
    let english = flag(&args, "--english", "1") == "1";
    // `--fold K` trains the stacking model that is out of fold for FNC-1 fold K (see `fnc1`).
    let fold: Option<u64> = args.iter().position(|a| a == "--fold").map(|i| args[i + 1].parse().expect("--fold"));
    let name = flag(&args, "--name", "nli");
    let dev = Device::Cpu;
    let (zh_held, mut train) = ocnli(&data, "train.10k.json");
    let zh_dev: Vec<Pair> = {
        let (a, b) = ocnli(&data, "dev.json");
        a.into_iter().chain(b).collect()
    };
    let mut en_held = Vec::new();
    if english {
        let (wh, wt) = wice(&data);
        let (fh, ft) = fnc1(&data, fold);
        eprintln!("wice train {} held {}; fnc1 train {} held {}", wt.len(), wh.len(), ft.len(), fh.len());
        train.extend(wt);
        train.extend(ft);
        en_held.extend(wh);
        en_held.extend(fh);
    }
    eprintln!("train {} zh held {} en held {} ocnli dev {}", train.len(), zh_held.len(), en_held.len(), zh_dev.len());
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &dev);
    let model = Nli::new(vb, d, h)?;
    let mut opt = AdamW::new(varmap.all_vars(), ParamsAdamW { lr, weight_decay: 1e-4, ..Default::default() })?;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut seed: u64 = 42;
    let mut best: Option<(f64, usize, f64, HashMap<String, Vec<f32>>, HashMap<String, Vec<usize>>)> = None;
    for epoch in 0..epochs {
        let t = std::time::Instant::now();
        for i in (1..order.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let mut total = 0.0;
        for chunk in order.chunks(32) {
            let refs: Vec<&Pair> = chunk.iter().map(|i| &train[*i]).collect();
            let (a, am, b, bm, y) = batch(&refs, &dev)?;
            let loss = candle_nn::loss::cross_entropy(&model.forward(&a, &am, &b, &bm, true)?, &y)?;
            total += loss.to_scalar::<f32>()?;
            opt.backward_step(&loss)?;
        }
        let zh = accuracy(&model, &zh_held, &dev)?;
        let en = if en_held.is_empty() { zh } else { accuracy(&model, &en_held, &dev)? };
        let ocnli_dev = accuracy(&model, &zh_dev, &dev)?;
        eprintln!(
            "epoch {epoch} loss {:.3} zh held {zh:.3} en held {en:.3} ocnli dev {ocnli_dev:.3} ({:.0}s)",
            total / (order.len() as f32 / 32.0),
            t.elapsed().as_secs_f64()
        );
        let score = (zh + en) / 2.0;
        if best.as_ref().is_none_or(|b| score > b.0) {
            let mut values = HashMap::new();
            let mut shapes = HashMap::new();
            for (name, var) in varmap.data().lock().unwrap().iter() {
                values.insert(name.clone(), var.flatten_all()?.to_vec1::<f32>()?);
                shapes.insert(name.clone(), var.dims().to_vec());
            }
            best = Some((score, epoch, ocnli_dev, values, shapes));
        }
    }
    let Some((score, epoch, ocnli_dev, values, shapes)) = best else { return Ok(()) };
    // Put the best epoch's weights back, for the parity file.
    for (name, var) in varmap.data().lock().unwrap().iter() {
        var.set(&Tensor::from_vec(values[name].clone(), shapes[name].clone(), &dev)?)?;
    }
    let bytes: HashMap<String, Vec<u8>> =
        values.iter().map(|(k, v)| (k.clone(), v.iter().flat_map(|x| x.to_le_bytes()).collect())).collect();
    let views: Vec<(String, safetensors::tensor::TensorView)> = bytes
        .iter()
        .map(|(k, b)| (k.clone(), safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shapes[k].clone(), b).expect("view")))
        .collect();
    let note = format!(
        "decomposable attention, dim {d}, hidden {h}, lr {lr}, epoch {} of {epochs} chosen by held-out accuracy {score:.3}; OCNLI dev at that epoch {ocnli_dev:.3}; data: OCNLI train.10k{}",
        epoch + 1,
        if english { ", WiCE dev + non_supported_tokens train, FNC-1 train minus held-out bodies" } else { "" }
    ) + &fold.map(|k| format!(" and minus stacking fold {k}")).unwrap_or_default();
    let meta: HashMap<String, String> = [
        ("dim".to_string(), d.to_string()),
        ("hidden".to_string(), h.to_string()),
        ("vocab".to_string(), VOCAB.to_string()),
        ("labels".to_string(), "entailment,neutral,contradiction".to_string()),
        ("note".to_string(), note.clone()),
    ]
    .into_iter()
    .collect();
    std::fs::create_dir_all(&out).expect("out dir");
    safetensors::tensor::serialize_to_file(views, Some(meta), &out.join(format!("{name}.safetensors"))).expect("write weights");
    if fold.is_some() {
        eprintln!("wrote {}: {note}", out.join(format!("{name}.safetensors")).display());
        return Ok(());
    }
    let parity: Vec<serde_json::Value> = PARITY
        .iter()
        .map(|(p, hy)| Ok(serde_json::json!({"premise": p, "hypothesis": hy, "probabilities": probabilities(&model, p, hy, &dev)?})))
        .collect::<Result<_>>()?;
    std::fs::write(out.join("nli-parity.json"), serde_json::to_string_pretty(&parity).unwrap() + "\n").expect("write parity");
    eprintln!("wrote {}: {note}", out.join("nli.safetensors").display());
    Ok(())
}
