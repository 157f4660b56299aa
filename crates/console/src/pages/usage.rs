//! Usage: `ListUsages`' filters as a form (kept in the URL), one page of records at a time
//! with a link to the next.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse, UsageResponse};
use serde::{Deserialize, Serialize};

use super::cost::today;
use super::{api_problem, comma_list, render, Chrome, Signed};
use crate::api::{next_marker, query_string, ApiFailure};
use crate::format::{decimal, number, won};
use crate::Console;

/// The form, as the URL carries it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct UsageView {
    start_date: String,
    end_date: String,
    service_category: String,
    billing_item_id: String,
    region: String,
    resource_name: String,
    marker: String,
}

#[derive(Template)]
#[template(path = "usage.html")]
struct UsagePage {
    chrome: Chrome,
    view: UsageView,
    usages: Vec<UsageResponse>,
    count: Option<i64>,
    next: Option<String>,
    problem: Option<String>,
}

impl UsagePage {
    fn won(&self, text: &str) -> String {
        won(decimal(text))
    }

    fn quantity(&self, text: &str) -> String {
        number(decimal(text))
    }
}

/// `GET /console/usage`.
pub async fn page(
    State(console): State<Console>,
    signed: Signed,
    Query(mut view): Query<UsageView>,
) -> Response {
    let today = today(&console);
    if view.start_date.is_empty() {
        view.start_date = today.with_day(1).unwrap_or(today).to_string();
    }
    if view.end_date.is_empty() {
        view.end_date = today.to_string();
    }
    let query = UsageListQuery {
        start_date: Some(view.start_date.clone()),
        end_date: Some(view.end_date.clone()),
        with_count: Some("true".into()),
        limit: Some(50),
        marker: (!view.marker.is_empty()).then(|| view.marker.clone()),
        service_category: comma_list(&view.service_category),
        billing_item_id: comma_list(&view.billing_item_id),
        region: comma_list(&view.region),
        resource_name: (!view.resource_name.trim().is_empty())
            .then(|| view.resource_name.trim().to_owned()),
        ..UsageListQuery::default()
    };
    let lang = signed.lang;
    let mut page = UsagePage {
        chrome: signed.chrome("nav.usage", lang.t("nav.usage")),
        view,
        usages: Vec::new(),
        count: None,
        next: None,
        problem: None,
    };
    match signed
        .api
        .get::<UsageListResponse, _>("/v1/usages", &query)
        .await
    {
        Ok(list) => {
            page.next = next_marker(&list.links).map(|marker| {
                let next = UsageView {
                    marker,
                    ..page.view.clone()
                };
                format!("/console/usage?{}", query_string(&next))
            });
            page.usages = list.usages;
            page.count = list.count;
        }
        Err(failure @ ApiFailure::Refused { .. }) => page.problem = Some(failure.detail()),
        Err(failure) => return api_problem(lang, &failure),
    }
    render(lang, &page)
}
