//! Saying "I am waiting for the write lock" across processes (SQLite).
//!
//! SQLite has one write lock per database file, shared by every process. A long writer — an
//! `scpfm import` of a million records — can keep it for as long as it likes, and SQLite tells
//! nobody that someone waits. So a writer that finds the lock taken writes its process id into
//! a sidecar file (`<database>-wait`, beside `-wal` and `-shm`), and a long writer looks at it
//! between its batches: when another process has written it recently, it commits at once
//! and pauses, so the waiting write gets the lock within one batch. Without anyone waiting, the
//! long writer keeps its large transactions (and its speed).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The sidecar file of one database.
#[derive(Debug, Clone)]
pub struct WaitSignal {
    path: PathBuf,
    pid: String,
}

impl WaitSignal {
    /// The signal of the database file at `database`.
    pub fn for_database(database: &Path) -> Self {
        let mut path = database.as_os_str().to_owned();
        path.push("-wait");
        Self {
            path: PathBuf::from(path),
            pid: std::process::id().to_string(),
        }
    }

    /// Says that this process waits for the lock (best effort: a failure only means the long
    /// writer commits at its usual pace).
    pub fn raise(&self) {
        let _ = std::fs::write(&self.path, &self.pid);
    }

    /// Whether another process said it waits, within the last `within`.
    pub fn raised_by_another(&self, within: Duration) -> bool {
        let recent = std::fs::metadata(&self.path)
            .and_then(|metadata| metadata.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age <= within);
        recent && std::fs::read_to_string(&self.path).is_ok_and(|pid| pid.trim() != self.pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_does_not_hear_its_own_signal_but_others_do() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("scpfm.db");
        let mine = WaitSignal::for_database(&database);
        assert!(!mine.raised_by_another(Duration::from_secs(1)));
        mine.raise();
        assert!(!mine.raised_by_another(Duration::from_secs(1)));
        std::fs::write(dir.path().join("scpfm.db-wait"), "1").unwrap();
        assert!(mine.raised_by_another(Duration::from_secs(1)));
    }
}
