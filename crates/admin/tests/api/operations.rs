//! Health, readiness, the OpenAPI document, and answers to unknown routes.

use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::TestApp;

async fn health_and_readiness_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/healthz", "/readyz"] {
        let response = reqwest::get(format!("{}{path}", app.url())).await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers().contains_key("x-request-id"),
            "every response carries a request id"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}

async fn the_openapi_document_lists_the_budget_operations(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let document: serde_json::Value = reqwest::get(format!("{}/openapi.json", app.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = &document["paths"];
    let operation = |path: &str, method: &str| {
        paths[path][method]["operationId"]
            .as_str()
            .map(str::to_owned)
    };
    assert_eq!(
        operation("/v1/budgets/account", "post").as_deref(),
        Some("CreateAccountBudget")
    );
    assert_eq!(
        operation("/v1/budgets/account", "get").as_deref(),
        Some("ListAccountBudgets")
    );
    assert_eq!(
        operation("/v1/budgets/account/{budget_id}", "get").as_deref(),
        Some("ShowAccountBudget")
    );
    assert_eq!(
        operation("/v1/budgets/account/{budget_id}", "put").as_deref(),
        Some("SetAccountBudget")
    );
    assert_eq!(
        operation("/v1/budgets/account/{budget_id}", "delete").as_deref(),
        Some("DeleteAccountBudget")
    );
    assert!(paths["/v1/budgets/account/{budget_id}"]["get"]["responses"]["201"].is_object());
    let schemas = &document["components"]["schemas"];
    for schema in [
        "BudgetCreateRequest",
        "BudgetAccountShowResponse",
        "BudgetAccountPageResponse",
        "NotificationSettingNew",
        "PreventionSetting",
    ] {
        assert!(schemas[schema].is_object(), "schema {schema}");
    }
    let detail = &schemas["BudgetShowDetail"]["properties"];
    for field in [
        "amount",
        "created_at",
        "created_by",
        "id",
        "modified_at",
        "modified_by",
        "name",
        "start_month",
        "type",
        "unit",
    ] {
        assert!(detail[field].is_object(), "BudgetShowDetail.{field}");
    }
}

async fn unknown_routes_and_methods_get_the_error_envelope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = reqwest::Client::new();
    let missing = client
        .get(format!("{}/v1/nothing-here", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "NOT_FOUND");
    let wrong_method = client
        .patch(format!("{}/v1/budgets/account", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    let body: serde_json::Value = wrong_method.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "METHOD_NOT_ALLOWED");
}

async fn metrics_count_requests_by_route_and_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    client.list_budgets(&Default::default()).await.unwrap();
    let missing = client.show_budget("0123456789abcdef0123456789abcdef").await;
    assert!(missing.is_err());
    let response = reqwest::get(format!("{}/metrics", app.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    let text = response.text().await.unwrap();
    for expected in [
        r#"scpfm_http_requests_total{method="GET",route="/v1/budgets/account",status="200"} 1"#,
        r#"scpfm_http_requests_total{method="GET",route="/v1/budgets/account/{budget_id}",status="404"} 1"#,
        r#"scpfm_http_request_duration_seconds_count{method="GET",route="/v1/budgets/account"} 1"#,
        "scpfm_http_open_connections ",
        "scpfm_usage_records_stored_total 0",
        "scpfm_budget_evaluations_total 0",
        r#"scpfm_db_connections{state="open"}"#,
        "scpfm_db_connections_max ",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    // Ids never become labels.
    assert!(!text.contains("0123456789abcdef"));
}

async fn metrics_can_be_switched_off(backend: Backend) {
    let mut settings = scpfm_config::Settings::default();
    settings.metrics.enabled = false;
    let app = TestApp::spawn_with(backend, settings, None).await;
    let response = reqwest::get(format!("{}/metrics", app.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

backend_tests!(
    metrics_count_requests_by_route_and_status,
    metrics_can_be_switched_off,
    health_and_readiness_answer,
    the_openapi_document_lists_the_budget_operations,
    unknown_routes_and_methods_get_the_error_envelope,
);
