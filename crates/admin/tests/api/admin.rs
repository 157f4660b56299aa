//! The `scpfm` admin commands, run as a user runs them, on the database a server is using.

use std::net::SocketAddr;
use std::process::{Command, Output};

use scpfm_admin::mail_sink::SmtpSink;
use scpfm_app::clock::Clock as _;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{create_budget_from, expect_status, vm_hour, TestApp};

async fn scpfm(database_url: &str, args: &[&str]) -> Output {
    scpfm_with(database_url, args, &[]).await
}

/// Runs scpfm with extra environment variables.
async fn scpfm_with(database_url: &str, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scpfm"));
    command
        .args(args)
        .arg("--database-url")
        .arg(database_url)
        .env("RUST_LOG", "warn");
    for (name, value) in env {
        command.env(name, value);
    }
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

fn usage_csv(account: &str, hours: u32, bad_line: Option<u32>) -> String {
    let mut text = String::from(
        "record_id,account_id,resource_id,resource_name,billing_item_id,region,period_start,period_end,quantity,unit,attributes\n",
    );
    for hour in 0..hours {
        // Data lines start at line 2 (after the header).
        let item = if bad_line == Some(hour + 2) {
            "TELEPORTER"
        } else {
            "VIRTUAL_SERVER"
        };
        text.push_str(&format!(
            "imp-{hour},{account},vm-1,web-1,{item},kr-west1,2026-11-19T{hour:02}:00:00+09:00,2026-11-19T{:02}:00:00+09:00,1,HOUR,server_type=s1v1m2;os_type=OPEN_SOURCE\n",
            hour + 1
        ));
    }
    text
}

async fn usage_files_import_batch_by_batch_and_only_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let url = app.database_url();
    let tenant = app.account("tenant").await;
    let dir = tempfile::tempdir().unwrap();
    let count = || async {
        let query = scpfm_api_types::usage::UsageListQuery {
            with_count: Some("true".into()),
            ..Default::default()
        };
        app.client(&tenant)
            .list_usages(&query)
            .await
            .unwrap()
            .count
            .unwrap()
    };

    // The bad row is in the first (only) batch: nothing is stored.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, usage_csv(&tenant.id, 10, Some(7))).unwrap();
    let refused = scpfm(url, &["import", "usage", bad.to_str().unwrap()]).await;
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 7: billing_item_id")
            && stderr.contains("0 records before the first problem were stored"),
        "{stderr}"
    );
    assert_eq!(count().await, 0);

    // The bad row is in the last of four batches, each committed on its own: the three
    // before it stay stored, nothing after it.
    std::fs::write(&bad, usage_csv(&tenant.id, 10, Some(11))).unwrap();
    let refused = scpfm(
        url,
        &[
            "import",
            "usage",
            bad.to_str().unwrap(),
            "--batch-size",
            "3",
            "--commit-every",
            "3",
        ],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 11: billing_item_id")
            && stderr.contains("9 records before the first problem were stored (9 new)"),
        "{stderr}"
    );
    assert_eq!(count().await, 9);

    // One record id with other values in a later batch is refused the same way.
    let mut conflicting = usage_csv(&tenant.id, 4, None);
    conflicting.push_str(
        &usage_csv(&tenant.id, 1, None)
            .lines()
            .nth(1)
            .unwrap()
            .replace(",1,HOUR,", ",0.5,HOUR,"),
    );
    conflicting.push('\n');
    std::fs::write(&bad, conflicting).unwrap();
    let refused = scpfm(
        url,
        &[
            "import",
            "usage",
            bad.to_str().unwrap(),
            "--batch-size",
            "2",
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 6: record_id") && stderr.contains("imp-0 (also line 2)"),
        "{stderr}"
    );
    assert_eq!(count().await, 9, "its first records were stored already");

    // The fixed file, imported again: only what is missing is stored (exactly-once).
    let good = dir.path().join("good.csv");
    std::fs::write(&good, usage_csv(&tenant.id, 10, None)).unwrap();
    let imported = stdout(
        &scpfm(
            url,
            &[
                "import",
                "usage",
                good.to_str().unwrap(),
                "--batch-size",
                "3",
            ],
        )
        .await,
    );
    assert!(
        imported.contains("10 records, 1 stored, 9 already stored"),
        "{imported}"
    );
    let again = stdout(&scpfm(url, &["import", "usage", good.to_str().unwrap()]).await);
    assert!(
        again.contains("10 records, 0 stored, 10 already stored"),
        "{again}"
    );
    assert_eq!(count().await, 10);
    let bills = app
        .client(&tenant)
        .list_bills(&Default::default())
        .await
        .unwrap()
        .bills;
    let billed: rust_decimal::Decimal = bills
        .iter()
        .map(|bill| bill.amounts.krw.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(
        billed,
        "226".parse().unwrap(),
        "the bill holds each record once"
    );

    let lines = dir.path().join("more.jsonl");
    let record = |hour: u32| {
        serde_json::json!({
            "record_id": format!("jsonl-{hour}"), "account_id": tenant.id, "resource_id": "disk", "billing_item_id": "BLOCK_STORAGE",
            "region": "kr-west1", "attributes": {"disk_type": "SSD"}, "period_start": format!("2026-11-19T{hour:02}:00:00"),
            "period_end": format!("2026-11-19T{:02}:00:00", hour + 1), "quantity": "720", "unit": "GB_HOUR"
        })
        .to_string()
    };
    std::fs::write(&lines, format!("{}\n\n{}\n", record(0), record(1))).unwrap();
    let imported = stdout(&scpfm(url, &["import", "usage", lines.to_str().unwrap()]).await);
    assert!(
        imported.contains("2 records, 2 stored") && imported.contains("amount 220.000 KRW"),
        "{imported}"
    );
    assert_eq!(count().await, 12);
}

async fn budgets_are_evaluated_and_shown_on_demand(backend: Backend) {
    let sink = SmtpSink::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("operator").await);
    let account = app.account("acme").await;
    let client = app.client(&account);
    let body = serde_json::json!({
        "name": "watched", "unit": "MONTHLY", "start_month": "2026-11", "amount": 700,
        "notifications": {"thresholds": [70, 100], "receivers": ["lead@example.com"]}
    });
    create_budget_from(&client, body).await;
    let hours: Vec<_> = (0..24)
        .map(|hour| vm_hour(&account, "vm", &format!("2026-11-19T{hour:02}:00:00")))
        .collect();
    admin.ingest_usage(&hours).await.unwrap();

    // The command runs on the test's clock and mails through the sink.
    let env = [
        ("SCPFM_CLOCK__START", "2026-11-20T12:00:00+09:00".to_owned()),
        ("SCPFM_MAIL__HOST", sink.addr().ip().to_string()),
        ("SCPFM_MAIL__PORT", sink.addr().port().to_string()),
        ("SCPFM_MAIL__TLS", "none".to_owned()),
    ];
    let url = app.database_url();
    let evaluated =
        stdout(&scpfm_with(url, &["budgets", "evaluate", "--account", "acme"], &env).await);
    assert!(
        evaluated.contains("watched: 542.400 KRW = 77.48 % of 700 KRW; recorded first/2026-11/70; 1 mail(s) queued")
            && evaluated.contains(": 1 sent, 0 to retry, 0 given up"),
        "{evaluated}"
    );
    assert_eq!(sink.received().len(), 1);
    let again = stdout(&scpfm_with(url, &["budgets", "evaluate"], &env).await);
    assert!(
        again.contains("0 notification(s) recorded") && again.contains(": 0 sent"),
        "{again}"
    );
    assert_eq!(sink.received().len(), 1, "evaluating again mails nothing");

    let table = stdout(&scpfm_with(url, &["budgets", "status"], &env).await);
    assert!(
        table.contains("watched") && table.contains("77.48") && table.contains("THRESHOLD 70%"),
        "{table}"
    );
    assert!(table.contains("outbox: 1 sent, 0 pending"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&stdout(
        &scpfm_with(
            url,
            &["budgets", "status", "--account", "acme", "--json"],
            &env,
        )
        .await,
    ))
    .unwrap();
    assert_eq!(json[0]["status"]["percent"], "77.48");
    assert_eq!(json[0]["status"]["last_mail"]["mails_sent"], 1);
    let unknown = scpfm(url, &["budgets", "status", "--account", "nobody"]).await;
    assert_eq!(unknown.status.code(), Some(1));
}

backend_tests!(
    accounts_and_keys_are_managed_while_the_server_runs,
    usage_files_import_batch_by_batch_and_only_once,
    budgets_are_evaluated_and_shown_on_demand,
);
