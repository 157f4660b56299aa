//! Hostile and heavy input (issue 14): each answered 4xx in SCP's error envelope on both
//! engines, never a 500; and a flood of idle or half-open connections does not keep a signed
//! request from being answered.

use std::time::Duration;

use reqwest::Method;
use scpfm_api_types::billing_plan::PlannedComputeCreateRequest;
use scpfm_client::{Call, Client, RawResponse};
use scpfm_config::Settings;
use scpfm_testkit::{backend_tests, Backend};
use tokio::io::AsyncWriteExt;

use crate::helpers::{budget_create_call, error_items, expect_status, raw_call, TestApp};

/// A 4xx with the envelope, naming `field` when given.
fn refused(response: RawResponse, status: u16, field: Option<&str>) -> Vec<serde_json::Value> {
    let response = expect_status(response, status);
    let items = error_items(&response);
    if let Some(field) = field {
        assert!(
            items.iter().any(|item| item["field"] == field),
            "{field}: {items:?}"
        );
    }
    items
}

async fn send(client: &Client, call: Call<'static>) -> RawResponse {
    client.send(call).await.unwrap()
}

async fn long_search_patterns_are_400s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    for (name, text) in [
        ("search_name", "_".repeat(25_000)),
        ("search_name", "a".repeat(50_000)),
        ("budget_name", "b".repeat(65)),
    ] {
        let query = format!("{name}={text}");
        let items = refused(
            send(
                &client,
                raw_call("budget", Method::GET, "/v1/budgets/account", &query, None),
            )
            .await,
            400,
            Some(name),
        );
        assert_eq!(items[0]["code"], "INVALID_PARAMETER");
    }
    // The longest name a stored budget can have still searches.
    let query = format!("search_name={}", "_".repeat(64));
    expect_status(
        send(
            &client,
            raw_call("budget", Method::GET, "/v1/budgets/account", &query, None),
        )
        .await,
        200,
    );
}

async fn control_characters_are_400s_everywhere(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let budget = crate::helpers::create_budget_from(
        &client,
        serde_json::json!({"name": "b", "unit": "MONTHLY", "start_month": "2026-12", "amount": 1000}),
    )
    .await;
    let contract = client
        .create_planned_compute(&PlannedComputeCreateRequest {
            service_id: Some("VIRTUAL_SERVER".into()),
            server_type: Some("s1v2m4".into()),
            os_type: Some("OPEN_SOURCE".into()),
            contract_type: Some("01".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .planned_compute
        .id;
    let usage_window = "start_date=2026-11-01&end_date=2026-11-02";
    let cases = [
        (
            "budget",
            Method::GET,
            "/v1/budgets/account".to_owned(),
            "search_name=a%00b".to_owned(),
            None,
            "search_name",
        ),
        (
            "budget",
            Method::GET,
            "/v1/budgets/account".to_owned(),
            "budget_name=%00".to_owned(),
            None,
            "budget_name",
        ),
        (
            "budget",
            Method::GET,
            format!("/v1/budgets/account/{budget}%00"),
            String::new(),
            None,
            "budget_id",
        ),
        (
            "budget",
            Method::DELETE,
            "/v1/budgets/account/%00".to_owned(),
            String::new(),
            None,
            "budget_id",
        ),
        (
            "budget",
            Method::PUT,
            "/v1/budgets/account/a%00".to_owned(),
            String::new(),
            Some(r#"{"name":"b"}"#.to_owned()),
            "budget_id",
        ),
        (
            "billingplan",
            Method::GET,
            format!("/v1/planned-computes/{contract}%00"),
            String::new(),
            None,
            "planned_compute_id",
        ),
        (
            "billingplan",
            Method::PUT,
            "/v1/planned-computes/%00x".to_owned(),
            String::new(),
            Some(r#"{"action":"EXTEND_CANCEL"}"#.to_owned()),
            "planned_compute_id",
        ),
        (
            "billingplan",
            Method::GET,
            "/v1/planned-computes".to_owned(),
            "created_by=a%00".to_owned(),
            None,
            "created_by",
        ),
        (
            "billingplan",
            Method::GET,
            "/v1/planned-computes".to_owned(),
            "modified_by=%00".to_owned(),
            None,
            "modified_by",
        ),
        (
            "billingplan",
            Method::GET,
            "/v1/planned-computes".to_owned(),
            "server_type=s1%00".to_owned(),
            None,
            "server_type",
        ),
        (
            "billingplan",
            Method::POST,
            "/v1/planned-computes/cancellation-fee".to_owned(),
            String::new(),
            Some(r#"{"planned_compute_id":["a\u0000"]}"#.to_owned()),
            "planned_compute_id[0]",
        ),
        (
            "costexplorer",
            Method::GET,
            "/v1/usages".to_owned(),
            format!("{usage_window}&resource_name=web%00"),
            None,
            "resource_name",
        ),
        (
            "costexplorer",
            Method::GET,
            "/v1/bills".to_owned(),
            "resource_name=%1f".to_owned(),
            None,
            "resource_name",
        ),
        (
            "budget",
            Method::POST,
            "/v1/budgets/account".to_owned(),
            String::new(),
            Some(
                r#"{"name":"a\nb","unit":"MONTHLY","start_month":"2026-12","amount":1}"#.to_owned(),
            ),
            "name",
        ),
    ];
    for (service, method, path, query, body, field) in cases {
        let response = send(
            &client,
            raw_call(service, method.clone(), &path, &query, body),
        )
        .await;
        let items = refused(response, 400, Some(field));
        assert!(
            items[0]["detail"]
                .as_str()
                .unwrap()
                .contains("control characters"),
            "{method} {path}?{query}: {items:?}"
        );
    }
}

async fn bodies_over_the_limit_are_413s_in_the_envelope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let admin = app.client(&app.admin("ops").await);
    let huge = format!(r#"{{"name":"{}"}}"#, "x".repeat(3 * 1024 * 1024));
    let items = refused(send(&client, budget_create_call(huge)).await, 413, None);
    assert_eq!(items[0]["code"], "PAYLOAD_TOO_LARGE");
    let records = format!("[{}]", vec![r#"{"record_id":"r"}"#; 2_100_000].join(","));
    assert!(records.len() > scpfm_server::body_limit::ADMIN_BODY_LIMIT);
    let items = refused(
        send(
            &admin,
            raw_call(
                "admin",
                Method::POST,
                "/v1/admin/usage-records",
                "",
                Some(records),
            ),
        )
        .await,
        413,
        None,
    );
    assert_eq!(items[0]["code"], "PAYLOAD_TOO_LARGE");
}

async fn an_idle_flood_does_not_keep_a_signed_request_waiting(backend: Backend) {
    let mut settings = Settings::default();
    settings.server.max_connections = 64;
    settings.server.header_read_timeout_seconds = 1;
    let app = TestApp::spawn_with(backend, settings, None).await;
    let client = app.client(&app.account("acme").await);
    // More idle connections than the server takes, and half-open ones dribbling headers.
    let mut flood = Vec::new();
    for idx in 0..200 {
        let mut stream = tokio::net::TcpStream::connect(app.server.addr)
            .await
            .unwrap();
        if idx % 4 == 0 {
            let _ = stream
                .write_all(b"GET /v1/budgets/account HTTP/1.1\r\nHost: x\r\n")
                .await;
        }
        flood.push(stream);
    }
    let answered = tokio::time::timeout(
        Duration::from_secs(20),
        client.list_budgets(&Default::default()),
    )
    .await
    .expect("a signed request is answered while the flood holds its connections");
    assert_eq!(answered.unwrap().count, 0);
    drop(flood);
}

async fn a_body_that_does_not_arrive_in_time_is_a_408(backend: Backend) {
    let mut settings = Settings::default();
    settings.server.request_timeout_seconds = 1;
    let app = TestApp::spawn_with(backend, settings, None).await;
    let account = app.account("acme").await;
    let mut connection = crate::raw_http::RawConnection::open(app.server.addr).await;
    let timestamp = {
        use scpfm_app::clock::Clock as _;
        app.clock.now().timestamp_millis()
    };
    // Headers promise 100 bytes; 10 arrive, then nothing.
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        connection.signed_partial(
            &account,
            "POST",
            "/v1/budgets/account",
            100,
            b"{\"name\":\"x",
            timestamp,
        ),
    )
    .await
    .expect("the server answers instead of waiting for ever")
    .expect("an answer");
    assert_eq!(answer.status, 408);
    assert_eq!(answer.json()["errors"][0]["code"], "REQUEST_TIMEOUT");
}

backend_tests!(
    long_search_patterns_are_400s,
    control_characters_are_400s_everywhere,
    bodies_over_the_limit_are_413s_in_the_envelope,
    an_idle_flood_does_not_keep_a_signed_request_waiting,
    a_body_that_does_not_arrive_in_time_is_a_408,
);
