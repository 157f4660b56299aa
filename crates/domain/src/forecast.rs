//! The cost forecast: daily cost ahead from the daily history, weekday-aware, with an 80 %
//! prediction interval — exact decimals throughout, no floats.
//!
//! The method (documented in `docs/FORECAST.md`), on the last [`WINDOW_DAYS`] days before
//! the forecast starts:
//! 1. **weekday factors**: each weekday's mean ratio of its cost to the centred 7-day moving
//!    average (1 for all with less than two weeks), normalised to average 1, so a quiet
//!    weekend stays quiet and a trend does not bend them;
//! 2. **trend**: a least-squares line through the cost divided by its weekday factor (flat
//!    — the mean — with fewer than 14 days of history);
//! 3. **forecast** of a day: the line, its trend damped ahead of the history (φ = 0.9 a day:
//!    at most 9 more days of trend), times the day's weekday factor, never below zero;
//! 4. **interval**: the residuals of the fit give a daily standard deviation σ; a period of
//!    k days is its forecast ± 1.2816 σ √k (the normal 80 % interval of k independent days),
//!    its lower end never below zero.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// Days of history the model looks at.
pub const WINDOW_DAYS: usize = 56;
/// Least history for a trend.
const TREND_DAYS: usize = 14;
/// The normal distribution's 90th percentile: ± it holds 80 %.
const Z80: Decimal = Decimal::from_parts(12_816, 0, 0, false, 4);

/// How much of the trend carries from one day ahead to the next (φ).
const DAMPING: Decimal = Decimal::from_parts(9, 0, 0, false, 1);
/// Past this many days ahead the damped trend has stopped moving (φ^200 is nothing).
const MAX_DAMPED_STEPS: usize = 200;

/// A fitted model: forecasts any day after the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The first day after the history (day index `len`).
    start: NaiveDate,
    /// Days of history used.
    len: usize,
    intercept: Decimal,
    slope: Decimal,
    /// Weekday factors, Monday first.
    factors: [Decimal; 7],
    /// Daily standard deviation of the fit's residuals.
    sigma: Decimal,
}

/// A period's forecast and its 80 % prediction interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prediction {
    /// The expected cost.
    pub mean: Decimal,
    /// The interval's lower end.
    pub lower: Decimal,
    /// The interval's upper end.
    pub upper: Decimal,
}

/// Weekday factors by the ratio to the centred 7-day moving average (so a trend does not
/// leak into them), normalised to average 1; all 1 with less than two weeks.
fn weekday_factors(history: &[Decimal], weekday: impl Fn(usize) -> usize) -> [Decimal; 7] {
    let mut factors = [Decimal::ONE; 7];
    if history.len() < 14 {
        return factors;
    }
    let seven = Decimal::from(7);
    let mut sums = [(Decimal::ZERO, 0u32); 7];
    for idx in 3..history.len() - 3 {
        let average = history[idx - 3..=idx + 3].iter().sum::<Decimal>() / seven;
        if average.is_zero() {
            continue;
        }
        let slot = &mut sums[weekday(idx)];
        slot.0 += history[idx] / average;
        slot.1 += 1;
    }
    for (factor, (sum, days)) in factors.iter_mut().zip(sums) {
        if days > 0 {
            *factor = sum / Decimal::from(days);
        }
    }
    let mean = factors.iter().sum::<Decimal>() / seven;
    if !mean.is_zero() {
        for factor in &mut factors {
            *factor /= mean;
        }
    }
    factors
}

/// The square root of a non-negative decimal, by Newton's method (to Decimal's precision).
pub fn sqrt(value: Decimal) -> Decimal {
    if value <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let mut x = if value > Decimal::ONE {
        value / Decimal::TWO
    } else {
        Decimal::ONE
    };
    for _ in 0..100 {
        let next = (x + value / x) / Decimal::TWO;
        if next == x {
            break;
        }
        x = next;
    }
    x
}

impl Model {
    /// Fits the model to `history`: the cost of consecutive days, the last one the day before
    /// `start` (only the last [`WINDOW_DAYS`] are used). Days before the first day with any
    /// cost are not history: the account or group did not exist yet, and counting them as
    /// free days would drag a new one's forecast towards zero.
    pub fn fit(history: &[Decimal], start: NaiveDate) -> Self {
        let history = &history[history.len().saturating_sub(WINDOW_DAYS)..];
        let first_cost = history
            .iter()
            .position(|cost| !cost.is_zero())
            .unwrap_or(history.len());
        let history = &history[first_cost..];
        let len = history.len();
        let mut model = Self {
            start,
            len,
            intercept: Decimal::ZERO,
            slope: Decimal::ZERO,
            factors: [Decimal::ONE; 7],
            sigma: Decimal::ZERO,
        };
        if len == 0 {
            return model;
        }
        let count = Decimal::from(len);
        let mean = history.iter().sum::<Decimal>() / count;
        if mean.is_zero() {
            return model;
        }
        model.factors = weekday_factors(history, |idx| model.weekday(idx));
        let level: Vec<Decimal> = history
            .iter()
            .enumerate()
            .map(|(idx, cost)| match model.factors[model.weekday(idx)] {
                factor if factor.is_zero() => mean,
                factor => cost / factor,
            })
            .collect();
        let level_mean = level.iter().sum::<Decimal>() / count;
        model.intercept = level_mean;
        if len >= TREND_DAYS {
            let centre = Decimal::from(len - 1) / Decimal::TWO;
            let (mut covariance, mut variance) = (Decimal::ZERO, Decimal::ZERO);
            for (idx, value) in level.iter().enumerate() {
                let offset = Decimal::from(idx) - centre;
                covariance += offset * (value - level_mean);
                variance += offset * offset;
            }
            model.slope = covariance / variance;
            model.intercept = level_mean - model.slope * centre;
        }
        let squares: Decimal = history
            .iter()
            .enumerate()
            .map(|(idx, cost)| {
                let residual = cost - model.day(idx);
                residual * residual
            })
            .sum();
        model.sigma = sqrt(squares / Decimal::from(len.saturating_sub(1).max(1)));
        model
    }

    /// The weekday slot (Monday 0) of day index `idx` (0: the history's first day).
    fn weekday(&self, idx: usize) -> usize {
        let back = i64::try_from(self.len).unwrap_or(0) - i64::try_from(idx).unwrap_or(0);
        let date = self.start - chrono::Duration::days(back);
        date.weekday().num_days_from_monday() as usize
    }

    /// The expected cost of day index `idx`, never negative.
    /// Inside the history the line itself; ahead of it the trend is damped: the level of the
    /// last day plus slope·(φ + φ² + … + φʰ) at h days ahead, so it flattens out.
    fn day(&self, idx: usize) -> Decimal {
        let level = if idx < self.len || self.len == 0 {
            self.intercept + self.slope * Decimal::from(idx)
        } else {
            let last = self.intercept + self.slope * Decimal::from(self.len - 1);
            let (mut step, mut steps) = (Decimal::ONE, Decimal::ZERO);
            for _ in 0..(idx + 1 - self.len).min(MAX_DAMPED_STEPS) {
                step *= DAMPING;
                steps += step;
            }
            last + self.slope * steps
        };
        (level * self.factors[self.weekday(idx)]).max(Decimal::ZERO)
    }

    /// The expected cost of `date` (on or after the start), at 3 decimals.
    pub fn forecast_day(&self, date: NaiveDate) -> Decimal {
        let ahead = usize::try_from((date - self.start).num_days()).unwrap_or(0);
        self.day(self.len + ahead)
            .round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
    }

    /// Whether the model saw any day with cost (without, it forecasts nothing).
    pub fn has_history(&self) -> bool {
        self.len > 0
    }

    /// The cost still to come from the start day (today) to `last` (inclusive), when
    /// `today_so_far` has already been incurred today: today's forecast less what today has
    /// cost (never below zero), plus the forecast of the days after, at 3 decimals.
    pub fn still_to_come(&self, last: NaiveDate, today_so_far: Decimal) -> Decimal {
        if last < self.start {
            return Decimal::ZERO;
        }
        let today = (self.forecast_day(self.start) - today_so_far).max(Decimal::ZERO);
        match self.start.succ_opt() {
            Some(tomorrow) if tomorrow <= last => today + self.forecast_period(tomorrow, last).mean,
            _ => today,
        }
    }

    /// The forecast of the inclusive days `from..=until` and its 80 % interval, at 3 decimals.
    pub fn forecast_period(&self, from: NaiveDate, until: NaiveDate) -> Prediction {
        let mut mean = Decimal::ZERO;
        let mut days = 0u32;
        let mut date = from;
        while date <= until {
            mean += self.forecast_day(date);
            days += 1;
            date = date.succ_opt().unwrap_or(NaiveDate::MAX);
        }
        let half = (Z80 * self.sigma * sqrt(Decimal::from(days)))
            .round_dp_with_strategy(3, RoundingStrategy::AwayFromZero);
        Prediction {
            mean,
            lower: (mean - half).max(Decimal::ZERO),
            upper: mean + half,
        }
    }
}

/// Mean absolute percentage error, in percent (2 decimals), of month-end forecasts made on
/// the `days_of_month` of every whole month of `daily` (consecutive days from `first`) that
/// has at least [`TREND_DAYS`] days of history before it: each forecast knows the days
/// before the day it is made and adds the forecast of the month's rest to them.
pub fn backtest_month_end(
    daily: &[Decimal],
    first: NaiveDate,
    days_of_month: &[u32],
) -> Option<Decimal> {
    let mut errors = Vec::new();
    let date_at = |idx: usize| first + chrono::Duration::days(i64::try_from(idx).unwrap_or(0));
    for (month_start, date) in (0..daily.len()).map(|idx| (idx, date_at(idx))) {
        if date.day() != 1 || month_start < TREND_DAYS {
            continue;
        }
        let next = date.checked_add_months(chrono::Months::new(1))?;
        let month_len = usize::try_from((next - date).num_days()).ok()?;
        if month_start + month_len > daily.len() {
            break;
        }
        let actual: Decimal = daily[month_start..month_start + month_len].iter().sum();
        if actual.is_zero() {
            continue;
        }
        for day in days_of_month {
            let made = month_start + (*day as usize) - 1;
            let model = Model::fit(&daily[..made], date_at(made));
            let known: Decimal = daily[month_start..made].iter().sum();
            let rest = model.forecast_period(date_at(made), next.pred_opt()?).mean;
            errors.push(((known + rest - actual) / actual).abs());
        }
    }
    if errors.is_empty() {
        return None;
    }
    let mean = errors.iter().sum::<Decimal>() / Decimal::from(errors.len());
    Some((mean * Decimal::ONE_HUNDRED).round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A history with a trend and a weekly cycle: weekdays 100 + 1/day, weekends half.
    fn synthetic(days: usize, first: NaiveDate) -> Vec<Decimal> {
        (0..days)
            .map(|idx| {
                let day = first + chrono::Duration::days(idx as i64);
                let level = Decimal::from(100 + idx);
                match day.weekday().num_days_from_monday() {
                    5 | 6 => level / Decimal::TWO,
                    _ => level,
                }
            })
            .collect()
    }

    #[test]
    fn days_before_the_first_cost_are_not_history() {
        let mut history = vec![Decimal::ZERO; 40];
        history.extend(vec![Decimal::from(70); 5]);
        let model = Model::fit(&history, date("2026-11-01"));
        assert_eq!(model.forecast_day(date("2026-11-02")), Decimal::from(70));
        assert!(!Model::fit(&[Decimal::ZERO; 3], date("2026-11-01")).has_history());
    }

    #[test]
    fn what_is_still_to_come_counts_today_once() {
        let model = Model::fit(&[Decimal::from(100); 20], date("2026-11-21"));
        // Today 30 of its 100 so far, and 9 more days of 100.
        let rest = model.still_to_come(date("2026-11-30"), Decimal::from(30));
        assert_eq!(rest, Decimal::from(970));
        // Today already over its forecast: nothing more today.
        let rest = model.still_to_come(date("2026-11-21"), Decimal::from(130));
        assert_eq!(rest, Decimal::ZERO);
    }

    #[test]
    fn square_roots_are_exact_for_squares() {
        assert_eq!(sqrt(Decimal::from(144)), Decimal::from(12));
        assert_eq!(sqrt(Decimal::ZERO), Decimal::ZERO);
        let two = sqrt(Decimal::TWO);
        assert!((two * two - Decimal::TWO).abs() < Decimal::new(1, 20));
    }

    #[test]
    fn a_flat_history_forecasts_itself_with_no_spread() {
        let history = vec![Decimal::from(50); 30];
        let model = Model::fit(&history, date("2026-11-01"));
        let period = model.forecast_period(date("2026-11-01"), date("2026-11-30"));
        assert_eq!(period.mean, Decimal::from(1500));
        assert_eq!((period.lower, period.upper), (period.mean, period.mean));
    }

    #[test]
    fn trend_and_weekly_cycle_are_followed() {
        let first = date("2026-01-05"); // a Monday
        let history = synthetic(56, first);
        let start = first + chrono::Duration::days(56);
        let model = Model::fit(&history, start);
        // Day 56 is a Monday: level 156; day 61 a Saturday: level 161 / 2.
        let monday = model.forecast_day(start);
        let saturday = model.forecast_day(start + chrono::Duration::days(5));
        assert!(
            (monday - Decimal::from(156)).abs() < Decimal::from(3),
            "{monday}"
        );
        assert!(
            (saturday - Decimal::new(805, 1)).abs() < Decimal::from(3),
            "{saturday}"
        );
    }

    #[test]
    fn no_history_forecasts_nothing() {
        let model = Model::fit(&[], date("2026-11-01"));
        assert_eq!(model.forecast_day(date("2026-11-02")), Decimal::ZERO);
    }

    #[test]
    fn backtest_error_is_small_on_a_regular_history() {
        let first = date("2026-01-01");
        let history = synthetic(365, first);
        let error = backtest_month_end(&history, first, &[5, 10, 15, 20, 25]).unwrap();
        assert!(error < Decimal::from(5), "MAPE {error}%");
    }

    proptest::proptest! {
        #[test]
        fn intervals_hold_the_forecast_and_never_go_negative(
            costs in proptest::collection::vec(0i64..1_000_000, 1..80),
            days in 1i64..40,
        ) {
            let history: Vec<Decimal> = costs.iter().map(|c| Decimal::new(*c, 3)).collect();
            let start = date("2026-06-01");
            let model = Model::fit(&history, start);
            let p = model.forecast_period(start, start + chrono::Duration::days(days - 1));
            proptest::prop_assert!(p.lower >= Decimal::ZERO);
            proptest::prop_assert!(p.lower <= p.mean && p.mean <= p.upper);
        }
    }
}
