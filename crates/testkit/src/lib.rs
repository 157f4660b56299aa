//! Test support for scpfm: a fresh database per test, on SQLite and on PostgreSQL.
//!
//! Tests are written once as `async fn name(backend: Backend)` and instantiated for both
//! engines with [`backend_tests!`]. PostgreSQL tests use `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), each in a schema of its own that is dropped
//! afterwards. Set `SCPFM_TEST_SKIP_POSTGRES=1` to skip them on a machine without PostgreSQL;
//! otherwise an unreachable server fails the test, so CI never passes by silently skipping.
//!
//! A dev-dependency only: a setup that cannot be made fails the test that asked for it, so
//! panicking with a message is this crate's error handling.
#![allow(clippy::expect_used)]

use std::sync::atomic::{AtomicBool, Ordering};

/// The database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A temporary schema on the test PostgreSQL server.
    Postgres,
}

/// The default PostgreSQL server of the project machines.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static SKIP_NOTICE: AtomicBool = AtomicBool::new(false);

/// True when PostgreSQL tests are switched off; prints a notice once.
pub fn skip_postgres() -> bool {
    let skip = std::env::var("SCPFM_TEST_SKIP_POSTGRES").is_ok_and(|v| v == "1" || v == "true");
    if skip && !SKIP_NOTICE.swap(true, Ordering::Relaxed) {
        eprintln!("SCPFM_TEST_SKIP_POSTGRES is set: PostgreSQL tests are skipped");
    }
    skip
}

/// The PostgreSQL server tests use.
pub fn postgres_base_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// A database that exists for one test and is removed after it.
pub struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(#[allow(dead_code)] tempfile::TempDir),
    Schema { base_url: String, schema: String },
}

impl TestDatabase {
    /// A fresh, empty database on `backend`.
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory can be created");
                let url = format!("sqlite:{}", dir.path().join("scpfm.db").display());
                Self {
                    url,
                    cleanup: Cleanup::Directory(dir),
                }
            }
            Backend::Postgres => {
                let base_url = postgres_base_url();
                let schema = format!("scpfm_test_{}", uuid::Uuid::new_v4().simple());
                let client = connect(&base_url).await;
                client
                    .batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .expect("the test schema can be created");
                let separator = if base_url.contains('?') { '&' } else { '?' };
                let url = format!("{base_url}{separator}options=-c%20search_path%3D{schema}");
                Self {
                    url,
                    cleanup: Cleanup::Schema { base_url, schema },
                }
            }
        }
    }

    /// The URL to open the database with (`sqlite:…` or `postgres://…`).
    pub fn url(&self) -> &str {
        &self.url
    }
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|error| {
            panic!(
                "PostgreSQL is not reachable at {url} ({error}); start it, point \
                 TEST_DATABASE_URL at one, or set SCPFM_TEST_SKIP_POSTGRES=1"
            )
        });
    tokio::spawn(connection);
    client
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Schema { base_url, schema } = &self.cleanup {
            let (base_url, schema) = (base_url.clone(), schema.clone());
            // Drop runs inside the test's runtime; clean up on a runtime of our own.
            let cleanup = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a cleanup runtime can be built");
                runtime.block_on(async move {
                    let client = connect(&base_url).await;
                    let _ = client
                        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .await;
                });
            });
            let _ = cleanup.join();
        }
    }
}

/// Instantiates `async fn name(backend: Backend)` tests for SQLite and PostgreSQL.
///
/// ```text
/// async fn creates_a_budget(backend: Backend) { /* … */ }
/// scpfm_testkit::backend_tests!(creates_a_budget);
/// ```
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::skip_postgres() {
                        return;
                    }
                    super::$name($crate::Backend::Postgres).await
                }
            )+
        }
    };
}
