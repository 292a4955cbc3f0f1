//! Measuring the extractor on public benchmarks (issue 5): `citecheck eval extraction`.
//!
//! A claim can only be checked against what `extract` keeps of a source page, so its quality is
//! measured on labelled pages other people made, with their metrics, so our figures can be set
//! beside published ones. Three dataset layouts are recognised by the files in the folder:
//!
//! - the article extraction benchmark (Zyte/Scrapinghub): `ground-truth.json` + `html/<id>.html.gz`,
//!   scored with the shingle metric of [`extraction`];
//! - the Chinese web content extraction set: `ground-truth.json` + `original/<id>.html` +
//!   `date-ground-truth.json`, scored with the same metric, a CJK-character variant and date
//!   accuracy ([`dates`]);
//! - trafilatura's evaluation set: `evaldata.json` + `html/<file>.gz`, scored with keep/drop
//!   segments ([`segments`]).
//!
//! The datasets live outside the repository (their pages are third-party content); this module
//! reads the folder it is given and returns figures, the CLI prints them. It reads the clock
//! only to time each page.

pub mod articles;
pub mod averitec;
pub mod dates;
pub mod extraction;
pub mod fnc1;
mod human;
pub mod lexical;
pub mod nli;
pub mod segments;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub use dates::{DateOutcome, DateScores};
pub use extraction::{ShingleCounts, ShingleScores, Tokens};
pub use human::render_human;
pub use segments::{SegmentCounts, SegmentScores};

/// The `schema` field of the JSON report.
pub const SCHEMA: &str = "citecheck.eval.extraction.v1";

/// Why an evaluation could not run at all. A page that cannot be read is not an error: it is
/// scored as empty output and listed in [`ExtractionReport::failures`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("reading {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("parsing {}: {source}", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{}: not a known extraction dataset (expected ground-truth.json with html/ or original/, \
         or evaldata.json with html/)",
        dir.display()
    )]
    UnknownDataset { dir: PathBuf },
    #[error("{0}")]
    Unsupported(String),
}

/// A dataset layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Dataset {
    /// Zyte/Scrapinghub article extraction benchmark (181 pages).
    ArticleExtractionBenchmark,
    /// Chinese web content extraction set (69 pages; body, author, date).
    ZhWebContentExtraction,
    /// trafilatura's evaluation set (990 pages; keep/drop segments).
    TrafilaturaEval,
}

impl Dataset {
    pub fn name(self) -> &'static str {
        match self {
            Dataset::ArticleExtractionBenchmark => "article-extraction-benchmark",
            Dataset::ZhWebContentExtraction => "zh-web-content-extraction",
            Dataset::TrafilaturaEval => "trafilatura-eval",
        }
    }

    /// Recognises the layout of `dir` by the files it holds.
    pub fn detect(dir: &Path) -> Result<Dataset, EvalError> {
        if dir.join("evaldata.json").is_file() && dir.join("html").is_dir() {
            Ok(Dataset::TrafilaturaEval)
        } else if dir.join("ground-truth.json").is_file() && dir.join("original").is_dir() {
            Ok(Dataset::ZhWebContentExtraction)
        } else if dir.join("ground-truth.json").is_file() && dir.join("html").is_dir() {
            Ok(Dataset::ArticleExtractionBenchmark)
        } else {
            Err(EvalError::UnknownDataset {
                dir: dir.to_path_buf(),
            })
        }
    }
}

/// What to score.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Score another system's saved outputs (`{id: {"articleBody": ...}}`, optionally gzipped or
    /// wrapped in `{"output": ...}`) instead of running our extractor: this checks the metric
    /// against the published figures.
    pub predictions: Option<PathBuf>,
    /// The body extractor run on each page (ignored with `predictions`).
    pub extractor: crate::extract::BodyExtractor,
}

/// The figures of one run.
#[derive(Debug, Clone, Serialize)]
pub struct ExtractionReport {
    pub schema: &'static str,
    pub dataset: Dataset,
    pub dir: String,
    /// `citecheck` or the predictions file scored.
    pub system: String,
    pub pages: usize,
    /// The published shingle metric (`\w+` tokens).
    pub words: Option<ShingleScores>,
    /// The same metric with one token per CJK character (Chinese set only; not published).
    pub cjk_chars: Option<ShingleScores>,
    pub segments: Option<SegmentScores>,
    pub dates: Option<DateScores>,
    /// Decode + extract time per page (our extractor only).
    pub timing: Option<Timing>,
    pub failures: Vec<PageFailure>,
    pub page_results: Vec<PageResult>,
}

/// Per-page time of `charset::decode` + `extract::extract_page`.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub mean_ms: f64,
    pub median_ms: f64,
    pub max_ms: f64,
    pub total_ms: f64,
    /// The id of the slowest page and its size.
    pub slowest: String,
    pub slowest_html_bytes: usize,
}

/// A page that could not be read or extracted; it was scored as empty output.
#[derive(Debug, Clone, Serialize)]
pub struct PageFailure {
    pub id: String,
    pub message: String,
}

/// One page's counts.
#[derive(Debug, Clone, Serialize)]
pub struct PageResult {
    pub id: String,
    pub url: Option<String>,
    pub words: Option<ShingleCounts>,
    pub cjk_chars: Option<ShingleCounts>,
    pub segments: Option<SegmentCounts>,
    pub date_gold: Option<String>,
    pub date_ours: Option<String>,
    pub date: Option<DateOutcome>,
    pub gold_chars: usize,
    pub predicted_chars: usize,
    pub html_bytes: usize,
    pub millis: Option<f64>,
}

/// Runs the evaluation of the dataset in `dir`.
pub fn run_extraction(dir: &Path, opts: &EvalOptions) -> Result<ExtractionReport, EvalError> {
    let dataset = Dataset::detect(dir)?;
    let predictions = opts.predictions.as_deref().map(load_bodies).transpose()?;
    let mut report = ExtractionReport {
        schema: SCHEMA,
        dataset,
        dir: dir.display().to_string(),
        system: opts
            .predictions
            .as_deref()
            .map_or_else(|| "citecheck".to_string(), |p| p.display().to_string()),
        pages: 0,
        words: None,
        cjk_chars: None,
        segments: None,
        dates: None,
        timing: None,
        failures: Vec::new(),
        page_results: Vec::new(),
    };
    match dataset {
        Dataset::ArticleExtractionBenchmark | Dataset::ZhWebContentExtraction => run_bodies(
            dir,
            dataset,
            predictions.as_ref(),
            opts.extractor,
            &mut report,
        )?,
        Dataset::TrafilaturaEval => {
            run_segments(dir, predictions.as_ref(), opts.extractor, &mut report)?
        }
    }
    report.pages = report.page_results.len();
    report.timing = timing(&report.page_results);
    Ok(report)
}

/// A gold (or predicted) article body.
#[derive(Debug, Clone, Deserialize)]
struct Body {
    #[serde(rename = "articleBody", default)]
    article_body: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// `{id: {"articleBody": ..., "url": ...}}`, possibly wrapped as `{"output": {...}}` and gzipped.
fn load_bodies(path: &Path) -> Result<BTreeMap<String, Body>, EvalError> {
    let mut value: serde_json::Value = read_json(path)?;
    if let Some(inner) = value.get_mut("output").filter(|v| v.is_object()) {
        value = inner.take();
    }
    serde_json::from_value(value).map_err(|source| EvalError::Json {
        path: path.to_path_buf(),
        source,
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, EvalError> {
    let bytes = read_file(path)?;
    serde_json::from_slice(&bytes).map_err(|source| EvalError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// The bytes of `path`, gunzipped when its name ends in `.gz`.
fn read_file(path: &Path) -> Result<Vec<u8>, EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let raw = std::fs::read(path).map_err(io)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(io)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// What our extractor made of one page.
struct Extracted {
    text: String,
    published: Option<String>,
    millis: f64,
}

/// Decodes and extracts one page, as `fetch` + `extract` would. A panic is caught and reported
/// (the benchmark counts a crash as empty output) so one page never stops the run.
fn run_extractor(
    bytes: &[u8],
    url: &str,
    extractor: crate::extract::BodyExtractor,
) -> Result<Extracted, String> {
    let start = Instant::now();
    let result = std::panic::catch_unwind(|| {
        let decoded = crate::charset::decode(bytes, None);
        let page = crate::extract::extract_page_with(&decoded.text, url, extractor);
        (page.paragraphs.join("\n"), page.published)
    });
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok((text, published)) => Ok(Extracted {
            text,
            published,
            millis,
        }),
        Err(_) => Err("the extractor panicked".to_string()),
    }
}

/// Our text for one page, or empty output and a listed failure.
fn extract_file(
    path: &Path,
    id: &str,
    url: &str,
    extractor: crate::extract::BodyExtractor,
    failures: &mut Vec<PageFailure>,
) -> (Option<Extracted>, usize) {
    let bytes = match read_file(path) {
        Ok(b) => b,
        Err(e) => {
            failures.push(PageFailure {
                id: id.to_string(),
                message: e.to_string(),
            });
            return (None, 0);
        }
    };
    match run_extractor(&bytes, url, extractor) {
        Ok(x) => (Some(x), bytes.len()),
        Err(message) => {
            failures.push(PageFailure {
                id: id.to_string(),
                message,
            });
            (None, bytes.len())
        }
    }
}

fn run_bodies(
    dir: &Path,
    dataset: Dataset,
    predictions: Option<&BTreeMap<String, Body>>,
    extractor: crate::extract::BodyExtractor,
    report: &mut ExtractionReport,
) -> Result<(), EvalError> {
    let gold = load_bodies(&dir.join("ground-truth.json"))?;
    let zh = dataset == Dataset::ZhWebContentExtraction;
    let gold_dates: Option<BTreeMap<String, Body>> = if zh && predictions.is_none() {
        let path = dir.join("date-ground-truth.json");
        path.is_file().then(|| load_bodies(&path)).transpose()?
    } else {
        None
    };
    let mut words = Vec::new();
    let mut chars = Vec::new();
    let mut date_outcomes = Vec::new();
    for (id, body) in &gold {
        let gold_text = body.article_body.as_deref().unwrap_or("");
        let (path, default_url) = if zh {
            let p = dir.join("original").join(format!("{id}.html"));
            let u = format!("file://{}", p.display());
            (p, u)
        } else {
            let p = dir.join("html").join(format!("{id}.html.gz"));
            let u = format!("file://{}", p.display());
            (p, u)
        };
        let url = body.url.clone().unwrap_or(default_url);
        let (text, published, millis, html_bytes) = match predictions {
            Some(pred) => {
                let text = pred.get(id).and_then(|b| b.article_body.clone());
                if text.is_none() {
                    report.failures.push(PageFailure {
                        id: id.clone(),
                        message: "no prediction for this page".into(),
                    });
                }
                (text.unwrap_or_default(), None, None, 0)
            }
            None => match extract_file(&path, id, &url, extractor, &mut report.failures) {
                (Some(x), n) => (x.text, x.published, Some(x.millis), n),
                (None, n) => (String::new(), None, None, n),
            },
        };
        let w = extraction::score_page(gold_text, &text, Tokens::Words);
        words.push(w);
        let c = zh.then(|| extraction::score_page(gold_text, &text, Tokens::CjkChars));
        chars.extend(c);
        let date_gold = gold_dates.as_ref().map(|d| {
            d.get(id)
                .and_then(|b| b.article_body.clone())
                .unwrap_or_default()
        });
        let date = date_gold
            .as_deref()
            .map(|g| dates::compare(g, published.as_deref()));
        date_outcomes.extend(date);
        report.page_results.push(PageResult {
            id: id.clone(),
            url: body.url.clone(),
            words: Some(w),
            cjk_chars: c,
            segments: None,
            date_gold: date_gold.map(|d| d.trim().to_string()),
            date_ours: published,
            date,
            gold_chars: gold_text.chars().count(),
            predicted_chars: text.chars().count(),
            html_bytes,
            millis,
        });
    }
    report.words = Some(extraction::aggregate(&words));
    if zh {
        report.cjk_chars = Some(extraction::aggregate(&chars));
    }
    if gold_dates.is_some() {
        report.dates = Some(dates::aggregate(&date_outcomes));
    }
    Ok(())
}

/// One entry of trafilatura's `evaldata.json`.
#[derive(Debug, Deserialize)]
struct SegmentEntry {
    file: String,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
}

/// Scores trafilatura's set; with `predictions`, another system's text keyed by the entry's `file`.
fn run_segments(
    dir: &Path,
    predictions: Option<&BTreeMap<String, Body>>,
    extractor: crate::extract::BodyExtractor,
    report: &mut ExtractionReport,
) -> Result<(), EvalError> {
    let entries: BTreeMap<String, SegmentEntry> = read_json(&dir.join("evaldata.json"))?;
    let mut sum = SegmentCounts::default();
    for (url, entry) in &entries {
        let (extracted, html_bytes) = match predictions {
            Some(pred) => {
                let text = pred.get(&entry.file).and_then(|b| b.article_body.clone());
                if text.is_none() {
                    report.failures.push(PageFailure {
                        id: entry.file.clone(),
                        message: "no prediction for this page".into(),
                    });
                }
                let x = Extracted {
                    text: text.unwrap_or_default(),
                    published: None,
                    millis: f64::NAN,
                };
                (Some(x), 0)
            }
            None => {
                let path = dir.join("html").join(format!("{}.gz", entry.file));
                extract_file(&path, &entry.file, url, extractor, &mut report.failures)
            }
        };
        let text = extracted.as_ref().map_or("", |x| x.text.as_str());
        let counts = segments::score_page(text, &entry.with, &entry.without);
        sum.add(counts);
        report.page_results.push(PageResult {
            id: entry.file.clone(),
            url: Some(url.clone()),
            words: None,
            cjk_chars: None,
            segments: Some(counts),
            date_gold: None,
            date_ours: None,
            date: None,
            gold_chars: 0,
            predicted_chars: text.chars().count(),
            html_bytes,
            millis: extracted.map(|x| x.millis).filter(|m| !m.is_nan()),
        });
    }
    report.segments = Some(segments::aggregate(sum, entries.len()));
    Ok(())
}

fn timing(pages: &[PageResult]) -> Option<Timing> {
    let mut timed: Vec<(&PageResult, f64)> = pages
        .iter()
        .filter_map(|p| p.millis.map(|m| (p, m)))
        .collect();
    if timed.is_empty() {
        return None;
    }
    let total: f64 = timed.iter().map(|(_, m)| m).sum();
    timed.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (slowest, max) = *timed.last().expect("not empty");
    Some(Timing {
        mean_ms: total / timed.len() as f64,
        median_ms: timed[timed.len() / 2].1,
        max_ms: max,
        total_ms: total,
        slowest: slowest.id.clone(),
        slowest_html_bytes: slowest.html_bytes,
    })
}
