//! `check --store` (recording a run, resuming an interrupted one) and `citecheck recheck`.

use super::args::{CheckArgs, FormatSpec, FormatSpecParser};
use super::config::FileConfig;
use super::run::{load_config, secs, ExitStatus};
use crate::model::{Document, DocumentResult, RunResult, Verdict};
use crate::recheck::{recheck as run_recheck, Policy, RecheckOptions, RecheckReport, Wayback};
use crate::report::{
    change_value, reporter_for, Context as ReportContext, Format, Policy as FailPolicy,
};
use crate::settings::{ProviderSpec, Settings};
use crate::store::record::{
    self, Captured, DuePolicy, RecordingFetcher, RecordingProvider, RunStart,
};
use crate::store::sources::Filter;
use crate::store::time::{format_ms, now_ms, parse_instant};
use crate::store::Store;
use crate::verify::Verifier;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Output format of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RecheckArgs {
    /// Only sources the policy says are due (live weekly, failing every three days by default).
    #[arg(long)]
    pub due: bool,
    /// Only sources first recorded on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only sources cited by this document (the path as it was checked).
    #[arg(long, value_name = "PATH")]
    pub document: Option<String>,
    /// The history store (default: store.path, else the user data folder's
    /// citecheck/store.sqlite); postgres://… for a shared one.
    #[arg(long, value_name = "PATH|URL")]
    pub store: Option<String>,
    /// Share the queue with other workers on one PostgreSQL store: lease due sources
    /// (SKIP LOCKED), take over expired leases, exit when nothing is left.
    #[arg(long)]
    pub worker: bool,
    /// Output format, repeatable: FORMAT or FORMAT=PATH. `human` (default) and `json`
    /// (`citecheck.recheck.v1`: every source's change class and the verdict change events)
    /// cover the whole recheck; ndjson, sarif, junit, markdown, github, html and codequality
    /// report its verdict change events.
    #[arg(long, short = 'f', value_name = "FORMAT[=PATH]", value_parser = FormatSpecParser)]
    pub format: Vec<FormatSpec>,
    /// Write the report of the --format given just before to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Vec<PathBuf>,
    /// Configuration file (default: $CITECHECK_CONFIG, then ./citecheck.toml if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Proxy for all HTTP requests (as curl's --proxy).
    #[arg(long)]
    pub proxy: Option<String>,
    /// Total timeout per HTTP request, in seconds.
    #[arg(long, value_parser = super::ranges::timeout_flag, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
    /// Sources rechecked at the same time.
    #[arg(long, value_parser = super::ranges::recheck_concurrency_flag)]
    pub concurrency: Option<usize>,
    /// Least time between two requests to one host, across all workers, in milliseconds.
    #[arg(long, value_parser = super::ranges::host_interval_flag)]
    pub host_interval_ms: Option<u64>,
    /// How long a worker's lease on a source lasts before another may take it over.
    #[arg(long, value_parser = super::ranges::lease_flag, allow_negative_numbers = true)]
    pub lease_secs: Option<f64>,
    /// Base URL of the Wayback Machine availability API ("" disables archive lookups).
    #[arg(long)]
    pub wayback_url: Option<String>,
    /// The time used instead of the clock for due dates and failure spacing; for tests.
    #[arg(long, hide = true)]
    pub now: Option<String>,
    /// The name this process writes in leases (default: host name and process id).
    #[arg(long, hide = true)]
    pub owner: Option<String>,
    /// What fails the recheck (exit code 1), comma-separated: verdicts a claim's verdict changed
    /// to, and source states (dead, retracted, soft_404, corrected, blocked, moved,
    /// headline_changed, text_changed, failing); `none` never fails. Default:
    /// not_supported,contradicted,dead,retracted.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub fail_on: Option<Vec<RecheckFailOn>>,
    /// No progress lines on stderr (the store read is still named in the reports).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The store a command means: the flag, else `store.path`, else the default file.
pub(super) fn store_spec(flag: Option<&str>, file: &FileConfig) -> String {
    flag.filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| file.store.path.clone().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| crate::store::default_path().display().to_string())
}

pub(super) fn open_store(
    runtime: &tokio::runtime::Runtime,
    spec: &str,
    pool: usize,
    file: &FileConfig,
) -> Result<Arc<dyn Store>> {
    let busy = file.store.busy_timeout_secs.unwrap_or(30.0);
    let busy = secs(busy, "store.busy_timeout_secs")?;
    Ok(runtime.block_on(crate::store::open_waiting(spec, pool, busy))?)
}

/// Opens a store that a `check --store` run must already have made: `history` and `recheck`
/// read history, so a missing SQLite file is an error (opening it would create an empty one).
pub(super) fn open_existing_store(
    runtime: &tokio::runtime::Runtime,
    spec: &str,
    pool: usize,
    file: &FileConfig,
) -> Result<Arc<dyn Store>> {
    require_store(spec)?;
    open_store(runtime, spec, pool, file)
}

/// Fails when `spec` names a SQLite file that does not exist (opening it would create one).
fn require_store(spec: &str) -> Result<()> {
    let remote = spec.starts_with("postgres://") || spec.starts_with("postgresql://");
    if !remote && !std::path::Path::new(spec).is_file() {
        bail!("no store at {spec}: run `citecheck check --store {spec} FILE…` first to record one");
    }
    Ok(())
}

/// [`open_existing_store`] for a command that only reads (`history`): a store on a read-only
/// folder still answers.
pub(super) fn open_store_for_reading(
    runtime: &tokio::runtime::Runtime,
    spec: &str,
) -> Result<Arc<dyn Store>> {
    require_store(spec)?;
    Ok(runtime.block_on(crate::store::open_for_reading(spec, 1))?)
}

/// What fails a recheck (exit code 1): a claim whose verdict changed to one of these
/// verdicts, or a source found in one of these states. `none` never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum RecheckFailOn {
    Supported,
    PartiallySupported,
    NotSupported,
    Contradicted,
    Unverifiable,
    Dead,
    Retracted,
    #[value(name = "soft_404")]
    #[serde(rename = "soft_404")]
    Soft404,
    Corrected,
    Blocked,
    Moved,
    HeadlineChanged,
    TextChanged,
    Failing,
    None,
}

/// The default recheck policy: a verdict that changed to a failing one, or a source that is
/// confirmed dead or retracted.
pub const DEFAULT_RECHECK_FAIL_ON: &[RecheckFailOn] = &[
    RecheckFailOn::NotSupported,
    RecheckFailOn::Contradicted,
    RecheckFailOn::Dead,
    RecheckFailOn::Retracted,
];

impl RecheckFailOn {
    fn verdict(self) -> Option<Verdict> {
        Some(match self {
            RecheckFailOn::Supported => Verdict::Supported,
            RecheckFailOn::PartiallySupported => Verdict::PartiallySupported,
            RecheckFailOn::NotSupported => Verdict::NotSupported,
            RecheckFailOn::Contradicted => Verdict::Contradicted,
            RecheckFailOn::Unverifiable => Verdict::Unverifiable,
            _ => return None,
        })
    }

    fn source_class(self) -> Option<&'static str> {
        Some(match self {
            RecheckFailOn::Dead => "dead",
            RecheckFailOn::Retracted => "retracted",
            RecheckFailOn::Soft404 => "soft_404",
            RecheckFailOn::Corrected => "corrected",
            RecheckFailOn::Blocked => "blocked",
            RecheckFailOn::Moved => "moved",
            RecheckFailOn::HeadlineChanged => "headline_changed",
            RecheckFailOn::TextChanged => "text_changed",
            RecheckFailOn::Failing => "failing",
            _ => return None,
        })
    }
}

/// Why a recheck fails under `fail_on`, one line each; empty when it passes.
pub(super) fn recheck_failures(report: &RecheckReport, fail_on: &[RecheckFailOn]) -> Vec<String> {
    if fail_on.contains(&RecheckFailOn::None) {
        return Vec::new();
    }
    let verdicts: Vec<Verdict> = fail_on.iter().filter_map(|f| f.verdict()).collect();
    let classes: Vec<&str> = fail_on.iter().filter_map(|f| f.source_class()).collect();
    let mut out = Vec::new();
    for e in &report.events {
        if verdicts.contains(&e.new) && e.old != Some(e.new) {
            out.push(format!(
                "{}:{}: the verdict changed to {} ({})",
                e.document,
                e.claim.line,
                e.new.as_str(),
                e.source
            ));
        }
    }
    for s in &report.sources {
        if let Some(c) = s
            .classes
            .iter()
            .chain([&s.class])
            .find(|c| classes.contains(c))
        {
            out.push(format!("{}: the source is {c}", s.url));
        }
    }
    out.dedup();
    out
}

fn instant(flag: Option<&str>, what: &str) -> Result<Option<i64>> {
    match flag {
        None => Ok(None),
        Some(t) => parse_instant(t)
            .map(Some)
            .with_context(|| format!("{what}: not a date (YYYY-MM-DD[THH:MM:SS]): {t:?}")),
    }
}

fn days(v: Option<f64>, default_ms: i64, what: &str) -> Result<i64> {
    match v {
        None => Ok(default_ms),
        Some(d) => Ok(secs(d * 86_400.0, what)?.as_millis() as i64),
    }
}

/// The recheck policy from `[recheck]`.
fn policy(file: &FileConfig) -> Result<Policy> {
    let r = &file.recheck;
    let d = Policy::default();
    Ok(Policy {
        dead_after: r.dead_after_failures.unwrap_or(d.dead_after).max(1),
        dead_spacing_ms: match r.dead_failure_spacing_days {
            Some(0.0) => 0,
            v => days(v, d.dead_spacing_ms, "recheck.dead_failure_spacing_days")?,
        },
        live_interval_ms: days(
            r.live_interval_days,
            d.live_interval_ms,
            "recheck.live_interval_days",
        )?,
        failing_interval_ms: days(
            r.failing_interval_days,
            d.failing_interval_ms,
            "recheck.failing_interval_days",
        )?,
        dead_interval_ms: days(
            r.dead_interval_days,
            d.dead_interval_ms,
            "recheck.dead_interval_days",
        )?,
    })
}

/// Records a `check` run in the store, and resumes an interrupted one over the same inputs.
pub(super) struct CheckRecorder {
    store: Arc<dyn Store>,
    captured: Arc<Captured>,
    run: RunStart,
    now: Option<i64>,
    due: DuePolicy,
    registry: crate::cite::registry::OutletRegistry,
    /// The name this process writes in document leases (`host:pid`).
    owner: String,
    /// How long a document lease lasts (`recheck.lease_secs`).
    lease_ms: i64,
}

/// Whose a document is, after [`CheckRecorder::claim`].
pub(super) enum Claimed {
    /// This process verifies it.
    Mine,
    /// Another process sharing the run recorded it: its result.
    Recorded(Box<DocumentResult>),
    /// Another live process holds it (only when not asked to wait).
    Held,
}

impl CheckRecorder {
    /// With `--store`: opens the store and begins (or resumes) the run; `None` without it.
    pub(super) fn start(
        args: &CheckArgs,
        file: &FileConfig,
        runtime: &tokio::runtime::Runtime,
        inputs: &[String],
    ) -> Result<Option<CheckRecorder>> {
        let Some(flag) = args.store.as_deref() else {
            return Ok(None);
        };
        let now = instant(args.now.as_deref(), "--now")?;
        let spec = store_spec(Some(flag), file);
        let store = open_store(runtime, &spec, 2, file)?;
        let started = now.unwrap_or_else(now_ms);
        let run = runtime.block_on(record::begin_run(
            store.as_ref(),
            "check",
            inputs,
            &owner_name(None),
            started,
        ))?;
        if run.resumed {
            eprintln!(
                "citecheck: resuming run {} ({} of {} documents already recorded)",
                run.id,
                run.done.len(),
                inputs.len()
            );
        }
        let p = policy(file)?;
        let mut registry = crate::cite::registry::OutletRegistry::builtin();
        registry.merge(file.outlet.clone());
        let lease_ms = lease_ms(None, file)?;
        Ok(Some(CheckRecorder {
            store,
            captured: Arc::new(Captured::default()),
            run,
            now,
            due: DuePolicy {
                live_ms: p.live_interval_ms,
                failing_ms: p.failing_interval_ms,
            },
            registry,
            owner: owner_name(None),
            lease_ms,
        }))
    }

    /// The verifier with its edges wrapped, so the fetches and searches it makes are captured
    /// for the document being recorded.
    pub(super) fn wrap(&self, verifier: Verifier) -> Verifier {
        let cap = self.captured.clone();
        let cap2 = self.captured.clone();
        let clock = record::clock(self.now);
        verifier.map_edges(
            move |inner| {
                Arc::new(RecordingFetcher {
                    inner,
                    captured: cap,
                    clock,
                })
            },
            move |inner| {
                Arc::new(RecordingProvider {
                    inner,
                    captured: cap2.clone(),
                })
            },
        )
    }

    /// The store's path or URL (without a password).
    pub(super) fn location(&self) -> &str {
        self.store.location()
    }

    /// The result an interrupted run already recorded for `path`.
    pub(super) fn done(&self, path: &str) -> Option<DocumentResult> {
        self.run
            .done
            .get(&crate::document::path_key(path))
            .or_else(|| self.run.done.get(path))
            .cloned()
    }

    /// Takes input `seq` (`path`) for this process. While another process sharing the run
    /// holds it: [`Claimed::Held`] at once, or with `wait`, its result once it is recorded, or
    /// the document itself when that process's lease runs out or the process is gone.
    pub(super) async fn claim(&self, seq: usize, path: &str, wait: bool) -> Result<Claimed> {
        let mut told = false;
        loop {
            let now = now_ms();
            let lease = record::lease_document(
                self.store.as_ref(),
                self.run.id,
                seq,
                path,
                &record::Lease {
                    owner: &self.owner,
                    now,
                    lease_ms: self.lease_ms,
                },
                &|holder| holder_is_gone(holder, &self.owner),
            )
            .await?;
            match lease {
                record::DocumentLease::Taken => return Ok(Claimed::Mine),
                record::DocumentLease::Done(result) => return Ok(Claimed::Recorded(result)),
                record::DocumentLease::Held { .. } if !wait => return Ok(Claimed::Held),
                record::DocumentLease::Held { owner, until } => {
                    if !told {
                        tracing::info!(
                            "{path}: being checked by {owner} (lease until {until}); waiting"
                        );
                        told = true;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
            }
        }
    }

    /// Records one verified document (one transaction).
    pub(super) async fn save(&self, doc: &Document, result: &DocumentResult) -> Result<()> {
        let capture = self.captured.take();
        let text: String = doc
            .blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let now = self.now.unwrap_or_else(now_ms);
        record::save_document(
            self.store.as_ref(),
            self.run.id,
            &self.registry,
            &text,
            result,
            &capture,
            self.due,
            now,
        )
        .await?;
        Ok(())
    }

    pub(super) fn finish(&self, runtime: &tokio::runtime::Runtime) -> Result<()> {
        runtime.block_on(record::finish_run(
            self.store.as_ref(),
            self.run.id,
            self.now.unwrap_or_else(now_ms),
        ))?;
        Ok(())
    }
}

/// How long a lease lasts, in milliseconds: `--lease-secs`, else `recheck.lease_secs`, else
/// 300 s. The same for a recheck worker's sources and a recording check's documents.
fn lease_ms(flag: Option<f64>, file: &FileConfig) -> Result<i64> {
    let seconds = flag.or(file.recheck.lease_secs).unwrap_or(300.0);
    Ok(secs(seconds, "lease_secs")?.as_millis() as i64)
}

/// Whether the process named `holder` (`host:pid`, as [`owner_name`] writes it) is known to be
/// gone: it ran on this host (that of `ours`, this process's own name) and its process no
/// longer exists. Elsewhere, or where processes cannot be listed, only the lease's end frees
/// its document.
fn holder_is_gone(holder: &str, ours: &str) -> bool {
    let Some((host, pid)) = holder.rsplit_once(':') else {
        return false;
    };
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    let our_host = ours.rsplit_once(':').map_or("", |(h, _)| h);
    host == our_host
        && pid != std::process::id()
        && std::path::Path::new("/proc/self").exists()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn owner_name(flag: Option<&str>) -> String {
    if let Some(o) = flag.filter(|o| !o.is_empty()) {
        return o.to_string();
    }
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "localhost".to_string());
    format!("{host}:{}", std::process::id())
}

/// Fetch settings for a recheck: defaults < `[fetch]` < flags, as `check` resolves them.
fn fetch_settings(args: &RecheckArgs, file: &FileConfig) -> Result<Settings> {
    let mut s = Settings::default();
    let f = &file.fetch;
    super::run::http_basics(f, args.timeout, args.proxy.as_deref(), &mut s.fetch)?;
    // Politeness and safety as in `check`; across workers the store's host slots add theirs.
    s.fetch.allow_private = f.allow_private.unwrap_or(false);
    super::fetch_settings::politeness(f, &mut s.fetch)?;
    s.offline = f.offline.unwrap_or(false);
    // The corpus named in the config still answers first, as in `check`.
    s.providers = vec![ProviderSpec::Corpus {
        dir: file
            .search
            .corpus_dir
            .clone()
            .filter(|d| !d.as_os_str().is_empty()),
    }];
    Ok(s)
}

pub(super) fn recheck(args: RecheckArgs, raw_args: &[std::ffi::OsString]) -> Result<ExitStatus> {
    let plan = super::check::plan_outputs("recheck", &args.format, &args.output, raw_args)?;
    let file = load_config(args.config.as_deref())?;
    let settings = fetch_settings(&args, &file)?;
    let policy = policy(&file)?;
    let now = instant(args.now.as_deref(), "--now")?.unwrap_or_else(now_ms);
    let since = instant(args.since.as_deref(), "--since")?;
    let concurrency = args.concurrency.or(file.recheck.concurrency).unwrap_or(8);
    if concurrency == 0 {
        bail!("concurrency must be at least 1");
    }
    let lease_ms = lease_ms(args.lease_secs, &file)?;
    let spec = store_spec(args.store.as_deref(), &file);
    let fail_on: Vec<RecheckFailOn> = args
        .fail_on
        .clone()
        .or_else(|| file.recheck.fail_on.clone())
        .unwrap_or_else(|| DEFAULT_RECHECK_FAIL_ON.to_vec());
    if args.worker && !(spec.starts_with("postgres://") || spec.starts_with("postgresql://")) {
        tracing::warn!("--worker on a SQLite store: workers must share one machine");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let wayback_url = args
        .wayback_url
        .clone()
        .or_else(|| file.recheck.wayback_url.clone())
        .unwrap_or_else(|| crate::recheck::wayback::DEFAULT_BASE.to_string());
    // The archive is trusted for its own requests, never for a cited page.
    let mut settings = settings;
    settings.fetch.service_hosts.extend(
        url::Url::parse(&wayback_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned)),
    );
    let verifier = Verifier::from_settings(&settings)?;
    let client =
        crate::fetch::build_service_client(&settings.fetch).context("building the http client")?;
    let wayback = (!wayback_url.is_empty()).then(|| Wayback::new(&wayback_url, client));
    let store = open_existing_store(&runtime, &spec, concurrency + 2, &file)?;
    if !args.quiet {
        eprintln!("citecheck: recheck: reading the store {spec}");
    }
    let owner = owner_name(args.owner.as_deref());
    let kind = if args.worker {
        "recheck-worker"
    } else {
        "recheck"
    };
    let key = vec![format!("{owner}@{}", now_ms())];
    let run = runtime.block_on(record::begin_run(store.as_ref(), kind, &key, &owner, now))?;
    let opts = RecheckOptions {
        policy,
        now,
        wall: record::clock(None),
        owner,
        run: run.id,
        worker: args.worker,
        lease_ms,
        concurrency,
        host_interval_ms: i64::try_from(
            args.host_interval_ms
                .or(file.recheck.host_interval_ms)
                .unwrap_or(1000),
        )
        .unwrap_or(i64::MAX),
        request_hold_ms: (settings.fetch.timeout.as_millis() as i64)
            .saturating_mul(i64::from(settings.fetch.retries) + 1)
            + 5_000,
        filter: Filter {
            due_only: args.due,
            document: args.document.as_deref().map(crate::document::path_key),
            since,
        },
        wayback,
    };
    let fetcher = verifier.fetcher();
    let report = runtime.block_on(run_recheck(store.as_ref(), fetcher.as_ref(), &opts))?;
    runtime.block_on(record::finish_run(store.as_ref(), run.id, now))?;
    let ctx = Arc::new(ReportContext {
        policy: FailPolicy {
            fail_on: file
                .run
                .fail_on
                .clone()
                .map(|v| v.into_iter().map(Verdict::from).collect())
                .unwrap_or_else(|| vec![Verdict::NotSupported, Verdict::Contradicted]),
            min_score: file.run.min_score,
        },
        ..ReportContext::default()
    });
    let changes = RunResult {
        changes: report.events.clone(),
        ..RunResult::default()
    };
    for (format, path) in &plan {
        let mut buf = Vec::new();
        match format {
            Format::Json => {
                let out = serde_json::json!({
                    "schema": "citecheck.recheck.v1",
                    "version": "1",
                    "store": spec,
                    "run": report.run,
                    "checked_at": format_ms(now),
                    "sources": report.sources,
                    "events": report.events.iter().map(change_value).collect::<Vec<_>>(),
                });
                serde_json::to_writer_pretty(&mut buf, &out)?;
                writeln!(buf)?;
            }
            Format::Human => write_human(&report, &mut buf)?,
            other => reporter_for(*other, ctx.clone())
                .write(&changes, &mut buf)
                .context("writing the report")?,
        }
        match path {
            Some(path) => {
                std::fs::write(path, buf).with_context(|| format!("writing {}", path.display()))?
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                lock.write_all(&buf).context("writing the report")?;
                lock.flush().context("writing the report")?;
            }
        }
    }
    let failures = recheck_failures(&report, &fail_on);
    for line in &failures {
        eprintln!("citecheck: recheck: {line}");
    }
    Ok(if failures.is_empty() {
        ExitStatus::Ok
    } else {
        ExitStatus::ClaimsFailed
    })
}

fn write_human(report: &RecheckReport, out: &mut Vec<u8>) -> std::io::Result<()> {
    let changed = report
        .sources
        .iter()
        .filter(|s| s.class != "unchanged")
        .count();
    writeln!(
        out,
        "recheck run {}: {} source(s), {} changed, {} verdict change(s)",
        report.run,
        report.sources.len(),
        changed,
        report.events.len()
    )?;
    for s in &report.sources {
        writeln!(out, "{:<17} {}", s.classes.join("+"), s.url)?;
        if s.class != "unchanged" {
            writeln!(out, "    {}", s.reason)?;
        }
        for p in s.removed.iter().take(3) {
            writeln!(out, "    - {p}")?;
        }
        for p in s.added.iter().take(3) {
            writeln!(out, "    + {p}")?;
        }
        if let Some(a) = &s.archived_url {
            writeln!(out, "    archived copy: {a}")?;
        } else if let Some(n) = &s.archive_note {
            writeln!(out, "    archive: {n}")?;
        }
    }
    for e in &report.events {
        writeln!(
            out,
            "verdict changed: {} {}: {} -> {} (source {} {}){}",
            e.document,
            e.claim.id,
            e.old.map_or("none", |v| v.as_str()),
            e.new.as_str(),
            e.class,
            e.source,
            e.archived_url
                .as_ref()
                .map(|a| format!(", on archived copy {a}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::time::DAY_MS;

    #[test]
    fn store_spec_precedence() {
        let mut file = FileConfig::default();
        assert!(store_spec(None, &file).ends_with("store.sqlite"));
        file.store.path = Some("/tmp/x.sqlite".into());
        assert_eq!(store_spec(Some(""), &file), "/tmp/x.sqlite");
        assert_eq!(
            store_spec(Some("postgres://h/db"), &file),
            "postgres://h/db"
        );
    }

    #[test]
    fn policy_from_config() {
        let mut file = FileConfig::default();
        file.recheck.dead_after_failures = Some(2);
        file.recheck.live_interval_days = Some(1.0);
        let p = policy(&file).unwrap();
        assert_eq!(p.dead_after, 2);
        assert_eq!(p.live_interval_ms, DAY_MS);
        file.recheck.failing_interval_days = Some(-1.0);
        assert!(policy(&file).is_err());
    }
}
