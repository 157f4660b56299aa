//! Budget creation prevention: the check BillingPlan runs before a planned compute is
//! ordered. A budget whose prevention threshold is reached puts its account in "creation
//! prevented" for the budget's period; ordering then answers 403 naming the budget.
//!
//! The budget evaluator that sets that state is its own piece of work (issue "Budgets that
//! act"); until it lands, no account is ever in the prevented state, so this check always
//! allows. This is the one place ordering asks, so the evaluator only has to answer here.

use crate::error::ApiError;
use crate::extract::Caller;
use crate::state::AppState;

/// Fails with a 403 naming the budget when the caller's account may not create a resource
/// of `service_id` now.
pub async fn ensure_creation_allowed(
    _state: &AppState,
    _caller: &Caller,
    _service_id: &str,
) -> Result<(), ApiError> {
    Ok(())
}
