//! Unknown fields and query parameters are refused by name, with the nearest known name or
//! the object they belong in (issue 14): a lost alert or prevention setting costs more than a
//! refused request.

use reqwest::Method;
use scpfm_api_types::budget::BudgetAccountShowResponse;
use scpfm_client::{Call, Client, RawResponse};
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{budget_create_call, error_items, expect_status, raw_call, TestApp};

/// The one error item of a 400 refusing an unknown name.
fn unknown(response: RawResponse) -> (String, String) {
    let response = expect_status(response, 400);
    let items = error_items(&response);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["code"], "UNKNOWN_FIELD");
    (
        items[0]["field"].as_str().unwrap().to_owned(),
        items[0]["detail"].as_str().unwrap().to_owned(),
    )
}

async fn send(client: &Client, call: Call<'static>) -> RawResponse {
    client.send(call).await.unwrap()
}

const BASE: &str = r#""name":"b","unit":"MONTHLY","start_month":"2026-12","amount":1000"#;

async fn misspelled_and_misplaced_budget_fields_are_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let post = |body: String| budget_create_call(body);
    let cases = [
        (
            format!(r#"{{{BASE},"notifcations":{{"is_use_notification":true}}}}"#),
            "notifcations",
            "did you mean `notifications`?",
        ),
        (
            format!(r#"{{{BASE},"thresholds":[70]}}"#),
            "thresholds",
            "`thresholds` belongs in `notifications`",
        ),
        (
            format!(r#"{{{BASE},"is_use_notification":true}}"#),
            "is_use_notification",
            "`is_use_notification` belongs in `notifications`",
        ),
        (
            format!(r#"{{{BASE},"receivers":["a@b.co"]}}"#),
            "receivers",
            "`receivers` belongs in `notifications` or `prevention`",
        ),
        (
            format!(r#"{{{BASE},"prevention":{{"is_use_prevention":true,"thresholds":70}}}}"#),
            "prevention.thresholds",
            "did you mean `threshold`?",
        ),
        (
            format!(r#"{{{BASE},"colour":"red"}}"#),
            "colour",
            "is not a field of this operation",
        ),
    ];
    for (body, field, hint) in cases {
        let (got_field, detail) = unknown(send(&client, post(body.clone())).await);
        assert_eq!(got_field, field, "{body}");
        assert!(detail.contains(hint), "{body}: {detail}");
    }
    // Nothing was created on the way.
    let page = client.list_budgets(&Default::default()).await.unwrap();
    assert_eq!(page.count, 0);
}

async fn a_set_with_a_misspelled_object_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let created: BudgetAccountShowResponse = expect_status(
        send(&client, budget_create_call(format!("{{{BASE}}}"))).await,
        201,
    )
    .json()
    .unwrap();
    let path = format!("/v1/budgets/account/{}", created.budget.id);
    let body = format!(r#"{{{BASE},"preventon":{{"is_use_prevention":true}}}}"#);
    let (field, detail) = unknown(
        send(
            &client,
            raw_call("budget", Method::PUT, &path, "", Some(body)),
        )
        .await,
    );
    assert_eq!(field, "preventon");
    assert!(detail.contains("`prevention`"), "{detail}");
    let shown = client.show_budget(&created.budget.id).await.unwrap();
    assert_eq!(shown, created);
}

async fn unknown_query_parameters_are_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let cases = [
        (
            "budget",
            "/v1/budgets/account",
            "sise=1",
            "sise",
            Some("size"),
        ),
        (
            "costexplorer",
            "/v1/bills",
            "bill_yearmonth=2026-10",
            "bill_yearmonth",
            Some("bill_year_month"),
        ),
        (
            "billingplan",
            "/v1/planned-computes",
            "stat=ACTIVE",
            "stat",
            Some("state"),
        ),
        (
            "costexplorer",
            "/v1/usages",
            "start_date=2026-11-01&end_date=2026-11-02&limt=5",
            "limt",
            Some("limit"),
        ),
        ("pricing", "/v1/reports/offerings", "x=1", "x", None),
        (
            "billingplan",
            "/v1/planned-computes/service-types",
            "page=1",
            "page",
            None,
        ),
    ];
    for (service, path, query, field, hint) in cases {
        let (got, detail) =
            unknown(send(&client, raw_call(service, Method::GET, path, query, None)).await);
        assert_eq!(got, field, "{path}?{query}");
        if let Some(hint) = hint {
            assert!(
                detail.contains(&format!("did you mean `{hint}`?")),
                "{detail}"
            );
        }
    }
}

/// A size or limit over the maximum is served as the maximum (issue 18: SCP's Terraform
/// provider asks for `size=2147483647`); zero, negative and non-numeric stay 400s.
async fn huge_page_sizes_are_served_as_the_largest_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let usage_window = "start_date=2026-11-01&end_date=2026-11-02";
    let cases = [
        ("budget", "/v1/budgets/account", "size", "", "size"),
        ("pricing", "/v1/reports/prices", "size", "", "size"),
        ("costexplorer", "/v1/payments/monthly", "size", "", "size"),
        ("costexplorer", "/v1/bills", "limit", "", ""),
        ("costexplorer", "/v1/usages", "limit", usage_window, ""),
        ("billingplan", "/v1/planned-computes", "limit", "", ""),
    ];
    for (service, path, name, extra, echoed) in cases {
        let join = |value: &str| {
            if extra.is_empty() {
                format!("{name}={value}")
            } else {
                format!("{extra}&{name}={value}")
            }
        };
        let response = expect_status(
            send(
                &client,
                raw_call(service, Method::GET, path, &join("2147483647"), None),
            )
            .await,
            200,
        );
        if !echoed.is_empty() {
            let body: serde_json::Value = response.json().unwrap();
            assert_eq!(body[echoed], 1000, "{path}");
        }
        for wrong in ["0", "-1", "many"] {
            let response = send(
                &client,
                raw_call(service, Method::GET, path, &join(wrong), None),
            )
            .await;
            let items = error_items(&expect_status(response, 400));
            assert_eq!(items[0]["field"], name, "{path} {wrong}");
        }
    }
}

backend_tests!(
    misspelled_and_misplaced_budget_fields_are_named,
    a_set_with_a_misspelled_object_changes_nothing,
    unknown_query_parameters_are_named,
    huge_page_sizes_are_served_as_the_largest_page,
);
