//! GetCostForecast: `GET /v1/cost-and-usage/forecast` — `NET_COST` ahead, with an 80 %
//! prediction interval.

use axum::extract::State;
use scpfm_api_types::cost::{CostForecastQuery, CostForecastResponse};
use scpfm_app::cost_analysis::forecast::{forecast, ForecastRequest};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::cost::Granularity;
use scpfm_domain::month::kst_date;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use super::cost_params::{parse_scope, parse_window, raw_scope};
use super::cost_wire::forecast_response;
use super::visible_accounts;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::json::Json;
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;

/// Forecasts the `NET_COST` of the caller's account (and its members', for a payer) per
/// period from today on, from its daily history (weekday-aware; see `docs/FORECAST.md`).
#[utoipa::path(get, path = "/v1/cost-and-usage/forecast", operation_id = "GetCostForecast",
    description = "Forecast net cost per period (scpfm).", params(CostForecastQuery),
    responses((status = 200, description = "OK", body = CostForecastResponse), BadRequest, Unauthorized, Forbidden))]
pub async fn get_cost_forecast(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CostForecastQuery>,
) -> Result<Json<CostForecastResponse>, ApiError> {
    let today = kst_date(state.clock.now());
    let (mut request, requested) = parse_query(&state.catalog, &query, today)?;
    request.query.accounts = visible_accounts(&state, &caller, &requested).await?;
    let periods = forecast(&state, &request).await?;
    Ok(Json(forecast_response(&request, &periods)))
}

fn parse_query(
    catalog: &Catalog,
    query: &CostForecastQuery,
    today: chrono::NaiveDate,
) -> Result<(ForecastRequest, Vec<String>), ApiError> {
    let mut errors = ValidationErrors::default();
    let allowed = [Granularity::Daily, Granularity::Monthly];
    let window = parse_window(
        &mut errors,
        &query.granularity,
        &allowed,
        &query.start_date,
        &query.end_date,
    );
    let (cost_query, accounts) = parse_scope(catalog, raw_scope!(query), 1, &mut errors);
    if let Some((_, start, _)) = window {
        if start < today {
            errors.push(FieldError::with_given(
                "start_date",
                Problem::InvalidFormat {
                    expected: "today (KST) or a later date",
                },
                start.to_string(),
            ));
        }
    }
    errors.finish()?;
    let Some((granularity, start, end)) = window else {
        return Err(ValidationErrors::default().into());
    };
    let request = ForecastRequest {
        query: cost_query,
        granularity,
        start,
        end,
        today,
    };
    Ok((request, accounts))
}
