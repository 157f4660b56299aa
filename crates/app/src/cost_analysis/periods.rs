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

/// The window's sums by month (`whole`: over the whole window, period 0): whole months from
/// the monthly rollup, a partial first or last month from the daily one — or, when it is
/// mostly covered, as its month's row less its days outside the window (fewer rows). The
/// month rows are read as one range where they are contiguous; every read goes to the store
/// at once, so the accounts and cost keys are looked up once.
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
    // (cut, window, subtracted).
    let mut reads: Vec<(PeriodCut, (NaiveDate, NaiveDate), bool)> = Vec::new();
    let mut month_rows: Option<(NaiveDate, NaiveDate)> = None;
    let mut month = YearMonth::of(start);
    while month <= YearMonth::of(end) {
        let first = month.first_day();
        let last = month.next().first_day().pred_opt().unwrap_or(end);
        let (from, until) = (first.max(start), last.min(end));
        let outside = (from - first).num_days() + (last - until).num_days();
        if outside == 0 || outside < (until - from).num_days() {
            month_rows = Some((month_rows.map_or(first, |(start, _)| start), first));
            let day = Duration::days(1);
            let before = (from > first).then(|| (first, from - day));
            let after = (until < last).then(|| (until + day, last));
            for range in [before, after].into_iter().flatten() {
                reads.push((partial_cut, range, true));
            }
        } else {
            if let Some(rows) = month_rows.take() {
                reads.push((months_cut, rows, false));
            }
            reads.push((partial_cut, (from, until), false));
        }
        month = month.next();
    }
    if let Some(rows) = month_rows {
        reads.push((months_cut, rows, false));
    }
    let windows: Vec<(PeriodCut, (NaiveDate, NaiveDate))> = reads
        .iter()
        .map(|(cut, window, _)| (*cut, *window))
        .collect();
    let answers = app.store.cost_cells_many(query, &windows).await?;
    Ok(answers
        .into_iter()
        .zip(reads)
        .flat_map(|(cells, (_, _, subtracted))| {
            cells.into_iter().map(move |mut cell| {
                if subtracted {
                    cell.figures = cell.figures.negated();
                }
                cell
            })
        })
        .collect())
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
