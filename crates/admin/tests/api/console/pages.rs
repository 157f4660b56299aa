//! Every console page on the demo: status and content, and the downloads' totals against
//! the API's own numbers.

use http::StatusCode;
use rust_decimal::Decimal;
use scpfm_api_types::billing_plan::{PlannedComputeListQuery, PlannedComputeListResponse};
use scpfm_api_types::budget_status::BudgetStatusListResponse;
use scpfm_testkit::{backend_tests, Backend};

use super::Browser;
use crate::cost_explorer::cost_analysis::bill_total;
use crate::helpers::{demo_account, seed_demo, TestApp};

/// Every page of the menu, with a piece of content it must show on the demo.
const PAGES: &[(&str, &str)] = &[
    ("/console/", "id=\"year-chart\""),
    ("/console/cost", "id=\"cost-table\""),
    ("/console/cost?granularity=MONTHLY&start=2026-08-01&end=2026-10-31&group1=SERVICE_CATEGORY&group2=TAG&tag2=team", "id=\"grand-total\""),
    ("/console/bills?month=2026-10", "id=\"bills-table\""),
    ("/console/usage", "id=\"usage-table\""),
    ("/console/payments", "id=\"payments-table\""),
    ("/console/budgets", "id=\"new-budget\""),
    ("/console/budgets/new", "id=\"budget-form\""),
    ("/console/planned-compute", "Planned"),
    ("/console/pricing", "id=\"prices-table\""),
    ("/console/focus", "id=\"focus-form\""),
];

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The `data-value` of the element with `id` in `html`.
fn data_value(html: &str, id: &str) -> Decimal {
    let at = html.find(&format!("id=\"{id}\"")).expect(id);
    let rest = &html[at..];
    let value = rest
        .split("data-value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    dec(value)
}

async fn every_page_renders_for_the_demo(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, true).await;
    for name in ["demo-payer", "demo-dev"] {
        let browser = Browser::signed_in(&app, &accounts, name).await;
        for (path, marker) in PAGES {
            let page = browser.get(path).await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "{name} {path}: {}",
                page.text()
            );
            let html = page.text();
            assert!(html.contains(marker), "{name} {path} lacks {marker}");
            assert!(
                html.contains("<html lang=\"en\">"),
                "{path}: English asked for"
            );
            assert!(
                !html.contains(">?<"),
                "{path}: a text without its translation"
            );
        }
    }
    // The dashboard draws its charts: bars in the 12 months' chart, the budgets as bars.
    let dev = Browser::signed_in(&app, &accounts, "demo-dev").await;
    let dashboard = dev.get("/console/").await.text();
    assert!(
        dashboard.matches("<rect class=\"bar\"").count() >= 3,
        "{dashboard}"
    );
    assert!(dashboard.contains("class=\"budget-bar\""));
    assert!(dashboard.contains("₩"));
    // The payer's top accounts by name (the id as the row's title).
    let payer = Browser::signed_in(&app, &accounts, "demo-payer").await;
    let dashboard = payer.get("/console/").await.text();
    let top = &dashboard[dashboard.find("id=\"top-accounts\"").unwrap()..];
    let top = &top[..top.find("</table>").unwrap()];
    let dev_id = demo_account(&accounts, "demo-dev").id;
    assert!(
        top.contains(&format!("title=\"{dev_id}\">demo-dev</th>")),
        "{top}"
    );
    // Console pages pass the API's layers: a request id, and counted in /metrics.
    let page = dev.get("/console/bills").await;
    assert!(page.headers.contains_key("x-request-id"));
    let metrics = reqwest::get(format!("{}/metrics", app.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"route="/console/bills",status="200"}"#),
        "{metrics}"
    );
    // gzip for a browser that takes it, the same page; Excel files are zips already.
    let zipped = dev.get_gzip("/console/").await;
    assert_eq!(zipped.headers[http::header::CONTENT_ENCODING], "gzip");
    let mut html = String::new();
    let mut reader = flate2::read::GzDecoder::new(&zipped.body[..]);
    std::io::Read::read_to_string(&mut reader, &mut html).unwrap();
    assert!(html.contains("class=\"budget-bar\"") && zipped.body.len() * 2 < html.len());
    let xlsx = dev.get_gzip("/console/bills.xlsx?month=2026-10").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(!xlsx.headers.contains_key(http::header::CONTENT_ENCODING));
}

async fn downloads_agree_with_the_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let payer = demo_account(&accounts, "demo-payer");
    let client = app.client(&payer);
    let browser = Browser::signed_in(&app, &accounts, "demo-payer").await;
    let (krw, usd) = bill_total(&client, "2026-10").await;

    let page = browser.get("/console/bills?month=2026-10").await.text();
    assert_eq!(data_value(&page, "bills-total"), krw);

    let csv = browser.get("/console/bills.csv?month=2026-10").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("bills-2026-10.csv"));
    let text = csv.text();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let total: Vec<&str> = text.lines().last().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(total[0], "TOTAL");
    assert_eq!(dec(total[column("amounts_krw")]), krw);
    assert_eq!(dec(total[column("amounts_usd")]), usd);
    let lines: Decimal = text
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with("TOTAL"))
        .map(|line| dec(line.split(',').nth(column("amounts_krw")).unwrap()))
        .sum();
    assert_eq!(lines, krw, "the lines add up to the total");

    let xlsx = browser.get("/console/bills.xlsx?month=2026-10").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(&xlsx.body[..2], b"PK", "an xlsx (zip) file");

    // Cost analysis: the month's total is the bills' total; its CSV is the table shown.
    let view = "granularity=MONTHLY&start=2026-10-01&end=2026-10-31&group1=SERVICE_CATEGORY";
    let cost = browser.get(&format!("/console/cost?{view}")).await.text();
    assert_eq!(data_value(&cost, "grand-total"), krw);
    let csv = browser
        .get(&format!("/console/cost.csv?{view}"))
        .await
        .text();
    let last = csv.lines().last().unwrap();
    assert!(last.starts_with("TOTAL,"), "{csv}");
    assert_eq!(dec(last.rsplit(',').next().unwrap()), krw);

    let focus = browser
        .get("/console/focus.csv?billing_period=2026-10")
        .await;
    assert_eq!(focus.status, StatusCode::OK);
    assert!(focus.text().starts_with("BilledCost,") || focus.text().contains("BilledCost"));
}

async fn another_accounts_ids_are_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, true).await;
    let dev = app.client(&demo_account(&accounts, "demo-dev"));
    let budgets: BudgetStatusListResponse = dev.budget_statuses().await.unwrap();
    let budget = &budgets.budgets[0].budget_id;
    let contracts: PlannedComputeListResponse = dev
        .list_planned_computes(&PlannedComputeListQuery::default())
        .await
        .unwrap();
    let contract = &contracts.planned_computes[0].id;

    let own = Browser::signed_in(&app, &accounts, "demo-dev").await;
    assert_eq!(
        own.get(&format!("/console/budgets/{budget}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        own.get(&format!("/console/planned-compute/{contract}"))
            .await
            .status,
        StatusCode::OK
    );

    let other = Browser::signed_in(&app, &accounts, "demo-prod").await;
    for path in [
        format!("/console/budgets/{budget}"),
        format!("/console/budgets/{budget}/edit"),
        format!("/console/budgets/{budget}/delete"),
        format!("/console/planned-compute/{contract}"),
        "/console/no-such-page".to_owned(),
    ] {
        let page = other.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.text().contains("data-status=\"404\""),
            "{path}: the not-found page"
        );
    }
    let csrf = other.get("/console/budgets/new").await.csrf();
    let delete = other
        .post(
            &format!("/console/budgets/{budget}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        delete.status,
        StatusCode::NOT_FOUND,
        "another account's budget stays"
    );
    assert_eq!(
        own.get(&format!("/console/budgets/{budget}")).await.status,
        StatusCode::OK
    );
}

async fn budgets_are_created_with_the_apis_errors_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let browser = Browser::signed_in(&app, &accounts, "demo-dev").await;
    let csrf = browser.get("/console/budgets/new").await.csrf();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("name", "console-budget"),
        ("amount", "lots"),
        ("unit", "MONTHLY"),
        ("start_month", "2026-11"),
        ("notify", "on"),
        ("send_period", "FIRST"),
        ("t80", "on"),
        ("receivers", "ops@example.com"),
        ("prevent_threshold", "100"),
    ];
    let refused = browser.post("/console/budgets/new", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    let amount_error = html
        .split("id=\"amount-error\">")
        .nth(1)
        .unwrap()
        .split("</span>")
        .next()
        .unwrap();
    assert!(
        amount_error.contains("amount"),
        "the API's error beside the amount: {amount_error}"
    );
    assert!(
        html.contains("value=\"console-budget\""),
        "what was typed is kept"
    );

    form[2] = ("amount", "500000");
    let created = browser.post("/console/budgets/new", &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let location = created.location();
    assert!(location.starts_with("/console/budgets/"));
    let shown = browser.get(&location).await;
    assert!(shown.text().contains("id=\"burn-up\""));
    assert!(browser
        .get("/console/budgets")
        .await
        .text()
        .contains("console-budget"));

    let id = location.trim_start_matches("/console/budgets/");
    // Edit: the form holds the budget's values; a change is saved through the API.
    let edit = browser.get(&format!("/console/budgets/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text().contains("value=\"500000\""));
    form[2] = ("amount", "600000");
    let saved = browser
        .post(&format!("/console/budgets/{id}/edit"), &form)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert!(browser.get(&location).await.text().contains("₩600,000"));
    let deleted = browser
        .post(&format!("/console/budgets/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(!browser
        .get("/console/budgets")
        .await
        .text()
        .contains("console-budget"));
    assert_eq!(browser.get(&location).await.status, StatusCode::NOT_FOUND);
}

backend_tests!(
    every_page_renders_for_the_demo,
    downloads_agree_with_the_api,
    another_accounts_ids_are_not_found,
    budgets_are_created_with_the_apis_errors_and_deleted,
);
