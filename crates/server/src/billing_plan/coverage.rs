//! List Planned Compute Covered Resource: `GET /v1/planned-computes/instances`.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{
    CoveredResourceQuery, OsTypeDto, PlannedComputeResourceListResponse, ProductResponse,
    ResourceGroupTotalAmountDto, ResourceUsedAmountDto,
};
use scpfm_api_types::wire_time::planned_compute_timestamp;
use scpfm_app::coverage_report::{coverage_report, sort_rows, CoverageAsk, CoverageReport};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::coverage::CoverageSortField;
use scpfm_domain::listing::{parse_sort, SortKey};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use super::contract_dto;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Unauthorized};
use crate::state::AppState;
use crate::wire::{amount, date_param};

/// Most days one report may span.
const MAX_DAYS: i64 = 366;

/// What the caller's contracts of a (service, server type, OS) covered between two dates
/// (KST, inclusive): covered hours and amounts per resource and contract, each contract's
/// idle hours, and the group's totals.
#[utoipa::path(get, path = "/v1/planned-computes/instances", operation_id = "ListPlannedComputeCoveredResource",
    description = "Get Planned Compute Covered Resource List.",
    params(CoveredResourceQuery),
    responses((status = 200, description = "OK", body = PlannedComputeResourceListResponse), BadRequest, Unauthorized))]
pub async fn list_covered_resources(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CoveredResourceQuery>,
) -> Result<Json<PlannedComputeResourceListResponse>, ApiError> {
    let (ask, sort) = parse_query(&state.catalog, &query)?;
    let mut report = coverage_report(&state, &caller.account_id, &ask).await?;
    sort_rows(&mut report.rows, &sort);
    Ok(Json(report_response(&state.catalog, ask, report)))
}

/// The report asked for and the order of its rows, every parameter checked.
fn parse_query(
    catalog: &Catalog,
    query: &CoveredResourceQuery,
) -> Result<(CoverageAsk, Vec<SortKey<CoverageSortField>>), ApiError> {
    let mut errors = ValidationErrors::default();
    let mut required = |field: &'static str, value: &Option<String>| {
        let value = value.as_deref().filter(|v| !v.is_empty());
        errors.required(field, value).map(str::to_owned)
    };
    let (service, os, server, start, end) = (
        required("service_id", &query.service_id),
        required("os_type", &query.os_type),
        required("server_type", &query.server_type),
        required("start_date", &query.start_date),
        required("end_date", &query.end_date),
    );
    let service =
        service.and_then(|id| errors.check(catalog.require_planned_service("service_id", &id)));
    let os = os.and_then(|text| errors.check(catalog.require_os("os_type", &text)));
    let server = server.and_then(|id| {
        let of = service.map(|service| service.id.as_str());
        errors.check(catalog.require_server_type("server_type", &id, of))
    });
    let sort = match query.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
        Some(sort) => errors.check(parse_sort::<CoverageSortField>("sort", sort)),
        None => None,
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
    let ask = CoverageAsk {
        service_id: service.id.clone(),
        server_type: server.id.clone(),
        os_type: os.id.clone(),
        start,
        end,
    };
    Ok((ask, sort.unwrap_or_default()))
}

/// The wire form of a report. The contract each row belongs to orders it but is not shown
/// (the official client's `ResourceUsedAmountDTO` has no `contract_id`).
fn report_response(
    catalog: &Catalog,
    ask: CoverageAsk,
    report: CoverageReport,
) -> PlannedComputeResourceListResponse {
    let description = report
        .contracts
        .first()
        .map(|contract| contract_dto(catalog, contract).server_type_description)
        .unwrap_or_else(|| serde_json::json!({}));
    let os = catalog.os_types.iter().find(|os| os.id == ask.os_type);
    PlannedComputeResourceListResponse {
        service: ProductResponse {
            display_name: catalog
                .service(&ask.service_id)
                .map_or_else(|| ask.service_id.clone(), |s| s.display_name.clone()),
            service_id: ask.service_id,
        },
        server_type: ask.server_type,
        server_type_description: description,
        os: OsTypeDto {
            display_name: os.map_or_else(String::new, |os| os.display_name.clone()),
            os_type_value: os.map_or_else(String::new, |os| os.value.clone()),
            os_type_id: ask.os_type,
        },
        order_count: crate::wire::count(report.contracts.len()),
        amount: ResourceGroupTotalAmountDto {
            no_contract_used: amount(report.uncovered),
            used: amount(report.used),
            non_applied: amount(report.idle),
            total: amount(report.uncovered + report.used + report.idle),
        },
        coverages: report
            .rows
            .into_iter()
            .map(|row| ResourceUsedAmountDto {
                resource_name: row.resource_name,
                used_time: row.used_hours,
                unit_price: amount(row.unit_price),
                used_amount: amount(row.used),
                non_applied_amount: amount(row.idle),
                request_at: planned_compute_timestamp(row.ordered_at),
            })
            .collect(),
    }
}
