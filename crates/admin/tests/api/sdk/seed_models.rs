//! Every response of every operation against the seed documents' models (issue 14): a field
//! is `null` only where its model allows `null` (`any of [..., null]`), so the next
//! `contract_id: null` cannot slip in. The models are read from the API reference itself
//! (`shared/seeds/002_*.txt`, beside the project).

use std::collections::HashMap;

use reqwest::Method;
use scpfm_api_types::billing_plan::PlannedComputeListQuery;
use scpfm_client::{Call, Client};
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{demo_account, seed_demo, TestApp};

/// Field name → schema text, per model name.
type Models = HashMap<String, Vec<(String, String)>>;

fn seed_models() -> Models {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds/002_c97b8d38fd47f8a0.txt"
    );
    let text = std::fs::read_to_string(path).expect("the seed API reference beside the project");
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let is_heading = |line: &str| {
        line.split_once(" - ").is_some_and(|(number, _)| {
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
    };
    let headings: Vec<usize> = (0..lines.len())
        .filter(|&idx| is_heading(lines[idx]))
        .collect();
    let mut models = Models::new();
    for (position, &start) in headings.iter().enumerate() {
        let end = headings.get(position + 1).copied().unwrap_or(lines.len());
        let body = &lines[start + 1..end];
        if !body
            .iter()
            .any(|line| line.starts_with("NameDescriptionSchema"))
        {
            continue;
        }
        let is_field_name = |line: &str| {
            !line.is_empty()
                && line
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        let starts: Vec<usize> = (0..body.len().saturating_sub(1))
            .filter(|&idx| {
                is_field_name(body[idx]) && matches!(body[idx + 1], "optional" | "required")
            })
            .collect();
        let fields = starts
            .iter()
            .enumerate()
            .map(|(n, &field_start)| {
                let field_end = starts.get(n + 1).copied().unwrap_or(body.len());
                let schema = body[field_start..field_end]
                    .iter()
                    .rev()
                    .find(|line| !line.trim().is_empty())
                    .copied()
                    .unwrap_or_default();
                (body[field_start].to_owned(), schema.to_owned())
            })
            .collect();
        let name = lines[start].split_once(" - ").unwrap().1.trim().to_owned();
        models.insert(name, fields);
    }
    models
}

/// The model a schema text refers to, if any (`array[UsageResponse]`, `any of [Amount, null]`).
fn referenced<'a>(models: &Models, schema: &'a str) -> Option<&'a str> {
    schema
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|word| models.contains_key(*word))
}

/// Every place in `value` (a `model`) where a null stands that the model does not allow.
fn nulls_not_allowed(
    models: &Models,
    model: &str,
    value: &serde_json::Value,
    path: &str,
    found: &mut Vec<String>,
) {
    let Some(fields) = models.get(model) else {
        return;
    };
    let Some(object) = value.as_object() else {
        return;
    };
    for (key, item) in object {
        let Some((_, schema)) = fields.iter().find(|(name, _)| name == key) else {
            continue;
        };
        let here = format!("{path}.{key}");
        if item.is_null() {
            if !schema.contains("null") {
                found.push(format!("{here} ({model}.{key}: {schema})"));
            }
            continue;
        }
        if let Some(inner) = referenced(models, schema) {
            match item {
                serde_json::Value::Array(items) => {
                    for (idx, element) in items.iter().enumerate() {
                        nulls_not_allowed(models, inner, element, &format!("{here}[{idx}]"), found);
                    }
                }
                other => nulls_not_allowed(models, inner, other, &here, found),
            }
        }
    }
}

fn get(service: &'static str, path: &str, query: &str) -> Call<'static> {
    Call {
        service,
        method: Method::GET,
        path: path.to_owned(),
        query: query.to_owned(),
        body: None,
    }
}

async fn every_response_keeps_the_seed_models_nullability(backend: Backend) {
    let models = seed_models();
    assert!(models.contains_key("UsageResponse") && models.contains_key("PlannedComputeDTO"));
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, true).await;
    let client_of = |name: &str| -> Client { app.client(&demo_account(&accounts, name)) };
    let (payer, prod, dev) = (
        client_of("demo-payer"),
        client_of("demo-prod"),
        client_of("demo-dev"),
    );
    let contracts = dev
        .list_planned_computes(&PlannedComputeListQuery::default())
        .await
        .unwrap()
        .planned_computes;
    let budgets = dev.list_budgets(&Default::default()).await.unwrap().budgets;
    let mut calls: Vec<(&Client, Call<'static>, &str)> = vec![
        (&payer, get("costexplorer", "/v1/bills", "limit=1000"), "BillListResponse"),
        (&payer, get("costexplorer", "/v1/usages", "start_date=2026-11-01&end_date=2026-11-20&limit=1000"), "UsageListResponse"),
        (&prod, get("costexplorer", "/v1/usages", "start_date=2026-10-01&end_date=2026-10-31&limit=1000"), "UsageListResponse"),
        (&payer, get("costexplorer", "/v1/payments/monthly", "size=100"), "OrgPaymentMonthlyResponse"),
        (&dev, get("billingplan", "/v1/planned-computes", "limit=100"), "PlannedComputeListResponse"),
        (&dev, get("billingplan", "/v1/planned-computes/service-types", ""), "ProductListResponse"),
        (&dev, get("billingplan", "/v1/planned-computes/server-types", "service_id=VIRTUAL_SERVER"), "ServerTypeListResponse"),
        (&dev, get("billingplan", "/v1/planned-computes/os-types", "service_id=VIRTUAL_SERVER"), "OSTypeListResponse"),
        (&dev, get("billingplan", "/v1/planned-computes/contract-types", "service_id=VIRTUAL_SERVER"), "ContractTypeListResponse"),
        (&prod, get("billingplan", "/v1/planned-computes/instances", "service_id=VIRTUAL_SERVER&server_type=s1v4m8&os_type=RHEL&start_date=2026-10-01&end_date=2026-10-31"), "PlannedComputeResourceListResponse"),
        (&dev, get("budget", "/v1/budgets/account", "size=100"), "BudgetAccountPageResponse"),
    ];
    for contract in &contracts {
        calls.push((
            &dev,
            get(
                "billingplan",
                &format!("/v1/planned-computes/{}", contract.id),
                "",
            ),
            "PlannedComputeResponse",
        ));
    }
    for budget in &budgets {
        calls.push((
            &dev,
            get("budget", &format!("/v1/budgets/account/{}", budget.id), ""),
            "BudgetAccountShowResponse",
        ));
    }
    let fee = Call {
        service: "billingplan",
        method: Method::POST,
        path: "/v1/planned-computes/cancellation-fee".into(),
        query: String::new(),
        body: Some(format!(r#"{{"planned_compute_id":"{}"}}"#, contracts[0].id).into_bytes()),
    };
    calls.push((&dev, fee, "CancellationFeeResponse"));
    let mut found = Vec::new();
    for (client, call, model) in calls {
        let path = format!("{} {}?{}", call.method, call.path, call.query);
        let response = client.send(call).await.unwrap();
        assert!(response.status.is_success(), "{path}: {}", response.status);
        let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        nulls_not_allowed(&models, model, &body, &path, &mut found);
    }
    assert!(
        found.is_empty(),
        "nulls the seed models do not allow:\n{}",
        found.join("\n")
    );
}

backend_tests!(every_response_keeps_the_seed_models_nullability);
