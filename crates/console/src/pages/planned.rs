//! Planned compute: the contracts with their state and term; a contract's page with its
//! coverage (covered and idle hours of its service, server type and OS) per month for the
//! last 12 months as a chart, today's cancellation fee quote, and the change actions
//! (confirmed in the browser, sent to the API, its errors shown).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{Datelike, Duration, Months};
use http::Method;
use rust_decimal::Decimal;
use scpfm_api_types::billing_plan::{
    CancellationFeeResponse, PlannedComputeDto, PlannedComputeListQuery,
    PlannedComputeListResponse, PlannedComputeResourceListResponse, PlannedComputeResponse,
};
use serde::Deserialize;
use serde_json::json;

use super::budget_form::urlencoding;
use super::cost::today;
use super::{api_problem, render, render_answer, Chrome, Signed};
use crate::api::ApiFailure;
use crate::chart::{stacked_bars, Series, Unit};
use crate::format::{decimal, won};
use crate::Console;

#[derive(Template)]
#[template(path = "planned.html")]
struct ListPage {
    chrome: Chrome,
    contracts: Vec<PlannedComputeDto>,
}

/// `GET /console/planned-compute`.
pub async fn list(signed: Signed) -> Response {
    let query = PlannedComputeListQuery {
        limit: Some(100),
        ..PlannedComputeListQuery::default()
    };
    let answer = signed
        .api
        .get::<PlannedComputeListResponse, _>("/v1/planned-computes", &query)
        .await;
    render_answer(signed.lang, answer, |list| ListPage {
        chrome: signed.chrome("nav.planned", signed.lang.t("nav.planned")),
        contracts: list.planned_computes,
    })
}

#[derive(Template)]
#[template(path = "planned_one.html")]
struct OnePage {
    chrome: Chrome,
    contract: PlannedComputeDto,
    chart: String,
    fee: Option<String>,
    message: Option<String>,
    actions: &'static [&'static str],
}

/// The actions offered.
const ACTIONS: &[&str] = &[
    "EXTEND_APPLY",
    "EXTEND_CHANGE",
    "EXTEND_CANCEL",
    "SERVER_TYPE_CHANGE",
    "CONTRACT_CANCEL",
];

/// `?done=1` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

/// Covered and idle hours per month, for the contract's service, server type and OS.
async fn coverage(
    signed: &Signed,
    contract: &PlannedComputeDto,
    console: &Console,
) -> Result<String, ApiFailure> {
    let today = today(console);
    let this = today.with_day(1).unwrap_or(today);
    let months: Vec<_> = (0..12)
        .rev()
        .filter_map(|back| this.checked_sub_months(Months::new(back)))
        .collect();
    let reads = months.iter().map(|first| {
        let last = (*first + Months::new(1) - Duration::days(1)).min(today);
        let query = [
            ("service_id", contract.service_id.clone()),
            ("os_type", contract.os_type.clone()),
            ("server_type", contract.server_type.clone()),
            ("start_date", first.to_string()),
            ("end_date", last.to_string()),
        ];
        async move {
            signed
                .api
                .get::<PlannedComputeResourceListResponse, _>(
                    "/v1/planned-computes/instances",
                    &query,
                )
                .await
        }
    });
    let answers = futures_util::future::try_join_all(reads).await?;
    let mut labels = Vec::new();
    let (mut covered, mut idle) = (Vec::new(), Vec::new());
    for (first, month) in months.iter().zip(answers) {
        let hours: i64 = month.coverages.iter().map(|row| row.used_time).sum();
        let idle_hours: Decimal = month
            .coverages
            .iter()
            .filter(|row| row.resource_name.is_none())
            .filter_map(|row| {
                let price = decimal(&row.unit_price.krw);
                (!price.is_zero()).then(|| decimal(&row.non_applied_amount.krw) / price)
            })
            .sum();
        labels.push(first.format("%Y-%m").to_string());
        covered.push(Some(Decimal::from(hours)));
        idle.push(Some(idle_hours.round_dp(2)));
    }
    let lang = signed.lang;
    let series = vec![
        Series {
            name: lang.t("planned.covered").to_owned(),
            values: covered,
        },
        Series {
            name: lang.t("planned.idle").to_owned(),
            values: idle,
        },
    ];
    Ok(stacked_bars(
        lang.t("planned.coverage"),
        &labels,
        &series,
        Unit::Hours,
    ))
}

async fn one_page(
    console: &Console,
    signed: &Signed,
    id: &str,
    message: Option<String>,
) -> Response {
    let lang = signed.lang;
    let path = format!("/v1/planned-computes/{}", urlencoding(id));
    let contract = match signed
        .api
        .get::<PlannedComputeResponse, _>(&path, &())
        .await
    {
        Ok(found) => found.planned_compute,
        Err(failure) => return api_problem(lang, &failure),
    };
    let chart = match coverage(signed, &contract, console).await {
        Ok(chart) => chart,
        Err(failure) => return api_problem(lang, &failure),
    };
    let fee_query = [
        ("region", contract.region.clone()),
        ("planned_compute_id", contract.id.clone()),
    ];
    let fee = signed
        .api
        .get::<CancellationFeeResponse, _>("/v1/planned-computes/cancellation-fee", &fee_query)
        .await
        .ok()
        .map(|fee| {
            format!(
                "{} ({})",
                won(decimal(&fee.cancellation_fee.krw)),
                fee.bill_year_month
            )
        });
    let page = OnePage {
        chrome: signed.chrome("nav.planned", &contract.contract_id),
        contract,
        chart,
        fee,
        message,
        actions: ACTIONS,
    };
    render(lang, &page)
}

/// `GET /console/planned-compute/{id}`.
pub async fn one(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let message = done.done.map(|_| signed.lang.t("planned.done").to_owned());
    one_page(&console, &signed, &id, message).await
}

/// The change form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    csrf: String,
    action: String,
    contract_type: String,
    server_type: String,
}

/// `POST /console/planned-compute/{id}`: a change action.
pub async fn change(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Response {
    if let Some(refused) = signed.forged(&form.csrf) {
        return refused;
    }
    let mut body = json!({ "action": form.action });
    if !form.contract_type.trim().is_empty() {
        body["contract_type"] = json!(form.contract_type.trim());
    }
    if !form.server_type.trim().is_empty() {
        body["server_type"] = json!(form.server_type.trim());
    }
    let path = format!("/v1/planned-computes/{}", urlencoding(&id));
    match signed
        .api
        .send::<PlannedComputeResponse, _>(Method::PUT, &path, &body)
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "/console/planned-compute/{}?done=1",
            urlencoding(&id)
        ))
        .into_response(),
        Err(failure @ ApiFailure::Refused { .. }) if !failure.is_not_found() => {
            let mut page = one_page(&console, &signed, &id, Some(failure.detail())).await;
            if let ApiFailure::Refused { status, .. } = failure {
                *page.status_mut() = status;
            }
            page
        }
        Err(failure) => api_problem(signed.lang, &failure),
    }
}
