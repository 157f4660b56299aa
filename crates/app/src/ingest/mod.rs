//! The usage ingestion pipeline, shared by `POST /v1/admin/usage-records` and
//! `scpfm import usage`.
//!
//! 1. [`check_batch`] parses every record's text fields and checks it against the catalogue,
//!    catches record ids repeated with different values (across every batch given the same
//!    [`SeenRecords`]), and reports every problem with the record's position; it is pure, so
//!    the importer runs it on its reading thread while the previous batch is being stored.
//! 2. [`check_accounts`] refuses records of unknown accounts ([`check_records`] does 1 and 2).
//! 3. [`store_records`] asks the store which record ids are already stored (re-sent records
//!    are no-ops), rates the new ones in order against the month's cumulative tier
//!    quantities, and appends them inside the caller's [`UsageIngest`] transaction.
//!
//! Nothing is stored if any record is bad: the caller commits only a clean ingestion.
//!
//! Every record is rated as pay-as-you-go (PG), or subscription (PS) for items priced only
//! that way. Planned compute coverage will choose PP for covered server-hours here.

mod check;

pub use check::*;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::coverage::apply_coverage;
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::usage::{rate_usages, CheckedUsage, UsageRecord, ORDER_STATUS_IN_USE};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::usage::{IngestPlan, UsageIngest};
use scpfm_store::Store;

use crate::error::AppError;
use crate::App;

/// What storing a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IngestSummary {
    /// Records received.
    pub received: usize,
    /// Records stored now.
    pub stored: usize,
    /// Records already stored, or repeated in the batch.
    pub duplicates: usize,
    /// Sum of the amounts stored now.
    pub amount: DualAmount,
}

impl std::ops::AddAssign for IngestSummary {
    fn add_assign(&mut self, other: Self) {
        self.received += other.received;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.amount += other.amount;
    }
}

/// Rates a checked batch and appends it inside `ingest` (visible when it commits).
pub async fn store_records(
    ingest: &mut UsageIngest,
    catalog: Arc<Catalog>,
    batch: CheckedBatch,
) -> Result<IngestSummary, AppError> {
    // Distinct accounts and months first, then owned copies of those few.
    let months: Vec<_> = batch
        .records
        .iter()
        .filter(|(_, usage)| !catalog.prices[usage.price_index].rule.is_stateless())
        .map(|(_, usage)| (&usage.account_id, usage.month))
        .collect::<HashSet<_, foldhash::fast::RandomState>>()
        .into_iter()
        .map(|(account, month)| (account.clone(), month))
        .collect();
    let starts = batch
        .records
        .iter()
        .map(|(_, usage)| usage.input.period_start);
    let coverable = starts.clone().min().zip(starts.max());
    let plan = IngestPlan::new(
        batch
            .records
            .iter()
            .map(|(_, usage)| usage.input.record_id.as_str()),
        months,
        coverable,
    );
    let (received, repeats) = (batch.received, batch.repeats);
    let records = batch.records;
    let outcome = ingest
        .ingest(plan, move |context| {
            let fresh: Vec<(Source, CheckedUsage)> = records
                .into_iter()
                .filter(|(_, usage)| !context.existing.contains(&usage.input.record_id))
                .collect();
            let mut errors = ValidationErrors::default();
            for (source, usage) in &fresh {
                if context.closed.contains(&usage.month) {
                    errors.push(FieldError::with_given(
                        format!("{}period_start", source.prefix()),
                        Problem::MonthClosed {
                            month: usage.month.to_string(),
                        },
                        usage.input.period_start.to_rfc3339(),
                    ));
                }
            }
            errors.truncated(MAX_REPORTED_PROBLEMS).finish()?;
            let mut fresh: Vec<CheckedUsage> = fresh.into_iter().map(|(_, usage)| usage).collect();
            let contracts = apply_coverage(&catalog, context.coverage, &mut fresh);
            let rated = rate_usages(&catalog, fresh, context.totals).map_err(|error| {
                AppError::Internal(format!("rating a checked record failed: {error}"))
            })?;
            Ok::<_, AppError>(
                rated
                    .into_iter()
                    .zip(contracts)
                    .map(|(rated, contract_id)| {
                        let item = catalog.billing_item(&rated.usage.input.billing_item_id);
                        let input = rated.usage.input;
                        UsageRecord {
                            record_id: input.record_id,
                            account_id: rated.usage.account_id,
                            resource_id: input.resource_id,
                            resource_name: input.resource_name,
                            service_category: item
                                .map(|item| item.category.clone())
                                .unwrap_or_default(),
                            ccbs_product_code: item
                                .map(|item| item.ccbs_product_code.clone())
                                .unwrap_or_default(),
                            billing_item_id: input.billing_item_id,
                            region: input.region,
                            contract_id,
                            order_status: ORDER_STATUS_IN_USE.to_owned(),
                            status_code: 0,
                            attributes: input.attributes,
                            period_start: input.period_start,
                            period_end: input.period_end,
                            month: rated.usage.month,
                            quantity: input.quantity,
                            unit: rated.usage.unit,
                            offering: rated.usage.offering,
                            price_id: rated.price_id,
                            amount: rated.amount,
                            tags: input.tags,
                        }
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(IngestSummary {
        received,
        stored: outcome.stored,
        duplicates: outcome.duplicates + repeats,
        amount: outcome.amount,
    })
}

/// Checks, rates and stores one self-contained batch in its own transaction. Returns what it
/// stored and the accounts whose bills changed.
pub async fn ingest_records(
    store: &Store,
    catalog: Arc<Catalog>,
    records: Vec<SourcedRecord>,
    now: DateTime<Utc>,
) -> Result<(IngestSummary, Vec<AccountId>), AppError> {
    let batch = check_records(store, &catalog, records, now).await?;
    let mut ingest = store.begin_usage_ingest(now, Arc::clone(&catalog)).await?;
    let summary = store_records(&mut ingest, catalog, batch).await?;
    let accounts = ingest.commit().await?;
    Ok((summary, accounts))
}

/// The admin API's ingestion: [`ingest_records`] at the app's clock, counted in the metrics;
/// the accounts whose bills changed are queued for budget evaluation.
pub async fn ingest_and_evaluate(
    app: &App,
    records: Vec<SourcedRecord>,
) -> Result<IngestSummary, AppError> {
    let started = std::time::Instant::now();
    let (summary, accounts) =
        ingest_records(&app.store, app.catalog.clone(), records, app.clock.now()).await?;
    app.metrics
        .ingested(summary.received, summary.stored, started.elapsed());
    // Their budgets may have crossed a threshold.
    app.evaluations.request(accounts);
    tracing::info!(
        usage.received = summary.received,
        usage.stored = summary.stored,
        usage.duplicates = summary.duplicates,
        "ingested {} usage records ({} new)",
        summary.received,
        summary.stored
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_take_offsets_or_kst() {
        let with_offset = parse_instant("2026-11-01T00:00:00+09:00").unwrap();
        let kst_naive = parse_instant("2026-11-01T00:00:00").unwrap();
        let spaced = parse_instant("2026-11-01 00:00:00").unwrap();
        let utc = parse_instant("2026-10-31T15:00:00Z").unwrap();
        assert_eq!(with_offset, kst_naive);
        assert_eq!(kst_naive, spaced);
        assert_eq!(spaced, utc);
        assert!(parse_instant("2026-11-01").is_none());
    }

    #[test]
    fn attribute_lists_are_key_value_pairs() {
        let parsed = parse_attribute_list("server_type=s1v1m2; os_type=OPEN_SOURCE").unwrap();
        assert_eq!(parsed["server_type"], "s1v1m2");
        assert!(parse_attribute_list("oops").is_err());
        assert!(parse_attribute_list("").unwrap().is_empty());
    }
}
