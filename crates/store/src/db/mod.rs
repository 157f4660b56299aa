//! The thin layer under every repository: one SQL text, two engines.
//!
//! Repositories write each statement once, with `$1, $2…` placeholders, and read rows through
//! [`Row`]. [`Db`] runs the statement on the engine the URL chose:
//!
//! - **SQLite** (rusqlite): reads run inline on a small pool of reader connections (WAL mode,
//!   readers never wait for the writer); writes run on one writer connection, serialized by an
//!   async mutex, so SQLite never answers `SQLITE_BUSY` to the server's own writes;
//! - **PostgreSQL** (tokio-postgres + deadpool): pooled connections with a per-connection
//!   prepared-statement cache.
//!
//! Why not sqlx: its SQLite driver runs every query on a per-connection worker thread, and a
//! thread hop per query kept the budget read path far from the empty handler's rate (the
//! measurements are in `docs/BENCHMARKS.md`).

mod postgres;
pub(crate) mod sqlite;
mod wait_signal;

use std::future::Future;

pub(crate) use self::postgres::map_error as postgres_error;
pub use self::postgres::PostgresEngine;
pub use self::sqlite::SqliteEngine;

use crate::StoreError;

/// A statement parameter, bound to `$N` by its position (1-based) in the parameter slice.
/// Integers bind to any integer column; `Null` to any column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// Text.
    Text(&'a str),
    /// A 64-bit integer.
    Int(i64),
    /// A boolean (`INTEGER` 0/1 in SQLite, `BOOLEAN` in PostgreSQL).
    Bool(bool),
    /// An exact decimal (canonical `TEXT` in SQLite, `NUMERIC` in PostgreSQL).
    Decimal(rust_decimal::Decimal),
    /// SQL `NULL`.
    Null,
}

impl<'a> Value<'a> {
    /// `Text` or `Null`.
    pub fn opt_text(text: Option<&'a str>) -> Self {
        text.map_or(Self::Null, Self::Text)
    }

    /// `Int` or `Null`.
    pub fn opt_int(number: Option<i64>) -> Self {
        number.map_or(Self::Null, Self::Int)
    }
}

/// One result row, read by column index.
pub trait Row {
    /// A non-null text column.
    fn text(&self, idx: usize) -> Result<String, StoreError>;
    /// A non-null text column, borrowed from the row (for values parsed, not kept).
    fn str(&self, idx: usize) -> Result<&str, StoreError>;
    /// A nullable text column.
    fn opt_text(&self, idx: usize) -> Result<Option<String>, StoreError>;
    /// A non-null integer column (any width).
    fn int(&self, idx: usize) -> Result<i64, StoreError>;
    /// A nullable integer column.
    fn opt_int(&self, idx: usize) -> Result<Option<i64>, StoreError>;
    /// A non-null boolean column.
    fn boolean(&self, idx: usize) -> Result<bool, StoreError>;
    /// A non-null decimal column.
    fn decimal(&self, idx: usize) -> Result<rust_decimal::Decimal, StoreError>;
    /// A nullable decimal column.
    fn opt_decimal(&self, idx: usize) -> Result<Option<rust_decimal::Decimal>, StoreError>;

    /// An amount in two columns: KRW at `idx`, USD at `idx + 1`.
    fn dual(&self, idx: usize) -> Result<scpfm_domain::money::DualAmount, StoreError> {
        Ok(scpfm_domain::money::DualAmount {
            krw: self.decimal(idx)?,
            usd: self.decimal(idx + 1)?,
        })
    }
}

/// Turns one row into a value.
pub type RowMapper<T> = fn(&dyn Row) -> Result<T, StoreError>;

/// What can run statements: the pool ([`&Db`](Db)) or an open transaction ([`Tx`]).
pub trait Executor: Send {
    /// Runs a statement, returning the number of rows it changed.
    fn execute(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Runs a query, mapping every row.
    fn query_all<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send;

    /// Runs a query, mapping the first row if there is one.
    fn query_opt<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> impl Future<Output = Result<Option<T>, StoreError>> + Send;

    /// Runs a query that returns exactly one row.
    fn query_one<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> impl Future<Output = Result<T, StoreError>> + Send {
        async move {
            self.query_opt(sql, params, map)
                .await?
                .ok_or_else(|| StoreError::Corrupt("query returned no row".into()))
        }
    }
}

/// Which engine a [`Db`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// Connections of a database's pool (SQLite: the idle readers and the one writer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolStatus {
    /// Connections open.
    pub open: usize,
    /// Connections idle, ready for a request.
    pub idle: usize,
    /// Most connections the pool opens.
    pub max: usize,
    /// Requests waiting for a connection.
    pub waiting: usize,
}

/// A database: SQLite or PostgreSQL, chosen by URL.
#[derive(Clone)]
pub enum Db {
    /// Embedded SQLite.
    Sqlite(SqliteEngine),
    /// PostgreSQL.
    Postgres(PostgresEngine),
}

impl Db {
    /// Opens the database at `url` (`sqlite:PATH`, `sqlite://PATH` or `postgres://…`) and
    /// applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if let Some(path) = sqlite_path(url) {
            Ok(Self::Sqlite(SqliteEngine::open(path).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(PostgresEngine::open(url).await?))
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL (expected sqlite:PATH or postgres://…): {}",
                redact_url(url)
            )))
        }
    }

    /// The engine in use.
    pub fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    /// Starts a transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        match self {
            Self::Sqlite(engine) => Ok(Tx::Sqlite(engine.begin().await?)),
            Self::Postgres(engine) => Ok(Tx::Postgres(Box::new(engine.begin().await?))),
        }
    }

    /// Whether another process waits for this database's write lock (SQLite; never on
    /// PostgreSQL, whose writers do not wait for each other): long writers commit early.
    pub fn writers_waiting(&self) -> bool {
        match self {
            Self::Sqlite(engine) => engine.writers_waiting(),
            Self::Postgres(_) => false,
        }
    }

    /// How the engine's connections are used right now (metrics).
    pub fn pool_status(&self) -> PoolStatus {
        match self {
            Self::Sqlite(engine) => engine.pool_status(),
            Self::Postgres(engine) => engine.pool_status(),
        }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut executor = self;
        executor
            .query_one("SELECT 1", &[], |row| row.int(0))
            .await
            .map(|_| ())
    }
}

impl Executor for &Db {
    async fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, StoreError> {
        match self {
            Db::Sqlite(engine) => engine.execute(sql, params).await,
            Db::Postgres(engine) => postgres::execute(&engine.client().await?, sql, params).await,
        }
    }

    async fn query_all<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Db::Sqlite(engine) => engine.read(|conn| sqlite::query_all(conn, sql, params, map)),
            Db::Postgres(engine) => {
                postgres::query_all(&engine.client().await?, sql, params, map).await
            }
        }
    }

    async fn query_opt<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> Result<Option<T>, StoreError> {
        match self {
            Db::Sqlite(engine) => engine.read(|conn| sqlite::query_opt(conn, sql, params, map)),
            Db::Postgres(engine) => {
                postgres::query_opt(&engine.client().await?, sql, params, map).await
            }
        }
    }
}

/// An open transaction; dropped without [`commit`](Tx::commit), it rolls back.
pub enum Tx {
    /// On the SQLite writer connection.
    Sqlite(sqlite::SqliteTx),
    /// On one PostgreSQL connection (boxed: a pooled connection handle is large).
    Postgres(Box<postgres::PostgresTx>),
}

impl Tx {
    /// Makes the transaction's changes durable and visible.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(tx) => tx.commit(),
            Self::Postgres(tx) => (*tx).commit().await,
        }
    }

    /// The engine this transaction runs on.
    pub fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }
}

impl Executor for Tx {
    async fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, StoreError> {
        match self {
            Self::Sqlite(tx) => sqlite::execute(tx.connection(), sql, params),
            Self::Postgres(tx) => postgres::execute(tx.client()?, sql, params).await,
        }
    }

    async fn query_all<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Self::Sqlite(tx) => sqlite::query_all(tx.connection(), sql, params, map),
            Self::Postgres(tx) => postgres::query_all(tx.client()?, sql, params, map).await,
        }
    }

    async fn query_opt<T: Send>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        map: RowMapper<T>,
    ) -> Result<Option<T>, StoreError> {
        match self {
            Self::Sqlite(tx) => sqlite::query_opt(tx.connection(), sql, params, map),
            Self::Postgres(tx) => postgres::query_opt(tx.client()?, sql, params, map).await,
        }
    }
}

/// Builds dynamic SQL with numbered parameters.
#[derive(Default)]
pub(crate) struct SqlBuilder<'a> {
    /// The SQL so far.
    pub sql: String,
    /// Its parameters, `$1` first.
    pub params: Vec<Value<'a>>,
}

impl<'a> SqlBuilder<'a> {
    pub fn push(&mut self, text: &str) {
        self.sql.push_str(text);
    }

    pub fn param(&mut self, value: Value<'a>) {
        self.params.push(value);
        self.sql.push('$');
        self.sql.push_str(&self.params.len().to_string());
    }

    /// Several complete, ordered and limited SELECTs — one per item of `groups`, written by
    /// `branch` — merged into one result: `SELECT * FROM (SELECT * FROM (…) AS b0 UNION ALL
    /// …) AS u`, then what `outer` writes (an ORDER BY and LIMIT naming the branches' output
    /// columns). Lists several accounts as one index-ordered read each instead of one sort of
    /// all their rows. With one group or none, `branch` alone over all of `groups`.
    pub fn merge<T>(
        &mut self,
        groups: &'a [T],
        mut branch: impl FnMut(&mut Self, &'a [T]),
        outer: impl FnOnce(&mut Self),
    ) {
        if groups.len() < 2 {
            branch(self, groups);
            return;
        }
        self.push("SELECT * FROM (");
        for idx in 0..groups.len() {
            if idx > 0 {
                self.push(" UNION ALL ");
            }
            self.push("SELECT * FROM (");
            branch(self, &groups[idx..=idx]);
            self.push(&format!(") AS b{idx}"));
        }
        self.push(") AS u");
        outer(self);
    }

    /// `column IN ($n, …)` over text values; with no values, a condition nothing matches.
    pub fn in_list(&mut self, column: &str, values: impl Iterator<Item = &'a str>) {
        self.in_values(column, values.map(Value::Text));
    }

    /// `column IN ($n, …)`; with no values, a condition nothing matches.
    pub fn in_values(&mut self, column: &str, values: impl Iterator<Item = Value<'a>>) {
        let mut values = values.peekable();
        if values.peek().is_none() {
            self.sql.push_str("1 = 0");
            return;
        }
        self.sql.push_str(column);
        self.sql.push_str(" IN (");
        for (idx, value) in values.enumerate() {
            if idx > 0 {
                self.sql.push_str(", ");
            }
            self.param(value);
        }
        self.sql.push(')');
    }
}

/// The file path of a SQLite URL, or `None` for other schemes.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    Some(rest.split('?').next().unwrap_or(rest))
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_path() {
        assert_eq!(sqlite_path("sqlite:data/scpfm.db"), Some("data/scpfm.db"));
        assert_eq!(sqlite_path("sqlite://data/scpfm.db"), Some("data/scpfm.db"));
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db?mode=rwc"),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite:x.db"), "sqlite:x.db");
    }

    #[test]
    fn groups_merge_into_one_ordered_read_and_one_group_stays_a_plain_one() {
        let branch = |sql: &mut SqlBuilder<'_>, group: &[i64]| {
            sql.push("SELECT a FROM t WHERE ");
            sql.in_values("g", group.iter().copied().map(Value::Int));
            sql.push(" ORDER BY a LIMIT 2");
        };
        let outer = |sql: &mut SqlBuilder<'_>| sql.push(" ORDER BY a LIMIT 2");
        let mut one = SqlBuilder::default();
        one.merge(&[7], branch, outer);
        assert_eq!(
            one.sql,
            "SELECT a FROM t WHERE g IN ($1) ORDER BY a LIMIT 2"
        );
        let mut two = SqlBuilder::default();
        two.merge(&[7, 8], branch, outer);
        assert_eq!(
            two.sql,
            "SELECT * FROM (SELECT * FROM (SELECT a FROM t WHERE g IN ($1) ORDER BY a LIMIT 2) \
             AS b0 UNION ALL SELECT * FROM (SELECT a FROM t WHERE g IN ($2) ORDER BY a LIMIT 2) \
             AS b1) AS u ORDER BY a LIMIT 2"
        );
        assert_eq!(two.params.len(), 2);
    }
}
