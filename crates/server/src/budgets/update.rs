//! SetAccountBudget: `PUT /v1/budgets/account/{budget_id}` → 200.

use crate::json::Json;
use axum::extract::{Path, State};
use scpfm_api_types::budget::{BudgetAccountShowResponse, BudgetSetRequest};
use scpfm_store::budgets::Change;

use super::{name_taken, parse_request, show_response};
use crate::error::{ApiError, Resource};
use crate::extract::{ApiJson, Caller};
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized};
use crate::state::AppState;

/// Replaces a budget's name, unit, start month and amount. A settings object the request
/// leaves out keeps the stored settings; fields a given object leaves out keep their values.
#[utoipa::path(put, path = "/v1/budgets/account/{budget_id}", operation_id = "SetAccountBudget",
    description = "set a specific account budget",
    params(("budget_id" = String, Path, description = "Budget id", example = "240200fd2b02490ca63bb3965048b493")),
    request_body = BudgetSetRequest,
    responses((status = 200, description = "OK", body = BudgetAccountShowResponse), BadRequest, Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn update_budget(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(budget_id): Path<String>,
    ApiJson(BudgetSetRequest(request)): ApiJson<BudgetSetRequest>,
) -> Result<Json<BudgetAccountShowResponse>, ApiError> {
    let parsed = parse_request(&request)?;
    let name = parsed.core.name.clone();
    let change = Change {
        user: &caller.user_name,
        at: state.clock.now(),
    };
    let updated = state
        .store
        .update_budget(&caller.account_id, &budget_id, change, |current| {
            current
                .changed(parsed.core, parsed.notifications, parsed.prevention)
                .map_err(ApiError::from)
        })
        .await
        .map_err(name_taken(&name))?
        .ok_or(ApiError::NotFound {
            resource: Resource::Budget,
            id: budget_id,
        })?;
    tracing::info!(budget.id = %updated.id, account.id = %caller.account_id, "budget updated");
    // A raised amount or prevention turned off lifts prevention; new thresholds may be reached.
    state.evaluations.request([caller.account_id.clone()]);
    Ok(Json(show_response(&updated)))
}
