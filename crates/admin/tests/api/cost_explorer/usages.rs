//! Usage ingestion (admin API) and ListUsages: atomic batches, re-sends, every filter, paging.

use std::collections::HashSet;

use reqwest::Method;
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse, UsageRecordInput};
use scpfm_client::{Call, Client};
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{
    east_disk_day, error_code, error_fields, expect_status, lb_day, usage, vm_hour, TestAccount,
    TestApp,
};

/// 24 VM hours on 2026-11-19 (KST) for `resource`.
fn vm_day(account: &TestAccount, resource: &str, day: &str) -> Vec<UsageRecordInput> {
    (0..24)
        .map(|hour| vm_hour(account, resource, &format!("{day}T{hour:02}:00:00")))
        .collect()
}

fn ndjson(records: &[UsageRecordInput]) -> Vec<u8> {
    records
        .iter()
        .map(|record| serde_json::to_string(record).unwrap() + "\n")
        .collect::<String>()
        .into_bytes()
}

async fn ingestion_needs_an_admin_key(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let plain = app.account("plain").await;
    let response = app
        .client(&plain)
        .send(Client::ingest_usage_call(&vm_day(&plain, "vm", "2026-11-19")).unwrap())
        .await
        .unwrap();
    assert_eq!(error_code(&expect_status(response, 403)), "FORBIDDEN");
}

async fn batches_are_rated_and_resending_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let tenant = app.account("tenant").await;
    let records = vm_day(&tenant, "vm-1", "2026-11-19");
    let first = admin.ingest_usage(&records).await.unwrap();
    assert_eq!(
        (first.received, first.stored, first.duplicates),
        (24, 24, 0)
    );
    assert_eq!(first.amount.krw, "542.400", "24 hours × 22.60 KRW");
    assert_eq!(
        first.amount.usd, "0.384",
        "each hour 22.60 / 1394.20 = 0.016 USD (November's rate)"
    );
    let again = admin.ingest_usage(&records).await.unwrap();
    assert_eq!(
        (again.stored, again.duplicates, again.amount.krw.as_str()),
        (0, 24, "0.000")
    );
    let mut overlapping = vm_day(&tenant, "vm-1", "2026-11-19");
    overlapping.push(vm_hour(&tenant, "vm-1", "2026-11-20T00:00:00"));
    overlapping.push(vm_hour(&tenant, "vm-1", "2026-11-20T00:00:00"));
    let partly = admin.ingest_usage(&overlapping).await.unwrap();
    assert_eq!(
        (partly.received, partly.stored, partly.duplicates),
        (26, 1, 25)
    );
    let listed = app
        .client(&tenant)
        .list_usages(&UsageListQuery {
            with_count: Some("true".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.count, Some(25));
}

async fn one_bad_record_stores_nothing_and_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let tenant = app.account("tenant").await;
    let mut records = vm_day(&tenant, "vm-1", "2026-11-19");
    records[2].billing_item_id = Some("TELEPORTER".into());
    records[4].quantity = Some(scpfm_api_types::usage::DecimalText("-1".into()));
    records[7].period_start = Some("yesterday".into());
    let response = expect_status(
        admin
            .send(Client::ingest_usage_call(&records).unwrap())
            .await
            .unwrap(),
        400,
    );
    assert_eq!(
        error_fields(&response),
        [
            "records[2].billing_item_id",
            "records[4].quantity",
            "records[7].period_start"
        ]
    );
    let listed = app
        .client(&tenant)
        .list_usages(&UsageListQuery {
            with_count: Some("true".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.count, Some(0), "nothing of the batch was stored");

    let mut lines = vm_day(&tenant, "vm-1", "2026-11-19");
    lines[2].unit = Some("GB".into());
    let call = Call {
        service: "admin",
        method: Method::POST,
        path: "/v1/admin/usage-records".into(),
        query: String::new(),
        body: Some(ndjson(&lines)),
    };
    let response = expect_status(admin.send(call).await.unwrap(), 400);
    assert_eq!(error_fields(&response), ["line 3: unit"]);
}

async fn records_are_checked_against_the_catalogue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let tenant = app.account("tenant").await;
    let stranger = TestAccount {
        id: "0".repeat(32),
        access_key: String::new(),
        secret_key: String::new(),
    };
    let vm = |attributes: &[(&str, &str)]| {
        usage(
            &tenant,
            "vm",
            "VIRTUAL_SERVER",
            attributes,
            "2026-11-19T00:00:00",
            1,
            "1",
            "HOUR",
        )
    };
    let mut wrong_region = vm_hour(&tenant, "vm-r", "2026-11-19T00:00:00");
    wrong_region.region = Some("mars-1".into());
    let mut repeated = vm_hour(&tenant, "vm-x", "2026-11-19T01:00:00");
    let mut changed = repeated.clone();
    changed.quantity = Some(scpfm_api_types::usage::DecimalText("0.5".into()));
    repeated.record_id = Some("same".into());
    changed.record_id = Some("same".into());
    let cases: Vec<(UsageRecordInput, &str)> = vec![
        (
            vm(&[("server_type", "s1v1m2")]),
            "records[0].attributes.os_type",
        ),
        (
            vm(&[("server_type", "s9v9m9"), ("os_type", "OPEN_SOURCE")]),
            "records[0].attributes",
        ),
        (
            usage(
                &tenant,
                "vm",
                "VIRTUAL_SERVER",
                &[],
                "2026-11-19T00:00:00",
                1,
                "1",
                "GB",
            ),
            "records[0].unit",
        ),
        (
            usage(
                &tenant,
                "vm",
                "VIRTUAL_SERVER",
                &[],
                "2026-11-19T00:00:00",
                1,
                "1.5",
                "HOUR",
            ),
            "records[0].quantity",
        ),
        (
            usage(
                &tenant,
                "vm",
                "VIRTUAL_SERVER",
                &[],
                "2026-11-30T23:00:00",
                2,
                "1",
                "HOUR",
            ),
            "records[0].period_end",
        ),
        (
            usage(
                &tenant,
                "vm",
                "VIRTUAL_SERVER",
                &[],
                "2026-11-20T13:00:00",
                1,
                "1",
                "HOUR",
            ),
            "records[0].period_end",
        ),
        (
            vm_hour(&stranger, "vm", "2026-11-19T00:00:00"),
            "records[0].account_id",
        ),
        (wrong_region, "records[0].region"),
    ];
    for (record, field) in cases {
        let response = expect_status(
            admin
                .send(Client::ingest_usage_call(std::slice::from_ref(&record)).unwrap())
                .await
                .unwrap(),
            400,
        );
        assert_eq!(error_fields(&response), [field], "{record:?}");
    }
    let response = expect_status(
        admin
            .send(Client::ingest_usage_call(&[repeated, changed]).unwrap())
            .await
            .unwrap(),
        400,
    );
    assert_eq!(error_fields(&response), ["records[1].record_id"]);
    let float = br#"[{"record_id": "f", "quantity": 0.5}]"#.to_vec();
    let call = Call {
        service: "admin",
        method: Method::POST,
        path: "/v1/admin/usage-records".into(),
        query: String::new(),
        body: Some(float),
    };
    let response = expect_status(admin.send(call).await.unwrap(), 400);
    assert_eq!(error_fields(&response), ["records[0].quantity"]);
}

/// Seeds usage of a payer and a member account across items, regions and days.
async fn seeded(app: &TestApp) -> (TestAccount, TestAccount) {
    let admin = app.client(&app.admin("ops").await);
    let payer = app.account("payer").await;
    let member = app.member("member", &payer).await;
    let mut records = Vec::new();
    for day in ["2026-11-17", "2026-11-18", "2026-11-19"] {
        records.extend(vm_day(&payer, "vm-payer", day));
        records.push(east_disk_day(&member, day));
        records.push(lb_day(&member, day));
    }
    admin.ingest_usage(&records).await.unwrap();
    (payer, member)
}

async fn count(client: &Client, query: UsageListQuery) -> i64 {
    let query = UsageListQuery {
        with_count: Some("true".into()),
        limit: Some(1000),
        ..query
    };
    let page = client.list_usages(&query).await.unwrap();
    assert_eq!(page.count, Some(page.usages.len() as i64));
    page.count.unwrap()
}

async fn every_filter_narrows_the_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (payer, member) = seeded(&app).await;
    let payer_client = app.client(&payer);
    let member_client = app.client(&member);
    let all = || UsageListQuery::default();
    assert_eq!(
        count(&payer_client, all()).await,
        72 + 6,
        "the payer sees its members' usage"
    );
    assert_eq!(
        count(&member_client, all()).await,
        6,
        "a member sees its own"
    );
    let forbidden = member_client
        .send(
            Client::list_usages_call(&UsageListQuery {
                account_id: Some(vec![payer.id.clone()]),
                ..all()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(error_code(&expect_status(forbidden, 403)), "FORBIDDEN");

    let on = |date: &str| UsageListQuery {
        start_date: Some(date.into()),
        end_date: Some(date.into()),
        ..all()
    };
    let list = |values: &[&str]| Some(values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>());
    // (query as the payer, records it matches)
    let cases: Vec<(UsageListQuery, i64)> = vec![
        (
            UsageListQuery {
                account_id: list(&[&member.id]),
                ..all()
            },
            6,
        ),
        (on("2026-11-18"), 26), // dates are KST days, end inclusive
        (
            UsageListQuery {
                start_date: Some("2026-11-18".into()),
                ..all()
            },
            52,
        ),
        (
            UsageListQuery {
                end_date: Some("2026-11-17".into()),
                ..all()
            },
            26,
        ),
        (
            UsageListQuery {
                service_category: list(&["STORAGE"]),
                ..all()
            },
            3,
        ),
        (
            UsageListQuery {
                service_category: list(&["STORAGE", "NETWORKING"]),
                ..all()
            },
            6,
        ),
        (
            UsageListQuery {
                billing_item_id: list(&["LOAD_BALANCER", "VIRTUAL_SERVER"]),
                ..all()
            },
            75,
        ),
        (
            UsageListQuery {
                resource_name: Some("lb-1-name".into()),
                ..all()
            },
            3,
        ),
        (
            UsageListQuery {
                region: list(&["kr-east1"]),
                ..all()
            },
            3,
        ),
        (
            UsageListQuery {
                order_status: list(&["04"]),
                ..all()
            },
            78,
        ),
        (
            UsageListQuery {
                order_status: list(&["05"]),
                ..all()
            },
            0,
        ),
        (
            UsageListQuery {
                contract_id: Some("C000000001".into()),
                ..all()
            },
            0,
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(
            count(&payer_client, query.clone()).await,
            expected,
            "{query:?}"
        );
    }

    let page = member_client
        .list_usages(&UsageListQuery {
            billing_item_id: Some(vec!["BLOCK_STORAGE".into()]),
            ..all()
        })
        .await
        .unwrap();
    assert_eq!(page.timezone, "Asia/Seoul");
    let disk = &page.usages[0];
    assert_eq!(
        (disk.usage_date.as_str(), disk.service_category.as_str()),
        ("2026-11-17T00:00:00", "STORAGE")
    );
    // 2,400 GB-hours of SSD at 110 KRW per GB-month of 720 hours: 366.666… → 366.667.
    assert_eq!(disk.amounts.krw, "366.6670000000");
    assert_eq!(
        (
            disk.ccbs_product_code.as_str(),
            disk.order_status.as_str(),
            disk.status_code
        ),
        ("PD00013901", "04", 0)
    );
}

async fn paging_returns_every_record_exactly_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (payer, _) = seeded(&app).await;
    let client = app.client(&payer);
    for sort in [
        "usage_date:asc",
        "usage_date:desc",
        "created_at:asc",
        "created_at:desc",
    ] {
        let mut seen = Vec::new();
        let mut marker: Option<String> = None;
        let mut pages = 0;
        loop {
            let query = UsageListQuery {
                limit: Some(7),
                sort: Some(sort.into()),
                marker: marker.clone(),
                ..Default::default()
            };
            let page: UsageListResponse = client.list_usages(&query).await.unwrap();
            pages += 1;
            assert_eq!(page.links[0].rel, "self");
            seen.extend(page.usages.iter().map(|usage| usage.id.clone()));
            let dates: Vec<&str> = page
                .usages
                .iter()
                .map(|usage| usage.usage_date.as_str())
                .collect();
            if sort == "usage_date:asc" {
                assert!(dates.windows(2).all(|pair| pair[0] <= pair[1]), "{dates:?}");
            }
            match page.links.iter().find(|link| link.rel == "next") {
                Some(next) => {
                    assert!(next.href.starts_with(&app.url()), "{}", next.href);
                    marker = Some(next.href.rsplit("marker=").next().unwrap().to_owned());
                }
                None => break,
            }
        }
        assert_eq!(pages, 12, "{sort}: 78 records in pages of 7");
        assert_eq!(seen.len(), 78, "{sort}");
        assert_eq!(
            seen.iter().collect::<HashSet<_>>().len(),
            78,
            "{sort}: no record twice"
        );
    }
}

async fn bad_list_parameters_are_400s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (payer, _) = seeded(&app).await;
    let client = app.client(&payer);
    for (query, field) in [
        ("start_date=2026-13-01", "start_date"),
        ("end_date=2026-11-1", "end_date"),
        ("start_date=2026-11-19&end_date=2026-11-18", "end_date"),
        ("billing_item_id=TELEPORTER", "billing_item_id"),
        ("service_category=FOOD", "service_category"),
        ("region=mars-1", "region"),
        ("order_status=4", "order_status"),
        ("contract_id=X1", "contract_id"),
        ("account_id=nope", "account_id"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=ten", "limit"),
        ("with_count=maybe", "with_count"),
        ("sort=amount:desc", "sort"),
        ("sort=usage_date,created_at", "sort"),
        ("marker=xyz", "marker"),
        ("marker=00000000000000000000000000000000", "marker"),
    ] {
        let call = Call {
            service: "costexplorer",
            method: Method::GET,
            path: "/v1/usages".into(),
            query: query.into(),
            body: None,
        };
        let response = expect_status(client.send(call).await.unwrap(), 400);
        assert_eq!(error_fields(&response), [field], "{query}");
    }
}

backend_tests!(
    ingestion_needs_an_admin_key,
    batches_are_rated_and_resending_changes_nothing,
    one_bad_record_stores_nothing_and_is_named,
    records_are_checked_against_the_catalogue,
    every_filter_narrows_the_list,
    paging_returns_every_record_exactly_once,
    bad_list_parameters_are_400s,
);
