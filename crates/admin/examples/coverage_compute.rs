//! Times the coverage computation alone: 2,000 contracts and a month of server-hours for
//! 10,000 resources (7,200,000), assigned through `domain::coverage::CoverageBook` — no
//! storage, no rating. `coverage_compute [RESOURCES] [CONTRACTS]`.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use scpfm_domain::coverage::{CoverageBook, CoverageContract};
use scpfm_domain::ids::AccountId;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let resources: usize = args.get(1).map_or(Ok(10_000), |v| v.parse())?;
    let contracts: usize = args.get(2).map_or(Ok(2_000), |v| v.parse())?;
    let month_start: DateTime<Utc> = "2026-08-31T15:00:00Z".parse()?;
    let accounts = [
        AccountId::from_bytes([1; 16]),
        AccountId::from_bytes([2; 16]),
    ];
    let types = [
        ("s1v1m2", "OPEN_SOURCE"),
        ("s1v2m4", "RHEL"),
        ("s1v4m8", "WINDOWS"),
        ("h1v2m16", "SLES"),
    ];
    let book_contracts = (0..contracts).map(|idx| {
        let (server, os) = types[idx % types.len()];
        (
            (
                accounts[0].clone(),
                "VIRTUAL_SERVER".to_owned(),
                server.to_owned(),
                os.to_owned(),
            ),
            CoverageContract {
                seq: idx as i64 + 1,
                contract_id: format!("C{:09}", idx + 1),
                contract_type: "01".into(),
                from: month_start - Duration::days(1),
                until: month_start + Duration::days(365),
            },
        )
    });
    let mut book = CoverageBook::new(book_contracts);
    let started = Instant::now();
    let mut covered = 0usize;
    for hour in 0..720 {
        let at = month_start + Duration::hours(hour);
        for resource in 0..resources {
            let (server, os) = types[resource % types.len()];
            let account = &accounts[resource % accounts.len()];
            if book
                .assign((account, "VIRTUAL_SERVER", server, os), at)
                .is_some()
            {
                covered += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{} server-hours, {contracts} contracts: {covered} covered in {} ms ({} ns per server-hour)",
        resources * 720,
        elapsed.as_millis(),
        elapsed.as_nanos() / (resources as u128 * 720)
    );
    Ok(())
}
