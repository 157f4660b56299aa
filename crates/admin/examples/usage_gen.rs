//! Writes a usage file for benchmarks: hourly virtual server records of `resources` resources
//! spread over the given accounts, from the first hour of `month` on, as CSV.
//!
//! `usage_gen RECORDS MONTH ACCOUNT_ID[,ACCOUNT_ID…] > usage.csv`

use std::io::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, records, month, accounts] = args.as_slice() else {
        return Err("usage: usage_gen RECORDS YYYY-MM ACCOUNT_ID[,ACCOUNT_ID…]".into());
    };
    let records: u64 = records.parse()?;
    let accounts: Vec<&str> = accounts.split(',').collect();
    let (year, month_number): (i32, u32) = (month[..4].parse()?, month[5..].parse()?);
    let days = chrono::NaiveDate::from_ymd_opt(year, month_number % 12 + 1, 1)
        .map(|next| {
            if month_number == 12 {
                chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(next)
            } else {
                next
            }
        })
        .and_then(|next| {
            chrono::NaiveDate::from_ymd_opt(year, month_number, 1)
                .map(|first| (next - first).num_days())
        })
        .ok_or("bad month")?;
    let hours = u64::try_from(days * 24)?;
    let resources = records.div_ceil(hours);
    let types = [
        ("s1v1m2", "OPEN_SOURCE"),
        ("s1v2m4", "RHEL"),
        ("s1v4m8", "WINDOWS"),
        ("h1v2m16", "SLES"),
    ];
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    writeln!(out, "record_id,account_id,resource_id,resource_name,billing_item_id,region,period_start,period_end,quantity,unit,attributes")?;
    let mut written = 0;
    'outer: for hour in 0..hours {
        let day = hour / 24 + 1;
        let start = format!("{month}-{day:02}T{:02}:00:00+09:00", hour % 24);
        let end = if hour % 24 == 23 {
            if day == u64::try_from(days)? {
                let next = if month_number == 12 {
                    format!("{}-01", year + 1)
                } else {
                    format!("{year}-{:02}", month_number + 1)
                };
                format!("{next}-01T00:00:00+09:00")
            } else {
                format!("{month}-{:02}T00:00:00+09:00", day + 1)
            }
        } else {
            format!("{month}-{day:02}T{:02}:00:00+09:00", hour % 24 + 1)
        };
        for resource in 0..resources {
            if written == records {
                break 'outer;
            }
            let account = accounts[usize::try_from(resource)? % accounts.len()];
            let (server_type, os) = types[usize::try_from(resource)? % types.len()];
            writeln!(
                out,
                "bench:{resource}:{hour},{account},vm-{resource},bench-vm-{resource},VIRTUAL_SERVER,kr-west1,{start},{end},1,HOUR,server_type={server_type};os_type={os}"
            )?;
            written += 1;
        }
    }
    Ok(())
}
