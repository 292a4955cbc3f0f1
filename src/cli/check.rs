//! `citecheck check`: inputs -> verification -> every requested report, the baseline and the
//! exit code. `--format` is repeatable; each format goes to stdout or to its own file
//! (`-f sarif=r.sarif`, or `-f sarif -o r.sarif`: an `--output` belongs to the `--format`
//! given just before it). NDJSON is written while the run goes; the others at the end.

use super::args::{CheckArgs, Cli, ColorChoice, FormatSpec};
use super::config::FileConfig;
use super::inputs;
use super::run::{policy_for, settings_for, ExitStatus};
use crate::claim::ignore::IgnoreMarkers;
use crate::model::{InputFailure, RunResult};
use crate::report::{
    fingerprint, reporter_for, Baseline, BaselineEntry, Context, Finding, Format, NdjsonStream,
    Policy, BASELINE_SCHEMA,
};
use crate::verify::Verifier;
use anyhow::{bail, Context as _, Result};
use clap::CommandFactory;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where each requested format goes: `None` is stdout.
pub fn output_plan(
    args: &CheckArgs,
    raw_args: &[std::ffi::OsString],
) -> Result<Vec<(Format, Option<PathBuf>)>> {
    plan_outputs("check", &args.format, &args.output, raw_args)
}

/// [`output_plan`] for the subcommand `sub` with its `--format` and `--output` values.
pub(super) fn plan_outputs(
    sub: &str,
    formats: &[FormatSpec],
    outputs: &[PathBuf],
    raw_args: &[std::ffi::OsString],
) -> Result<Vec<(Format, Option<PathBuf>)>> {
    let mut plan: Vec<(Format, Option<PathBuf>)> = formats
        .iter()
        .map(|FormatSpec { format, path }| (*format, path.clone()))
        .collect();
    if plan.is_empty() {
        plan.push((Format::Human, None));
    }
    if !outputs.is_empty() {
        // Pair each --output with the --format before it, by position on the command line.
        let matches = Cli::command()
            .try_get_matches_from(raw_args)
            .context("parsing the arguments again")?;
        let sub = matches
            .subcommand_matches(sub)
            .with_context(|| format!("no {sub} arguments"))?;
        let format_at: Vec<usize> = sub
            .indices_of("format")
            .map(|i| i.collect())
            .unwrap_or_default();
        let output_at: Vec<usize> = sub
            .indices_of("output")
            .map(|i| i.collect())
            .unwrap_or_default();
        for (k, path) in outputs.iter().enumerate() {
            let at = output_at.get(k).copied().unwrap_or(usize::MAX);
            let owner = format_at.iter().rposition(|&f| f < at).unwrap_or(0);
            let Some(slot) = plan.get_mut(owner) else {
                bail!("--output {} has no --format to write", path.display());
            };
            if slot.1.is_some() {
                bail!(
                    "--output {} given twice for --format {}",
                    path.display(),
                    slot.0.name()
                );
            }
            slot.1 = Some(path.clone());
        }
    }
    let on_stdout: Vec<&str> = plan
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(f, _)| f.name())
        .collect();
    if on_stdout.len() > 1 {
        bail!(
            "formats {} would all write to stdout: give all but one a file (FORMAT=PATH or --output)",
            on_stdout.join(", ")
        );
    }
    Ok(plan)
}

fn load_baseline(path: &Path) -> Result<Baseline> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}:{}: invalid baseline: {e}", path.display(), e.line()))?;
    if baseline.schema != BASELINE_SCHEMA {
        bail!(
            "{}: baseline schema is {:?}, expected {BASELINE_SCHEMA:?}",
            path.display(),
            baseline.schema
        );
    }
    Ok(baseline)
}

fn open_output(path: Option<&Path>) -> Result<Box<dyn Write + Send>> {
    Ok(match path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("writing {}", p.display()))?,
        )),
        None => Box::new(std::io::stdout()),
    })
}

/// What a run shows while it works, on stderr and never with `--quiet`. On a terminal: a
/// progress bar (documents, citations found and resolved, elapsed time, rate), drawn from the
/// start and ticking, so something shows at once. Elsewhere (a CI log): a line when the run
/// starts and one per finished document of a multi-document run, no redraws.
struct Progress {
    bar: indicatif::ProgressBar,
    /// Plain lines instead of a bar (stderr is not a terminal).
    lines: bool,
    inputs: usize,
    citations: std::sync::atomic::AtomicUsize,
    sources: std::sync::atomic::AtomicUsize,
    started: std::time::Instant,
}

impl Progress {
    fn new(inputs: usize, quiet: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let target = if quiet || !terminal {
            indicatif::ProgressDrawTarget::hidden()
        } else {
            indicatif::ProgressDrawTarget::stderr()
        };
        let bar = indicatif::ProgressBar::with_draw_target(Some(inputs as u64), target);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {bar:30} {pos}/{len} documents · {msg} · {elapsed} ({per_sec})",
        ) {
            bar.set_style(style);
        }
        bar.set_message("reading the inputs");
        let progress = Progress {
            bar,
            lines: !quiet && !terminal,
            inputs,
            citations: std::sync::atomic::AtomicUsize::new(0),
            sources: std::sync::atomic::AtomicUsize::new(0),
            started: std::time::Instant::now(),
        };
        if !quiet && terminal {
            progress
                .bar
                .enable_steady_tick(std::time::Duration::from_millis(100));
        }
        if progress.lines {
            let s = if inputs == 1 { "" } else { "s" };
            eprintln!("citecheck: checking {inputs} document{s}");
        }
        progress
    }

    fn show(&self) {
        let found = self.citations.load(std::sync::atomic::Ordering::Relaxed);
        let resolved = self.sources.load(std::sync::atomic::Ordering::Relaxed);
        self.bar
            .set_message(format!("{found} citations, {resolved} resolved"));
    }

    /// A document's citations are known (it is about to be verified).
    fn citations_found(&self, n: usize) {
        self.citations
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        self.show();
    }

    fn source_done(&self) {
        self.sources
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.show();
    }

    /// One input finished (`path`, with its result when it was verified).
    fn document_done(&self, path: &str, result: Option<&crate::model::DocumentResult>) {
        self.bar.inc(1);
        if !self.lines || self.inputs < 2 {
            return;
        }
        let done = self.bar.position();
        let what = match result {
            Some(r) => {
                let found = r
                    .resolutions
                    .iter()
                    .filter(|x| x.status == crate::model::CitationStatus::Found)
                    .count();
                format!(
                    "{} citations, {found} sources found, {} claims",
                    r.citations.len(),
                    r.claims.len()
                )
            }
            None => "not checked".to_string(),
        };
        eprintln!(
            "citecheck: [{done}/{}] {path}: {what} ({:.1} s)",
            self.inputs,
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// Documents `check` verifies at the same time unless `run.documents_in_flight` says otherwise.
const DOCUMENTS_IN_FLIGHT: usize = 8;

/// What became of one input. One per input and short-lived, so the larger `Verified` is not
/// boxed.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    /// Not checked: it could not be found, read or parsed, or it was refused; with the line
    /// for stderr.
    Failure(InputFailure, String),
    /// Verified now, or recorded by an interrupted run of the same store (`resumed`).
    Verified {
        doc: Option<crate::model::Document>,
        result: crate::model::DocumentResult,
        resumed: bool,
    },
    /// Held by another process sharing the run: tried again once the other inputs are done.
    Deferred(String),
}

/// What a document being verified reports before it is done, for the event stream.
enum Progressed {
    Started {
        path: String,
        title: Option<String>,
    },
    Claim {
        path: String,
        claim: crate::model::ClaimResult,
    },
}

/// Verifies inputs, several at a time, and hands their results on in input order: the event
/// stream writes the first unfinished document's claims as they are judged and holds later
/// documents' events until it is their turn, so events stay grouped per document.
struct Pipeline<'a> {
    verifier: &'a Verifier,
    recorder: Option<&'a super::recheck::CheckRecorder>,
    progress: &'a Progress,
    max_input_bytes: u64,
    max_citations: usize,
    /// Claims are sent as events only when an event stream is written (they are also in the
    /// document's result, so a run without one does not hold every claim twice).
    streaming: bool,
    /// Why the store stopped taking writes (a full disk, a lock held too long): the run goes
    /// on unrecorded, and the report says so.
    store_failed: std::sync::Mutex<Option<String>>,
}

impl Pipeline<'_> {
    /// The recorder while the store still takes writes.
    fn recording(&self) -> Option<&super::recheck::CheckRecorder> {
        let failed = self.store_failed.lock().map_or(true, |f| f.is_some());
        self.recorder.filter(|_| !failed)
    }

    /// Notes the first store error; the run goes on without the store.
    fn store_error(&self, error: &anyhow::Error) {
        if let Ok(mut failed) = self.store_failed.lock() {
            if failed.is_none() {
                let message = format!("{error:#}");
                self.progress.bar.suspend(|| {
                    eprintln!(
                        "citecheck: error: {message}; the rest of this run is not recorded \
                         (the report is complete; run again to record it)"
                    )
                });
                *failed = Some(message);
            }
        }
    }
}

/// Whether `e` is a lock another process held on the store past the busy timeout, rather than
/// a store that cannot be opened at all.
fn is_store_lock(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<crate::store::StoreError>(),
            Some(crate::store::StoreError::Locked { .. })
        )
    })
}

/// An input waiting for its turn: its index, the path (or why it has none), and whether to
/// wait for another process that holds it.
type Queued = (usize, Result<String, (String, String)>, bool);

type Stream = Option<(NdjsonStream, Box<dyn Write + Send>)>;

impl Pipeline<'_> {
    /// Verifies one input, sending its start and its claims on `events` as they happen.
    async fn verify_one(
        &self,
        i: usize,
        input: Result<String, (String, String)>,
        wait: bool,
        events: tokio::sync::mpsc::UnboundedSender<(usize, Progressed)>,
    ) -> (usize, Outcome) {
        let path = match input {
            Ok(p) => p,
            Err((pattern, message)) => {
                let shown = format!("{pattern}: {message}");
                let failure = InputFailure {
                    path: pattern,
                    line: None,
                    message,
                };
                return (i, Outcome::Failure(failure, shown));
            }
        };
        let mut recorded = self.recorder.and_then(|r| r.done(&path));
        if let (None, Some(r)) = (&recorded, self.recording()) {
            // Two processes over the same inputs and store share the run: each document is
            // verified by the one that holds its lease, and taken from the store by the other.
            match r.claim(i, &path, wait).await {
                Ok(super::recheck::Claimed::Mine) => {}
                Ok(super::recheck::Claimed::Recorded(result)) => recorded = Some(*result),
                Ok(super::recheck::Claimed::Held) => return (i, Outcome::Deferred(path)),
                // The store cannot lease: the document is verified anyway, unrecorded.
                Err(e) => self.store_error(&e),
            }
        }
        if let Some(done) = recorded {
            // Finished by an earlier, interrupted run of the same store: not verified again.
            let doc = inputs::load(&path, self.max_input_bytes)
                .ok()
                .map(|l| l.doc);
            let outcome = Outcome::Verified {
                doc,
                result: done,
                resumed: true,
            };
            return (i, outcome);
        }
        let loaded = match inputs::load(&path, self.max_input_bytes) {
            Ok(loaded) => loaded,
            Err(e) => {
                let failure = InputFailure {
                    path: path.clone(),
                    line: e.line(),
                    message: e.to_string(),
                };
                return (i, Outcome::Failure(failure, e.to_string()));
            }
        };
        let markers = IgnoreMarkers::parse(&loaded.raw);
        // The text is not needed again: on a 20 MB article it is 20 MB.
        drop(loaded.raw);
        let doc = loaded.doc;
        match crate::cite::citation_limit(&doc, self.verifier.registry(), self.max_citations) {
            Ok(count) => self.progress.citations_found(count),
            Err(failure) => {
                let shown = failure.message.clone();
                return (i, Outcome::Failure(failure, shown));
            }
        }
        let _ = events.send((
            i,
            Progressed::Started {
                path: doc.path.clone(),
                title: doc.title().map(str::to_string),
            },
        ));
        let mut previous_line = 0usize;
        let mut sink = |c: &crate::model::ClaimResult| {
            let suppressed = markers.suppresses(&c.claim, previous_line);
            previous_line = c.claim.line;
            if !suppressed && self.streaming {
                let _ = events.send((
                    i,
                    Progressed::Claim {
                        path: doc.path.clone(),
                        claim: c.clone(),
                    },
                ));
            }
        };
        let on_source = |_: &crate::model::Resolution| self.progress.source_done();
        let mut result = self.verifier.verify_with(&doc, &mut sink, &on_source).await;
        if !markers.is_empty() {
            let claims: Vec<_> = result.claims.iter().map(|c| c.claim.clone()).collect();
            let suppressed = markers.suppressed(&claims);
            result.claims.retain(|c| !suppressed.contains(&c.claim.id));
        }
        let outcome = Outcome::Verified {
            doc: Some(doc),
            result,
            resumed: false,
        };
        (i, outcome)
    }

    /// Verifies every input, at most `in_flight` at a time, into `run` and `documents`.
    async fn run(
        &self,
        expanded: Vec<Result<String, (String, String)>>,
        in_flight: usize,
        stream: &mut Stream,
        run: &mut RunResult,
        documents: &mut Vec<crate::model::Document>,
    ) -> Result<()> {
        use futures::stream::StreamExt as _;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Progressed)>();
        let total = expanded.len();
        // A first pass over every input; inputs another process holds come back deferred and
        // go in a second pass that waits for them (their results come from the store).
        let make = |items: Vec<Queued>| {
            let tx = tx.clone();
            futures::stream::iter(items)
                .map(move |(i, input, wait)| self.verify_one(i, input, wait, tx.clone()))
                .buffer_unordered(in_flight)
        };
        let mut tasks = make(
            expanded
                .into_iter()
                .enumerate()
                .map(|(i, input)| (i, input, false))
                .collect(),
        );
        let mut deferred: Vec<Queued> = Vec::new();
        // Events of documents that are not yet first in line, and finished documents waiting
        // for earlier ones.
        let mut queued: std::collections::HashMap<usize, Vec<Progressed>> = Default::default();
        let mut finished: std::collections::BTreeMap<usize, Outcome> = Default::default();
        let mut head = 0usize;
        let mut tasks_done = false;
        while head < total {
            tokio::select! {
                biased;
                Some((i, event)) = rx.recv() => route(stream, &mut queued, head, i, event)?,
                next = tasks.next(), if !tasks_done => match next {
                    Some((i, Outcome::Deferred(path))) => deferred.push((i, Ok(path), true)),
                    Some((i, outcome)) => {
                        finished.insert(i, outcome);
                    }
                    None if !deferred.is_empty() => {
                        tasks = make(std::mem::take(&mut deferred));
                    }
                    None => tasks_done = true,
                },
                else => {}
            }
            // Everything a finished document sent was sent before it finished.
            while let Ok((i, event)) = rx.try_recv() {
                route(stream, &mut queued, head, i, event)?;
            }
            while let Some(outcome) = finished.remove(&head) {
                self.finish_one(outcome, stream, run, documents).await?;
                head += 1;
                for event in queued.remove(&head).unwrap_or_default() {
                    write_progressed(stream, event)?;
                }
            }
            if tasks_done && finished.is_empty() && head < total {
                bail!("an input was lost: {head} of {total} finished");
            }
        }
        Ok(())
    }

    /// Hands one finished input on, in input order.
    async fn finish_one(
        &self,
        outcome: Outcome,
        stream: &mut Stream,
        run: &mut RunResult,
        documents: &mut Vec<crate::model::Document>,
    ) -> Result<()> {
        match outcome {
            Outcome::Failure(failure, shown) => {
                self.progress
                    .bar
                    .suspend(|| eprintln!("citecheck: error: {shown}"));
                self.progress.document_done(&failure.path, None);
                if let Some((s, out)) = stream.as_mut() {
                    s.failure(out, &failure)
                        .context("writing the event stream")?;
                }
                run.failures.push(failure);
            }
            Outcome::Deferred(path) => {
                bail!("{path}: left to another process and never taken back")
            }
            Outcome::Verified {
                doc,
                result,
                resumed,
            } => {
                if !resumed {
                    if let (Some(r), Some(doc)) = (self.recording(), doc.as_ref()) {
                        if let Err(e) = r.save(doc, &result).await {
                            self.store_error(&e);
                        }
                    }
                    if let Some((s, out)) = stream.as_mut() {
                        s.document_end(out, &result)
                            .context("writing the event stream")?;
                    }
                }
                self.progress.document_done(&result.path, Some(&result));
                run.documents.push(result);
                if let Some(doc) = doc {
                    documents.push(doc);
                }
            }
        }
        Ok(())
    }
}

/// Writes document `i`'s event now when it is first in line, else keeps it for its turn.
fn route(
    stream: &mut Stream,
    queued: &mut std::collections::HashMap<usize, Vec<Progressed>>,
    head: usize,
    i: usize,
    event: Progressed,
) -> Result<()> {
    if i == head {
        write_progressed(stream, event)
    } else {
        queued.entry(i).or_default().push(event);
        Ok(())
    }
}

fn write_progressed(stream: &mut Stream, event: Progressed) -> Result<()> {
    let Some((s, out)) = stream.as_mut() else {
        return Ok(());
    };
    match event {
        Progressed::Started { path, title } => s.document(out, &path, title.as_deref()),
        Progressed::Claim { path, claim } => s.claim(out, &path, &claim),
    }
    .context("writing the event stream")
}

/// Runs `check`.
pub fn check(args: CheckArgs, raw_args: &[std::ffi::OsString]) -> Result<ExitStatus> {
    let plan = output_plan(&args, raw_args)?;
    let (file, _, _) = FileConfig::load_effective(args.verify.config.as_deref())?;
    let settings = settings_for(&args.verify, &file)?;
    let policy = policy_for(&args.verify, &file)?;
    let baseline = args.baseline.as_deref().map(load_baseline).transpose()?;
    let mut ctx = Context {
        color: false,
        policy,
        documents: Vec::new(),
        baseline,
        ..Context::default()
    };
    let human_on_stdout = plan.iter().any(|(f, p)| *f == Format::Human && p.is_none());
    ctx.color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            human_on_stdout
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };

    // Something shows at once: the inputs are counted and the bar drawn before the verifier
    // (and the embedded corpus) is built.
    let expanded = inputs::expand_inputs_with(&args.files, args.follow_links);
    let progress = Progress::new(expanded.len(), args.quiet);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let verifier = Verifier::from_settings(&settings)?;

    // The event stream, if asked for, is written as claims are judged.
    let stream_ctx = Arc::new(ctx.clone());
    let mut stream = match plan.iter().find(|(f, _)| *f == Format::Ndjson) {
        Some((_, path)) => {
            let mut out = open_output(path.as_deref())?;
            let s = NdjsonStream { ctx: stream_ctx };
            s.start(&mut out).context("writing the event stream")?;
            Some((s, out))
        }
        None => None,
    };

    let input_paths: Vec<String> = expanded
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    // A store another process keeps locked past `store.busy_timeout_secs` is a failure of the
    // run, as a full disk is: the documents are checked and reported, unrecorded.
    let (recorder, store_failed) =
        match super::recheck::CheckRecorder::start(&args, &file, &runtime, &input_paths) {
            Ok(recorder) => (recorder, None),
            Err(e) if is_store_lock(&e) => {
                let message = format!("{e:#}");
                eprintln!(
                    "citecheck: error: {message}; this run is not recorded (the report is \
                     complete)"
                );
                (None, Some(message))
            }
            Err(e) => return Err(e),
        };
    let verifier = match &recorder {
        Some(r) => r.wrap(verifier),
        None => verifier,
    };
    // Documents verified at the same time. A recording run goes one at a time: the recorder
    // attributes the fetches and searches it captured to the document that just finished.
    let in_flight = if recorder.is_some() {
        1
    } else {
        args.documents_in_flight
            .or(file.run.documents_in_flight)
            .unwrap_or(DOCUMENTS_IN_FLIGHT)
    };
    if in_flight == 0 {
        bail!("documents_in_flight must be at least 1");
    }
    let mut run = RunResult {
        excluded: crate::resolve::exclude::Exclusions::new(
            &settings.exclude_outlets,
            &settings.exclude_domains,
        )
        .shown(),
        ..RunResult::default()
    };
    let pipeline = Pipeline {
        verifier: &verifier,
        recorder: recorder.as_ref(),
        progress: &progress,
        max_input_bytes: settings.max_input_bytes,
        max_citations: settings.max_citations,
        streaming: stream.is_some(),
        store_failed: std::sync::Mutex::new(store_failed),
    };
    runtime.block_on(pipeline.run(
        expanded,
        in_flight,
        &mut stream,
        &mut run,
        &mut ctx.documents,
    ))?;
    progress.bar.finish_and_clear();
    if let Some(r) = pipeline.recording() {
        if let Err(e) = r.finish(&runtime) {
            pipeline.store_error(&e);
        }
    }
    // A store that stopped taking writes is a failure of the run (exit 2), in every report.
    if let Some(message) = pipeline.store_failed.lock().ok().and_then(|f| f.clone()) {
        let path = recorder.as_ref().map_or_else(
            || super::recheck::store_spec(args.store.as_deref(), &file),
            |r| r.location().to_string(),
        );
        run.failures.push(InputFailure {
            path,
            line: None,
            message,
        });
    }
    if let Some((s, mut out)) = stream.take() {
        s.end(&mut out, &run).context("writing the event stream")?;
        out.flush().context("writing the event stream")?;
    }

    let ctx = Arc::new(ctx);
    for (format, path) in &plan {
        if *format == Format::Ndjson {
            continue;
        }
        let reporter = reporter_for(*format, ctx.clone());
        let mut out = open_output(path.as_deref())?;
        reporter
            .write(&run, &mut out)
            .with_context(|| format!("writing the {} report", format.name()))?;
        out.flush()
            .with_context(|| format!("writing the {} report", format.name()))?;
    }

    if let Some(path) = &args.write_baseline {
        write_baseline(&run, &ctx.policy, path)?;
    }
    if !run.failures.is_empty() {
        return Ok(ExitStatus::Error);
    }
    let failed = run
        .documents
        .iter()
        .flat_map(|d| d.claims.iter().map(move |c| (d, c)))
        .any(|(d, c)| ctx.finding(&d.path, c) == Finding::New);
    Ok(if failed {
        ExitStatus::ClaimsFailed
    } else {
        ExitStatus::Ok
    })
}

/// Writes every claim failing `policy` (the baseline in use does not matter) to `path`.
fn write_baseline(run: &RunResult, policy: &Policy, path: &Path) -> Result<()> {
    let mut findings: Vec<BaselineEntry> = run
        .documents
        .iter()
        .flat_map(|d| d.claims.iter().map(move |c| (d, c)))
        .filter(|(_, c)| policy.fails(c))
        .map(|(d, c)| BaselineEntry {
            fingerprint: fingerprint(&d.path, &c.claim.text),
            path: d.path.clone(),
            claim: c.claim.text.clone(),
            verdict: c.verdict,
        })
        .collect();
    findings.sort_by(|a, b| (&a.path, &a.fingerprint).cmp(&(&b.path, &b.fingerprint)));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let baseline = Baseline {
        schema: BASELINE_SCHEMA.to_string(),
        findings,
    };
    let mut text = serde_json::to_string_pretty(&baseline)?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
