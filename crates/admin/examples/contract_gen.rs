//! Stores planned compute contracts for benchmarks: `COUNT` 1-year contracts of `ACCOUNT`,
//! ordered on `ORDERED` (YYYY-MM-DD, KST; so they cover the month after it), spread over the
//! server and OS types `usage_gen` writes, in the database at `URL`.
//!
//! `contract_gen URL ACCOUNT_ID COUNT ORDERED`

use chrono::{NaiveDate, TimeZone as _, Utc};
use scpfm_domain::planned_compute::{start_date_for_order, ContractState, PlannedCompute, Term};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, account, count, ordered] = args.as_slice() else {
        return Err("usage: contract_gen URL ACCOUNT_ID COUNT YYYY-MM-DD".into());
    };
    let store = scpfm_store::Store::open(url).await?;
    let catalog = scpfm_app::catalog_file::load(None)?;
    let one_year = catalog
        .contract_types
        .iter()
        .find(|c| c.code == "01")
        .ok_or("no 1-year contract type")?;
    let ordered = NaiveDate::parse_from_str(ordered, "%Y-%m-%d")?
        .and_hms_opt(3, 0, 0)
        .ok_or("bad time")?;
    let ordered = Utc.from_utc_datetime(&ordered);
    let start = start_date_for_order(ordered);
    let types = [
        ("s1v1m2", "OPEN_SOURCE"),
        ("s1v2m4", "RHEL"),
        ("s1v4m8", "WINDOWS"),
        ("h1v2m16", "SLES"),
    ];
    for idx in 0..count.parse::<usize>()? {
        let (server_type, os_type) = types[idx % types.len()];
        let contract = PlannedCompute {
            id: format!("{:032x}", 0xbe_0000_0000u128 + idx as u128).parse()?,
            contract_id: String::new(),
            account_id: account.parse().map_err(|_| "bad account id")?,
            region: "kr-west1".into(),
            service_id: "VIRTUAL_SERVER".into(),
            server_type: server_type.into(),
            os_type: os_type.into(),
            term: Term::starting(one_year, start),
            first_contract_start: start,
            next: None,
            state: ContractState::Active,
            tags: Vec::new(),
            resource_name: None,
            created_at: ordered,
            created_by: "bench".into(),
            modified_at: ordered,
            modified_by: "bench".into(),
            cancelled_at: None,
        };
        store.create_planned_compute(&contract).await?;
    }
    println!("{count} contracts from {start}");
    Ok(())
}
