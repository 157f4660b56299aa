//! DeleteAccountBudget: `DELETE /v1/budgets/account/{budget_id}` → 204.

use axum::extract::{Path, State};
use http::StatusCode;

use crate::error::{ApiError, Resource};
use crate::extract::Caller;
use crate::openapi::{Forbidden, NotFound, Unauthorized};
use crate::state::AppState;

/// Deletes a budget of the caller's account.
#[utoipa::path(delete, path = "/v1/budgets/account/{budget_id}", operation_id = "DeleteAccountBudget",
    description = "delete a specific account budget",
    params(("budget_id" = String, Path, description = "Budget id", example = "240200fd2b02490ca63bb3965048b493")),
    responses((status = 204, description = "No Content"), Unauthorized, Forbidden, NotFound))]
pub async fn delete_budget(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(budget_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if state
        .store
        .delete_budget(&caller.account_id, &budget_id)
        .await?
    {
        tracing::info!(budget.id = %budget_id, account.id = %caller.account_id, "budget deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound {
            resource: Resource::Budget,
            id: budget_id,
        })
    }
}
