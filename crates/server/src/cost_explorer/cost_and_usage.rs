//! GetCostAndUsage: `GET /v1/cost-and-usage` — cost and usage by period and group.

use axum::extract::State;
use scpfm_api_types::cost::{CostAndUsageQuery, CostAndUsageResponse};
use scpfm_app::cost_analysis::{cost_and_usage, CostRequest};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::code::Code as _;
use scpfm_domain::cost::{Granularity, Metric, MAX_GROUP_BY};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use super::cost_params::{parse_scope, parse_window, raw_scope};
use super::cost_wire::answer_response;
use super::visible_accounts;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::json::Json;
use crate::links::PageLinks;
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;

const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 1000;

/// Sums the cost and usage of the caller's account (and its members', for a payer) by
/// period and up to two dimensions, from the daily rollup.
#[utoipa::path(get, path = "/v1/cost-and-usage", operation_id = "GetCostAndUsage",
    description = "Get cost and usage by period and group (scpfm).", params(CostAndUsageQuery),
    responses((status = 200, description = "OK", body = CostAndUsageResponse), BadRequest, Unauthorized, Forbidden))]
pub async fn get_cost_and_usage(
    State(state): State<AppState>,
    caller: Caller,
    links: PageLinks,
    ApiQuery(query): ApiQuery<CostAndUsageQuery>,
) -> Result<Json<CostAndUsageResponse>, ApiError> {
    let (mut request, metrics, requested) = parse_query(&state.catalog, &query)?;
    request.query.accounts = visible_accounts(&state, &caller, &requested).await?;
    let answer = cost_and_usage(&state, &request).await?;
    Ok(Json(answer_response(&request, &metrics, &answer, &links)))
}

/// The request (for no account yet), the metrics and the accounts named, every parameter
/// checked.
fn parse_query(
    catalog: &Catalog,
    query: &CostAndUsageQuery,
) -> Result<(CostRequest, Vec<Metric>, Vec<String>), ApiError> {
    let mut errors = ValidationErrors::default();
    let all = [
        Granularity::Hourly,
        Granularity::Daily,
        Granularity::Monthly,
    ];
    let window = parse_window(
        &mut errors,
        &query.granularity,
        &all,
        &query.start_date,
        &query.end_date,
    );
    let (cost_query, accounts) = parse_scope(catalog, raw_scope!(query), MAX_GROUP_BY, &mut errors);
    let mut metrics: Vec<Metric> = crate::paging::values(&query.metrics)
        .iter()
        .filter_map(|name| errors.check(Metric::parse_field("metrics", name)))
        .collect();
    metrics.sort();
    metrics.dedup();
    if metrics.is_empty() {
        metrics.push(Metric::NetCost);
    }
    let limit =
        crate::paging::page_size(&mut errors, "limit", query.limit, DEFAULT_LIMIT, MAX_LIMIT);
    let offset = match crate::paging::given(&query.marker) {
        None => 0,
        Some(text) => text.parse::<usize>().unwrap_or_else(|_| {
            errors.push(FieldError::with_given(
                "marker",
                Problem::InvalidFormat {
                    expected: "the marker of a `next` link",
                },
                text,
            ));
            0
        }),
    };
    errors.finish()?;
    let Some((granularity, start, end)) = window else {
        return Err(ValidationErrors::default().into());
    };
    let request = CostRequest {
        query: cost_query,
        granularity,
        start,
        end,
        limit: usize::try_from(limit).unwrap_or(20),
        offset,
    };
    Ok((request, metrics, accounts))
}
