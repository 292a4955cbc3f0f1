//! The checks `serve` runs: one per submitted draft, queued behind a limit of checks at a time,
//! each under the same caps as `check` (input size, citation count), with its progress counted
//! as it goes and its reports (HTML, JSON, SARIF) rendered once when it ends. Only the newest
//! `checks_kept` checks are kept; older finished ones are forgotten.

use crate::claim::ignore::IgnoreMarkers;
use crate::model::{InputFormat, RunResult};
use crate::report::{reporter_for, Context, Finding, Format, Policy};
use crate::verify::Verifier;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A draft as it was submitted: a name to show it by, its bytes, and its format if chosen.
#[derive(Debug, Clone)]
pub struct Draft {
    pub name: String,
    pub bytes: Vec<u8>,
    pub format: Option<InputFormat>,
}

/// The caps and policy every check of the server runs under.
#[derive(Debug, Clone)]
pub struct CheckLimits {
    pub max_input_bytes: u64,
    pub max_citations: usize,
    pub policy: Policy,
    pub excluded: crate::model::Excluded,
}

/// Counters a running check moves forward.
#[derive(Debug, Default)]
pub struct Counters {
    pub citations: AtomicUsize,
    pub sources_done: AtomicUsize,
    pub claims_done: AtomicUsize,
}

/// The reports of a finished check, rendered once.
#[derive(Debug)]
pub struct Finished {
    pub html: Vec<u8>,
    pub json: Vec<u8>,
    pub sarif: Vec<u8>,
    pub title: Option<String>,
    pub claims: usize,
    /// Claims that fail the policy, as `check` would exit 1 for.
    pub failing: usize,
    pub sources: usize,
    /// The verdict of the title claim, if the draft has one.
    pub title_verdict: Option<crate::model::Verdict>,
}

/// Where a check is.
#[derive(Debug)]
pub enum State {
    /// Waiting for an earlier check to finish.
    Queued,
    Running,
    Done(Box<Finished>),
    /// The draft could not be checked: why, as `check` would say it (exit 2).
    Failed(String),
}

/// One submitted check.
#[derive(Debug)]
pub struct Job {
    pub id: String,
    pub name: String,
    pub submitted: Instant,
    pub finished_after: Mutex<Option<Duration>>,
    pub counters: Counters,
    pub state: Mutex<State>,
}

impl Job {
    /// Seconds since the check was submitted, frozen when it ended.
    pub fn elapsed(&self) -> Duration {
        self.finished_after
            .lock()
            .ok()
            .and_then(|d| *d)
            .unwrap_or_else(|| self.submitted.elapsed())
    }
}

/// The server's checks, newest last, and what runs them.
pub struct Jobs {
    verifier: Arc<Verifier>,
    limits: CheckLimits,
    kept: usize,
    turns: tokio::sync::Semaphore,
    next: AtomicUsize,
    table: Mutex<BTreeMap<usize, Arc<Job>>>,
}

impl Jobs {
    pub fn new(verifier: Verifier, limits: CheckLimits, kept: usize, at_once: usize) -> Jobs {
        Jobs {
            verifier: Arc::new(verifier),
            limits,
            kept: kept.max(1),
            turns: tokio::sync::Semaphore::new(at_once.max(1)),
            next: AtomicUsize::new(1),
            table: Mutex::new(BTreeMap::new()),
        }
    }

    /// The check with this id, if it is still kept.
    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        let table = self.table.lock().ok()?;
        table.values().find(|j| j.id == id).cloned()
    }

    /// Queues `draft` and starts its check; gives the job at once.
    pub fn submit(self: &Arc<Self>, draft: Draft) -> Arc<Job> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let job = Arc::new(Job {
            id: job_id(n),
            name: draft.name.clone(),
            submitted: Instant::now(),
            finished_after: Mutex::new(None),
            counters: Counters::default(),
            state: Mutex::new(State::Queued),
        });
        if let Ok(mut table) = self.table.lock() {
            table.insert(n, job.clone());
            // Forget the oldest finished checks beyond the number kept.
            while table.len() > self.kept {
                let oldest = table.iter().find(|(_, j)| {
                    j.state
                        .lock()
                        .map(|s| matches!(*s, State::Done(_) | State::Failed(_)))
                        .unwrap_or(true)
                });
                match oldest.map(|(k, _)| *k) {
                    Some(k) => {
                        table.remove(&k);
                    }
                    None => break,
                }
            }
        }
        let jobs = self.clone();
        let running = job.clone();
        // The check's future borrows the verifier across awaits in ways that are not `Send`,
        // so it runs on a blocking thread that drives it on the server's runtime.
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            handle.block_on(async move {
                let _turn = jobs.turns.acquire().await;
                set_state(&running, State::Running);
                let state = jobs.run(&running, draft).await;
                if let Ok(mut after) = running.finished_after.lock() {
                    *after = Some(running.submitted.elapsed());
                }
                set_state(&running, state);
            })
        });
        job
    }

    /// Checks one draft as `check` checks one file.
    async fn run(&self, job: &Job, draft: Draft) -> State {
        if draft.bytes.len() as u64 > self.limits.max_input_bytes {
            return State::Failed(format!(
                "{}: the draft is {} bytes, over the {}-byte limit (run.max_input_bytes)",
                draft.name,
                draft.bytes.len(),
                self.limits.max_input_bytes
            ));
        }
        let (doc, raw) = match crate::document::parse_owned(&draft.name, draft.bytes, draft.format)
        {
            Ok(parsed) => parsed,
            Err(e) => return State::Failed(e.to_string()),
        };
        let markers = IgnoreMarkers::parse(&raw);
        drop(raw);
        match crate::cite::citation_limit(&doc, self.verifier.registry(), self.limits.max_citations)
        {
            Ok(n) => job.counters.citations.store(n, Ordering::Relaxed),
            Err(failure) => return State::Failed(failure.message),
        }
        let mut on_claim = |_: &crate::model::ClaimResult| {
            job.counters.claims_done.fetch_add(1, Ordering::Relaxed);
        };
        let on_source = |_: &crate::model::Resolution| {
            job.counters.sources_done.fetch_add(1, Ordering::Relaxed);
        };
        let mut result = self
            .verifier
            .verify_with(&doc, &mut on_claim, &on_source)
            .await;
        if !markers.is_empty() {
            let claims: Vec<_> = result.claims.iter().map(|c| c.claim.clone()).collect();
            let suppressed = markers.suppressed(&claims);
            result.claims.retain(|c| !suppressed.contains(&c.claim.id));
        }
        let ctx = Arc::new(Context {
            policy: self.limits.policy.clone(),
            documents: vec![doc],
            ..Context::default()
        });
        let failing = result
            .claims
            .iter()
            .filter(|c| ctx.finding(&result.path, c) == Finding::New)
            .count();
        let title_verdict = result
            .claims
            .iter()
            .find(|c| c.claim.kind == crate::model::ClaimKind::Title)
            .map(|c| c.verdict);
        let finished = Finished {
            title: result.title.clone(),
            claims: result.claims.len(),
            failing,
            sources: result.resolutions.len(),
            title_verdict,
            html: Vec::new(),
            json: Vec::new(),
            sarif: Vec::new(),
        };
        let run = RunResult {
            documents: vec![result],
            excluded: self.limits.excluded.clone(),
            ..RunResult::default()
        };
        let render = |format: Format| -> Result<Vec<u8>, String> {
            let mut out = Vec::new();
            reporter_for(format, ctx.clone())
                .write(&run, &mut out)
                .map_err(|e| format!("writing the {} report: {e}", format.name()))?;
            Ok(out)
        };
        match (
            render(Format::Html),
            render(Format::Json),
            render(Format::Sarif),
        ) {
            (Ok(html), Ok(json), Ok(sarif)) => State::Done(Box::new(Finished {
                html,
                json,
                sarif,
                ..finished
            })),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => State::Failed(e),
        }
    }
}

fn set_state(job: &Job, state: State) {
    if let Ok(mut s) = job.state.lock() {
        *s = state;
    }
}

/// A check's id: its number and a hash of the moment it was made, so ids cannot be guessed
/// from one another when the server is shared.
fn job_id(n: usize) -> String {
    use sha2::Digest as _;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let digest = sha2::Sha256::digest(format!("{n}:{nanos}:{}", std::process::id()));
    let tail: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{n}-{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numbered_with_a_hex_tail() {
        let a = job_id(1);
        assert!(a.starts_with("1-") && a.len() == 14, "{a}");
        assert!(a[2..].chars().all(|c| c.is_ascii_hexdigit()), "{a}");
        assert!(job_id(12).starts_with("12-"));
    }
}
