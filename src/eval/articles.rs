//! Citations, bindings and check-worthiness measured on labelled articles (issue 15):
//! `citecheck eval articles DIR`.
//!
//! Two kinds of label set are read, both scored the same way:
//!
//! - **Written fixtures** (`fixtures/labelled/`): `<id>.<txt|md|html>` beside `<id>.json`, whose
//!   citations and sentences are written out as text (`outlet`, `headline`, `url`,
//!   `claims[].text_contains`, `not_claims`). These were written for this project.
//! - **Real pages** (`--labels fixtures/real-labels/<dataset>`): one `<id>.json` per page of a
//!   public dataset kept outside the repository (`page` names the file inside DIR). Their
//!   labels hold byte offsets into the page, never its text (the pages are third-party content):
//!   the outlet, URL and sentence are read from the page at those offsets when it is scored.
//!
//! Each article runs through the library's own stages (`document::parse`, `cite::citations`,
//! `claim::claims_and_unchecked`), so the figures are what `check` works from. Figures:
//!
//! - citation precision, recall and F1: an extracted citation matches a label near the same line
//!   (the same line for fixtures; within [`REAL_LINE_SLACK`] lines for real pages, whose blocks
//!   are located in markup) with the same outlet (case, a leading "the" and quote marks ignored)
//!   or, failing that, the same URL, one to one;
//! - outlet accuracy (the registry outlet of matched citations whose label names one) and the
//!   headline exact-match rate (matched citations with a headline in the label or the output);
//! - check-worthiness: a labelled sentence is predicted checkable when a claim holds it;
//!   precision and recall of `checkable` over the labelled sentences;
//! - binding accuracy: over labelled checkable sentences with a `cites` list that were extracted
//!   as claims, the share whose bound citations are exactly the labelled ones (an extracted
//!   citation that matches no label never counts as right).
//!
//! Real-page labels are split by a hash of the page id: a third are held out (`held_out`), and
//! the rest (`dev`) are the ones read when changing the extractor. Both are reported.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::EvalError;
use crate::cite::registry::OutletRegistry;
use crate::model::{Document, InputFormat};

/// The `schema` field of the JSON report.
pub const SCHEMA: &str = "citecheck.eval.articles.v1";

/// Lines an extracted citation may lie from a real page's label (HTML blocks are located in the
/// markup by their text, so a link's block may start a few lines before the link).
pub const REAL_LINE_SLACK: usize = 5;

/// Input files of a written fixture set.
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "html"];

/// One labelled citation, with its text read from the label or from the page.
#[derive(Debug, Clone)]
pub struct CitationLabel {
    pub line: usize,
    pub outlet: Option<String>,
    pub registry_outlet: Option<String>,
    pub headline: Option<String>,
    pub url: Option<String>,
}

/// What a labelled sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceLabelClass {
    Checkable,
    /// Opinion, rhetoric or furniture: anything that must not be judged.
    NotCheckable,
}

/// One labelled sentence: a piece of its text, its line, its class and (for a checkable one,
/// when labelled) the indexes of the citations it rests on.
#[derive(Debug, Clone)]
pub struct SentenceLabel {
    pub line: usize,
    pub needle: String,
    pub class: SentenceLabelClass,
    pub cites: Option<Vec<usize>>,
}

/// A labelled article ready to score.
#[derive(Debug, Clone)]
pub struct LabelledArticle {
    pub id: String,
    /// `en`, `zh-Hans` or `zh-Hant`.
    pub language: String,
    pub format: InputFormat,
    /// `fixture`, `dev` or `held_out`.
    pub split: &'static str,
    pub line_slack: usize,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub citations: Vec<CitationLabel>,
    pub sentences: Vec<SentenceLabel>,
}

/// Counts for a group of articles.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub articles: usize,
    pub citations_labelled: usize,
    pub citations_extracted: usize,
    pub citations_matched: usize,
    pub outlet_labelled: usize,
    pub outlet_right: usize,
    pub headline_labelled: usize,
    pub headline_right: usize,
    /// Labelled sentences (checkable or not) and how they were predicted.
    pub sentences: usize,
    pub checkable_labelled: usize,
    pub checkable_predicted: usize,
    pub checkable_right: usize,
    /// Labelled sentences found nowhere in the output (neither a claim nor a not-checked line).
    pub sentences_missing: usize,
    pub binding_labelled: usize,
    pub binding_right: usize,
}

/// A tally's ratios.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub citation_precision: f64,
    pub citation_recall: f64,
    pub citation_f1: f64,
    pub outlet_accuracy: f64,
    pub headline_rate: f64,
    pub worthiness_precision: f64,
    pub worthiness_recall: f64,
    pub binding_accuracy: f64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.articles += o.articles;
        self.citations_labelled += o.citations_labelled;
        self.citations_extracted += o.citations_extracted;
        self.citations_matched += o.citations_matched;
        self.outlet_labelled += o.outlet_labelled;
        self.outlet_right += o.outlet_right;
        self.headline_labelled += o.headline_labelled;
        self.headline_right += o.headline_right;
        self.sentences += o.sentences;
        self.checkable_labelled += o.checkable_labelled;
        self.checkable_predicted += o.checkable_predicted;
        self.checkable_right += o.checkable_right;
        self.sentences_missing += o.sentences_missing;
        self.binding_labelled += o.binding_labelled;
        self.binding_right += o.binding_right;
    }

    pub fn figures(&self) -> Figures {
        let p = ratio(self.citations_matched, self.citations_extracted);
        let r = ratio(self.citations_matched, self.citations_labelled);
        Figures {
            citation_precision: p,
            citation_recall: r,
            citation_f1: f1(p, r),
            outlet_accuracy: ratio(self.outlet_right, self.outlet_labelled),
            headline_rate: ratio(self.headline_right, self.headline_labelled),
            worthiness_precision: ratio(self.checkable_right, self.checkable_predicted),
            worthiness_recall: ratio(self.checkable_right, self.checkable_labelled),
            binding_accuracy: ratio(self.binding_right, self.binding_labelled),
        }
    }
}

/// An empty denominator counts as perfect: nothing to get wrong.
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// One group's row of the report.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub group: String,
    #[serde(flatten)]
    pub tally: Tally,
    pub figures: Figures,
}

/// The figures of one run, and every mismatch.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlesReport {
    pub schema: &'static str,
    pub dir: String,
    pub labels: Option<String>,
    /// `all`, then each split and each language.
    pub groups: Vec<GroupRow>,
    /// One line per mismatch: `id: what`.
    pub problems: Vec<String>,
    /// Articles that could not be read or parsed (scored as extracting nothing).
    pub failures: Vec<String>,
}

impl ArticlesReport {
    /// The row of `group` (`all`, `en`, `held_out`, ...).
    pub fn group(&self, group: &str) -> Option<&GroupRow> {
        self.groups.iter().find(|g| g.group == group)
    }
}

// --- Reading label sets -------------------------------------------------------------------

/// A written fixture's label file.
#[derive(Debug, Deserialize)]
struct FixtureLabel {
    language: String,
    #[serde(default)]
    citations: Vec<FixtureCitation>,
    #[serde(default)]
    claims: Vec<FixtureClaim>,
    #[serde(default)]
    not_claims: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct FixtureCitation {
    outlet: Option<String>,
    registry_outlet: Option<String>,
    headline: Option<String>,
    url: Option<String>,
    line: usize,
}

#[derive(Debug, Deserialize)]
struct FixtureClaim {
    text_contains: String,
    line: usize,
    /// Indexes into `citations` of what the claim rests on, when labelled.
    #[serde(default)]
    cites: Option<Vec<usize>>,
}

/// A real page's label file: offsets only.
#[derive(Debug, Deserialize)]
struct OffsetLabel {
    page: String,
    language: String,
    #[serde(default)]
    citations: Vec<OffsetCitation>,
    #[serde(default)]
    sentences: Vec<OffsetSentence>,
}

#[derive(Debug, Deserialize)]
struct OffsetCitation {
    line: usize,
    outlet: Option<[usize; 2]>,
    url: Option<[usize; 2]>,
    registry_outlet: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OffsetSentence {
    line: usize,
    at: [usize; 2],
    class: String,
    #[serde(default)]
    cites: Option<Vec<usize>>,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn json_error(path: &Path) -> impl FnOnce(serde_json::Error) -> EvalError + '_ {
    move |source| EvalError::Json {
        path: path.to_path_buf(),
        source,
    }
}

fn format_of(extension: &str) -> InputFormat {
    match extension {
        "md" => InputFormat::Markdown,
        "html" | "htm" => InputFormat::Html,
        _ => InputFormat::Text,
    }
}

/// The written fixtures of `dir`: every `<id>.<txt|md|html>` with its `<id>.json`.
pub fn load_fixtures(dir: &Path) -> Result<Vec<LabelledArticle>, EvalError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e))
        })
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
        let label_path = dir.join(format!("{id}.json"));
        let raw = std::fs::read(&label_path).map_err(io_error(&label_path))?;
        let label: FixtureLabel = serde_json::from_slice(&raw).map_err(json_error(&label_path))?;
        let bytes = std::fs::read(&path).map_err(io_error(&path))?;
        let mut sentences: Vec<SentenceLabel> = label
            .claims
            .into_iter()
            .map(|c| SentenceLabel {
                line: c.line,
                needle: c.text_contains,
                class: SentenceLabelClass::Checkable,
                cites: c.cites,
            })
            .collect();
        sentences.extend(label.not_claims.into_iter().map(|n| SentenceLabel {
            line: 0,
            needle: n,
            class: SentenceLabelClass::NotCheckable,
            cites: None,
        }));
        out.push(LabelledArticle {
            id,
            language: label.language,
            format: format_of(extension),
            split: "fixture",
            line_slack: 0,
            path,
            bytes,
            citations: label
                .citations
                .into_iter()
                .map(|c| CitationLabel {
                    line: c.line,
                    outlet: c.outlet,
                    registry_outlet: c.registry_outlet,
                    headline: c.headline,
                    url: c.url,
                })
                .collect(),
            sentences,
        });
    }
    Ok(out)
}

/// `dev` or `held_out` for a real page, by a stable hash of its id (FNV-1a): a third held out.
pub fn split_of(id: &str) -> &'static str {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    if h % 3 == 0 {
        "held_out"
    } else {
        "dev"
    }
}

/// The real pages of `dataset_dir` labelled by the offset files of `labels_dir`.
pub fn load_offset_labels(
    dataset_dir: &Path,
    labels_dir: &Path,
) -> Result<Vec<LabelledArticle>, EvalError> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(labels_dir)
        .map_err(io_error(labels_dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for label_path in paths {
        let id = label_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let raw = std::fs::read(&label_path).map_err(io_error(&label_path))?;
        let label: OffsetLabel = serde_json::from_slice(&raw).map_err(json_error(&label_path))?;
        let page_path = dataset_dir.join(&label.page);
        let bytes = super::read_file(&page_path)?;
        let decoded_name = crate::charset::decode(&bytes, None).encoding;
        let encoding =
            encoding_rs::Encoding::for_label(decoded_name.as_bytes()).unwrap_or(encoding_rs::UTF_8);
        let span = |at: [usize; 2]| -> Result<String, EvalError> {
            let [start, end] = at;
            if start > end || end > bytes.len() {
                return Err(EvalError::Unsupported(format!(
                    "{}: span {start}..{end} is outside {} ({} bytes)",
                    label_path.display(),
                    label.page,
                    bytes.len()
                )));
            }
            let (text, _) = encoding.decode_without_bom_handling(&bytes[start..end]);
            Ok(text.into_owned())
        };
        let mut citations = Vec::with_capacity(label.citations.len());
        for c in &label.citations {
            citations.push(CitationLabel {
                line: c.line,
                outlet: c.outlet.map(span).transpose()?,
                registry_outlet: c.registry_outlet.clone(),
                headline: None,
                url: c.url.map(span).transpose()?.map(|u| decode_entities(&u)),
            });
        }
        let mut sentences = Vec::with_capacity(label.sentences.len());
        for s in &label.sentences {
            let class = match s.class.as_str() {
                "claim" | "checkable" => SentenceLabelClass::Checkable,
                "opinion" | "furniture" => SentenceLabelClass::NotCheckable,
                other => {
                    return Err(EvalError::Unsupported(format!(
                        "{}: unknown sentence class {other:?} (claim, opinion, furniture)",
                        label_path.display()
                    )))
                }
            };
            sentences.push(SentenceLabel {
                line: s.line,
                needle: span(s.at)?,
                class,
                cites: if class == SentenceLabelClass::Checkable {
                    s.cites.clone()
                } else {
                    None
                },
            });
        }
        let shown = label.page.strip_suffix(".gz").unwrap_or(&label.page);
        out.push(LabelledArticle {
            split: split_of(&id),
            id,
            language: label.language,
            format: InputFormat::Html,
            line_slack: REAL_LINE_SLACK,
            path: PathBuf::from(shown),
            bytes,
            citations,
            sentences,
        });
    }
    Ok(out)
}

/// `&amp;` and the other entities an `href` value may hold.
fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/")
}

// --- Scoring ------------------------------------------------------------------------------

/// An outlet name for matching: case, a leading "the", marks and spaces do not count.
fn outlet_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    lower
        .chars()
        .filter(|c| !c.is_whitespace() && !"《》“”\"「」『』".contains(*c))
        .collect()
}

/// Whitespace collapsed, for finding a labelled piece of a sentence in extracted text.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pairs labels with extracted citations, one to one: same outlet and URL, then same outlet,
/// then same URL (compared normalised, see [`crate::search::normalize_url`]); nearest line
/// first within `slack`.
fn match_citations(
    want: &[CitationLabel],
    got: &[crate::model::Citation],
    slack: usize,
) -> Vec<(usize, usize)> {
    let same_outlet = |w: &CitationLabel, g: &crate::model::Citation| match (&w.outlet, &g.outlet) {
        (Some(a), Some(b)) => outlet_key(a) == outlet_key(b),
        _ => false,
    };
    let same_url = |w: &CitationLabel, g: &crate::model::Citation| match (&w.url, &g.url) {
        // One page under two spellings (`…/a` and `…/a/`, `www.`, tracking parameters).
        (Some(a), Some(b)) => crate::search::normalize_url(a) == crate::search::normalize_url(b),
        _ => false,
    };
    type Rule<'r> = &'r dyn Fn(&CitationLabel, &crate::model::Citation) -> bool;
    let both = |w: &CitationLabel, g: &crate::model::Citation| same_outlet(w, g) && same_url(w, g);
    let rules: [Rule; 3] = [&both, &same_outlet, &same_url];
    let mut used_w = vec![false; want.len()];
    let mut used_g = vec![false; got.len()];
    let mut pairs = Vec::new();
    for rule in rules {
        for (i, w) in want.iter().enumerate() {
            if used_w[i] {
                continue;
            }
            let hit = got
                .iter()
                .enumerate()
                .filter(|(j, g)| !used_g[*j] && g.line.abs_diff(w.line) <= slack && rule(w, g))
                .min_by_key(|(_, g)| g.line.abs_diff(w.line));
            if let Some((j, _)) = hit {
                used_w[i] = true;
                used_g[j] = true;
                pairs.push((i, j));
            }
        }
    }
    pairs
}

fn show_label(c: &CitationLabel) -> String {
    format!(
        "line {} outlet {:?} registry {:?} url {:?}",
        c.line, c.outlet, c.registry_outlet, c.url
    )
}

fn show_citation(c: &crate::model::Citation) -> String {
    format!(
        "line {} outlet {:?} registry {:?} url {:?}",
        c.line, c.outlet, c.registry_outlet, c.url
    )
}

/// Scores one article; pushes a line per mismatch.
pub fn score_article(
    article: &LabelledArticle,
    registry: &OutletRegistry,
    problems: &mut Vec<String>,
    failures: &mut Vec<String>,
) -> Tally {
    let id = &article.id;
    let path = article.path.to_string_lossy();
    let doc: Option<Document> =
        match crate::document::parse(&path, &article.bytes, Some(article.format)) {
            Ok(doc) => Some(doc),
            Err(e) => {
                failures.push(format!("{id}: {e}"));
                None
            }
        };
    let (got, claims, unchecked) = match &doc {
        Some(doc) => {
            let citations = crate::cite::citations(doc, registry);
            let (claims, unchecked) = crate::claim::claims_and_unchecked(doc, &citations, false);
            (citations, claims, unchecked)
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let want = &article.citations;
    let pairs = match_citations(want, &got, article.line_slack);
    let mut t = Tally {
        articles: 1,
        citations_labelled: want.len(),
        citations_extracted: got.len(),
        citations_matched: pairs.len(),
        ..Tally::default()
    };
    for (i, w) in want.iter().enumerate() {
        if !pairs.iter().any(|&(wi, _)| wi == i) {
            problems.push(format!("{id}: missed citation: {}", show_label(w)));
        }
    }
    for (j, g) in got.iter().enumerate() {
        if !pairs.iter().any(|&(_, gj)| gj == j) {
            problems.push(format!("{id}: spurious citation: {}", show_citation(g)));
        }
    }
    for &(i, j) in &pairs {
        let (w, g) = (&want[i], &got[j]);
        if w.registry_outlet.is_some() {
            t.outlet_labelled += 1;
            if w.registry_outlet == g.registry_outlet {
                t.outlet_right += 1;
            } else {
                problems.push(format!(
                    "{id}: line {}: registry outlet {:?} (expected {:?})",
                    w.line, g.registry_outlet, w.registry_outlet
                ));
            }
        }
        // Headlines are labelled in the written fixtures only (a real page's label holds no text).
        if article.split == "fixture" && (w.headline.is_some() || g.headline.is_some()) {
            t.headline_labelled += 1;
            if w.headline == g.headline {
                t.headline_right += 1;
            } else {
                problems.push(format!(
                    "{id}: line {}: headline {:?} (expected {:?})",
                    w.line, g.headline, w.headline
                ));
            }
        }
    }
    // Extracted citation id -> labelled index, for binding.
    let label_of: HashMap<&str, usize> = pairs
        .iter()
        .map(|&(i, j)| (got[j].id.as_str(), i))
        .collect();

    for s in &article.sentences {
        t.sentences += 1;
        let needle = squeeze(&s.needle);
        let claim = claims.iter().find(|c| squeeze(&c.text).contains(&needle));
        let elsewhere =
            claim.is_none() && unchecked.iter().any(|u| squeeze(&u.text).contains(&needle));
        let predicted_checkable = claim.is_some();
        if claim.is_none() && !elsewhere {
            t.sentences_missing += 1;
        }
        if predicted_checkable {
            t.checkable_predicted += 1;
        }
        match s.class {
            SentenceLabelClass::Checkable => {
                t.checkable_labelled += 1;
                if predicted_checkable {
                    t.checkable_right += 1;
                } else if elsewhere {
                    let why = unchecked
                        .iter()
                        .find(|u| squeeze(&u.text).contains(&needle))
                        .map(|u| format!("{} ({})", u.class.as_str(), u.why))
                        .unwrap_or_default();
                    problems.push(format!(
                        "{id}: line {}: checkable sentence not checked: {why}",
                        s.line
                    ));
                } else {
                    problems.push(format!(
                        "{id}: line {}: checkable sentence not extracted",
                        s.line
                    ));
                }
            }
            SentenceLabelClass::NotCheckable => {
                if let Some(c) = claim {
                    problems.push(format!(
                        "{id}: line {}: not checkable but extracted as a claim",
                        c.line
                    ));
                }
            }
        }
        if let (Some(want_cites), Some(c)) = (&s.cites, claim) {
            t.binding_labelled += 1;
            let mut got_cites: Vec<Option<usize>> = c
                .cited
                .iter()
                .map(|cid| label_of.get(cid.as_str()).copied())
                .collect();
            got_cites.sort();
            got_cites.dedup();
            let mut want_sorted: Vec<Option<usize>> =
                want_cites.iter().copied().map(Some).collect();
            want_sorted.sort();
            want_sorted.dedup();
            if got_cites == want_sorted {
                t.binding_right += 1;
            } else {
                let shown = |v: &[Option<usize>]| {
                    v.iter()
                        .map(|x| x.map_or("unmatched".to_string(), |i| format!("#{i}")))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                problems.push(format!(
                    "{id}: line {}: bound to [{}] (expected [{}]; binding {})",
                    c.line,
                    shown(&got_cites),
                    shown(&want_sorted),
                    c.binding.map_or("none", |b| b.describe())
                ));
            }
        }
    }
    t
}

/// Scores every article: `all`, then each split and each language.
pub fn score(
    dir: &Path,
    labels: Option<&Path>,
    articles: &[LabelledArticle],
    registry: &OutletRegistry,
) -> ArticlesReport {
    let mut problems = Vec::new();
    let mut failures = Vec::new();
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for article in articles {
        let t = score_article(article, registry, &mut problems, &mut failures);
        all.add(&t);
        groups.entry(article.language.clone()).or_default().add(&t);
        if article.split != "fixture" {
            groups.entry(article.split.to_string()).or_default().add(&t);
            groups
                .entry(format!("{}/{}", article.split, article.language))
                .or_default()
                .add(&t);
        }
    }
    let row = |group: String, tally: Tally| GroupRow {
        figures: tally.figures(),
        group,
        tally,
    };
    let mut rows = vec![row("all".to_string(), all)];
    rows.extend(groups.into_iter().map(|(g, t)| row(g, t)));
    ArticlesReport {
        schema: SCHEMA,
        dir: dir.display().to_string(),
        labels: labels.map(|l| l.display().to_string()),
        groups: rows,
        problems,
        failures,
    }
}

/// `citecheck eval articles DIR [--labels LABELS]`: loads the set and scores it.
pub fn run_articles(dir: &Path, labels: Option<&Path>) -> Result<ArticlesReport, EvalError> {
    let articles = match labels {
        Some(labels) => load_offset_labels(dir, labels)?,
        None => load_fixtures(dir)?,
    };
    if articles.is_empty() {
        return Err(EvalError::Unsupported(format!(
            "{}: no labelled articles (expected <id>.<txt|md|html> with <id>.json, or --labels)",
            labels.unwrap_or(dir).display()
        )));
    }
    Ok(score(dir, labels, &articles, OutletRegistry::builtin_ref()))
}

/// The report as a table, then the first `problems` mismatches.
pub fn render_articles_human(report: &ArticlesReport, problems: usize) -> String {
    let mut out = format!(
        "{:<16} {:>4} {:>5} {:>5} {:>5}  {:>5} {:>5} {:>5}  {:>11}  {:>11}  {:>13}  {:>11}\n",
        "group",
        "docs",
        "label",
        "found",
        "match",
        "P",
        "R",
        "F1",
        "outlet",
        "headline",
        "worthy P / R",
        "binding"
    );
    for g in &report.groups {
        let (t, f) = (&g.tally, &g.figures);
        out.push_str(&format!(
            "{:<16} {:>4} {:>5} {:>5} {:>5}  {:>5.3} {:>5.3} {:>5.3}  {:>5.3} {:>5}  {:>5.3} {:>5}  {:>5.3} {:>5.3}  {:>5.3} {:>5}\n",
            g.group,
            t.articles,
            t.citations_labelled,
            t.citations_extracted,
            t.citations_matched,
            f.citation_precision,
            f.citation_recall,
            f.citation_f1,
            f.outlet_accuracy,
            format!("/{}", t.outlet_labelled),
            f.headline_rate,
            format!("/{}", t.headline_labelled),
            f.worthiness_precision,
            f.worthiness_recall,
            f.binding_accuracy,
            format!("/{}", t.binding_labelled),
        ));
    }
    out.push_str(
        "\nworthy: precision and recall of `checkable` over the labelled sentences; binding: \
         labelled claims found whose citations are exactly the labelled ones.\n",
    );
    if !report.failures.is_empty() {
        out.push_str(&format!("\n{} unreadable:\n", report.failures.len()));
        for f in &report.failures {
            out.push_str(&format!("  {f}\n"));
        }
    }
    if !report.problems.is_empty() && problems > 0 {
        out.push_str(&format!(
            "\n{} mismatches{}:\n",
            report.problems.len(),
            if report.problems.len() > problems {
                format!(" (first {problems})")
            } else {
                String::new()
            }
        ));
        for p in report.problems.iter().take(problems) {
            out.push_str(&format!("  {p}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(
        text: &str,
        citations: Vec<CitationLabel>,
        sentences: Vec<SentenceLabel>,
    ) -> LabelledArticle {
        LabelledArticle {
            id: "a".to_string(),
            language: "en".to_string(),
            format: InputFormat::Text,
            split: "fixture",
            line_slack: 0,
            path: PathBuf::from("a.txt"),
            bytes: text.as_bytes().to_vec(),
            citations,
            sentences,
        }
    }

    fn cite(line: usize, outlet: &str) -> CitationLabel {
        CitationLabel {
            line,
            outlet: Some(outlet.to_string()),
            registry_outlet: None,
            headline: None,
            url: None,
        }
    }

    fn sentence(
        line: usize,
        needle: &str,
        class: SentenceLabelClass,
        cites: Option<Vec<usize>>,
    ) -> SentenceLabel {
        SentenceLabel {
            line,
            needle: needle.to_string(),
            class,
            cites,
        }
    }

    const TEXT: &str = "Dam project approved\n\nThe council approved a 40 million pound dam on Monday, according to Reuters.\n\nWhat a day it was for the valley!\n";

    #[test]
    fn a_right_article_scores_one_everywhere() {
        let a = article(
            TEXT,
            vec![cite(3, "Reuters")],
            vec![
                sentence(
                    3,
                    "approved a 40 million pound dam",
                    SentenceLabelClass::Checkable,
                    Some(vec![0]),
                ),
                sentence(
                    5,
                    "What a day it was",
                    SentenceLabelClass::NotCheckable,
                    None,
                ),
            ],
        );
        let (mut p, mut f) = (Vec::new(), Vec::new());
        let t = score_article(&a, OutletRegistry::builtin_ref(), &mut p, &mut f);
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(
            (
                t.citations_labelled,
                t.citations_matched,
                t.citations_extracted
            ),
            (1, 1, 1),
            "{p:?}"
        );
        assert_eq!(
            (
                t.checkable_labelled,
                t.checkable_right,
                t.checkable_predicted
            ),
            (1, 1, 1),
            "{p:?}"
        );
        assert_eq!((t.binding_labelled, t.binding_right), (1, 1), "{p:?}");
    }

    #[test]
    fn misses_spurious_and_wrong_bindings_count_against() {
        // The label wants a second citation on line 5 and the claim bound to nothing.
        let a = article(
            TEXT,
            vec![cite(3, "Reuters"), cite(5, "BBC")],
            vec![sentence(
                3,
                "approved a 40 million pound dam",
                SentenceLabelClass::Checkable,
                Some(vec![]),
            )],
        );
        let (mut p, mut f) = (Vec::new(), Vec::new());
        let t = score_article(&a, OutletRegistry::builtin_ref(), &mut p, &mut f);
        assert_eq!((t.citations_labelled, t.citations_matched), (2, 1));
        assert_eq!((t.binding_labelled, t.binding_right), (1, 0));
        assert!(p.iter().any(|l| l.contains("missed citation")), "{p:?}");
        assert!(p.iter().any(|l| l.contains("bound to [#0]")), "{p:?}");
        let f = t.figures();
        assert!((f.citation_recall - 0.5).abs() < 1e-9);
        assert!((f.citation_precision - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_wrong_line_does_not_match_without_slack() {
        let mut a = article(TEXT, vec![cite(4, "Reuters")], vec![]);
        let (mut p, mut f) = (Vec::new(), Vec::new());
        let t = score_article(&a, OutletRegistry::builtin_ref(), &mut p, &mut f);
        assert_eq!(t.citations_matched, 0);
        a.line_slack = 1;
        let t = score_article(&a, OutletRegistry::builtin_ref(), &mut p, &mut f);
        assert_eq!(t.citations_matched, 1);
    }

    #[test]
    fn offset_labels_read_their_text_from_the_page() {
        let dir = tempfile::tempdir().unwrap();
        let page = "<html><body><article><h1>Dam</h1><p>The council approved a dam on Monday, according to Reuters.</p></article></body></html>";
        std::fs::create_dir_all(dir.path().join("pages")).unwrap();
        std::fs::write(dir.path().join("pages/p1.html"), page).unwrap();
        let labels = dir.path().join("labels");
        std::fs::create_dir_all(&labels).unwrap();
        let o = page.find("Reuters").unwrap();
        let s = page.find("council approved").unwrap();
        let label = serde_json::json!({
            "page": "pages/p1.html",
            "language": "en",
            "citations": [{"line": 1, "outlet": [o, o + 7], "url": null, "registry_outlet": "路透社", "form": "attribution"}],
            "sentences": [{"line": 1, "at": [s, s + 16], "class": "claim", "cites": [0]}]
        });
        std::fs::write(labels.join("p1.json"), label.to_string()).unwrap();
        let report = run_articles(dir.path(), Some(&labels)).unwrap();
        let all = report.group("all").unwrap();
        assert_eq!(all.tally.citations_matched, 1, "{:?}", report.problems);
        assert_eq!(all.tally.outlet_right, 1);
        assert_eq!(all.tally.binding_right, 1, "{:?}", report.problems);
        assert!(report.group(split_of("p1")).is_some());
    }

    #[test]
    fn a_span_outside_the_page_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.html"), "<p>short</p>").unwrap();
        let labels = dir.path().join("labels");
        std::fs::create_dir_all(&labels).unwrap();
        let label = serde_json::json!({"page": "p.html", "language": "en",
            "sentences": [{"line": 1, "at": [0, 999], "class": "claim"}]});
        std::fs::write(labels.join("p.json"), label.to_string()).unwrap();
        let err = run_articles(dir.path(), Some(&labels))
            .unwrap_err()
            .to_string();
        assert!(err.contains("outside p.html"), "{err}");
    }

    #[test]
    fn outlets_match_whatever_the_case_article_or_marks() {
        assert_eq!(
            outlet_key("The Associated Press"),
            outlet_key("associated press")
        );
        assert_eq!(outlet_key("《人民日报》"), outlet_key("人民日报"));
        let label = |line, outlet: Option<&str>, url: Option<&str>| CitationLabel {
            line,
            outlet: outlet.map(str::to_string),
            registry_outlet: None,
            headline: None,
            url: url.map(str::to_string),
        };
        let got = |line, outlet: Option<&str>, url: Option<&str>| crate::model::Citation {
            id: format!("c{line}"),
            kind: crate::model::CitationKind::Inline,
            outlet: outlet.map(str::to_string),
            registry_outlet: None,
            headline: None,
            url: url.map(str::to_string),
            date: None,
            line,
            column: 1,
        };
        let want = [
            label(3, Some("Reuters"), None),
            label(3, Some("Reuters"), None),
            label(5, None, Some("https://www.bbc.com/news/x")),
            label(7, Some("新华社"), None),
        ];
        let found = [
            got(3, Some("the Reuters"), None),
            got(5, Some("BBC"), Some("https://www.bbc.com/news/x")),
            got(8, Some("新华社"), None),
        ];
        // One extracted citation pairs once; a URL matches when the outlet is not named; a
        // line apart never matches without slack.
        assert_eq!(match_citations(&want, &found, 0), vec![(0, 0), (2, 1)]);
        assert_eq!(match_citations(&want, &found, 1).len(), 3);
    }

    #[test]
    fn the_split_is_stable_and_holds_out_about_a_third() {
        assert_eq!(split_of("abc"), split_of("abc"));
        let held = (0..300)
            .filter(|i| split_of(&format!("page-{i}")) == "held_out")
            .count();
        assert!((70..130).contains(&held), "{held}");
    }
}
