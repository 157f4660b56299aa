//! Writes a month of hourly usage of `resources` resources for the cost analysis benchmark:
//! three of four are virtual servers (four server types), one of four is block storage
//! (100 GB, SSD or HDD); each is tagged `team=team-0…7` and `env=prod|dev`, spread over the
//! given accounts. CSV on stdout, one record per resource and hour.
//!
//! `cost_gen RESOURCES YYYY-MM ACCOUNT_ID[,ACCOUNT_ID…] > usage.csv`

use std::io::Write as _;

use chrono::{Duration, NaiveDate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, resources, month, accounts] = args.as_slice() else {
        return Err("usage: cost_gen RESOURCES YYYY-MM ACCOUNT_ID[,ACCOUNT_ID…]".into());
    };
    let resources: usize = resources.parse()?;
    let accounts: Vec<&str> = accounts.split(',').collect();
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or("bad month")?;
    let hours = (next - first).num_hours();
    let types = [
        ("s1v1m2", "OPEN_SOURCE"),
        ("s1v2m4", "RHEL"),
        ("s1v4m8", "WINDOWS"),
        ("h1v2m16", "SLES"),
    ];
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    writeln!(out, "record_id,account_id,resource_id,resource_name,billing_item_id,region,period_start,period_end,quantity,unit,attributes,tags")?;
    let start_of = |hour: i64| {
        (first.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::hours(hour))
            .format("%Y-%m-%dT%H:%M:%S+09:00")
            .to_string()
    };
    for hour in 0..hours {
        let (start, end) = (start_of(hour), start_of(hour + 1));
        for resource in 0..resources {
            let account = accounts[resource % accounts.len()];
            let env = if resource % 2 == 0 { "prod" } else { "dev" };
            let tags = format!("team=team-{};env={env}", resource % 8);
            if resource % 4 == 3 {
                let disk = if resource % 8 == 3 { "SSD" } else { "HDD" };
                writeln!(
                    out,
                    "cost:{resource}:{month}:{hour},{account},disk-{resource},bench-disk-{resource},BLOCK_STORAGE,kr-west1,{start},{end},100,GB_HOUR,disk_type={disk},{tags}"
                )?;
            } else {
                let (server_type, os) = types[resource % types.len()];
                writeln!(
                    out,
                    "cost:{resource}:{month}:{hour},{account},vm-{resource},bench-vm-{resource},VIRTUAL_SERVER,kr-west1,{start},{end},1,HOUR,server_type={server_type};os_type={os},{tags}"
                )?;
            }
        }
    }
    Ok(())
}
