//! Runs a recheck: leases sources from the store, waits its turn per host (limits kept in the
//! database, so they hold across workers), fetches, classifies against the last good snapshot,
//! looks up an archived copy for dead or changed sources, scores the citing claims again and
//! writes everything for one source in one transaction, guarded by the lease: a worker whose
//! lease expired and was taken over writes nothing, so each result is written once.

use super::classify::{classify, failure_of, ChangeClass, Failure, Observation, Snapshot};
use super::policy::Policy;
use super::wayback::Wayback;
use crate::extract::extract_page;
use crate::fetch::Fetcher;
use crate::judge::Judge;
use crate::model::{ClaimResult, Page, Verdict, VerdictChange};
use crate::store::record::{verdict_stmt, Clock, FetchRecord};
use crate::store::sources::{self, CitingClaim, Filter, SourceRow};
use crate::store::time::{date_digits, ms_digits};
use crate::store::{content_hash, Stmt, Store, StoreError};
use futures::stream::{self, StreamExt};
use serde::Serialize;
use std::time::Duration;

/// How a recheck runs.
#[derive(Clone)]
pub struct RecheckOptions {
    pub policy: Policy,
    /// "Now" for due dates and failure spacing (tests simulate days passing).
    pub now: i64,
    /// The wall clock, for leases and per-host spacing between processes.
    pub wall: Clock,
    /// This process, as written in leases.
    pub owner: String,
    /// The run results are recorded under.
    pub run: i64,
    /// Share the queue with other workers: lease only free due sources, wait for expired ones.
    pub worker: bool,
    pub lease_ms: i64,
    /// Sources rechecked at the same time.
    pub concurrency: usize,
    /// Least time between the end of one request to a host and the start of the next.
    pub host_interval_ms: i64,
    /// How long a request may hold its host (the fetch timeout).
    pub request_hold_ms: i64,
    pub filter: Filter,
    pub wayback: Option<Wayback>,
}

/// The outcome for one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceReport {
    pub url: String,
    pub class: &'static str,
    pub classes: Vec<&'static str>,
    pub reason: String,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub new_url: Option<String>,
    pub new_title: Option<String>,
    pub notice: Option<String>,
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// "Gone" failures counted towards `dead` so far.
    pub failures: usize,
    pub archived_url: Option<String>,
    /// Why no archived copy was used, when one was wanted.
    pub archive_note: Option<String>,
    pub checked_at: i64,
    /// False when the lease was lost and another process wrote this source's result.
    pub written: bool,
}

/// Everything a recheck did, sources in URL order.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct RecheckReport {
    pub run: i64,
    pub sources: Vec<SourceReport>,
    /// Verdicts that changed, as every report format shows them.
    pub events: Vec<VerdictChange>,
}

/// Rechecks what `opts.filter` selects. Store errors stop it; a failing source never does.
pub async fn recheck(
    store: &dyn Store,
    fetcher: &dyn Fetcher,
    opts: &RecheckOptions,
) -> Result<RecheckReport, StoreError> {
    let mut report = RecheckReport {
        run: opts.run,
        ..RecheckReport::default()
    };
    let n = opts.concurrency.max(1);
    if opts.worker {
        let mut filter = opts.filter.clone();
        filter.due_only = true;
        // A slot that frees is filled at once: a source waiting for its host's turn holds one
        // slot, never a whole batch.
        let mut in_flight = futures::stream::FuturesUnordered::new();
        loop {
            if in_flight.len() < n {
                let wall = (opts.wall)();
                let rows = sources::lease_due(
                    store,
                    &opts.owner,
                    n - in_flight.len(),
                    wall + opts.lease_ms,
                    wall,
                    &filter,
                    opts.now,
                )
                .await?;
                if rows.is_empty() && in_flight.is_empty() {
                    // Work others hold may come back when their lease expires: wait for it.
                    if sources::leased_elsewhere(store, &opts.owner, wall, opts.now).await? == 0 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(
                        (opts.lease_ms / 4).clamp(50, 1000) as u64
                    ))
                    .await;
                    continue;
                }
                for row in rows {
                    in_flight.push(recheck_source(store, fetcher, opts, row));
                }
            }
            if let Some(done) = in_flight.next().await {
                if let Some((s, events)) = done? {
                    report.sources.push(s);
                    report.events.extend(events);
                }
            }
        }
    } else {
        let urls = sources::list(store, &opts.filter, opts.now).await?;
        let rows = stream::iter(urls)
            .map(|u| async move {
                let wall = (opts.wall)();
                sources::lease_one(store, &u, &opts.owner, wall + opts.lease_ms).await
            })
            .buffered(n)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        run_rows(
            store,
            fetcher,
            opts,
            rows.into_iter().flatten().collect(),
            n,
            &mut report,
        )
        .await?;
    }
    report.sources.sort_by(|a, b| a.url.cmp(&b.url));
    report.events.sort_by(|a, b| {
        (&a.document, &a.claim.id, &a.source).cmp(&(&b.document, &b.claim.id, &b.source))
    });
    Ok(report)
}

/// One source's report with the verdict changes it caused.
type Outcome = (SourceReport, Vec<VerdictChange>);

async fn run_rows(
    store: &dyn Store,
    fetcher: &dyn Fetcher,
    opts: &RecheckOptions,
    rows: Vec<SourceRow>,
    n: usize,
    report: &mut RecheckReport,
) -> Result<(), StoreError> {
    let results: Vec<Result<Option<Outcome>, StoreError>> = stream::iter(rows)
        .map(|row| recheck_source(store, fetcher, opts, row))
        .buffer_unordered(n)
        .collect()
        .await;
    for r in results {
        let Some((s, events)) = r? else { continue };
        report.sources.push(s);
        report.events.extend(events);
    }
    Ok(())
}

/// Waits until this process may send a request to `host`, and holds the host meanwhile.
async fn take_host(store: &dyn Store, opts: &RecheckOptions, host: &str) -> Result<(), StoreError> {
    if host.is_empty() {
        return Ok(());
    }
    loop {
        let wall = (opts.wall)();
        match sources::claim_host(store, host, wall, wall + opts.request_hold_ms).await? {
            Ok(()) => return Ok(()),
            Err(next) => {
                // Spacing: sleep until the slot. A request in flight holds the host until its
                // timeout: poll at the spacing interval, it is usually released much sooner.
                let wait = (next - wall).clamp(2, opts.host_interval_ms.clamp(10, 1000));
                tokio::time::sleep(Duration::from_millis(wait as u64)).await;
            }
        }
    }
}

fn page_of_snapshot(s: &Snapshot) -> Page {
    Page {
        url: if s.final_url.is_empty() {
            s.url.clone()
        } else {
            s.final_url.clone()
        },
        title: Some(s.title.clone()).filter(|t| !t.is_empty()),
        paragraphs: s.text.lines().map(str::to_string).collect(),
        ..Page::default()
    }
}

fn extracted(html: &str, url: &str) -> Page {
    let mut page = extract_page(html, url);
    if page.url.is_empty() {
        page.url = url.to_string();
    }
    page
}

async fn recheck_source(
    store: &dyn Store,
    fetcher: &dyn Fetcher,
    opts: &RecheckOptions,
    row: SourceRow,
) -> Result<Option<Outcome>, StoreError> {
    take_host(store, opts, &row.host).await?;
    // Waiting for the host may have outlasted the lease: renew it, or leave the source to the
    // worker that took it over.
    if !sources::renew(store, &row.url, &opts.owner, (opts.wall)() + opts.lease_ms).await? {
        if !row.host.is_empty() {
            sources::release_host(store, &row.host, (opts.wall)()).await?;
        }
        return Ok(None);
    }
    let result = fetcher.get(&row.url).await;
    if !row.host.is_empty() {
        sources::release_host(store, &row.host, (opts.wall)() + opts.host_interval_ms).await?;
    }
    let record = FetchRecord::of(&row.url, &result, opts.now);
    let base = sources::baseline(store, &row.url).await?;
    let published = base
        .as_ref()
        .and_then(|b| b.1.clone())
        .or(row.published.clone());
    let old = base.map(|b| b.0);

    let live_page = result
        .as_ref()
        .ok()
        .map(|p| extracted(&p.html, &record.final_url));
    let mut failures = 0;
    let classification = match (&result, &live_page) {
        (_, Some(page)) => classify(
            old.as_ref(),
            &Observation::Page {
                url: &row.url,
                final_url: &record.final_url,
                page,
            },
            false,
        ),
        (Err(e), _) => {
            let failure = failure_of(e);
            let mut dead = false;
            if failure == Failure::Gone {
                let mut times = sources::gone_times(store, &row.url).await?;
                times.push(opts.now);
                failures = opts.policy.counted_failures(&times);
                dead = opts.policy.confirms_dead(&times);
            }
            classify(old.as_ref(), &Observation::Failed(failure), dead)
        }
        // A fetched page is always extracted; should that ever change, it is not conclusive.
        (Ok(_), None) => classify(old.as_ref(), &Observation::Failed(Failure::Other), false),
    };
    let class = classification.class();

    // An archived copy closest to the publish date, for dead or changed sources.
    let mut archived: Option<(String, Page)> = None;
    let mut archive_note = None;
    if class.needs_archive() {
        match &opts.wayback {
            None => archive_note = Some("no archive configured".to_string()),
            Some(w) => {
                let ts = published
                    .as_deref()
                    .and_then(date_digits)
                    .unwrap_or_else(|| ms_digits(row.first_seen_at));
                match w.closest(&row.url, &ts).await {
                    Ok(Some(a)) => match fetcher.get(&a.url).await {
                        Ok(p) => {
                            let final_url = if p.final_url.is_empty() {
                                a.url.clone()
                            } else {
                                p.final_url.clone()
                            };
                            archived = Some((a.url.clone(), extracted(&p.html, &final_url)));
                        }
                        Err(e) => archive_note = Some(format!("archived copy unreadable: {e}")),
                    },
                    Ok(None) => archive_note = Some("no archived copy".to_string()),
                    Err(e) => archive_note = Some(format!("archive lookup failed: {e}")),
                }
            }
        }
    }
    let archived_url = archived.as_ref().map(|a| a.0.clone());

    // Score again the claims citing a source whose content changed or went away.
    let mut events = Vec::new();
    let mut stmts: Vec<Stmt> = Vec::new();
    let key = format!("{}|due:{}", row.url, row.due_at);
    if class.rescores() {
        // The page to judge on: the live page while it still holds an article, else the archive.
        let judged_page: Option<(&Page, Option<&str>)> = match class {
            ChangeClass::Dead | ChangeClass::Soft404 => {
                archived.as_ref().map(|a| (&a.1, Some(a.0.as_str())))
            }
            _ => live_page.as_ref().map(|p| (p, None)),
        };
        for c in sources::citing_claims(store, &row.url).await? {
            let result = rejudge(
                store,
                &c,
                &row.url,
                judged_page,
                class,
                &classification.reason,
            )
            .await?;
            let new = result.verdict;
            let used_archive = judged_page.and_then(|j| j.1.map(str::to_string));
            stmts.push(verdict_stmt(
                &c.document,
                &c.claim.id,
                opts.run,
                opts.now,
                &result,
                used_archive.as_deref(),
            ));
            if c.verdict.as_ref().map(|v| v.0.as_str()) != Some(new.as_str()) {
                let event = VerdictChange {
                    document: c.document.clone(),
                    claim: c.claim.clone(),
                    source: row.url.clone(),
                    class: class.as_str().to_string(),
                    old: c.verdict.as_ref().and_then(|v| Verdict::from_name(&v.0)),
                    new,
                    old_score: c.verdict.as_ref().map(|v| v.1),
                    new_score: result.score,
                    reasons: result.reasons.clone(),
                    archived_url: used_archive,
                };
                stmts.push(event_stmt(
                    &format!("{key}|{}|{}", c.document, c.claim.id),
                    opts,
                    &event,
                ));
                events.push(event);
            }
        }
    }

    let (title, text) = live_page
        .as_ref()
        .map(|p| (p.title.clone().unwrap_or_default(), p.text()))
        .unwrap_or_default();
    let outcome = match &record.failure {
        None => "ok",
        Some(f) => f.as_str(),
    };
    let ok = record.failure.is_none();
    let detail = serde_json::json!({
        "classes": classification.classes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "reason": classification.reason,
        "removed": classification.removed,
        "added": classification.added,
        "new_url": classification.new_url,
        "new_title": classification.new_title,
        "notice": classification.notice,
        "archive_note": archive_note,
    });
    let mut all = vec![
        Stmt::new(
            "UPDATE sources SET state = $3, last_checked_at = $4, next_due_at = $5, last_class = $6, \
             lease_owner = NULL, lease_until = NULL WHERE url = $1 AND lease_owner = $2",
            vec![
                row.url.clone().into(),
                opts.owner.clone().into(),
                Policy::state(class).into(),
                opts.now.into(),
                opts.policy.next_due(class, opts.now).into(),
                class.as_str().into(),
            ],
        )
        .guarded(),
        Stmt::new(
            "INSERT INTO snapshots (source_url, check_key, run_id, fetched_at, outcome, status, \
             final_url, content_type, content_hash, title, body, published, error, class, detail, \
             archived_url, etag, last_modified) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT (source_url, check_key) DO NOTHING",
            vec![
                row.url.clone().into(),
                format!("due:{}", row.due_at).into(),
                opts.run.into(),
                opts.now.into(),
                outcome.into(),
                record.status.map(i64::from).into(),
                record.final_url.clone().into(),
                record.content_type.clone().into(),
                ok.then(|| content_hash(&title, &text)).into(),
                ok.then(|| title.clone()).into(),
                ok.then(|| text.clone()).into(),
                live_page.as_ref().and_then(|p| p.published.clone()).into(),
                record.error.clone().into(),
                class.as_str().into(),
                detail.to_string().into(),
                archived_url.clone().into(),
                record.etag.clone().into(),
                record.last_modified.clone().into(),
            ],
        ),
    ];
    if class != ChangeClass::Unchanged {
        all.push(Stmt::new(
            "INSERT INTO events (event_key, run_id, at, kind, source_url, old, new, detail) \
             VALUES ($1, $2, $3, 'source_changed', $4, $5, $6, $7) ON CONFLICT (event_key) DO NOTHING",
            vec![
                format!("{key}|source").into(),
                opts.run.into(),
                opts.now.into(),
                row.url.clone().into(),
                old.as_ref().map(|o| o.title.clone()).into(),
                class.as_str().into(),
                classification.reason.clone().into(),
            ],
        ));
    }
    all.extend(stmts);
    let written = store.batch(&all).await?;
    if !written {
        events.clear();
    }
    Ok(Some((
        SourceReport {
            url: row.url.clone(),
            class: class.as_str(),
            classes: classification.classes.iter().map(|c| c.as_str()).collect(),
            reason: classification.reason.clone(),
            status: record.status,
            error: record.error.clone(),
            new_url: classification.new_url.clone(),
            new_title: classification.new_title.clone(),
            notice: classification.notice.clone(),
            removed: classification.removed.clone(),
            added: classification.added.clone(),
            failures,
            archived_url,
            archive_note,
            checked_at: opts.now,
            written,
        },
        events,
    )))
}

fn event_stmt(key: &str, opts: &RecheckOptions, e: &VerdictChange) -> Stmt {
    Stmt::new(
        "INSERT INTO events (event_key, run_id, at, kind, source_url, document_path, kid, old, new, detail) \
         VALUES ($1, $2, $3, 'verdict_changed', $4, $5, $6, $7, $8, $9) ON CONFLICT (event_key) DO NOTHING",
        vec![
            key.into(),
            opts.run.into(),
            opts.now.into(),
            e.source.clone().into(),
            e.document.clone().into(),
            e.claim.id.clone().into(),
            e.old.map(|v| v.as_str().to_string()).into(),
            e.new.as_str().to_string().into(),
            crate::report::change_value(e).to_string().into(),
        ],
    )
}

/// Judges a claim again: the changed source on `page` (live or archived), its other sources on
/// their last good snapshots.
async fn rejudge(
    store: &dyn Store,
    c: &CitingClaim,
    url: &str,
    page: Option<(&Page, Option<&str>)>,
    class: ChangeClass,
    why: &str,
) -> Result<ClaimResult, StoreError> {
    let judge = Judge::shipped();
    let mut judged = Vec::new();
    let mut unreadable = Vec::new();
    for (cid, label, source) in &c.citations {
        let Some(source) = source else {
            unreadable.push(format!("{label}: no source was found"));
            continue;
        };
        // The stored claim keeps no record of how the page was found, so a page that is not
        // about the claim counts as cited: its verdict stands, without a quote.
        if source == url {
            match page {
                Some((p, _)) => {
                    let prepared = crate::compare::PreparedSource::new(p);
                    judged.push((label.clone(), true, judge.source(&c.claim, &prepared, cid)));
                }
                None => unreadable.push(format!("{label}: source {}: {why}", class.as_str())),
            }
        } else {
            match sources::baseline(store, source).await? {
                Some((snap, _)) => {
                    let p = page_of_snapshot(&snap);
                    let prepared = crate::compare::PreparedSource::new(&p);
                    judged.push((label.clone(), true, judge.source(&c.claim, &prepared, cid)));
                }
                None => unreadable.push(format!("{label}: source unreadable")),
            }
        }
    }
    let mut result = crate::judge::combine(&c.claim, judged, unreadable);
    if let Some((_, Some(archived))) = page {
        result
            .reasons
            .push(format!("verified against an archived copy: {archived}"));
    }
    if matches!(class, ChangeClass::Retracted | ChangeClass::Corrected) {
        result
            .reasons
            .push(format!("the source now carries a notice: {why}"));
    }
    Ok(result)
}
