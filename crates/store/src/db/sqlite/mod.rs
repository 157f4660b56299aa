//! The SQLite engine: rusqlite, WAL mode, inline reads, one serialized writer.
//!
//! Reads run synchronously on the calling task with a pooled reader connection. A read never
//! waits for a writer in WAL mode, and an indexed point read takes microseconds, far less than
//! a hop to another thread would cost. Writes go through the single writer connection behind
//! an async mutex, so concurrent requests queue instead of failing with `SQLITE_BUSY`; other
//! processes (the admin commands) wait on SQLite's busy timeout.
//!
//! A reader keeps its read transaction (its snapshot) for the next reads, for at most
//! [`SNAPSHOT_REUSE`] and never across a write of this process: taking and dropping a
//! snapshot costs locks on the shared-memory index that every worker contends for. Every write this process commits bumps a generation, and a reader
//! whose snapshot is older than the newest generation takes a new one, so a request always
//! sees the writes answered before it began; another process's writes (the admin commands)
//! are seen at most [`SNAPSHOT_REUSE`] late. Idle readers drop their snapshots at every
//! checkpoint, so none holds the write-ahead log back.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};
use tokio::sync::OwnedMutexGuard;

mod statements;

pub use statements::*;

use super::Value;
use crate::StoreError;

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// How long a connection waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Idle reader connections kept open.
const MAX_IDLE_READERS: usize = 16;
/// Page cache of the writer, in KiB (negative: SQLite's "KiB" form): 256 MiB.
const WRITER_CACHE_KIB: i64 = -262_144;
/// Page size of new database files.
const PAGE_SIZE: i64 = 16_384;
/// WAL pages written before the writer copies them back into the database (64 MiB): fewer,
/// larger checkpoints write each hot index page once instead of once per commit.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 4_096;
/// Prepared statements cached per connection.
const STATEMENT_CACHE: usize = 256;
/// How long a reader reuses its snapshot: how late another process's writes may be seen.
pub const SNAPSHOT_REUSE: Duration = Duration::from_millis(1);

/// An open SQLite database file.
#[derive(Clone)]
pub struct SqliteEngine {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// Where this process says it waits for the write lock, and hears others say so.
    signal: super::wait_signal::WaitSignal,
    readers: Mutex<Vec<Reader>>,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    /// Bumped after every write this process commits.
    generation: Arc<AtomicU64>,
}

/// A pooled reader connection and the snapshot it holds, if any.
struct Reader {
    connection: Connection,
    /// The open read transaction: the write generation it began under, and when.
    snapshot: Option<(u64, Instant)>,
}

impl Reader {
    fn open(path: &Path) -> Result<Self, StoreError> {
        let connection = open_connection(path)?;
        connection
            .pragma_update(None, "query_only", true)
            .map_err(map_error)?;
        Ok(Self {
            connection,
            snapshot: None,
        })
    }

    /// Makes sure the reader holds a snapshot begun under `generation` less than
    /// [`SNAPSHOT_REUSE`] ago (the read transaction takes its snapshot at its first read).
    fn snapshot(&mut self, generation: u64, now: Instant) -> Result<(), StoreError> {
        if let Some((taken_under, taken_at)) = self.snapshot {
            if taken_under == generation && now.duration_since(taken_at) < SNAPSHOT_REUSE {
                return Ok(());
            }
            self.release()?;
        }
        execute(&self.connection, "BEGIN", &[])?;
        self.snapshot = Some((generation, now));
        Ok(())
    }

    /// Ends the read transaction, if one is open.
    fn release(&mut self) -> Result<(), StoreError> {
        if self.snapshot.take().is_some() {
            execute(&self.connection, "COMMIT", &[])?;
        }
        Ok(())
    }
}

impl SqliteEngine {
    /// Opens (creating if needed) the file at `path` and applies migrations.
    pub async fn open(path: &str) -> Result<Self, StoreError> {
        let path = PathBuf::from(path);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|error| {
                StoreError::Config(format!("cannot create {}: {error}", parent.display()))
            })?;
        }
        let mut writer = open_connection(&path)?;
        // Takes effect only while the file is still empty (ignored afterwards): 16 KiB pages
        // make B-trees shallower and bulk ingestion dirty fewer pages (docs/BENCHMARKS.md).
        writer
            .pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(map_error)?;
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(map_error)?;
        writer
            .pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            .map_err(map_error)?;
        // Bulk ingestion touches index pages all over the file: keep plenty of them in memory.
        writer
            .pragma_update(None, "cache_size", WRITER_CACHE_KIB)
            .map_err(map_error)?;
        embedded::migrations::runner()
            .run(&mut writer)
            .map_err(|error| StoreError::Migration(error.to_string()))?;
        // The writer does its own waiting for the lock (`begin_immediate`), so that it can
        // say it waits.
        writer
            .busy_handler(None::<fn(i32) -> bool>)
            .map_err(map_error)?;
        Ok(Self {
            inner: Arc::new(Inner {
                signal: super::wait_signal::WaitSignal::for_database(&path),
                path,
                readers: Mutex::new(Vec::new()),
                writer: Arc::new(tokio::sync::Mutex::new(writer)),
                generation: Arc::new(AtomicU64::new(0)),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `read` on a reader connection, inline, in a snapshot that holds every write this
    /// process committed before the call (and another process's, up to [`SNAPSHOT_REUSE`]
    /// late).
    pub fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let generation = self.inner.generation.load(Ordering::Acquire);
        let pooled = self
            .inner
            .readers
            .lock()
            .map_err(|_| StoreError::Unavailable("reader pool poisoned".into()))?
            .pop();
        let mut reader = match pooled {
            Some(reader) => reader,
            None => Reader::open(&self.inner.path)?,
        };
        reader.snapshot(generation, Instant::now())?;
        let result = read(&reader.connection);
        // Whatever failed, the next read starts from a clean transaction (a reader that
        // cannot end its transaction is dropped, which ends it).
        if result.is_err() && reader.release().is_err() {
            return result;
        }
        if let Ok(mut readers) = self.inner.readers.lock() {
            if readers.len() < MAX_IDLE_READERS {
                readers.push(reader);
            }
        }
        result
    }

    /// Idle pooled readers and whether the writer is free (metrics). Readers in use are
    /// opened on demand, so only idle ones are counted.
    pub fn pool_status(&self) -> super::PoolStatus {
        let idle_readers = self.inner.readers.lock().map_or(0, |readers| readers.len());
        let writer_idle = usize::from(self.inner.writer.try_lock().is_ok());
        super::PoolStatus {
            open: idle_readers + 1,
            idle: idle_readers + writer_idle,
            max: MAX_IDLE_READERS + 1,
            waiting: 0,
        }
    }

    /// Ends the snapshots of idle readers, so that a checkpoint can copy the whole log.
    fn release_idle_snapshots(inner: &Inner) -> Result<(), StoreError> {
        let mut readers = inner
            .readers
            .lock()
            .map_err(|_| StoreError::Unavailable("reader pool poisoned".into()))?;
        for reader in readers.iter_mut() {
            reader.release()?;
        }
        Ok(())
    }

    /// Copies the write-ahead log's committed pages back into the database file, as far as
    /// it can without waiting for anyone (`PRAGMA wal_checkpoint(PASSIVE)`), on a connection
    /// of its own. Returns the WAL's frames and how many of them are in the database now.
    ///
    /// Readers look every page up in the WAL's index before the database file; with the WAL
    /// long (64 MiB before SQLite's own checkpoint, `WAL_AUTOCHECKPOINT_PAGES`), that lookup
    /// was a tenth of a budget read. Once everything is checkpointed, readers skip the WAL.
    pub async fn checkpoint(&self) -> Result<(i64, i64), StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            Self::release_idle_snapshots(&inner)?;
            let connection = open_connection(&inner.path)?;
            connection
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                    Ok((row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
                })
                .map_err(map_error)
        })
        .await
        .map_err(|error| StoreError::Unavailable(format!("checkpoint task failed: {error}")))?
    }

    /// Runs one statement on the writer connection (its own transaction).
    pub async fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<u64, StoreError> {
        let mut writer = self.inner.writer.lock().await;
        self.begin_immediate(&mut writer).await?;
        let changed = execute(&writer, sql, params);
        let ended = writer.execute_batch(if changed.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        });
        self.inner.generation.fetch_add(1, Ordering::Release);
        let changed = changed?;
        ended.map_err(map_error)?;
        Ok(changed)
    }

    /// Takes the writer and starts a transaction holding the write lock.
    pub async fn begin(&self) -> Result<SqliteTx, StoreError> {
        let mut writer = Arc::clone(&self.inner.writer).lock_owned().await;
        self.begin_immediate(&mut writer).await?;
        Ok(SqliteTx {
            writer,
            generation: Arc::clone(&self.inner.generation),
            finished: false,
        })
    }
}

impl SqliteEngine {
    /// Takes SQLite's write lock (`BEGIN IMMEDIATE`). While another process holds it, says so
    /// (`WaitSignal`: a long writer then commits early) and looks again every millisecond,
    /// for at most [`BUSY_TIMEOUT`].
    async fn begin_immediate<G>(&self, writer: &mut G) -> Result<(), StoreError>
    where
        G: std::ops::Deref<Target = Connection> + Send,
    {
        let started = Instant::now();
        let mut said = false;
        loop {
            let begun = writer.execute_batch("BEGIN IMMEDIATE");
            match begun {
                Ok(()) => return Ok(()),
                Err(error) if is_busy(&error) && started.elapsed() < BUSY_TIMEOUT => {
                    if !said {
                        self.inner.signal.raise();
                        said = true;
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                Err(error) => return Err(map_error(error)),
            }
        }
    }

    /// Whether another process said, within the last half second, that it waits for the
    /// write lock.
    pub fn writers_waiting(&self) -> bool {
        self.inner
            .signal
            .raised_by_another(Duration::from_millis(500))
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _)
            if matches!(failure.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// A transaction on the writer connection; rolls back when dropped unfinished.
pub struct SqliteTx {
    writer: OwnedMutexGuard<Connection>,
    /// The engine's write generation, bumped when this transaction commits.
    generation: Arc<AtomicU64>,
    finished: bool,
}

impl SqliteTx {
    /// The writer connection, inside the transaction.
    pub fn connection(&mut self) -> &Connection {
        &self.writer
    }

    /// Runs `work` inside the transaction on a blocking thread (bulk jobs) and hands the
    /// transaction back. The transaction travels with the thread: if `work` fails, or the
    /// caller stops waiting, it rolls back there.
    pub async fn blocking<T, E>(
        self,
        work: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<(Self, T), E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        tokio::task::spawn_blocking(move || {
            let value = work(&self.writer)?;
            Ok((self, value))
        })
        .await
        .map_err(|error| {
            E::from(StoreError::Unavailable(format!(
                "blocking write task failed: {error}"
            )))
        })?
    }

    /// Commits.
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.writer.execute_batch("COMMIT").map_err(map_error)?;
        self.finished = true;
        // After the commit: a read that sees the new generation takes a snapshot with it.
        self.generation.fetch_add(1, Ordering::Release);
        Ok(())
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if !self.finished {
            // Nothing useful can be done with a failed rollback of a dropped transaction;
            // SQLite itself rolls back when the connection next begins.
            let _ = self.writer.execute_batch("ROLLBACK");
        }
    }
}

/// SQLite's busy handler: while another process holds the write lock, look again every
/// millisecond, for at most [`BUSY_TIMEOUT`]. SQLite's own `busy_timeout` backs off to 100 ms
/// between looks, so a writer waiting behind an import that commits every few tens of
/// milliseconds would mostly miss the moments between its transactions.
fn wait_for_lock(attempts: i32) -> bool {
    const STEP: Duration = Duration::from_millis(1);
    let waited = STEP * u32::try_from(attempts).unwrap_or(u32::MAX);
    if waited >= BUSY_TIMEOUT {
        return false;
    }
    std::thread::sleep(STEP);
    true
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut connection = Connection::open_with_flags(path, flags).map_err(|error| {
        StoreError::Unavailable(format!("cannot open {}: {error}", path.display()))
    })?;
    connection
        .busy_handler(Some(wait_for_lock))
        .map_err(map_error)?;
    connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    connection
        .execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA mmap_size = 1073741824;
             PRAGMA cache_size = -32768;",
        )
        .map_err(map_error)?;
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two engines on one file: this process's, and another process's (the admin commands).
    async fn two_engines() -> (tempfile::TempDir, SqliteEngine, SqliteEngine) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snapshots.db");
        let path = path.to_str().unwrap();
        let ours = SqliteEngine::open(path).await.unwrap();
        ours.execute("CREATE TABLE t (v INTEGER)", &[])
            .await
            .unwrap();
        ours.execute("INSERT INTO t VALUES (1)", &[]).await.unwrap();
        let theirs = SqliteEngine::open(path).await.unwrap();
        (dir, ours, theirs)
    }

    fn count(engine: &SqliteEngine) -> i64 {
        engine
            .read(|connection| {
                connection
                    .query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))
                    .map_err(map_error)
            })
            .unwrap()
    }

    fn idle_snapshots(engine: &SqliteEngine) -> usize {
        let readers = engine.inner.readers.lock().unwrap();
        readers
            .iter()
            .filter(|reader| reader.snapshot.is_some())
            .count()
    }

    #[tokio::test]
    async fn a_read_sees_every_write_this_process_committed_before_it() {
        let (_dir, ours, _theirs) = two_engines().await;
        assert_eq!(count(&ours), 1);
        assert_eq!(idle_snapshots(&ours), 1, "the reader keeps its snapshot");
        // Inside the reuse window, yet the write is seen: it bumped the generation.
        ours.execute("INSERT INTO t VALUES (2)", &[]).await.unwrap();
        assert_eq!(count(&ours), 2);
        let mut tx = ours.begin().await.unwrap();
        execute(tx.connection(), "INSERT INTO t VALUES (3)", &[]).unwrap();
        tx.commit().unwrap();
        assert_eq!(count(&ours), 3);
    }

    #[tokio::test]
    async fn a_snapshot_is_reused_only_under_its_generation_and_within_the_window() {
        let (_dir, ours, theirs) = two_engines().await;
        let mut reader = Reader::open(&ours.inner.path).unwrap();
        let taken = Instant::now();
        reader.snapshot(7, taken).unwrap();
        let read = |reader: &Reader| -> i64 {
            reader
                .connection
                .query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))
                .unwrap()
        };
        assert_eq!(read(&reader), 1);
        theirs
            .execute("INSERT INTO t VALUES (2)", &[])
            .await
            .unwrap();
        // Another process's write, inside the window: the snapshot is kept.
        reader.snapshot(7, taken + SNAPSHOT_REUSE / 2).unwrap();
        assert_eq!(read(&reader), 1);
        // At the end of the window, a new snapshot.
        reader.snapshot(7, taken + SNAPSHOT_REUSE).unwrap();
        assert_eq!(read(&reader), 2);
        theirs
            .execute("INSERT INTO t VALUES (3)", &[])
            .await
            .unwrap();
        // A newer generation: a new snapshot at once.
        reader.snapshot(8, taken + SNAPSHOT_REUSE).unwrap();
        assert_eq!(read(&reader), 3);
    }

    #[tokio::test]
    async fn a_checkpoint_ends_idle_snapshots() {
        let (_dir, ours, theirs) = two_engines().await;
        assert_eq!(count(&ours), 1);
        assert_eq!(idle_snapshots(&ours), 1);
        theirs
            .execute("INSERT INTO t VALUES (2)", &[])
            .await
            .unwrap();
        let (frames, copied) = ours.checkpoint().await.unwrap();
        assert_eq!(idle_snapshots(&ours), 0);
        assert_eq!(frames, copied, "no reader holds the log back");
    }
}
