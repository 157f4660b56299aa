//! Budget creation prevention: whether the caller's account may create a resource of a
//! service now. When a budget of the account has prevention on and its current period's cost
//! (the account's bills after discounts) has reached the prevention threshold, resources of
//! the Compute and Database services may not be created until the amount is raised,
//! prevention is turned off, or the next period begins.
//!
//! Checked on demand, from the bills as they stand, so a raised amount lifts it at once and a
//! cost that just crossed the threshold blocks at once. When it blocks, the evaluator is asked
//! to run for the account, so the prevention episode is recorded and its mail sent even
//! before the next periodic evaluation.

use scpfm_domain::budget::Budget;
use scpfm_domain::budget_eval::prevention_covers;
use scpfm_domain::catalog::Service;
use scpfm_domain::decimal_text::fixed;
use scpfm_domain::ids::AccountId;

use crate::budget_evaluator::{standings, Standing};
use crate::error::AppError;
use crate::App;

/// The budgets of `account` that prevent creating a resource of `service` now, with where
/// they stand.
pub async fn preventing_budgets(
    app: &App,
    account: &AccountId,
    service: &Service,
) -> Result<Vec<(Budget, Standing)>, AppError> {
    if !prevention_covers(&service.category) {
        return Ok(Vec::new());
    }
    let budgets: Vec<Budget> = app
        .store
        .account_budgets(account)
        .await?
        .into_iter()
        .filter(|budget| budget.prevention.enabled)
        .collect();
    if budgets.is_empty() {
        return Ok(Vec::new());
    }
    let standings = standings(&app.store, account, &budgets, app.clock.now()).await?;
    let preventing: Vec<(Budget, Standing)> = budgets
        .into_iter()
        .zip(standings)
        .filter(|(_, standing)| standing.evaluation.preventing)
        .collect();
    if !preventing.is_empty() {
        app.evaluations.request([account.clone()]);
    }
    Ok(preventing)
}

/// Fails with [`AppError::CreationPrevented`] naming the first preventing budget when
/// `account` may not create a resource of `service_id` now; an unknown service is a problem
/// for the field `service_id`.
pub async fn ensure_creation_allowed(
    app: &App,
    account: &AccountId,
    service_id: &str,
) -> Result<(), AppError> {
    let service = app.catalog.require_service("service_id", service_id)?;
    let preventing = preventing_budgets(app, account, service).await?;
    match preventing.into_iter().next() {
        None => Ok(()),
        Some((budget, standing)) => Err(AppError::CreationPrevented {
            budget_id: budget.id.to_string(),
            budget_name: budget.core.name.as_str().to_owned(),
            percent: fixed(standing.evaluation.percent, 2),
            threshold: budget.prevention.threshold.percent(),
        }),
    }
}
