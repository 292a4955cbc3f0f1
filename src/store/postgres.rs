//! The shared backend: PostgreSQL through `tokio-postgres` with a small `deadpool` pool, so
//! many `recheck --worker` processes on many machines use one schema. Every [`Store::batch`]
//! is one transaction; leasing uses `FOR UPDATE SKIP LOCKED` (see `sources`).

use super::{Dialect, Row, Stmt, Store, StoreError, Value};
use async_trait::async_trait;
use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::str::FromStr;
use tokio_postgres::types::{IsNull, ToSql, Type};
use tokio_postgres::NoTls;

/// A PostgreSQL store.
pub struct PostgresStore {
    pool: Pool,
    location: String,
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        // Values are converted to the column's type, so one Value type serves every column.
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => match *ty {
                Type::INT8 => (*v as i64).to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Text(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => "postgres://…".to_string(),
    }
}

fn read_row(row: &tokio_postgres::Row) -> Result<Row, tokio_postgres::Error> {
    let mut out = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let v = match *col.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::VOID => None,
            _ => row.try_get::<_, Option<String>>(i)?.map(Value::Text),
        };
        out.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(out))
}

impl PostgresStore {
    /// Connects with at most `pool` connections (one is opened now, to fail early).
    pub async fn connect(url: &str, pool: usize) -> Result<PostgresStore, StoreError> {
        let location = redact(url);
        let err = |e: &dyn std::fmt::Display| StoreError::Open {
            location: location.clone(),
            message: e.to_string(),
        };
        let config = tokio_postgres::Config::from_str(url).map_err(|e| err(&e))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool.max(1))
            .build()
            .map_err(|e| err(&e))?;
        drop(pool.get().await.map_err(|e| err(&e))?);
        Ok(PostgresStore { pool, location })
    }

    fn fail(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Query {
            location: self.location.clone(),
            message: e.to_string(),
        }
    }
}

fn params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// A database error with its detail (tokio-postgres' Display says only "db error").
fn describe(e: &tokio_postgres::Error, sql: &str) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {} in {sql}", db.severity(), db.message()),
        None => format!("{e} in {sql}"),
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn location(&self) -> &str {
        &self.location
    }

    async fn query(&self, sql: &str, values: &[Value]) -> Result<Vec<Row>, StoreError> {
        let client = self.pool.get().await.map_err(|e| self.fail(e))?;
        let stmt = client
            .prepare_cached(sql)
            .await
            .map_err(|e| self.fail(describe(&e, sql)))?;
        let rows = client
            .query(&stmt, &params(values))
            .await
            .map_err(|e| self.fail(describe(&e, sql)))?;
        rows.iter()
            .map(read_row)
            .collect::<Result<Vec<Row>, _>>()
            .map_err(|e| self.fail(e))
    }

    async fn batch(&self, stmts: &[Stmt]) -> Result<bool, StoreError> {
        let mut client = self.pool.get().await.map_err(|e| self.fail(e))?;
        let tx = client.transaction().await.map_err(|e| self.fail(e))?;
        for s in stmts {
            let changed = if s.params.is_empty() {
                // DDL cannot be prepared with parameters; run it as a simple query.
                tx.batch_execute(&s.sql)
                    .await
                    .map_err(|e| self.fail(describe(&e, &s.sql)))?;
                1
            } else {
                let stmt = tx
                    .prepare_cached(&s.sql)
                    .await
                    .map_err(|e| self.fail(describe(&e, &s.sql)))?;
                tx.execute(&stmt, &params(&s.params))
                    .await
                    .map_err(|e| self.fail(describe(&e, &s.sql)))?
            };
            if s.guard && changed == 0 {
                tx.rollback().await.map_err(|e| self.fail(e))?;
                return Ok(false);
            }
        }
        tx.commit().await.map_err(|e| self.fail(e))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/x"),
            "postgres://u@db:5432/x"
        );
    }
}
