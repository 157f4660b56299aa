//! The `scpfm` admin commands, run as a user runs them, on the database a server is using.

use std::process::{Command, Output};

use scpfm_server::clock::Clock as _;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{expect_status, TestApp};

async fn scpfm(database_url: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scpfm"));
    command
        .args(args)
        .arg("--database-url")
        .arg(database_url)
        .env("RUST_LOG", "warn");
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "scpfm failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn accounts_and_keys_are_managed_while_the_server_runs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let url = app.database_url();

    let created = stdout(&scpfm(url, &["account", "create", "--name", "ops"]).await);
    assert!(created.starts_with("account_id: "), "{created}");
    let duplicate = scpfm(url, &["account", "create", "--name", "ops"]).await;
    assert_eq!(duplicate.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let plain = stdout(&scpfm(url, &["key", "create", "--account", "ops"]).await);
    let lines: Vec<&str> = plain.lines().collect();
    assert!(
        lines[0].starts_with("account_id: ")
            && lines[1].starts_with("access_key: ")
            && lines[2].starts_with("secret_key: ")
    );

    let json: serde_json::Value = serde_json::from_str(&stdout(
        &scpfm(
            url,
            &[
                "key",
                "create",
                "--account",
                "ops",
                "--user",
                "alice",
                "--json",
            ],
        )
        .await,
    ))
    .unwrap();
    let access_key = json["access_key"].as_str().unwrap().to_owned();
    let secret_key = json["secret_key"].as_str().unwrap().to_owned();
    assert_eq!(json["user_name"], "alice");

    let listed = stdout(&scpfm(url, &["key", "list", "--account", "ops", "--json"]).await);
    assert!(listed.contains(&access_key));
    assert!(
        !listed.contains(&secret_key),
        "key list never shows secrets"
    );
    assert!(stdout(&scpfm(url, &["account", "list"]).await).contains("ops"));

    // The key works against the running server at once…
    let account = crate::helpers::TestAccount {
        id: json["account_id"].as_str().unwrap().to_owned(),
        access_key: access_key.clone(),
        secret_key,
    };
    let client = app.client(&account);
    let listing = client
        .send(scpfm_client::Client::list_budgets_call(&Default::default()).unwrap())
        .await
        .unwrap();
    expect_status(listing, 200);

    // …and is refused once `key disable` has returned (it waits out the server's key cache).
    let disabled = stdout(&scpfm(url, &["key", "disable", &access_key]).await);
    assert!(disabled.contains("disabled"));
    app.clock.advance(chrono::Duration::seconds(1));
    let refused = client
        .send(scpfm_client::Client::list_budgets_call(&Default::default()).unwrap())
        .await
        .unwrap();
    expect_status(refused, 401);
    assert!(
        !app.store
            .find_access_key(&access_key)
            .await
            .unwrap()
            .unwrap()
            .enabled
    );
    assert!(app.clock.now() > crate::helpers::start_time());
    let unknown = scpfm(url, &["key", "disable", "NOSUCHKEY"]).await;
    assert_eq!(unknown.status.code(), Some(1));
}

backend_tests!(accounts_and_keys_are_managed_while_the_server_runs);
