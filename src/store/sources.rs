//! What `recheck` reads, leases and writes: sources due, leases with expiry (`SKIP LOCKED`
//! on PostgreSQL), per-host politeness kept in the database, the last good snapshot of a
//! source, its failures, and the claims that cite it.

use super::{Dialect, Row, Stmt, Store, StoreError};
use crate::model::{Claim, ClaimKind};
use crate::recheck::Snapshot;

/// Which sources a recheck looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only sources whose `next_due_at` has passed.
    pub due_only: bool,
    /// Only sources cited by this document (its path as recorded).
    pub document: Option<String>,
    /// Only sources first recorded at or after this instant.
    pub since: Option<i64>,
}

/// A leased source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub url: String,
    pub host: String,
    /// `next_due_at` when leased: with the URL, the idempotency key of this check.
    pub due_at: i64,
    pub published: Option<String>,
    pub first_seen_at: i64,
}

const RETURNING: &str = "RETURNING url, host, next_due_at, published, first_seen_at";

fn source_row(r: &Row) -> SourceRow {
    SourceRow {
        url: r.text(0),
        host: r.text(1),
        due_at: r.int(2),
        published: r.opt_text(3),
        first_seen_at: r.int(4),
    }
}

/// The URLs a non-worker recheck goes through, hosts interleaved (by the spread key), so
/// the sources rechecked at the same time are on different hosts.
pub async fn list(store: &dyn Store, filter: &Filter, now: i64) -> Result<Vec<String>, StoreError> {
    let rows = store
        .query(
            "SELECT url FROM sources WHERE ($1 = 0 OR next_due_at <= $2) \
             AND ($3 = '' OR url IN (SELECT source_url FROM citations WHERE document_path = $3)) \
             AND first_seen_at >= $4 ORDER BY spread, url",
            &[
                i64::from(filter.due_only).into(),
                now.into(),
                filter.document.clone().unwrap_or_default().into(),
                filter.since.unwrap_or(i64::MIN).into(),
            ],
        )
        .await?;
    Ok(rows.iter().map(|r| r.text(0)).collect())
}

/// Leases one source for `owner`, taking it over from anyone else (a single recheck process
/// owns the whole store; its late results would be discarded by the lease check).
pub async fn lease_one(
    store: &dyn Store,
    url: &str,
    owner: &str,
    lease_until: i64,
) -> Result<Option<SourceRow>, StoreError> {
    let sql =
        format!("UPDATE sources SET lease_owner = $1, lease_until = $2 WHERE url = $3 {RETURNING}");
    let rows = store
        .query(&sql, &[owner.into(), lease_until.into(), url.into()])
        .await?;
    Ok(rows.first().map(source_row))
}

/// Leases up to `n` due sources nobody holds (or whose lease expired before `wall_now`), for
/// a worker. On PostgreSQL rows other workers are leasing right now are skipped, not waited
/// for (`FOR UPDATE SKIP LOCKED`); on SQLite the statement is atomic by itself.
pub async fn lease_due(
    store: &dyn Store,
    owner: &str,
    n: usize,
    lease_until: i64,
    wall_now: i64,
    filter: &Filter,
    now: i64,
) -> Result<Vec<SourceRow>, StoreError> {
    let lock = match store.dialect() {
        Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let sql = format!(
        "UPDATE sources SET lease_owner = $1, lease_until = $2 WHERE url IN (\
         SELECT url FROM sources WHERE next_due_at <= $3 \
         AND (lease_owner IS NULL OR lease_until < $4) \
         AND ($5 = '' OR url IN (SELECT source_url FROM citations WHERE document_path = $5)) \
         AND first_seen_at >= $6 ORDER BY next_due_at, spread, url LIMIT $7 {lock}) {RETURNING}"
    );
    let rows = store
        .query(
            &sql,
            &[
                owner.into(),
                lease_until.into(),
                now.into(),
                wall_now.into(),
                filter.document.clone().unwrap_or_default().into(),
                filter.since.unwrap_or(i64::MIN).into(),
                n.into(),
            ],
        )
        .await?;
    Ok(rows.iter().map(source_row).collect())
}

/// Extends `owner`'s lease on `url` just before the work starts; `false` when the lease was
/// taken over meanwhile (the source is then someone else's).
pub async fn renew(
    store: &dyn Store,
    url: &str,
    owner: &str,
    lease_until: i64,
) -> Result<bool, StoreError> {
    store
        .batch(&[Stmt::new(
            "UPDATE sources SET lease_until = $3 WHERE url = $1 AND lease_owner = $2",
            vec![url.into(), owner.into(), lease_until.into()],
        )
        .guarded()])
        .await
}

/// Due sources other workers hold right now (their work may still come back to the queue).
pub async fn leased_elsewhere(
    store: &dyn Store,
    owner: &str,
    wall_now: i64,
    now: i64,
) -> Result<i64, StoreError> {
    let rows = store
        .query(
            "SELECT COUNT(*) FROM sources WHERE next_due_at <= $1 AND lease_owner IS NOT NULL \
             AND lease_owner <> $2 AND lease_until >= $3",
            &[now.into(), owner.into(), wall_now.into()],
        )
        .await?;
    Ok(rows.first().map_or(0, |r| r.int(0)))
}

/// Tries to take the host for one request: succeeds when its `next_allowed_at` has passed,
/// and holds it until `hold_until` (the request's timeout). Returns when it may be tried again
/// otherwise.
pub async fn claim_host(
    store: &dyn Store,
    host: &str,
    wall_now: i64,
    hold_until: i64,
) -> Result<Result<(), i64>, StoreError> {
    let ok = store
        .batch(&[
            Stmt::new(
                "INSERT INTO hosts (host, next_allowed_at) VALUES ($1, 0) ON CONFLICT (host) DO NOTHING",
                vec![host.into()],
            ),
            Stmt::new(
                "UPDATE hosts SET next_allowed_at = $2 WHERE host = $1 AND next_allowed_at <= $3",
                vec![host.into(), hold_until.into(), wall_now.into()],
            )
            .guarded(),
        ])
        .await?;
    if ok {
        return Ok(Ok(()));
    }
    let rows = store
        .query(
            "SELECT next_allowed_at FROM hosts WHERE host = $1",
            &[host.into()],
        )
        .await?;
    Ok(Err(rows.first().map_or(wall_now, |r| r.int(0))))
}

/// Releases the host after a request: the next one may start at `next_allowed_at`.
pub async fn release_host(
    store: &dyn Store,
    host: &str,
    next_allowed_at: i64,
) -> Result<(), StoreError> {
    store
        .batch(&[Stmt::new(
            "UPDATE hosts SET next_allowed_at = $2 WHERE host = $1",
            vec![host.into(), next_allowed_at.into()],
        )])
        .await?;
    Ok(())
}

/// The last good reading of a source (not an error page or wall), with its publish date.
pub async fn baseline(
    store: &dyn Store,
    url: &str,
) -> Result<Option<(Snapshot, Option<String>)>, StoreError> {
    let rows = store
        .query(
            "SELECT final_url, title, body, published FROM snapshots WHERE source_url = $1 \
             AND outcome = 'ok' AND (class IS NULL OR class NOT IN ('soft_404', 'blocked')) \
             ORDER BY fetched_at DESC, id DESC LIMIT 1",
            &[url.into()],
        )
        .await?;
    Ok(rows.first().map(|r| {
        (
            Snapshot {
                url: url.to_string(),
                final_url: r.text(0),
                title: r.text(1),
                text: r.text(2),
            },
            r.opt_text(3),
        )
    }))
}

/// When the source was found gone (404/410, no host) since it was last read.
pub async fn gone_times(store: &dyn Store, url: &str) -> Result<Vec<i64>, StoreError> {
    let rows = store
        .query(
            "SELECT fetched_at FROM snapshots WHERE source_url = $1 AND outcome = 'gone' \
             AND fetched_at > COALESCE((SELECT MAX(fetched_at) FROM snapshots \
             WHERE source_url = $1 AND outcome = 'ok'), -1)",
            &[url.into()],
        )
        .await?;
    Ok(rows.iter().map(|r| r.int(0)).collect())
}

/// A claim citing a source, with what is needed to judge it again.
#[derive(Debug, Clone, PartialEq)]
pub struct CitingClaim {
    pub document: String,
    pub claim: Claim,
    /// The citations of this claim: (id, label, source URL when it has one).
    pub citations: Vec<(String, String, Option<String>)>,
    /// The last recorded verdict and score.
    pub verdict: Option<(String, f64)>,
}

/// Every claim that cites `url` through one of its citations.
pub async fn citing_claims(store: &dyn Store, url: &str) -> Result<Vec<CitingClaim>, StoreError> {
    let docs = store
        .query(
            "SELECT DISTINCT document_path FROM citations WHERE source_url = $1 ORDER BY document_path",
            &[url.into()],
        )
        .await?;
    let mut out = Vec::new();
    for d in docs {
        let path = d.text(0);
        let cits: Vec<(String, String, Option<String>)> = store
            .query(
                "SELECT cid, COALESCE(outlet, url, cid), source_url FROM citations WHERE document_path = $1",
                &[path.clone().into()],
            )
            .await?
            .iter()
            .map(|r| (r.text(0), r.text(1), r.opt_text(2)))
            .collect();
        let here: Vec<&str> = cits
            .iter()
            .filter(|c| c.2.as_deref() == Some(url))
            .map(|c| c.0.as_str())
            .collect();
        let claims = store
            .query(
                "SELECT kid, kind, text, line, col, cited FROM claims WHERE document_path = $1 ORDER BY line, col",
                &[path.clone().into()],
            )
            .await?;
        for k in claims {
            let cited: Vec<String> = serde_json::from_str(&k.text(5)).unwrap_or_default();
            if !cited.iter().any(|c| here.contains(&c.as_str())) {
                continue;
            }
            let kind = match k.text(1).as_str() {
                "title" => ClaimKind::Title,
                "quote" => ClaimKind::Quote,
                _ => ClaimKind::Statement,
            };
            let claim = Claim {
                id: k.text(0),
                kind,
                text: k.text(2),
                line: usize::try_from(k.int(3)).unwrap_or(0),
                column: usize::try_from(k.int(4)).unwrap_or(0),
                cited: cited.clone(),
                binding: None,
            };
            let verdict = store
                .query(
                    "SELECT verdict, score FROM verdicts WHERE document_path = $1 AND kid = $2 \
                     ORDER BY at DESC, id DESC LIMIT 1",
                    &[path.clone().into(), claim.id.clone().into()],
                )
                .await?
                .first()
                .map(|r| (r.text(0), r.real(1)));
            out.push(CitingClaim {
                document: path.clone(),
                citations: cits
                    .iter()
                    .filter(|c| cited.contains(&c.0))
                    .cloned()
                    .collect(),
                claim,
                verdict,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{open, Value};

    async fn store_with(urls: &[&str]) -> (tempfile::TempDir, std::sync::Arc<dyn Store>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.sqlite");
        let store = open(path.to_str().expect("utf-8 path"), 1)
            .await
            .expect("open store");
        let stmts: Vec<Stmt> = urls
            .iter()
            .map(|u| {
                Stmt::new(
                    "INSERT INTO sources (url, host, state, first_seen_at, last_checked_at, \
                     next_due_at) VALUES ($1, $2, 'live', 0, 0, 10)",
                    vec![Value::from(*u), crate::store::host_of(u).into()],
                )
            })
            .collect();
        store.batch(&stmts).await.expect("seed");
        (dir, store)
    }

    #[tokio::test]
    async fn leases_are_exclusive_until_they_expire() {
        let (_dir, store) =
            store_with(&["http://a.test/1", "http://a.test/2", "http://b.test/1"]).await;
        let s = store.as_ref();
        let f = Filter::default();
        // Not due yet.
        assert!(lease_due(s, "w1", 10, 1_000, 0, &f, 5)
            .await
            .unwrap()
            .is_empty());
        let got = lease_due(s, "w1", 2, 1_000, 0, &f, 10).await.unwrap();
        assert_eq!(got.len(), 2);
        let rest = lease_due(s, "w2", 10, 1_000, 0, &f, 10).await.unwrap();
        assert_eq!(rest.len(), 1, "w1's leases are skipped");
        assert!(lease_due(s, "w3", 10, 1_000, 500, &f, 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(leased_elsewhere(s, "w3", 500, 10).await.unwrap(), 3);
        // After expiry another worker takes them over, and the first can no longer renew.
        let taken = lease_due(s, "w3", 10, 5_000, 2_000, &f, 10).await.unwrap();
        assert_eq!(taken.len(), 3);
        assert!(!renew(s, &got[0].url, "w1", 9_000).await.unwrap());
        assert!(renew(s, &got[0].url, "w3", 9_000).await.unwrap());
    }

    #[tokio::test]
    async fn a_host_is_held_then_spaced() {
        let (_dir, store) = store_with(&[]).await;
        let s = store.as_ref();
        assert_eq!(claim_host(s, "a.test", 100, 10_000).await.unwrap(), Ok(()));
        // Held while the request runs.
        assert_eq!(
            claim_host(s, "a.test", 150, 10_000).await.unwrap(),
            Err(10_000)
        );
        // Other hosts are free.
        assert_eq!(claim_host(s, "b.test", 150, 10_000).await.unwrap(), Ok(()));
        release_host(s, "a.test", 300).await.unwrap();
        assert_eq!(
            claim_host(s, "a.test", 299, 10_000).await.unwrap(),
            Err(300)
        );
        assert_eq!(claim_host(s, "a.test", 300, 10_000).await.unwrap(), Ok(()));
    }
}
