//! The history store: runs, documents, citations, source snapshots, claims, verdicts, search
//! queries and change events over time, so a later run can be compared claim by claim.
//!
//! [`Store`] is the one trait the rest of the crate sees. It is deliberately small (run a
//! query, run statements in one transaction) so that the two backends, [`SqliteStore`]
//! (embedded, the default) and [`PostgresStore`] (shared by many workers), hold no logic of
//! their own: every operation is written once, over the trait, in `record` (what `check`
//! writes), `sources` (what `recheck` reads, leases and writes) and `history` (timelines).
//! SQL is written once with `$1` placeholders; the few places where the dialects differ
//! (leasing with `SKIP LOCKED`, `GREATEST`) ask [`Store::dialect`].
//!
//! Times are integers: milliseconds since the Unix epoch, always passed in by the caller, so
//! tests can simulate days passing. Only this module writes to disk or to the database.

mod migrate;
mod postgres;
mod sqlite;

pub mod history;
pub mod record;
pub mod sources;
pub mod time;

pub use migrate::{migrations, Migration};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use std::path::PathBuf;
use std::sync::Arc;

/// Which SQL dialect a backend speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value bound to or read from SQL. Only the four types the schema uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One result row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as an integer (0 when null or not a number).
    pub fn int(&self, i: usize) -> i64 {
        match self.0.get(i) {
            Some(Value::Int(v)) => *v,
            Some(Value::Real(v)) => *v as i64,
            Some(Value::Text(t)) => t.parse().unwrap_or(0),
            _ => 0,
        }
    }

    pub fn opt_int(&self, i: usize) -> Option<i64> {
        match self.0.get(i) {
            None | Some(Value::Null) => None,
            _ => Some(self.int(i)),
        }
    }

    pub fn real(&self, i: usize) -> f64 {
        match self.0.get(i) {
            Some(Value::Int(v)) => *v as f64,
            Some(Value::Real(v)) => *v,
            Some(Value::Text(t)) => t.parse().unwrap_or(0.0),
            _ => 0.0,
        }
    }

    /// Column `i` as text (empty when null).
    pub fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }

    pub fn opt_text(&self, i: usize) -> Option<String> {
        match self.0.get(i) {
            Some(Value::Text(t)) => Some(t.clone()),
            Some(Value::Int(v)) => Some(v.to_string()),
            Some(Value::Real(v)) => Some(v.to_string()),
            _ => None,
        }
    }
}

/// One statement of a transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub sql: String,
    pub params: Vec<Value>,
    /// When set and the statement changes no row, the whole transaction is rolled back and
    /// [`Store::batch`] returns `false` (a lost lease, an already-applied migration).
    pub guard: bool,
}

impl Stmt {
    pub fn new(sql: &str, params: Vec<Value>) -> Stmt {
        Stmt {
            sql: sql.to_string(),
            params,
            guard: false,
        }
    }

    /// This statement must change a row, or the transaction is abandoned.
    pub fn guarded(mut self) -> Stmt {
        self.guard = true;
        self
    }
}

/// Why the store could not be used. Each variant names the store (path or URL without
/// password).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("store {location}: cannot open: {message}")]
    Open { location: String, message: String },
    #[error("store {location}: migration {version}: {message}")]
    Migrate {
        location: String,
        version: i64,
        message: String,
    },
    #[error("store {location}: {message}")]
    Query { location: String, message: String },
    /// Another process held a lock on the store past the wait (`store.busy_timeout_secs`):
    /// the store is whole, only busy, so a run can go on unrecorded.
    #[error("store {location}: {message}")]
    Locked { location: String, message: String },
}

/// A place runs are recorded: a query and a transaction, nothing more (see the module doc).
#[async_trait]
pub trait Store: Send + Sync {
    fn dialect(&self) -> Dialect;
    /// The path or URL (password removed) for messages.
    fn location(&self) -> &str;
    /// Runs one statement and returns its rows.
    async fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Runs the statements in one transaction. Returns `false`, having changed nothing, when a
    /// guarded statement changed no row.
    async fn batch(&self, stmts: &[Stmt]) -> Result<bool, StoreError>;
}

/// Where `--store` without a value (and `store.path` unset) keeps the SQLite file:
/// the user data directory's `citecheck/store.sqlite` (`~/.local/share/citecheck/store.sqlite`
/// on Linux), or `./citecheck-store.sqlite` when there is no such directory.
pub fn default_path() -> PathBuf {
    match dirs::data_dir() {
        Some(d) => d.join("citecheck").join("store.sqlite"),
        None => PathBuf::from("citecheck-store.sqlite"),
    }
}

/// Opens (creating and migrating as needed) the store `spec` names: a `postgres://` or
/// `postgresql://` URL, else a SQLite file path. `pool` bounds PostgreSQL connections.
pub async fn open(spec: &str, pool: usize) -> Result<Arc<dyn Store>, StoreError> {
    open_waiting(spec, pool, sqlite::DEFAULT_BUSY_TIMEOUT).await
}

/// [`open`], a SQLite file waiting up to `busy_timeout` for a lock another process holds
/// (PostgreSQL waits for row locks as the server decides).
pub async fn open_waiting(
    spec: &str,
    pool: usize,
    busy_timeout: std::time::Duration,
) -> Result<Arc<dyn Store>, StoreError> {
    let store: Arc<dyn Store> =
        if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
            Arc::new(PostgresStore::connect(spec, pool).await?)
        } else {
            Arc::new(SqliteStore::open_waiting(
                std::path::Path::new(spec),
                busy_timeout,
            )?)
        };
    migrate::apply(store.as_ref()).await?;
    Ok(store)
}

/// Opens an existing store to read history (`history`): a SQLite file read only, never
/// migrated or written (so a store on a read-only folder still answers); PostgreSQL as
/// [`open`].
pub async fn open_for_reading(spec: &str, pool: usize) -> Result<Arc<dyn Store>, StoreError> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        return open(spec, pool).await;
    }
    let path = std::path::Path::new(spec);
    match SqliteStore::open(path) {
        Ok(store) => {
            let store: Arc<dyn Store> = Arc::new(store);
            migrate::apply(store.as_ref()).await?;
            Ok(store)
        }
        // Not writable (a read-only folder or file system): read it as it is.
        Err(_) => Ok(Arc::new(SqliteStore::open_read_only(path)?)),
    }
}

/// The content hash stored with every snapshot: SHA-256 of the extracted title and main text
/// (not the raw HTML, so rotating ads and tokens do not count as changes), hex.
pub fn content_hash(title: &str, text: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(title.as_bytes());
    h.update([0u8]);
    h.update(text.as_bytes());
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// The spread key of a source URL (FNV-1a, 31 bits): leasing in this order interleaves hosts.
pub fn spread_of(url: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    i64::try_from(h >> 33).unwrap_or(0)
}

/// `url`'s host, lower case, for politeness limits; empty when it has none.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable_and_separates_title_from_text() {
        assert_eq!(content_hash("a", "b"), content_hash("a", "b"));
        assert_ne!(content_hash("ab", ""), content_hash("a", "b"));
        assert_eq!(content_hash("", "").len(), 64);
    }

    #[test]
    fn host_of_urls() {
        assert_eq!(host_of("http://News.Example.test/a"), "news.example.test");
        assert_eq!(host_of("not a url"), "");
    }

    #[test]
    fn rows_convert() {
        let r = Row(vec![Value::Int(3), Value::Null, Value::Text("x".into())]);
        assert_eq!(r.int(0), 3);
        assert_eq!(r.opt_int(1), None);
        assert_eq!(r.text(2), "x");
        assert_eq!(r.text(1), "");
    }
}
