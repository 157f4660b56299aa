//! `POST /v1/admin/bill-adjustments`: load discounts, savings and credits (a JSON array, or
//! NDJSON: one adjustment a line).

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::bill::{AdjustmentInput, AdjustmentLoadResponse};
use scpfm_api_types::error::ErrorResponse;

use super::usage_records::{parse_body, MAX_RECORDS};
use crate::error::ApiError;
use crate::extract::Caller;
use crate::openapi::{AdminOnly, Unauthorized};
use crate::state::AppState;
use scpfm_app::adjustments::load_adjustments;

/// Stores adjustments and updates the discounts of the bills they touch, atomically.
/// Adjustment ids already stored are no-ops; any invalid adjustment stores nothing.
#[utoipa::path(post, path = "/v1/admin/bill-adjustments", operation_id = "LoadBillAdjustments",
    description = "Load bill adjustments (scpfm admin API): discounts, savings and credits per account and open month, as a percentage of each matching bill line or a fixed KRW amount. Body: a JSON array, or NDJSON. Admin access keys only.",
    request_body(content = Vec<AdjustmentInput>, description = "Adjustments"),
    responses((status = 200, description = "OK", body = AdjustmentLoadResponse), (status = 400, description = "Bad Request: every invalid adjustment is named", body = ErrorResponse), (status = 409, description = "The month is closed", body = ErrorResponse), Unauthorized, AdminOnly))]
pub async fn load_bill_adjustments(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    crate::extract::ApiBytes(body): crate::extract::ApiBytes,
) -> Result<Json<AdjustmentLoadResponse>, ApiError> {
    if !caller.is_admin {
        return Err(ApiError::AdminOnly);
    }
    let items = parse_body::<AdjustmentInput>(&body)?;
    if items.len() > MAX_RECORDS {
        return Err(ApiError::TooManyItems {
            sent: items.len(),
            max: MAX_RECORDS,
        });
    }
    let received = items.len() as u64;
    let outcome = load_adjustments(&state.store, &state.catalog, items, state.clock.now()).await?;
    // Discounts and credits change what the adjusted accounts' budgets measure.
    state.evaluations.request(outcome.accounts.iter().cloned());
    Ok(Json(AdjustmentLoadResponse {
        received,
        stored: outcome.stored as u64,
        duplicates: outcome.duplicates as u64,
    }))
}
