//! Named leases: a row per job or key that one holder owns until it expires, so replicas on
//! one database never do the same work at once. A holder that dies loses its leases when they
//! expire; a holder may renew its own lease before then.

use chrono::{DateTime, Duration, Utc};

use crate::codec::micros;
use crate::db::{Executor, Value};
use crate::{Store, StoreError};

const ACQUIRE: &str = "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
     WHERE job_leases.expires_at <= $4 OR job_leases.holder = $2";

impl Store {
    /// Takes (or renews) the lease `name` for `holder` until `now + ttl`; `false` when
    /// another holder's lease has not expired.
    pub async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let taken = (&self.db)
            .execute(
                ACQUIRE,
                &[
                    Value::Text(name),
                    Value::Text(holder),
                    Value::Int(micros(now + ttl)),
                    Value::Int(micros(now)),
                ],
            )
            .await?;
        Ok(taken > 0)
    }

    /// Gives the lease `name` back if `holder` holds it.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        (&self.db)
            .execute(
                "DELETE FROM job_leases WHERE name = $1 AND holder = $2",
                &[Value::Text(name), Value::Text(holder)],
            )
            .await
            .map(|_| ())
    }
}
