//! The FOCUS export: pick a closed billing period (and the FOCUS version), download the CSV
//! `GET /v1/exports/focus` streams. Only closed periods are offered; none yet is an empty
//! state that says how months close.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use http::StatusCode;
use scpfm_app::cost_analysis::focus::closed_periods;
use serde::Deserialize;

use super::{api_problem, download, problem, render, Chrome, Signed};
use crate::Console;

#[derive(Template)]
#[template(path = "focus.html")]
struct FocusPage {
    chrome: Chrome,
    periods: Vec<String>,
}

/// `GET /console/focus`: the closed billing periods, newest first (the use case that the
/// export itself checks against).
pub async fn page(State(console): State<Console>, signed: Signed) -> Response {
    let closed = match closed_periods(&console.state.store).await {
        Ok(closed) => closed,
        Err(error) => {
            tracing::error!(%error, "the console could not list the closed billing periods");
            let status = StatusCode::SERVICE_UNAVAILABLE;
            return problem(signed.lang, status, "error", "");
        }
    };
    let page = FocusPage {
        chrome: signed.chrome("nav.focus", signed.lang.t("nav.focus")),
        periods: closed.iter().rev().map(ToString::to_string).collect(),
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
