//! The FOCUS page offers exactly the closed billing periods, newest first, and says how months
//! close when none is — on SQLite and PostgreSQL.

use http::StatusCode;
use scpfm_domain::month::YearMonth;
use scpfm_testkit::{backend_tests, Backend};

use super::Browser;
use crate::helpers::{start_time, TestApp};

/// The billing periods the page offers, in its order.
fn offered(html: &str) -> Vec<String> {
    html.split("<option>")
        .skip(1)
        .map(|option| option.split('<').next().unwrap().to_owned())
        .filter(|option| option.parse::<YearMonth>().is_ok())
        .collect()
}

async fn only_closed_periods_are_offered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let acme = app.account("acme").await;
    let mut browser = Browser::new(&app);
    let signed = browser.sign_in(&acme.access_key, &acme.secret_key).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text());

    let page = browser.get("/console/focus").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"focus-none\""), "{html}");
    assert!(html.contains("scpfm month close"));
    assert!(!html.contains("id=\"focus-form\""));

    for month in ["2026-09", "2026-10"] {
        let month: YearMonth = month.parse().unwrap();
        app.store
            .close_month(&app.state.catalog, month, start_time())
            .await
            .unwrap();
    }
    let html = browser.get("/console/focus").await.text();
    assert!(html.contains("id=\"focus-form\""));
    assert_eq!(offered(&html), ["2026-10", "2026-09"], "{html}");
    // An offered period downloads; the open month is refused with the API's message.
    let csv = browser
        .get("/console/focus.csv?billing_period=2026-10")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let open = browser
        .get("/console/focus.csv?billing_period=2026-11")
        .await;
    assert_eq!(open.status, StatusCode::BAD_REQUEST, "{}", open.text());
    assert!(open.text().contains("2026-10"));
}

backend_tests!(only_closed_periods_are_offered);
