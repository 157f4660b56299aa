//! Closing months: by hand (`scpfm month close`) and by the server's background job, which
//! closes every month with open bills once it ended `billing.close_after_hours` ago (KST).
//! Closing is idempotent and takes the ingestion lock, so replicas may all run the job.
//! Closing charges each planned compute contract's hours that covered nothing (non-applied).

use std::time::Duration;

use chrono::{DateTime, Utc};
use scpfm_domain::bill::{close_is_due, month_has_ended};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::month::YearMonth;
use scpfm_store::bills::CloseOutcome;
use scpfm_store::{Store, StoreError};

use crate::App;

/// Why a month could not be closed.
#[derive(Debug, thiserror::Error)]
pub enum CloseError {
    /// The month has not ended yet (KST).
    #[error("{0} has not ended yet (KST); a month can be closed once it is over")]
    NotEnded(YearMonth),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Closes `month` if it has ended at `now`.
pub async fn close_month(
    store: &Store,
    catalog: &Catalog,
    month: YearMonth,
    now: DateTime<Utc>,
) -> Result<CloseOutcome, CloseError> {
    if !month_has_ended(month, now) {
        return Err(CloseError::NotEnded(month));
    }
    Ok(store.close_month(catalog, month, now).await?)
}

/// Closes every month with open bills whose automatic close is due at `now`.
pub async fn close_due_months(
    store: &Store,
    catalog: &Catalog,
    now: DateTime<Utc>,
    after_hours: u32,
) -> Result<Vec<(YearMonth, CloseOutcome)>, StoreError> {
    let mut closed = Vec::new();
    for month in store.open_bill_months().await? {
        if close_is_due(month, now, after_hours) {
            closed.push((month, store.close_month(catalog, month, now).await?));
        }
    }
    Ok(closed)
}

/// Runs [`close_due_months`] every `every` until the process ends.
pub fn spawn_job(app: App, after_hours: u32, every: Duration) {
    if every.is_zero() {
        return;
    }
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            match close_due_months(&app.store, &app.catalog, app.clock.now(), after_hours).await {
                Ok(closed) => {
                    for (month, outcome) in closed {
                        if let CloseOutcome::Closed {
                            lines,
                            payments,
                            total,
                        } = outcome
                        {
                            tracing::info!(
                                %month, lines, payments, total_krw = %total.krw,
                                "closed month {month}: {lines} bill lines, {payments} payments"
                            );
                        }
                    }
                }
                Err(error) => tracing::warn!(error = %error, "month close check failed"),
            }
        }
    });
}
