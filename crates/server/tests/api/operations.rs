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

backend_tests!(
    health_and_readiness_answer,
    the_openapi_document_lists_the_budget_operations,
    unknown_routes_and_methods_get_the_error_envelope,
);
