//! Budget service: every operation, every validation rule, conflicts, scoping and paging.

use std::collections::HashSet;

use reqwest::Method;
use scpfm_api_types::budget::{
    BudgetAccountPageResponse, BudgetAccountShowResponse, BudgetCreateRequest, BudgetListQuery,
    BudgetSetRequest, NotificationSettingNew, PreventionSettingNew,
};
use scpfm_client::{Call, Client};
use scpfm_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::helpers::{
    budget_create_call, error_code, error_fields, error_items, expect_status, TestApp,
};

fn create_request(name: &str) -> BudgetCreateRequest {
    BudgetCreateRequest {
        amount: Some(1_000_000),
        name: Some(name.into()),
        notifications: Some(NotificationSettingNew {
            is_use_notification: Some(true),
            notification_send_period: Some("FIRST".into()),
            receivers: Some(vec![
                "test_user1@test.com".into(),
                "test_user2@test.com".into(),
            ]),
            thresholds: Some(vec![80]),
        }),
        prevention: Some(PreventionSettingNew {
            is_use_prevention: Some(true),
            receivers: Some(vec!["test_user1@test.com".into()]),
            threshold: Some(90),
        }),
        start_month: Some("2026-01".into()),
        unit: Some("MONTHLY".into()),
    }
}

/// POSTs raw JSON bytes to the budget collection.
async fn create(client: &Client, name: &str) -> BudgetAccountShowResponse {
    let response = client
        .send(Client::create_budget_call(&create_request(name)).unwrap())
        .await
        .unwrap();
    expect_status(response, 201).json().unwrap()
}

async fn every_operation_works_with_its_documented_status(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let client = app.client(&account);

    let created = create(&client, "test_budget").await;
    let budget = &created.budget;
    assert_eq!(budget.id.len(), 32);
    assert_eq!(
        (
            budget.name.as_str(),
            budget.unit.as_str(),
            budget.start_month.as_str()
        ),
        ("test_budget", "MONTHLY", "2026-01")
    );
    assert_eq!(
        (budget.amount, budget.budget_type.as_str()),
        (1_000_000, "COST")
    );
    assert_eq!(
        budget.created_at, "2026-11-20T12:00:00",
        "timestamps are KST"
    );
    assert_eq!(
        (budget.created_by.as_str(), budget.modified_by.as_str()),
        ("tester", "tester")
    );
    assert!(created.notifications.is_use_notification);
    assert_eq!(
        created.notifications.receivers,
        ["test_user1@test.com", "test_user2@test.com"]
    );
    assert_eq!(created.notifications.thresholds, [80]);
    assert_eq!(
        (
            created.prevention.is_use_prevention,
            created.prevention.threshold
        ),
        (true, 90)
    );

    let shown = expect_status(
        client
            .send(Client::show_budget_call(&budget.id))
            .await
            .unwrap(),
        201,
    );
    assert_eq!(shown.json::<BudgetAccountShowResponse>().unwrap(), created);

    let listed = expect_status(
        client
            .send(Client::list_budgets_call(&BudgetListQuery::default()).unwrap())
            .await
            .unwrap(),
        200,
    );
    let page: BudgetAccountPageResponse = listed.json().unwrap();
    assert_eq!((page.count, page.page, page.size), (1, 0, 20));
    assert_eq!(page.sort, Some(vec!["created_at:desc".to_owned()]));
    assert_eq!(page.budgets[0].id, budget.id);

    app.clock.advance(chrono::Duration::minutes(5));
    let mut change = create_request("renamed");
    change.amount = Some(2_500_000);
    change.unit = Some("OVERALL".into());
    change.notifications = Some(NotificationSettingNew {
        thresholds: Some(vec![100, 70]),
        ..Default::default()
    });
    change.prevention = None;
    let set = expect_status(
        client
            .send(Client::set_budget_call(&budget.id, &BudgetSetRequest(change)).unwrap())
            .await
            .unwrap(),
        200,
    );
    let updated: BudgetAccountShowResponse = set.json().unwrap();
    assert_eq!(
        (
            updated.budget.name.as_str(),
            updated.budget.amount,
            updated.budget.unit.as_str()
        ),
        ("renamed", 2_500_000, "OVERALL")
    );
    assert_eq!(updated.budget.created_at, "2026-11-20T12:00:00");
    assert_eq!(updated.budget.modified_at, "2026-11-20T12:05:00");
    assert_eq!(
        updated.notifications.thresholds,
        [70, 100],
        "given fields change"
    );
    assert_eq!(
        updated.notifications.receivers, created.notifications.receivers,
        "left-out fields stay"
    );
    assert_eq!(
        updated.prevention, created.prevention,
        "a left-out settings object stays"
    );

    expect_status(
        client
            .send(Client::delete_budget_call(&budget.id))
            .await
            .unwrap(),
        204,
    );
    let gone = expect_status(
        client
            .send(Client::show_budget_call(&budget.id))
            .await
            .unwrap(),
        404,
    );
    assert_eq!(error_code(&gone), "NOT_FOUND");
    expect_status(
        client
            .send(Client::delete_budget_call(&budget.id))
            .await
            .unwrap(),
        404,
    );
    let missing_set = client
        .send(Client::set_budget_call(&budget.id, &BudgetSetRequest(create_request("x"))).unwrap())
        .await
        .unwrap();
    expect_status(missing_set, 404);
}

async fn budgets_without_settings_objects_have_both_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let response = client
        .send(budget_create_call(
            r#"{"amount": 5, "name": "bare", "start_month": "2026-02", "unit": "OVERALL"}"#,
        ))
        .await
        .unwrap();
    let created: BudgetAccountShowResponse = expect_status(response, 201).json().unwrap();
    assert!(!created.notifications.is_use_notification);
    assert!(!created.prevention.is_use_prevention);
    assert_eq!(created.prevention.threshold, 80);
}

/// Each case: a body and the fields the 400 must name.
async fn every_invalid_field_is_a_400_naming_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let valid = serde_json::to_value(create_request("ok")).unwrap();
    let with = |path: &[&str], value: serde_json::Value| {
        let mut body = valid.clone();
        let mut cursor = &mut body;
        for key in &path[..path.len() - 1] {
            cursor = &mut cursor[*key];
        }
        cursor[path[path.len() - 1]] = value;
        body.to_string()
    };
    let without = |key: &str| {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(key);
        body.to_string()
    };
    let long_name = "n".repeat(65);
    const PARAMETER: &str = "INVALID_PARAMETER";
    const REQUEST: &str = "INVALID_REQUEST";
    #[rustfmt::skip]
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        // SCP's user guide: at most 20 characters of Korean, English letters, digits, spaces
        // and +=.,@-_ (issue 14).
        (with(&["name"], json!("n".repeat(21))), vec!["name"], PARAMETER),
        (with(&["name"], json!("50% off")), vec!["name"], PARAMETER),
        (with(&["name"], json!("a/b")), vec!["name"], PARAMETER),
        (with(&["unit"], json!("WEEKLY")), vec!["unit"], PARAMETER),
        (with(&["unit"], json!("monthly")), vec!["unit"], PARAMETER),
        (with(&["start_month"], json!("2026-13")), vec!["start_month"], PARAMETER),
        (with(&["start_month"], json!("2026-1")), vec!["start_month"], PARAMETER),
        (with(&["start_month"], json!("2026-01-01")), vec!["start_month"], PARAMETER),
        (with(&["amount"], json!(0)), vec!["amount"], PARAMETER),
        (with(&["amount"], json!(-10)), vec!["amount"], PARAMETER),
        (with(&["amount"], json!("1000")), vec!["amount"], REQUEST),
        (with(&["amount"], json!(1.5)), vec!["amount"], REQUEST),
        (with(&["amount"], json!(1e30)), vec!["amount"], REQUEST),
        (with(&["name"], json!("")), vec!["name"], PARAMETER),
        (with(&["name"], json!("   ")), vec!["name"], PARAMETER),
        (with(&["name"], json!(long_name)), vec!["name"], PARAMETER),
        (with(&["name"], json!(5)), vec!["name"], REQUEST),
        (without("name"), vec!["name"], PARAMETER),
        (without("unit"), vec!["unit"], PARAMETER),
        (without("amount"), vec!["amount"], PARAMETER),
        (without("start_month"), vec!["start_month"], PARAMETER),
        (with(&["notifications", "thresholds"], json!([75])), vec!["notifications.thresholds[0]"], PARAMETER),
        (with(&["notifications", "thresholds"], json!(["80"])), vec!["notifications.thresholds[0]"], REQUEST),
        (with(&["notifications", "thresholds"], json!(80)), vec!["notifications.thresholds"], REQUEST),
        (with(&["notifications", "thresholds"], json!([])), vec!["notifications.thresholds"], PARAMETER),
        (with(&["notifications", "notification_send_period"], json!("WEEKLY")), vec!["notifications.notification_send_period"], PARAMETER),
        (with(&["notifications", "receivers"], json!(["a@b.co", "nope"])), vec!["notifications.receivers[1]"], PARAMETER),
        (with(&["notifications", "receivers"], json!([])), vec!["notifications.receivers"], PARAMETER),
        (with(&["notifications", "is_use_notification"], json!("yes")), vec!["notifications.is_use_notification"], REQUEST),
        (with(&["prevention", "threshold"], json!(60)), vec!["prevention.threshold"], PARAMETER),
        (with(&["prevention", "receivers"], json!(["x@"])), vec!["prevention.receivers[0]"], PARAMETER),
        (with(&["prevention", "is_use_prevention"], json!(1)), vec!["prevention.is_use_prevention"], REQUEST),
        (json!({"name": "", "unit": "X", "start_month": "bad", "amount": 0}).to_string(), vec!["name", "unit", "start_month", "amount"], PARAMETER),
        ("{\"name\": ".to_owned(), vec![], REQUEST),
        ("[1, 2]".to_owned(), vec!["body"], REQUEST),
        (String::new(), vec![], REQUEST),
        ("not json".to_owned(), vec![], REQUEST),
    ];
    for (body, fields, code) in cases {
        let response = expect_status(
            client
                .send(budget_create_call(body.as_str()))
                .await
                .unwrap(),
            400,
        );
        assert_eq!(error_fields(&response), fields, "body {body}");
        assert_eq!(error_code(&response), code, "body {body}");
        let details: Vec<String> = error_items(&response)
            .iter()
            .map(|item| item["detail"].as_str().unwrap().to_owned())
            .collect();
        for (detail, field) in details.iter().zip(&fields) {
            assert!(detail.contains(field), "detail {detail:?} names {field}");
        }
    }
    let listed: BudgetAccountPageResponse = client
        .list_budgets(&BudgetListQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.count, 0, "no invalid request stored anything");
}

async fn errors_are_written_in_the_requested_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut request = create_request("b");
    request.unit = Some("WEEKLY".into());
    let first_detail = |client: Client| {
        let request = request.clone();
        async move {
            let call = Client::create_budget_call(&request).unwrap();
            let response = expect_status(client.send(call).await.unwrap(), 400);
            error_items(&response)[0]["detail"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(
        first_detail(app.korean_client(&account)).await,
        "unit 값은 MONTHLY, OVERALL 중 하나여야 합니다 (입력값: \"WEEKLY\")"
    );
    assert_eq!(
        first_detail(app.client(&account)).await,
        "unit must be one of MONTHLY, OVERALL (got \"WEEKLY\")"
    );
}

async fn duplicate_names_conflict_on_create_and_rename(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let client = app.client(&account);
    create(&client, "taken").await;
    let other = create(&client, "other").await;
    let duplicate = expect_status(
        client
            .send(Client::create_budget_call(&create_request("taken")).unwrap())
            .await
            .unwrap(),
        409,
    );
    assert_eq!(error_code(&duplicate), "DUPLICATE_NAME");
    let rename = BudgetSetRequest(create_request("taken"));
    expect_status(
        client
            .send(Client::set_budget_call(&other.budget.id, &rename).unwrap())
            .await
            .unwrap(),
        409,
    );
    let keep_name = BudgetSetRequest(create_request("other"));
    expect_status(
        client
            .send(Client::set_budget_call(&other.budget.id, &keep_name).unwrap())
            .await
            .unwrap(),
        200,
    );
    let second_account = app.account("globex").await;
    create(&app.client(&second_account), "taken").await;
}

async fn fifty_concurrent_creates_of_one_name_yield_one_budget(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let attempts = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .send(Client::create_budget_call(&create_request("race")).unwrap())
                .await
                .unwrap()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap().status.as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let query = BudgetListQuery {
        budget_name: Some("race".into()),
        ..Default::default()
    };
    assert_eq!(client.list_budgets(&query).await.unwrap().count, 1);
}

async fn another_accounts_budget_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.client(&app.account("owner").await);
    let stranger = app.client(&app.account("stranger").await);
    let budget = create(&owner, "private").await.budget;
    expect_status(
        stranger
            .send(Client::show_budget_call(&budget.id))
            .await
            .unwrap(),
        404,
    );
    let set = BudgetSetRequest(create_request("hijacked"));
    expect_status(
        stranger
            .send(Client::set_budget_call(&budget.id, &set).unwrap())
            .await
            .unwrap(),
        404,
    );
    expect_status(
        stranger
            .send(Client::delete_budget_call(&budget.id))
            .await
            .unwrap(),
        404,
    );
    assert_eq!(
        stranger
            .list_budgets(&BudgetListQuery::default())
            .await
            .unwrap()
            .count,
        0
    );
    let still_there = owner.show_budget(&budget.id).await.unwrap();
    assert_eq!(still_there.budget.name, "private");
    expect_status(
        owner
            .send(Client::show_budget_call("not-a-budget-id"))
            .await
            .unwrap(),
        404,
    );
}

async fn paging_returns_every_budget_once_in_a_total_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let mut expected = HashSet::new();
    for idx in 0..23 {
        let mut request = create_request(&format!("Budget {idx:02}"));
        // Few distinct amounts: the order must still be total.
        request.amount = Some(1000 * (idx % 3 + 1));
        let response = client
            .send(Client::create_budget_call(&request).unwrap())
            .await
            .unwrap();
        let created: BudgetAccountShowResponse = expect_status(response, 201).json().unwrap();
        expected.insert(created.budget.id);
    }
    for sort in [
        "amount:desc",
        "created_at:asc",
        "name:desc",
        "unit:asc,amount:asc",
        "modified_at",
        "start_month:desc",
    ] {
        let mut seen = Vec::new();
        for page in 0..5 {
            let query = BudgetListQuery {
                size: Some(5),
                page: Some(page),
                sort: Some(sort.into()),
                ..Default::default()
            };
            let listed = client.list_budgets(&query).await.unwrap();
            assert_eq!(listed.count, 23);
            assert_eq!((listed.page, listed.size), (page, 5));
            seen.extend(listed.budgets.into_iter().map(|b| b.id));
        }
        assert_eq!(seen.len(), 23, "{sort}");
        assert_eq!(
            seen.iter().cloned().collect::<HashSet<_>>(),
            expected,
            "{sort}: every budget exactly once"
        );
    }
    let beyond = BudgetListQuery {
        size: Some(5),
        page: Some(9),
        ..Default::default()
    };
    let empty = client.list_budgets(&beyond).await.unwrap();
    assert_eq!((empty.count, empty.budgets.len()), (23, 0));

    let by_name = BudgetListQuery {
        sort: Some("name:asc".into()),
        size: Some(3),
        ..Default::default()
    };
    let names: Vec<String> = client
        .list_budgets(&by_name)
        .await
        .unwrap()
        .budgets
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["Budget 00", "Budget 01", "Budget 02"]);
}

async fn list_filters_by_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    for name in ["Team Alpha", "team alpha 2", "Beta", "ALPHA_ops", "50_off"] {
        create(&client, name).await;
    }
    let names = |page: BudgetAccountPageResponse| {
        let mut names: Vec<String> = page.budgets.into_iter().map(|b| b.name).collect();
        names.sort();
        (page.count, names)
    };
    let contains = BudgetListQuery {
        search_name: Some("alpha".into()),
        ..Default::default()
    };
    assert_eq!(
        names(client.list_budgets(&contains).await.unwrap()),
        (
            3,
            vec![
                "ALPHA_ops".into(),
                "Team Alpha".into(),
                "team alpha 2".into()
            ]
        )
    );
    // `_` is a LIKE wildcard: searched for as itself.
    let underscore = BudgetListQuery {
        search_name: Some("_".into()),
        ..Default::default()
    };
    assert_eq!(
        names(client.list_budgets(&underscore).await.unwrap()),
        (2, vec!["50_off".into(), "ALPHA_ops".into()])
    );
    let exact = BudgetListQuery {
        budget_name: Some("Beta".into()),
        ..Default::default()
    };
    assert_eq!(
        names(client.list_budgets(&exact).await.unwrap()),
        (1, vec!["Beta".into()])
    );
    let exact_is_case_sensitive = BudgetListQuery {
        budget_name: Some("beta".into()),
        ..Default::default()
    };
    assert_eq!(
        client
            .list_budgets(&exact_is_case_sensitive)
            .await
            .unwrap()
            .count,
        0
    );
    let both = BudgetListQuery {
        search_name: Some("alpha".into()),
        budget_name: Some("Team Alpha".into()),
        ..Default::default()
    };
    assert_eq!(client.list_budgets(&both).await.unwrap().count, 1);
}

async fn invalid_list_parameters_are_400s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    for (query, field) in [
        ("sort=price:asc", "sort"),
        ("sort=name:up", "sort"),
        ("sort=name,name", "sort"),
        ("size=0", "size"),
        ("size=-5", "size"),
        ("size=abc", "size"),
        ("page=-1", "page"),
        ("page=x", "page"),
    ] {
        let call = Call {
            service: "budget",
            method: Method::GET,
            path: "/v1/budgets/account".into(),
            query: query.into(),
            body: None,
        };
        let response = expect_status(client.send(call).await.unwrap(), 400);
        assert_eq!(error_fields(&response), [field], "{query}");
    }
}

async fn the_api_version_header_must_name_this_service(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let client = app.client(&account);
    expect_status(
        client
            .send(Client::list_budgets_call(&BudgetListQuery::default()).unwrap())
            .await
            .unwrap(),
        200,
    );
    let wrong = Call {
        service: "billingplan",
        method: Method::GET,
        path: "/v1/budgets/account".into(),
        query: String::new(),
        body: None,
    };
    let response = expect_status(client.send(wrong).await.unwrap(), 400);
    assert_eq!(error_code(&response), "UNSUPPORTED_API_VERSION");
}

backend_tests!(
    every_operation_works_with_its_documented_status,
    budgets_without_settings_objects_have_both_off,
    every_invalid_field_is_a_400_naming_it,
    errors_are_written_in_the_requested_language,
    duplicate_names_conflict_on_create_and_rename,
    fifty_concurrent_creates_of_one_name_yield_one_budget,
    another_accounts_budget_is_not_found,
    paging_returns_every_budget_once_in_a_total_order,
    list_filters_by_name,
    invalid_list_parameters_are_400s,
    the_api_version_header_must_name_this_service,
);
