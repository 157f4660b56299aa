//! Bills and payments: reconciliation with usage, adjustments and payments (recomputed here
//! with test-only arithmetic), month close, late usage, paging with every filter, bad input.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::{Decimal, RoundingStrategy};
use scpfm_api_types::bill::{
    AdjustmentInput, BillListQuery, BillResponse, PaymentMonthlyFlatDataDto, PaymentMonthlyQuery,
};
use scpfm_api_types::common::Amount;
use scpfm_api_types::usage::{DecimalText, UsageListQuery};
use scpfm_app::clock::Clock as _;
use scpfm_app::month_close::{close_due_months, close_month, CloseError};
use scpfm_client::Client;
use scpfm_domain::month::YearMonth;
use scpfm_store::bills::CloseOutcome;
use scpfm_testkit::{backend_tests, Backend};

use crate::cost_explorer::rating::month_of_usage;
use crate::helpers::{
    all_bills, all_usages, east_disk_day, error_code, error_fields, expect_status, lb_day, vm_hour,
    TestAccount, TestApp,
};

const OCTOBER: &str = "2026-10";

fn catalog() -> scpfm_domain::catalog::Catalog {
    scpfm_app::catalog_file::load(None).unwrap()
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn pair(amount: &Amount) -> (Decimal, Decimal) {
    (dec(&amount.krw), dec(&amount.usd))
}

fn add(a: (Decimal, Decimal), b: (Decimal, Decimal)) -> (Decimal, Decimal) {
    (a.0 + b.0, a.1 + b.1)
}

fn discounts(bill: &BillResponse) -> [&Amount; 10] {
    [
        &bill.msp_discount,
        &bill.new_business_discount,
        &bill.sales_discount,
        &bill.sla_discount,
        &bill.reseller_discount,
        &bill.account_cost_savings,
        &bill.project_cost_savings,
        &bill.account_credit,
        &bill.project_credit,
        &bill.edp,
    ]
}

fn gross(bill: &BillResponse) -> (Decimal, Decimal) {
    bill.charges()
        .iter()
        .map(|amount| pair(amount))
        .fold((Decimal::ZERO, Decimal::ZERO), add)
}

fn floor3(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(3, RoundingStrategy::ToZero)
}

/// Sum of every usage amount of the caller's accounts, by (account, resource, item), read
/// through ListUsages.
async fn usage_sums(
    client: &Client,
    start: &str,
    end: &str,
) -> BTreeMap<(String, String, String), (Decimal, Decimal)> {
    let mut sums = BTreeMap::new();
    let query = UsageListQuery {
        start_date: Some(start.into()),
        end_date: Some(end.into()),
        ..Default::default()
    };
    for usage in all_usages(client, &query).await {
        let key = (
            usage.account_id.clone(),
            usage.resource_id.clone(),
            usage.billing_item_id.clone(),
        );
        let entry = sums.entry(key).or_insert((Decimal::ZERO, Decimal::ZERO));
        *entry = add(*entry, pair(&usage.amounts));
    }
    sums
}

fn adjustment(
    id: &str,
    account: &TestAccount,
    month: &str,
    component: &str,
    percent: Option<&str>,
    amount: Option<&str>,
    item: Option<&str>,
) -> AdjustmentInput {
    AdjustmentInput {
        adjustment_id: Some(id.into()),
        account_id: Some(account.id.clone()),
        month: Some(month.into()),
        component: Some(component.into()),
        percent: percent.map(|p| DecimalText(p.into())),
        amount: amount.map(|a| DecimalText(a.into())),
        billing_item_id: item.map(str::to_owned),
        description: Some("test".into()),
    }
}

async fn payments(client: &Client) -> Vec<PaymentMonthlyFlatDataDto> {
    client
        .payment_monthly(&PaymentMonthlyQuery {
            size: Some(1000),
            page: Some(1),
        })
        .await
        .unwrap()
        .payments
}

async fn bills_reconcile_with_usage_adjustments_and_payments(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let payer = app.account("payer").await;
    let member = app.member("member", &payer).await;
    let outsider = app.account("outsider").await;
    let october = YearMonth::new(2026, 10).unwrap();

    // A month of usage in many batches (bills grow batch by batch), and some of November.
    let records = month_of_usage(&payer, &member);
    for batch in records.chunks(700) {
        admin.ingest_usage(batch).await.unwrap();
    }
    let november: Vec<_> = (0..48)
        .map(|hour| {
            let day = 18 + hour / 24;
            vm_hour(
                &payer,
                "vm-nov",
                &format!("2026-11-{day}T{:02}:00:00", hour % 24),
            )
        })
        .collect();
    admin.ingest_usage(&november).await.unwrap();
    admin
        .ingest_usage(&[vm_hour(&outsider, "vm-x", "2026-10-05T00:00:00")])
        .await
        .unwrap();

    let adjustments = [
        adjustment(
            "p-msp",
            &payer,
            OCTOBER,
            "msp_discount",
            Some("5"),
            None,
            None,
        ),
        adjustment(
            "p-credit",
            &payer,
            OCTOBER,
            "account_credit",
            None,
            Some("100000"),
            None,
        ),
        adjustment(
            "m-sla",
            &member,
            OCTOBER,
            "sla_discount",
            Some("20"),
            None,
            Some("BLOCK_STORAGE"),
        ),
        adjustment("m-edp", &member, OCTOBER, "edp", Some("2.5"), None, None),
    ];
    let loaded = admin.load_adjustments(&adjustments).await.unwrap();
    assert_eq!(
        (loaded.received, loaded.stored, loaded.duplicates),
        (4, 4, 0)
    );
    let again = admin.load_adjustments(&adjustments).await.unwrap();
    assert_eq!(
        (again.stored, again.duplicates),
        (0, 4),
        "re-sent adjustments are no-ops"
    );
    // Late usage after the adjustments: discounts follow the grown lines.
    admin
        .ingest_usage(&[vm_hour(&member, "vm-late", "2026-10-31T23:00:00")])
        .await
        .unwrap();

    let payer_client = app.client(&payer);
    let query = BillListQuery {
        bill_year_month: Some(OCTOBER.into()),
        ..Default::default()
    };
    let bills = all_bills(&payer_client, &query, 7).await;
    let sums = usage_sums(&payer_client, "2026-10-01", "2026-10-31").await;
    assert_eq!(
        bills.len(),
        sums.len(),
        "one line per account, resource and item"
    );
    let mut credit = Decimal::ZERO;
    for bill in &bills {
        let key = (
            bill.account_id.clone(),
            bill.resource_id.clone(),
            bill.billing_item_id.clone(),
        );
        let (gross_krw, gross_usd) = gross(bill);
        assert_eq!(
            sums[&key],
            (gross_krw, gross_usd),
            "usage sum == charges of {key:?}"
        );
        let discount = discounts(bill)
            .iter()
            .map(|amount| pair(amount))
            .fold((Decimal::ZERO, Decimal::ZERO), add);
        assert_eq!(pair(&bill.discount_amounts), discount);
        assert_eq!(
            pair(&bill.amounts),
            (gross_krw - discount.0, gross_usd - discount.1)
        );
        assert!(dec(&bill.amounts.krw) >= Decimal::ZERO);
        assert_eq!(bill.bill_state, "USED");
        for amount in bill.charges().iter().chain(discounts(bill).iter()) {
            assert_eq!(amount.krw.split('.').nth(1).map(str::len), Some(3));
        }
        let expected_component = match bill.billing_item_id.as_str() {
            "PUBLIC_IP" | "LOAD_BALANCER" => &bill.option,
            "SUPPORT_PLAN" => &bill.support_plan,
            _ => &bill.asset,
        };
        assert_eq!(
            dec(&expected_component.krw),
            gross_krw,
            "{}",
            bill.billing_item_id
        );
        if bill.account_id == member.id {
            assert_eq!(dec(&bill.edp.krw), floor3(gross_krw * dec("0.025")));
            let sla = if bill.billing_item_id == "BLOCK_STORAGE" {
                floor3(gross_krw * dec("0.2"))
            } else {
                Decimal::ZERO
            };
            assert_eq!(dec(&bill.sla_discount.krw), sla);
        } else {
            assert_eq!(bill.account_id, payer.id);
            assert_eq!(dec(&bill.msp_discount.krw), floor3(gross_krw * dec("0.05")));
            credit += dec(&bill.account_credit.krw);
        }
    }
    assert_eq!(credit, dec("100000"), "the fixed credit is spent in full");
    assert!(bills.iter().any(|bill| bill.resource_id == "vm-late"));
    assert!(
        !bills.iter().any(|bill| bill.account_id == outsider.id),
        "another account's bills stay apart"
    );

    // Rebuilding November from its usage changes nothing.
    let november_query = BillListQuery {
        bill_year_month: Some("2026-11".into()),
        ..Default::default()
    };
    let before = all_bills(&payer_client, &november_query, 100).await;
    let rebuild_catalog = catalog();
    let read = app
        .store
        .rebuild_bills(
            &rebuild_catalog,
            YearMonth::new(2026, 11).unwrap(),
            app.clock.now(),
        )
        .await
        .unwrap();
    assert_eq!(read, 48);
    assert_eq!(all_bills(&payer_client, &november_query, 100).await, before);

    // Close October: lines become BILLED, unchanged otherwise; twice is a no-op.
    let now = app.clock.now();
    let Ok(CloseOutcome::Closed {
        lines,
        payments: created,
        total,
    }) = close_month(&app.store, &catalog(), october, now).await
    else {
        panic!("October closes");
    };
    assert_eq!(lines as usize, bills.len() + 1, "with the outsider's line");
    assert_eq!(created, 3);
    assert_eq!(
        close_month(&app.store, &catalog(), october, now)
            .await
            .unwrap(),
        CloseOutcome::AlreadyClosed
    );
    assert!(matches!(
        close_month(
            &app.store,
            &catalog(),
            YearMonth::new(2026, 11).unwrap(),
            now
        )
        .await,
        Err(CloseError::NotEnded(_))
    ));
    let closed = all_bills(&payer_client, &query, 50).await;
    assert_eq!(closed.len(), bills.len());
    for (after, before) in closed.iter().zip(&bills) {
        assert_eq!(after.bill_state, "BILLED");
        assert_eq!(
            BillResponse {
                bill_state: "USED".into(),
                ..after.clone()
            },
            *before
        );
    }
    let total_bills: Decimal = closed.iter().map(|bill| dec(&bill.amounts.krw)).sum();
    let outsider_bill = all_bills(&app.client(&outsider), &query, 10).await;
    assert_eq!(total.krw, total_bills + dec(&outsider_bill[0].amounts.krw));

    // Payments: the payer sees its own and its member's; each equals that account's bills.
    let rows = payments(&payer_client).await;
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let account_bills = closed
            .iter()
            .filter(|bill| bill.account_id == row.payer_account_id);
        let (bill_sum, used_sum) = account_bills.fold(
            (
                (Decimal::ZERO, Decimal::ZERO),
                (Decimal::ZERO, Decimal::ZERO),
            ),
            |(bill, used), line| (add(bill, pair(&line.amounts)), add(used, gross(line))),
        );
        assert_eq!(pair(&row.bill_amount), bill_sum);
        assert_eq!(pair(&row.used_amount), used_sum);
        assert_eq!(row.payment_state, "UNPAID");
        assert_eq!(row.unpaid_amount, row.bill_amount);
        assert_eq!(row.accumulated_unpaid_amount, row.bill_amount);
        assert_eq!(row.bill_year_month, OCTOBER);
        let expected_type = if row.payer_account_id == payer.id {
            "PAYER"
        } else {
            "MEMBER"
        };
        assert_eq!(row.payer_account_type, expected_type);
    }
    let member_rows = payments(&app.client(&member)).await;
    assert_eq!(member_rows.len(), 1);
    assert_eq!(member_rows[0].payer_account_id, member.id);

    // A partial payment, the rest, and an overpayment.
    let payer_id = payer.id.parse().unwrap();
    let bill = dec(&rows
        .iter()
        .find(|row| row.payer_account_id == payer.id)
        .unwrap()
        .bill_amount
        .krw);
    let part = (bill * dec("0.4")).round_dp(3);
    let paid_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    app.store
        .record_payment(&payer_id, october, part, paid_on, now)
        .await
        .unwrap();
    let row = payments(&payer_client)
        .await
        .into_iter()
        .find(|row| row.payer_account_id == payer.id)
        .unwrap();
    assert_eq!(row.payment_state, "UNPAID");
    assert_eq!(dec(&row.paid_amount.krw), part);
    assert_eq!(dec(&row.unpaid_amount.krw), bill - part);
    assert_eq!(
        add(pair(&row.paid_amount), pair(&row.unpaid_amount)),
        pair(&row.bill_amount)
    );
    assert_eq!(row.payment_date.as_deref(), Some("2026-11-20"));
    let over = app
        .store
        .record_payment(&payer_id, october, bill, paid_on, now)
        .await;
    assert!(matches!(
        over,
        Err(scpfm_store::payments::PaymentError::MoreThanOwed { .. })
    ));
    app.store
        .record_payment(&payer_id, october, bill - part, paid_on, now)
        .await
        .unwrap();
    let row = payments(&payer_client)
        .await
        .into_iter()
        .find(|row| row.payer_account_id == payer.id)
        .unwrap();
    assert_eq!(row.payment_state, "PAID");
    assert_eq!(row.paid_amount, row.bill_amount);
    assert_eq!(dec(&row.unpaid_amount.usd), Decimal::ZERO);

    // Late usage for the closed month is refused and names the record; re-sent records of
    // the closed month stay no-ops; adjustments for it are refused too.
    let late = [vm_hour(&member, "vm-later", "2026-10-15T00:00:00")];
    let response = admin
        .send(Client::ingest_usage_call(&late).unwrap())
        .await
        .unwrap();
    let response = expect_status(response, 400);
    assert_eq!(error_fields(&response), ["records[0].period_start"]);
    assert!(String::from_utf8_lossy(&response.body).contains("2026-10"));
    let resent = admin.ingest_usage(&records[..10]).await.unwrap();
    assert_eq!((resent.stored, resent.duplicates), (0, 10));
    let response = admin
        .send(scpfm_client::Call {
            service: "admin",
            method: reqwest::Method::POST,
            path: "/v1/admin/bill-adjustments".into(),
            query: String::new(),
            body: Some(
                serde_json::to_vec(&[adjustment(
                    "late",
                    &payer,
                    OCTOBER,
                    "edp",
                    Some("1"),
                    None,
                    None,
                )])
                .unwrap(),
            ),
        })
        .await
        .unwrap();
    assert_eq!(
        error_fields(&expect_status(response, 400)),
        ["records[0].month"]
    );
    assert_eq!(
        all_bills(&payer_client, &query, 50).await,
        closed,
        "nothing changed"
    );
}

async fn automatic_close_waits_for_its_hours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let account = app.account("solo").await;
    admin
        .ingest_usage(&[
            vm_hour(&account, "vm", "2026-10-31T23:00:00"),
            vm_hour(&account, "vm", "2026-11-19T23:00:00"),
        ])
        .await
        .unwrap();
    let kst_november = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00+09:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let early = close_due_months(
        &app.store,
        &catalog(),
        kst_november + chrono::Duration::hours(71),
        72,
    )
    .await
    .unwrap();
    assert!(early.is_empty(), "not yet: 72 hours of grace");
    let due = close_due_months(
        &app.store,
        &catalog(),
        kst_november + chrono::Duration::hours(72),
        72,
    )
    .await
    .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].0, YearMonth::new(2026, 10).unwrap());
    assert!(
        close_due_months(&app.store, &catalog(), app.clock.now(), 72)
            .await
            .unwrap()
            .is_empty()
    );
    let states: Vec<String> = all_bills(&app.client(&account), &BillListQuery::default(), 10)
        .await
        .into_iter()
        .map(|bill| format!("{} {}", bill.bill_year_month, bill.bill_state))
        .collect();
    assert_eq!(states, ["2026-10 BILLED", "2026-11 USED"]);
}

/// Bills of a payer and a member over three months, across items and regions.
async fn seeded(app: &TestApp) -> (TestAccount, TestAccount) {
    let admin = app.client(&app.admin("ops").await);
    let payer = app.account("payer").await;
    let member = app.member("member", &payer).await;
    let mut records = Vec::new();
    for day in ["2026-09-10", "2026-10-10", "2026-11-10"] {
        for (account, vm) in [(&payer, "vm-1"), (&payer, "vm-2"), (&member, "vm-3")] {
            records.push(vm_hour(account, vm, &format!("{day}T01:00:00")));
        }
        records.push(east_disk_day(&member, day));
        records.push(lb_day(&payer, day));
    }
    admin.ingest_usage(&records).await.unwrap();
    (payer, member)
}

async fn paging_bills_with_every_filter_returns_each_line_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (payer, member) = seeded(&app).await;
    close_month(
        &app.store,
        &catalog(),
        YearMonth::new(2026, 9).unwrap(),
        app.clock.now(),
    )
    .await
    .unwrap();
    let client = app.client(&payer);
    let everything = all_bills(&client, &BillListQuery::default(), 1000).await;
    assert_eq!(everything.len(), 15, "5 lines a month for 3 months");
    let months: Vec<&str> = everything
        .iter()
        .map(|bill| bill.bill_year_month.as_str())
        .collect();
    let mut sorted = months.clone();
    sorted.sort();
    assert_eq!(months, sorted, "bill_year_month:asc by default");

    let list = |values: &[&str]| Some(values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>());
    let cases: Vec<(BillListQuery, usize)> = vec![
        (BillListQuery::default(), 15),
        (
            BillListQuery {
                account_id: list(&[&member.id]),
                ..Default::default()
            },
            6,
        ),
        (
            BillListQuery {
                service_category: list(&["STORAGE"]),
                ..Default::default()
            },
            3,
        ),
        (
            BillListQuery {
                billing_item_id: list(&["VIRTUAL_SERVER", "LOAD_BALANCER"]),
                ..Default::default()
            },
            12,
        ),
        (
            BillListQuery {
                resource_name: Some("vm-2-name".into()),
                ..Default::default()
            },
            3,
        ),
        (
            BillListQuery {
                region: list(&["kr-east1"]),
                ..Default::default()
            },
            3,
        ),
        (
            BillListQuery {
                order_status: list(&["04"]),
                ..Default::default()
            },
            15,
        ),
        (
            BillListQuery {
                contract_id: Some("C000000001".into()),
                ..Default::default()
            },
            0,
        ),
        (
            BillListQuery {
                bill_year_month: Some("2026-10".into()),
                ..Default::default()
            },
            5,
        ),
        (
            BillListQuery {
                start_year_month: Some("2026-10".into()),
                ..Default::default()
            },
            10,
        ),
        (
            BillListQuery {
                end_year_month: Some("2026-10".into()),
                ..Default::default()
            },
            10,
        ),
        (
            BillListQuery {
                start_year_month: Some("2026-10".into()),
                end_year_month: Some("2026-10".into()),
                ..Default::default()
            },
            5,
        ),
        (
            BillListQuery {
                bill_state: Some("BILLED".into()),
                ..Default::default()
            },
            5,
        ),
        (
            BillListQuery {
                bill_state: Some("USED".into()),
                account_id: list(&[&payer.id]),
                ..Default::default()
            },
            6,
        ),
        (
            BillListQuery {
                sort: Some("created_at:desc".into()),
                ..Default::default()
            },
            15,
        ),
        (
            BillListQuery {
                sort: Some("bill_year_month:desc".into()),
                billing_item_id: list(&["VIRTUAL_SERVER"]),
                ..Default::default()
            },
            9,
        ),
    ];
    for (query, expected) in cases {
        let whole = all_bills(&client, &query, 1000).await;
        assert_eq!(whole.len(), expected, "{query:?}");
        let counted = client
            .list_bills(&BillListQuery {
                with_count: Some("true".into()),
                limit: Some(1),
                ..query.clone()
            })
            .await
            .unwrap();
        assert_eq!(counted.count, Some(expected as i64), "{query:?}");
        for limit in [1, 2, 4] {
            let paged = all_bills(&client, &query, limit).await;
            let ids: HashSet<&str> = paged.iter().map(|bill| bill.id.as_str()).collect();
            assert_eq!(ids.len(), paged.len(), "no line twice: {query:?}");
            assert_eq!(paged, whole, "paging in {limit}s: {query:?}");
        }
    }
    let desc = all_bills(
        &client,
        &BillListQuery {
            sort: Some("bill_year_month:desc".into()),
            ..Default::default()
        },
        3,
    )
    .await;
    assert_eq!(desc.first().unwrap().bill_year_month, "2026-11");
    // A member sees only its own lines; naming the payer is a 403.
    let member_client = app.client(&member);
    assert_eq!(
        all_bills(&member_client, &BillListQuery::default(), 100)
            .await
            .len(),
        6
    );
    let response = member_client
        .send(
            Client::list_bills_call(&BillListQuery {
                account_id: list(&[&payer.id]),
                ..Default::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    expect_status(response, 403);

    // Payments pages: 1-based, consistent with count.
    close_month(
        &app.store,
        &catalog(),
        YearMonth::new(2026, 10).unwrap(),
        app.clock.now(),
    )
    .await
    .unwrap();
    let all = payments(&client).await;
    assert_eq!(all.len(), 4, "two accounts, two closed months");
    let mut paged = Vec::new();
    for page in 1..=3 {
        let response = client
            .payment_monthly(&PaymentMonthlyQuery {
                size: Some(2),
                page: Some(page),
            })
            .await
            .unwrap();
        assert_eq!((response.count, response.size, response.page), (4, 2, page));
        paged.extend(response.payments);
    }
    assert_eq!(paged, all);
    assert_eq!(all[0].bill_year_month, "2026-10", "newest month first");
    let september: Vec<_> = all
        .iter()
        .filter(|row| row.bill_year_month == "2026-09")
        .collect();
    let october: Vec<_> = all
        .iter()
        .filter(|row| row.bill_year_month == "2026-10")
        .collect();
    for row in &october {
        let earlier = september
            .iter()
            .find(|s| s.payer_account_id == row.payer_account_id)
            .unwrap();
        assert_eq!(
            pair(&row.accumulated_unpaid_amount),
            add(pair(&row.unpaid_amount), pair(&earlier.unpaid_amount)),
            "accumulated unpaid adds the earlier month"
        );
    }
}

async fn bad_bill_and_payment_parameters_are_400s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (payer, _) = seeded(&app).await;
    let client = app.client(&payer);
    let cases: Vec<(BillListQuery, &str)> = vec![
        (
            BillListQuery {
                bill_state: Some("PAID".into()),
                ..Default::default()
            },
            "bill_state",
        ),
        (
            BillListQuery {
                bill_year_month: Some("2026-13".into()),
                ..Default::default()
            },
            "bill_year_month",
        ),
        (
            BillListQuery {
                start_year_month: Some("2026/10".into()),
                ..Default::default()
            },
            "start_year_month",
        ),
        (
            BillListQuery {
                start_year_month: Some("2026-11".into()),
                end_year_month: Some("2026-10".into()),
                ..Default::default()
            },
            "end_year_month",
        ),
        (
            BillListQuery {
                sort: Some("amounts:asc".into()),
                ..Default::default()
            },
            "sort",
        ),
        (
            BillListQuery {
                limit: Some(0),
                ..Default::default()
            },
            "limit",
        ),
        (
            BillListQuery {
                marker: Some("nope".into()),
                ..Default::default()
            },
            "marker",
        ),
        (
            BillListQuery {
                marker: Some("0123456789abcdef0123456789abcdef".into()),
                ..Default::default()
            },
            "marker",
        ),
        (
            BillListQuery {
                with_count: Some("yes".into()),
                ..Default::default()
            },
            "with_count",
        ),
        (
            BillListQuery {
                region: Some(vec!["mars-1".into()]),
                ..Default::default()
            },
            "region",
        ),
        (
            BillListQuery {
                service_category: Some(vec!["FOOD".into()]),
                ..Default::default()
            },
            "service_category",
        ),
        (
            BillListQuery {
                contract_id: Some("X1".into()),
                ..Default::default()
            },
            "contract_id",
        ),
    ];
    for (query, field) in cases {
        let response = client
            .send(Client::list_bills_call(&query).unwrap())
            .await
            .unwrap();
        let response = expect_status(response, 400);
        assert_eq!(error_fields(&response), [field], "{query:?}");
        assert_eq!(error_code(&response), "INVALID_PARAMETER");
    }
    for (query, field) in [
        (
            PaymentMonthlyQuery {
                size: Some(0),
                page: None,
            },
            "size",
        ),
        (
            PaymentMonthlyQuery {
                size: None,
                page: Some(0),
            },
            "page",
        ),
    ] {
        let response = client
            .send(Client::payment_monthly_call(&query).unwrap())
            .await
            .unwrap();
        assert_eq!(error_fields(&expect_status(response, 400)), [field]);
    }
    // Bad adjustments name every problem.
    let admin = app.client(&app.admin("ops2").await);
    let bad = [
        adjustment(
            "a",
            &payer,
            "2026-10",
            "msp_discount",
            Some("120"),
            None,
            None,
        ),
        adjustment("b", &payer, "2026-10", "asset", Some("5"), None, None),
        adjustment("c", &payer, "2026-10", "edp", Some("5"), Some("100"), None),
        adjustment(
            "d",
            &payer,
            "2026-10",
            "edp",
            None,
            Some("1.0001"),
            Some("NOPE"),
        ),
    ];
    let response = admin
        .send(scpfm_client::Call {
            service: "admin",
            method: reqwest::Method::POST,
            path: "/v1/admin/bill-adjustments".into(),
            query: String::new(),
            body: Some(serde_json::to_vec(&bad).unwrap()),
        })
        .await
        .unwrap();
    assert_eq!(
        error_fields(&expect_status(response, 400)),
        [
            "records[0].percent",
            "records[1].component",
            "records[2].percent",
            "records[3].amount",
            "records[3].billing_item_id"
        ]
    );
}

backend_tests!(
    bills_reconcile_with_usage_adjustments_and_payments,
    automatic_close_waits_for_its_hours,
    paging_bills_with_every_filter_returns_each_line_once,
    bad_bill_and_payment_parameters_are_400s,
);
