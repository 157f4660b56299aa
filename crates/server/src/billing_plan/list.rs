//! ListPlannedComputes: `GET /v1/planned-computes` → 200.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{PlannedComputeListQuery, PlannedComputeListResponse};
use scpfm_api_types::error::ErrorResponse;
use scpfm_domain::listing::{parse_sort, PageRequest, SortDirection, SortKey};
use scpfm_domain::planned_compute::{ContractState, PlannedComputeSortField};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::planned_computes::PlannedComputeFilter;

use super::contract_dto;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::state::AppState;
use crate::wire::date_param;

/// Default page size.
const DEFAULT_LIMIT: u32 = 20;

/// The caller's contracts, filtered, sorted, one 1-based `page` of `limit` at a time.
#[utoipa::path(
    get,
    path = "/v1/planned-computes",
    operation_id = "ListPlannedComputes",
    tag = "BillingPlan",
    description = "Get planned compute list.",
    params(PlannedComputeListQuery),
    responses(
        (status = 200, description = "OK", body = PlannedComputeListResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_planned_computes(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PlannedComputeListQuery>,
) -> Result<Json<PlannedComputeListResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let page = query.page.unwrap_or(1);
    let page_request = errors.check(
        PageRequest::new(query.page, query.limit, 1, DEFAULT_LIMIT).map_err(|mut error| {
            if error.field == "size" {
                error.field = "limit".into();
            }
            error
        }),
    );
    let from = date_param(&mut errors, "start_date", &query.start_date);
    let until = date_param(&mut errors, "end_date", &query.end_date);
    let list = |values: &Option<Vec<String>>| -> Vec<String> {
        values
            .iter()
            .flatten()
            .filter(|v| !v.is_empty())
            .cloned()
            .collect()
    };
    let mut checked = |values: Vec<String>, check: &dyn Fn(&str) -> Result<String, FieldError>| {
        values
            .iter()
            .filter_map(|value| errors.check(check(value)))
            .collect::<Vec<String>>()
    };
    let contract_types = checked(list(&query.contract_type), &|v| {
        catalog
            .require_contract_type("contract_type", v)
            .map(|c| c.code.clone())
    });
    let next_contract_types = checked(list(&query.next_contract_type), &|v| {
        catalog
            .require_contract_type("next_contract_type", v)
            .map(|c| c.code.clone())
    });
    let service_ids = checked(list(&query.service_id), &|v| {
        catalog
            .require_planned_service("service_id", v)
            .map(|s| s.id.clone())
    });
    let os_types = checked(list(&query.os_type), &|v| {
        catalog.require_os("os_type", v).map(|os| os.id.clone())
    });
    let states: Vec<ContractState> = list(&query.state)
        .iter()
        .filter_map(|text| {
            errors.check(text.parse::<ContractState>().map_err(|()| {
                FieldError::with_given(
                    "state",
                    Problem::NotOneOf {
                        allowed: ContractState::ALL.map(|s| s.as_str().to_owned()).to_vec(),
                    },
                    text,
                )
            }))
        })
        .collect();
    let contract_id = query.contract_id.clone().filter(|id| !id.is_empty());
    if let Some(contract) = &contract_id {
        if scpfm_domain::planned_compute::contract_seq(contract).is_none() {
            errors.push(FieldError::with_given(
                "contract_id",
                Problem::InvalidFormat {
                    expected: "C followed by 9 digits",
                },
                contract,
            ));
        }
    }
    let sort = match query.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
        None => Some(vec![SortKey {
            field: PlannedComputeSortField::CreatedAt,
            direction: SortDirection::Desc,
        }]),
        Some(text) => errors.check(parse_sort::<PlannedComputeSortField>("sort", text)),
    };
    let (Some(page_request), Some(sort)) = (page_request, sort) else {
        return Err(errors.into());
    };
    errors.finish()?;
    let filter = PlannedComputeFilter {
        from,
        until,
        server_type: query.server_type.clone().filter(|s| !s.is_empty()),
        contract_id,
        contract_types,
        next_contract_types,
        service_ids,
        os_types,
        states,
        created_by: query.created_by.clone().filter(|s| !s.is_empty()),
        modified_by: query.modified_by.clone().filter(|s| !s.is_empty()),
    };
    let (items, total) = state
        .store
        .list_planned_computes(&caller.account_id, &filter, &sort, page_request)
        .await?;
    Ok(Json(PlannedComputeListResponse {
        planned_computes: items.iter().map(|c| contract_dto(catalog, c)).collect(),
        total_pages: crate::wire::count(page_request.total_pages(total)),
        total_count: crate::wire::count(total),
        current_page: page,
    }))
}
