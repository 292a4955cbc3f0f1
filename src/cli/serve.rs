//! `citecheck serve`: translates the flags and `[serve]` settings into `serve::ServeOptions`,
//! builds the verifier as `check` does (same settings path, same caps and policy), and runs
//! the server until the process is stopped.

use super::args::{CheckArgs, ColorChoice, SearchChoice, VerdictArg};
use super::config::FileConfig;
use super::run::{settings_for, ExitStatus};
use crate::model::Verdict;
use crate::report::Policy;
use anyhow::{bail, Context as _, Result};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Default of `serve.bind`.
pub const DEFAULT_BIND: &str = "127.0.0.1:8750";
/// Default of `serve.max_body_bytes`: 8 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 << 20;
/// Default of `serve.checks_kept`.
pub const DEFAULT_CHECKS_KEPT: usize = 50;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one). Default: `serve.bind`, else
    /// 127.0.0.1:8750, which only this computer can reach.
    #[arg(long, value_name = "ADDR:PORT")]
    pub bind: Option<String>,
    /// Largest draft taken, in bytes of the request (default: `serve.max_body_bytes`, 8 MiB).
    #[arg(long, value_name = "BYTES", value_parser = super::ranges::max_body_bytes_flag)]
    pub max_body_bytes: Option<usize>,
    /// Checks run at the same time; later ones wait (default: `serve.checks_at_once`, 1).
    #[arg(long, value_name = "N", value_parser = super::ranges::checks_at_once_flag)]
    pub checks_at_once: Option<usize>,
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
    /// Judge every sentence, as `check --check-all` does.
    #[arg(long)]
    pub check_all: bool,
    /// Never check this outlet; repeat for more (adds to `run.exclude_outlets`).
    #[arg(long = "exclude-outlet", value_name = "OUTLET")]
    pub exclude_outlets: Vec<String>,
    /// Never search or fetch this domain; repeat for more (adds to `run.exclude_domains`).
    #[arg(long = "exclude-domain", value_name = "DOMAIN")]
    pub exclude_domains: Vec<String>,
    /// Verdicts that fail a check, comma-separated (as `check --fail-on`).
    #[arg(long, value_delimiter = ',', value_enum)]
    pub fail_on: Option<Vec<VerdictArg>>,
    /// Claims scoring below this (0..1) fail too, unless unverifiable.
    #[arg(long, value_name = "SCORE", value_parser = super::ranges::min_score_flag, allow_negative_numbers = true)]
    pub min_score: Option<f64>,
    /// Configuration file (default: $CITECHECK_CONFIG, then the nearest citecheck.toml up to the
    /// repository root).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Citations resolved at the same time, per draft.
    #[arg(long, value_parser = super::ranges::run_concurrency_flag)]
    pub concurrency: Option<usize>,
    /// Total timeout per HTTP request, in seconds.
    #[arg(long, value_parser = super::ranges::timeout_flag, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
}

impl ServeArgs {
    /// The same choices as a `check` of no file, so the settings come from one path.
    fn as_check(&self) -> CheckArgs {
        CheckArgs {
            files: Vec::new(),
            format: Vec::new(),
            output: Vec::new(),
            min_score: self.min_score,
            baseline: None,
            write_baseline: None,
            search: self.search,
            search_url: self.search_url.clone(),
            corpus: self.corpus.clone(),
            proxy: self.proxy.clone(),
            offline: self.offline,
            allow_private: self.allow_private,
            no_cache: self.no_cache,
            follow_links: false,
            check_all: self.check_all,
            exclude_outlets: self.exclude_outlets.clone(),
            exclude_domains: self.exclude_domains.clone(),
            fail_on: self.fail_on.clone(),
            config: self.config.clone(),
            concurrency: self.concurrency,
            documents_in_flight: None,
            timeout: self.timeout,
            color: ColorChoice::Never,
            quiet: true,
            store: None,
            now: None,
        }
    }
}

pub fn serve(args: ServeArgs) -> Result<ExitStatus> {
    let check = args.as_check();
    let (file, _, _) = FileConfig::load_effective(args.config.as_deref())?;
    let settings = settings_for(&check, &file)?;
    let fail_on: Vec<Verdict> = args
        .fail_on
        .clone()
        .or_else(|| file.run.fail_on.clone())
        .map(|v| v.into_iter().map(Verdict::from).collect())
        .unwrap_or_else(|| vec![Verdict::NotSupported, Verdict::Contradicted]);
    let bind_text = args
        .bind
        .clone()
        .or_else(|| file.serve.bind.clone())
        .unwrap_or_else(|| DEFAULT_BIND.to_string());
    let bind: SocketAddr = bind_text.parse().with_context(|| {
        format!("--bind / serve.bind: {bind_text:?} is not an address and port (127.0.0.1:8750)")
    })?;
    let checks_kept = file.serve.checks_kept.unwrap_or(DEFAULT_CHECKS_KEPT);
    if checks_kept == 0 {
        bail!("serve.checks_kept must be at least 1");
    }
    let exclusions = crate::resolve::exclude::Exclusions::new(
        &settings.exclude_outlets,
        &settings.exclude_domains,
    );
    let options = crate::serve::ServeOptions {
        bind,
        max_body_bytes: args
            .max_body_bytes
            .or(file.serve.max_body_bytes)
            .unwrap_or(DEFAULT_MAX_BODY_BYTES),
        checks_kept,
        checks_at_once: args
            .checks_at_once
            .or(file.serve.checks_at_once)
            .unwrap_or(1),
        limits: crate::serve::CheckLimits {
            max_input_bytes: settings.max_input_bytes,
            max_citations: settings.max_citations,
            policy: Policy {
                fail_on,
                min_score: args.min_score.or(file.run.min_score),
            },
            excluded: crate::model::Excluded {
                outlets: exclusions.outlets().to_vec(),
                domains: exclusions.domains().to_vec(),
            },
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let verifier = crate::verify::Verifier::from_settings(&settings)?;
    let open_to_others = !bind.ip().is_loopback();
    runtime
        .block_on(crate::serve::serve(verifier, options, |bound| {
            // The first line says where to go; scripts and tests read it.
            println!("citecheck serve: listening on http://{bound}/");
            if open_to_others {
                eprintln!(
                    "citecheck: warning: {bound} is not a loopback address: anyone who can \
                     reach it can submit drafts and read their reports"
                );
            }
            eprintln!("citecheck: press Ctrl-C to stop");
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
        }))
        .with_context(|| format!("serving on {bind}"))?;
    Ok(ExitStatus::Ok)
}
