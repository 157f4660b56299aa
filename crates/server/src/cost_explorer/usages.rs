//! ListUsages: `GET /v1/usages`.

use crate::json::Json;
use axum::extract::{OriginalUri, State};
use http::HeaderMap;
use scpfm_api_types::error::ErrorResponse;
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse, UsageResponse};
use scpfm_api_types::wire_time::{usage_date, TIMEZONE};
use scpfm_domain::listing::{SortDirection, SortKey};
use scpfm_domain::month::kst_midnight;
use scpfm_domain::usage::{StoredUsage, UsageSortField};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::usage::UsageQuery;

use super::filters::{raw_filters, Filters};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::links::{base_url, page_links};
use crate::state::AppState;
use crate::wire::{amount_at, date_param};

/// Usage amounts carry 10 decimals on the wire.
const AMOUNT_SCALE: u32 = 10;

/// Lists rated usage of the caller's account (and its organisation's members, for a payer),
/// filtered, in `usage_date` or `created_at` order, one `limit`/`marker` page at a time.
#[utoipa::path(
    get,
    path = "/v1/usages",
    operation_id = "ListUsages",
    tag = "CostExplorer",
    description = "Get usage list.",
    params(UsageListQuery),
    responses(
        (status = 200, description = "OK", body = UsageListResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 403, description = "Forbidden", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_usages(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<UsageListQuery>,
) -> Result<Json<UsageListResponse>, ApiError> {
    let mut errors = ValidationErrors::default();
    let raw = raw_filters!(query);
    let default_sort = SortKey {
        field: UsageSortField::UsageDate,
        direction: SortDirection::Asc,
    };
    let filters = Filters::parse(
        &state.catalog,
        raw,
        default_sort,
        "the id of a usage",
        &mut errors,
    );
    let start_date = date_param(&mut errors, "start_date", &query.start_date);
    let end_date = date_param(&mut errors, "end_date", &query.end_date);
    if let (Some(start), Some(end)) = (start_date, end_date) {
        if end < start {
            errors.push(FieldError::with_given(
                "end_date",
                Problem::InvalidFormat {
                    expected: "a date on or after start_date",
                },
                end.to_string(),
            ));
        }
    }
    let Some(filters) = filters else {
        return Err(errors.into());
    };
    errors.finish()?;

    let usage_query = UsageQuery {
        accounts: filters.accounts(&state, &caller).await?,
        from: start_date.map(kst_midnight),
        until: end_date.and_then(|end| end.succ_opt()).map(kst_midnight),
        resources: filters.resources.clone(),
    };
    let page = state
        .store
        .list_usages(
            &usage_query,
            filters.sort.field,
            filters.sort.direction,
            filters.marker.as_deref(),
            filters.limit,
        )
        .await?
        .ok_or_else(|| filters.unknown_marker("the id of a usage in this listing"))?;
    let count = if filters.with_count {
        Some(crate::wire::count(
            state.store.count_usages(&usage_query).await?,
        ))
    } else {
        None
    };
    let next_marker = page
        .more
        .then(|| page.items.last().map(|usage| usage.id.clone()))
        .flatten();
    let base = base_url(&state, &headers, &uri);
    Ok(Json(UsageListResponse {
        timezone: TIMEZONE.to_owned(),
        count,
        links: page_links(&base, &uri, next_marker.as_deref()),
        usages: page.items.iter().map(usage_response).collect(),
    }))
}

fn usage_response(stored: &StoredUsage) -> UsageResponse {
    let usage = &stored.record;
    UsageResponse {
        id: stored.id.clone(),
        account_id: usage.account_id.to_string(),
        service_category: usage.service_category.clone(),
        billing_item_id: usage.billing_item_id.clone(),
        ccbs_product_code: usage.ccbs_product_code.clone(),
        resource_id: usage.resource_id.clone(),
        contract_id: usage.contract_id.clone(),
        order_status: usage.order_status.clone(),
        usage_date: usage_date(usage.period_start),
        amounts: amount_at(usage.amount, AMOUNT_SCALE),
        status_code: usage.status_code,
        resource_name: usage.resource_name.clone(),
        region: usage.region.clone(),
        quantity: usage.quantity.normalize().to_string(),
        unit: usage.unit.as_str().to_owned(),
    }
}
