//! The console in a real browser: Debian's headless Chromium driven through chromedriver
//! (WebDriver), against the real server on the demo organisation. One journey, as a person
//! takes it: sign in → the dashboard's charts are drawn → cost analysis by service category,
//! then by a tag → a budget with an invalid amount (the error beside the field), then a valid
//! one → it is on the dashboard → delete it → the month's bills as Excel and CSV, their totals
//! against the API → sign out. And every page on a 390 px phone and with a keyboard
//! (`phone.rs`).
//!
//! Needs `chromedriver` and `chromium` (`.ci/run` installs them); `SCPFM_TEST_SKIP_BROWSER=1`
//! skips the test where neither can be installed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

#[path = "../api/helpers.rs"]
mod helpers;

mod driver;
mod phone;

use std::time::Duration;

use fantoccini::{Client, Locator};
use rust_decimal::Decimal;
use scpfm_api_types::bill::BillListQuery;
use scpfm_testkit::Backend;

use driver::{chromedriver, Chromium};
use helpers::{all_bills, demo_account, seed_demo, TestApp};

fn dec(text: &str) -> Decimal {
    text.trim().parse().unwrap()
}

/// How many elements matching `selector` the browser has drawn (with a size on screen).
async fn drawn(client: &Client, selector: &str) -> u64 {
    let script = "return Array.from(document.querySelectorAll(arguments[0])).filter(function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length;";
    client
        .execute(script, vec![serde_json::json!(selector)])
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn fill(client: &Client, css: &str, value: &str) {
    let input = client.find(Locator::Css(css)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits for an element matching `css`.
async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client.wait().for_element(Locator::Css(css)).await.unwrap()
}

/// Chooses `value` in the select `css`.
async fn select(client: &Client, css: &str, value: &str) {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.select_by_value(value).await.unwrap();
}

/// Clicks `css` and waits for the next page to have loaded (a new document, complete).
async fn click_and_load(client: &Client, css: &str) {
    client
        .execute("window.__before = true;", vec![])
        .await
        .unwrap();
    click(client, css).await;
    for _ in 0..600 {
        let loaded = client
            .execute(
                "return window.__before !== true && document.readyState === 'complete';",
                vec![],
            )
            .await
            .map(|v| v.as_bool() == Some(true))
            .unwrap_or(false);
        if loaded {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no page loaded after clicking {css}");
}

async fn path(client: &Client) -> String {
    let url = client.current_url().await.unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The demo on SQLite and a Chromium window of a size, downloading into a directory of its
/// own. Fields drop in order: the browser before its driver.
struct Setup {
    chromium: Chromium,
    driver: driver::Driver,
    downloads: tempfile::TempDir,
    dev: helpers::TestAccount,
    app: TestApp,
}

impl Setup {
    /// `None` when `SCPFM_TEST_SKIP_BROWSER=1`.
    async fn start(size: (u32, u32)) -> Option<Self> {
        if std::env::var("SCPFM_TEST_SKIP_BROWSER").is_ok_and(|v| v == "1") {
            eprintln!("SCPFM_TEST_SKIP_BROWSER=1: the browser test is skipped");
            return None;
        }
        let app = TestApp::spawn(Backend::Sqlite).await;
        let accounts = seed_demo(&app, true).await;
        let dev = demo_account(&accounts, "demo-dev");
        let downloads = tempfile::tempdir().unwrap();
        let driver = chromedriver().await;
        let chromium = Chromium::start(&driver, downloads.path(), size).await;
        Some(Self {
            chromium,
            driver,
            downloads,
            dev,
            app,
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_uses_the_console() {
    let Some(setup) = Setup::start((1280, 800)).await else {
        return;
    };
    let Setup {
        chromium,
        downloads,
        dev,
        app,
        ..
    } = &setup;
    let client = &chromium.client;
    let base = app.url();

    // Sign in: the console sends a stranger to the sign-in form, then back.
    client.goto(&format!("{base}/console/")).await.unwrap();
    assert!(path(client).await.starts_with("/console/sign-in"));
    fill(client, "#access_key", &dev.access_key).await;
    fill(client, "#secret_key", &dev.secret_key).await;
    click_and_load(client, "#sign-in-form button[type=submit]").await;
    wait_for(client, "#year-chart").await;
    assert_eq!(path(client).await, "/console/");

    // The dashboard's charts are drawn: bars of the 12 months, budget bars, tiles.
    assert!(drawn(client, "#year-chart rect.bar").await >= 3);
    assert!(drawn(client, "#budget-bars svg.track rect.fill").await >= 1);
    assert!(text_of(client, "#mtd .big").await.starts_with('₩'));
    let legend = drawn(client, "#year-chart .legend li").await;
    assert!(legend >= 2, "the legend is built by the script: {legend}");

    // Cost analysis by service category, then by service category and the tag `team`.
    // From the menu, by keyboard-reachable links (real URLs).
    client
        .find(Locator::LinkText("Cost analysis"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(client, "#cost-form").await;
    assert_eq!(path(client).await, "/console/cost");
    select(client, "#group1", "SERVICE_CATEGORY").await;
    click_and_load(client, "#cost-form button[type=submit]").await;
    wait_for(client, "#cost-table").await;
    assert!(path(client).await.contains("group1=SERVICE_CATEGORY"));
    let by_service = drawn(client, "#cost-table tbody tr").await;
    assert!(by_service >= 2, "{by_service}");
    assert!(drawn(client, "svg.chart rect.bar").await >= 2);
    select(client, "#group2", "TAG").await;
    fill(client, "#tag2", "team").await;
    click_and_load(client, "#cost-form button[type=submit]").await;
    wait_for(client, "#cost-table").await;
    assert!(path(client).await.contains("group2=TAG&tag2=team"));
    let first_group = text_of(client, "#cost-table tbody tr th").await;
    assert!(first_group.contains(" / "), "two group-bys: {first_group}");
    // The browser's back button returns to the view by service category alone.
    client.back().await.unwrap();
    wait_for(client, "#cost-table").await;
    let back = path(client).await;
    assert!(
        back.contains("group1=SERVICE_CATEGORY") && !back.contains("tag2=team"),
        "{back}"
    );
    client.forward().await.unwrap();
    wait_for(client, "#cost-table").await;
    // The table's header sorts (the script): clicking it marks the order.
    click(client, "#cost-table thead th:last-child").await;
    let sorted = client
        .find(Locator::Css("#cost-table thead th:last-child"))
        .await
        .unwrap();
    assert!(sorted.attr("aria-sort").await.unwrap().is_some());

    // A budget with an invalid amount: the API's error beside the field; then a valid one.
    client
        .goto(&format!("{base}/console/budgets/new"))
        .await
        .unwrap();
    fill(client, "#name", "browser-budget").await;
    fill(client, "#amount", "a lot").await;
    click_and_load(client, "#save").await;
    let error = wait_for(client, "#amount-error").await;
    let error = error.text().await.unwrap();
    assert!(
        error.contains("amount"),
        "the error is beside the amount: {error}"
    );
    fill(client, "#amount", "750000").await;
    fill(client, "#receivers", "finops@example.com").await;
    click_and_load(client, "#save").await;
    wait_for(client, "#burn-up").await;
    assert!(drawn(client, "#burn-up polyline").await >= 1);
    let budget_page = path(client).await;

    // It is on the dashboard, then deleted.
    client.goto(&format!("{base}/console/")).await.unwrap();
    let bars = text_of(client, "#budget-bars").await;
    assert!(bars.contains("browser-budget"), "{bars}");
    client.goto(&format!("{base}{budget_page}")).await.unwrap();
    click_and_load(client, "#delete-budget").await;
    click_and_load(client, "#confirm-delete").await;
    wait_for(client, "#new-budget").await;
    assert!(!client.source().await.unwrap().contains("browser-budget"));

    // The month's bills as Excel and CSV: their totals are the API's.
    let query = BillListQuery {
        bill_year_month: Some("2026-10".into()),
        ..Default::default()
    };
    let api_total: Decimal = all_bills(&app.client(dev), &query, 1000)
        .await
        .iter()
        .map(|bill| dec(&bill.amounts.krw))
        .sum();
    client
        .goto(&format!("{base}/console/bills?month=2026-10"))
        .await
        .unwrap();
    assert_eq!(
        dec(&text_of(client, "#bills-total")
            .await
            .replace(['₩', ','], ""))
        .round(),
        api_total.round()
    );
    click(client, "#bills-csv").await;
    click(client, "#bills-xlsx").await;
    let csv = driver::downloaded(
        downloads.path(),
        "bills-2026-10.csv",
        Duration::from_secs(20),
    )
    .await;
    let xlsx = driver::downloaded(
        downloads.path(),
        "bills-2026-10.xlsx",
        Duration::from_secs(20),
    )
    .await;
    let csv = String::from_utf8(csv).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|h| *h == "amounts_krw").unwrap();
    let total_row: Vec<&str> = csv.lines().last().unwrap().split(',').collect();
    assert_eq!(total_row[0], "TOTAL");
    assert_eq!(dec(total_row[column]), api_total, "CSV total");
    assert_eq!(driver::xlsx_total(&xlsx, column), api_total, "Excel total");

    // Sign out: back to the sign-in form, and the console is closed again.
    click_and_load(client, "#sign-out").await;
    wait_for(client, "#sign-in-form").await;
    client.goto(&format!("{base}/console/bills")).await.unwrap();
    assert!(path(client).await.starts_with("/console/sign-in"));
    setup.chromium.close().await;
}
