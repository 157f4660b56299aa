//! Backtests the cost forecast (`scpfm_domain::forecast`): the mean absolute percentage error
//! of month-end forecasts made on days 5, 10, 15, 20 and 25 of every whole month with two
//! weeks of history before it, on
//! 1. a synthetic year with a trend (+0.1 %/day), a weekly cycle (weekends at 55 %) and noise
//!    (±8 %, deterministic);
//! 2. the demo organisation's history (seeded into a temporary SQLite file as of
//!    2026-12-01 KST, so its months are whole), its daily net cost read from the cost rollup
//!    the server answers from.
//!
//! `cargo run --release -p scpfm-admin --example forecast_backtest`

use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, TimeZone as _, Utc};
use rust_decimal::Decimal;
use scpfm_domain::cost::{date_of, from_milli};
use scpfm_domain::forecast::backtest_month_end;
use scpfm_store::cost::query::{CostQuery, PeriodCut};
use scpfm_store::Store;

const DAYS: [u32; 5] = [5, 10, 15, 20, 25];

fn synthetic() -> (Vec<Decimal>, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let mut seed = 0x5c9f_u64;
    let series = (0..365)
        .map(|idx| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let noise = Decimal::from(seed >> 33 & 0xffff) / Decimal::from(0xffff); // 0..1
            let day = first + Duration::days(idx);
            let trend = Decimal::from(1_000_000) + Decimal::from(1_000 * idx);
            let weekly = match day.weekday().num_days_from_monday() {
                5 | 6 => Decimal::new(55, 2),
                _ => Decimal::ONE,
            };
            let jitter = Decimal::new(92, 2) + noise * Decimal::new(16, 2);
            (trend * weekly * jitter).round_dp(3)
        })
        .collect();
    (series, first)
}

async fn demo() -> Result<(Vec<Decimal>, NaiveDate), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&format!("sqlite:{}", dir.path().join("demo.db").display())).await?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 30, 15, 0, 0)
        .single()
        .ok_or("time")?;
    let catalog = Arc::new(scpfm_app::catalog_file::load(None)?);
    let accounts = scpfm_admin::demo::seed(&store, now).await?;
    scpfm_admin::demo::contracts::seed(&store, &catalog, &accounts, now).await?;
    scpfm_admin::demo::usage::seed(&store, Arc::clone(&catalog), &accounts, now).await?;
    scpfm_admin::demo::billing::seed(&store, &catalog, &accounts, now).await?;
    let query = CostQuery {
        accounts: accounts.iter().map(|account| account.id.clone()).collect(),
        ..CostQuery::default()
    };
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let last = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
    let cells = store
        .cost_cells(&query, PeriodCut::Days, (first, last))
        .await?;
    // The history starts on its first day with cost.
    let first = cells
        .iter()
        .filter_map(|cell| date_of(cell.period))
        .min()
        .ok_or("no demo history")?;
    let mut series = vec![Decimal::ZERO; usize::try_from((last - first).num_days() + 1)?];
    for cell in cells {
        let day = date_of(cell.period).ok_or("day")?;
        let f = &cell.figures;
        series[usize::try_from((day - first).num_days())?] +=
            from_milli(f.usage[0] + f.idle[0] + f.fee[0] - f.discount[0]);
    }
    Ok((series, first))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (series, first) = synthetic();
    let error = backtest_month_end(&series, first, &DAYS).ok_or("no whole month")?;
    println!("synthetic year (trend, weekly cycle, ±8 % noise): MAPE {error} %");
    for day in DAYS {
        let one = backtest_month_end(&series, first, &[day]).ok_or("no month")?;
        println!("  forecast made on day {day:>2}: {one} %");
    }
    let (series, first) = demo().await?;
    let error = backtest_month_end(&series, first, &DAYS).ok_or("no whole month")?;
    println!("demo history (from {first}): MAPE {error} %");
    for day in DAYS {
        let one = backtest_month_end(&series, first, &[day]).ok_or("no month")?;
        println!("  forecast made on day {day:>2}: {one} %");
    }
    Ok(())
}
