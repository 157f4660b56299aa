//! List Planned Compute Covered Resource: `GET /v1/planned-computes/instances`.

use crate::json::Json;
use axum::extract::State;
use chrono::Duration;
use rust_decimal::Decimal;
use scpfm_api_types::billing_plan::{
    CoveredResourceQuery, OsTypeDto, PlannedComputeResourceListResponse, ProductResponse,
    ResourceGroupTotalAmountDto, ResourceUsedAmountDto,
};
use scpfm_api_types::error::ErrorResponse;
use scpfm_api_types::wire_time::planned_compute_timestamp;
use scpfm_domain::bill::AMOUNT_SCALE;
use scpfm_domain::coverage::{CoverageContract, CoverageSortField};
use scpfm_domain::listing::{parse_sort, PageRequest, SortDirection, SortKey};
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::kst_midnight;
use scpfm_domain::month::YearMonth;
use scpfm_domain::planned_compute::{
    billing_item_of, contract_seq, hourly_price, PlannedComputeSortField,
};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::planned_computes::PlannedComputeFilter;

use super::contract_dto;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::state::AppState;
use crate::wire::{amount, date_param};

/// Most days one report may span.
const MAX_DAYS: i64 = 366;

/// What the caller's contracts of a (service, server type, OS) covered between two dates
/// (KST, inclusive): covered hours and amounts per resource and contract, each contract's
/// idle hours, and the group's totals.
#[utoipa::path(
    get,
    path = "/v1/planned-computes/instances",
    operation_id = "ListPlannedComputeCoveredResource",
    tag = "BillingPlan",
    description = "Get Planned Compute Covered Resource List.",
    params(CoveredResourceQuery),
    responses(
        (status = 200, description = "OK", body = PlannedComputeResourceListResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_covered_resources(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CoveredResourceQuery>,
) -> Result<Json<PlannedComputeResourceListResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let mut required = |field: &'static str, value: &Option<String>| {
        let value = value.clone().filter(|v| !v.is_empty());
        if value.is_none() {
            errors.push(FieldError::new(field, Problem::Required));
        }
        value
    };
    let (service, os, server, start, end) = (
        required("service_id", &query.service_id),
        required("os_type", &query.os_type),
        required("server_type", &query.server_type),
        required("start_date", &query.start_date),
        required("end_date", &query.end_date),
    );
    let service = service.and_then(|id| {
        errors.check(
            catalog
                .require_planned_service("service_id", &id)
                .map(|s| s.id.clone()),
        )
    });
    let os = os.and_then(|text| errors.check(catalog.require_os("os_type", &text)));
    let server = server.and_then(|id| {
        errors.check(
            catalog
                .require_server_type("server_type", &id, service.as_deref())
                .map(|s| s.id.clone()),
        )
    });
    let sort = match query.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
        Some(sort) => errors
            .check(parse_sort::<CoverageSortField>("sort", sort))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let start = date_param(&mut errors, "start_date", &start);
    let end = date_param(&mut errors, "end_date", &end);
    if let (Some(start), Some(end)) = (start, end) {
        if end < start || (end - start).num_days() >= MAX_DAYS {
            errors.push(FieldError::with_given(
                "end_date",
                Problem::InvalidFormat {
                    expected: "a date on or after start_date, at most 366 days later",
                },
                end.to_string(),
            ));
        }
    }
    let (Some(service), Some(os), Some(server), Some(start), Some(end)) =
        (service, os, server, start, end)
    else {
        return Err(errors.into());
    };
    errors.finish()?;

    let from = kst_midnight(start);
    let until = kst_midnight(end) + Duration::days(1);
    let filter = PlannedComputeFilter {
        server_type: Some(server.clone()),
        service_ids: vec![service.clone()],
        os_types: vec![os.id.clone()],
        ..PlannedComputeFilter::default()
    };
    let order = [SortKey {
        field: PlannedComputeSortField::ContractId,
        direction: SortDirection::Asc,
    }];
    let page = PageRequest::new(
        Some(1),
        Some(i64::from(PageRequest::MAX_SIZE)),
        1,
        PageRequest::MAX_SIZE,
    )
    .map_err(ApiError::from)?;
    let (contracts, _) = state
        .store
        .list_planned_computes(&caller.account_id, &filter, &order, page)
        .await?;
    // Only contracts whose term overlaps the window count (and are listed).
    let contracts: Vec<_> = contracts
        .into_iter()
        .filter(|contract| {
            contract_seq(&contract.contract_id).is_some_and(|seq| {
                CoverageContract::of(contract, seq).hours_within(from, until) > 0
            })
        })
        .collect();
    let order_count = contracts.len();
    let item = billing_item_of(catalog, &service)
        .ok_or_else(|| ApiError::Internal(format!("no billing item for {service}")))?;
    let facts = state
        .store
        .coverage_facts(
            &caller.account_id,
            &item.id,
            &[("server_type", &server), ("os_type", &os.id)],
            from,
            until,
        )
        .await?;
    let rate = catalog.usd_rate(YearMonth::of(start));
    let mut rows = Vec::new();
    let (mut used, mut idle) = (DualAmount::ZERO, DualAmount::ZERO);
    for contract in &contracts {
        let price = hourly_price(catalog, contract).unwrap_or_default();
        let unit_price = DualAmount::from_krw(price, rate, AMOUNT_SCALE);
        let request_at = planned_compute_timestamp(contract.created_at);
        for ((resource, contract_id), (hours, cost)) in &facts.covered {
            if contract_id == &contract.contract_id {
                used += *cost;
                rows.push((
                    contract_id.clone(),
                    ResourceUsedAmountDto {
                        resource_name: Some(resource.clone()),
                        used_time: *hours,
                        unit_price: amount(unit_price),
                        used_amount: amount(*cost),
                        non_applied_amount: amount(DualAmount::ZERO),
                        request_at: request_at.clone(),
                    },
                ));
            }
        }
        let Some(seq) = contract_seq(&contract.contract_id) else {
            continue;
        };
        let window = CoverageContract::of(contract, seq);
        let idle_hours =
            window.hours_within(from, until) - facts.covered_hours.get(&seq).copied().unwrap_or(0);
        if idle_hours > 0 {
            let cost = DualAmount::from_krw(
                (price * Decimal::from(idle_hours)).round_dp(AMOUNT_SCALE),
                rate,
                AMOUNT_SCALE,
            );
            idle += cost;
            rows.push((
                contract.contract_id.clone(),
                ResourceUsedAmountDto {
                    resource_name: None,
                    used_time: 0,
                    unit_price: amount(unit_price),
                    used_amount: amount(DualAmount::ZERO),
                    non_applied_amount: amount(cost),
                    request_at,
                },
            ));
        }
    }
    let description = contracts
        .first()
        .map(|contract| contract_dto(catalog, contract).server_type_description)
        .unwrap_or_else(|| serde_json::json!({}));
    Ok(Json(PlannedComputeResourceListResponse {
        service: ProductResponse {
            display_name: catalog
                .service(&service)
                .map_or_else(|| service.clone(), |s| s.display_name.clone()),
            service_id: service,
        },
        server_type: server,
        server_type_description: description,
        os: OsTypeDto {
            os_type_id: os.id.clone(),
            display_name: os.display_name.clone(),
            os_type_value: os.value.clone(),
        },
        order_count: crate::wire::count(order_count),
        amount: ResourceGroupTotalAmountDto {
            no_contract_used: amount(facts.uncovered),
            used: amount(used),
            non_applied: amount(idle),
            total: amount(facts.uncovered + used + idle),
        },
        coverages: sorted_rows(rows, &sort),
    }))
}

/// The report's rows in the order asked for (stable: by contract, then resource, otherwise);
/// the contract each row belongs to orders it but is not shown (the official client's
/// `ResourceUsedAmountDTO` has no `contract_id`).
fn sorted_rows(
    mut rows: Vec<(String, ResourceUsedAmountDto)>,
    sort: &[SortKey<CoverageSortField>],
) -> Vec<ResourceUsedAmountDto> {
    rows.sort_by(|(a_contract, a), (b_contract, b)| {
        sort.iter()
            .map(|key| {
                let order = match key.field {
                    CoverageSortField::ContractId => a_contract.cmp(b_contract),
                    CoverageSortField::ResourceName => a.resource_name.cmp(&b.resource_name),
                    CoverageSortField::UsedTime => a.used_time.cmp(&b.used_time),
                };
                match key.direction {
                    SortDirection::Asc => order,
                    SortDirection::Desc => order.reverse(),
                }
            })
            .find(|order| order.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    rows.into_iter().map(|(_, row)| row).collect()
}
