//! Replay protection: each signature is accepted once inside its validity window.
//!
//! Signatures are remembered until the end of their window (`timestamp + window`), then
//! forgotten. The memory guard serves one server process; the database guard additionally
//! records each signature in the database so that servers sharing a PostgreSQL database
//! refuse a signature another replica already accepted. Memory use of the memory guard is
//! about 32 bytes per request of the last window (e.g. 1,000 requests/s for 15 minutes:
//! 29 MB), up to twice that between sweeps (a shard sweeps out expired signatures once its
//! entries have doubled); lower `auth.signature_window_seconds` for sustained higher rates.
//!
//! The memory guard keeps 64 bits of each signature. An HMAC-SHA256 is uniformly random to
//! anyone without the secret, so two different signatures share those bits by chance only:
//! with a million signatures in one window the odds that any pair does are 1 in 36 million
//! (and the cost of a false match is one refused request that the client signs again).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use scpfm_store::{Store, StoreError};

const SHARDS: usize = 16;
/// A shard is swept for expired entries each time it grows by this many.
const SWEEP_EVERY: usize = 4096;

/// Remembers signatures in this process.
pub struct MemoryReplayGuard {
    shards: [Mutex<Shard>; SHARDS],
}

#[derive(Default)]
struct Shard {
    /// Signature bits 0..64 → when the signature expires (Unix ms).
    seen: HashMap<u64, i64, foldhash::fast::FixedState>,
    next_sweep: usize,
}

/// When a shard of `live` entries (after a sweep) sweeps next: once it has doubled, and at
/// least [`SWEEP_EVERY`] entries later. A sweep reads every entry, so sweeping after a fixed
/// number of inserts would cost each insert time in proportion to the shard (at a steady
/// rate, every signature of the window is live); doubling keeps a sweep's cost, spread over
/// the inserts before it, constant per insert, and memory within twice the live entries.
fn next_sweep(live: usize) -> usize {
    live.saturating_mul(2).max(live + SWEEP_EVERY)
}

impl Default for MemoryReplayGuard {
    fn default() -> Self {
        Self {
            shards: std::array::from_fn(|_| Mutex::new(Shard::default())),
        }
    }
}

impl MemoryReplayGuard {
    /// Records `signature` until `expires_at_ms`; `false` when it is a replay.
    pub fn first_use(&self, signature: [u8; 32], expires_at_ms: i64, now_ms: i64) -> bool {
        let mut key = [0u8; 8];
        key.copy_from_slice(&signature[..8]);
        let key = u64::from_le_bytes(key);
        let shard_idx = usize::from(signature[8]) % SHARDS;
        let Ok(mut shard) = self.shards[shard_idx].lock() else {
            return false;
        };
        if let Some(expiry) = shard.seen.get(&key) {
            if *expiry >= now_ms {
                return false;
            }
        }
        shard.seen.insert(key, expires_at_ms);
        if shard.seen.len() >= shard.next_sweep {
            shard.seen.retain(|_, expiry| *expiry >= now_ms);
            shard.next_sweep = next_sweep(shard.seen.len());
        }
        true
    }

    /// Number of remembered signatures (for tests and metrics).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.lock().map(|s| s.seen.len()).unwrap_or(0))
            .sum()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where signatures are remembered.
pub enum ReplayGuard {
    /// This process only.
    Memory(MemoryReplayGuard),
    /// This process first (cheap local refusals), then the shared database.
    Database(MemoryReplayGuard, Store),
}

impl ReplayGuard {
    /// Records a verified signature; `Ok(false)` when it was seen before.
    pub async fn first_use(
        &self,
        signature: [u8; 32],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (expires_ms, now_ms) = (expires_at.timestamp_millis(), now.timestamp_millis());
        match self {
            Self::Memory(memory) => Ok(memory.first_use(signature, expires_ms, now_ms)),
            Self::Database(memory, store) => {
                if !memory.first_use(signature, expires_ms, now_ms) {
                    return Ok(false);
                }
                let key: String = signature.iter().map(|b| format!("{b:02x}")).collect();
                store.remember_signature(&key, expires_at).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_accepted_once_until_it_expires() {
        let guard = MemoryReplayGuard::default();
        assert!(guard.first_use([1; 32], 1_000, 0));
        assert!(!guard.first_use([1; 32], 1_000, 500));
        assert!(guard.first_use([2; 32], 1_000, 500));
        // After its window the signature could not pass the timestamp check anyway.
        assert!(guard.first_use([1; 32], 3_000, 2_000));
    }

    #[test]
    fn sweeps_come_after_the_live_entries_doubled() {
        assert_eq!(next_sweep(0), SWEEP_EVERY);
        assert_eq!(next_sweep(100), 100 + SWEEP_EVERY);
        assert_eq!(next_sweep(SWEEP_EVERY), 2 * SWEEP_EVERY);
        assert_eq!(next_sweep(1_000_000), 2_000_000);
    }

    #[test]
    fn expired_entries_are_swept_as_shards_grow() {
        let guard = MemoryReplayGuard::default();
        let signature = |idx: usize| {
            let mut signature = [0u8; 32];
            // Byte 8 picks the shard: keep every entry in shard 0.
            signature[..8].copy_from_slice(&(idx as u64).to_le_bytes());
            signature
        };
        // Live while inserted: the shard sweeps at 4096 and 8192 entries and keeps them all.
        for idx in 0..(SWEEP_EVERY * 3) {
            assert!(guard.first_use(signature(idx), 10, 0));
        }
        assert_eq!(guard.len(), SWEEP_EVERY * 3);
        // Later, all of them expired: the sweep at 16,384 entries drops them.
        for idx in (SWEEP_EVERY * 3)..(SWEEP_EVERY * 5) {
            assert!(guard.first_use(signature(idx), 1_000, 100));
        }
        assert_eq!(guard.len(), SWEEP_EVERY * 2);
    }
}
