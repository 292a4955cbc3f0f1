//! clap definitions of every command and flag.

use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Verify that an article's cited sources support its claims.
#[derive(Debug, Parser)]
#[command(name = "citecheck", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check articles: find their cited sources, compare each claim, give verdicts.
    Check(CheckArgs),
    /// Print the citations and claims of articles without touching the network.
    Extract(ExtractArgs),
    /// Print what is extracted from one saved page (title, date, main text, portal origin).
    Page(PageArgs),
    /// Measure a stage on a public benchmark dataset.
    #[command(subcommand)]
    Eval(EvalCommand),
}

/// What `citecheck eval` measures.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Main-text extraction: the article extraction benchmark, the Chinese web content set
    /// or trafilatura's evaluation set (recognised by the files in --dataset).
    Extraction(EvalExtractionArgs),
}

/// Output format of `citecheck eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// The figures, timing and worst pages.
    Human,
    /// `citecheck.eval.extraction.v1` JSON with per-page counts.
    Json,
}

#[derive(Debug, Args)]
pub struct EvalExtractionArgs {
    /// The dataset folder (e.g. article-extraction-benchmark/ with ground-truth.json and html/).
    #[arg(long)]
    pub dataset: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
    /// Score another system's saved outputs ({id: {"articleBody": ...}}, .json or .json.gz)
    /// instead of running our extractor, to check the metric against published figures.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
    /// How many of the worst pages the human report lists.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
    /// The body extractor to measure.
    #[arg(long, value_enum, default_value_t = ExtractorArg::Combined)]
    pub extractor: ExtractorArg,
}

/// Body extractors `eval extraction --extractor` can measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractorArg {
    /// dom_smoothie cleaned with our region and boilerplate rules (what `check` uses).
    Combined,
    /// Our own container scorer alone.
    Own,
    /// dom_smoothie's text as it comes.
    DomSmoothie,
}

impl From<ExtractorArg> for crate::extract::BodyExtractor {
    fn from(e: ExtractorArg) -> Self {
        use crate::extract::BodyExtractor;
        match e {
            ExtractorArg::Combined => BodyExtractor::Combined,
            ExtractorArg::Own => BodyExtractor::Own,
            ExtractorArg::DomSmoothie => BodyExtractor::DomSmoothie,
        }
    }
}

/// When to colour the human report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

/// Which search provider to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchChoice {
    /// Saved pages: the embedded corpus, or `--corpus DIR`.
    Corpus,
    /// A self-hosted SearXNG instance (`--search-url`).
    Searxng,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Articles to check (.txt, .md, .html; directories are searched; `-` reads stdin).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Search provider (overrides the config's provider list).
    #[arg(long, value_enum)]
    pub search: Option<SearchChoice>,
    /// Base URL of the search provider, e.g. http://127.0.0.1:8888 for SearXNG.
    #[arg(long)]
    pub search_url: Option<String>,
    /// A folder of saved pages to use as the corpus instead of the embedded one.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Proxy for all HTTP requests (as curl's --proxy); NO_PROXY still applies.
    #[arg(long)]
    pub proxy: Option<String>,
    /// Use only saved pages: no network requests for source pages.
    #[arg(long)]
    pub offline: bool,
    /// Verdicts that fail the run (exit code 1), comma-separated.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub fail_on: Option<Vec<VerdictArg>>,
    /// Configuration file (default: $CITECHECK_CONFIG, then ./citecheck.toml if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Citations resolved at the same time.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Total timeout per HTTP request, in seconds.
    #[arg(long)]
    pub timeout: Option<f64>,
    /// When to use colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on stderr but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Articles to read (.txt, .md, .html; directories are searched; `-` reads stdin).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Output format (json only for now).
    #[arg(long, short = 'f', default_value = "json")]
    pub format: String,
    /// Configuration file (for extra outlets).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PageArgs {
    /// A saved HTML page.
    pub file: PathBuf,
    /// The URL the page was fetched from (defaults to its canonical link or saved-from line).
    #[arg(long)]
    pub url: Option<String>,
    /// Output format (json only for now).
    #[arg(long, short = 'f', default_value = "json")]
    pub format: String,
}

/// A verdict as named on the command line and in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum VerdictArg {
    Supported,
    PartiallySupported,
    NotSupported,
    Contradicted,
    Unverifiable,
}

impl From<VerdictArg> for crate::model::Verdict {
    fn from(v: VerdictArg) -> Self {
        use crate::model::Verdict;
        match v {
            VerdictArg::Supported => Verdict::Supported,
            VerdictArg::PartiallySupported => Verdict::PartiallySupported,
            VerdictArg::NotSupported => Verdict::NotSupported,
            VerdictArg::Contradicted => Verdict::Contradicted,
            VerdictArg::Unverifiable => Verdict::Unverifiable,
        }
    }
}
