//! Signatures are valid for their window (issue 14): distinct requests sharing a signature
//! are all served, on one keep-alive connection that no refusal closes; with replay
//! protection switched on, the same request (signature and body) is refused, a different
//! body is not, and the database guard remembers across a restart.

use std::sync::Arc;

use scpfm_app::clock::Clock as _;
use scpfm_config::{ReplayGuardMode, Settings};
use scpfm_server::serve::RunningServer;
use scpfm_server::AppState;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::TestApp;
use crate::raw_http::RawConnection;

const BUDGETS: &str = "/v1/budgets/account";

fn budget(name: &str) -> String {
    format!(r#"{{"name":"{name}","unit":"MONTHLY","start_month":"2026-12","amount":1000}}"#)
}

/// Creates budget `name` on `connection`, signed at `timestamp` for `host` (the connection's).
async fn post_budget(
    connection: &mut RawConnection,
    account: &crate::helpers::TestAccount,
    name: &str,
    timestamp: i64,
    host: Option<&str>,
) -> crate::raw_http::RawAnswer {
    connection
        .signed(
            account,
            "POST",
            BUDGETS,
            Some(&budget(name)),
            timestamp,
            host,
        )
        .await
        .expect("the connection stays open")
}

fn with_guard(mode: ReplayGuardMode) -> Settings {
    let mut settings = Settings::default();
    settings.auth.replay_guard = mode;
    settings
}

async fn three_hundred_creates_on_one_connection_all_succeed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut connection = RawConnection::open(app.server.addr).await;
    // One millisecond for all of them: every request carries the same signature.
    let timestamp = app.clock.now().timestamp_millis();
    for idx in 0..300 {
        let answer = connection
            .signed(
                &account,
                "POST",
                BUDGETS,
                Some(&budget(&format!("b{idx}"))),
                timestamp,
                None,
            )
            .await
            .unwrap_or_else(|| panic!("the connection closed before request {idx}"));
        assert_eq!(
            answer.status,
            201,
            "{idx}: {}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    // Identical concurrent reads (two dashboard widgets) are served too.
    for _ in 0..2 {
        let answer = connection
            .signed(
                &account,
                "GET",
                "/v1/budgets/account?size=1",
                None,
                timestamp,
                None,
            )
            .await
            .unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json()["count"], 300);
    }
}

async fn a_refusal_keeps_the_connection_open(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut connection = RawConnection::open(app.server.addr).await;
    let timestamp = app.clock.now().timestamp_millis();
    // A body the server never reads before refusing: an unknown key.
    let stranger = crate::helpers::TestAccount {
        id: account.id.clone(),
        access_key: "NOSUCHKEY00000000000".into(),
        secret_key: "x".into(),
    };
    let refused = connection
        .signed(
            &stranger,
            "POST",
            BUDGETS,
            Some(&budget("x").repeat(5_000)),
            timestamp,
            None,
        )
        .await
        .unwrap();
    assert_eq!(refused.status, 401);
    assert_eq!(refused.json()["errors"][0]["code"], "UNKNOWN_ACCESS_KEY");
    let served = post_budget(&mut connection, &account, "after", timestamp, None).await;
    assert_eq!(served.status, 201);
}

async fn with_replay_protection_the_same_request_is_refused_but_not_another_body(backend: Backend) {
    let app = TestApp::spawn_with(backend, with_guard(ReplayGuardMode::Memory), None).await;
    let account = app.account("acme").await;
    let mut connection = RawConnection::open(app.server.addr).await;
    let timestamp = app.clock.now().timestamp_millis();
    let first = post_budget(&mut connection, &account, "a", timestamp, None).await;
    assert_eq!(first.status, 201);
    let replayed = post_budget(&mut connection, &account, "a", timestamp, None).await;
    assert_eq!(replayed.status, 401);
    assert_eq!(replayed.json()["errors"][0]["code"], "REPLAYED_SIGNATURE");
    let other = post_budget(&mut connection, &account, "b", timestamp, None).await;
    assert_eq!(other.status, 201, "a different body is another request");
}

async fn the_database_replay_guard_remembers_across_a_restart(backend: Backend) {
    let settings = with_guard(ReplayGuardMode::Database);
    let app = TestApp::spawn_with(backend, settings.clone(), None).await;
    let account = app.account("acme").await;
    let timestamp = app.clock.now().timestamp_millis();
    let host = app.server.addr.to_string();
    let mut connection = RawConnection::open(app.server.addr).await;
    let first = post_budget(&mut connection, &account, "a", timestamp, None).await;
    assert_eq!(first.status, 201);
    // A new server process on the same database: nothing in memory.
    let catalog = Arc::new(scpfm_app::catalog_file::load(None).unwrap());
    let state = AppState::new(
        app.store.clone(),
        Arc::new(app.clock.clone()),
        &settings,
        catalog,
    );
    let restarted = RunningServer::start(state).await.unwrap();
    let mut replay = RawConnection::open(restarted.addr).await;
    // The captured request, sent again as it was (signed for the first server's host).
    let replayed = post_budget(&mut replay, &account, "a", timestamp, Some(&host)).await;
    assert_eq!(
        replayed.status,
        401,
        "{}",
        String::from_utf8_lossy(&replayed.body)
    );
    assert_eq!(replayed.json()["errors"][0]["code"], "REPLAYED_SIGNATURE");
    let other = post_budget(&mut replay, &account, "c", timestamp, Some(&host)).await;
    assert_eq!(other.status, 201);
    restarted.stop().await;
}

backend_tests!(
    three_hundred_creates_on_one_connection_all_succeed,
    a_refusal_keeps_the_connection_open,
    with_replay_protection_the_same_request_is_refused_but_not_another_body,
    the_database_replay_guard_remembers_across_a_restart,
);
