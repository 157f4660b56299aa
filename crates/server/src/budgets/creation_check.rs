//! Creation check (scpfm extension): `GET /v1/budgets/creation-check?service_id=…` → 200.
//! Tells a provisioning system whether the caller's account may create a resource of a
//! service now, and which budgets prevent it.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::budget_status::{CreationCheckQuery, CreationCheckResponse, PreventingBudget};
use scpfm_app::prevention::preventing_budgets;
use scpfm_domain::decimal_text::fixed;
use scpfm_domain::validation::{FieldError, Problem};

use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Unauthorized};
use crate::state::AppState;

/// Answers whether the caller's account may create a resource of `service_id` now.
#[utoipa::path(get, path = "/v1/budgets/creation-check", operation_id = "CheckResourceCreation",
    description = "whether the account may create a resource of a service now, or which budgets prevent it (scpfm extension; prevention covers the Compute and Database services)",
    params(CreationCheckQuery),
    responses((status = 200, description = "OK", body = CreationCheckResponse), BadRequest, Unauthorized))]
pub async fn check_creation(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CreationCheckQuery>,
) -> Result<Json<CreationCheckResponse>, ApiError> {
    let service_id = query
        .service_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| FieldError::new("service_id", Problem::Required))?;
    let service = state.catalog.require_service("service_id", &service_id)?;
    let preventing = preventing_budgets(&state, &caller.account_id, service).await?;
    Ok(Json(CreationCheckResponse {
        account_id: caller.account_id.to_string(),
        service_id: service.id.clone(),
        service_category: service.category.clone(),
        allowed: preventing.is_empty(),
        prevented_by: preventing
            .iter()
            .map(|(budget, standing)| PreventingBudget {
                budget_id: budget.id.to_string(),
                name: budget.core.name.as_str().to_owned(),
                period: standing
                    .period
                    .as_ref()
                    .map(|period| period.key())
                    .unwrap_or_default(),
                percent: fixed(standing.evaluation.percent, 2),
                threshold: i64::from(budget.prevention.threshold.percent()),
            })
            .collect(),
    }))
}
