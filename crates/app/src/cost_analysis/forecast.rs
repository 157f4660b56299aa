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
use scpfm_store::cost::query::{CostQuery, PeriodCut};

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

/// The history of the [`WINDOW_DAYS`] days before `today`, by group (and the total).
async fn histories(
    app: &App,
    query: &CostQuery,
    today: NaiveDate,
) -> Result<(Histories, Vec<Decimal>), AppError> {
    let first = today - Duration::days(WINDOW_DAYS as i64);
    let last = today - Duration::days(1);
    let cells = app
        .store
        .cost_cells(query, PeriodCut::Days, (first, last))
        .await?;
    let mut groups: Histories = HashMap::new();
    let mut total = vec![Decimal::ZERO; WINDOW_DAYS];
    for cell in cells {
        let Some(day) = date_of(cell.period) else {
            continue;
        };
        let idx = usize::try_from((day - first).num_days()).unwrap_or(0);
        if idx >= WINDOW_DAYS {
            continue;
        }
        let net = from_milli(net_krw(&cell.figures));
        total[idx] += net;
        if !query.group_by.is_empty() {
            groups
                .entry(cell.keys)
                .or_insert_with(|| vec![Decimal::ZERO; WINDOW_DAYS])[idx] += net;
        }
    }
    Ok((groups, total))
}

/// Forecasts `request`.
pub async fn forecast(
    app: &App,
    request: &ForecastRequest,
) -> Result<Vec<ForecastPeriod>, AppError> {
    let (histories, total) = histories(app, &request.query, request.today).await?;
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

/// The first and last KST day of `period` inside the request's window.
fn days_of(period: &Period, request: &ForecastRequest) -> (NaiveDate, NaiveDate) {
    let first = scpfm_domain::month::kst_date(period.start).max(request.start);
    let last = scpfm_domain::month::kst_date(period.end - Duration::seconds(1)).min(request.end);
    (first, last)
}
