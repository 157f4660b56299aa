//! `scpcli` as users run it: the built binary against a real server, asserting on stdout,
//! stderr and the exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use scpfm_app::clock::SystemClock;
use scpfm_app::provisioning::{create_access_key, create_account, KeyRequest};
use scpfm_config::Settings;
use scpfm_server::serve::RunningServer;
use scpfm_server::AppState;
use scpfm_store::Store;
use scpfm_testkit::{backend_tests, Backend, TestDatabase};

struct Harness {
    server: RunningServer,
    store: Store,
    account_id: String,
    home: tempfile::TempDir,
    access_key: String,
    secret_key: String,
    _database: TestDatabase,
}

impl Harness {
    async fn start(backend: Backend) -> Self {
        let database = TestDatabase::create(backend).await;
        let store = Store::open(database.url()).await.unwrap();
        let now = chrono::Utc::now();
        let account = create_account(&store, "cli", None, None, now)
            .await
            .unwrap();
        let request = KeyRequest {
            account: account.id.as_str(),
            user_name: Some("cli-user"),
            is_admin: false,
            fixed: None,
        };
        let key = create_access_key(&store, request, now).await.unwrap();
        let catalog = Arc::new(scpfm_app::catalog_file::load(None).unwrap());
        let state = AppState::new(
            store.clone(),
            Arc::new(SystemClock),
            &Settings::default(),
            catalog,
        );
        let server = RunningServer::start(state).await.unwrap();
        Self {
            server,
            store,
            account_id: account.id.to_string(),
            home: tempfile::tempdir().unwrap(),
            access_key: key.access_key,
            secret_key: key.secret_key,
            _database: database,
        }
    }

    /// Runs scpcli with a clean environment: only HOME and `env`.
    async fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scpcli"));
        command.args(args).env_clear().env("HOME", self.home.path());
        if let Ok(path) = std::env::var("PATH") {
            command.env("PATH", path);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    }

    /// Runs scpcli with credentials and endpoint in the environment.
    async fn run(&self, args: &[&str]) -> Output {
        let url = self.server.url();
        let env = [
            ("SCP_ACCESS_KEY", self.access_key.as_str()),
            ("SCP_SECRET_KEY", self.secret_key.as_str()),
            ("SCP_ENDPOINT_URL", url.as_str()),
        ];
        self.run_with(args, &env).await
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn expect_success(output: &Output) -> serde_json::Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null)
}

const CREATE: [&str; 4] = ["budget", "account", "budget", "create"];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

async fn create_show_list_set_delete_in_json_and_table(backend: Backend) {
    let cli = Harness::start(backend).await;
    let created = expect_success(
        &cli.run(&with(
            &CREATE,
            &[
                "--unit",
                "MONTHLY",
                "--start_month",
                "2026-01",
                "--name",
                "test_budget",
                "--amount",
                "1000000",
                "--is_use_notification",
                "True",
                "--notification_send_period",
                "FIRST",
                "--receivers",
                "test_user1@test.com",
                "--thresholds",
                "80",
                "--is_use_prevention",
                "True",
                "--threshold",
                "80",
            ],
        ))
        .await,
    );
    let id = created["budget"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["budget"]["created_by"], "cli-user");
    assert_eq!(created["prevention"]["receivers"][0], "test_user1@test.com");

    let shown = expect_success(
        &cli.run(&["budget", "account", "budget", "show", "--budget_id", &id])
            .await,
    );
    assert_eq!(
        shown, created,
        "json output is the server's response, exactly"
    );
    let keys: Vec<&String> = shown.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["budget", "notifications", "prevention"],
        "keys keep the server's order"
    );

    let table = cli
        .run(&[
            "budget",
            "account",
            "budget",
            "show",
            "--budget_id",
            &id,
            "--output",
            "table",
        ])
        .await;
    let text = stdout(&table);
    assert!(
        text.contains("test_budget")
            && text.contains("1,000,000")
            && text.contains("prevention.threshold"),
        "{text}"
    );
    // Table output adds where the budget stands (scpfm's status extension).
    for row in [
        "status.period",
        "status.cost",
        "0.000 KRW",
        "status.percent",
        "80 %: not reached",
        "ALLOWED (threshold 80 %)",
        "status.last_mail",
    ] {
        assert!(text.contains(row), "{row:?} missing from\n{text}");
    }

    expect_success(
        &cli.run(&with(
            &CREATE,
            &[
                "--unit",
                "OVERALL",
                "--start_month",
                "2026-02",
                "--name",
                "second",
                "--amount",
                "5",
            ],
        ))
        .await,
    );
    let listed = expect_success(
        &cli.run(&[
            "budget", "account", "budget", "list", "--sort", "name:asc", "--size", "1", "--page",
            "1",
        ])
        .await,
    );
    assert_eq!(
        (
            listed["count"].as_i64(),
            listed["size"].as_i64(),
            listed["page"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(listed["budgets"][0]["name"], "test_budget");
    let searched = expect_success(
        &cli.run(&[
            "budget",
            "account",
            "budget",
            "list",
            "--search_name",
            "TEST",
        ])
        .await,
    );
    assert_eq!(searched["count"], 1);
    let exact = expect_success(
        &cli.run(&[
            "budget",
            "account",
            "budget",
            "list",
            "--budget_name",
            "second",
        ])
        .await,
    );
    assert_eq!(exact["budgets"][0]["unit"], "OVERALL");
    let table = stdout(
        &cli.run(&["budget", "account", "budget", "list", "--output", "table"])
            .await,
    );
    assert!(
        table.contains("count: 2") && table.contains("second") && table.contains("START MONTH"),
        "{table}"
    );

    let set = expect_success(
        &cli.run(&[
            "budget",
            "account",
            "budget",
            "set",
            "--budget_id",
            &id,
            "--unit",
            "MONTHLY",
            "--start_month",
            "2026-03",
            "--name",
            "renamed",
            "--amount",
            "2000000",
            "--is_use_notification",
            "false",
        ])
        .await,
    );
    assert_eq!(set["budget"]["amount"], 2_000_000);
    assert_eq!(set["notifications"]["is_use_notification"], false);
    assert_eq!(
        set["prevention"]["is_use_prevention"], true,
        "settings the command leaves out are kept"
    );

    let deleted = cli
        .run(&["budget", "account", "budget", "delete", "--budget_id", &id])
        .await;
    assert_eq!(
        (deleted.status.code(), stdout(&deleted).as_str()),
        (Some(0), "")
    );
    let table_delete = cli
        .run(&[
            "budget",
            "account",
            "budget",
            "delete",
            "--budget_id",
            &id,
            "--output",
            "table",
        ])
        .await;
    assert_eq!(
        table_delete.status.code(),
        Some(1),
        "deleting twice is refused"
    );
    assert!(
        stderr(&table_delete).contains("NOT_FOUND"),
        "{}",
        stderr(&table_delete)
    );
}

async fn booleans_and_array_flags_take_every_documented_spelling(backend: Backend) {
    let cli = Harness::start(backend).await;
    let base = [
        "--unit",
        "MONTHLY",
        "--start_month",
        "2026-01",
        "--amount",
        "10",
    ];
    let repeated = expect_success(
        &cli.run(&with(
            &with(&CREATE, &base),
            &[
                "--name",
                "a",
                "--is_use_notification",
                "true",
                "--thresholds",
                "100",
                "--thresholds",
                "70,90",
                "--notifications_receivers",
                "n1@test.com,n2@test.com",
                "--prevention_receivers",
                "p@test.com",
                "--is_use_prevention",
                "False",
            ],
        ))
        .await,
    );
    assert_eq!(
        repeated["notifications"]["thresholds"],
        serde_json::json!([70, 90, 100])
    );
    assert_eq!(
        repeated["notifications"]["receivers"],
        serde_json::json!(["n1@test.com", "n2@test.com"])
    );
    assert_eq!(
        repeated["prevention"]["receivers"],
        serde_json::json!(["p@test.com"])
    );
    assert_eq!(repeated["prevention"]["is_use_prevention"], false);
    let both = expect_success(
        &cli.run(&with(
            &with(&CREATE, &base),
            &[
                "--name",
                "b",
                "--receivers",
                "r1@test.com",
                "--receivers",
                "r2@test.com",
                "--is_use_notification",
                "TRUE",
                "--is_use_prevention",
                "false",
            ],
        ))
        .await,
    );
    assert_eq!(
        both["notifications"]["receivers"],
        both["prevention"]["receivers"]
    );
    assert_eq!(
        both["notifications"]["receivers"],
        serde_json::json!(["r1@test.com", "r2@test.com"])
    );
    let bad_bool = cli
        .run(&with(
            &with(&CREATE, &base),
            &["--name", "c", "--is_use_notification", "sure"],
        ))
        .await;
    assert_eq!(bad_bool.status.code(), Some(2));
}

/// Usage of October 2026 for the harness account, stored through an admin key.
async fn ingest_october(harness: &Harness) {
    let now = chrono::Utc::now();
    let operator = create_account(&harness.store, "operator", None, None, now)
        .await
        .unwrap();
    let request = KeyRequest {
        account: operator.id.as_str(),
        user_name: Some("operator"),
        is_admin: true,
        fixed: None,
    };
    let key = create_access_key(&harness.store, request, now)
        .await
        .unwrap();
    let config = scpfm_client::ClientConfig::new(
        scpfm_client::Endpoint::Single(harness.server.url()),
        &key.access_key,
        &key.secret_key,
    );
    let admin = scpfm_client::Client::new(config).unwrap();
    let records: Vec<scpfm_api_types::usage::UsageRecordInput> = (0..30)
        .map(|hour| {
            let start = chrono::NaiveDate::from_ymd_opt(2026, 10, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + chrono::Duration::hours(hour);
            let end = start + chrono::Duration::hours(1);
            serde_json::from_value(serde_json::json!({
                "record_id": format!("vm/{hour}"),
                "account_id": harness.account_id,
                "resource_id": if hour % 2 == 0 { "vm-a" } else { "vm-b" },
                "resource_name": if hour % 2 == 0 { "vm-a" } else { "vm-b" },
                "billing_item_id": "VIRTUAL_SERVER",
                "region": "kr-west1",
                "attributes": {"server_type": "s1v1m2", "os_type": "OPEN_SOURCE"},
                "period_start": start.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "period_end": end.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "quantity": "1",
                "unit": "HOUR",
            }))
            .unwrap()
        })
        .collect();
    admin.ingest_usage(&records).await.unwrap();
}

async fn costexplorer_lists_usages_bills_and_payments(backend: Backend) {
    let harness = Harness::start(backend).await;
    ingest_october(&harness).await;

    let usages = expect_success(
        &harness
            .run(&[
                "costexplorer",
                "usages",
                "list",
                "--limit",
                "2",
                "--start_date",
                "2026-10-01",
            ])
            .await,
    );
    assert_eq!(usages["usages"].as_array().unwrap().len(), 2);
    assert_eq!(usages["links"][1]["rel"], "next");
    let table = harness
        .run(&[
            "costexplorer",
            "usages",
            "list",
            "--resource_name",
            "vm-a",
            "--output",
            "table",
        ])
        .await;
    expect_success(&table);
    assert!(stdout(&table).contains("USAGE DATE (KST)") && stdout(&table).contains("vm-a"));

    let bill_list = ["costexplorer", "bill", "list"];
    let bills = expect_success(
        &harness
            .run(&with(
                &bill_list,
                &["--bill_year_month", "2026-10", "--with_count", "true"],
            ))
            .await,
    );
    assert_eq!(bills["count"], 2);
    assert_eq!(bills["bills"][0]["bill_state"], "USED");
    assert_eq!(bills["bills"][0]["billing_item_id"], "VIRTUAL_SERVER");
    let first = bills["bills"][0]["id"].as_str().unwrap().to_owned();
    let next = expect_success(
        &harness
            .run(&with(&bill_list, &["--limit", "1", "--marker", &first]))
            .await,
    );
    assert_eq!(next["bills"][0]["id"], bills["bills"][1]["id"]);

    let october = scpfm_domain::month::YearMonth::new(2026, 10).unwrap();
    harness
        .store
        .close_month(
            &scpfm_app::catalog_file::load(None).unwrap(),
            october,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let table = harness
        .run(&with(
            &bill_list,
            &["--bill_state", "BILLED", "--output", "table"],
        ))
        .await;
    expect_success(&table);
    assert!(stdout(&table).contains("BILLED") && stdout(&table).contains("AMOUNT KRW"));

    let show = ["costexplorer", "payment", "monthly", "show"];
    let payments = expect_success(
        &harness
            .run(&with(&show, &["--size", "5", "--page", "1"]))
            .await,
    );
    assert_eq!(payments["count"], 1);
    assert_eq!(payments["payments"][0]["bill_year_month"], "2026-10");
    assert_eq!(
        payments["payments"][0]["bill_amount"],
        payments["payments"][0]["unpaid_amount"]
    );
    let table = harness.run(&with(&show, &["--output", "table"])).await;
    expect_success(&table);
    assert!(stdout(&table).contains("UNPAID") && stdout(&table).contains("ACCUMULATED UNPAID"));

    let bad = harness
        .run(&with(&bill_list, &["--bill_state", "NOPE"]))
        .await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("bill_state"), "{}", stderr(&bad));
}

async fn cost_analysis_commands_draw_tables_forecast_and_export(backend: Backend) {
    let harness = Harness::start(backend).await;
    ingest_october(&harness).await;
    let october = scpfm_domain::month::YearMonth::new(2026, 10).unwrap();
    let catalog = scpfm_app::catalog_file::load(None).unwrap();
    harness
        .store
        .close_month(&catalog, october, chrono::Utc::now())
        .await
        .unwrap();
    let list = ["costexplorer", "cost", "and", "usage", "list"];
    let window = [
        "--start_date",
        "2026-10-01",
        "--end_date",
        "2026-10-31",
        "--granularity",
    ];
    // 30 hours of an s1v1m2 server at 22.60 KRW, half on each resource, on 1 and 2 October.
    let table = harness
        .run(&with(
            &with(&list, &window),
            &["DAILY", "--group_by", "RESOURCE", "--output", "table"],
        ))
        .await;
    expect_success(&table);
    let text = stdout(&table);
    assert!(
        text.contains("vm-a") && text.contains("vm-b") && text.contains("TOTAL"),
        "{text}"
    );
    let total_row = text
        .lines()
        .find(|line| line.starts_with("| TOTAL"))
        .unwrap();
    assert!(
        total_row.contains("| 339 ") && total_row.contains("| 678 "),
        "{total_row}"
    );
    let json = expect_success(
        &harness
            .run(&with(
                &with(&list, &window),
                &[
                    "MONTHLY",
                    "--group_by",
                    "SERVICE_CATEGORY,TAG:team",
                    "--metrics",
                    "NET_COST,USAGE_QUANTITY",
                ],
            ))
            .await,
    );
    assert_eq!(
        json["group_by"],
        serde_json::json!(["SERVICE_CATEGORY", "TAG:team"])
    );
    let group = &json["results"][0]["groups"][0];
    assert_eq!(group["keys"], serde_json::json!(["COMPUTE", ""]));
    assert_eq!(group["metrics"]["NET_COST"]["krw"], "678.000");
    assert_eq!(group["metrics"]["USAGE_QUANTITY"]["unit"], "HOUR");
    let bad = harness
        .run(&with(
            &with(&list, &window),
            &["DAILY", "--group_by", "REGION,ACCOUNT,RESOURCE"],
        ))
        .await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("group_by"), "{}", stderr(&bad));

    let today = (chrono::Utc::now() + chrono::Duration::hours(9)).date_naive();
    let until = today + chrono::Duration::days(30);
    let (today, until) = (today.to_string(), until.to_string());
    let forecast = harness
        .run(&[
            "costexplorer",
            "cost",
            "forecast",
            "show",
            "--start_date",
            &today,
            "--end_date",
            &until,
            "--granularity",
            "MONTHLY",
            "--output",
            "table",
        ])
        .await;
    expect_success(&forecast);
    assert!(
        stdout(&forecast).contains("80% INTERVAL"),
        "{}",
        stdout(&forecast)
    );

    let file = harness.home.path().join("focus.csv");
    let export = harness
        .run(&[
            "costexplorer",
            "focus",
            "export",
            "--billing_period",
            "2026-10",
            "--file",
            file.to_str().unwrap(),
        ])
        .await;
    expect_success(&export);
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("AvailabilityZone,BilledCost,"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        1 + 4,
        "two resources on two days: {csv}"
    );
    let open = harness
        .run(&[
            "costexplorer",
            "focus",
            "export",
            "--billing_period",
            "2026-11",
            "--file",
            "x.csv",
        ])
        .await;
    assert_eq!(open.status.code(), Some(1));
    assert!(
        stderr(&open).contains("billing_period") && stderr(&open).contains("2026-10"),
        "{}",
        stderr(&open)
    );
}

async fn billingplan_commands_order_change_and_quote(backend: Backend) {
    let harness = Harness::start(backend).await;
    let bp = |words: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec!["billingplan"];
        args.extend_from_slice(words);
        args
    };
    let services = expect_success(
        &harness
            .run(&bp(&["list", "planned", "compute", "service", "types"]))
            .await,
    );
    assert!(services["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["service_id"] == "VIRTUAL_SERVER"));
    let servers = harness
        .run(&with(
            &bp(&["list", "planned", "compute", "server", "types"]),
            &[
                "--service_id",
                "VIRTUAL_SERVER",
                "--current_server_type",
                "s1v2m4",
                "--output",
                "table",
            ],
        ))
        .await;
    expect_success(&servers);
    assert!(stdout(&servers).contains("SCALE UP") && stdout(&servers).contains("s1v4m8"));
    let os = expect_success(
        &harness
            .run(&with(
                &bp(&["list", "os", "types"]),
                &["--service_id", "VIRTUAL_SERVER"],
            ))
            .await,
    );
    assert!(os["os_types"].as_array().unwrap().len() >= 4);
    let kinds = expect_success(
        &harness
            .run(&bp(&["list", "planned", "compute", "contract", "types"]))
            .await,
    );
    assert_eq!(kinds["contract_types"][0]["code"], "01");

    let created = expect_success(
        &harness
            .run(&with(
                &bp(&["create", "planned", "computes"]),
                &[
                    "--contract_type",
                    "01",
                    "--os_type",
                    "opensource",
                    "--server_type",
                    "s1v2m4",
                    "--service_id",
                    "VIRTUAL_SERVER",
                    "--tag",
                    r#"{"key": "team", "value": "web"}"#,
                    "--tag",
                    "env=prod",
                ],
            ))
            .await,
    );
    let id = created["planned_compute"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Both tag forms reach the server (stored; the DTO carries no tags, issue 18).
    let stored = harness
        .store
        .get_planned_compute(&harness.account_id.parse().unwrap(), &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.tags,
        vec![
            ("team".to_owned(), Some("web".to_owned())),
            ("env".to_owned(), Some("prod".to_owned()))
        ]
    );
    let shown = harness
        .run(&with(
            &bp(&["get", "planned", "computes"]),
            &["--planned_compute_id", &id, "--output", "table"],
        ))
        .await;
    expect_success(&shown);
    assert!(stdout(&shown).contains("ACTIVE") && stdout(&shown).contains("1-year"));
    let extended = expect_success(
        &harness
            .run(&with(
                &bp(&["set", "planned", "compute"]),
                &[
                    "--planned_compute_id",
                    &id,
                    "--action",
                    "EXTEND_APPLY",
                    "--contract_type",
                    "03",
                ],
            ))
            .await,
    );
    assert_eq!(extended["planned_compute"]["next_contract_type"], "3-year");
    let listed = harness
        .run(&with(
            &bp(&["list", "planned", "computes"]),
            &["--state", "ACTIVE", "--output", "table"],
        ))
        .await;
    expect_success(&listed);
    assert!(
        stdout(&listed).contains("page 1 of 1 (1 contracts)"),
        "{}",
        stdout(&listed)
    );
    let fee = expect_success(
        &harness
            .run(&with(
                &bp(&["get", "cancellation", "fee"]),
                &["--planned_compute_id", &id],
            ))
            .await,
    );
    assert_eq!(fee["same_day_cancel"], true);
    // An action that does not fit: exit 1 with the server's reason.
    let refused = harness
        .run(&with(
            &bp(&["set", "planned", "compute"]),
            &[
                "--planned_compute_id",
                &id,
                "--action",
                "EXTEND_APPLY",
                "--contract_type",
                "01",
            ],
        ))
        .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("already has a renewal"),
        "{}",
        stderr(&refused)
    );
    let coverage = harness
        .run(&with(
            &bp(&["list", "planned", "compute", "instances"]),
            &[
                "--service_id",
                "VIRTUAL_SERVER",
                "--os_type",
                "OPEN_SOURCE",
                "--server_type",
                "s1v2m4",
                "--start_date",
                "2026-01-01",
                "--end_date",
                "2026-01-31",
                "--output",
                "table",
            ],
        ))
        .await;
    expect_success(&coverage);
    // January 2026 is before the contract existed: none counted (issue 14).
    assert!(
        stdout(&coverage).contains("0 contracts"),
        "{}",
        stdout(&coverage)
    );
    // A missing required flag never reaches the server.
    let missing = harness.run(&bp(&["create", "planned", "computes"])).await;
    assert_eq!(missing.status.code(), Some(2));
}

backend_tests!(
    create_show_list_set_delete_in_json_and_table,
    booleans_and_array_flags_take_every_documented_spelling,
    costexplorer_lists_usages_bills_and_payments,
    cost_analysis_commands_draw_tables_forecast_and_export,
    billingplan_commands_order_change_and_quote,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_required_flag_is_caught_before_any_request() {
    let cli = Harness::start(Backend::Sqlite).await;
    // Nothing listens here: only a command that tried to send could report a network error.
    let closed = [
        ("SCP_ACCESS_KEY", "k"),
        ("SCP_SECRET_KEY", "s"),
        ("SCP_ENDPOINT_URL", "http://127.0.0.1:9"),
    ];
    let missing = cli
        .run_with(
            &with(
                &CREATE,
                &[
                    "--unit",
                    "MONTHLY",
                    "--start_month",
                    "2026-01",
                    "--name",
                    "x",
                ],
            ),
            &closed,
        )
        .await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("--amount"),
        "{}",
        stderr(&missing)
    );
    assert!(!stderr(&missing).contains("cannot reach"));
    let complete = cli
        .run_with(
            &with(
                &CREATE,
                &[
                    "--unit",
                    "MONTHLY",
                    "--start_month",
                    "2026-01",
                    "--name",
                    "x",
                    "--amount",
                    "1",
                ],
            ),
            &closed,
        )
        .await;
    assert_eq!(complete.status.code(), Some(2));
    assert!(
        stderr(&complete).contains("cannot reach"),
        "{}",
        stderr(&complete)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_refusals_exit_1_with_the_servers_detail() {
    let cli = Harness::start(Backend::Sqlite).await;
    let args = with(
        &CREATE,
        &[
            "--unit",
            "WEEKLY",
            "--start_month",
            "2026-13",
            "--name",
            "x",
            "--amount",
            "0",
        ],
    );
    let refused = cli.run(&args).await;
    assert_eq!(refused.status.code(), Some(1));
    let text = stderr(&refused);
    assert!(text.contains("HTTP 400"), "{text}");
    assert!(
        text.contains("unit must be one of MONTHLY, OVERALL"),
        "{text}"
    );
    assert!(
        text.contains("[start_month]") && text.contains("[amount]"),
        "{text}"
    );
    let korean = cli.run(&with(&args, &["--language", "ko-KR"])).await;
    assert!(
        stderr(&korean).contains("중 하나여야 합니다"),
        "{}",
        stderr(&korean)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_come_from_flags_env_profiles_and_sdk_files() {
    let cli = Harness::start(Backend::Sqlite).await;
    let url = cli.server.url();
    let list = ["budget", "account", "budget", "list"];

    let nothing = cli.run_with(&list, &[]).await;
    assert_eq!(nothing.status.code(), Some(2));
    assert!(
        stderr(&nothing).contains("scpcli configure"),
        "{}",
        stderr(&nothing)
    );

    // configure writes a named profile, readable only by its owner.
    let configured = cli
        .run_with(
            &[
                "configure",
                "--profile",
                "local",
                "--access_key",
                &cli.access_key,
                "--secret_key",
                &cli.secret_key,
                "--endpoint_url",
                &url,
                "--no_prompt",
            ],
            &[],
        )
        .await;
    assert_eq!(configured.status.code(), Some(0), "{}", stderr(&configured));
    let path = cli.home.path().join(".scp/cli-config.json");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        file["profiles"]["local"]["access_secret_key"],
        cli.secret_key.as_str()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    expect_success(
        &cli.run_with(&with(&list, &["--profile", "local"]), &[])
            .await,
    );
    expect_success(&cli.run_with(&list, &[("SCP_PROFILE", "local")]).await);
    // An explicit profile outranks stale environment credentials.
    let stale = [("SCP_ACCESS_KEY", "STALE"), ("SCP_SECRET_KEY", "stale")];
    expect_success(
        &cli.run_with(&with(&list, &["--profile", "local"]), &stale)
            .await,
    );
    let missing = cli
        .run_with(&with(&list, &["--profile", "nope"]), &[])
        .await;
    assert_eq!(missing.status.code(), Some(2));

    // Flags override the environment.
    let flagged = with(
        &list,
        &[
            "--access_key",
            &cli.access_key,
            "--secret_key",
            &cli.secret_key,
            "--endpoint_url",
            &url,
        ],
    );
    expect_success(&cli.run_with(&flagged, &stale).await);
    let wrong_flag = with(&list, &["--secret_key", "wrong"]);
    let refused = cli.run(&wrong_flag).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("SIGNATURE_MISMATCH"));

    // The SDK's files are the last resort.
    let sdk_dir = cli.home.path().join(".scpconf");
    std::fs::create_dir_all(&sdk_dir).unwrap();
    write(
        &sdk_dir.join("credentials.json"),
        &format!(
            r#"{{"access-key": "{}", "secret-key": "{}"}}"#,
            cli.access_key, cli.secret_key
        ),
    );
    write(
        &sdk_dir.join("config.json"),
        r#"{"auth-url": "https://iam.e.samsungsdscloud.com/v1", "default-region": "kr-west1"}"#,
    );
    expect_success(
        &cli.run_with(&list, &[("SCP_ENDPOINT_URL", url.as_str())])
            .await,
    );
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_shows_the_signed_request_but_never_the_secret() {
    let cli = Harness::start(Backend::Sqlite).await;
    let output = cli
        .run(&["budget", "account", "budget", "list", "--debug"])
        .await;
    expect_success(&output);
    let text = stderr(&output);
    assert!(text.contains("> GET http://127.0.0.1:"), "{text}");
    assert!(
        text.contains("scp-signature: ") && text.contains("string-to-sign: GET"),
        "{text}"
    );
    assert!(text.contains("< 200 OK"), "{text}");
    assert!(!text.contains(&cli.secret_key), "the secret never appears");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_shows_the_seeds_descriptions() {
    let cli = Harness::start(Backend::Sqlite).await;
    let operations = stdout(
        &cli.run_with(&["budget", "account", "budget", "--help"], &[])
            .await,
    );
    for (name, description) in [
        ("create", "create a account budget"),
        ("delete", "delete a specific account budget"),
        ("list", "get account budgets list"),
        ("set", "set a specific account budget"),
        ("show", "show a specific account budget"),
    ] {
        assert!(
            operations.contains(name) && operations.contains(description),
            "{operations}"
        );
    }
    let create = stdout(&cli.run_with(&with(&CREATE, &["--help"]), &[]).await);
    for text in [
        "--unit <VALUE>",
        "Budget management unit (MONTHLY or OVERALL)",
        "--start_month <VALUE>",
        "Budget start month (ex.YYYY-MM)",
        "The notification frequency can be FIRST, DAILY, or NONE.",
        "Thresholds for receiving threshold exceed notification email: 70/80/90/100.",
        "--notifications_receivers",
        "--prevention_receivers",
    ] {
        assert!(
            create.contains(text),
            "create --help lacks {text:?}:\n{create}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prevention_is_switched_on_only_when_asked() {
    let cli = Harness::start(Backend::Sqlite).await;
    let base = [
        "--unit",
        "MONTHLY",
        "--start_month",
        "2026-12",
        "--amount",
        "1000",
    ];
    for (name, flags) in [
        ("by-receivers", vec!["--receivers", "x@example.com"]),
        ("by-threshold", vec!["--threshold", "90"]),
    ] {
        let mut args = with(&CREATE, &base);
        args.extend(["--name", name]);
        args.extend(flags);
        let created = expect_success(&cli.run(&args).await);
        assert_eq!(created["prevention"]["is_use_prevention"], false, "{name}");
    }
    // Asked for, it is on; a set that leaves the flag out keeps it on.
    let mut asked = with(&CREATE, &base);
    asked.extend(["--name", "asked", "--is_use_prevention", "yes"]);
    let created = expect_success(&cli.run(&asked).await);
    assert_eq!(created["prevention"]["is_use_prevention"], true);
    let id = created["budget"]["id"].as_str().unwrap().to_owned();
    let mut set = with(
        &["budget", "account", "budget", "set", "--budget_id", &id],
        &base,
    );
    set.extend(["--name", "asked", "--threshold", "70"]);
    let changed = expect_success(&cli.run(&set).await);
    assert_eq!(changed["prevention"]["is_use_prevention"], true);
    assert_eq!(changed["prevention"]["threshold"], 70);
    // Other spellings are refused clearly.
    let mut wrong = with(&CREATE, &base);
    wrong.extend(["--name", "wrong", "--is_use_prevention", "sure"]);
    let refused = cli.run(&wrong).await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("expected True or False"),
        "{}",
        stderr(&refused)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_scp_style_config_with_auth_url_reaches_that_host() {
    let cli = Harness::start(Backend::Sqlite).await;
    let dir = cli.home.path().join(".scp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("cli-config.json"),
        format!(
            r#"{{"auth_url": "{}/v1/endpoints", "access_key": "{}", "access_secret_key": "{}"}}"#,
            cli.server.url(),
            cli.access_key,
            cli.secret_key
        ),
    )
    .unwrap();
    let listed = expect_success(
        &cli.run_with(&["budget", "account", "budget", "list"], &[])
            .await,
    );
    assert_eq!(listed["count"], 0);
}
