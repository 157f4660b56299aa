//! Every console page on a 390 px wide phone and with a keyboard: nothing makes the page
//! scroll sideways (wide tables and charts scroll in their own box), every input has a label,
//! and every link, button and field can be reached with Tab.

use crate::{click_and_load, fill, wait_for, Setup};
use fantoccini::{Client, Locator};

/// Every page of the menu, and the pages one link away from a list.
const PAGES: &[&str] = &[
    "/console/",
    "/console/cost",
    "/console/cost?granularity=MONTHLY&start=2026-06-01&end=2026-10-31&group1=TAG&tag1=team&group2=SERVICE_CATEGORY",
    "/console/bills?month=2026-10",
    "/console/usage",
    "/console/payments",
    "/console/budgets",
    "/console/budgets/new",
    "/console/planned-compute",
    "/console/pricing",
    "/console/focus",
];

/// What is wrong with the page shown, as sentences (none: nothing).
async fn faults(client: &Client) -> Vec<String> {
    let script = r#"
        var faults = [];
        var width = window.innerWidth;
        if (document.documentElement.scrollWidth > width + 1) {
            faults.push('the page is ' + document.documentElement.scrollWidth + ' px wide at ' + width);
        }
        document.querySelectorAll('input, select, textarea').forEach(function (e) {
            if (e.type === 'hidden' || e.type === 'submit') return;
            var named = e.labels.length > 0 || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
            if (!named) faults.push('no label: ' + e.outerHTML.slice(0, 80));
        });
        document.querySelectorAll('a[href], button, input, select, textarea').forEach(function (e) {
            if (e.type === 'hidden' || e.closest('[hidden]')) return;
            if (e.tabIndex < 0) faults.push('not reachable by Tab: ' + e.outerHTML.slice(0, 80));
        });
        return faults;"#;
    let faults = client.execute(script, vec![]).await.unwrap();
    serde_json::from_value(faults).unwrap()
}

/// The first link of `list` matching `css`, as a path.
async fn first_link(client: &Client, base: &str, list: &str, css: &str) -> Option<String> {
    client.goto(&format!("{base}{list}")).await.unwrap();
    let link = client.find(Locator::Css(css)).await.ok()?;
    let href = link.attr("href").await.unwrap()?;
    Some(href.trim_start_matches(base).to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_a_keyboard() {
    let Some(setup) = Setup::start((390, 844)).await else {
        return;
    };
    let Setup {
        chromium, dev, app, ..
    } = &setup;
    let client = &chromium.client;
    let base = app.url();

    client
        .goto(&format!("{base}/console/sign-in"))
        .await
        .unwrap();
    assert_eq!(
        faults(client).await,
        Vec::<String>::new(),
        "the sign-in form"
    );
    fill(client, "#access_key", &dev.access_key).await;
    fill(client, "#secret_key", &dev.secret_key).await;
    click_and_load(client, "#sign-in-form button[type=submit]").await;
    wait_for(client, "#year-chart").await;

    let mut pages: Vec<String> = PAGES.iter().map(|page| (*page).to_owned()).collect();
    let budget = first_link(client, &base, "/console/budgets", "#budgets-table tbody a").await;
    let contract = first_link(
        client,
        &base,
        "/console/planned-compute",
        "a[href^='/console/planned-compute/']",
    )
    .await;
    pages.extend(budget.into_iter().chain(contract));
    assert_eq!(
        pages.len(),
        PAGES.len() + 2,
        "a budget and a contract to open"
    );
    for page in &pages {
        client.goto(&format!("{base}{page}")).await.unwrap();
        wait_for(client, "main").await;
        assert_eq!(
            faults(client).await,
            Vec::<String>::new(),
            "{page} at 390 px"
        );
    }
    setup.chromium.close().await;
}
