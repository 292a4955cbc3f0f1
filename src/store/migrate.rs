//! Versioned schema migrations, embedded in the binary: `migrations/<dialect>/NNNN_name.sql`.
//! Applied versions are recorded in `schema_migrations`; each migration runs in one
//! transaction together with its row there, so a store is never half-migrated. On PostgreSQL
//! an advisory lock makes concurrent workers apply each migration exactly once.

use super::{Dialect, Stmt, Store, StoreError, Value};

/// One schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "history",
        sql: include_str!("../../migrations/sqlite/0001_history.sql"),
    },
    Migration {
        version: 2,
        name: "spread",
        sql: include_str!("../../migrations/sqlite/0002_spread.sql"),
    },
    Migration {
        version: 3,
        name: "document_leases",
        sql: include_str!("../../migrations/sqlite/0003_document_leases.sql"),
    },
];

const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "history",
        sql: include_str!("../../migrations/postgres/0001_history.sql"),
    },
    Migration {
        version: 2,
        name: "spread",
        sql: include_str!("../../migrations/postgres/0002_spread.sql"),
    },
    Migration {
        version: 3,
        name: "document_leases",
        sql: include_str!("../../migrations/postgres/0003_document_leases.sql"),
    },
];

/// A key for `pg_advisory_xact_lock`, the same for every citecheck process.
const LOCK_KEY: i64 = 0x0063_6974_6563_686b;

/// The migrations of a dialect, oldest first.
pub fn migrations(dialect: Dialect) -> &'static [Migration] {
    match dialect {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    }
}

/// The statements of a migration file: split on `;` at line ends, comments dropped.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("--") || line.trim().is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if line.ends_with(';') {
            out.push(cur.trim().trim_end_matches(';').to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn lock(dialect: Dialect) -> Option<Stmt> {
    (dialect == Dialect::Postgres).then(|| {
        Stmt::new(
            "SELECT pg_advisory_xact_lock($1)",
            vec![Value::Int(LOCK_KEY)],
        )
    })
}

/// Brings the store's schema up to the newest version. Returns the versions applied now.
pub(super) async fn apply(store: &dyn Store) -> Result<Vec<i64>, StoreError> {
    let dialect = store.dialect();
    let mut setup: Vec<Stmt> = lock(dialect).into_iter().collect();
    setup.push(Stmt::new(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        vec![],
    ));
    store.batch(&setup).await?;
    let done: Vec<i64> = store
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect();
    let mut applied = Vec::new();
    for m in migrations(dialect) {
        if done.contains(&m.version) {
            continue;
        }
        let mut stmts: Vec<Stmt> = lock(dialect).into_iter().collect();
        // Claiming the version first: a process that lost the race changes no row here and
        // the whole migration is rolled back for it.
        stmts.push(
            Stmt::new(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (version) DO NOTHING",
                vec![
                    Value::Int(m.version),
                    Value::from(m.name),
                    Value::Int(super::time::now_ms()),
                ],
            )
            .guarded(),
        );
        stmts.extend(statements(m.sql).iter().map(|s| Stmt::new(s, vec![])));
        match store.batch(&stmts).await {
            Ok(true) => applied.push(m.version),
            Ok(false) => {}
            Err(e @ StoreError::Locked { .. }) => return Err(e),
            Err(e) => {
                let message = match e {
                    StoreError::Query { message, .. } => message,
                    other => other.to_string(),
                };
                return Err(StoreError::Migrate {
                    location: store.location().to_string(),
                    version: m.version,
                    message,
                });
            }
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements() {
        let s = statements("-- c\nCREATE TABLE a (x INT);\n\nCREATE INDEX i ON a (x);\n");
        assert_eq!(s, vec!["CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)"]);
    }

    #[test]
    fn both_dialects_have_the_same_versions() {
        let v = |d| migrations(d).iter().map(|m| m.version).collect::<Vec<_>>();
        assert_eq!(v(Dialect::Sqlite), v(Dialect::Postgres));
        for (s, p) in SQLITE.iter().zip(POSTGRES) {
            assert_eq!(statements(s.sql).len(), statements(p.sql).len());
        }
    }
}
