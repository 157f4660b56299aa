//! Replay protection (opt-in, `[auth] replay_guard`): each request is served once inside its
//! signature's validity window.
//!
//! SCP signs the method, URL, timestamp and key, not the body, and documents a signature as
//! valid for its window: two different POSTs to one URL in one millisecond carry the same
//! signature, and so do identical concurrent GETs. The guard therefore keys on the signature
//! **and** a SHA-256 of the body ([`request_key`]): requests that differ in their body never
//! collide; what it refuses is the same signed request sent again, body for body — a
//! captured request replayed, and equally a client's identical retry of a request signed once
//! (which must be signed again with a fresh timestamp).
//!
//! Keys are remembered until the end of their window (`timestamp + window`), then forgotten.
//! The memory guard serves one server process and forgets at restart; the database guard
//! additionally records each key in the database (both engines), so that a restart or
//! another replica refuses a request already served. The memory guard keeps about 32 bytes
//! per request of the last window, up to twice that between sweeps (a shard sweeps out expired
//! keys once its entries have doubled).
//!
//! The memory guard keeps 64 bits of each key. A SHA-256 over an HMAC is uniformly random to
//! anyone without the secret, so two different requests share those bits by chance only:
//! with a million requests in one window the odds that any pair does are 1 in 36 million
//! (and the cost of a false match is one refused request that the client signs again).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use chrono::{DateTime, Utc};
use scpfm_app::clock::Clock;
use scpfm_store::{Store, StoreError};
use sha2::{Digest, Sha256};

use crate::body_limit::ReadError;
use crate::error::{ApiError, AuthFailure, Unreadable};

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

/// How often expired signatures are removed from the database.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// With the database replay guard: forgets expired signatures every minute, by `clock` (the
/// authentication clock: expiries are signature times plus the window); a no-op for the other
/// modes.
pub fn spawn_purge(guard: Option<&ReplayGuard>, clock: Arc<dyn Clock>) {
    let Some(ReplayGuard::Database(_, store)) = guard else {
        return;
    };
    let store = store.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(PURGE_EVERY);
        loop {
            ticker.tick().await;
            if let Err(error) = store.forget_expired_signatures(clock.now()).await {
                tracing::warn!(error = %error, "could not purge expired signatures");
            }
        }
    });
}
/// What the guard remembers of a request: SHA-256 of its signature and its body.
pub fn request_key(signature: &[u8; 32], body: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(signature);
    hasher.update(Sha256::digest(body));
    hasher.finalize().into()
}

/// Reads the body of a verified request (within the body limit) and refuses the request when
/// the same signature and body were already served; otherwise gives the request back whole.
pub(crate) async fn check(
    guard: &ReplayGuard,
    request: Request,
    signature: &[u8; 32],
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Request, (Request, ApiError)> {
    let limit = crate::body_limit::for_path(request.uri().path());
    let (parts, body) = request.into_parts();
    let declared = crate::body_limit::declared_length(&parts.headers);
    let bytes = match crate::body_limit::read(body, limit, declared, None).await {
        Ok(bytes) => bytes,
        Err(error) => {
            let request = Request::from_parts(parts, Body::empty());
            let error = match error {
                ReadError::TooLarge => ApiError::PayloadTooLarge { limit },
                ReadError::TimedOut | ReadError::Broken(_) => {
                    ApiError::Unreadable(Unreadable::NotJson(error.to_string()))
                }
            };
            return Err((request, error));
        }
    };
    let key = request_key(signature, &bytes);
    let request = Request::from_parts(parts, Body::from(bytes));
    match guard.first_use(key, expires_at, now).await {
        Ok(true) => Ok(request),
        Ok(false) => Err((request, ApiError::Unauthenticated(AuthFailure::Replayed))),
        Err(error) => Err((request, ApiError::from(error))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_differing_only_in_their_body_have_different_keys() {
        let signature = [7u8; 32];
        let first = request_key(&signature, br#"{"name":"a"}"#);
        assert_eq!(first, request_key(&signature, br#"{"name":"a"}"#));
        assert_ne!(first, request_key(&signature, br#"{"name":"b"}"#));
        assert_ne!(first, request_key(&[8u8; 32], br#"{"name":"a"}"#));
        let guard = MemoryReplayGuard::default();
        assert!(guard.first_use(first, 1_000, 0));
        assert!(guard.first_use(request_key(&signature, b"{}"), 1_000, 0));
        assert!(!guard.first_use(first, 1_000, 1));
    }

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
