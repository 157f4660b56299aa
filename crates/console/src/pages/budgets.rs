//! Budgets: the list with each budget's standing, a budget's page (its burn-up over the
//! current month — cost so far, the forecast to the month's end, the amount and threshold
//! lines — and its notification history), and deletion behind a confirmation.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{Datelike, Duration, Months, NaiveDate};
use rust_decimal::Decimal;
use scpfm_api_types::budget_status::{
    BudgetStatus, BudgetStatusListResponse, BudgetStatusResponse,
};
use scpfm_api_types::cost::{CostAndUsageQuery, CostAndUsageResponse};

use super::budget_form::urlencoding;
use super::cost::{table, today};
use super::sign_in::CsrfForm;
use super::{api_problem, render, render_answer, Chrome, Signed};
use crate::chart::{lines, Mark, Series};
use crate::format::{decimal, kst, won};
use crate::Console;

#[derive(Template)]
#[template(path = "budgets.html")]
struct ListPage {
    chrome: Chrome,
    budgets: Vec<BudgetStatus>,
    prevented: bool,
}

impl ListPage {
    fn won(&self, text: &str) -> String {
        won(decimal(text))
    }

    fn amount(&self, amount: &i64) -> String {
        won(Decimal::from(*amount))
    }
}

/// `GET /console/budgets`.
pub async fn list(signed: Signed) -> Response {
    let answer = signed
        .api
        .get::<BudgetStatusListResponse, _>("/v1/budgets/status", &())
        .await;
    render_answer(signed.lang, answer, |list| ListPage {
        chrome: signed.chrome("nav.budgets", signed.lang.t("nav.budgets")),
        budgets: list.budgets,
        prevented: list.creation_prevented,
    })
}

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    chrome: Chrome,
    status: BudgetStatus,
    chart: String,
    amount: String,
    cost: String,
    forecast: String,
}

impl BudgetPage {
    fn won(&self, text: &str) -> String {
        won(decimal(text))
    }

    fn when(&self, text: &str) -> String {
        kst(text)
    }
}

/// The burn-up of the month of `today`: cumulative cost from `earlier` (the period's cost
/// before this month), the forecast as a line from today's cost to the month-end forecast.
fn burn_up(
    lang: crate::i18n::Lang,
    status: &BudgetStatus,
    daily: &[Decimal],
    today: NaiveDate,
) -> String {
    let first = today.with_day(1).unwrap_or(today);
    let days = ((first + Months::new(1)) - first).num_days();
    let labels: Vec<String> = (0..days)
        .map(|d| (first + Duration::days(d)).format("%m-%d").to_string())
        .collect();
    let month_cost: Decimal = daily.iter().sum();
    let earlier = decimal(&status.cost) - month_cost;
    let today_idx = usize::try_from((today - first).num_days()).unwrap_or(0);
    let mut running = earlier;
    let cost: Vec<Option<Decimal>> = (0..labels.len())
        .map(|idx| {
            (idx <= today_idx).then(|| {
                running += daily.get(idx).copied().unwrap_or_default();
                running
            })
        })
        .collect();
    let forecast_end = status.forecast.as_deref().map(decimal);
    let now = running;
    let remaining = labels.len().saturating_sub(today_idx + 1);
    let forecast: Vec<Option<Decimal>> = (0..labels.len())
        .map(|idx| match forecast_end {
            Some(end) if idx >= today_idx && remaining > 0 => {
                let step = Decimal::from(idx - today_idx) / Decimal::from(remaining);
                Some(now + (end - now) * step)
            }
            _ => None,
        })
        .collect();
    let amount = Decimal::from(status.amount);
    let mut marks = vec![Mark {
        name: lang.t("amount").to_owned(),
        value: amount,
    }];
    marks.extend(
        status
            .notifications
            .thresholds
            .iter()
            .filter(|t| t.threshold != 100)
            .map(|t| Mark {
                name: format!("{}%", t.threshold),
                value: amount * Decimal::from(t.threshold) / Decimal::ONE_HUNDRED,
            }),
    );
    let series = vec![
        Series {
            name: lang.t("cost").to_owned(),
            values: cost,
        },
        Series {
            name: lang.t("forecast").to_owned(),
            values: forecast,
        },
    ];
    lines(lang.t("budget.burnup"), &labels, &series, &marks)
}

/// `GET /console/budgets/{id}`.
pub async fn one(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
) -> Response {
    let lang = signed.lang;
    let path = format!("/v1/budgets/account/{}/status", urlencoding(&id));
    let status = match signed.api.get::<BudgetStatusResponse, _>(&path, &()).await {
        Ok(found) => found.status,
        Err(failure) => return api_problem(lang, &failure),
    };
    let today = today(&console);
    let first = today.with_day(1).unwrap_or(today);
    let query = CostAndUsageQuery {
        start_date: Some(first.to_string()),
        end_date: Some(today.to_string()),
        granularity: Some("DAILY".into()),
        account_id: Some(vec![signed.session.account_id.clone()]),
        ..CostAndUsageQuery::default()
    };
    let daily = match signed
        .api
        .get::<CostAndUsageResponse, _>("/v1/cost-and-usage", &query)
        .await
    {
        Ok(answer) => table(&answer, "NET_COST", "KRW").totals.0,
        Err(failure) => return api_problem(lang, &failure),
    };
    let page = BudgetPage {
        chrome: signed.chrome("nav.budgets", &status.name),
        chart: burn_up(lang, &status, &daily, today),
        amount: won(Decimal::from(status.amount)),
        cost: won(decimal(&status.cost)),
        forecast: status
            .forecast
            .as_deref()
            .map(|f| won(decimal(f)))
            .unwrap_or_else(|| "—".into()),
        status,
    };
    render(lang, &page)
}

#[derive(Template)]
#[template(path = "budget_delete.html")]
struct DeletePage {
    chrome: Chrome,
    id: String,
    name: String,
}

/// `GET /console/budgets/{id}/delete`: the confirmation.
pub async fn confirm_delete(signed: Signed, Path(id): Path<String>) -> Response {
    let path = format!("/v1/budgets/account/{}/status", urlencoding(&id));
    let answer = signed.api.get::<BudgetStatusResponse, _>(&path, &()).await;
    render_answer(signed.lang, answer, |found| DeletePage {
        chrome: signed.chrome("nav.budgets", signed.lang.t("budget.delete")),
        id: urlencoding(&id),
        name: found.status.name,
    })
}

/// `POST /console/budgets/{id}/delete`.
pub async fn delete(
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(refused) = signed.forged(form.csrf()) {
        return refused;
    }
    let path = format!("/v1/budgets/account/{}", urlencoding(&id));
    match signed.api.delete(&path).await {
        Ok(()) => Redirect::to("/console/budgets").into_response(),
        Err(failure) => api_problem(signed.lang, &failure),
    }
}
