//! The FOCUS export of the demo's closed months: its `BilledCost` sums to the month's bills
//! to the last won; FOCUS 1.2's rules, checked here one by one from the specification's text;
//! and FOCUS 1.0 as the FinOps Foundation's focus-validator checks it (zero failed rules).

use std::collections::HashMap;

use chrono::DateTime;
use rust_decimal::Decimal;
use scpfm_api_types::cost::FocusExportQuery;
use scpfm_client::Client;
use scpfm_testkit::{backend_tests, Backend};

use super::cost_analysis::{bill_total, CLOSED};
use crate::helpers::{demo_account, seed_demo, TestApp};

type Rows = Vec<HashMap<String, String>>;

async fn export(client: &Client, month: &str, version: Option<&str>) -> (Vec<u8>, Rows) {
    let csv = client
        .export_focus(&FocusExportQuery {
            billing_period: Some(month.into()),
            focus_version: version.map(str::to_owned),
            account_id: None,
        })
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect();
    (csv, rows)
}

/// FOCUS 1.2's Mandatory columns, and the Conditional ones scpfm's data calls for.
const REQUIRED_1_2: [&str; 33] = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingAccountType",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
    "ResourceId",
    "ResourceName",
    "RegionId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "SkuId",
    "ListUnitPrice",
    "ContractedUnitPrice",
    "CommitmentDiscountStatus",
];

const SERVICE_CATEGORIES: [&str; 19] = [
    "AI and Machine Learning",
    "Analytics",
    "Business Applications",
    "Compute",
    "Databases",
    "Developer Tools",
    "Multicloud",
    "Identity",
    "Integration",
    "Internet of Things",
    "Management and Governance",
    "Media",
    "Migration",
    "Mobile",
    "Networking",
    "Security",
    "Storage",
    "Web",
    "Other",
];

fn utc(text: &str) -> DateTime<chrono::Utc> {
    assert!(text.ends_with('Z'), "UTC with Z: {text}");
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// FOCUS 1.2's rules on the columns scpfm writes, each named by its column.
fn check_rules_1_2(rows: &Rows) {
    for (idx, row) in rows.iter().enumerate() {
        let at = |column: &str| {
            row.get(column)
                .map(String::as_str)
                .unwrap_or_else(|| panic!("{column} present"))
        };
        let null = |column: &str| at(column).is_empty();
        for column in ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost"] {
            at(column)
                .parse::<Decimal>()
                .unwrap_or_else(|_| panic!("row {idx}: {column} is a decimal"));
        }
        assert_eq!(at("BillingCurrency"), "KRW");
        let category = at("ChargeCategory");
        assert!(["Usage", "Purchase", "Tax", "Credit", "Adjustment"].contains(&category));
        assert!(null("ChargeClass") || at("ChargeClass") == "Correction");
        assert!(["One-Time", "Recurring", "Usage-Based"].contains(&at("ChargeFrequency")));
        let (period_start, period_end) =
            (utc(at("BillingPeriodStart")), utc(at("BillingPeriodEnd")));
        let (charge_start, charge_end) = (utc(at("ChargePeriodStart")), utc(at("ChargePeriodEnd")));
        assert!(period_start < period_end && charge_start < charge_end);
        assert!(
            period_start <= charge_start && charge_end <= period_end,
            "row {idx}: charge within its billing period"
        );
        assert!(
            SERVICE_CATEGORIES.contains(&at("ServiceCategory")),
            "{}",
            at("ServiceCategory")
        );
        for column in [
            "BillingAccountId",
            "InvoiceIssuerName",
            "ProviderName",
            "PublisherName",
            "ServiceName",
            "ChargeDescription",
        ] {
            assert!(!null(column), "row {idx}: {column} is not null");
        }
        let tags: serde_json::Value = serde_json::from_str(at("Tags")).unwrap();
        assert!(tags.is_object(), "Tags is a JSON object");
        // PricingQuantity and PricingUnit: not null for Usage and Purchase.
        if matches!(category, "Usage" | "Purchase") {
            at("PricingQuantity").parse::<Decimal>().unwrap();
            assert!(!null("PricingUnit"));
            assert!(["Standard", "Dynamic", "Committed", "Other"].contains(&at("PricingCategory")));
        }
        // Credits carry no list or contracted cost, and reduce the bill.
        if category == "Credit" {
            assert_eq!(at("ListCost").parse::<Decimal>().unwrap(), Decimal::ZERO);
            assert!(at("BilledCost").parse::<Decimal>().unwrap() < Decimal::ZERO);
        }
        // Commitment discounts: status Used/Unused exactly on usage rows of a contract;
        // nothing consumed when unused; committed pricing.
        let committed = !null("CommitmentDiscountId");
        assert_eq!(
            committed && category == "Usage",
            !null("CommitmentDiscountStatus"),
            "row {idx}"
        );
        if committed && category == "Usage" {
            let status = at("CommitmentDiscountStatus");
            assert!(["Used", "Unused"].contains(&status));
            assert_eq!(at("PricingCategory"), "Committed");
            assert_eq!(at("CommitmentDiscountType"), "Planned Compute");
            assert_eq!(null("ConsumedQuantity"), status == "Unused", "row {idx}");
        }
        // Usage consumed: a quantity and unit; EffectiveCost equals BilledCost (no amortization).
        if category == "Usage" && !null("ConsumedQuantity") {
            assert!(!null("ConsumedUnit"));
        }
        assert_eq!(at("EffectiveCost"), at("BilledCost"));
    }
}

async fn the_focus_export_sums_to_the_bills_and_follows_the_specification(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let payer = app.client(&demo_account(&accounts, "demo-payer"));
    let validator = std::env::var("SCPFM_TEST_FOCUS_VALIDATOR").ok();
    let skip = std::env::var("SCPFM_TEST_SKIP_FOCUS").is_ok_and(|v| v == "1");
    assert!(skip || validator.is_some(), "set SCPFM_TEST_FOCUS_VALIDATOR (scripts/test.sh installs focus-validator) or SCPFM_TEST_SKIP_FOCUS=1");
    let mut kinds = std::collections::BTreeSet::new();
    for (month, _, _) in CLOSED {
        let (_, rows) = export(&payer, month, None).await;
        let billed: Decimal = rows
            .iter()
            .map(|row| row["BilledCost"].parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(
            billed,
            bill_total(&payer, month).await.0,
            "{month}: BilledCost = the bills"
        );
        for column in REQUIRED_1_2 {
            assert!(rows[0].contains_key(column), "{column}");
        }
        check_rules_1_2(&rows);
        kinds.extend(rows.iter().map(|row| {
            (
                row["ChargeCategory"].clone(),
                row["CommitmentDiscountStatus"].clone(),
            )
        }));
        let (csv, rows_1_0) = export(&payer, month, Some("1.0")).await;
        assert_eq!(rows_1_0.len(), rows.len());
        if let (Some(validator), false) = (&validator, skip) {
            run_validator(validator, month, &csv);
        }
    }
    for kind in [("Usage", ""), ("Usage", "Used"), ("Credit", "")] {
        assert!(
            kinds.contains(&(kind.0.to_owned(), kind.1.to_owned())),
            "{kind:?} in {kinds:?}"
        );
    }
}

/// Runs focus-validator on `csv` for FOCUS 1.0: it must report success and no failed rule.
fn run_validator(validator: &str, month: &str, csv: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("focus-{month}.csv"));
    std::fs::write(&file, csv).unwrap();
    // The validator reads its currency list from a path relative to its package's parent.
    let packages = std::env::var("SCPFM_TEST_FOCUS_PACKAGES").unwrap_or_else(|_| ".".into());
    let output = std::process::Command::new(validator)
        .args([
            "--data-file",
            file.to_str().unwrap(),
            "--validate-version",
            "1.0",
        ])
        .current_dir(packages)
        .output()
        .expect("focus-validator runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains("Validation succeeded") && !stdout.contains("failed"),
        "{month}: focus-validator\nstdout: {stdout}\nstderr: {stderr}"
    );
}

backend_tests!(the_focus_export_sums_to_the_bills_and_follows_the_specification);
