//! CostExplorer service: `/v1/bills` (ListBills), `/v1/payments/monthly`
//! (GetPaymentMonthly) and `/v1/usages` (ListUsages); and scpfm's cost analysis:
//! `/v1/cost-and-usage` (GetCostAndUsage), its `/forecast` (GetCostForecast) and
//! `/v1/exports/focus` (ExportFocus).

mod bills;
mod cost_and_usage;
mod cost_forecast;
mod cost_params;
mod cost_wire;
mod filters;
mod focus_export;
mod payments;
mod usages;

pub use bills::{__path_list_bills, list_bills};
pub use cost_and_usage::{__path_get_cost_and_usage, get_cost_and_usage};
pub use cost_forecast::{__path_get_cost_forecast, get_cost_forecast};
pub use focus_export::{__path_export_focus, export_focus};
pub use payments::{__path_get_payment_monthly, get_payment_monthly};
pub use usages::{__path_list_usages, list_usages};

use scpfm_domain::ids::AccountId;

use crate::error::ApiError;
use crate::extract::Caller;
use crate::state::AppState;

/// The accounts a caller may see: its own, and its organisation's members when it is the
/// payer. `requested` narrows them; naming an account outside them is a 403.
pub async fn visible_accounts(
    state: &AppState,
    caller: &Caller,
    requested: &[String],
) -> Result<Vec<AccountId>, ApiError> {
    let mut visible = vec![caller.account_id.clone()];
    visible.extend(state.store.member_account_ids(&caller.account_id).await?);
    if requested.is_empty() {
        return Ok(visible);
    }
    let mut chosen = Vec::with_capacity(requested.len());
    for account in requested {
        match visible.iter().find(|known| known.as_str() == account) {
            Some(known) => {
                if !chosen.contains(known) {
                    chosen.push(known.clone());
                }
            }
            None => {
                return Err(ApiError::AccountNotVisible {
                    account_id: account.clone(),
                })
            }
        }
    }
    Ok(chosen)
}
