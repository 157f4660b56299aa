//! The dashboard: month-to-date cost and the month-end forecast with its 80 % band, the last
//! 12 months stacked by service category, the month's top 5 resources and accounts, every
//! budget as a bar against its amount with its thresholds, and a banner while resource
//! creation is prevented. Five API calls, made together.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, Duration, Months};
use rust_decimal::Decimal;
use scpfm_api_types::budget_status::{BudgetStatus, BudgetStatusListResponse};
use scpfm_api_types::cost::{
    CostAndUsageQuery, CostAndUsageResponse, CostForecastQuery, CostForecastResponse,
};

use super::cost::{chart, table, today, value};
use super::{render_answer, Chrome, Signed};
use crate::api::ApiFailure;
use crate::format::{decimal, won};
use crate::Console;

/// A budget as the dashboard draws it.
pub struct BudgetBar {
    /// The budget.
    pub status: BudgetStatus,
    /// Cost as a percentage of the amount, capped at 100 for the bar's width.
    pub width: Decimal,
    /// Thresholds, as positions (percent of the amount, capped at 100).
    pub marks: Vec<i64>,
    /// The cost, written.
    pub cost: String,
    /// The amount, written.
    pub amount: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    month: String,
    mtd: String,
    forecast: Option<(String, String, String)>,
    chart: String,
    has_cost: bool,
    top_resources: Vec<(String, String)>,
    /// Name, id and cost of the month's top accounts.
    top_accounts: Vec<(String, String, String)>,
    budgets: Vec<BudgetBar>,
    prevented: bool,
}

fn cost_query(
    start: String,
    end: String,
    granularity: &str,
    group: Option<&str>,
    limit: i64,
) -> CostAndUsageQuery {
    CostAndUsageQuery {
        start_date: Some(start),
        end_date: Some(end),
        granularity: Some(granularity.to_owned()),
        group_by: group.map(|g| vec![g.to_owned()]),
        limit: Some(limit),
        ..CostAndUsageQuery::default()
    }
}

fn top(answer: &CostAndUsageResponse) -> Vec<(String, String)> {
    answer
        .results
        .first()
        .map(|period| {
            period
                .groups
                .iter()
                .map(|group| {
                    (
                        group.keys.join(" / "),
                        won(value(&group.metrics, "NET_COST", "KRW")),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The names of the accounts in `answer` (the API's answer: only accounts the key sees); an
/// id stays as it is where its name cannot be read.
async fn account_names(
    console: &Console,
    answer: &CostAndUsageResponse,
) -> HashMap<String, String> {
    let ids: Vec<String> = top(answer).into_iter().map(|(id, _)| id).collect();
    scpfm_app::accounts::names(&console.state.store, &ids)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "the console could not read account names");
            HashMap::new()
        })
}

fn bar(status: BudgetStatus) -> BudgetBar {
    let percent = decimal(&status.percent);
    BudgetBar {
        width: percent
            .min(Decimal::ONE_HUNDRED)
            .max(Decimal::ZERO)
            .round_dp(1),
        marks: status
            .notifications
            .thresholds
            .iter()
            .map(|t| t.threshold.min(100))
            .collect(),
        cost: won(decimal(&status.cost)),
        amount: won(Decimal::from(status.amount)),
        status,
    }
}

/// `GET /console/`.
pub async fn page(State(console): State<Console>, signed: Signed) -> Response {
    let lang = signed.lang;
    let today = today(&console);
    let first = today.with_day(1).unwrap_or(today);
    let last = first + Months::new(1) - Duration::days(1);
    let year_ago = first - Months::new(11);
    let api = &signed.api;
    let (today_text, first_text) = (today.to_string(), first.to_string());
    let month_query = cost_query(first_text.clone(), today_text.clone(), "DAILY", None, 1);
    let year_query = cost_query(
        year_ago.to_string(),
        today_text.clone(),
        "MONTHLY",
        Some("SERVICE_CATEGORY"),
        100,
    );
    let resources_query = cost_query(
        first_text.clone(),
        today_text.clone(),
        "MONTHLY",
        Some("RESOURCE"),
        5,
    );
    let accounts_query = cost_query(
        first_text,
        today_text.clone(),
        "MONTHLY",
        Some("ACCOUNT"),
        5,
    );
    let forecast_query = CostForecastQuery {
        start_date: Some(today_text),
        end_date: Some(last.to_string()),
        granularity: Some("MONTHLY".into()),
        ..CostForecastQuery::default()
    };
    let (month, year, resources, accounts, forecast, budgets) = tokio::join!(
        api.get::<CostAndUsageResponse, _>("/v1/cost-and-usage", &month_query),
        api.get::<CostAndUsageResponse, _>("/v1/cost-and-usage", &year_query),
        api.get::<CostAndUsageResponse, _>("/v1/cost-and-usage", &resources_query),
        api.get::<CostAndUsageResponse, _>("/v1/cost-and-usage", &accounts_query),
        api.get::<CostForecastResponse, _>("/v1/cost-and-usage/forecast", &forecast_query),
        api.get::<BudgetStatusListResponse, _>("/v1/budgets/status", &()),
    );
    let names = match &accounts {
        Ok(answer) => account_names(&console, answer).await,
        Err(_) => HashMap::new(),
    };
    let result = (|| -> Result<DashboardPage, ApiFailure> {
        let month = month?;
        let daily = table(&month, "NET_COST", "KRW");
        let mtd = daily.totals.1;
        let before_today = mtd - daily.totals.0.last().copied().unwrap_or_default();
        let year = table(&year?, "NET_COST", "KRW");
        let forecast = forecast?.results.first().map(|period| {
            let at = |text: &str| won(before_today + decimal(text));
            (
                at(&period.total.mean),
                at(&period.total.lower),
                at(&period.total.upper),
            )
        });
        let budgets = budgets?;
        Ok(DashboardPage {
            chrome: signed.chrome("nav.dashboard", lang.t("nav.dashboard")),
            month: first.format("%Y-%m").to_string(),
            mtd: won(mtd),
            forecast,
            chart: chart(lang.t("last12"), &year, "Others", lang.t("total")),
            has_cost: !year.totals.1.is_zero() || !year.rows.is_empty(),
            top_resources: top(&resources?),
            top_accounts: top(&accounts?)
                .into_iter()
                .map(|(id, cost)| (names.get(&id).unwrap_or(&id).clone(), id, cost))
                .collect(),
            prevented: budgets.creation_prevented,
            budgets: budgets.budgets.into_iter().map(bar).collect(),
        })
    })();
    render_answer(lang, result, |page| page)
}
