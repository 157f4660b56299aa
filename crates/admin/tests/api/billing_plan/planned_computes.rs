//! BillingPlan: the catalogue operations, contract create/get/list, every change action and
//! state transition (valid and invalid), cancellation fees, bad input.

use std::collections::HashSet;

use scpfm_api_types::billing_plan::{
    CancellationFeeRequest, OneOrMany, PlannedComputeChangeRequest, PlannedComputeCreateRequest,
    PlannedComputeListQuery, ServerTypeQuery, ServiceQuery, TagDto,
};
use scpfm_client::Client;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{error_code, error_fields, expect_status, TestAccount, TestApp};

pub(crate) fn order(server_type: &str, os: &str, contract: &str) -> PlannedComputeCreateRequest {
    PlannedComputeCreateRequest {
        account_id: None,
        service_id: Some("VIRTUAL_SERVER".into()),
        service_name: Some("Virtual Server".into()),
        server_type: Some(server_type.into()),
        os_type: Some(os.into()),
        contract_type: Some(contract.into()),
        tag: Some(vec![TagDto {
            key: "team".into(),
            value: Some("web".into()),
        }]),
    }
}

fn change_request(
    action: &str,
    contract_type: Option<&str>,
    server_type: Option<&str>,
) -> PlannedComputeChangeRequest {
    PlannedComputeChangeRequest {
        action: Some(action.into()),
        contract_type: contract_type.map(str::to_owned),
        server_type: server_type.map(str::to_owned),
    }
}

async fn catalogue_operations_answer_from_the_catalogue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let services = client.list_service_types().await.unwrap().services;
    let ids: Vec<&str> = services.iter().map(|s| s.service_id.as_str()).collect();
    assert!(ids.contains(&"VIRTUAL_SERVER") && ids.contains(&"GPU_SERVER"));
    assert!(
        !ids.contains(&"BLOCK_STORAGE"),
        "only planned compute services"
    );

    let all = client
        .list_server_types(&ServerTypeQuery::default())
        .await
        .unwrap()
        .server_types;
    assert!(
        all.iter().all(|t| t.scale_up_yn),
        "without current_server_type everything is a scale-up"
    );
    let vm = client
        .list_server_types(&ServerTypeQuery {
            service_id: Some("VIRTUAL_SERVER".into()),
            current_server_type: Some("s1v2m4".into()),
            os_type: Some("opensource".into()),
        })
        .await
        .unwrap()
        .server_types;
    let small = vm.iter().find(|t| t.server_type == "s1v1m2").unwrap();
    assert!(!small.scale_up_yn);
    assert_eq!(
        (
            small.core.as_str(),
            small.memory_gb.as_str(),
            small.instance_type.as_str()
        ),
        ("1", "2", "s1")
    );
    assert!(
        vm.iter()
            .find(|t| t.server_type == "s1v4m8")
            .unwrap()
            .scale_up_yn
    );
    assert!(
        vm.iter().all(|t| !t.server_type.starts_with('g')),
        "GPU types belong to GPU_SERVER"
    );

    let os = client
        .list_os_types(&ServiceQuery::default())
        .await
        .unwrap()
        .os_types;
    let open = os.iter().find(|o| o.os_type_id == "OPEN_SOURCE").unwrap();
    assert_eq!(
        (open.os_type_value.as_str(), open.display_name.as_str()),
        ("opensource", "Open Source")
    );

    let contracts = client
        .list_contract_types(&ServiceQuery {
            service_id: Some("VIRTUAL_SERVER".into()),
            server_type: Some("s1v1m2".into()),
        })
        .await
        .unwrap();
    let codes: Vec<&str> = contracts
        .contract_types
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(codes, ["01", "03", "05"]);
    assert_eq!(contracts.contract_types[0].display_name, "1-year");
    assert_eq!(contracts.extension_types, contracts.contract_types);

    for (call, field) in [
        (
            Client::list_server_types_call(&ServerTypeQuery {
                service_id: Some("NOPE".into()),
                ..Default::default()
            })
            .unwrap(),
            "service_id",
        ),
        (
            Client::list_server_types_call(&ServerTypeQuery {
                current_server_type: Some("x9".into()),
                ..Default::default()
            })
            .unwrap(),
            "current_server_type",
        ),
        (
            Client::list_server_types_call(&ServerTypeQuery {
                os_type: Some("DOS".into()),
                ..Default::default()
            })
            .unwrap(),
            "os_type",
        ),
        (
            Client::list_os_types_call(&ServiceQuery {
                service_id: Some("BLOCK_STORAGE".into()),
                ..Default::default()
            })
            .unwrap(),
            "service_id",
        ),
        (
            Client::list_contract_types_call(&ServiceQuery {
                service_id: Some("GPU_SERVER".into()),
                server_type: Some("s1v1m2".into()),
            })
            .unwrap(),
            "server_type",
        ),
    ] {
        let response = client.send(call).await.unwrap();
        assert_eq!(error_fields(&expect_status(response, 400)), [field]);
    }
}

async fn contracts_are_ordered_read_and_listed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let client = app.client(&account);
    // Ordered 2026-11-20 12:00 KST: starts the next day.
    let created = client
        .create_planned_compute(&order("s1v2m4", "opensource", "01"))
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(created.start_date, "2026-11-21");
    assert_eq!(created.end_date, "2027-11-20");
    assert_eq!(created.first_contract_start_at, "2026-11-21");
    assert_eq!(
        created.os_type, "OPEN_SOURCE",
        "either spelling is stored as the id"
    );
    assert_eq!(created.os_name, "Open Source");
    assert_eq!(created.contract_type, "1-year");
    assert_eq!(created.state, "ACTIVE");
    assert_eq!(created.delete_yn, "N");
    assert_eq!(created.created_by, "tester");
    // The official Go SDK's form (issue 18): `T`, no zone.
    assert_eq!(created.created_at, "2026-11-20T12:00:00");
    assert!(created.contract_id.starts_with('C') && created.contract_id.len() == 10);
    assert_eq!(
        created.srn,
        format!(
            "srn:e::{}:{}::billingplan:planned-compute/{}",
            account.id, created.region, created.id
        )
    );
    assert_eq!(created.server_type_description["core"], "2");
    // Tags are stored (for cost analysis and the console), not part of the DTO (issue 18).
    let stored = app
        .store
        .get_planned_compute(&account.id.parse().unwrap(), &created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.tags,
        vec![("team".to_owned(), Some("web".to_owned()))]
    );
    let fetched = client
        .get_planned_compute(&created.id)
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(fetched, created);

    let second = client
        .create_planned_compute(&order("s1v1m2", "RHEL", "03"))
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(second.end_date, "2029-11-20");
    assert_ne!(second.contract_id, created.contract_id);

    // Another account sees none of them.
    let other = app.client(&app.account("other").await);
    let response = other
        .send(Client::get_planned_compute_call(&created.id))
        .await
        .unwrap();
    assert_eq!(error_code(&expect_status(response, 404)), "NOT_FOUND");
    assert_eq!(
        other
            .list_planned_computes(&PlannedComputeListQuery::default())
            .await
            .unwrap()
            .total_count,
        0
    );

    // account_id must be the caller's.
    let mut foreign = order("s1v1m2", "RHEL", "01");
    foreign.account_id = Some("0123456789abcdef0123456789abcdef".into());
    let response = client
        .send(Client::create_planned_compute_call(&foreign).unwrap())
        .await
        .unwrap();
    expect_status(response, 403);

    // Filters and paging.
    let list = |query: PlannedComputeListQuery| {
        let client = client.clone();
        async move { client.list_planned_computes(&query).await.unwrap() }
    };
    let everything = list(PlannedComputeListQuery::default()).await;
    assert_eq!(
        (
            everything.total_count,
            everything.total_pages,
            everything.current_page
        ),
        (2, 1, 1)
    );
    assert_eq!(
        everything.planned_computes[0].id, second.id,
        "newest first by default"
    );
    let cases: Vec<(PlannedComputeListQuery, Vec<&str>)> = vec![
        (
            PlannedComputeListQuery {
                server_type: Some("s1v2m4".into()),
                ..Default::default()
            },
            vec![&created.id],
        ),
        (
            PlannedComputeListQuery {
                contract_id: Some(second.contract_id.clone()),
                ..Default::default()
            },
            vec![&second.id],
        ),
        (
            PlannedComputeListQuery {
                contract_type: Some(vec!["03".into()]),
                ..Default::default()
            },
            vec![&second.id],
        ),
        (
            PlannedComputeListQuery {
                os_type: Some(vec!["rhel".into()]),
                ..Default::default()
            },
            vec![&second.id],
        ),
        (
            PlannedComputeListQuery {
                service_id: Some(vec!["VIRTUAL_SERVER".into()]),
                ..Default::default()
            },
            vec![&second.id, &created.id],
        ),
        (
            PlannedComputeListQuery {
                state: Some(vec!["EXPIRED".into()]),
                ..Default::default()
            },
            vec![],
        ),
        (
            PlannedComputeListQuery {
                created_by: Some("tester".into()),
                sort: Some("contract_id:asc".into()),
                ..Default::default()
            },
            vec![&created.id, &second.id],
        ),
        (
            PlannedComputeListQuery {
                start_date: Some("2028-01-01".into()),
                ..Default::default()
            },
            vec![&second.id],
        ),
        (
            PlannedComputeListQuery {
                end_date: Some("2026-11-20".into()),
                ..Default::default()
            },
            vec![],
        ),
        (
            PlannedComputeListQuery {
                sort: Some("end_date:asc".into()),
                ..Default::default()
            },
            vec![&created.id, &second.id],
        ),
    ];
    for (query, expected) in cases {
        let page = list(query.clone()).await;
        let ids: Vec<&str> = page
            .planned_computes
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, expected, "{query:?}");
        assert_eq!(page.total_count, expected.len() as i64);
    }
    let mut seen = HashSet::new();
    for page in 1..=2 {
        let response = list(PlannedComputeListQuery {
            limit: Some(1),
            page: Some(page),
            ..Default::default()
        })
        .await;
        assert_eq!((response.total_pages, response.current_page), (2, page));
        seen.insert(response.planned_computes[0].id.clone());
    }
    assert_eq!(seen.len(), 2);

    // Bad input.
    let bad: Vec<(PlannedComputeCreateRequest, Vec<&str>)> = vec![
        (
            PlannedComputeCreateRequest::default(),
            vec!["service_id", "server_type", "os_type", "contract_type"],
        ),
        (order("s1v1m2", "DOS", "01"), vec!["os_type"]),
        (order("s1v1m2", "OPEN_SOURCE", "02"), vec!["contract_type"]),
        (order("g1v8m96", "OPEN_SOURCE", "01"), vec!["server_type"]),
    ];
    for (request, fields) in bad {
        let response = client
            .send(Client::create_planned_compute_call(&request).unwrap())
            .await
            .unwrap();
        assert_eq!(
            error_fields(&expect_status(response, 400)),
            fields,
            "{request:?}"
        );
    }
    for (query, field) in [
        (
            PlannedComputeListQuery {
                limit: Some(0),
                ..Default::default()
            },
            "limit",
        ),
        (
            PlannedComputeListQuery {
                page: Some(0),
                ..Default::default()
            },
            "page",
        ),
        (
            PlannedComputeListQuery {
                state: Some(vec!["SLEEPING".into()]),
                ..Default::default()
            },
            "state",
        ),
        (
            PlannedComputeListQuery {
                contract_type: Some(vec!["7".into()]),
                ..Default::default()
            },
            "contract_type",
        ),
        (
            PlannedComputeListQuery {
                sort: Some("price:asc".into()),
                ..Default::default()
            },
            "sort",
        ),
        (
            PlannedComputeListQuery {
                start_date: Some("2026-13-01".into()),
                ..Default::default()
            },
            "start_date",
        ),
        (
            PlannedComputeListQuery {
                contract_id: Some("C12".into()),
                ..Default::default()
            },
            "contract_id",
        ),
    ] {
        let response = client
            .send(Client::list_planned_computes_call(&query).unwrap())
            .await
            .unwrap();
        assert_eq!(
            error_fields(&expect_status(response, 400)),
            [field],
            "{query:?}"
        );
    }
}

async fn change(
    client: &Client,
    id: &str,
    request: PlannedComputeChangeRequest,
) -> scpfm_client::RawResponse {
    client
        .send(Client::change_planned_compute_call(id, &request).unwrap())
        .await
        .unwrap()
}

async fn every_change_action_follows_the_state_machine(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account: TestAccount = app.account("acme").await;
    let client = app.client(&account);
    let contract = client
        .create_planned_compute(&order("s1v2m4", "OPEN_SOURCE", "01"))
        .await
        .unwrap()
        .planned_compute;
    let id = contract.id.as_str();
    let conflict = |response| error_code(&expect_status(response, 409));

    // No renewal yet: changing or cancelling one is refused.
    assert_eq!(
        conflict(
            change(
                &client,
                id,
                change_request("EXTEND_CHANGE", Some("03"), None)
            )
            .await
        ),
        "INVALID_STATE"
    );
    assert_eq!(
        conflict(change(&client, id, change_request("EXTEND_CANCEL", None, None)).await),
        "INVALID_STATE"
    );
    let extended: scpfm_api_types::billing_plan::PlannedComputeResponse = serde_json::from_slice(
        &expect_status(
            change(
                &client,
                id,
                change_request("EXTEND_APPLY", Some("01"), None),
            )
            .await,
            200,
        )
        .body,
    )
    .unwrap();
    let next = extended.planned_compute;
    assert_eq!(next.next_contract_type.as_deref(), Some("1-year"));
    assert_eq!(next.next_start_date.as_deref(), Some("2027-11-21"));
    assert_eq!(next.next_end_date.as_deref(), Some("2028-11-20"));
    assert_eq!(
        conflict(
            change(
                &client,
                id,
                change_request("EXTEND_APPLY", Some("03"), None)
            )
            .await
        ),
        "INVALID_STATE"
    );
    let changed = client
        .change_planned_compute(id, &change_request("EXTEND_CHANGE", Some("05"), None))
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(changed.next_end_date.as_deref(), Some("2032-11-20"));
    let dropped = client
        .change_planned_compute(id, &change_request("EXTEND_CANCEL", None, None))
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(dropped.next_contract_type, None);

    // Server types only scale up, within the service.
    let response = change(
        &client,
        id,
        change_request("SERVER_TYPE_CHANGE", None, Some("s1v1m2")),
    )
    .await;
    let body = String::from_utf8_lossy(&expect_status(response, 409).body).into_owned();
    assert!(
        body.contains("s1v1m2") && body.contains("scale-up"),
        "{body}"
    );
    let bigger = client
        .change_planned_compute(
            id,
            &change_request("SERVER_TYPE_CHANGE", None, Some("s1v4m8")),
        )
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(bigger.server_type, "s1v4m8");

    // Bad requests: missing or unknown fields, unsupported actions.
    for (request, field) in [
        (PlannedComputeChangeRequest::default(), "action"),
        (change_request("EXTEND_APPLY", None, None), "contract_type"),
        (
            change_request("EXTEND_APPLY", Some("04"), None),
            "contract_type",
        ),
        (
            change_request("SERVER_TYPE_CHANGE", None, None),
            "server_type",
        ),
        (
            change_request("SERVER_TYPE_CHANGE", None, Some("z9")),
            "server_type",
        ),
        (change_request("CHANGE_START_DATE", None, None), "action"),
        (change_request("CREATE_PLAN", None, None), "action"),
        (change_request("SELL", None, None), "action"),
    ] {
        let response = change(&client, id, request).await;
        assert_eq!(error_fields(&expect_status(response, 400)), [field]);
    }
    let response = change(
        &client,
        "0123456789abcdef0123456789abcdef",
        change_request("EXTEND_CANCEL", None, None),
    )
    .await;
    expect_status(response, 404);

    // Cancellation: a fee quote, then the cancellation; nothing changes afterwards.
    app.clock.advance(chrono::Duration::days(10));
    let quote = client
        .cancellation_fee(&CancellationFeeRequest {
            region: None,
            planned_compute_id: Some(OneOrMany::One(id.to_owned())),
        })
        .await
        .unwrap();
    assert!(!quote.same_day_cancel);
    assert_eq!(quote.currency.code, "KRW");
    assert_eq!(
        quote.bill_year_month, "2027-01",
        "ordered 2026-11-30 KST: invoiced two months on"
    );
    // An Amount, as the official Go SDK reads it (issue 18): whole won, 3 decimals.
    let fee: rust_decimal::Decimal = quote.cancellation_fee.krw.parse().unwrap();
    assert!(fee > rust_decimal::Decimal::ZERO);
    assert_eq!(fee.fract(), rust_decimal::Decimal::ZERO, "whole won");
    let fee = fee.trunc().normalize();
    assert!(
        quote
            .cancellation_fee
            .usd
            .parse::<rust_decimal::Decimal>()
            .unwrap()
            > rust_decimal::Decimal::ZERO
    );
    let cancelled = client
        .change_planned_compute(id, &change_request("CONTRACT_CANCEL", None, None))
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(
        (cancelled.state.as_str(), cancelled.delete_yn.as_str()),
        ("TERMINATED", "Y")
    );
    for request in [
        change_request("EXTEND_APPLY", Some("01"), None),
        change_request("SERVER_TYPE_CHANGE", None, Some("s1v8m16")),
        change_request("CONTRACT_CANCEL", None, None),
    ] {
        let response = change(&client, id, request).await;
        let body = String::from_utf8_lossy(&expect_status(response, 409).body).into_owned();
        assert!(body.contains("TERMINATED"), "{body}");
    }
    // The fee is on this month's bill (2026-11, KST) in `cancellation_fee`.
    let bills = client
        .list_bills(&scpfm_api_types::bill::BillListQuery {
            bill_year_month: Some("2026-11".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .bills;
    let line = bills
        .iter()
        .find(|bill| bill.resource_id == contract.contract_id)
        .unwrap();
    assert_eq!(line.cancellation_fee.krw, format!("{fee}.000"));
    assert_eq!(line.amounts.krw, line.cancellation_fee.krw);
    assert_eq!(
        line.contract_id.as_deref(),
        Some(contract.contract_id.as_str())
    );
    assert_eq!(line.billing_item_id, "VIRTUAL_SERVER");
    let history = app.store.planned_compute_history(id).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|(action, ..)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "CREATE",
            "EXTEND_APPLY",
            "EXTEND_CHANGE",
            "EXTEND_CANCEL",
            "SERVER_TYPE_CHANGE",
            "CONTRACT_CANCEL"
        ]
    );
    assert!(history[5].1.contains(&fee.to_string()));

    // Same-day cancellation costs nothing; several ids are summed; unknown ids are 404s.
    let fresh = client
        .create_planned_compute(&order("s1v1m2", "OPEN_SOURCE", "03"))
        .await
        .unwrap()
        .planned_compute;
    let same_day = client
        .cancellation_fee(&CancellationFeeRequest {
            region: Some("kr-west1".into()),
            planned_compute_id: Some(OneOrMany::Many(vec![fresh.id.clone()])),
        })
        .await
        .unwrap();
    assert!(same_day.same_day_cancel);
    assert_eq!(
        (
            same_day.cancellation_fee.krw.as_str(),
            same_day.cancellation_fee.usd.as_str()
        ),
        ("0.000", "0.000")
    );
    let response = client
        .send(
            Client::cancellation_fee_call(&CancellationFeeRequest {
                region: None,
                planned_compute_id: Some(OneOrMany::Many(vec![
                    fresh.id.clone(),
                    "ffffffffffffffffffffffffffffffff".into(),
                ])),
            })
            .unwrap(),
        )
        .await
        .unwrap();
    expect_status(response, 404);
    let response = client
        .send(Client::cancellation_fee_call(&CancellationFeeRequest::default()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        error_fields(&expect_status(response, 400)),
        ["planned_compute_id"]
    );
}

async fn ended_terms_renew_or_expire_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let plain = client
        .create_planned_compute(&order("s1v1m2", "OPEN_SOURCE", "01"))
        .await
        .unwrap()
        .planned_compute;
    let renewing = client
        .create_planned_compute(&order("s1v2m4", "OPEN_SOURCE", "01"))
        .await
        .unwrap()
        .planned_compute;
    client
        .change_planned_compute(
            &renewing.id,
            &change_request("EXTEND_APPLY", Some("03"), None),
        )
        .await
        .unwrap();
    use scpfm_app::clock::Clock as _;
    let run = scpfm_app::contract_lifecycle::renew_due(&app.store, app.clock.now())
        .await
        .unwrap();
    assert!(
        run.renewed.is_empty() && run.expired.is_empty(),
        "nothing has ended"
    );
    // Terms end 2027-11-20 (KST); on the 21st both have ended.
    let day_after = chrono::DateTime::parse_from_rfc3339("2027-11-21T00:30:00+09:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let run = scpfm_app::contract_lifecycle::renew_due(&app.store, day_after)
        .await
        .unwrap();
    assert_eq!(
        run.expired,
        vec![(plain.id.clone(), plain.contract_id.clone())]
    );
    assert_eq!(
        run.renewed,
        vec![(renewing.id.clone(), renewing.contract_id.clone())]
    );
    let again = scpfm_app::contract_lifecycle::renew_due(&app.store, day_after)
        .await
        .unwrap();
    assert_eq!(
        again,
        scpfm_app::contract_lifecycle::RenewalRun::default(),
        "idempotent"
    );
    let expired = client
        .get_planned_compute(&plain.id)
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(expired.state, "EXPIRED");
    let renewed = client
        .get_planned_compute(&renewing.id)
        .await
        .unwrap()
        .planned_compute;
    assert_eq!(
        (
            renewed.state.as_str(),
            renewed.start_date.as_str(),
            renewed.end_date.as_str()
        ),
        ("ACTIVE", "2027-11-21", "2030-11-20")
    );
    assert_eq!(renewed.contract_type, "3-year");
    assert_eq!(renewed.first_contract_start_at, "2026-11-21");
    assert_eq!(renewed.next_contract_type, None);
    assert_eq!(renewed.modified_by, "scpfm");
}

/// The unit price per hour of VIRTUAL_SERVER s1v2m4 OPEN_SOURCE, `offering` PG or PP (01),
/// read from the Pricing API.
async fn hourly(client: &Client, offering: &str) -> rust_decimal::Decimal {
    let prices = client
        .list_prices(&scpfm_api_types::pricing::PriceListQuery {
            size: Some(1000),
            billing_item_id: Some("VIRTUAL_SERVER".into()),
            offering: Some(offering.into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .prices;
    let price = prices
        .iter()
        .find(|p| {
            p.attributes.get("server_type").map(String::as_str) == Some("s1v2m4")
                && p.attributes.get("os_type").map(String::as_str) == Some("OPEN_SOURCE")
                && p.attributes.get("contract_type").is_none_or(|c| c == "01")
        })
        .unwrap();
    price.prices[0].unit_price.parse().unwrap()
}

async fn contracts_cover_matching_server_hours_and_bill_the_rest(backend: Backend) {
    use rust_decimal::Decimal;
    use scpfm_app::clock::Clock as _;
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let account = app.account("acme").await;
    let client = app.client(&account);
    // Two contracts for s1v2m4 / Open Source, from 2026-11-21 (KST).
    let first = client
        .create_planned_compute(&order("s1v2m4", "OPEN_SOURCE", "01"))
        .await
        .unwrap()
        .planned_compute;
    let second = client
        .create_planned_compute(&order("s1v2m4", "opensource", "01"))
        .await
        .unwrap()
        .planned_compute;
    app.clock.advance(chrono::Duration::days(3));
    // Three matching servers and one of another type, every hour of 2026-11-21; one matching
    // server on the 20th, before the contracts start.
    let mut records = Vec::new();
    for hour in 0..24 {
        let start = format!("2026-11-21T{hour:02}:00:00");
        for vm in ["vm-1", "vm-2", "vm-3"] {
            records.push(crate::helpers::usage(
                &account,
                vm,
                "VIRTUAL_SERVER",
                &[("server_type", "s1v2m4"), ("os_type", "OPEN_SOURCE")],
                &start,
                1,
                "1",
                "HOUR",
            ));
        }
        records.push(crate::helpers::usage(
            &account,
            "vm-small",
            "VIRTUAL_SERVER",
            &[("server_type", "s1v1m2"), ("os_type", "OPEN_SOURCE")],
            &start,
            1,
            "1",
            "HOUR",
        ));
    }
    records.push(crate::helpers::usage(
        &account,
        "vm-1",
        "VIRTUAL_SERVER",
        &[("server_type", "s1v2m4"), ("os_type", "OPEN_SOURCE")],
        "2026-11-20T10:00:00",
        1,
        "1",
        "HOUR",
    ));
    for batch in records.chunks(25) {
        admin.ingest_usage(batch).await.unwrap();
    }
    let again = admin.ingest_usage(&records).await.unwrap();
    assert_eq!(
        again.stored, 0,
        "re-sent records stay no-ops, coverage unchanged"
    );

    let usages = client
        .list_usages(&scpfm_api_types::usage::UsageListQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap()
        .usages;
    assert_eq!(usages.len(), records.len());
    let (pg, pp) = (hourly(&client, "PG").await, hourly(&client, "PP").await);
    assert!(pp < pg);
    let mut per_hour: std::collections::HashMap<String, Vec<String>> = Default::default();
    for usage in &usages {
        let krw: Decimal = usage.amounts.krw.parse().unwrap();
        match &usage.contract_id {
            Some(contract) => {
                assert_ne!(
                    usage.resource_name, "vm-small-name",
                    "a mismatching server is never covered"
                );
                assert_ne!(
                    usage.usage_date, "2026-11-20T10:00:00",
                    "not before the contracts start"
                );
                assert_eq!(krw, pp, "covered hours at the PP price");
                per_hour
                    .entry(usage.usage_date.clone())
                    .or_default()
                    .push(contract.clone());
            }
            None => {
                if usage.resource_name != "vm-small-name" {
                    assert_eq!(krw, pg, "uncovered hours at the PG price");
                }
            }
        }
    }
    assert_eq!(per_hour.len(), 24);
    for (hour, contracts) in &per_hour {
        let mut sorted = contracts.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            vec![first.contract_id.clone(), second.contract_id.clone()],
            "{hour}: each contract once"
        );
    }

    // The coverage report of the 20th–21st: 48 covered hours on three resources; no idle
    // contract hours (busy every hour of the 21st, not yet in force on the 20th).
    let report = client
        .list_covered_resources(&scpfm_api_types::billing_plan::CoveredResourceQuery {
            service_id: Some("VIRTUAL_SERVER".into()),
            os_type: Some("opensource".into()),
            server_type: Some("s1v2m4".into()),
            start_date: Some("2026-11-20".into()),
            end_date: Some("2026-11-21".into()),
            sort: None,
        })
        .await
        .unwrap();
    assert_eq!(report.order_count, 2);
    assert_eq!(report.os.os_type_id, "OPEN_SOURCE");
    let hours: i64 = report.coverages.iter().map(|row| row.used_time).sum();
    assert_eq!(hours, 48);
    assert!(report
        .coverages
        .iter()
        .all(|row| row.non_applied_amount.krw == "0.000"));
    let dec = |text: &str| text.parse::<Decimal>().unwrap();
    assert_eq!(dec(&report.amount.used.krw), pp * Decimal::from(48));
    assert_eq!(
        dec(&report.amount.no_contract_used.krw),
        pg * Decimal::from(25)
    );
    assert_eq!(dec(&report.amount.non_applied.krw), Decimal::ZERO);
    // Over the 21st–22nd each contract idles the 24 hours of the 22nd.
    let later = client
        .list_covered_resources(&scpfm_api_types::billing_plan::CoveredResourceQuery {
            service_id: Some("VIRTUAL_SERVER".into()),
            os_type: Some("OPEN_SOURCE".into()),
            server_type: Some("s1v2m4".into()),
            start_date: Some("2026-11-21".into()),
            end_date: Some("2026-11-22".into()),
            sort: None,
        })
        .await
        .unwrap();
    assert_eq!(
        dec(&later.amount.non_applied.krw),
        (pp * Decimal::from(24)).round_dp(3) * Decimal::TWO
    );
    assert_eq!(
        dec(&later.amount.total.krw),
        dec(&later.amount.used.krw)
            + dec(&later.amount.no_contract_used.krw)
            + dec(&later.amount.non_applied.krw)
    );
    // A window before any contract existed: no contract counted, none listed (issue 14).
    let before = client
        .list_covered_resources(&scpfm_api_types::billing_plan::CoveredResourceQuery {
            service_id: Some("VIRTUAL_SERVER".into()),
            os_type: Some("OPEN_SOURCE".into()),
            server_type: Some("s1v2m4".into()),
            start_date: Some("2026-10-01".into()),
            end_date: Some("2026-10-31".into()),
            sort: None,
        })
        .await
        .unwrap();
    assert_eq!(before.order_count, 0);
    assert!(before.coverages.is_empty());
    let response = client
        .send(
            Client::list_covered_resources_call(
                &scpfm_api_types::billing_plan::CoveredResourceQuery::default(),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        error_fields(&expect_status(response, 400)),
        [
            "service_id",
            "os_type",
            "server_type",
            "start_date",
            "end_date"
        ]
    );

    // Close November (after it ends): each contract's idle hours are charged at PP.
    app.clock.advance(chrono::Duration::days(10));
    let catalog = scpfm_app::catalog_file::load(None).unwrap();
    let november = scpfm_domain::month::YearMonth::new(2026, 11).unwrap();
    scpfm_app::month_close::close_month(&app.store, &catalog, november, app.clock.now())
        .await
        .unwrap();
    let bills = client
        .list_bills(&scpfm_api_types::bill::BillListQuery {
            bill_year_month: Some("2026-11".into()),
            limit: Some(100),
            ..Default::default()
        })
        .await
        .unwrap()
        .bills;
    // Windows: 2026-11-21 00:00 KST to 2026-12-01: 240 hours each; 24 covered.
    for contract in [&first, &second] {
        let line = bills
            .iter()
            .find(|b| b.resource_id == contract.contract_id)
            .unwrap();
        assert_eq!(
            dec(&line.planned_compute.krw),
            (pp * Decimal::from(216)).round_dp(3)
        );
        assert_eq!(line.bill_state, "BILLED");
    }
    // The whole month, recomputed here: 48 covered hours at PP, 24 + 1 uncovered at PG,
    // 432 idle contract hours at PP, plus the small server.
    let small: Decimal = usages
        .iter()
        .filter(|u| u.resource_name == "vm-small-name")
        .map(|u| dec(&u.amounts.krw))
        .sum();
    let expected = pp * Decimal::from(48)
        + pg * Decimal::from(25)
        + (pp * Decimal::from(216)).round_dp(3) * Decimal::TWO
        + small;
    let total: Decimal = bills.iter().map(|b| dec(&b.amounts.krw)).sum();
    assert_eq!(total, expected);
    let vm1 = bills.iter().find(|b| b.resource_id == "vm-1").unwrap();
    assert_eq!(
        dec(&vm1.planned_compute.krw) + dec(&vm1.asset.krw),
        dec(&vm1.amounts.krw)
    );
}

backend_tests!(
    contracts_cover_matching_server_hours_and_bill_the_rest,
    ended_terms_renew_or_expire_once,
    catalogue_operations_answer_from_the_catalogue,
    contracts_are_ordered_read_and_listed,
    every_change_action_follows_the_state_machine,
);
