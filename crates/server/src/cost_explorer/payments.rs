//! GetPaymentMonthly: `GET /v1/payments/monthly`.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::bill::{
    OrgPaymentMonthlyResponse, PaymentMonthlyFlatDataDto, PaymentMonthlyQuery,
};
use scpfm_domain::bill::{payment_state, suspended_month, Payment};
use scpfm_domain::month::kst_date;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use super::visible_accounts;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;
use crate::wire::amount;

const DEFAULT_SIZE: u32 = 20;
const MAX_SIZE: u32 = 1000;
const MAX_PAGE: i64 = 10_000_000;

/// The payment records of closed months of the caller's account and, for a payer, its
/// members, newest month first, one 1-based `page` of `size` at a time.
#[utoipa::path(get, path = "/v1/payments/monthly", operation_id = "GetPaymentMonthly",
    description = "Get payment monthly data.",
    params(PaymentMonthlyQuery),
    responses((status = 200, description = "OK", body = OrgPaymentMonthlyResponse), BadRequest, Unauthorized, Forbidden))]
pub async fn get_payment_monthly(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PaymentMonthlyQuery>,
) -> Result<Json<OrgPaymentMonthlyResponse>, ApiError> {
    let mut errors = ValidationErrors::default();
    let size = crate::paging::page_size(&mut errors, "size", query.size, DEFAULT_SIZE, MAX_SIZE);
    let page = query.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        errors.push(FieldError::with_given(
            "page",
            Problem::OutOfRange {
                min: 1,
                max: MAX_PAGE,
            },
            page.to_string(),
        ));
    }
    errors.finish()?;
    let accounts = visible_accounts(&state, &caller, &[]).await?;
    let offset = u64::try_from(page - 1).unwrap_or(0) * u64::from(size);
    let (payments, count) = state.store.list_payments(&accounts, offset, size).await?;
    let today = kst_date(state.clock.now());
    Ok(Json(OrgPaymentMonthlyResponse {
        count: crate::wire::count(count),
        size: i64::from(size),
        page,
        payments: payments
            .iter()
            .map(|payment| payment_response(payment, today))
            .collect(),
    }))
}

fn payment_response(payment: &Payment, today: chrono::NaiveDate) -> PaymentMonthlyFlatDataDto {
    let unpaid = payment.unpaid();
    let payment_state = payment_state(payment.month, unpaid.krw, today);
    let month = payment.month.to_string();
    PaymentMonthlyFlatDataDto {
        payer_account_id: payment.account_id.to_string(),
        payer_account_name: payment.account_name.clone(),
        payer_account_type: if payment.is_member { "MEMBER" } else { "PAYER" }.to_owned(),
        bill_year_month: month.clone(),
        used_year_month: month,
        payment_date: payment.payment_date.map(|date| date.to_string()),
        bill_currency: "KRW".into(),
        payment_currency: "KRW".into(),
        payment_state: payment_state.as_str().to_owned(),
        bill_amount: amount(payment.bill),
        used_amount: amount(payment.used),
        unpaid_amount: amount(unpaid),
        paid_amount: amount(payment.paid),
        accumulated_unpaid_amount: amount(payment.accumulated_unpaid),
        suspended_year_month: suspended_month(payment.month, payment_state).map(|m| m.to_string()),
    }
}
