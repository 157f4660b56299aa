//! The PostgreSQL engine: tokio-postgres connections pooled by deadpool.
//!
//! Every statement is prepared once per connection and cached. Transactions run on one pooled
//! connection; a transaction dropped without commit takes its connection out of the pool and
//! closes it, so the server rolls it back and no later request inherits it.

use std::error::Error as StdError;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::NoTls;

use super::{redact_url, Row, RowMapper, Value};
use crate::StoreError;

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// Largest number of pooled connections.
const MAX_CONNECTIONS: usize = 32;
/// How long a request waits for a pooled connection before the store reports unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Key of the advisory lock that serializes migrations between starting replicas.
const MIGRATION_LOCK: i64 = 0x5c9f_2026;

/// A PostgreSQL connection pool.
#[derive(Clone)]
pub struct PostgresEngine {
    pool: Pool,
}

impl PostgresEngine {
    /// Connects to `url`, applies pending migrations and opens the pool.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(|error| {
            StoreError::Config(format!(
                "invalid PostgreSQL URL {}: {error}",
                redact_url(url)
            ))
        })?;
        migrate(&config).await?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(MAX_CONNECTIONS)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(ACQUIRE_TIMEOUT))
            .create_timeout(Some(ACQUIRE_TIMEOUT))
            .recycle_timeout(Some(ACQUIRE_TIMEOUT))
            .build()
            .map_err(|error| StoreError::Config(error.to_string()))?;
        Ok(Self { pool })
    }

    /// The pool's connections (metrics).
    pub fn pool_status(&self) -> super::PoolStatus {
        let status = self.pool.status();
        super::PoolStatus {
            open: status.size,
            idle: status.available,
            max: status.max_size,
            waiting: status.waiting,
        }
    }

    pub(crate) async fn client(&self) -> Result<Object, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|error| StoreError::Unavailable(format!("no PostgreSQL connection: {error}")))
    }

    /// Starts a transaction on a pooled connection.
    pub async fn begin(&self) -> Result<PostgresTx, StoreError> {
        let client = self.client().await?;
        client.batch_execute("BEGIN").await.map_err(map_error)?;
        Ok(PostgresTx {
            client: Some(client),
        })
    }
}

/// A transaction on one connection; dropped unfinished, the connection is closed.
pub struct PostgresTx {
    client: Option<Object>,
}

impl PostgresTx {
    /// The connection, for engine-specific bulk statements (COPY, arrays).
    pub(crate) fn client(&self) -> Result<&Object, StoreError> {
        self.client
            .as_ref()
            .ok_or_else(|| StoreError::Query("transaction already finished".into()))
    }

    /// Commits and returns the connection to the pool.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let client = self
            .client
            .take()
            .ok_or_else(|| StoreError::Query("transaction already finished".into()))?;
        match client.batch_execute("COMMIT").await {
            Ok(()) => Ok(()),
            Err(error) => {
                // A failed commit leaves the session in an unknown state: do not reuse it.
                drop(Object::take(client));
                Err(map_error(error))
            }
        }
    }
}

impl Drop for PostgresTx {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // Closing the connection makes the server roll the transaction back.
            drop(Object::take(client));
        }
    }
}

async fn migrate(config: &tokio_postgres::Config) -> Result<(), StoreError> {
    let (mut client, connection) = config.connect(NoTls).await.map_err(|error| {
        StoreError::Unavailable(format!("cannot connect to PostgreSQL: {error}"))
    })?;
    let connection_task = tokio::spawn(connection);
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(map_error)?;
    let outcome = embedded::migrations::runner()
        .run_async(&mut client)
        .await
        .map_err(|error| StoreError::Migration(error.to_string()));
    // The lock is released with the session; closing the client ends it.
    drop(client);
    let _ = connection_task.await;
    outcome.map(|_| ())
}

pub(crate) async fn execute(
    client: &Object,
    sql: &str,
    params: &[Value<'_>],
) -> Result<u64, StoreError> {
    let statement = client.prepare_cached(sql).await.map_err(map_error)?;
    client
        .execute(&statement, &bind(params))
        .await
        .map_err(map_error)
}

/// The rows of a query, through the connection's statement cache.
async fn rows(
    client: &Object,
    sql: &str,
    params: &[Value<'_>],
) -> Result<Vec<tokio_postgres::Row>, StoreError> {
    let statement = client.prepare_cached(sql).await.map_err(map_error)?;
    let rows = client.query(&statement, &bind(params)).await;
    rows.map_err(map_error)
}

pub(crate) async fn query_all<T>(
    client: &Object,
    sql: &str,
    params: &[Value<'_>],
    map: RowMapper<T>,
) -> Result<Vec<T>, StoreError> {
    let rows = rows(client, sql, params).await?;
    rows.iter().map(|row| map(&PostgresRow(row))).collect()
}

pub(crate) async fn query_opt<T>(
    client: &Object,
    sql: &str,
    params: &[Value<'_>],
    map: RowMapper<T>,
) -> Result<Option<T>, StoreError> {
    let rows = rows(client, sql, params).await?;
    rows.first().map(|row| map(&PostgresRow(row))).transpose()
}

fn bind<'a>(params: &'a [Value<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|value| value as &(dyn ToSql + Sync))
        .collect()
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match *self {
            Value::Text(text) => text.to_sql(ty, out),
            Value::Int(number) => match *ty {
                Type::INT8 => number.to_sql(ty, out),
                Type::INT4 => i32::try_from(number)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(number)?.to_sql(ty, out),
                _ => Err(format!("cannot bind an integer to a {ty} parameter").into()),
            },
            Value::Bool(flag) => flag.to_sql(ty, out),
            Value::Decimal(number) => match *ty {
                Type::NUMERIC => number.to_sql(ty, out),
                _ => number.to_string().to_sql(ty, out),
            },
            Value::Null => Ok(IsNull::Yes),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        // Checked per value in `to_sql`, which knows the variant.
        true
    }

    to_sql_checked!();
}

struct PostgresRow<'a>(&'a tokio_postgres::Row);

impl PostgresRow<'_> {
    fn opt_int_value(&self, idx: usize) -> Result<Option<i64>, tokio_postgres::Error> {
        let column_type = self
            .0
            .columns()
            .get(idx)
            .map(|column| column.type_().clone());
        match column_type {
            Some(Type::INT4) => Ok(self.0.try_get::<_, Option<i32>>(idx)?.map(i64::from)),
            Some(Type::INT2) => Ok(self.0.try_get::<_, Option<i16>>(idx)?.map(i64::from)),
            _ => self.0.try_get::<_, Option<i64>>(idx),
        }
    }
}

impl Row for PostgresRow<'_> {
    fn text(&self, idx: usize) -> Result<String, StoreError> {
        self.0.try_get(idx).map_err(map_error)
    }

    fn str(&self, idx: usize) -> Result<&str, StoreError> {
        self.0.try_get(idx).map_err(map_error)
    }

    fn opt_text(&self, idx: usize) -> Result<Option<String>, StoreError> {
        self.0.try_get(idx).map_err(map_error)
    }

    fn int(&self, idx: usize) -> Result<i64, StoreError> {
        self.opt_int_value(idx)
            .map_err(map_error)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {idx} is null")))
    }

    fn opt_int(&self, idx: usize) -> Result<Option<i64>, StoreError> {
        self.opt_int_value(idx).map_err(map_error)
    }

    fn boolean(&self, idx: usize) -> Result<bool, StoreError> {
        self.0.try_get(idx).map_err(map_error)
    }

    fn decimal(&self, idx: usize) -> Result<rust_decimal::Decimal, StoreError> {
        self.0.try_get(idx).map_err(map_error)
    }

    fn opt_decimal(&self, idx: usize) -> Result<Option<rust_decimal::Decimal>, StoreError> {
        self.0.try_get(idx).map_err(map_error)
    }
}

/// Maps a tokio-postgres error onto the store's kinds.
pub fn map_error(error: tokio_postgres::Error) -> StoreError {
    if let Some(db_error) = error.as_db_error() {
        let code = db_error.code();
        if *code == SqlState::UNIQUE_VIOLATION {
            return StoreError::Conflict(
                db_error
                    .constraint()
                    .unwrap_or(db_error.message())
                    .to_owned(),
            );
        }
        if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CANNOT_CONNECT_NOW
            || *code == SqlState::TOO_MANY_CONNECTIONS
        {
            return StoreError::Unavailable(db_error.message().to_owned());
        }
        return StoreError::Query(format!("{}: {}", code.code(), db_error.message()));
    }
    if error.is_closed()
        || error
            .source()
            .is_some_and(|source| source.is::<std::io::Error>())
    {
        return StoreError::Unavailable(error.to_string());
    }
    StoreError::Query(error.to_string())
}
