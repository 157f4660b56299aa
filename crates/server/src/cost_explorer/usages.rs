//! ListUsages: `GET /v1/usages`.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse, UsageResponse};
use scpfm_api_types::wire_time::{usage_date, TIMEZONE};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::listing::SortKey;
use scpfm_domain::month::kst_midnight;
use scpfm_domain::usage::{StoredUsage, UsageSortField};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::usage::UsageQuery;

use super::filters::{raw_filters, Filters};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::links::PageLinks;
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;
use crate::wire::{amount_at, date_param};

/// Usage amounts carry 10 decimals on the wire.
const AMOUNT_SCALE: u32 = 10;

/// Lists rated usage of the caller's account (and its organisation's members, for a payer),
/// filtered, in `usage_date` or `created_at` order, one `limit`/`marker` page at a time.
#[utoipa::path(get, path = "/v1/usages", operation_id = "ListUsages",
    description = "Get usage list.",
    params(UsageListQuery),
    responses((status = 200, description = "OK", body = UsageListResponse), BadRequest, Unauthorized, Forbidden))]
pub async fn list_usages(
    State(state): State<AppState>,
    caller: Caller,
    links: PageLinks,
    ApiQuery(query): ApiQuery<UsageListQuery>,
) -> Result<Json<UsageListResponse>, ApiError> {
    let (filters, mut usage_query) = parse_query(&state.catalog, &query)?;
    usage_query.accounts = filters.accounts(&state, &caller).await?;
    let (sort, marker) = (filters.sort, filters.marker.as_deref());
    let page = state
        .store
        .list_usages(
            &usage_query,
            sort.field,
            sort.direction,
            marker,
            filters.limit,
        )
        .await?
        .ok_or_else(|| filters.unknown_marker("the id of a usage in this listing"))?;
    let count = filters
        .count(state.store.count_usages(&usage_query))
        .await?;
    Ok(Json(UsageListResponse {
        timezone: TIMEZONE.to_owned(),
        count,
        links: links.to(page.next_marker(|usage| &usage.id)),
        usages: page.items.iter().map(usage_response).collect(),
    }))
}

/// The listing's filters and its usage query (for no account yet), every parameter checked.
fn parse_query(
    catalog: &Catalog,
    query: &UsageListQuery,
) -> Result<(Filters<UsageSortField>, UsageQuery), ApiError> {
    let mut errors = ValidationErrors::default();
    let default_sort = SortKey::asc(UsageSortField::UsageDate);
    let raw = raw_filters!(query);
    let filters = Filters::parse(catalog, raw, default_sort, "the id of a usage", &mut errors);
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
        accounts: Vec::new(),
        from: start_date.map(kst_midnight),
        until: end_date.and_then(|end| end.succ_opt()).map(kst_midnight),
        resources: filters.resources.clone(),
    };
    Ok((filters, usage_query))
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
