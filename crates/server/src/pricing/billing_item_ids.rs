//! ListBillingItemIds: `GET /v1/reports/billing-item-ids`.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::pricing::BillingItemIdsResponse;

use crate::extract::Caller;
use crate::openapi::Unauthorized;
use crate::state::AppState;

/// Every billing item id of the catalogue, sorted.
#[utoipa::path(get, path = "/v1/reports/billing-item-ids", operation_id = "ListBillingItemIds",
    description = "Get billing item ID list.",
    responses((status = 200, description = "OK", body = BillingItemIdsResponse), Unauthorized))]
pub async fn list_billing_item_ids(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    _caller: Caller,
) -> Json<BillingItemIdsResponse> {
    let mut billing_item_ids: Vec<String> = state
        .catalog
        .billing_items
        .iter()
        .map(|item| item.id.clone())
        .collect();
    billing_item_ids.sort();
    Json(BillingItemIdsResponse { billing_item_ids })
}
