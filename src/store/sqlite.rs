//! The embedded backend: one SQLite file in WAL mode. Every [`Store::batch`] is one
//! `BEGIN IMMEDIATE` transaction, so a process killed mid-run leaves the file as it was after
//! the last committed document, and readers (another `history`) never block the writer.

use super::{Dialect, Row, Stmt, Store, StoreError, Value};
use async_trait::async_trait;
use regex::Regex;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// How long a statement waits for a lock another process holds before it fails: long enough
/// for another run's write (one document, milliseconds), short enough to say so within a
/// minute when a process holds the file (`store.busy_timeout_secs`).
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A SQLite store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    location: String,
    busy_timeout: Duration,
}

/// SQLite's error as a store error: [`StoreError::Locked`], saying what the lock means and
/// what to do, when it is one ("database is locked", "database table is locked", "database is
/// busy"); else `other` with SQLite's message.
fn classify(
    location: &str,
    e: impl std::fmt::Display,
    waited: Duration,
    other: impl FnOnce(String) -> StoreError,
) -> StoreError {
    let message = e.to_string();
    if message.contains("is locked") || message.contains("is busy") {
        StoreError::Locked {
            location: location.to_string(),
            message: format!(
                "{message}: another process holds a lock on the file (waited {} s, \
                 store.busy_timeout_secs); run again when it has finished",
                waited.as_secs_f64()
            ),
        }
    } else {
        other(message)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Int(v) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*v)),
            Value::Text(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
        })
    }
}

/// `$1` (PostgreSQL) to `?1` (SQLite): the numbered forms mean the same in both.
fn placeholders(sql: &str) -> String {
    static DOLLAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\$(\d+)").expect("placeholder pattern is valid"));
    DOLLAR.replace_all(sql, "?$1").into_owned()
}

/// Why the store's folder cannot take the files SQLite writes beside the store (`-wal`,
/// `-shm`), as a clause for an error message; empty when it can.
fn folder_problem(path: &Path) -> String {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let probe = dir.join(format!(".citecheck-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            String::new()
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => format!(" (its folder {} cannot be written: {e})", dir.display()),
    }
}

impl SqliteStore {
    /// Opens or creates the file (and its folder) and switches it to WAL mode, waiting up to
    /// [`DEFAULT_BUSY_TIMEOUT`] for a lock another process holds.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_waiting(path, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`SqliteStore::open`], waiting up to `busy_timeout` for another process's lock before a
    /// statement fails as [`locked`].
    pub fn open_waiting(path: &Path, busy_timeout: Duration) -> Result<SqliteStore, StoreError> {
        let location = path.display().to_string();
        let err = |e: &dyn std::fmt::Display| StoreError::Open {
            location: location.clone(),
            message: format!("{e}{}", folder_problem(path)),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| err(&e))?;
        }
        let conn = Connection::open(path).map_err(|e| err(&e))?;
        conn.busy_timeout(busy_timeout).map_err(|e| err(&e))?;
        // WAL: a crash never corrupts committed data and readers do not block the writer;
        // synchronous=NORMAL is crash-safe in WAL mode (only power loss can drop the very
        // last commits).
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| classify(&location, e, busy_timeout, |m| err(&m)))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(err(&format!("cannot switch to WAL mode (got {mode})")));
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL;")
            .map_err(|e| err(&e))?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            location,
            busy_timeout,
        })
    }

    /// Opens an existing file for reading only, never writing to it or beside it: on a
    /// read-only folder, where the WAL's `-shm` file cannot be made, as an immutable file.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, StoreError> {
        use rusqlite::OpenFlags;
        let location = path.display().to_string();
        let err = |e: &dyn std::fmt::Display| StoreError::Open {
            location: location.clone(),
            message: e.to_string(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let readable = |conn: &Connection| {
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
        };
        let conn = match Connection::open_with_flags(path, flags) {
            Ok(conn) if readable(&conn).is_ok() => conn,
            _ => {
                let uri = url::Url::from_file_path(std::path::absolute(path).map_err(|e| err(&e))?)
                    .map_err(|()| err(&"not a file path"))?;
                let conn = Connection::open_with_flags(
                    format!("{uri}?immutable=1"),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(|e| err(&e))?;
                readable(&conn).map_err(|e| err(&e))?;
                conn
            }
        };
        conn.busy_timeout(DEFAULT_BUSY_TIMEOUT)
            .map_err(|e| err(&e))?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            location,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        })
    }

    fn fail(&self, e: impl std::fmt::Display) -> StoreError {
        classify(&self.location, e, self.busy_timeout, |message| {
            StoreError::Query {
                location: self.location.clone(),
                message,
            }
        })
    }
}

fn read_row(row: &rusqlite::Row<'_>, n: usize) -> rusqlite::Result<Row> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(match row.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Int(v),
            ValueRef::Real(v) => Value::Real(v),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Value::Text(String::from_utf8_lossy(t).into_owned())
            }
        });
    }
    Ok(Row(out))
}

#[async_trait]
impl Store for SqliteStore {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn location(&self) -> &str {
        &self.location
    }

    async fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let conn = self.conn.lock().map_err(|e| self.fail(e))?;
        let mut stmt = conn
            .prepare_cached(&placeholders(sql))
            .map_err(|e| self.fail(format!("{e} in {sql}")))?;
        let n = stmt.column_count();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                read_row(r, n)
            })
            .map_err(|e| self.fail(e))?;
        rows.collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(|e| self.fail(e))
    }

    async fn batch(&self, stmts: &[Stmt]) -> Result<bool, StoreError> {
        let mut conn = self.conn.lock().map_err(|e| self.fail(e))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail(e))?;
        for s in stmts {
            let changed = {
                let mut stmt = tx
                    .prepare_cached(&placeholders(&s.sql))
                    .map_err(|e| self.fail(format!("{e} in {}", s.sql)))?;
                stmt.execute(rusqlite::params_from_iter(s.params.iter()))
                    .map_err(|e| self.fail(format!("{e} in {}", s.sql)))?
            };
            if s.guard && changed == 0 {
                // Dropping the transaction rolls it back.
                return Ok(false);
            }
        }
        tx.commit().map_err(|e| self.fail(e))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered() {
        assert_eq!(placeholders("a = $1 AND b = $12"), "a = ?1 AND b = ?12");
    }
}
