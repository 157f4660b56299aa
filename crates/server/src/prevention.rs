//! Budget creation prevention: the check BillingPlan runs before a planned compute is
//! ordered. When a budget of the caller's account has prevention on and its current period's
//! cost (the account's bills after discounts) has reached the prevention threshold, the
//! account may not create resources of the Compute services until the amount is raised,
//! prevention is turned off, or the next period begins. Evaluated on demand, from the bills as
//! they stand, so raising the amount lifts it at once. (Mail to the prevention receivers
//! belongs to the budget evaluator, a later piece of work.)

use scpfm_domain::budget_eval::{evaluate, period_months};
use scpfm_domain::listing::PageRequest;
use scpfm_domain::month::YearMonth;
use scpfm_domain::usage::kst_date;
use scpfm_store::budgets::BudgetFilter;

use crate::error::ApiError;
use crate::extract::Caller;
use crate::state::AppState;

/// Fails with a 403 naming the budget when the caller's account may not create a resource
/// of `service_id` now (planned compute services are Compute services).
pub async fn ensure_creation_allowed(
    state: &AppState,
    caller: &Caller,
    _service_id: &str,
) -> Result<(), ApiError> {
    let current = YearMonth::of(kst_date(state.clock.now()));
    let page = PageRequest::new(None, None, 0, PageRequest::MAX_SIZE)?;
    let (budgets, _) = state
        .store
        .list_budgets(&caller.account_id, &BudgetFilter::default(), &[], page)
        .await?;
    for budget in budgets.iter().filter(|budget| budget.prevention.enabled) {
        let months = period_months(budget, current);
        if months.is_empty() {
            continue;
        }
        let cost = state
            .store
            .account_cost(&caller.account_id, &months)
            .await?;
        let evaluation = evaluate(budget, cost);
        if evaluation.preventing {
            return Err(ApiError::CreationPrevented {
                budget_id: budget.id.to_string(),
                budget_name: budget.core.name.as_str().to_owned(),
                percent: evaluation.percent.to_string(),
                threshold: budget.prevention.threshold.percent(),
            });
        }
    }
    Ok(())
}
