//! ShowAccountBudget: `GET /v1/budgets/account/{budget_id}` → 201 (as documented).

use crate::json::Json;
use axum::extract::{Path, State};
use http::StatusCode;
use scpfm_api_types::budget::BudgetAccountShowResponse;

use super::{find_budget, show_response};
use crate::error::ApiError;
use crate::extract::Caller;
use crate::openapi::{Forbidden, NotFound, Unauthorized};
use crate::state::AppState;

/// Shows one budget of the caller's account. SCP documents 201 for this read; we keep it.
#[utoipa::path(get, path = "/v1/budgets/account/{budget_id}", operation_id = "ShowAccountBudget",
    description = "show a specific account budget",
    params(("budget_id" = String, Path, description = "Budget id", example = "240200fd2b02490ca63bb3965048b493")),
    responses((status = 201, description = "Created", body = BudgetAccountShowResponse), Unauthorized, Forbidden, NotFound))]
pub async fn get_budget(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(budget_id): Path<String>,
) -> Result<(StatusCode, Json<BudgetAccountShowResponse>), ApiError> {
    let budget = find_budget(&state, &caller, budget_id).await?;
    Ok((StatusCode::CREATED, Json(show_response(&budget))))
}
