//! The forecast of `NET_COST` ahead: a [`Model`] fitted to the daily history (the
//! [`WINDOW_DAYS`] days before today) of the total and of each group, forecasting each
//! period's days from the window's start on. A period reports only the forecast of its own
//! days in the window (not the cost already incurred); the total is the total history's own
//! forecast, so its interval is the total's.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use scpfm_domain::cost::{date_of, from_milli, Granularity};
use scpfm_domain::forecast::{Model, Prediction, WINDOW_DAYS};
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::YearMonth;
use scpfm_store::cost::query::{CostQuery, PeriodCut};
use scpfm_store::{Store, StoreError};

use super::{net_krw, periods, Period};
use crate::{App, AppError};

/// A forecast question, checked.
#[derive(Debug, Clone)]
pub struct ForecastRequest {
    /// Accounts, the optional dimension and filters.
    pub query: CostQuery,
    /// `DAILY` or `MONTHLY`.
    pub granularity: Granularity,
    /// First KST day forecast (today or later).
    pub start: NaiveDate,
    /// Last KST day forecast.
    pub end: NaiveDate,
    /// Today (KST): the history ends the day before.
    pub today: NaiveDate,
}

/// One period's forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastPeriod {
    /// The period (its part in the window).
    pub period: Period,
    /// Each group's forecast, largest first.
    pub groups: Vec<(Vec<String>, Prediction)>,
    /// The total's forecast.
    pub total: Prediction,
}

/// Daily net cost (KRW) of the history, by group.
type Histories = HashMap<Vec<String>, Vec<Decimal>>;

/// The daily net cost of the `days` days from `first`, by group (and the total).
async fn daily_net(
    store: &Store,
    query: &CostQuery,
    first: NaiveDate,
    days: usize,
) -> Result<(Histories, Vec<Decimal>), StoreError> {
    let last = first + Duration::days(days as i64 - 1);
    let cells = store
        .cost_cells(query, PeriodCut::Days, (first, last))
        .await?;
    let mut groups: Histories = HashMap::new();
    let mut total = vec![Decimal::ZERO; days];
    for cell in cells {
        let Some(day) = date_of(cell.period) else {
            continue;
        };
        let idx = usize::try_from((day - first).num_days()).unwrap_or(0);
        if idx >= days {
            continue;
        }
        let net = from_milli(net_krw(&cell.figures));
        total[idx] += net;
        if !query.group_by.is_empty() {
            groups
                .entry(cell.keys)
                .or_insert_with(|| vec![Decimal::ZERO; days])[idx] += net;
        }
    }
    Ok((groups, total))
}

/// Forecasts `request`.
pub async fn forecast(
    app: &App,
    request: &ForecastRequest,
) -> Result<Vec<ForecastPeriod>, AppError> {
    let first = request.today - Duration::days(WINDOW_DAYS as i64);
    let (histories, total) = daily_net(&app.store, &request.query, first, WINDOW_DAYS).await?;
    let total_model = Model::fit(&total, request.today);
    let models: Vec<(Vec<String>, Model)> = histories
        .into_iter()
        .map(|(keys, history)| (keys, Model::fit(&history, request.today)))
        .collect();
    let periods = periods::all(request.granularity, request.start, request.end);
    Ok(periods
        .into_iter()
        .map(|period| {
            let (from, until) = days_of(&period, request);
            let mut groups: Vec<(Vec<String>, Prediction)> = models
                .iter()
                .map(|(keys, model)| (keys.clone(), model.forecast_period(from, until)))
                .collect();
            groups.sort_by(|a, b| b.1.mean.cmp(&a.1.mean).then_with(|| a.0.cmp(&b.0)));
            ForecastPeriod {
                period,
                groups,
                total: total_model.forecast_period(from, until),
            }
        })
        .collect())
}

/// What the month of `today` is still expected to cost `account` (KRW, its own bills only),
/// by the model fitted to the [`WINDOW_DAYS`] days before today, given what today has cost
/// so far; `None` when no day before today had any cost (nothing to fit). Budgets' forecast.
pub async fn month_still_to_come(
    store: &Store,
    account: &AccountId,
    today: NaiveDate,
) -> Result<Option<Decimal>, StoreError> {
    let query = CostQuery {
        accounts: vec![account.clone()],
        ..CostQuery::default()
    };
    let first = today - Duration::days(WINDOW_DAYS as i64);
    let (_, mut daily) = daily_net(store, &query, first, WINDOW_DAYS + 1).await?;
    let today_so_far = daily.pop().unwrap_or_default();
    let model = Model::fit(&daily, today);
    if !model.has_history() {
        return Ok(None);
    }
    let last = YearMonth::of(today).next().first_day() - Duration::days(1);
    Ok(Some(model.still_to_come(last, today_so_far)))
}

/// The first and last KST day of `period` inside the request's window.
fn days_of(period: &Period, request: &ForecastRequest) -> (NaiveDate, NaiveDate) {
    let first = scpfm_domain::month::kst_date(period.start).max(request.start);
    let last = scpfm_domain::month::kst_date(period.end - Duration::seconds(1)).min(request.end);
    (first, last)
}
