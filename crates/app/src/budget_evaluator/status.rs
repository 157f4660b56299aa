//! A budget's status: its live standing (from the bills as they stand now), what the
//! evaluator last recorded of it, and its newest notifications. Shown by the status API,
//! `scpfm budgets status` and `scpcli … show --output table`.

use chrono::{DateTime, Utc};
use scpfm_domain::budget::Budget;
use scpfm_domain::ids::AccountId;
use scpfm_store::budget_evaluations::{NotificationRecord, StoredEvaluation};
use scpfm_store::{Store, StoreError};

use super::{standings, Standing};

/// Notifications read per budget.
pub const HISTORY: u32 = 20;

/// Everything known about where a budget stands.
#[derive(Debug, Clone)]
pub struct BudgetState {
    /// The budget.
    pub budget: Budget,
    /// Its standing now.
    pub standing: Standing,
    /// The evaluator's last record of it.
    pub stored: Option<StoredEvaluation>,
    /// Its newest notifications, newest first.
    pub notifications: Vec<NotificationRecord>,
}

/// The states of `budgets` (all of `account`) at `now`, in order.
pub async fn budget_states(
    store: &Store,
    account: &AccountId,
    budgets: Vec<Budget>,
    now: DateTime<Utc>,
) -> Result<Vec<BudgetState>, StoreError> {
    let standings = standings(store, account, &budgets, now).await?;
    let mut stored = store.budget_evaluations(account).await?;
    let mut states = Vec::with_capacity(budgets.len());
    for (budget, standing) in budgets.into_iter().zip(standings) {
        let notifications = store
            .budget_notifications(account, &budget.id, HISTORY)
            .await?;
        let evaluation = stored
            .iter()
            .position(|evaluation| evaluation.budget_id == budget.id)
            .map(|idx| stored.swap_remove(idx));
        states.push(BudgetState {
            budget,
            standing,
            stored: evaluation,
            notifications,
        });
    }
    Ok(states)
}
