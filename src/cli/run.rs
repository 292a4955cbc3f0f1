//! Commands: turning parsed arguments into settings, running the library, writing reports and
//! choosing the exit code.

use super::args::{
    Cli, Command, ConfigCommand, EvalArticlesArgs, EvalCommand, EvalExtractionArgs, EvalFormat,
    ExtractArgs, SearchChoice, VerifyArgs,
};
use super::config::FileConfig;
use crate::model::InputFailure;
use crate::settings::{ProviderSpec, Settings};
use anyhow::{bail, Context, Result};
use clap::Parser;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// Exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Every claim passes the policy.
    Ok = 0,
    /// Some claim fails the policy (`--fail-on`).
    ClaimsFailed = 1,
    /// A usage, configuration or input error (other inputs are still checked and reported).
    Error = 2,
}

/// Runs the command line with these arguments and returns the exit status.
pub fn main_with(args: Vec<std::ffi::OsString>) -> ExitStatus {
    let raw_args = args.clone();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitStatus::Ok
                }
                _ => ExitStatus::Error,
            };
        }
    };
    init_tracing();
    let result = match cli.command {
        Command::Check(args) => super::check::check(args, &raw_args),
        Command::Extract(args) => extract(args),
        Command::Page(args) => super::page::page(args),
        Command::Eval(EvalCommand::Extraction(args)) => eval_extraction(args),
        Command::Eval(EvalCommand::Articles(args)) => eval_articles(args),
        Command::Completions(args) => super::manual::completions(args),
        Command::Man(args) => super::manual::man(args),
        Command::Config(ConfigCommand::Show(args)) => super::config_show::show(args),
        Command::Recheck(args) => super::recheck::recheck(args, &raw_args),
        Command::History(args) => super::history::history(args),
        Command::Eval(EvalCommand::Fnc1(args)) => super::compare::eval_fnc1(args),
        Command::Eval(EvalCommand::Train(args)) => super::compare::eval_train(args),
        Command::Eval(EvalCommand::Wice(args)) => super::compare::eval_wice(args),
        Command::Eval(EvalCommand::Ocnli(args)) => super::compare::eval_ocnli(args),
        Command::Eval(EvalCommand::Averitec(args)) => super::compare::eval_averitec(args),
        Command::Compare(args) => super::compare::compare(args),
        Command::Serve(args) => super::serve::serve(args),
    };
    match result {
        Ok(status) => status,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitStatus::Ok;
            }
            eprintln!("citecheck: error: {e:#}");
            ExitStatus::Error
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CITECHECK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The HTTP basics every command that fetches shares: timeouts, body cap, redirects, retries,
/// User-Agent and proxy, from `[fetch]` and the `--timeout`/`--proxy` flags (flags win).
pub(super) fn http_basics(
    f: &super::config::FetchConfig,
    timeout_flag: Option<f64>,
    proxy_flag: Option<&str>,
    s: &mut crate::fetch::FetchSettings,
) -> Result<()> {
    if let Some(t) = timeout_flag.or(f.timeout_secs) {
        s.timeout = secs(t, "timeout")?;
    }
    if let Some(t) = f.connect_timeout_secs {
        s.connect_timeout = secs(t, "fetch.connect_timeout_secs")?;
    }
    if let Some(v) = f.max_body_bytes {
        s.max_body = v;
    }
    if let Some(v) = f.max_redirects {
        s.max_redirects = v;
    }
    if let Some(v) = f.retries {
        s.retries = v;
    }
    if let Some(ua) = f.user_agent.clone().filter(|u| !u.is_empty()) {
        s.user_agent = ua;
    }
    s.proxy = proxy_flag
        .map(str::to_owned)
        .or_else(|| f.proxy.clone())
        .filter(|p| !p.is_empty());
    Ok(())
}

/// What fails a run, from the flags and the config file (flags win): `--fail-on` (default
/// `not_supported,contradicted`) and `--min-score`. `check` and `serve` share it.
pub(super) fn policy_for(args: &VerifyArgs, file: &FileConfig) -> Result<crate::report::Policy> {
    let fail_on: Vec<crate::model::Verdict> = args
        .fail_on
        .clone()
        .or_else(|| file.run.fail_on.clone())
        .map(|v| v.into_iter().map(crate::model::Verdict::from).collect())
        .unwrap_or_else(|| {
            vec![
                crate::model::Verdict::NotSupported,
                crate::model::Verdict::Contradicted,
            ]
        });
    let min_score = args.min_score.or(file.run.min_score);
    if let Some(m) = min_score {
        if !(0.0..=1.0).contains(&m) {
            bail!("min-score must be between 0 and 1, got {m}");
        }
    }
    Ok(crate::report::Policy { fail_on, min_score })
}

/// Settings from defaults, the config file and the flags (flags win).
pub(super) fn settings_for(args: &VerifyArgs, file: &FileConfig) -> Result<Settings> {
    let mut s = Settings::default();
    let f = &file.fetch;
    http_basics(f, args.timeout, args.proxy.as_deref(), &mut s.fetch)?;
    s.offline = args.offline || f.offline.unwrap_or(false);
    if let Some(n) = args.concurrency.or(file.run.concurrency) {
        if n == 0 {
            bail!("concurrency must be at least 1");
        }
        s.concurrency = n;
    }
    if let Some(n) = file.run.max_input_bytes {
        s.max_input_bytes = n;
    }
    s.extra_outlets = file.outlet.clone();
    if let Some(n) = file.run.max_citations {
        s.max_citations = n;
    }
    s.check_all = args.check_all || file.claims.check_all.unwrap_or(false);
    s.exclude_outlets = file.run.exclude_outlets.clone().unwrap_or_default();
    s.exclude_outlets
        .extend(args.exclude_outlets.iter().cloned());
    s.exclude_domains = file.run.exclude_domains.clone().unwrap_or_default();
    s.exclude_domains
        .extend(args.exclude_domains.iter().cloned());

    let corpus_dir = args
        .corpus
        .clone()
        .or_else(|| file.search.corpus_dir.clone())
        .filter(|d| !d.as_os_str().is_empty());
    let language = file.search.language.clone().filter(|l| !l.is_empty());
    let searxng_url = args
        .search_url
        .clone()
        .or_else(|| file.search.searxng_url.clone());
    let names: Vec<String> = match args.search {
        Some(SearchChoice::Corpus) => vec!["corpus".into()],
        Some(SearchChoice::Searxng) => vec!["searxng".into()],
        Some(
            choice @ (SearchChoice::Brave
            | SearchChoice::BraveNews
            | SearchChoice::Gdelt
            | SearchChoice::Wayback),
        ) => vec![super::search::choice_name(choice).into()],
        None => file
            .search
            .providers
            .clone()
            .unwrap_or_else(|| vec!["corpus".into()]),
    };
    s.providers = names
        .iter()
        .map(|name| match name.as_str() {
            "corpus" => Ok(ProviderSpec::Corpus {
                dir: corpus_dir.clone(),
            }),
            "searxng" => {
                let url = searxng_url
                    .clone()
                    .filter(|u| !u.is_empty())
                    .context("searxng needs --search-url or search.searxng_url")?;
                url::Url::parse(&url).with_context(|| format!("invalid search url {url}"))?;
                Ok(ProviderSpec::Searxng {
                    url,
                    language: language.clone(),
                })
            }
            other => super::search::provider_spec(other, args, file, language.clone()),
        })
        .collect::<Result<_>>()?;
    if s.providers.is_empty() {
        bail!("no search provider configured");
    }
    super::fetch_settings::apply(args, f, searxng_url.as_deref(), &mut s.fetch)?;
    // Every configured service is trusted for its own requests (never for a cited page).
    let endpoints: Vec<String> = s
        .providers
        .iter()
        .filter_map(ProviderSpec::endpoint)
        .filter_map(|u| url::Url::parse(u).ok()?.host_str().map(str::to_owned))
        .collect();
    s.fetch.service_hosts.extend(endpoints);
    s.fetch.offline = s.offline;
    Ok(s)
}

pub(super) fn secs(v: f64, what: &str) -> Result<Duration> {
    if !(v.is_finite() && v > 0.0) {
        bail!("{what} must be a positive number of seconds, got {v}");
    }
    Duration::try_from_secs_f64(v).map_err(|_| anyhow::anyhow!("{what} is too large: {v} seconds"))
}

pub(super) fn load_config(flag: Option<&Path>) -> Result<FileConfig> {
    Ok(FileConfig::load_effective(flag)?.0)
}

fn extract(args: ExtractArgs) -> Result<ExitStatus> {
    let human = match args.format.as_str() {
        "json" => false,
        "human" => true,
        other => bail!("extract supports --format json or human, not {other:?}"),
    };
    let file = load_config(args.config.as_deref())?;
    let mut registry = crate::cite::registry::OutletRegistry::builtin();
    registry.merge(file.outlet.clone());
    let max = file
        .run
        .max_input_bytes
        .unwrap_or(crate::document::DEFAULT_MAX_INPUT_BYTES);
    // Documents are extracted one at a time while the report is written, so a run holds one
    // document (and its citations and claims) at a time, never the whole report as a tree.
    let failures = std::cell::RefCell::new(Vec::new());
    let mut inputs = super::inputs::expand_inputs(&args.files).into_iter();
    let next_document = || -> Option<ExtractedDocument> {
        for input in inputs.by_ref() {
            let path = match input {
                Ok(p) => p,
                Err((pattern, message)) => {
                    eprintln!("citecheck: error: {pattern}: {message}");
                    failures.borrow_mut().push(InputFailure {
                        path: pattern,
                        line: None,
                        message,
                    });
                    continue;
                }
            };
            match crate::document::load(&path, max) {
                Ok(mut doc) => {
                    let citations = crate::cite::citations(&doc, &registry);
                    let claims = crate::claim::claims(&doc, &citations);
                    // The title is moved out of the document, which goes now: a one-line
                    // input is all title, and a copy of it would double its cost.
                    let title = doc
                        .blocks
                        .iter_mut()
                        .find(|b| b.kind == crate::model::BlockKind::Title)
                        .map(|b| std::mem::take(&mut b.text));
                    return Some(ExtractedDocument {
                        title,
                        path: doc.path,
                        format: doc.format,
                        encoding: doc.encoding,
                        citations,
                        claims,
                    });
                }
                Err(e) => {
                    eprintln!("citecheck: error: {e}");
                    failures.borrow_mut().push(InputFailure {
                        path: path.clone(),
                        line: e.line(),
                        message: e.to_string(),
                    });
                }
            }
        }
        None
    };
    let stdout = std::io::stdout();
    let mut lock = std::io::BufWriter::new(stdout.lock());
    if human {
        let mut next_document = next_document;
        let mut first = true;
        while let Some(doc) = next_document() {
            if !first {
                writeln!(lock)?;
            }
            first = false;
            super::plain::extracted(&mut lock, &doc)?;
        }
        let failed = failures.borrow().len();
        if failed > 0 {
            writeln!(
                lock,
                "\n{failed} input(s) could not be read (see the errors above)"
            )?;
        }
    } else {
        let out = Extraction {
            schema: "citecheck.extract.v1",
            documents: Lazy(std::cell::RefCell::new(next_document)),
            failures: Later(&failures),
        };
        serde_json::to_writer_pretty(&mut lock, &out)?;
        writeln!(lock)?;
    }
    lock.flush()?;
    Ok(if failures.borrow().is_empty() {
        ExitStatus::Ok
    } else {
        ExitStatus::Error
    })
}

/// `citecheck.extract.v1`: the documents, written as they are extracted, then the failures
/// met on the way.
#[derive(serde::Serialize)]
#[serde(bound = "")]
struct Extraction<'a, F: FnMut() -> Option<ExtractedDocument>> {
    schema: &'static str,
    documents: Lazy<F>,
    failures: Later<'a>,
}

/// One document of `extract`.
#[derive(serde::Serialize)]
pub(super) struct ExtractedDocument {
    pub path: String,
    pub title: Option<String>,
    pub format: crate::model::InputFormat,
    pub encoding: String,
    pub citations: Vec<crate::model::Citation>,
    pub claims: Vec<crate::model::Claim>,
}

/// A JSON array whose items are made while it is written.
struct Lazy<F>(std::cell::RefCell<F>);

impl<F: FnMut() -> Option<ExtractedDocument>> serde::Serialize for Lazy<F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut next = self.0.borrow_mut();
        serializer.collect_seq(std::iter::from_fn(&mut *next))
    }
}

/// A list filled while the fields before it were written.
struct Later<'a>(&'a std::cell::RefCell<Vec<InputFailure>>);

impl serde::Serialize for Later<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.borrow().serialize(serializer)
    }
}

fn eval_articles(args: EvalArticlesArgs) -> Result<ExitStatus> {
    let report = crate::eval::articles::run_articles(&args.dir, args.labels.as_deref())
        .context("evaluating labelled articles")?;
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match args.format {
        EvalFormat::Human => lock.write_all(
            crate::eval::articles::render_articles_human(&report, args.problems).as_bytes(),
        )?,
        EvalFormat::Json => {
            serde_json::to_writer_pretty(&mut lock, &report)?;
            writeln!(lock)?;
        }
    }
    lock.flush()?;
    Ok(ExitStatus::Ok)
}

fn eval_extraction(args: EvalExtractionArgs) -> Result<ExitStatus> {
    let opts = crate::eval::EvalOptions {
        predictions: args.predictions.clone(),
        extractor: args.extractor.into(),
    };
    let report =
        crate::eval::run_extraction(&args.dataset, &opts).context("evaluating extraction")?;
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match args.format {
        EvalFormat::Human => {
            lock.write_all(crate::eval::render_human(&report, args.worst).as_bytes())?
        }
        EvalFormat::Json => {
            serde_json::to_writer_pretty(&mut lock, &report)?;
            writeln!(lock)?;
        }
    }
    lock.flush()?;
    Ok(ExitStatus::Ok)
}
