//! Get Planned Compute: `GET /v1/planned-computes/{planned_compute_id}` → 200.

use crate::json::Json;
use axum::extract::{Path, State};
use scpfm_api_types::billing_plan::PlannedComputeResponse;
use scpfm_domain::planned_compute::PlannedCompute;

use super::contract_dto;
use crate::error::{ApiError, Resource};
use crate::extract::Caller;
use crate::openapi::{NotFound, Unauthorized};
use crate::state::AppState;

/// One contract of the caller's account.
#[utoipa::path(get, path = "/v1/planned-computes/{planned_compute_id}", operation_id = "GetPlannedCompute",
    description = "Get planned compute.",
    params(("planned_compute_id" = String, Path, description = "Planned Compute Id", example = "5f3688a192094ddeb0c94166a3e88935")),
    responses((status = 200, description = "OK", body = PlannedComputeResponse), Unauthorized, NotFound))]
pub async fn get_planned_compute(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    let contract = find(&state, &caller, &id).await?;
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(&state.catalog, &contract),
    }))
}

pub(super) async fn find(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<PlannedCompute, ApiError> {
    state
        .store
        .get_planned_compute(&caller.account_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            resource: Resource::PlannedCompute,
            id: id.to_owned(),
        })
}
