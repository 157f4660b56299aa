//! The FOCUS export: pick a closed billing period (and the FOCUS version), download the CSV
//! `GET /v1/exports/focus` streams.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Months};
use serde::Deserialize;

use super::cost::today;
use super::{api_problem, download, render, Chrome, Signed};
use crate::Console;

#[derive(Template)]
#[template(path = "focus.html")]
struct FocusPage {
    chrome: Chrome,
    periods: Vec<String>,
}

/// `GET /console/focus`: the last 12 months before this one (open months are refused by the
/// API with its own message).
pub async fn page(State(console): State<Console>, signed: Signed) -> Response {
    let this = today(&console)
        .with_day(1)
        .unwrap_or_else(|| today(&console));
    let periods = (1..=12)
        .filter_map(|back| this.checked_sub_months(Months::new(back)))
        .map(|m| m.format("%Y-%m").to_string())
        .collect();
    let page = FocusPage {
        chrome: signed.chrome("nav.focus", signed.lang.t("nav.focus")),
        periods,
    };
    render(signed.lang, &page)
}

/// `?billing_period=…&focus_version=…`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FocusQuery {
    billing_period: String,
    focus_version: String,
}

/// `GET /console/focus.csv`.
pub async fn download_csv(signed: Signed, Query(query): Query<FocusQuery>) -> Response {
    let mut params = vec![("billing_period", query.billing_period.clone())];
    if !query.focus_version.is_empty() {
        params.push(("focus_version", query.focus_version.clone()));
    }
    match signed.api.get_raw("/v1/exports/focus", &params).await {
        Ok(body) => download(
            "text/csv; charset=utf-8",
            &format!("focus-{}.csv", query.billing_period),
            body,
        ),
        Err(failure) => api_problem(signed.lang, &failure),
    }
}
