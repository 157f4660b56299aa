//! The periods of a window and where their sums are read: `DAILY` from the daily rollup,
//! `MONTHLY` from the monthly rollup for whole months and the daily one for the window's
//! partial months, `HOURLY` from the usage records plus the day's charges that are not
//! usage and its discounts, which land on the day's first hour.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use scpfm_domain::cost::{day_number, month_number, Granularity};
use scpfm_domain::month::{kst_midnight, YearMonth};
use scpfm_store::cost::query::{CostCell, CostQuery, PeriodCut};

use super::CostRequest;
use crate::{App, AppError};

/// One period of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Its number: `YYYYMMDD`, `YYYYMM`, or the hour's start in microseconds.
    pub number: i64,
    /// Its first instant.
    pub start: DateTime<Utc>,
    /// The instant after it (its end, exclusive).
    pub end: DateTime<Utc>,
}

/// Every period of the inclusive KST days `start..=end`.
pub fn all(granularity: Granularity, start: NaiveDate, end: NaiveDate) -> Vec<Period> {
    let after = end.succ_opt().unwrap_or(end);
    let mut periods = Vec::new();
    match granularity {
        Granularity::Hourly => {
            let (mut at, stop) = (kst_midnight(start), kst_midnight(after));
            while at < stop {
                let next = at + Duration::hours(1);
                periods.push(Period {
                    number: at.timestamp_micros(),
                    start: at,
                    end: next,
                });
                at = next;
            }
        }
        Granularity::Daily => {
            let mut day = start;
            while day <= end {
                let next = day.succ_opt().unwrap_or(day);
                periods.push(Period {
                    number: day_number(day),
                    start: kst_midnight(day),
                    end: kst_midnight(next),
                });
                if next == day {
                    break;
                }
                day = next;
            }
        }
        Granularity::Monthly => {
            let mut month = YearMonth::of(start);
            while month <= YearMonth::of(end) {
                let first = month.first_day().max(start);
                let last_after = month.next().first_day().min(after);
                periods.push(Period {
                    number: month_number(month),
                    start: kst_midnight(first),
                    end: kst_midnight(last_after),
                });
                month = month.next();
            }
        }
    }
    periods
}

/// The sums of `query` by period and group over the request's window.
pub async fn cells(
    app: &App,
    query: &CostQuery,
    request: &CostRequest,
) -> Result<Vec<CostCell>, AppError> {
    let (start, end) = (request.start, request.end);
    let store = &app.store;
    Ok(match request.granularity {
        Granularity::Daily => {
            store
                .cost_cells(query, PeriodCut::Days, (start, end))
                .await?
        }
        Granularity::Monthly => by_months(app, query, (start, end), false).await?,
        Granularity::Hourly => {
            let mut cells = store.hourly_usage_cells(query, (start, end)).await?;
            for mut day in store
                .cost_cells(query, PeriodCut::Days, (start, end))
                .await?
            {
                day.figures.quantity_nano = 0;
                day.figures.usage = [0, 0];
                if day.figures.is_zero() {
                    continue;
                }
                let date = scpfm_domain::cost::date_of(day.period).unwrap_or(start);
                day.period = kst_midnight(date).timestamp_micros();
                day.unit = Some(String::new());
                cells.push(day);
            }
            cells
        }
    })
}

/// The window's sums by month (`whole`: over the whole window, period 0): whole months (one
/// contiguous range) from the monthly rollup, a partial first or last month from the daily one.
pub async fn by_months(
    app: &App,
    query: &CostQuery,
    (start, end): (NaiveDate, NaiveDate),
    whole: bool,
) -> Result<Vec<CostCell>, AppError> {
    let (partial_cut, months_cut) = match whole {
        true => (PeriodCut::Whole, PeriodCut::WholeMonths),
        false => (PeriodCut::MonthsFromDays, PeriodCut::Months),
    };
    let store = &app.store;
    let mut cells = Vec::new();
    let mut whole_months: Option<(NaiveDate, NaiveDate)> = None;
    let mut month = YearMonth::of(start);
    while month <= YearMonth::of(end) {
        let last = month.next().first_day().pred_opt().unwrap_or(end);
        let (from, until) = (month.first_day().max(start), last.min(end));
        let first = month.first_day();
        let outside = (from - first).num_days() + (last - until).num_days();
        if (from, until) == (first, last) {
            whole_months = Some((whole_months.map_or(from, |(start, _)| start), from));
        } else if outside < (until - from).num_days() {
            // Mostly covered: the month's row less its days outside the window reads fewer
            // rows than the days inside it.
            cells.extend(store.cost_cells(query, months_cut, (first, first)).await?);
            let day = Duration::days(1);
            let before = (from > first).then(|| (first, from - day));
            let after = (until < last).then(|| (until + day, last));
            for range in [before, after].into_iter().flatten() {
                let excluded = store.cost_cells(query, partial_cut, range).await?;
                cells.extend(excluded.into_iter().map(|mut cell| {
                    cell.figures = cell.figures.negated();
                    cell
                }));
            }
        } else {
            cells.extend(store.cost_cells(query, partial_cut, (from, until)).await?);
        }
        month = month.next();
    }
    if let Some(window) = whole_months {
        cells.extend(store.cost_cells(query, months_cut, window).await?);
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn periods_cover_the_window_exactly() {
        let monthly = all(Granularity::Monthly, date("2026-01-15"), date("2026-03-10"));
        assert_eq!(
            monthly.iter().map(|p| p.number).collect::<Vec<_>>(),
            [202_601, 202_602, 202_603]
        );
        assert_eq!(monthly[0].start, kst_midnight(date("2026-01-15")));
        assert_eq!(monthly[2].end, kst_midnight(date("2026-03-11")));
        assert_eq!(
            all(Granularity::Daily, date("2026-02-27"), date("2026-03-01")).len(),
            3
        );
        assert_eq!(
            all(Granularity::Hourly, date("2026-02-27"), date("2026-02-28")).len(),
            48
        );
    }
}
