//! Two `scpfm serve` processes on one PostgreSQL database, both evaluating every budget every
//! second while usage arrives, send each notification mail exactly once.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use scpfm_admin::mail_sink::SmtpSink;
use scpfm_testkit::{skip_postgres, Backend};
use serde_json::json;

use crate::helpers::{create_budget_from, vm_hour, TestApp};

const ACCOUNTS: usize = 8;
/// Two budgets an account, each reaching four thresholds and its prevention threshold.
const MAILS: usize = ACCOUNTS * 2 * 5;

/// A server process, killed when dropped.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(
    database_url: &str,
    sink: SocketAddr,
    workdir: &std::path::Path,
    name: &str,
) -> ServerProcess {
    let log = std::fs::File::create(workdir.join(format!("{name}.log"))).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_scpfm"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(workdir)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env("SCPFM_CLOCK__START", "2026-11-20T12:00:00+09:00")
        .env("SCPFM_BUDGETS__EVALUATE_EVERY_SECONDS", "1")
        .env("SCPFM_BILLING__CLOSE_CHECK_SECONDS", "0")
        .env("SCPFM_MAIL__HOST", sink.ip().to_string())
        .env("SCPFM_MAIL__PORT", sink.port().to_string())
        .env("SCPFM_MAIL__TLS", "none")
        .env("SCPFM_MAIL__POLL_SECONDS", "1")
        .env("SCPFM_MAIL__TIMEOUT_SECONDS", "5")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("scpfm serve starts");
    ServerProcess(child)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_send_each_mail_once() {
    if skip_postgres() {
        return;
    }
    let sink = SmtpSink::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    // The in-process server only sets things up: it runs no evaluator.
    let app = TestApp::spawn(Backend::Postgres).await;
    let admin = app.client(&app.admin("ops").await);
    let mut accounts = Vec::new();
    for idx in 0..ACCOUNTS {
        let account = app.account(&format!("team-{idx}")).await;
        let client = app.client(&account);
        for (name, unit, amount) in [("monthly", "MONTHLY", 700), ("overall", "OVERALL", 1000)] {
            let body = json!({
                "name": name, "unit": unit, "start_month": "2026-11", "amount": amount,
                "notifications": {"thresholds": [70, 80, 90, 100],
                                  "receivers": [format!("lead-{idx}-{name}@example.com")]},
                "prevention": {"is_use_prevention": true, "threshold": 100,
                               "receivers": [format!("ops-{idx}-{name}@example.com")]},
            });
            create_budget_from(&client, body).await;
        }
        accounts.push(account);
    }
    let day = |day: &str| -> Vec<_> {
        accounts
            .iter()
            .enumerate()
            .flat_map(|(idx, account)| {
                let vm = format!("vm-{idx}");
                (0..24).map(move |hour| vm_hour(account, &vm, &format!("{day}T{hour:02}:00:00")))
            })
            .collect()
    };
    // First wave: 77 % of each monthly budget (its 70 % threshold), 54 % of each overall one.
    admin.ingest_usage(&day("2026-11-18")).await.unwrap();

    let workdir = tempfile::tempdir().unwrap();
    let _first = start_server(app.database_url(), sink.addr(), workdir.path(), "first");
    let _second = start_server(app.database_url(), sink.addr(), workdir.path(), "second");
    let logs = || {
        ["first", "second"]
            .map(|name| std::fs::read_to_string(workdir.path().join(format!("{name}.log"))))
            .map(Result::unwrap_or_default)
            .join("\n")
    };
    let first_wave = sink.wait_for(ACCOUNTS, Duration::from_secs(60)).await;
    assert!(
        first_wave.len() >= ACCOUNTS,
        "the servers evaluate and send; their logs:\n{}",
        logs()
    );

    // Second wave, while both servers evaluate every second: every other threshold and
    // prevention.
    admin.ingest_usage(&day("2026-11-19")).await.unwrap();
    sink.wait_for(MAILS, Duration::from_secs(60)).await;
    // Let both servers run a few more rounds.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mails = sink.received();
    let distinct: HashSet<(String, String)> = mails
        .iter()
        .map(|mail| (mail.recipients.join(","), mail.message_id()))
        .collect();
    assert_eq!(distinct.len(), MAILS, "every notification mail arrived");
    assert_eq!(mails.len(), MAILS, "and none twice");
    let subjects: HashSet<(String, String)> = mails
        .iter()
        .map(|mail| (mail.recipients.join(","), mail.subject()))
        .collect();
    assert_eq!(subjects.len(), MAILS);
}
