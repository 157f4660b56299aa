//! CreateAccountBudget: `POST /v1/budgets/account` → 201.

use crate::json::Json;
use axum::extract::State;
use http::StatusCode;
use scpfm_api_types::budget::{BudgetAccountShowResponse, BudgetCreateRequest};
use scpfm_domain::budget::NewBudget;
use scpfm_domain::ids::BudgetId;
use scpfm_store::budgets::Change;

use super::{name_taken, parse_request, show_response};
use crate::error::ApiError;
use crate::extract::{ApiJson, Caller};
use crate::openapi::{BadRequest, Conflict, Forbidden, Unauthorized};
use crate::state::AppState;

/// Creates a budget in the caller's account.
#[utoipa::path(post, path = "/v1/budgets/account", operation_id = "CreateAccountBudget",
    description = "create a account budget",
    request_body = BudgetCreateRequest,
    responses((status = 201, description = "Created", body = BudgetAccountShowResponse), BadRequest, Unauthorized, Forbidden, Conflict))]
pub async fn create_budget(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<BudgetCreateRequest>,
) -> Result<(StatusCode, Json<BudgetAccountShowResponse>), ApiError> {
    let parsed = parse_request(&request)?;
    let name = parsed.core.name.clone();
    let budget = NewBudget::new(parsed.core, parsed.notifications, parsed.prevention)?;
    let id = BudgetId::from_bytes(uuid::Uuid::new_v4().into_bytes());
    let change = Change {
        user: &caller.user_name,
        at: state.clock.now(),
    };
    let created = state
        .store
        .create_budget(id, &caller.account_id, budget, change)
        .await
        .map_err(ApiError::from)
        .map_err(name_taken(&name))?;
    tracing::info!(budget.id = %created.id, account.id = %caller.account_id, "budget created");
    // The period's cost may already reach its thresholds.
    state.evaluations.request([caller.account_id.clone()]);
    Ok((StatusCode::CREATED, Json(show_response(&created))))
}
