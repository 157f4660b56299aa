//! `scpfm bills rebuild`: on consistent data, rebuilding a month changes nothing — every line
//! and every component, cancellation fees and discounts included (issue 14: a rebuild used to
//! set a cancelled contract's fee to zero). Closed months are refused and stay as they are.

use std::collections::BTreeSet;

use scpfm_api_types::bill::BillListQuery;
use scpfm_api_types::billing_plan::{PlannedComputeChangeRequest, PlannedComputeListQuery};
use scpfm_app::clock::Clock as _;
use scpfm_domain::month::YearMonth;
use scpfm_store::StoreError;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{all_bills, demo_account, seed_demo, TestAccount, TestApp};

/// Every bill line the demo payer sees (its members' included), as JSON, in a stable order.
async fn every_line(app: &TestApp, payer: &TestAccount) -> Vec<serde_json::Value> {
    let client = app.client(payer);
    let lines = all_bills(&client, &BillListQuery::default(), 1000).await;
    let mut values: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| {
            let mut value = serde_json::to_value(line).unwrap();
            // When a line was last written is not part of what a rebuild must reproduce.
            value.as_object_mut().unwrap().remove("updated_at");
            value
        })
        .collect();
    values.sort_by_key(|value| value.to_string());
    values
}

async fn rebuilding_every_month_of_the_demo_changes_no_line(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let catalog = scpfm_app::catalog_file::load(None).unwrap();
    let now = app.clock.now();
    let accounts = seed_demo(&app, false).await;
    let payer = demo_account(&accounts, "demo-payer");
    // A contract cancelled now: its fee lands on an open month's bill.
    let dev = app.client(&demo_account(&accounts, "demo-dev"));
    let active = dev
        .list_planned_computes(&PlannedComputeListQuery {
            state: Some(vec!["ACTIVE".into()]),
            ..Default::default()
        })
        .await
        .unwrap()
        .planned_computes;
    dev.change_planned_compute(
        &active[0].id,
        &PlannedComputeChangeRequest {
            action: Some("CONTRACT_CANCEL".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let before = every_line(&app, &payer).await;
    let months: BTreeSet<String> = before
        .iter()
        .map(|line| line["bill_year_month"].as_str().unwrap().to_owned())
        .collect();
    // The dataset holds what a rebuild must keep: usage, coverage, idle hours (closed
    // months), discounts and a cancellation fee.
    let has = |field: &str| {
        before
            .iter()
            .any(|line| line[field]["krw"].as_str().unwrap() != "0.000")
    };
    for field in [
        "asset",
        "planned_compute",
        "cancellation_fee",
        "msp_discount",
    ] {
        assert!(has(field), "the demo has a non-zero {field}");
    }
    let (mut rebuilt, mut refused) = (0, 0);
    for month in &months {
        let month: YearMonth = month.parse().unwrap();
        match app.store.rebuild_bills(&catalog, month, now).await {
            Ok(_) => rebuilt += 1,
            Err(StoreError::MonthClosed(closed)) => {
                assert_eq!(closed, month);
                refused += 1;
            }
            Err(other) => panic!("rebuilding {month}: {other:?}"),
        }
    }
    assert!(
        rebuilt >= 1 && refused >= 3,
        "{rebuilt} rebuilt, {refused} refused"
    );
    assert!(
        before.iter().any(|line| line["bill_state"] == "USED"
            && line["cancellation_fee"]["krw"].as_str().unwrap() != "0.000"),
        "an open month carries the cancellation fee"
    );
    let after = every_line(&app, &payer).await;
    assert_eq!(before.len(), after.len());
    for (line_before, line_after) in before.iter().zip(&after) {
        assert_eq!(line_before, line_after);
    }
}

backend_tests!(rebuilding_every_month_of_the_demo_changes_no_line);
