//! Ingestion: one transaction holding the ingestion lock (SQLite's single writer; a
//! transaction-scoped advisory lock on PostgreSQL), so the month's cumulative tier quantities
//! advance in one order and two ingestions never rate against the same totals. Any number
//! of batches go through one transaction (a whole file is stored or nothing is); for each:
//! 1. find which record ids are already stored (re-sent records are no-ops);
//! 2. load the cumulative quantities of accounts and months not loaded yet;
//! 3. let the caller rate the new records (a pure function of the catalogue);
//! 4. find or store their series and append the records (prepared inserts on a blocking
//!    thread on SQLite; binary `COPY` on PostgreSQL, in a task of its own while the next
//!    batch goes through 1–3 on a second connection).
//!
//! The totals are saved, and the bills updated, when the ingestion commits.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::coverage::CoverageBook;
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::YearMonth;
use scpfm_domain::usage::UsageRecord;
use tokio::task::JoinHandle;

use super::series::SeriesIds;
use super::{BatchContext, IngestOutcome, IngestPlan, RecordIds, TierTotals};
use crate::bills::{all_closed_months, PendingBills};
use crate::codec::micros;
use crate::cost::rebuild::UsageSums;
use crate::db::{Db, Executor, Tx};
use crate::{Store, StoreError};
use scpfm_domain::month::kst_date;

pub(crate) use super::ingest_rows::record_key;
use super::ingest_rows::{
    append, coverage_book, key_order, load_totals, save_coverage, save_totals, stored_record_ids,
    taken_hours, Batch,
};

/// Key of the advisory lock serializing ingestion on PostgreSQL.
pub(crate) const INGEST_LOCK: i64 = 0x5c9f_0002;
/// The newest record's instant: the last record of each account, through (account_no, seq).
const LAST_CREATED: &str = "SELECT MAX((SELECT r.created_at FROM usage_records r \
     WHERE r.account_no = a.number ORDER BY r.seq DESC LIMIT 1)) FROM usage_accounts a";
const FAILED_EARLIER: &str = "this ingestion failed earlier and was rolled back";

/// An open ingestion transaction. Batches stored through it become visible together when it
/// commits; dropped without commit, it stores nothing. While it is open, other ingestions
/// wait (and on SQLite, every other write).
///
/// On PostgreSQL, batches are pipelined: a batch's `COPY` runs in a task of its own while the
/// next batch is checked against the stored records and rated, through a second connection
/// (the *reader*) that reads committed data — stored record ids, tier totals, covered hours.
/// What this ingestion itself stored, the reader cannot see; it is known here instead: the
/// keys of the records stored (an id among them is checked again on the transaction), the
/// tier totals (loaded once per account and month, advanced in memory, saved at commit) and
/// the covered hours (kept by the coverage book).
pub struct UsageIngest {
    db: Db,
    /// The transaction; `None` while a batch's COPY has it, or after a failure.
    tx: Option<Tx>,
    /// PostgreSQL: the previous batch's COPY, which hands the transaction back.
    copying: Option<JoinHandle<Result<Tx, StoreError>>>,
    /// PostgreSQL: reads committed data while a COPY has the transaction (opened lazily).
    reader: Option<Tx>,
    /// Set when a batch failed: the transaction was rolled back.
    failed: bool,
    series: SeriesIds,
    created_at: i64,
    catalog: Arc<Catalog>,
    /// Closed months (none closes while the ingestion holds the lock).
    closed: Vec<YearMonth>,
    /// Planned compute contracts and the hours they covered (stored ones loaded per batch
    /// range, this ingestion's remembered).
    coverage: CoverageBook,
    /// Charges of the records stored so far, added to their bill lines at commit.
    bills: PendingBills,
    /// Their sums by account, day and cost key, added to the rollup at commit.
    cost: UsageSums,
    /// Cumulative tier quantities: as loaded, and as this ingestion advanced them.
    totals_loaded: TierTotals,
    totals: TierTotals,
    months_loaded: HashSet<(AccountId, YearMonth), foldhash::fast::RandomState>,
    /// PostgreSQL: keys of the records this ingestion stored.
    stored_keys: HashSet<i64, foldhash::fast::RandomState>,
}

impl Store {
    /// Opens an ingestion transaction; records it stores are `created_at` `now` (or, if the
    /// clock is behind, the newest stored record's instant, so storage order stays time order).
    /// Bills are kept with the `catalog`'s components and USD rates.
    pub async fn begin_usage_ingest(
        &self,
        now: DateTime<Utc>,
        catalog: Arc<Catalog>,
    ) -> Result<UsageIngest, StoreError> {
        let mut tx = self.begin_billing().await?;
        if let Tx::Postgres(pg) = &tx {
            plan_index_lookups(pg.client()?).await?;
        }
        let last = tx
            .query_one(LAST_CREATED, &[], |row| row.opt_int(0))
            .await?;
        let closed = all_closed_months(&mut tx).await?;
        let coverage = coverage_book(&mut tx).await?;
        Ok(UsageIngest {
            db: self.db.clone(),
            tx: Some(tx),
            copying: None,
            reader: None,
            failed: false,
            series: SeriesIds::default(),
            created_at: last.map_or(micros(now), |last| last.max(micros(now))),
            catalog,
            closed,
            coverage,
            bills: PendingBills::default(),
            cost: UsageSums::default(),
            totals_loaded: TierTotals::new(),
            totals: TierTotals::new(),
            months_loaded: HashSet::default(),
            stored_keys: HashSet::default(),
        })
    }
}

/// Every statement of an ingestion is an index lookup; the PostgreSQL planner, seeing a
/// de-duplication probe of 50,000 record ids, would rather scan the whole table (0.2 s per
/// batch at 1 M records, 2 s at 10 M). Set for the transaction on `client`.
async fn plan_index_lookups(client: &deadpool_postgres::Object) -> Result<(), StoreError> {
    client
        .batch_execute("SET LOCAL enable_seqscan = off")
        .await
        .map_err(crate::db::postgres_error)
}

impl UsageIngest {
    /// Stores a batch: `rate` receives the record ids of `plan` already stored, the closed
    /// months (whose new records it must refuse: they fail the batch with
    /// [`StoreError::MonthClosed`] otherwise) and the cumulative tier quantities of
    /// `plan.months`, and returns the rated records to store (it may advance the totals). If
    /// anything fails, the whole transaction is rolled back and this ingestion cannot be used
    /// further. On PostgreSQL the batch's records are still being copied when this returns;
    /// a failure of that copy fails the next batch or the commit.
    pub async fn ingest<E, F>(&mut self, plan: IngestPlan, rate: F) -> Result<IngestOutcome, E>
    where
        E: From<StoreError>,
        F: FnOnce(BatchContext<'_>) -> Result<Vec<UsageRecord>, E>,
    {
        if self.failed {
            return Err(StoreError::Query(FAILED_EARLIER.into()).into());
        }
        let outcome = self.ingest_batch(plan, rate).await;
        if outcome.is_err() {
            self.fail();
        }
        outcome
    }

    async fn ingest_batch<E, F>(&mut self, plan: IngestPlan, rate: F) -> Result<IngestOutcome, E>
    where
        E: From<StoreError>,
        F: FnOnce(BatchContext<'_>) -> Result<Vec<UsageRecord>, E>,
    {
        let existing = self.stored_record_ids(&plan.record_keys).await?;
        self.load_totals(&plan.months).await?;
        if let (Some((first, last)), false) = (plan.coverable, self.coverage.is_empty()) {
            let taken = taken_hours(self.read_db().await?, micros(first), micros(last)).await?;
            self.coverage.mark_taken(taken);
        }
        let rows = rate(BatchContext {
            existing: &existing,
            closed: &self.closed,
            totals: &mut self.totals,
            coverage: &mut self.coverage,
        })?;
        if let Some(row) = rows.iter().find(|row| self.closed.contains(&row.month)) {
            return Err(StoreError::MonthClosed(row.month).into());
        }
        // Everything that needs no database is done before waiting for the COPY in flight.
        let added = self.coverage.take_added();
        let known = self.series.known(&rows);
        let outcome = IngestOutcome {
            stored: rows.len(),
            duplicates: plan.record_keys.len().saturating_sub(rows.len()),
            amount: rows.iter().map(|row| row.amount).sum(),
        };
        let order = key_order(&rows);
        let postgres = matches!(self.db, Db::Postgres(_));
        if postgres {
            self.stored_keys.extend(order.iter().map(|(key, _)| *key));
        }
        let mut tx = self.take_transaction().await?;
        save_coverage(&mut tx, added).await?;
        let series = self.series.resolve(&mut tx, &rows, known).await?;
        for (row, found) in rows.iter().zip(&series) {
            self.bills.add(&self.catalog, row, found.cost_key);
            let day = kst_date(row.period_start);
            self.cost.add(
                found.account_no,
                day,
                found.cost_key,
                row.amount,
                row.quantity,
            )?;
        }
        let batch = Batch {
            rows,
            series,
            order,
        };
        if postgres {
            let created_at = self.created_at;
            self.copying = Some(tokio::spawn(append(tx, batch, created_at)));
        } else {
            self.tx = Some(append(tx, batch, self.created_at).await?);
        }
        Ok(outcome)
    }

    /// The transaction, once the COPY in flight (if any) has handed it back.
    async fn transaction(&mut self) -> Result<&mut Tx, StoreError> {
        if let Some(copying) = self.copying.take() {
            let tx = copying
                .await
                .map_err(|error| StoreError::Query(format!("copying usage records: {error}")))??;
            self.tx = Some(tx);
        }
        self.tx
            .as_mut()
            .ok_or_else(|| StoreError::Query(FAILED_EARLIER.into()))
    }

    /// The transaction, taken out (dropped on an error, it rolls back).
    async fn take_transaction(&mut self) -> Result<Tx, StoreError> {
        self.transaction().await?;
        self.tx
            .take()
            .ok_or_else(|| StoreError::Query(FAILED_EARLIER.into()))
    }

    /// Where committed data is read: the transaction when it is free, else the reader.
    async fn read_db(&mut self) -> Result<&mut Tx, StoreError> {
        if self.copying.is_none() {
            return self.transaction().await;
        }
        if self.reader.is_none() {
            let reader = self.db.begin().await?;
            if let Tx::Postgres(pg) = &reader {
                plan_index_lookups(pg.client()?).await?;
            }
            self.reader = Some(reader);
        }
        self.reader
            .as_mut()
            .ok_or_else(|| StoreError::Query(FAILED_EARLIER.into()))
    }

    /// The record ids among `keys` already stored: committed ones, and this ingestion's.
    async fn stored_record_ids(&mut self, keys: &[i64]) -> Result<RecordIds, StoreError> {
        let own: Vec<i64> = keys
            .iter()
            .filter(|key| self.stored_keys.contains(key))
            .copied()
            .collect();
        let mut existing = stored_record_ids(self.read_db().await?, keys).await?;
        if !own.is_empty() {
            existing.extend(stored_record_ids(self.transaction().await?, &own).await?);
        }
        Ok(existing)
    }

    /// Loads the tier totals of the months not loaded yet.
    async fn load_totals(&mut self, months: &[(AccountId, YearMonth)]) -> Result<(), StoreError> {
        let missing: Vec<(AccountId, YearMonth)> = months
            .iter()
            .filter(|month| !self.months_loaded.contains(*month))
            .cloned()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let loaded = load_totals(self.read_db().await?, &missing).await?;
        self.months_loaded.extend(missing);
        self.totals_loaded
            .extend(loaded.iter().map(|(key, value)| (key.clone(), *value)));
        self.totals.extend(loaded);
        Ok(())
    }

    /// Rolls everything back: the transaction, the COPY in flight and the reader.
    fn fail(&mut self) {
        self.failed = true;
        self.tx = None;
        self.reader = None;
        if let Some(copying) = self.copying.take() {
            copying.abort();
        }
    }

    /// Adds the stored records to their bill lines and makes everything stored through this
    /// ingestion visible. Returns the accounts whose bills changed (their budgets are due an
    /// evaluation).
    pub async fn commit(mut self) -> Result<Vec<AccountId>, StoreError> {
        if self.failed {
            return Err(StoreError::Query(FAILED_EARLIER.into()));
        }
        let bills = std::mem::take(&mut self.bills);
        let cost = std::mem::take(&mut self.cost);
        let accounts = bills.accounts();
        let (before, after) = (
            std::mem::take(&mut self.totals_loaded),
            std::mem::take(&mut self.totals),
        );
        let mut tx = self.take_transaction().await?;
        save_totals(&mut tx, &before, &after).await?;
        bills.flush(&mut tx, &self.catalog, self.created_at).await?;
        cost.into_pending(Ok)?.flush(&mut tx).await?;
        if let Some(reader) = self.reader.take() {
            // Read-only: ending it returns its connection to the pool.
            reader.commit().await?;
        }
        tx.commit().await?;
        Ok(accounts)
    }
}

impl Drop for UsageIngest {
    fn drop(&mut self) {
        // Uncommitted: a COPY still running is stopped, and its transaction rolled back.
        if let Some(copying) = self.copying.take() {
            copying.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_are_fixed() {
        // Stored in every database: a change here would let re-sent records in twice.
        assert_eq!(
            record_key("vm-1/2026-11-01T00"),
            record_key("vm-1/2026-11-01T00")
        );
        assert_ne!(
            record_key("vm-1/2026-11-01T00"),
            record_key("vm-1/2026-11-01T01")
        );
        assert_eq!(record_key(""), -6_643_665_446_011_134_843);
        assert_eq!(record_key("bench:0:0"), 2_612_590_270_569_550_380);
    }
}
