//! `scpfm serve --demo`: the demo organisation, its usage history, contracts, bills and
//! payments are seeded completely, and seeding again changes nothing.

use std::sync::Arc;

use rust_decimal::Decimal;
use scpfm_api_types::bill::{BillListQuery, PaymentMonthlyQuery};
use scpfm_api_types::billing_plan::PlannedComputeListQuery;
use scpfm_app::clock::Clock as _;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{TestAccount, TestApp};

async fn demo_seeding_is_complete_and_idempotent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let catalog = Arc::new(scpfm_app::catalog_file::load(None).unwrap());
    let now = app.clock.now();
    let mut runs = Vec::new();
    for _ in 0..2 {
        let accounts = scpfm_admin::demo::seed(&app.store, now).await.unwrap();
        let contracts = scpfm_admin::demo::contracts::seed(&app.store, &catalog, &accounts, now)
            .await
            .unwrap();
        let usage =
            scpfm_admin::demo::usage::seed(&app.store, Arc::clone(&catalog), &accounts, now)
                .await
                .unwrap();
        let billing = scpfm_admin::demo::billing::seed(&app.store, &catalog, &accounts, now)
            .await
            .unwrap();
        let budgets = scpfm_admin::demo::budgets::seed(&app.store, &accounts, now)
            .await
            .unwrap();
        runs.push((
            usage.stored,
            contracts,
            billing.closed.len(),
            billing.payments,
            budgets,
            accounts,
        ));
    }
    let (first, second) = (&runs[0], &runs[1]);
    assert!(
        first.0 > 10_000 && first.1 == 3 && first.2 == 3 && first.3 > 0 && first.4 == 4,
        "{:?}",
        (first.0, first.1, first.2, first.3, first.4)
    );
    assert_eq!(
        (second.0, second.1, second.2, second.3, second.4),
        (0, 0, 0, 0, 0),
        "seeding again changes nothing"
    );

    let key = |name: &str| {
        let account = first.5.iter().find(|a| a.name == name).unwrap();
        TestAccount {
            id: account.id.to_string(),
            access_key: account.access_key.into(),
            secret_key: account.secret_key.into(),
        }
    };
    let payer = app.client(&key("demo-payer"));
    let bills = payer
        .list_bills(&BillListQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap()
        .bills;
    assert!(bills
        .iter()
        .any(|b| b.bill_year_month == "2026-08" && b.bill_state == "BILLED"));
    assert!(bills
        .iter()
        .any(|b| b.bill_year_month == "2026-11" && b.bill_state == "USED"));
    assert!(
        bills.iter().any(|b| b.msp_discount.krw != "0.000"),
        "discounts are real"
    );
    assert!(
        bills.iter().any(|b| b.cancellation_fee.krw != "0.000"),
        "the cancelled contract's fee"
    );
    let payments = payer
        .payment_monthly(&PaymentMonthlyQuery {
            size: Some(100),
            page: None,
        })
        .await
        .unwrap()
        .payments;
    assert_eq!(payments.len(), 9, "three accounts, three closed months");
    assert!(payments.iter().any(|p| p.payment_state == "PAID"));
    assert!(
        payments
            .iter()
            .any(|p| p.payment_state == "UNPAID" && p.paid_amount.krw != "0.000"),
        "one partly paid"
    );

    let prod = app.client(&key("demo-prod"));
    let renewed = prod
        .list_planned_computes(&PlannedComputeListQuery::default())
        .await
        .unwrap()
        .planned_computes;
    assert_eq!(renewed.len(), 1);
    assert_eq!(renewed[0].state, "ACTIVE");
    assert_ne!(
        renewed[0].first_contract_start_at, renewed[0].start_date,
        "renewed into its second term"
    );
    let dev = app.client(&key("demo-dev"));
    let states: Vec<String> = dev
        .list_planned_computes(&PlannedComputeListQuery {
            sort: Some("contract_id:asc".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .planned_computes
        .into_iter()
        .map(|c| c.state)
        .collect();
    assert_eq!(states, ["ACTIVE", "TERMINATED"]);
    // The renewed contract covers one always-on web server every hour of the history.
    let covered = bills
        .iter()
        .filter(|b| b.account_id == renewed[0].account_id && b.planned_compute.krw != "0.000")
        .count();
    assert!(covered > 0, "bills carry planned compute");

    // The budgets stand at different levels: one below its thresholds, one over 80 %, one
    // preventing creation, one recording its threshold without mail.
    let standing = |statuses: Vec<scpfm_api_types::budget_status::BudgetStatus>, name: &str| {
        statuses.into_iter().find(|s| s.name == name).unwrap()
    };
    let dev_statuses = dev.budget_statuses().await.unwrap().budgets;
    let below = standing(dev_statuses.clone(), "dev-monthly");
    assert!(
        below.notifications.thresholds.iter().all(|t| !t.reached),
        "{below:?}"
    );
    let over = standing(dev_statuses, "dev-overall-cap");
    let percent: Decimal = over.percent.parse().unwrap();
    assert!(
        percent >= Decimal::from(85) && percent < Decimal::from(90),
        "{percent}"
    );
    let prod_statuses = prod.budget_statuses().await.unwrap();
    assert!(prod_statuses.creation_prevented);
    assert_eq!(
        standing(prod_statuses.budgets.clone(), "prod-overall-cap")
            .prevention
            .state,
        "PREVENTED"
    );
    let run = scpfm_app::budget_evaluator::evaluate_accounts(
        &app.store,
        &app.state.composer,
        "demo-test",
        None,
        now,
    )
    .await
    .unwrap();
    let mut recorded: Vec<String> = run
        .budgets
        .iter()
        .flat_map(|b| {
            b.recorded
                .iter()
                .map(move |key| format!("{}:{key}", b.budget.core.name.as_str()))
        })
        .collect();
    recorded.sort();
    assert_eq!(
        recorded,
        [
            "dev-overall-cap:daily/2026-08~/2026-11-20",
            "prod-monthly:none/2026-11/70",
            "prod-overall-cap:first/2026-08~/100",
            "prod-overall-cap:first/2026-08~/90",
            "prod-overall-cap:prevention/2026-08~/1",
        ]
    );
}

backend_tests!(demo_seeding_is_complete_and_idempotent);
