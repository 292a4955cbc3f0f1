//! `citecheck compare` (one claim against one source, or a JSON Lines file of pairs) and the
//! pair benchmarks `citecheck eval fnc1 | wice | ocnli | train`.
//!
//! Pairs files are validated whole before any output: a line that is not a JSON object with
//! string `claim` and `source` fails the run with the file and line named (exit code 2), so a
//! consumer never gets a partial result it could mistake for a complete one.

use super::run::ExitStatus;
use crate::compare::combiner::argmax;
use crate::compare::combiner::{Combiner, TrainConfig};
use crate::compare::pair;
use crate::compare::PreparedSource;
use crate::eval::fnc1;
use crate::judge::{Judge, SourceJudgement};
use crate::model::Page;
use crate::nli::NliModel;
use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The claim to check (with --source).
    #[arg(long, requires = "source", conflicts_with = "pairs")]
    pub claim: Option<String>,
    /// The source: a saved HTML page, a text file, or an http(s) URL.
    #[arg(long, requires = "claim")]
    pub source: Option<String>,
    /// A JSON Lines file of {"id","claim","source"} (source is text); `-` reads stdin.
    #[arg(long)]
    pub pairs: Option<PathBuf>,
    /// Output format of a single comparison (pairs always write JSON Lines).
    #[arg(long, short = 'f', default_value = "human", value_parser = ["human", "json"])]
    pub format: String,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// A combiner file to use instead of the shipped data/combiner.json.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalFnc1Args {
    /// The FNC-1 folder holding train_bodies.csv and train_stances.csv.
    #[arg(long)]
    pub dir: PathBuf,
    /// A combiner file to use instead of the shipped one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Only time the lexical features benches/compare_reference.py computes (the same way), for
    /// a like-for-like speed comparison; no verdicts, no scores.
    #[arg(long)]
    pub features_only: bool,
    /// With --features-only: write the four figures of every pair to this file, one pair a
    /// line in train_stances.csv order (the reference script's --dump writes the same).
    #[arg(long, requires = "features_only")]
    pub dump: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalDirArgs {
    /// The dataset folder (../shared/data/wice or ../shared/data/ocnli).
    #[arg(long)]
    pub dir: PathBuf,
    /// Also write every row's features to this file, one JSON object a line
    /// (`split`, `group`, `label`, `features` in the order of `features::NAMES`).
    #[arg(long)]
    pub dump: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalAveritecArgs {
    /// The dataset folder holding `dev.json` (../shared/data/averitec).
    #[arg(long)]
    pub dir: PathBuf,
}

/// Writes the features of every row of `splits` (see [`EvalDirArgs::dump`]).
fn dump_rows(path: &Path, splits: &[(&str, Vec<crate::eval::nli::NliPair>)]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for (split, rows) in splits {
        for (p, (f, _)) in rows.iter().zip(crate::eval::nli::judge(rows)) {
            let line = serde_json::json!({
                "split": split,
                "group": p.group,
                "label": p.label,
                "features": f.values.to_vec(),
            });
            writeln!(w, "{line}")?;
        }
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[derive(Debug, Args)]
pub struct EvalTrainArgs {
    /// The FNC-1 folder (the training side of the fixed split is used).
    #[arg(long)]
    pub fnc1: PathBuf,
    /// Where to write the combiner JSON (e.g. data/combiner.json).
    #[arg(long)]
    pub out: PathBuf,
    /// Boosting rounds.
    #[arg(long, default_value_t = TrainConfig::default().rounds)]
    pub rounds: usize,
    /// Tree depth.
    #[arg(long, default_value_t = TrainConfig::default().depth)]
    pub depth: usize,
    /// Shrinkage of each tree.
    #[arg(long, default_value_t = TrainConfig::default().learning_rate)]
    pub learning_rate: f64,
    /// First print four-fold cross-validation on the training side (folds by body), to
    /// choose settings without looking at the held-out split.
    #[arg(long)]
    pub cv: bool,
    /// A folder holding `fold0.safetensors` and `fold1.safetensors`, the inference models the
    /// training tool made out of fold (`tools/nli-prototype --fold K`): the combiner then also
    /// learns from the inference model's features, each training pair scored by the model
    /// that never saw its body. Without it the combiner is lexical.
    #[arg(long, value_name = "DIR")]
    pub nli_folds: Option<PathBuf>,
}

/// One output line of `compare --pairs` (and the JSON form of a single comparison).
#[derive(Debug, Serialize)]
struct PairOut<'a> {
    id: &'a serde_json::Value,
    verdict: crate::model::Verdict,
    score: f64,
    evidence: EvidenceOut<'a>,
    reasons: &'a [String],
    cross_lingual: bool,
    /// Whether the source is about the claim at all (when not, it is no evidence).
    relevant: bool,
}

#[derive(Debug, Serialize)]
struct EvidenceOut<'a> {
    quote: &'a str,
    /// Character offsets of the quote in the source text (paragraphs joined by newlines).
    start: usize,
    end: usize,
    similarity: f64,
}

fn out_of<'a>(id: &'a serde_json::Value, j: &'a SourceJudgement) -> PairOut<'a> {
    PairOut {
        id,
        verdict: j.verdict,
        score: j.score,
        evidence: EvidenceOut {
            quote: &j.evidence.quote,
            start: j.evidence.start,
            end: j.evidence.end,
            similarity: j.evidence.similarity,
        },
        reasons: &j.reasons,
        cross_lingual: j.cross_lingual,
        relevant: j.relevant,
    }
}

fn load_model(path: Option<&Path>) -> Result<Judge> {
    match path {
        None => Ok(Judge::shipped().clone()),
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Combiner::from_json(&text)
                .map(Judge::new)
                .with_context(|| format!("loading {}", p.display()))
        }
    }
}

fn writer(output: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

pub fn compare(args: CompareArgs) -> Result<ExitStatus> {
    let model = load_model(args.model.as_deref())?;
    if let Some(path) = &args.pairs {
        return compare_pairs(path, &model, args.output.as_deref());
    }
    let (Some(claim), Some(source)) = (&args.claim, &args.source) else {
        bail!("give --claim TEXT --source FILE_OR_URL, or --pairs FILE.jsonl");
    };
    let page = load_source(source)?;
    let prepared = PreparedSource::new(&page);
    let j = model.source(&pair::claim_of(claim), &prepared, "source");
    let mut out = writer(args.output.as_deref())?;
    if args.format == "json" {
        let id = serde_json::Value::String(source.clone());
        serde_json::to_writer_pretty(&mut out, &out_of(&id, &j))?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "verdict: {} (score {:.3})",
            verdict_name(j.verdict),
            j.score
        )?;
        if !j.evidence.quote.is_empty() {
            writeln!(
                out,
                "evidence [{}..{}]: {}",
                j.evidence.start, j.evidence.end, j.evidence.quote
            )?;
        }
        for r in &j.reasons {
            writeln!(out, "- {r}")?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Ok)
}

fn verdict_name(v: crate::model::Verdict) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A saved HTML page (extracted), a text file (one paragraph per line) or a URL (fetched).
fn load_source(source: &str) -> Result<Page> {
    if source.starts_with("http://") || source.starts_with("https://") {
        let settings = crate::fetch::FetchSettings::default();
        let fetcher = crate::fetch::HttpFetcher::new(&settings).context("building http client")?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting runtime")?;
        let fetched = rt
            .block_on(crate::fetch::Fetcher::get(&fetcher, source))
            .with_context(|| format!("fetching {source}"))?;
        return Ok(crate::extract::extract_page(
            &fetched.html,
            &fetched.final_url,
        ));
    }
    let path = Path::new(source);
    let bytes = crate::document::read_text_input(source, crate::document::DEFAULT_MAX_INPUT_BYTES)?;
    let decoded = crate::charset::decode(&bytes, None);
    let is_html = matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("html" | "htm" | "xhtml")
    ) || decoded.text.trim_start().starts_with('<');
    if is_html {
        Ok(crate::extract::extract_page(
            &decoded.text,
            &format!("file://{source}"),
        ))
    } else {
        Ok(pair::page_from_text(&decoded.text))
    }
}

pub(super) struct PairLine {
    id: serde_json::Value,
    pub(super) claim: String,
    pub(super) source: String,
}

/// Parses a pairs file; the first bad line fails with the file and line named.
pub(super) fn parse_pairs(text: &str, name: &str) -> Result<Vec<PairLine>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{name}:{n}: not a JSON object"))?;
        let field = |k: &str| -> Result<String> {
            v.get(k)
                .and_then(|s| s.as_str())
                .map(str::to_string)
                .with_context(|| format!("{name}:{n}: missing string field \"{k}\""))
        };
        let id = v.get("id").cloned().unwrap_or(serde_json::Value::from(n));
        out.push(PairLine {
            id,
            claim: field("claim")?,
            source: field("source")?,
        });
    }
    Ok(out)
}

fn compare_pairs(path: &Path, model: &Judge, output: Option<&Path>) -> Result<ExitStatus> {
    // The same cap, special-file refusal and binary check as an article.
    let shown = path.to_string_lossy().into_owned();
    let bytes = crate::document::read_text_input(&shown, crate::document::DEFAULT_MAX_INPUT_BYTES)?;
    let name = crate::document::shown_path(&shown);
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let lines = parse_pairs(&text, &name)?;
    let judged = judge_lines(&lines, model);
    let mut out = writer(output)?;
    for (l, j) in lines.iter().zip(&judged) {
        serde_json::to_writer(&mut out, &out_of(&l.id, j))?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitStatus::Ok)
}

/// Prepares each distinct source once, then judges the pairs on all cores, in input order.
fn judge_lines(lines: &[PairLine], model: &Judge) -> Vec<SourceJudgement> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut sources: Vec<&str> = Vec::new();
    let slots: Vec<usize> = lines
        .iter()
        .map(|l| {
            *index.entry(l.source.as_str()).or_insert_with(|| {
                sources.push(&l.source);
                sources.len() - 1
            })
        })
        .collect();
    let pages: Vec<Page> = sources
        .par_iter()
        .map(|s| pair::page_from_text(s))
        .collect();
    let prepared: Vec<PreparedSource> = pages.par_iter().map(PreparedSource::new).collect();
    lines
        .par_iter()
        .zip(slots.par_iter())
        .map(|(l, s)| model.source(&pair::claim_of(&l.claim), &prepared[*s], "source"))
        .collect()
}

pub fn eval_train(args: EvalTrainArgs) -> Result<ExitStatus> {
    let data = fnc1::load(&args.fnc1).context("loading FNC-1")?;
    let t = Instant::now();
    let pages = fnc1::pages(&data);
    let folds = match &args.nli_folds {
        None => None,
        Some(dir) => {
            let load = |k: usize| {
                let path = dir.join(format!("fold{k}.safetensors"));
                NliModel::from_file(&path).with_context(|| format!("loading {}", path.display()))
            };
            Some([load(0)?, load(1)?])
        }
    };
    let nli = match &folds {
        None => fnc1::InferenceFeatures::None,
        Some([a, b]) => fnc1::InferenceFeatures::OutOfFold {
            folds: [a, b],
            held: NliModel::shipped(),
        },
    };
    let feats = fnc1::features(&data, &pages, &nli);
    eprintln!(
        "features of {} pairs in {:.2}s",
        feats.len(),
        t.elapsed().as_secs_f64()
    );
    let config = TrainConfig {
        rounds: args.rounds,
        depth: args.depth,
        learning_rate: args.learning_rate,
        ..TrainConfig::default()
    };
    if args.cv {
        let t = Instant::now();
        let (fnc, f1) = fnc1::cross_validate(&data, &feats, config);
        eprintln!(
            "cross-validation on the training side (4 folds by body): FNC {:.2}%  macro-F1 {f1:.3}  ({:.1}s)",
            fnc * 100.0,
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let model = fnc1::train(&data, &feats, config);
    eprintln!("trained in {:.2}s", t.elapsed().as_secs_f64());
    let json = serde_json::to_string(&model)?;
    std::fs::write(&args.out, json + "\n")
        .with_context(|| format!("writing {}", args.out.display()))?;
    Ok(ExitStatus::Ok)
}

pub fn eval_fnc1(args: EvalFnc1Args) -> Result<ExitStatus> {
    let model = load_model(args.model.as_deref())?;
    let data = fnc1::load(&args.dir).context("loading FNC-1")?;
    if args.features_only {
        return lexical_features(&data, args.dump.as_deref());
    }
    let t = Instant::now();
    let pages = fnc1::pages(&data);
    let judged = fnc1::judge_all(&data, &pages, &model);
    let secs = t.elapsed().as_secs_f64();
    let held: Vec<usize> = (0..data.pairs.len())
        .filter(|i| fnc1::held_out(&data.pairs[*i].body_id))
        .collect();
    let gold: Vec<usize> = held.iter().map(|i| data.pairs[*i].stance).collect();
    let engine: Vec<usize> = held.iter().map(|i| fnc1::class_of(&judged[*i])).collect();
    let scores: Vec<f64> = held.iter().map(|i| judged[*i].score).collect();
    let combiner_only: Vec<usize> = held
        .iter()
        .map(|i| argmax(&judged[*i].probabilities))
        .collect();
    let p_agree: Vec<f64> = held.iter().map(|i| judged[*i].probabilities[0]).collect();
    let report = fnc1::score(&gold, &engine, &scores);
    let plain = fnc1::score(&gold, &combiner_only, &p_agree);
    let mut out = writer(None)?;
    if args.json {
        let v = serde_json::json!({
            "schema": "citecheck.eval.fnc1.v1",
            "all_pairs": data.pairs.len(),
            "seconds_all_pairs": secs,
            "held_out": report,
            "held_out_combiner_only": plain,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "FNC-1: {} pairs judged in {:.2}s ({:.0} pairs/s); held-out split: {} pairs of {} bodies (FNV-1a(body id) % 5 == 0)",
            data.pairs.len(),
            secs,
            data.pairs.len() as f64 / secs.max(1e-9),
            held.len(),
            data.pairs
                .iter()
                .filter(|p| fnc1::held_out(&p.body_id))
                .map(|p| p.body)
                .collect::<std::collections::HashSet<_>>()
                .len()
        )?;
        write_stance(
            &mut out,
            "the judge (relevance, combiner, flag overrides; what check uses)",
            &report,
        )?;
        write_stance(&mut out, "combiner only (argmax)", &plain)?;
    }
    out.flush()?;
    Ok(ExitStatus::Ok)
}

/// `eval fnc1 --features-only`: the reference script's features, timed the way it times them
/// (after the CSV files are read).
fn lexical_features(data: &fnc1::Fnc1, dump: Option<&Path>) -> Result<ExitStatus> {
    let t = Instant::now();
    let feats = crate::eval::lexical::all(data);
    let secs = t.elapsed().as_secs_f64();
    let mut out = writer(None)?;
    writeln!(
        out,
        "lexical features (as benches/compare_reference.py): {} pairs in {secs:.2}s ({:.0} pairs/s) on {} threads",
        feats.len(),
        feats.len() as f64 / secs.max(1e-9),
        rayon::current_num_threads()
    )?;
    out.flush()?;
    if let Some(path) = dump {
        let mut w = writer(Some(path))?;
        for f in &feats {
            writeln!(w, "{:.9} {:.9} {:.9} {:.9}", f[0], f[1], f[2], f[3])?;
        }
        w.flush()?;
    }
    Ok(ExitStatus::Ok)
}

pub fn eval_wice(args: EvalDirArgs) -> Result<ExitStatus> {
    let t = Instant::now();
    let r = crate::eval::nli::eval_wice(&args.dir).context("evaluating WiCE")?;
    if let Some(path) = &args.dump {
        use crate::eval::nli::load_wice;
        let splits = [
            ("dev", load_wice(&args.dir, "dev")?),
            ("test", load_wice(&args.dir, "test")?),
        ];
        dump_rows(path, &splits)?;
    }
    let mut out = writer(None)?;
    writeln!(
        out,
        "WiCE oracle chunks, test ({} rows, {} supported; claims take their best chunk), {:.1}s",
        r.engine.rows,
        r.engine.positives,
        t.elapsed().as_secs_f64()
    )?;
    let mut rows = vec![
        ("per row: the judge (verdict supported)", &r.engine),
        ("per row: combiner trained on WiCE dev", &r.in_domain),
        ("per claim: the judge", &r.engine_claims),
        (
            "per claim: combiner trained on WiCE dev",
            &r.in_domain_claims,
        ),
        ("per claim: embedded inference model", &r.embedded_claims),
    ];
    if let (Some(engine), Some(ours), Some(gpt4)) =
        (&r.engine_subset, &r.in_domain_subset, &r.gpt4_subset)
    {
        rows.push(("100-claim subset: the judge", engine));
        rows.push(("100-claim subset: combiner", ours));
        rows.push(("100-claim subset: GPT-4 (published)", gpt4));
    }
    writeln!(
        out,
        "  in-domain combiner: depth {}, {} rounds (chosen by claim-level F1 out of fold on dev)",
        r.depth, r.rounds
    )?;
    for (name, b) in rows {
        writeln!(
            out,
            "  {name:<44} supported-vs-rest F1 {:.1}  P {:.1}  R {:.1}  acc {:.1}  (n {}){}",
            b.f1 * 100.0,
            b.precision * 100.0,
            b.recall * 100.0,
            b.accuracy * 100.0,
            b.rows,
            b.threshold
                .map(|t| format!("  (threshold {t:.3} from dev out-of-fold)"))
                .unwrap_or_default()
        )?;
    }
    writeln!(
        out,
        "  ECE on test: the judge's score per row {:.3}, per claim {:.3}; the in-domain combiner per claim {:.3}",
        r.engine_ece_rows, r.engine_ece_claims, r.in_domain_ece_claims
    )?;
    out.flush()?;
    Ok(ExitStatus::Ok)
}

pub fn eval_ocnli(args: EvalDirArgs) -> Result<ExitStatus> {
    let t = Instant::now();
    let r = crate::eval::nli::eval_ocnli(&args.dir).context("evaluating OCNLI")?;
    if let Some(path) = &args.dump {
        use crate::eval::nli::load_ocnli;
        let splits = [
            ("train", load_ocnli(&args.dir, "train.3k.json")?),
            ("dev", load_ocnli(&args.dir, "dev.json")?),
        ];
        dump_rows(path, &splits)?;
    }
    let mut out = writer(None)?;
    writeln!(
        out,
        "OCNLI dev ({} rows with a majority label), {:.1}s",
        r.rows,
        t.elapsed().as_secs_f64()
    )?;
    writeln!(
        out,
        "  majority class               accuracy {:.1}",
        r.majority_accuracy * 100.0
    )?;
    writeln!(
        out,
        "  the judge (mapped)            accuracy {:.1}",
        r.engine_accuracy * 100.0
    )?;
    writeln!(
        out,
        "  combiner trained on train.3k accuracy {:.1}   (BERT-base 74.5)",
        r.in_domain_accuracy * 100.0
    )?;
    writeln!(
        out,
        "  embedded inference model     accuracy {:.1}   (data/nli.safetensors)",
        r.embedded_accuracy * 100.0
    )?;
    writeln!(
        out,
        "  ECE as P(entailment): the judge's score {:.3}, the embedded model {:.3}",
        r.engine_ece, r.embedded_ece
    )?;
    writeln!(
        out,
        "  confusion of the combiner trained on train.3k (rows gold, columns predicted: entailment neutral contradiction)"
    )?;
    write_confusion(
        &mut out,
        &crate::eval::nli::OCNLI_LABELS,
        &r.in_domain_confusion,
        14,
        7,
    )?;
    writeln!(
        out,
        "  confusion of the embedded inference model (same rows and columns)"
    )?;
    write_confusion(
        &mut out,
        &crate::eval::nli::OCNLI_LABELS,
        &r.embedded_confusion,
        14,
        7,
    )?;
    out.flush()?;
    Ok(ExitStatus::Ok)
}

fn write_stance(out: &mut dyn Write, title: &str, r: &fnc1::StanceReport) -> Result<()> {
    writeln!(out, "\n{title}")?;
    writeln!(
        out,
        "  FNC score {:.2} / {:.2} = {:.2}%   accuracy {:.2}%   macro-F1 {:.3}",
        r.fnc_score,
        r.fnc_max,
        r.fnc_relative * 100.0,
        r.accuracy * 100.0,
        r.macro_f1
    )?;
    for (c, f) in &r.per_class_f1 {
        writeln!(out, "  F1 {c:<10} {f:.3}")?;
    }
    writeln!(
        out,
        "  confusion (rows gold, columns predicted: agree disagree discuss unrelated)"
    )?;
    for (c, row) in pair::CLASSES.iter().zip(&r.confusion) {
        writeln!(
            out,
            "  {c:<10} {}",
            row.iter().map(|n| format!("{n:>7}")).collect::<String>()
        )?;
    }
    writeln!(
        out,
        "  reliability of the score (P supported) against gold agree; ECE {:.3}",
        r.ece
    )?;
    for (lo, hi, n, mean, freq) in &r.calibration {
        if *n > 0 {
            writeln!(
                out,
                "  [{lo:.1},{hi:.1})  n={n:<6} mean score {mean:.3}  share agree {freq:.3}"
            )?;
        }
    }
    Ok(())
}

/// One line per gold label: the label padded to `label_width`, then its row of counts, each
/// right-aligned in `cell_width`.
fn write_confusion(
    out: &mut dyn Write,
    labels: &[&str],
    rows: &[Vec<usize>],
    label_width: usize,
    cell_width: usize,
) -> Result<()> {
    for (l, row) in labels.iter().zip(rows) {
        let cells: String = row.iter().map(|n| format!("{n:>cell_width$}")).collect();
        writeln!(out, "  {l:<label_width$}{cells}")?;
    }
    Ok(())
}

pub fn eval_averitec(args: EvalAveritecArgs) -> Result<ExitStatus> {
    use crate::eval::averitec::LABELS;
    use crate::model::Verdict;
    let t = Instant::now();
    let r = crate::eval::averitec::eval(&args.dir).context("evaluating AVeriTeC")?;
    let mut out = writer(None)?;
    writeln!(
        out,
        "AVeriTeC dev ({} claims against their question-and-answer evidence, never trained on), {:.1}s",
        r.claims,
        t.elapsed().as_secs_f64()
    )?;
    writeln!(
        out,
        "  three classes (supported, refuted, neither): accuracy {:.1}  macro-F1 {:.3}",
        r.accuracy * 100.0,
        r.macro_f1
    )?;
    for (name, b) in [
        ("supported vs rest (verdict supported)", &r.supported),
        ("refuted vs rest (verdict contradicted)", &r.refuted),
    ] {
        writeln!(
            out,
            "  {name:<40} F1 {:.1}  P {:.1}  R {:.1}",
            b.f1 * 100.0,
            b.precision * 100.0,
            b.recall * 100.0
        )?;
    }
    writeln!(
        out,
        "  a default run fails {} claims; refuted by the fact-checkers: {:.1} %; supported claims that fail: {:.1} %",
        r.failing,
        r.failing_refuted * 100.0,
        r.supported_failing * 100.0
    )?;
    writeln!(out, "  ECE of the score as P(supported): {:.3}", r.ece)?;
    writeln!(
        out,
        "  confusion (rows gold; columns {})",
        Verdict::ALL
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    write_confusion(&mut out, &LABELS, &r.confusion, 36, 6)?;
    out.flush()?;
    Ok(ExitStatus::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_file_errors_name_the_line() {
        let e = parse_pairs(
            "{\"id\":1,\"claim\":\"a\",\"source\":\"b\"}\n{\"id\":2}\n",
            "p.jsonl",
        )
        .err()
        .expect("second line lacks fields");
        assert!(format!("{e:#}").contains("p.jsonl:2"), "{e:#}");
        let e = parse_pairs("not json", "q.jsonl").err().expect("bad json");
        assert!(format!("{e:#}").contains("q.jsonl:1"));
        assert_eq!(parse_pairs("\n\n", "e").expect("blank lines").len(), 0);
    }
}
