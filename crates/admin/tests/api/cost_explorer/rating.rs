//! An independent check of rating: a generated month of usage is ingested, and every amount is
//! recomputed here from `catalog/scp-catalog.toml` with arithmetic written for this test only
//! (no scpfm rating, catalogue or money code), to the last decimal.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::{Decimal, RoundingStrategy};
use scpfm_api_types::usage::{UsageListQuery, UsageRecordInput};
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{all_usages, usage, TestAccount, TestApp};

const CATALOG: &str = include_str!("../../../../../catalog/scp-catalog.toml");
/// October 2026: 31 days.
const HOURS: i64 = 744;
const MONTH: &str = "2026-10";

/// One price as the file writes it: attributes, unit, tiers, rules.
#[derive(Debug, Clone)]
struct FilePrice {
    attributes: BTreeMap<String, String>,
    unit: String,
    tiers: Vec<(Decimal, Option<Decimal>, Decimal, Decimal)>,
    proration: String,
    rounding: String,
    position: u32,
}

fn text(value: &toml::Value) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_string())
}

fn dec(value: &toml::Value) -> Decimal {
    text(value).parse().unwrap()
}

/// Every PG/PS price of `item`, read straight from the TOML.
fn file_prices(item: &str) -> Vec<FilePrice> {
    let file: toml::Value = toml::from_str(CATALOG).unwrap();
    let defaults = &file["price_defaults"];
    let mut prices = Vec::new();
    for group in file["prices"].as_array().unwrap() {
        if group["billing_item"].as_str() != Some(item) {
            continue;
        }
        let field = |name: &str| {
            group
                .get(name)
                .or_else(|| defaults.get(name))
                .map(text)
                .unwrap()
        };
        let position: u32 = field("rounding_position").parse().unwrap();
        let base = FilePrice {
            attributes: BTreeMap::new(),
            unit: field("price_unit"),
            tiers: Vec::new(),
            proration: field("proration_rule"),
            rounding: field("rounding_rule"),
            position,
        };
        if let Some(tiers) = group.get("tiers") {
            let tiers = tiers
                .as_array()
                .unwrap()
                .iter()
                .map(|tier| {
                    (
                        dec(&tier["range_start"]),
                        tier.get("range_end").map(dec),
                        dec(&tier["unit_price"]),
                        tier.get("base_price").map(dec).unwrap_or_default(),
                    )
                })
                .collect();
            prices.push(FilePrice { tiers, ..base });
        } else {
            for row in group["rows"].as_array().unwrap() {
                let row = row.as_table().unwrap();
                let attributes = row
                    .iter()
                    .filter(|(key, _)| *key != "unit_price" && *key != "base_price")
                    .map(|(key, value)| (key.clone(), text(value)))
                    .collect();
                let tiers = vec![(Decimal::ZERO, None, dec(&row["unit_price"]), Decimal::ZERO)];
                prices.push(FilePrice {
                    attributes,
                    tiers,
                    ..base.clone()
                });
            }
        }
    }
    prices
}

fn usd_rate() -> Decimal {
    let file: toml::Value = toml::from_str(CATALOG).unwrap();
    dec(&file["usd_rates"][MONTH])
}

fn round(value: Decimal, rule: &str, position: u32) -> Decimal {
    let strategy = match rule {
        "ROUND_DOWN" => RoundingStrategy::ToZero,
        "ROUND_UP" => RoundingStrategy::AwayFromZero,
        "HALF_UP" => RoundingStrategy::MidpointAwayFromZero,
        "HALF_DOWN" => RoundingStrategy::MidpointTowardZero,
        "HALF_EVEN" => RoundingStrategy::MidpointNearestEven,
        "CEILING" => RoundingStrategy::ToPositiveInfinity,
        "FLOOR" => RoundingStrategy::ToNegativeInfinity,
        other => panic!("unknown rounding rule {other}"),
    };
    value.round_dp_with_strategy(position, strategy)
}

/// Usage units per price unit: monthly prices over hourly usage hold the month's hours.
fn per_unit(price: &FilePrice) -> Decimal {
    if price.unit == "MONTH" || price.unit == "GB_MONTH" {
        Decimal::from(HOURS)
    } else {
        Decimal::ONE
    }
}

/// What `usage` (cumulative, usage units) costs, graduated through the tiers.
fn charge(price: &FilePrice, usage: Decimal) -> Decimal {
    let per = per_unit(price);
    let billable = if price.proration == "NONE" {
        (usage / per).ceil() * per
    } else {
        usage
    };
    let mut fixed = Decimal::ZERO;
    let mut metered = Decimal::ZERO;
    for (start, end, unit_price, base_price) in &price.tiers {
        let from = *start * per;
        if billable <= from {
            break;
        }
        fixed += *base_price;
        let to = end.map_or(billable, |end| billable.min(end * per));
        metered += *unit_price * (to - from);
    }
    fixed
        + if per == Decimal::ONE {
            metered
        } else {
            metered / per
        }
}

/// The expected KRW amount of each record, in the order they were sent.
fn expected(records: &[UsageRecordInput]) -> Vec<Decimal> {
    let mut cumulative: HashMap<(String, String, String), Decimal> = HashMap::new();
    let mut prices_of: HashMap<String, Vec<FilePrice>> = HashMap::new();
    records
        .iter()
        .map(|record| {
            let item = record.billing_item_id.clone().unwrap();
            let attributes = record.attributes.clone().unwrap_or_default();
            let price = prices_of
                .entry(item.clone())
                .or_insert_with(|| file_prices(&item))
                .iter()
                .find(|price| price.attributes == attributes)
                .cloned()
                .unwrap_or_else(|| panic!("no price for {item} {attributes:?}"));
            let quantity: Decimal = record.quantity.as_ref().unwrap().0.parse().unwrap();
            let linear = price.tiers.len() == 1
                && price.tiers[0].3.is_zero()
                && price.proration == "PRORATION";
            let raw = if linear {
                let per = per_unit(&price);
                let product = price.tiers[0].2 * quantity;
                if per == Decimal::ONE {
                    product
                } else {
                    product / per
                }
            } else {
                let key = (
                    record.account_id.clone().unwrap(),
                    item.clone(),
                    format!("{attributes:?}"),
                );
                let before = cumulative.get(&key).copied().unwrap_or_default();
                cumulative.insert(key, before + quantity);
                charge(&price, before + quantity) - charge(&price, before)
            };
            round(raw, &price.rounding, price.position)
        })
        .collect()
}

/// A month of usage for two accounts, touching every kind of price in the catalogue.
pub fn month_of_usage(first: &TestAccount, second: &TestAccount) -> Vec<UsageRecordInput> {
    let mut records = Vec::new();
    let servers = [
        (first, "vm-a", "VIRTUAL_SERVER", "s1v2m4", "OPEN_SOURCE"),
        (first, "vm-b", "VIRTUAL_SERVER", "h1v4m32", "WINDOWS"),
        (second, "vm-c", "VIRTUAL_SERVER", "s1v1m2", "SLES"),
        (second, "gpu-a", "GPU_SERVER", "g2v8m96", "RHEL"),
    ];
    for day in 1..=31 {
        for hour in 0..24 {
            let start = format!("{MONTH}-{day:02}T{hour:02}:00:00");
            for (account, resource, item, server_type, os) in servers {
                // Servers run 3/4 of the hour on odd days (partial hours are prorated).
                let quantity = if day % 2 == 1 { "0.75" } else { "1" };
                records.push(usage(
                    account,
                    resource,
                    item,
                    &[("server_type", server_type), ("os_type", os)],
                    &start,
                    1,
                    quantity,
                    "HOUR",
                ));
            }
            records.push(usage(
                first,
                "objects",
                "OBJECT_STORAGE",
                &[],
                &start,
                1,
                "81920",
                "GB_HOUR",
            ));
            records.push(usage(
                second,
                "ip-1",
                "PUBLIC_IP",
                &[],
                &start,
                1,
                "1",
                "HOUR",
            ));
        }
        let start = format!("{MONTH}-{day:02}T00:00:00");
        records.push(usage(
            first,
            "disk-a",
            "BLOCK_STORAGE",
            &[("disk_type", "SSD")],
            &start,
            24,
            "7200",
            "GB_HOUR",
        ));
        records.push(usage(
            second,
            "disk-b",
            "BLOCK_STORAGE",
            &[("disk_type", "HDD")],
            &start,
            24,
            "12345.5",
            "GB_HOUR",
        ));
        records.push(usage(
            first,
            "egress",
            "INTERNET_TRANSFER",
            &[],
            &start,
            24,
            "1777.7",
            "GB",
        ));
        records.push(usage(
            second,
            "db",
            "POSTGRESQL",
            &[("instance_type", "db1v4m8")],
            &start,
            24,
            "24",
            "HOUR",
        ));
        records.push(usage(
            first,
            "lb",
            "LOAD_BALANCER",
            &[("size", "MEDIUM")],
            &start,
            24,
            "23.5",
            "HOUR",
        ));
    }
    records.push(usage(
        first,
        "support",
        "SUPPORT_PLAN",
        &[("plan", "BUSINESS")],
        &format!("{MONTH}-01T00:00:00"),
        744,
        "1",
        "MONTH",
    ));
    records
}

/// Imports `records` with `scpfm import usage` in batches of 700: one transaction whose
/// batches cross the tier boundaries (and, on PostgreSQL, are pipelined).
async fn import_in_batches(app: &TestApp, records: &[UsageRecordInput]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("month.jsonl");
    let lines: Vec<String> = records
        .iter()
        .map(|record| serde_json::to_string(record).unwrap())
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_scpfm"));
    command
        .args(["import", "usage", "--batch-size", "700"])
        .arg(&file)
        .arg("--database-url")
        .arg(app.database_url())
        .env("SCPFM_CLOCK__START", "2026-11-20T12:00:00+09:00")
        .env("RUST_LOG", "warn");
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn rated_amounts_equal_an_independent_recomputation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.account("first").await;
    let second = app.account("second").await;
    let records = month_of_usage(&first, &second);
    assert_eq!(records.len(), 31 * 24 * 6 + 31 * 5 + 1);
    import_in_batches(&app, &records).await;

    let expected_krw = expected(&records);
    let rate = usd_rate();
    let mut expected_by_record = HashMap::new();
    for (record, krw) in records.iter().zip(&expected_krw) {
        let key = (
            record.resource_id.clone().unwrap(),
            record.period_start.clone().unwrap(),
        );
        let usd = (*krw / rate).round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven);
        expected_by_record.insert(key, (*krw, usd));
    }
    let mut stored = HashMap::new();
    for account in [&first, &second] {
        let client = app.client(account);
        for usage in all_usages(&client, &UsageListQuery::default()).await {
            let key = (usage.resource_id.clone(), usage.usage_date.clone());
            let krw: Decimal = usage.amounts.krw.parse().unwrap();
            let usd: Decimal = usage.amounts.usd.parse().unwrap();
            assert_eq!(
                usage.amounts.krw.split('.').nth(1).map(str::len),
                Some(10),
                "10 decimals on the wire"
            );
            stored.insert(key, (krw, usd));
        }
    }
    assert_eq!(stored.len(), records.len(), "every record was stored once");
    for (key, expected) in &expected_by_record {
        assert_eq!(stored.get(key), Some(expected), "{key:?}");
    }
    let total_expected: Decimal = expected_krw.iter().sum();
    let total_stored: Decimal = stored.values().map(|(krw, _)| *krw).sum();
    assert_eq!(
        total_stored, total_expected,
        "the month adds up to the last decimal"
    );
    // The tiered items crossed their boundaries: egress passed 1,024 and 10,240 GB, objects 51,200 GB-months.
    assert!(total_expected > Decimal::from(10_000_000));
}

backend_tests!(rated_amounts_equal_an_independent_recomputation);
