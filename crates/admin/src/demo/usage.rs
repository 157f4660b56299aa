//! The demo organisation's usage history: about 35 resources metered hourly (daily for
//! transfer, monthly for support plans) from the first day of the month three months back up
//! to the last full hour. The history is deterministic (record ids and quantities depend only
//! on the resource and the hour), so seeding again only adds the hours that passed since.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use scpfm_api_types::usage::{DecimalText, UsageRecordInput};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::month::YearMonth;
use scpfm_domain::month::{kst, kst_date, kst_midnight};
use scpfm_store::Store;

use crate::demo::DemoAccount;
use scpfm_app::ingest::{check_records, store_records, IngestSummary, Source, SourcedRecord};
use scpfm_app::AppError;

/// Records ingested per batch.
const BATCH: usize = 10_000;

/// When a resource runs.
#[derive(Clone, Copy)]
enum Schedule {
    /// Every hour.
    Always,
    /// Weekdays, from `start` to `end` o'clock KST.
    WorkHours { start: u32, end: u32 },
    /// Every night from `start` to `end` o'clock KST (wrapping midnight).
    Nightly { start: u32, end: u32 },
}

impl Schedule {
    fn runs(self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&kst());
        let hour = local.hour();
        match self {
            Self::Always => true,
            Self::WorkHours { start, end } => {
                !matches!(local.weekday(), Weekday::Sat | Weekday::Sun)
                    && hour >= start
                    && hour < end
            }
            Self::Nightly { start, end } => hour >= start || hour < end,
        }
    }
}

/// A metered resource of the demo.
struct Resource {
    account: &'static str,
    id: &'static str,
    item: &'static str,
    region: &'static str,
    attributes: &'static [(&'static str, &'static str)],
    schedule: Schedule,
    /// Quantity per hour (GB for storage), or per day for transfer.
    quantity: u64,
}

/// A resource of `item` in `region` with `attributes`; its schedule and quantity follow
/// ([`Resource::every`]).
const fn resource(
    account: &'static str,
    id: &'static str,
    item: &'static str,
    region: &'static str,
    attributes: &'static [(&'static str, &'static str)],
) -> Resource {
    Resource {
        account,
        id,
        item,
        region,
        attributes,
        schedule: ALWAYS,
        quantity: 0,
    }
}

impl Resource {
    /// This resource used `quantity` on `schedule`.
    const fn every(self, schedule: Schedule, quantity: u64) -> Self {
        Self {
            schedule,
            quantity,
            ..self
        }
    }
}

/// A virtual server of the demo.
macro_rules! vm {
    ($account:literal, $id:literal, $server_type:literal, $os:literal, $schedule:expr) => {
        Resource {
            account: $account,
            id: $id,
            item: "VIRTUAL_SERVER",
            region: "kr-west1",
            attributes: &[("server_type", $server_type), ("os_type", $os)],
            schedule: $schedule,
            quantity: 1,
        }
    };
}

const WORK: Schedule = Schedule::WorkHours { start: 9, end: 21 };
const ALWAYS: Schedule = Schedule::Always;

const RESOURCES: &[Resource] = &[
    vm!("demo-dev", "vm-dev-web-1", "s1v2m4", "OPEN_SOURCE", WORK),
    vm!("demo-dev", "vm-dev-web-2", "s1v2m4", "OPEN_SOURCE", WORK),
    vm!("demo-dev", "vm-dev-ci", "s1v8m16", "OPEN_SOURCE", ALWAYS),
    vm!(
        "demo-dev",
        "vm-dev-win",
        "s1v4m8",
        "WINDOWS",
        Schedule::WorkHours { start: 9, end: 19 }
    ),
    resource(
        "demo-dev",
        "gpu-dev-train",
        "GPU_SERVER",
        "kr-west1",
        &[("server_type", "g1v8m64"), ("os_type", "OPEN_SOURCE")],
    )
    .every(Schedule::Nightly { start: 22, end: 6 }, 1),
    resource(
        "demo-dev",
        "disk-dev-ci",
        "BLOCK_STORAGE",
        "kr-west1",
        &[("disk_type", "SSD")],
    )
    .every(ALWAYS, 500),
    resource(
        "demo-dev",
        "obj-dev-artifacts",
        "OBJECT_STORAGE",
        "kr-west1",
        &[],
    )
    .every(ALWAYS, 2048),
    resource("demo-dev", "ip-dev-1", "PUBLIC_IP", "kr-west1", &[]).every(ALWAYS, 1),
    resource(
        "demo-dev",
        "lb-dev",
        "LOAD_BALANCER",
        "kr-west1",
        &[("size", "SMALL")],
    )
    .every(ALWAYS, 1),
    resource(
        "demo-dev",
        "egress-dev",
        "INTERNET_TRANSFER",
        "kr-west1",
        &[],
    )
    .every(ALWAYS, 55),
    vm!("demo-prod", "vm-prod-web-1", "s1v4m8", "RHEL", ALWAYS),
    vm!("demo-prod", "vm-prod-web-2", "s1v4m8", "RHEL", ALWAYS),
    vm!("demo-prod", "vm-prod-web-3", "s1v4m8", "RHEL", ALWAYS),
    vm!("demo-prod", "vm-prod-web-4", "s1v4m8", "RHEL", ALWAYS),
    vm!("demo-prod", "vm-prod-api-1", "h1v4m32", "RHEL", ALWAYS),
    vm!("demo-prod", "vm-prod-api-2", "h1v4m32", "RHEL", ALWAYS),
    vm!("demo-prod", "vm-prod-api-3", "h1v4m32", "RHEL", ALWAYS),
    vm!(
        "demo-prod",
        "vm-prod-batch",
        "s1v16m32",
        "OPEN_SOURCE",
        Schedule::Nightly { start: 1, end: 5 }
    ),
    resource(
        "demo-prod",
        "db-prod-orders",
        "POSTGRESQL",
        "kr-east1",
        &[("instance_type", "db1v4m8")],
    )
    .every(ALWAYS, 1),
    resource(
        "demo-prod",
        "db-prod-analytics",
        "POSTGRESQL",
        "kr-east1",
        &[("instance_type", "db1v8m32")],
    )
    .every(ALWAYS, 1),
    resource(
        "demo-prod",
        "disk-prod-web",
        "BLOCK_STORAGE",
        "kr-west1",
        &[("disk_type", "SSD")],
    )
    .every(ALWAYS, 800),
    resource(
        "demo-prod",
        "disk-prod-db",
        "BLOCK_STORAGE",
        "kr-east1",
        &[("disk_type", "SSD")],
    )
    .every(ALWAYS, 2048),
    resource(
        "demo-prod",
        "disk-prod-backup",
        "BLOCK_STORAGE",
        "kr-east1",
        &[("disk_type", "HDD")],
    )
    .every(ALWAYS, 10240),
    resource(
        "demo-prod",
        "obj-prod-media",
        "OBJECT_STORAGE",
        "kr-west1",
        &[],
    )
    .every(ALWAYS, 61440),
    resource("demo-prod", "ip-prod-1", "PUBLIC_IP", "kr-west1", &[]).every(ALWAYS, 1),
    resource("demo-prod", "ip-prod-2", "PUBLIC_IP", "kr-west1", &[]).every(ALWAYS, 1),
    resource(
        "demo-prod",
        "lb-prod",
        "LOAD_BALANCER",
        "kr-west1",
        &[("size", "LARGE")],
    )
    .every(ALWAYS, 1),
    resource(
        "demo-prod",
        "egress-prod",
        "INTERNET_TRANSFER",
        "kr-west1",
        &[],
    )
    .every(ALWAYS, 750),
    resource(
        "demo-prod",
        "support-prod",
        "SUPPORT_PLAN",
        "kr-west1",
        &[("plan", "BUSINESS")],
    )
    .every(ALWAYS, 1),
    resource(
        "demo-payer",
        "support-org",
        "SUPPORT_PLAN",
        "kr-west1",
        &[("plan", "ENTERPRISE")],
    )
    .every(ALWAYS, 1),
];

/// A deterministic number in `0..1000` for a resource and an hour (splitmix64).
fn noise(resource: &str, hour: i64) -> u64 {
    let mut seed = resource
        .bytes()
        .fold(0x9e37_79b9_7f4a_7c15_u64, |acc, byte| {
            acc.rotate_left(5) ^ u64::from(byte)
        });
    seed = seed
        .wrapping_add(hour as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    seed = (seed ^ (seed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    seed = (seed ^ (seed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (seed ^ (seed >> 31)) % 1000
}

fn record(
    resource: &Resource,
    account_id: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    quantity: String,
    unit: &str,
) -> UsageRecordInput {
    let start_text = start
        .with_timezone(&kst())
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    UsageRecordInput {
        record_id: Some(format!("demo:{}:{start_text}", resource.id)),
        account_id: Some(account_id.to_owned()),
        resource_id: Some(resource.id.to_owned()),
        resource_name: Some(resource.id.to_owned()),
        billing_item_id: Some(resource.item.to_owned()),
        region: Some(resource.region.to_owned()),
        attributes: Some(
            resource
                .attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
        period_start: Some(start.to_rfc3339()),
        period_end: Some(end.to_rfc3339()),
        quantity: Some(DecimalText(quantity)),
        unit: Some(unit.to_owned()),
        tags: Some(tags(resource)),
    }
}

/// The demo's tags: `env` from the account (`dev`, `prod`, `shared` for the payer's), and
/// `team` from what the resource serves — none for support plans and transfer, so grouping by
/// `TAG:team` shows an untagged group too.
fn tags(resource: &Resource) -> std::collections::BTreeMap<String, String> {
    let env = resource.account.strip_prefix("demo-").unwrap_or("shared");
    let env = if env == "payer" { "shared" } else { env };
    let mut tags = std::collections::BTreeMap::from([("env".to_owned(), env.to_owned())]);
    let id = resource.id;
    let team = if ["web", "media", "lb"].iter().any(|word| id.contains(word)) {
        Some("web")
    } else if ["db-", "analytics", "orders"]
        .iter()
        .any(|word| id.contains(word))
    {
        Some("data")
    } else if id.starts_with("support") || id.starts_with("egress") {
        None
    } else {
        Some("platform")
    };
    if let Some(team) = team {
        tags.insert("team".to_owned(), team.to_owned());
    }
    tags
}

/// Every record of the history up to `now`, in time order.
fn history(accounts: &[DemoAccount], now: DateTime<Utc>) -> Vec<UsageRecordInput> {
    let this_month = YearMonth::of(kst_date(now));
    let first = this_month.previous().previous().previous();
    let start = kst_midnight(first.first_day());
    let last_hour =
        now.with_timezone(&kst())
            .date_naive()
            .and_hms_opt(now.with_timezone(&kst()).hour(), 0, 0);
    let Some(end) = last_hour
        .and_then(|naive| naive.and_local_timezone(kst()).single())
        .map(|t| t.with_timezone(&Utc))
    else {
        return Vec::new();
    };
    let account_id = |name: &str| {
        accounts
            .iter()
            .find(|account| account.name == name)
            .map(|account| account.id.to_string())
    };
    let mut records = Vec::new();
    let mut at = start;
    while at < end {
        let hour_index = (at - start).num_hours();
        let next = at + Duration::hours(1);
        let local = at.with_timezone(&kst());
        for resource in RESOURCES {
            let Some(account) = account_id(resource.account) else {
                continue;
            };
            match resource.item {
                "INTERNET_TRANSFER" => {
                    // One record per day, written at the day's last hour.
                    if local.hour() == 23 {
                        let day_start = kst_midnight(local.date_naive());
                        let gigabytes =
                            resource.quantity * (700 + noise(resource.id, hour_index)) / 1000;
                        records.push(record(
                            resource,
                            &account,
                            day_start,
                            next,
                            format!("{gigabytes}.5"),
                            "GB",
                        ));
                    }
                }
                "SUPPORT_PLAN" => {
                    // One record per month, for the month's first hour.
                    if local.day() == 1 && local.hour() == 0 {
                        let month = YearMonth::of(local.date_naive());
                        let month_end = kst_midnight(month.next().first_day()).min(end);
                        records.push(record(
                            resource,
                            &account,
                            at,
                            month_end.max(next),
                            "1".into(),
                            "MONTH",
                        ));
                    }
                }
                "BLOCK_STORAGE" | "OBJECT_STORAGE" => {
                    // Object storage grows by about 1 % a week.
                    let grown = if resource.item == "OBJECT_STORAGE" {
                        resource.quantity * (10_000 + hour_index as u64 / 17) / 10_000
                    } else {
                        resource.quantity
                    };
                    records.push(record(
                        resource,
                        &account,
                        at,
                        next,
                        grown.to_string(),
                        "GB_HOUR",
                    ));
                }
                _ => {
                    if resource.schedule.runs(at) && noise(resource.id, hour_index) > 15 {
                        records.push(record(
                            resource,
                            &account,
                            at,
                            next,
                            resource.quantity.to_string(),
                            "HOUR",
                        ));
                    }
                }
            }
        }
        at = next;
    }
    records
}

/// Stores the demo history up to `now`; returns what was stored now.
pub async fn seed(
    store: &Store,
    catalog: Arc<Catalog>,
    accounts: &[DemoAccount],
    now: DateTime<Utc>,
) -> Result<IngestSummary, AppError> {
    let records = history(accounts, now);
    let mut summary = IngestSummary::default();
    let mut ingest = store.begin_usage_ingest(now, Arc::clone(&catalog)).await?;
    for (batch_idx, batch) in records.chunks(BATCH).enumerate() {
        let sourced = batch
            .iter()
            .enumerate()
            .map(|(idx, input)| SourcedRecord {
                source: Source::Element(batch_idx * BATCH + idx),
                input: input.clone(),
            })
            .collect();
        let checked = check_records(store, &catalog, sourced, now).await?;
        summary += store_records(&mut ingest, Arc::clone(&catalog), checked).await?;
    }
    ingest.commit().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scpfm_domain::ids::AccountId;

    fn accounts() -> Vec<DemoAccount> {
        ["demo-payer", "demo-dev", "demo-prod"]
            .iter()
            .enumerate()
            .map(|(idx, name)| DemoAccount {
                name,
                id: AccountId::from_bytes([u8::try_from(idx).unwrap_or(0); 16]),
                access_key: "",
                secret_key: "",
                is_admin: false,
            })
            .collect()
    }

    #[test]
    fn the_history_is_deterministic_and_stays_in_the_past() {
        let now = DateTime::parse_from_rfc3339("2026-11-20T03:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let first = history(&accounts(), now);
        let again = history(&accounts(), now);
        assert_eq!(first, again);
        assert!(first.len() > 50_000, "{} records", first.len());
        assert!(first.iter().all(|record| {
            let end = scpfm_app::ingest::parse_instant(record.period_end.as_deref().unwrap_or(""))
                .unwrap_or(now);
            end <= now
        }));
        let later = history(&accounts(), now + Duration::hours(2));
        assert!(
            later.len() > first.len(),
            "later seeding adds the hours that passed"
        );
        assert!(later.starts_with(&first[..1000]));
    }
}
