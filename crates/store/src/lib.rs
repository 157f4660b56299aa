//! scpfm's persistence: every table, every query, on SQLite or PostgreSQL.
//!
//! [`Store`] is the one interface the server uses. The engine is chosen by the database URL
//! (`sqlite:PATH`, the embedded default, or `postgres://…` for many stateless servers); the
//! same SQL text runs on both (see [`db`]), and the same tests run against both.
//!
//! Conventions, recorded in `ARCHITECTURE.md`:
//! - instants are stored as integer microseconds since the Unix epoch, UTC;
//! - enums are stored as their wire codes, lists of e-mail addresses and thresholds as JSON;
//! - every query of account data takes the caller's account id, so nothing crosses accounts.
//!
//! Only this crate knows SQL. It returns domain types and knows nothing of HTTP.

pub mod accounts;
pub mod bills;
pub mod budget_evaluations;
pub mod budgets;
mod coverage;
pub use coverage::CoverageFacts;
mod codec;
pub mod cost;
pub mod db;
pub mod demo_clock;
pub mod filters;
mod keyset;
pub mod leases;
pub mod mail_outbox;
mod ordering;
pub mod payments;
pub mod planned_computes;
pub mod replay;
pub mod usage;

pub use db::{Db, Engine};

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the constraint or its message.
    #[error("conflicts with an existing row ({0})")]
    Conflict(String),
    /// The database cannot be reached or is overloaded; retrying later may succeed.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database refused a statement.
    #[error("database error: {0}")]
    Query(String),
    /// A stored value does not decode into its domain type.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// The database URL or file location is unusable.
    #[error("database configuration: {0}")]
    Config(String),
    /// The month is closed: its bills are final and take no more usage or adjustments.
    #[error("the month {0} is closed")]
    MonthClosed(scpfm_domain::month::YearMonth),
}

/// The store: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens the database at `url` and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Ok(Self {
            db: Db::open(url).await?,
        })
    }

    /// The engine in use.
    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// Whether another process waits for the write lock (SQLite): a long writer — an
    /// import — commits at once and pauses when it does.
    pub fn writers_waiting(&self) -> bool {
        self.db.writers_waiting()
    }

    /// How the database's connections are used right now (metrics).
    pub fn pool_status(&self) -> db::PoolStatus {
        self.db.pool_status()
    }

    /// Checks that the database answers (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await
    }

    /// SQLite: copies the write-ahead log back into the database file as far as it can
    /// without waiting (see [`db::SqliteEngine::checkpoint`]); returns the WAL's frames and
    /// those checkpointed. PostgreSQL checkpoints itself: `None`.
    pub async fn checkpoint(&self) -> Result<Option<(i64, i64)>, StoreError> {
        match &self.db {
            Db::Sqlite(engine) => engine.checkpoint().await.map(Some),
            Db::Postgres(_) => Ok(None),
        }
    }

    /// The underlying database, for repositories of later services.
    pub fn db(&self) -> &Db {
        &self.db
    }
}
