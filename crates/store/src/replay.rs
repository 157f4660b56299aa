//! Signatures already seen, shared by every server on one database (replay protection).

use chrono::{DateTime, Utc};

use crate::codec::micros;
use crate::db::{Executor, Value};
use crate::{Store, StoreError};

impl Store {
    /// Records a signature until `expires_at`; `false` when it was already recorded (replay).
    pub async fn remember_signature(
        &self,
        signature: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let inserted = (&self.db)
            .execute(
                "INSERT INTO seen_signatures (signature, expires_at) VALUES ($1, $2) \
                 ON CONFLICT (signature) DO NOTHING",
                &[Value::Text(signature), Value::Int(micros(expires_at))],
            )
            .await?;
        Ok(inserted > 0)
    }

    /// Forgets signatures whose window has passed; returns how many.
    pub async fn forget_expired_signatures(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        (&self.db)
            .execute(
                "DELETE FROM seen_signatures WHERE expires_at < $1",
                &[Value::Int(micros(now))],
            )
            .await
    }
}
