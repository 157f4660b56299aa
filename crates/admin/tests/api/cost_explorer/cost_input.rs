//! Cost analysis input: tagged usage through the ingestion API (grouped by a tag, untagged
//! records in the `""` group; bad tags refused by name), and every bad parameter of the cost
//! query, the forecast and the export refused with SCP's error envelope naming it.

use std::collections::BTreeMap;

use scpfm_api_types::cost::CostAndUsageQuery;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{error_fields, error_items, expect_status, raw_call, vm_hour, TestApp};

async fn tagged_usage_is_grouped_by_its_tags(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("ops").await;
    let account = app.account("tagged").await;
    let ops = app.client(&admin);
    let mut web = vm_hour(&account, "vm-web", "2026-11-02T10:00:00");
    web.tags = Some(BTreeMap::from([
        ("team".into(), "web".into()),
        ("env".into(), "prod".into()),
    ]));
    let mut data = vm_hour(&account, "vm-data", "2026-11-02T10:00:00");
    data.tags = Some(BTreeMap::from([("team".into(), "data".into())]));
    let untagged = vm_hour(&account, "vm-plain", "2026-11-02T10:00:00");
    ops.ingest_usage(&[web, data, untagged]).await.unwrap();
    let client = app.client(&account);
    let answer = client
        .cost_and_usage(&CostAndUsageQuery {
            start_date: Some("2026-11-01".into()),
            end_date: Some("2026-11-30".into()),
            granularity: Some("MONTHLY".into()),
            group_by: Some(vec!["TAG:team".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let groups: Vec<(String, String)> = answer.results[0]
        .groups
        .iter()
        .map(|g| (g.keys[0].clone(), g.metrics.net_cost.clone().unwrap().krw))
        .collect();
    // Three equal hours (22.6 KRW each), ordered by key when the cost ties.
    assert_eq!(
        groups,
        [
            ("".into(), "22.600".into()),
            ("data".into(), "22.600".into()),
            ("web".into(), "22.600".into())
        ]
    );
    assert_eq!(
        answer.results[0].total.net_cost.as_ref().unwrap().krw,
        "67.800"
    );
    // Bad tags are refused by name, and nothing of the batch is stored.
    let mut bad = vm_hour(&account, "vm-bad", "2026-11-03T10:00:00");
    bad.tags = Some(BTreeMap::from([("team;x".into(), "web".into())]));
    let body = serde_json::to_string(&[bad]).unwrap();
    let response = ops
        .send(raw_call(
            "admin",
            reqwest::Method::POST,
            "/v1/admin/usage-records",
            "",
            Some(body),
        ))
        .await
        .unwrap();
    let response = expect_status(response, 400);
    assert!(
        error_fields(&response).iter().any(|f| f.contains("tags")),
        "{:?}",
        error_items(&response)
    );
}

/// Each query is refused with a 400 naming `field`.
async fn refused(
    client: &scpfm_client::Client,
    path: &str,
    query: &str,
    field: &str,
) -> Vec<serde_json::Value> {
    let response = client
        .send(raw_call(
            "costexplorer",
            reqwest::Method::GET,
            path,
            query,
            None,
        ))
        .await
        .unwrap();
    let response = expect_status(response, 400);
    assert!(
        error_fields(&response).iter().any(|f| f == field),
        "{path}?{query}: {:?}",
        error_items(&response)
    );
    error_items(&response)
}

async fn bad_cost_parameters_are_refused_by_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let caller = app.account("caller").await;
    let app = app.client(&caller);
    let base = "start_date=2026-10-01&end_date=2026-10-31&granularity=DAILY";
    let cost = "/v1/cost-and-usage";
    let cases = [
        (
            format!("{base}&group_by=REGION&group_by=ACCOUNT&group_by=RESOURCE"),
            "group_by",
        ),
        (format!("{base}&group_by=PROJECT"), "group_by"),
        (
            "start_date=2026-01-01&end_date=2027-02-01&granularity=DAILY".into(),
            "end_date",
        ),
        (
            "start_date=2026-10-01&end_date=2026-10-20&granularity=HOURLY".into(),
            "end_date",
        ),
        (
            "start_date=2026-10-31&end_date=2026-10-01&granularity=DAILY".into(),
            "end_date",
        ),
        (format!("{base}&tag=team"), "tag"),
        (format!("{base}&metrics=COST"), "metrics"),
        (format!("{base}&offering=XX"), "offering"),
        (
            "start_date=2026-10-01&end_date=2026-10-31&granularity=WEEKLY".into(),
            "granularity",
        ),
        ("end_date=2026-10-31&granularity=DAILY".into(), "start_date"),
        (format!("{base}&colour=blue"), "colour"),
        (format!("{base}&marker=abc"), "marker"),
    ];
    for (query, field) in &cases {
        refused(&app, cost, query, field).await;
    }
    let forecast = "/v1/cost-and-usage/forecast";
    refused(
        &app,
        forecast,
        "start_date=2026-11-01&end_date=2026-11-30&granularity=MONTHLY",
        "start_date",
    )
    .await;
    refused(
        &app,
        forecast,
        "start_date=2026-11-20&end_date=2026-11-30&granularity=HOURLY",
        "granularity",
    )
    .await;
    refused(
        &app,
        forecast,
        "start_date=2026-11-20&end_date=2026-11-30&granularity=DAILY&group_by=REGION&group_by=ACCOUNT",
        "group_by",
    )
    .await;
    // An export of an open or unknown period says which periods exist.
    let items = refused(
        &app,
        "/v1/exports/focus",
        "billing_period=2026-11",
        "billing_period",
    )
    .await;
    assert!(
        items[0]["detail"]
            .as_str()
            .unwrap()
            .contains("no billing period is closed"),
        "{items:?}"
    );
    refused(
        &app,
        "/v1/exports/focus",
        "billing_period=2026-13",
        "billing_period",
    )
    .await;
    refused(
        &app,
        "/v1/exports/focus",
        "billing_period=2026-10&focus_version=2.0",
        "focus_version",
    )
    .await;
}

backend_tests!(
    tagged_usage_is_grouped_by_its_tags,
    bad_cost_parameters_are_refused_by_name
);
