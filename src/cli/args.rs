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
    /// Re-fetch stored sources, classify what changed, score affected claims again.
    Recheck(super::recheck::RecheckArgs),
    /// Show the stored timeline of a source URL or a document.
    History(super::history::HistoryArgs),
    /// Compare one claim with one source, or every pair of a JSON Lines file.
    Compare(super::compare::CompareArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the man pages (roff) on stdout, or write one per command into a folder.
    Man(ManArgs),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Serve a local web page where editors paste or upload a draft and read its report.
    Serve(super::serve::ServeArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `citecheck.1`, `citecheck-check.1`, ... into this folder instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// What `citecheck config` does.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration and where each value came from (default, file, env,
    /// flag), secrets redacted.
    Show(ConfigShowArgs),
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// Configuration file (default: $CITECHECK_CONFIG, the nearest citecheck.toml up to the
    /// repository root, the user's config dir).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// As `check --timeout`.
    #[arg(long, value_parser = super::ranges::timeout_flag, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
    /// As `check --concurrency`.
    #[arg(long, value_parser = super::ranges::run_concurrency_flag)]
    pub concurrency: Option<usize>,
    /// As `check --proxy`.
    #[arg(long)]
    pub proxy: Option<String>,
    /// As `check --search-url`.
    #[arg(long)]
    pub search_url: Option<String>,
    /// As `check --corpus`.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// As `check --offline`.
    #[arg(long)]
    pub offline: bool,
    /// As `check --min-score`.
    #[arg(long, value_parser = super::ranges::min_score_flag, allow_negative_numbers = true)]
    pub min_score: Option<f64>,
}

/// What `citecheck eval` measures.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Main-text extraction: the article extraction benchmark, the Chinese web content set
    /// or trafilatura's evaluation set (recognised by the files in --dataset).
    Extraction(EvalExtractionArgs),
    /// The comparison engine on FNC-1 (headline vs body stance), held-out split by body.
    Fnc1(super::compare::EvalFnc1Args),
    /// The comparison engine on WiCE oracle chunks (test): supported against the rest.
    Wice(super::compare::EvalDirArgs),
    /// The comparison engine on OCNLI dev: entailment, neutral, contradiction.
    Ocnli(super::compare::EvalDirArgs),
    /// The judge on AVeriTeC dev (real fact-checked claims against their question-and-answer
    /// evidence), never trained on: verdicts, false failures, calibration.
    Averitec(super::compare::EvalAveritecArgs),
    /// Citations, claim bindings and check-worthiness on labelled articles: a folder of
    /// `<id>.<txt|md|html>` with `<id>.json` labels (fixtures/labelled), or a dataset folder with
    /// offset labels (`--labels fixtures/real-labels/<dataset>`).
    Articles(EvalArticlesArgs),
    /// Train the comparison combiner on the training side of FNC-1.
    Train(super::compare::EvalTrainArgs),
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
pub struct EvalArticlesArgs {
    /// The labelled folder, or with --labels the dataset folder the labels point into
    /// (e.g. ../shared/data/article-extraction-benchmark).
    pub dir: PathBuf,
    /// A folder of offset labels, one `<id>.json` per page of DIR.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
    /// How many mismatches the human report lists.
    #[arg(long, default_value_t = 40)]
    pub problems: usize,
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
    /// Brave Search web results (key from the variable named by `search.brave_key_env`).
    Brave,
    /// Brave Search news results.
    #[value(name = "brave_news", alias = "brave-news")]
    BraveNews,
    /// GDELT DOC 2.0 (no key).
    Gdelt,
    /// Wayback Machine CDX listings of the outlet's domains (no key).
    Wayback,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Articles to check (.txt, .md, .html; directories are searched; `-` reads stdin).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Output format, repeatable: FORMAT or FORMAT=PATH (human, json, ndjson, sarif, junit,
    /// markdown, github, html, codequality). Default: human on stdout.
    #[arg(long, short = 'f', value_name = "FORMAT[=PATH]", value_parser = FormatSpecParser)]
    pub format: Vec<FormatSpec>,
    /// Write the report of the --format given just before to this file instead of stdout
    /// (repeatable: `-f json -o r.json -f sarif -o r.sarif`).
    #[arg(long, short = 'o')]
    pub output: Vec<PathBuf>,
    /// Findings in this baseline file do not fail the run; only new ones do.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the run's failing claims to this baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Sources, judging and policy: the same for `check` and `serve`.
    #[command(flatten)]
    pub verify: VerifyArgs,
    /// Follow links inside a directory input that lead outside it (by default only links
    /// that stay inside the directories given are followed).
    #[arg(long)]
    pub follow_links: bool,
    /// Documents verified at the same time (default 8; reports keep input order).
    #[arg(long, value_name = "N", value_parser = super::ranges::documents_in_flight_flag)]
    pub documents_in_flight: Option<usize>,
    /// When to use colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on stderr but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Record the run in the history store: a SQLite file (without a value: `store.path`, else
    /// the user data folder's citecheck/store.sqlite) or a postgres:// URL. Write
    /// `--store=PATH` before the files.
    #[arg(long, num_args = 0..=1, default_missing_value = "", value_name = "PATH|URL")]
    pub store: Option<String>,
    /// The time recorded instead of the clock (YYYY-MM-DD[THH:MM:SS]); for tests.
    #[arg(long, hide = true)]
    pub now: Option<String>,
}

/// How claims are verified and what fails: the sources searched and fetched, the judging, the
/// policy and the config file. `check` and `serve` both flatten it, so both read one settings
/// path (`run::settings_for`).
#[derive(Debug, Args, Default)]
pub struct VerifyArgs {
    /// Claims scoring below this (0..1) fail too, unless unverifiable.
    #[arg(long, value_name = "SCORE", value_parser = super::ranges::min_score_flag, allow_negative_numbers = true)]
    pub min_score: Option<f64>,
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
    /// Allow fetching from loopback, private, link-local and cloud metadata addresses.
    #[arg(long)]
    pub allow_private: bool,
    /// Neither read nor write the on-disk HTTP cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Judge every sentence: opinion, rhetoric and furniture (headings, bylines, editor's
    /// notes) too, instead of listing them under "not checked".
    #[arg(long)]
    pub check_all: bool,
    /// Never check this outlet (any of its names): its citations are reported as excluded,
    /// never searched or fetched. Repeat for more; adds to `run.exclude_outlets`.
    #[arg(long = "exclude-outlet", value_name = "OUTLET")]
    pub exclude_outlets: Vec<String>,
    /// Never search or fetch this domain or its subdomains: a cited URL on it is excluded and
    /// search results on it are dropped. Repeat for more; adds to `run.exclude_domains`.
    #[arg(long = "exclude-domain", value_name = "DOMAIN")]
    pub exclude_domains: Vec<String>,
    /// Verdicts that fail the run (exit code 1), comma-separated.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub fail_on: Option<Vec<VerdictArg>>,
    /// Configuration file (default: $CITECHECK_CONFIG, then the nearest citecheck.toml up to the
    /// repository root).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Citations resolved at the same time, per document.
    #[arg(long, value_parser = super::ranges::run_concurrency_flag)]
    pub concurrency: Option<usize>,
    /// Total timeout per HTTP request, in seconds.
    #[arg(long, value_parser = super::ranges::timeout_flag, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Articles to read (.txt, .md, .html; directories are searched; `-` reads stdin).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Output format: json, or human (plain text to read).
    #[arg(long, short = 'f', default_value = "json")]
    pub format: String,
    /// Configuration file (for extra outlets).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PageArgs {
    /// A saved HTML page, or an http:// or https:// URL to fetch as `check` fetches sources.
    #[arg(value_name = "FILE_OR_URL")]
    pub input: String,
    /// The URL a saved page was fetched from (defaults to its saved-from line).
    #[arg(long)]
    pub url: Option<String>,
    /// Output format: json, or human (plain text to read).
    #[arg(long, short = 'f', default_value = "json")]
    pub format: String,
    /// Configuration file whose `[fetch]` settings apply to a URL (default as for `check`).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// As `check --proxy`.
    #[arg(long)]
    pub proxy: Option<String>,
    /// As `check --timeout`.
    #[arg(long, value_parser = super::ranges::timeout_flag, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
    /// As `check --allow-private`: fetch from loopback, private and link-local addresses.
    #[arg(long)]
    pub allow_private: bool,
    /// As `check --no-cache`.
    #[arg(long)]
    pub no_cache: bool,
    /// As `check --offline`: serve the URL from the HTTP cache only.
    #[arg(long)]
    pub offline: bool,
}

/// One `--format` value: a format and, after `=`, the file to write it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub path: Option<PathBuf>,
}

/// Parses `FORMAT` or `FORMAT=PATH`.
pub fn parse_format_spec(value: &str) -> Result<FormatSpec, String> {
    let (name, path) = match value.split_once('=') {
        Some((n, p)) if !p.is_empty() => (n, Some(PathBuf::from(p))),
        Some((n, _)) => return Err(format!("{n}= needs a file path after '='")),
        None => (value, None),
    };
    let format = Format::from_name(&name.to_ascii_lowercase()).ok_or_else(|| {
        let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format {name:?} (known: {})", known.join(", "))
    })?;
    Ok(FormatSpec { format, path })
}

/// `--format`'s parser: [`parse_format_spec`], with the format names offered to shell
/// completions and help.
#[derive(Debug, Clone, Copy)]
pub struct FormatSpecParser;

impl clap::builder::TypedValueParser for FormatSpecParser {
    type Value = FormatSpec;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FormatSpec, clap::Error> {
        let text = value.to_str().ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidUtf8,
                "--format is not valid UTF-8\n",
            )
            .with_cmd(cmd)
        })?;
        parse_format_spec(text).map_err(|message| {
            let name = arg.map_or("--format".to_string(), |a| format!("--{}", a.get_id()));
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value {text:?} for {name}: {message}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Format::ALL
                .into_iter()
                .map(|f| clap::builder::PossibleValue::new(f.name())),
        ))
    }
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
