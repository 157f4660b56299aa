//! ListPlannedComputes: `GET /v1/planned-computes` → 200.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{PlannedComputeListQuery, PlannedComputeListResponse};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::code::Code as _;
use scpfm_domain::listing::{PageRequest, SortKey};
use scpfm_domain::planned_compute::{contract_seq, ContractState, PlannedComputeSortField};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::planned_computes::PlannedComputeFilter;

use super::contract_dto;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Unauthorized};
use crate::paging;
use crate::state::AppState;
use crate::wire::date_param;

/// Default page size.
const DEFAULT_LIMIT: u32 = 20;
/// Newest first.
const DEFAULT_SORT: SortKey<PlannedComputeSortField> =
    SortKey::desc(PlannedComputeSortField::CreatedAt);

/// The caller's contracts, filtered, sorted, one 1-based `page` of `limit` at a time.
#[utoipa::path(get, path = "/v1/planned-computes", operation_id = "ListPlannedComputes",
    description = "Get planned compute list.",
    params(PlannedComputeListQuery),
    responses((status = 200, description = "OK", body = PlannedComputeListResponse), BadRequest, Unauthorized))]
pub async fn list_planned_computes(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PlannedComputeListQuery>,
) -> Result<Json<PlannedComputeListResponse>, ApiError> {
    let (filter, sort, page) = parse_query(&state.catalog, &query)?;
    let (items, total) = state
        .store
        .list_planned_computes(&caller.account_id, &filter, &sort, page)
        .await?;
    Ok(Json(PlannedComputeListResponse {
        planned_computes: items
            .iter()
            .map(|c| contract_dto(&state.catalog, c))
            .collect(),
        total_pages: crate::wire::count(page.total_pages(total)),
        total_count: crate::wire::count(total),
        current_page: query.page.unwrap_or(1),
    }))
}

/// The filter, order and page asked for, every parameter checked.
fn parse_query(
    catalog: &Catalog,
    query: &PlannedComputeListQuery,
) -> Result<
    (
        PlannedComputeFilter,
        Vec<SortKey<PlannedComputeSortField>>,
        PageRequest,
    ),
    ApiError,
> {
    let mut errors = ValidationErrors::default();
    let page = paging::one_based(&mut errors, query.page, query.limit, DEFAULT_LIMIT);
    let from = date_param(&mut errors, "start_date", &query.start_date);
    let until = date_param(&mut errors, "end_date", &query.end_date);
    let mut each = |field: &str,
                    given: &Option<Vec<String>>,
                    check: &dyn Fn(&str, &str) -> Result<String, FieldError>| {
        paging::values(given)
            .iter()
            .filter_map(|value| errors.check(check(field, value)))
            .collect::<Vec<String>>()
    };
    let contract_type = |field: &str, v: &str| {
        catalog
            .require_contract_type(field, v)
            .map(|c| c.code.clone())
    };
    let contract_types = each("contract_type", &query.contract_type, &contract_type);
    let next_contract_types = each(
        "next_contract_type",
        &query.next_contract_type,
        &contract_type,
    );
    let service_ids = each("service_id", &query.service_id, &|field, v| {
        catalog
            .require_planned_service(field, v)
            .map(|s| s.id.clone())
    });
    let os_types = each("os_type", &query.os_type, &|field, v| {
        catalog.require_os(field, v).map(|os| os.id.clone())
    });
    let states: Vec<ContractState> = paging::values(&query.state)
        .iter()
        .filter_map(|text| errors.check(ContractState::parse_field("state", text)))
        .collect();
    let contract_id = paging::text(&query.contract_id);
    if let Some(contract) = contract_id
        .as_deref()
        .filter(|id| contract_seq(id).is_none())
    {
        errors.push(FieldError::with_given(
            "contract_id",
            Problem::InvalidFormat {
                expected: "C followed by 9 digits",
            },
            contract,
        ));
    }
    let sort = paging::sort_or(&mut errors, &query.sort, vec![DEFAULT_SORT]);
    let (Some(page), Some(sort)) = (page, sort) else {
        return Err(errors.into());
    };
    errors.finish()?;
    let filter = PlannedComputeFilter {
        from,
        until,
        server_type: paging::text(&query.server_type),
        contract_id,
        contract_types,
        next_contract_types,
        service_ids,
        os_types,
        states,
        created_by: paging::text(&query.created_by),
        modified_by: paging::text(&query.modified_by),
    };
    Ok((filter, sort, page))
}
