//! GetCancellationFee: `POST /v1/planned-computes/cancellation-fee`.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{
    CancellationFeeRequest, CancellationFeeResponse, Currency, OneOrMany,
};
use scpfm_domain::bill::AMOUNT_SCALE;
use scpfm_domain::contract_charges::quote_cancellations;
use scpfm_domain::money::{Currency as Money, DualAmount};
use scpfm_domain::validation::{FieldError, Problem};

use crate::error::{ApiError, Resource};
use crate::extract::{ApiJson, ApiQuery, Caller, NoQuery};
use crate::openapi::{BadRequest, NotFound, Unauthorized};
use crate::state::AppState;
use crate::wire;

/// Most contracts one quote may name.
const MAX_IDS: usize = 100;

/// What cancelling the named contracts now would cost: 50 % of the remaining committed
/// value of each (PP price × hours left in the current term), whole KRW, summed; nothing for
/// a contract ordered today. `bill_year_month` is the invoice month, two months on.
#[utoipa::path(post, path = "/v1/planned-computes/cancellation-fee", operation_id = "GetCancellationFee",
    description = "Get Cancellation Fee",
    request_body = CancellationFeeRequest,
    responses((status = 200, description = "OK", body = CancellationFeeResponse), BadRequest, Unauthorized, NotFound))]
pub async fn get_cancellation_fee(
    _query: ApiQuery<NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CancellationFeeRequest>,
) -> Result<Json<CancellationFeeResponse>, ApiError> {
    let ids = parse_ids(request.planned_compute_id)?;
    let contracts = state
        .store
        .planned_computes_by_id(&caller.account_id, &ids)
        .await?;
    if let Some(missing) = ids
        .iter()
        .find(|id| !contracts.iter().any(|c| c.id.as_str() == id.as_str()))
    {
        return Err(ApiError::NotFound {
            resource: Resource::PlannedCompute,
            id: missing.clone(),
        });
    }
    let quote = quote_cancellations(&state.catalog, &contracts, state.clock.now());
    let rate = state.catalog.usd_rate(quote.bill_month);
    Ok(Json(CancellationFeeResponse {
        bill_year_month: quote.bill_month.to_string(),
        cancellation_fee: wire::amount(DualAmount::from_krw(quote.fee_krw, rate, AMOUNT_SCALE)),
        currency: Currency {
            code: Money::Krw.code().to_owned(),
            symbol: Money::Krw.symbol().to_owned(),
        },
        same_day_cancel: quote.same_day_cancel,
    }))
}

/// The distinct ids asked for: one or many, at least one, at most [`MAX_IDS`].
fn parse_ids(given: Option<OneOrMany>) -> Result<Vec<String>, ApiError> {
    let mut ids: Vec<String> = match given {
        None => Vec::new(),
        Some(OneOrMany::One(id)) => vec![id],
        Some(OneOrMany::Many(ids)) => ids,
    };
    ids.retain(|id| !id.is_empty());
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(FieldError::new("planned_compute_id", Problem::Required).into());
    }
    if ids.len() > MAX_IDS {
        let problem = Problem::TooManyItems { max: MAX_IDS };
        return Err(FieldError::new("planned_compute_id", problem).into());
    }
    Ok(ids)
}
