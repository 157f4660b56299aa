//! Measures the latency of API writes while something else writes to the database (the
//! SQLite import-vs-API-write benchmark, `bench/usage/run.sh import-write`).
//!
//! `write_probe URL ACCESS_KEY SECRET_KEY STOP_FILE [INTERVAL_MS]`: creates and deletes a
//! budget (two signed writes) every INTERVAL_MS (default 20) until STOP_FILE exists, then
//! prints one line: writes, failures, p50, p99 and max latency in ms.

use std::time::{Duration, Instant};

use scpfm_api_types::budget::BudgetCreateRequest;
use scpfm_client::{Client, ClientConfig, Endpoint};

/// `12.3` for 12.34 ms.
fn millis(latency: Duration) -> String {
    let tenths = latency.as_micros() / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (url, access_key, secret_key, stop_file, interval) = match args.as_slice() {
        [_, url, key, secret, stop] => (url, key, secret, stop, 20),
        [_, url, key, secret, stop, interval] => (url, key, secret, stop, interval.parse()?),
        _ => {
            return Err(
                "usage: write_probe URL ACCESS_KEY SECRET_KEY STOP_FILE [INTERVAL_MS]".into(),
            )
        }
    };
    let client = Client::new(ClientConfig::new(
        Endpoint::Single(url.clone()),
        access_key,
        secret_key,
    ))?;
    let mut latencies = Vec::new();
    let mut failures = 0u32;
    let mut ticker = tokio::time::interval(Duration::from_millis(interval));
    let mut idx = 0u64;
    while !std::path::Path::new(stop_file).exists() {
        ticker.tick().await;
        idx += 1;
        let request = BudgetCreateRequest {
            name: Some(format!("probe-{idx}")),
            unit: Some("MONTHLY".into()),
            start_month: Some("2026-12".into()),
            amount: Some(1_000),
            ..Default::default()
        };
        let started = Instant::now();
        match client.create_budget(&request).await {
            Ok(created) => {
                latencies.push(started.elapsed());
                let started = Instant::now();
                match client.delete_budget(&created.budget.id).await {
                    Ok(()) => latencies.push(started.elapsed()),
                    Err(_) => failures += 1,
                }
            }
            Err(_) => failures += 1,
        }
    }
    latencies.sort();
    // The latency at `percent` (nearest rank), in ms with one decimal.
    let at = |percent: usize| {
        let rank = (latencies.len() * percent).div_ceil(100).max(1);
        latencies
            .get(rank - 1)
            .map_or_else(|| "-".to_owned(), |latency| millis(*latency))
    };
    println!(
        "writes {} failures {} p50 {} ms p99 {} ms max {} ms",
        latencies.len(),
        failures,
        at(50),
        at(99),
        at(100)
    );
    Ok(())
}
