//! A short-lived cache of access keys, so most requests skip the key lookup.
//!
//! Entries live for `auth.key_cache_seconds` (default 1 s) on the injected clock. Keys change
//! only through `scpfm key …` in another process, which waits out that time before it returns:
//! once `scpfm key disable` has returned, no server accepts the key. Unknown keys are never
//! cached, so a new key works at once. Set the time to 0 to read the key on every request.

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::{DateTime, Duration, Utc};
use scpfm_domain::account::AccessKey;
use scpfm_store::{Store, StoreError};

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

/// The cache.
pub struct KeyCache {
    ttl: Duration,
    entries: RwLock<HashMap<String, (AccessKey, DateTime<Utc>)>>,
}

impl KeyCache {
    /// A cache keeping keys for `ttl`; a zero `ttl` turns caching off.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The key with this id: cached when fresh, else read from the store.
    pub async fn find(
        &self,
        store: &Store,
        access_key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AccessKey>, StoreError> {
        if self.ttl > Duration::zero() {
            let cached = self.entries.read().ok().and_then(|entries| {
                entries
                    .get(access_key)
                    .filter(|(_, fetched_at)| now < *fetched_at + self.ttl && now >= *fetched_at)
                    .map(|(key, _)| key.clone())
            });
            if cached.is_some() {
                return Ok(cached);
            }
        }
        let key = store.find_access_key(access_key).await?;
        if let (Some(found), true) = (&key, self.ttl > Duration::zero()) {
            if let Ok(mut entries) = self.entries.write() {
                if entries.len() >= SWEEP_AT {
                    entries.retain(|_, (_, fetched_at)| now < *fetched_at + self.ttl);
                }
                entries.insert(access_key.to_owned(), (found.clone(), now));
            }
        }
        Ok(key)
    }
}
