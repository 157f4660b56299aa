//! The planned compute lifecycle job: once a contract's term has ended (KST), it moves into
//! its renewal term or expires (`domain::planned_compute::renew`). Runs hourly in the server
//! (a day turns at different hours for different operators' clocks; the rule is idempotent,
//! so running it often is harmless) and on demand (`scpfm planned-compute renew`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use scpfm_domain::month::kst_date;
use scpfm_domain::planned_compute::{renew, ContractState};
use scpfm_store::{Store, StoreError};

use crate::App;

/// Who the history records for the job's changes.
const JOB_USER: &str = "scpfm";

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenewalRun {
    /// Contracts that moved into their renewal term: `(id, contract number)`.
    pub renewed: Vec<(String, String)>,
    /// Contracts that expired.
    pub expired: Vec<(String, String)>,
}

/// Renews or expires every active contract whose term ended before today (KST) at `now`.
pub async fn renew_due(store: &Store, now: DateTime<Utc>) -> Result<RenewalRun, StoreError> {
    let today = kst_date(now);
    let mut run = RenewalRun::default();
    for contract in store.active_planned_computes().await? {
        let Some(mut changed) = renew(&contract, today) else {
            continue;
        };
        changed.modified_at = now;
        changed.modified_by = JOB_USER.into();
        let (action, list) = match changed.state {
            ContractState::Active => ("RENEW", &mut run.renewed),
            _ => ("EXPIRE", &mut run.expired),
        };
        let detail = serde_json::json!({
            "start_date": changed.term.start_date.to_string(),
            "end_date": changed.term.end_date.to_string(),
        });
        store
            .update_planned_compute(&changed, action, &detail.to_string(), None)
            .await?;
        list.push((changed.id.to_string(), changed.contract_id.clone()));
    }
    Ok(run)
}

/// Runs [`renew_due`] every `every` until the process ends.
pub fn spawn_job(app: App, every: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            match renew_due(&app.store, app.clock.now()).await {
                Ok(run) => {
                    if !run.renewed.is_empty() || !run.expired.is_empty() {
                        tracing::info!(
                            renewed = run.renewed.len(),
                            expired = run.expired.len(),
                            "planned compute lifecycle"
                        );
                    }
                }
                Err(error) => tracing::warn!(error = %error, "planned compute lifecycle failed"),
            }
        }
    });
}
