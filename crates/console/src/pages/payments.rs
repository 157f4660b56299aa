//! Payments: each month's bill, paid, unpaid and overdue amounts (`GetPaymentMonthly`).

use askama::Template;
use axum::response::Response;
use scpfm_api_types::bill::{
    OrgPaymentMonthlyResponse, PaymentMonthlyFlatDataDto, PaymentMonthlyQuery,
};

use super::{render_answer, Chrome, Signed};
use crate::format::{decimal, kst, won};

#[derive(Template)]
#[template(path = "payments.html")]
struct PaymentsPage {
    chrome: Chrome,
    payments: Vec<PaymentMonthlyFlatDataDto>,
}

impl PaymentsPage {
    fn won(&self, text: &str) -> String {
        won(decimal(text))
    }

    fn when(&self, text: &str) -> String {
        kst(text)
    }

    /// The API's payment state as a text key: `paid`, `unpaid` or `overdue`.
    fn standing(&self, payment: &PaymentMonthlyFlatDataDto) -> &'static str {
        match payment.payment_state.as_str() {
            "PAID" => "paid",
            "OVERDUE" => "overdue",
            _ => "unpaid",
        }
    }
}

/// `GET /console/payments`.
pub async fn page(signed: Signed) -> Response {
    let query = PaymentMonthlyQuery {
        size: Some(24),
        page: Some(1),
    };
    let answer = signed
        .api
        .get::<OrgPaymentMonthlyResponse, _>("/v1/payments/monthly", &query)
        .await;
    render_answer(signed.lang, answer, |list| PaymentsPage {
        chrome: signed.chrome("nav.payments", signed.lang.t("nav.payments")),
        payments: list.payments,
    })
}
