//! Console sessions: sign-in required, wrong secrets refused and limited, the cookie's
//! attributes, CSRF refused, idle sessions ended, sign-out, the language switch.

use chrono::Duration;
use http::StatusCode;
use scpfm_testkit::{backend_tests, Backend};

use super::Browser;
use crate::helpers::{seed_demo, TestApp};

const SIGNED_PAGES: &[&str] = &[
    "/console/",
    "/console/cost",
    "/console/cost.csv",
    "/console/bills",
    "/console/bills.csv",
    "/console/bills.xlsx",
    "/console/usage",
    "/console/payments",
    "/console/budgets",
    "/console/budgets/new",
    "/console/planned-compute",
    "/console/pricing",
    "/console/focus",
    "/console/focus.csv?billing_period=2026-10",
];

async fn pages_need_a_session_and_sign_in_is_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get("/").await.location(), "/console/");
    for path in SIGNED_PAGES {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.location()
                .starts_with("/console/sign-in?next=%2Fconsole%2F"),
            "{path}: {}",
            page.location()
        );
    }
    let form = browser.get("/console/sign-in").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("id=\"secret_key\""));

    let payer = accounts.iter().find(|a| a.name == "demo-payer").unwrap();
    for _ in 0..5 {
        let wrong = browser.sign_in(payer.access_key, "not-the-secret").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text().contains("Wrong access key or secret key"));
        assert!(
            !wrong.text().contains("not-the-secret"),
            "the secret is never echoed"
        );
    }
    let limited = browser.sign_in(payer.access_key, payer.secret_key).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right secret waits"
    );
    app.clock.advance(Duration::seconds(61));
    let signed = browser.sign_in(payer.access_key, payer.secret_key).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    assert_eq!(signed.location(), "/console/");
    let cookie = Browser::set_cookie(&signed, "scpfm_session");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "no https public URL here");
    assert_eq!(browser.get("/console/").await.status, StatusCode::OK);

    let unknown = Browser::new(&app).sign_in("NOSUCHKEY", "x").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    // Only console paths are gone on to after sign-in.
    let (key, secret) = (payer.access_key, payer.secret_key);
    let elsewhere = Browser::new(&app);
    let csrf = elsewhere.get("/console/sign-in").await.csrf();
    let fields = [("access_key", key), ("secret_key", secret), ("csrf", &csrf)];
    let evil = [fields.as_slice(), &[("next", "https://evil.example/")]].concat();
    let page = elsewhere.post("/console/sign-in", &evil).await;
    assert_eq!(page.location(), "/console/");

    // A sign-in form posted from elsewhere (no token, or a token without its cookie) is refused.
    let stranger = Browser::new(&app);
    let forged = stranger
        .post(
            "/console/sign-in",
            &[("access_key", key), ("secret_key", secret)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(Browser::set_cookie(&forged, "scpfm_session").is_empty());
    let replayed = stranger.post("/console/sign-in", &fields).await;
    assert_eq!(
        replayed.status,
        StatusCode::FORBIDDEN,
        "another browser's token"
    );
}

async fn forms_without_their_token_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, true).await;
    let browser = Browser::signed_in(&app, &accounts, "demo-dev").await;
    let list = browser.get("/console/budgets").await.text();
    let id = list
        .split("data-budget=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for (path, form) in [
        (
            "/console/budgets/new".to_owned(),
            vec![("name", "x"), ("amount", "1000")],
        ),
        (
            format!("/console/budgets/{id}/edit"),
            vec![("csrf", "forged"), ("amount", "1000")],
        ),
        (format!("/console/budgets/{id}/delete"), vec![("csrf", "")]),
        ("/console/sign-out".to_owned(), vec![]),
    ] {
        let page = browser.post(&path, &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        browser.get(&format!("/console/budgets/{id}")).await.status,
        StatusCode::OK,
        "still there"
    );
    assert_eq!(
        browser.get("/console/").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

async fn idle_sessions_end_and_sign_out_ends_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let browser = Browser::signed_in(&app, &accounts, "demo-dev").await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(browser.get("/console/bills").await.status, StatusCode::OK);
    app.clock.advance(Duration::minutes(31));
    let expired = browser.get("/console/bills").await;
    assert_eq!(expired.status, StatusCode::SEE_OTHER);
    assert!(
        expired.location().contains("expired=1"),
        "{}",
        expired.location()
    );
    let form = browser.get(&expired.location()).await.text();
    assert!(form.contains("Your session ended"));

    let browser = Browser::signed_in(&app, &accounts, "demo-dev").await;
    let csrf = browser.get("/console/").await.csrf();
    let out = browser.post("/console/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        browser.get("/console/").await.status,
        StatusCode::SEE_OTHER,
        "the session is gone"
    );
}

async fn korean_from_the_browser_and_the_switch_remembers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let mut browser = Browser::signed_in(&app, &accounts, "demo-dev").await;
    browser.lang = "ko-KR,ko;q=0.9";
    let page = browser.get("/console/").await.text();
    assert!(page.contains("<html lang=\"ko\">") && page.contains("대시보드"));
    let switch = browser
        .get("/console/lang/en?back=%2Fconsole%2Fbills")
        .await;
    assert_eq!(switch.location(), "/console/bills");
    assert!(switch.headers["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("scpfm_lang=en"));
}

async fn cookies_are_secure_behind_an_https_public_url(backend: Backend) {
    let mut settings = scpfm_config::Settings::default();
    settings.server.public_url = Some("https://finops.example.com".into());
    let app = TestApp::spawn_with(backend, settings, None).await;
    let accounts = seed_demo(&app, false).await;
    let dev = accounts.iter().find(|a| a.name == "demo-dev").unwrap();
    let signed = Browser::new(&app)
        .sign_in(dev.access_key, dev.secret_key)
        .await;
    let cookie = Browser::set_cookie(&signed, "scpfm_session");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

backend_tests!(
    cookies_are_secure_behind_an_https_public_url,
    pages_need_a_session_and_sign_in_is_limited,
    forms_without_their_token_are_refused,
    idle_sessions_end_and_sign_out_ends_them,
    korean_from_the_browser_and_the_switch_remembers,
);
