//! A demo database's time origin (see migration V6): demo time `demo_start` began at the real
//! instant `started_at`, and runs at the real pace from there.

use chrono::{DateTime, Utc};

use crate::codec::{instant, micros};
use crate::db::{Executor, Value};
use crate::{Store, StoreError};

/// When demo time starts, and the real instant it started at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoClock {
    /// The demo instant at `started_at`.
    pub demo_start: DateTime<Utc>,
    /// The real instant demo time started.
    pub started_at: DateTime<Utc>,
}

impl Store {
    /// The database's demo clock, if it is a demo database.
    pub async fn demo_clock(&self) -> Result<Option<DemoClock>, StoreError> {
        (&self.db)
            .query_opt(
                "SELECT demo_start, started_at FROM demo_clock WHERE id = 1",
                &[],
                |row| {
                    Ok(DemoClock {
                        demo_start: instant(row.int(0)?)?,
                        started_at: instant(row.int(1)?)?,
                    })
                },
            )
            .await
    }

    /// Records `clock` unless the database has a demo clock already; returns the one it has.
    pub async fn record_demo_clock(&self, clock: DemoClock) -> Result<DemoClock, StoreError> {
        (&self.db)
            .execute(
                "INSERT INTO demo_clock (id, demo_start, started_at) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO NOTHING",
                &[
                    Value::Int(micros(clock.demo_start)),
                    Value::Int(micros(clock.started_at)),
                ],
            )
            .await?;
        Ok(self.demo_clock().await?.unwrap_or(clock))
    }
}
