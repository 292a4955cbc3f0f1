//! What `check --store` writes: a run with a state, and per document (in one transaction)
//! the document, its citations and resolved sources, the fetched snapshots, the claims and
//! verdicts, and the search queries and results that led to each source.
//!
//! The fetches and searches are seen through [`RecordingFetcher`] and [`RecordingProvider`],
//! thin wrappers around the verifier's own edges, so the pipeline itself is unchanged.

use super::{content_hash, host_of, Stmt, Store, StoreError, Value};
use crate::cite::registry::OutletRegistry;
use crate::fetch::{FetchError, FetchedPage, Fetcher};
use crate::model::{Candidate, CitationStatus, DocumentResult};
use crate::recheck::{failure_of, Failure};
use crate::search::{SearchError, SearchProvider, SearchQuery};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A clock: tests pass a fixed one, the CLI the wall clock.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The wall clock, or a fixed instant when `fixed` is set.
pub fn clock(fixed: Option<i64>) -> Clock {
    match fixed {
        Some(t) => Arc::new(move || t),
        None => Arc::new(super::time::now_ms),
    }
}

/// One fetch as the recorder saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchRecord {
    pub url: String,
    pub final_url: String,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub fetched_at: i64,
    /// The error, when the fetch failed.
    pub error: Option<String>,
    pub failure: Option<Failure>,
}

impl FetchRecord {
    pub fn of(url: &str, result: &Result<FetchedPage, FetchError>, at: i64) -> FetchRecord {
        match result {
            Ok(p) => FetchRecord {
                url: url.to_string(),
                final_url: if p.final_url.is_empty() {
                    url.to_string()
                } else {
                    p.final_url.clone()
                },
                status: Some(p.status),
                content_type: p.content_type.clone(),
                etag: p.etag.clone(),
                last_modified: p.last_modified.clone(),
                fetched_at: at,
                error: None,
                failure: None,
            },
            Err(e) => FetchRecord {
                url: url.to_string(),
                final_url: url.to_string(),
                status: match e {
                    FetchError::Status { status, .. } => Some(*status),
                    _ => None,
                },
                content_type: None,
                etag: None,
                last_modified: None,
                fetched_at: at,
                error: Some(e.to_string()),
                failure: Some(failure_of(e)),
            },
        }
    }
}

/// Search results by (provider, query text, domains).
pub type SearchLog = HashMap<(String, String, Vec<String>), Vec<Candidate>>;

/// What the wrappers saw since the last [`Captured::take`].
#[derive(Default)]
pub struct Captured {
    /// By requested URL and by final URL.
    fetches: Mutex<HashMap<String, FetchRecord>>,
    /// By (provider, query text, domains).
    searches: Mutex<SearchLog>,
}

/// The fetches and searches of one document.
#[derive(Debug, Default, Clone)]
pub struct Capture {
    pub fetches: HashMap<String, FetchRecord>,
    pub searches: SearchLog,
}

impl Captured {
    /// Everything seen so far, clearing it (documents are verified one after another).
    pub fn take(&self) -> Capture {
        Capture {
            fetches: std::mem::take(&mut *self.fetches.lock().expect("capture lock")),
            searches: std::mem::take(&mut *self.searches.lock().expect("capture lock")),
        }
    }
}

/// A fetcher that notes every fetch (status, final URL, content type, time, error).
pub struct RecordingFetcher {
    pub inner: Arc<dyn Fetcher>,
    pub captured: Arc<Captured>,
    pub clock: Clock,
}

#[async_trait]
impl Fetcher for RecordingFetcher {
    async fn get(&self, url: &str) -> Result<FetchedPage, FetchError> {
        let result = self.inner.get(url).await;
        let record = FetchRecord::of(url, &result, (self.clock)());
        let mut map = self.captured.fetches.lock().expect("capture lock");
        map.insert(record.final_url.clone(), record.clone());
        map.insert(url.to_string(), record);
        drop(map);
        result
    }
}

/// A search provider that notes every query and its results.
pub struct RecordingProvider {
    pub inner: Arc<dyn SearchProvider>,
    pub captured: Arc<Captured>,
}

#[async_trait]
impl SearchProvider for RecordingProvider {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn search(&self, query: &SearchQuery) -> Result<Vec<Candidate>, SearchError> {
        let result = self.inner.search(query).await;
        if let Ok(found) = &result {
            self.captured.searches.lock().expect("capture lock").insert(
                (
                    self.inner.name().to_string(),
                    query.text.clone(),
                    query.domains.clone(),
                ),
                found.clone(),
            );
        }
        result
    }
}

/// A run as begun: new, or an unfinished one with the same inputs picked up again.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStart {
    pub id: i64,
    pub resumed: bool,
    /// Results of the documents an interrupted run had already committed, by path.
    pub done: HashMap<String, DocumentResult>,
}

/// Begins a `kind` run over `items`, or resumes the newest unfinished run of the same kind
/// over the same items.
pub async fn begin_run(
    store: &dyn Store,
    kind: &str,
    items: &[String],
    owner: &str,
    now: i64,
) -> Result<RunStart, StoreError> {
    let key = serde_json::to_string(items).unwrap_or_default();
    // Another process may begin the same run at the same moment: the unique index on running
    // runs lets one insert win, and the other resumes it.
    for _ in 0..2 {
        if let Some(resumed) = open_run(store, kind, &key).await? {
            return Ok(resumed);
        }
        let inserted = store
            .query(
                "INSERT INTO runs (kind, run_key, state, owner, started_at) \
                 VALUES ($1, $2, 'running', $3, $4) \
                 ON CONFLICT (kind, run_key) WHERE state = 'running' DO NOTHING RETURNING id",
                &[kind.into(), key.clone().into(), owner.into(), now.into()],
            )
            .await?;
        let Some(id) = inserted.first().map(|r| r.int(0)) else {
            continue;
        };
        let stmts: Vec<Stmt> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                Stmt::new(
                    "INSERT INTO run_items (run_id, seq, item, state) \
                     VALUES ($1, $2, $3, 'pending') ON CONFLICT (run_id, item) DO NOTHING",
                    vec![id.into(), i.into(), crate::document::path_key(item).into()],
                )
            })
            .collect();
        store.batch(&stmts).await?;
        return Ok(RunStart {
            id,
            resumed: false,
            done: HashMap::new(),
        });
    }
    Err(StoreError::Query {
        location: store.location().to_string(),
        message: format!("could not begin or resume a {kind} run"),
    })
}

/// The newest unfinished run of `kind` over `key`, with what it already recorded.
async fn open_run(
    store: &dyn Store,
    kind: &str,
    key: &str,
) -> Result<Option<RunStart>, StoreError> {
    let open = store
        .query(
            "SELECT id FROM runs WHERE kind = $1 AND run_key = $2 AND state = 'running' \
             ORDER BY id DESC LIMIT 1",
            &[kind.into(), key.into()],
        )
        .await?;
    let Some(row) = open.first() else {
        return Ok(None);
    };
    let id = row.int(0);
    let rows = store
        .query(
            "SELECT item, result FROM run_items WHERE run_id = $1 AND state = 'done'",
            &[id.into()],
        )
        .await?;
    let done = rows
        .iter()
        .filter_map(|r| {
            let result: DocumentResult = serde_json::from_str(&r.text(1)).ok()?;
            Some((r.text(0), result))
        })
        .collect();
    Ok(Some(RunStart {
        id,
        resumed: true,
        done,
    }))
}

/// What [`lease_document`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentLease {
    /// This process holds the document until the lease's end: verify it.
    Taken,
    /// Another process recorded it already: its result.
    Done(Box<DocumentResult>),
    /// Another live process holds it.
    Held { owner: String, until: i64 },
}

/// Who asks for a lease, when, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    pub owner: &'a str,
    pub now: i64,
    pub lease_ms: i64,
}

/// Takes the lease on document `item` (the `seq`-th input) of run `run` for `lease.owner` until
/// `lease.now + lease.lease_ms`: when nobody holds it, its holder's lease ran out, its holder is `owner`,
/// or `holder_is_gone` says its holder's process is dead. A document already recorded is
/// given back instead; one held by a live process is reported as held.
pub async fn lease_document(
    store: &dyn Store,
    run: i64,
    seq: usize,
    item: &str,
    lease: &Lease<'_>,
    holder_is_gone: &(dyn Fn(&str) -> bool + Sync),
) -> Result<DocumentLease, StoreError> {
    let Lease {
        owner,
        now,
        lease_ms,
    } = *lease;
    let item = crate::document::path_key(item);
    let until = now.saturating_add(lease_ms);
    let taken = store
        .query(
            "INSERT INTO run_items (run_id, seq, item, state, lease_owner, lease_until) \
             VALUES ($1, $2, $3, 'pending', $4, $5) ON CONFLICT (run_id, item) DO UPDATE SET \
             lease_owner = excluded.lease_owner, lease_until = excluded.lease_until \
             WHERE run_items.state = 'pending' AND (run_items.lease_owner IS NULL \
             OR run_items.lease_owner = excluded.lease_owner OR run_items.lease_until < $6) \
             RETURNING item",
            &[
                run.into(),
                seq.into(),
                item.clone().into(),
                owner.into(),
                until.into(),
                now.into(),
            ],
        )
        .await?;
    if !taken.is_empty() {
        return Ok(DocumentLease::Taken);
    }
    let rows = store
        .query(
            "SELECT state, result, lease_owner, lease_until FROM run_items \
             WHERE run_id = $1 AND item = $2",
            &[run.into(), item.clone().into()],
        )
        .await?;
    let Some(row) = rows.first() else {
        return Ok(DocumentLease::Taken);
    };
    if row.text(0) == "done" {
        if let Some(result) = row
            .opt_text(1)
            .and_then(|t| serde_json::from_str::<DocumentResult>(&t).ok())
        {
            return Ok(DocumentLease::Done(Box::new(result)));
        }
        return Ok(DocumentLease::Taken);
    }
    let holder = row.opt_text(2).unwrap_or_default();
    if holder_is_gone(&holder) {
        let taken = store
            .query(
                "UPDATE run_items SET lease_owner = $3, lease_until = $4 \
                 WHERE run_id = $1 AND item = $2 AND state = 'pending' AND lease_owner = $5 \
                 RETURNING item",
                &[
                    run.into(),
                    item.into(),
                    owner.into(),
                    until.into(),
                    holder.clone().into(),
                ],
            )
            .await?;
        if !taken.is_empty() {
            return Ok(DocumentLease::Taken);
        }
    }
    Ok(DocumentLease::Held {
        owner: holder,
        until: row.opt_int(3).unwrap_or(0),
    })
}

/// Marks a run finished.
pub async fn finish_run(store: &dyn Store, run: i64, now: i64) -> Result<(), StoreError> {
    store
        .batch(&[Stmt::new(
            "UPDATE runs SET state = 'finished', finished_at = $2 WHERE id = $1",
            vec![run.into(), now.into()],
        )])
        .await?;
    Ok(())
}

/// When recorded sources are next due for a recheck.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DuePolicy {
    /// After a successful read.
    pub live_ms: i64,
    /// After a failure.
    pub failing_ms: i64,
}

/// Writes one checked document in one transaction: nothing of it is visible until all of it is.
#[expect(clippy::too_many_arguments, reason = "plain inputs of one transaction")]
pub async fn save_document(
    store: &dyn Store,
    run: i64,
    registry: &OutletRegistry,
    source_text: &str,
    result: &DocumentResult,
    capture: &Capture,
    due: DuePolicy,
    now: i64,
) -> Result<(), StoreError> {
    let key = crate::document::path_key(&result.path);
    let path = key.as_str();
    let mut s: Vec<Stmt> = Vec::new();
    s.push(Stmt::new(
        "INSERT INTO documents (path, title, content_hash, first_checked_at, last_checked_at, \
         last_run_id) VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (path) DO UPDATE SET \
         title = excluded.title, content_hash = excluded.content_hash, \
         last_checked_at = excluded.last_checked_at, last_run_id = excluded.last_run_id",
        vec![
            path.into(),
            result.title.clone().into(),
            content_hash("", source_text).into(),
            now.into(),
            run.into(),
        ],
    ));
    s.push(Stmt::new(
        "DELETE FROM citations WHERE document_path = $1",
        vec![path.into()],
    ));
    s.push(Stmt::new(
        "DELETE FROM claims WHERE document_path = $1",
        vec![path.into()],
    ));
    let check_key = format!("run:{run}");
    for c in &result.citations {
        let res = result.resolutions.iter().find(|r| r.citation_id == c.id);
        let status = res.map_or(CitationStatus::NotFound, |r| r.status);
        let source_url = res
            .and_then(|r| r.chosen.as_ref().map(|ch| ch.url.clone()))
            .filter(|u| !u.is_empty())
            .or_else(|| {
                (status != CitationStatus::NotFound)
                    .then(|| c.url.clone())
                    .flatten()
            });
        s.push(Stmt::new(
            "INSERT INTO citations (document_path, cid, kind, outlet, headline, url, cited_date, \
             line, col, status, source_url, detail, run_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            vec![
                path.into(),
                c.id.clone().into(),
                enum_str(&c.kind).into(),
                c.outlet
                    .clone()
                    .or_else(|| c.registry_outlet.clone())
                    .into(),
                c.headline.clone().into(),
                c.url.clone().into(),
                c.date.clone().into(),
                c.line.into(),
                c.column.into(),
                enum_str(&status).into(),
                source_url.clone().into(),
                res.and_then(|r| r.detail.clone()).into(),
                run.into(),
            ],
        ));
        // The search queries this citation asked, as `resolve` builds them, with what came back.
        let outlet = c
            .registry_outlet
            .as_deref()
            .and_then(|n| registry.lookup(n))
            .or_else(|| c.outlet.as_deref().and_then(|n| registry.lookup(n)));
        let context = result
            .claims
            .iter()
            .find(|k| k.claim.cited.contains(&c.id))
            .map(|k| k.claim.text.clone())
            .unwrap_or_default();
        let queries = crate::resolve::queries_for(c, outlet, &context);
        let mut seq = 0usize;
        for q in &queries {
            for ((provider, text, domains), found) in &capture.searches {
                if *text != q.text || *domains != q.domains {
                    continue;
                }
                s.push(Stmt::new(
                    "INSERT INTO searches (document_path, cid, run_id, seq, provider, query, \
                     domains, results) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT DO NOTHING",
                    vec![
                        path.into(),
                        c.id.clone().into(),
                        run.into(),
                        seq.into(),
                        provider.into(),
                        text.into(),
                        domains.join(",").into(),
                        serde_json::to_string(found).unwrap_or_default().into(),
                    ],
                ));
                seq += 1;
            }
        }
        let Some(url) = source_url else { continue };
        let page = res.and_then(|r| r.page.as_ref());
        let fetch = page
            .and_then(|p| capture.fetches.get(&p.url))
            .or_else(|| capture.fetches.get(&url))
            .or_else(|| c.url.as_ref().and_then(|u| capture.fetches.get(u)));
        let ok = status == CitationStatus::Found && page.is_some();
        let failing = !ok;
        s.push(Stmt::new(
            "INSERT INTO sources (url, host, state, first_seen_at, last_checked_at, next_due_at, \
             published, spread) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) ON CONFLICT (url) DO UPDATE SET \
             last_checked_at = excluded.last_checked_at, \
             published = COALESCE(sources.published, excluded.published)",
            vec![
                url.clone().into(),
                host_of(&url).into(),
                if failing { "failing" } else { "live" }.into(),
                now.into(),
                (now + if failing { due.failing_ms } else { due.live_ms }).into(),
                page.and_then(|p| p.published.clone())
                    .or_else(|| c.date.clone())
                    .into(),
                super::spread_of(&url).into(),
            ],
        ));
        let (title, text) = page
            .map(|p| (p.title.clone().unwrap_or_default(), p.text()))
            .unwrap_or_default();
        let outcome = if ok {
            "ok".to_string()
        } else {
            fetch
                .and_then(|f| f.failure)
                .map_or("error", Failure::as_str)
                .to_string()
        };
        s.push(Stmt::new(
            "INSERT INTO snapshots (source_url, check_key, run_id, fetched_at, outcome, status, \
             final_url, content_type, content_hash, title, body, published, error, etag, \
             last_modified) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (source_url, check_key) DO NOTHING",
            vec![
                url.clone().into(),
                check_key.clone().into(),
                run.into(),
                fetch.map_or(now, |f| f.fetched_at).into(),
                outcome.into(),
                fetch.and_then(|f| f.status).map(i64::from).into(),
                fetch
                    .map(|f| f.final_url.clone())
                    .or_else(|| page.map(|p| p.url.clone()))
                    .into(),
                fetch.and_then(|f| f.content_type.clone()).into(),
                ok.then(|| content_hash(&title, &text)).into(),
                ok.then_some(title).into(),
                ok.then_some(text).into(),
                page.and_then(|p| p.published.clone()).into(),
                if ok {
                    Value::Null
                } else {
                    res.and_then(|r| r.detail.clone())
                        .or_else(|| fetch.and_then(|f| f.error.clone()))
                        .into()
                },
                fetch.and_then(|f| f.etag.clone()).into(),
                fetch.and_then(|f| f.last_modified.clone()).into(),
            ],
        ));
    }
    for k in &result.claims {
        s.push(Stmt::new(
            "INSERT INTO claims (document_path, kid, kind, text, line, col, cited) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                path.into(),
                k.claim.id.clone().into(),
                enum_str(&k.claim.kind).into(),
                k.claim.text.clone().into(),
                k.claim.line.into(),
                k.claim.column.into(),
                serde_json::to_string(&k.claim.cited)
                    .unwrap_or_default()
                    .into(),
            ],
        ));
        s.push(verdict_stmt(path, &k.claim.id, run, now, k, None));
    }
    // Last, and guarded: when another process sharing the run recorded this document first,
    // the whole transaction is abandoned, so no row is written twice.
    s.push(
        Stmt::new(
            "INSERT INTO run_items (run_id, seq, item, state, result) \
             VALUES ($1, 0, $2, 'done', $3) ON CONFLICT (run_id, item) DO UPDATE SET \
             state = 'done', result = excluded.result \
             WHERE run_items.state <> 'done'",
            vec![
                run.into(),
                path.into(),
                serde_json::to_string(result).unwrap_or_default().into(),
            ],
        )
        .guarded(),
    );
    store.batch(&s).await?;
    Ok(())
}

/// The statement recording a claim's verdict in a run (idempotent per run).
pub fn verdict_stmt(
    path: &str,
    kid: &str,
    run: i64,
    now: i64,
    k: &crate::model::ClaimResult,
    archived_url: Option<&str>,
) -> Stmt {
    Stmt::new(
        "INSERT INTO verdicts (document_path, kid, run_id, at, verdict, score, reasons, evidence, \
         archived_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (document_path, kid, run_id) DO UPDATE SET verdict = excluded.verdict, \
         score = excluded.score, reasons = excluded.reasons, evidence = excluded.evidence, \
         archived_url = excluded.archived_url, at = excluded.at",
        vec![
            path.into(),
            kid.into(),
            run.into(),
            now.into(),
            k.verdict.as_str().into(),
            k.score.into(),
            serde_json::to_string(&k.reasons).unwrap_or_default().into(),
            serde_json::to_string(&k.evidence)
                .unwrap_or_default()
                .into(),
            archived_url.map(str::to_string).into(),
        ],
    )
}

/// The wire name of a serde enum (`source_line`, `found`).
pub fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
