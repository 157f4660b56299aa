//! Budgets that act: evaluation, threshold mail through a real SMTP server (the in-process
//! sink), exactly once across repeated runs and restarts, retries through a broken SMTP
//! server, and creation prevention — on the test clock, on SQLite and on PostgreSQL.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use scpfm_admin::mail_sink::{ReceivedMail, SinkBehaviour, SmtpSink};
use scpfm_api_types::budget_status::{BudgetStatus, CreationCheckQuery};
use scpfm_app::budget_evaluator::{evaluate_accounts, EvaluationRun};
use scpfm_app::clock::Clock as _;
use scpfm_app::mail::sender::{deliver_due, DeliveryRun, SenderConfig};
use scpfm_app::mail::{Composer, Mailer};
use scpfm_client::Client;
use scpfm_config::{MailDelivery, MailTls, Settings};
use scpfm_store::Store;
use scpfm_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::billing_plan::planned_computes::order;
use crate::helpers::{
    create_budget_from, error_code, error_fields, expect_status, send_json, vm_hour, TestAccount,
    TestApp,
};

/// Settings that send mail to `sink`, quickly giving up on a silent server.
fn mail_settings(sink: SocketAddr) -> Settings {
    let mut settings = Settings::default();
    settings.mail.host = Some(sink.ip().to_string());
    settings.mail.port = Some(sink.port());
    settings.mail.tls = MailTls::None;
    settings.mail.timeout_seconds = 1;
    settings.mail.retry_initial_seconds = 60;
    settings.mail.max_attempts = 2;
    settings.mail.poll_seconds = 1;
    settings
}

/// A test server, an SMTP sink, and the evaluator and sender driven by hand on the test clock.
struct Alerting {
    app: TestApp,
    sink: SmtpSink,
    settings: Settings,
    admin: Client,
}

impl Alerting {
    async fn spawn(backend: Backend) -> Self {
        let sink = SmtpSink::start(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let settings = mail_settings(sink.addr());
        let app = TestApp::spawn_with(backend, settings.clone(), None).await;
        let admin = app.client(&app.admin("ops").await);
        Self {
            app,
            sink,
            settings,
            admin,
        }
    }

    /// One evaluation of every budget, by the evaluator named `holder`, on `store`.
    async fn evaluate_on(&self, store: &Store, holder: &str) -> EvaluationRun {
        let composer = Composer::new(self.settings.mail.language, &self.settings.mail.from);
        evaluate_accounts(store, &composer, holder, None, self.app.clock.now())
            .await
            .unwrap()
    }

    async fn evaluate(&self) -> EvaluationRun {
        self.evaluate_on(&self.app.store, "evaluator-1").await
    }

    async fn deliver_with(&self, settings: &Settings) -> DeliveryRun {
        let mailer = Mailer::from_settings(&settings.mail).unwrap().unwrap();
        let config = SenderConfig::from_settings(&settings.mail, "sender-1".into());
        deliver_due(&self.app.store, &mailer, &config, &self.app.clock)
            .await
            .unwrap()
    }

    async fn deliver(&self) -> DeliveryRun {
        self.deliver_with(&self.settings).await
    }

    /// Ingests virtual server hours `hours` of `day` (KST) for `account`.
    async fn vm_hours(&self, account: &TestAccount, day: &str, hours: std::ops::Range<u32>) {
        let records: Vec<_> = hours
            .map(|hour| vm_hour(account, "vm", &format!("{day}T{hour:02}:00:00")))
            .collect();
        self.admin.ingest_usage(&records).await.unwrap();
    }

    /// A customer account and its signed client.
    async fn customer(&self) -> (TestAccount, Client) {
        let account = self.app.account("acme").await;
        let client = self.app.client(&account);
        (account, client)
    }

    fn advance(&self, seconds: i64) {
        self.app.clock.advance(chrono::Duration::seconds(seconds));
    }
}

async fn set_budget(client: &Client, id: &str, body: serde_json::Value) {
    let path = format!("/v1/budgets/account/{id}");
    let response = send_json(client, "budget", reqwest::Method::PUT, &path, &body).await;
    expect_status(response, 200);
}

async fn status(client: &Client, id: &str) -> BudgetStatus {
    client.budget_status(id).await.unwrap().status
}

fn recorded(run: &EvaluationRun) -> Vec<String> {
    let mut keys: Vec<String> = run
        .budgets
        .iter()
        .flat_map(|budget| budget.recorded.clone())
        .collect();
    keys.sort();
    keys
}

/// (recipient, subject) of every mail, sorted.
fn deliveries(mails: &[ReceivedMail]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = mails
        .iter()
        .map(|mail| (mail.recipients.join(","), mail.subject()))
        .collect();
    pairs.sort();
    pairs
}

fn kst(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{text}+09:00"))
        .unwrap()
        .with_timezone(&Utc)
}

async fn first_mails_each_threshold_once_per_period(backend: Backend) {
    let alerting = Alerting::spawn(backend).await;
    let (account, client) = alerting.customer().await;
    let monthly = create_budget_from(
        &client,
        json!({"name": "team-monthly", "unit": "MONTHLY", "start_month": "2026-11", "amount": 1000,
               "notifications": {"notification_send_period": "FIRST", "thresholds": [70, 90],
                                 "receivers": ["lead@example.com", "cfo@example.com"]}}),
    )
    .await;
    create_budget_from(
        &client,
        json!({"name": "team-overall", "unit": "OVERALL", "start_month": "2026-11", "amount": 1200,
               "notifications": {"thresholds": [70], "receivers": ["lead@example.com"]}}),
    )
    .await;

    // 20 hours: 45 % of the monthly amount; nothing is reached.
    alerting.vm_hours(&account, "2026-11-19", 0..20).await;
    assert!(recorded(&alerting.evaluate().await).is_empty());

    // 32 hours: 72 %. The monthly budget's 70 % threshold is recorded once, for two receivers.
    alerting.vm_hours(&account, "2026-11-19", 20..24).await;
    alerting.vm_hours(&account, "2026-11-18", 0..8).await;
    let run = alerting.evaluate().await;
    assert_eq!(recorded(&run), ["first/2026-11/70"]);
    assert_eq!(run.mails_queued(), 2);
    let seventy = status(&client, &monthly).await;
    assert_eq!(
        (seventy.cost.as_str(), seventy.percent.as_str()),
        ("723.200", "72.32")
    );

    // Evaluating again, by a second evaluator, and after a restart (a new process on the same
    // database) records nothing new.
    assert!(recorded(&alerting.evaluate().await).is_empty());
    assert!(recorded(
        &alerting
            .evaluate_on(&alerting.app.store, "evaluator-2")
            .await
    )
    .is_empty());
    let restarted = Store::open(alerting.app.database_url()).await.unwrap();
    assert!(recorded(&alerting.evaluate_on(&restarted, "after-restart").await).is_empty());

    // 40 hours: 90.4 % monthly (90 % reached) and 75.3 % overall (70 % reached).
    alerting.vm_hours(&account, "2026-11-18", 8..16).await;
    let run = alerting.evaluate().await;
    assert_eq!(recorded(&run), ["first/2026-11/90", "first/2026-11~/70"]);
    assert_eq!(run.mails_queued(), 3);

    let delivered = alerting.deliver().await;
    assert_eq!((delivered.sent, delivered.retrying), (5, 0));
    assert_eq!(
        alerting.deliver().await.sent,
        0,
        "sent mail is never sent again"
    );
    let mails = alerting.sink.received();
    assert_eq!(
        deliveries(&mails),
        [
            ("cfo@example.com".into(), "[예산 알림] 예산 team-monthly 사용률 70% 도달 (2026-11) / Budget alert: team-monthly reached 70 % of its amount (2026-11)".to_owned()),
            ("cfo@example.com".into(), "[예산 알림] 예산 team-monthly 사용률 90% 도달 (2026-11) / Budget alert: team-monthly reached 90 % of its amount (2026-11)".to_owned()),
            ("lead@example.com".into(), "[예산 알림] 예산 team-monthly 사용률 70% 도달 (2026-11) / Budget alert: team-monthly reached 70 % of its amount (2026-11)".to_owned()),
            ("lead@example.com".into(), "[예산 알림] 예산 team-monthly 사용률 90% 도달 (2026-11) / Budget alert: team-monthly reached 90 % of its amount (2026-11)".to_owned()),
            ("lead@example.com".into(), "[예산 알림] 예산 team-overall 사용률 70% 도달 (2026-11 ~ 2026-11) / Budget alert: team-overall reached 70 % of its amount (2026-11 ~ 2026-11)".to_owned()),
        ]
    );
    let first = mails
        .iter()
        .find(|mail| mail.subject().contains("team-monthly 사용률 70%"))
        .unwrap();
    let body = first.text();
    for fact in [
        "team-monthly",
        "2026-11 (monthly)",
        "1,000 KRW",
        "723.200 KRW",
        "72.32 %",
        "72.32%",
        "Threshold  70 %",
        "임계값",
        "2026-11-20 12:00:00 KST",
    ] {
        assert!(body.contains(fact), "{fact:?} missing from\n{body}");
    }
    let ids: HashSet<String> = mails.iter().map(ReceivedMail::message_id).collect();
    assert_eq!(ids.len(), 5, "every mail has its own Message-ID");
    let shown = status(&client, &monthly).await;
    let last = shown.last_mail.unwrap();
    assert_eq!(
        (last.kind.as_str(), last.threshold, last.mails_sent),
        ("THRESHOLD", 90, 2)
    );
    assert!(shown
        .notifications
        .thresholds
        .iter()
        .all(|t| t.reached && t.notified_at.is_some()));

    // A new month is a new period for the monthly budget, not for the overall one.
    alerting.app.clock.set(kst("2026-12-02T12:00:00"));
    alerting.vm_hours(&account, "2026-12-01", 0..24).await;
    alerting.vm_hours(&account, "2026-12-02", 0..8).await;
    let run = alerting.evaluate().await;
    assert_eq!(recorded(&run), ["first/2026-12/70"]);
    assert_eq!(alerting.deliver().await.sent, 2);
    let december = status(&client, &monthly).await;
    assert_eq!(december.period.unwrap().key, "2026-12");
    assert_eq!(alerting.sink.received().len(), 7);
}

async fn daily_mails_once_a_kst_day_while_above(backend: Backend) {
    let alerting = Alerting::spawn(backend).await;
    let (account, client) = alerting.customer().await;
    create_budget_from(
        &client,
        json!({"name": "daily", "unit": "MONTHLY", "start_month": "2026-11", "amount": 1000,
               "notifications": {"notification_send_period": "DAILY", "thresholds": [70, 90],
                                 "receivers": ["lead@example.com"]}}),
    )
    .await;
    alerting.vm_hours(&account, "2026-11-19", 0..24).await;
    alerting.vm_hours(&account, "2026-11-18", 0..16).await;
    assert_eq!(
        recorded(&alerting.evaluate().await),
        ["daily/2026-11/2026-11-20"]
    );
    alerting.advance(3600);
    assert!(
        recorded(&alerting.evaluate().await).is_empty(),
        "once a day"
    );
    // 00:30 KST the next day.
    alerting.app.clock.set(kst("2026-11-21T00:30:00"));
    assert_eq!(
        recorded(&alerting.evaluate().await),
        ["daily/2026-11/2026-11-21"]
    );
    assert!(recorded(&alerting.evaluate().await).is_empty());
    assert_eq!(alerting.deliver().await.sent, 2);
    let subjects: Vec<String> = alerting
        .sink
        .received()
        .iter()
        .map(ReceivedMail::subject)
        .collect();
    assert!(
        subjects.iter().all(|subject| subject.contains("90 %")),
        "the daily mail names the highest threshold reached: {subjects:?}"
    );
}

async fn none_records_without_mail(backend: Backend) {
    let alerting = Alerting::spawn(backend).await;
    let (account, client) = alerting.customer().await;
    let id = create_budget_from(
        &client,
        json!({"name": "quiet", "unit": "MONTHLY", "start_month": "2026-11", "amount": 1000,
               "notifications": {"notification_send_period": "NONE", "thresholds": [70],
                                 "receivers": ["lead@example.com"]}}),
    )
    .await;
    alerting.vm_hours(&account, "2026-11-19", 0..24).await;
    alerting.vm_hours(&account, "2026-11-18", 0..16).await;
    let run = alerting.evaluate().await;
    assert_eq!(recorded(&run), ["none/2026-11/70"]);
    assert_eq!(run.mails_queued(), 0);
    assert!(recorded(&alerting.evaluate().await).is_empty());
    assert_eq!(alerting.deliver().await, DeliveryRun::default());
    assert!(alerting.sink.received().is_empty());
    let shown = status(&client, &id).await;
    assert!(shown.last_mail.is_none());
    assert_eq!(shown.history.len(), 1);
    assert_eq!(shown.history[0].kind, "RECORDED");
    assert!(shown.history[0].receivers.is_empty());
    assert!(shown.notifications.thresholds[0].reached);
}

async fn prevention_blocks_creation_mails_once_and_lifts_when_raised(backend: Backend) {
    let alerting = Alerting::spawn(backend).await;
    let (account, client) = alerting.customer().await;
    let settings = |amount: i64| {
        json!({"name": "capped", "unit": "MONTHLY", "start_month": "2026-11", "amount": amount,
               "notifications": {"thresholds": [80], "receivers": ["lead@example.com"]},
               "prevention": {"is_use_prevention": true, "threshold": 90,
                              "receivers": ["ops@example.com"]}})
    };
    let id = create_budget_from(&client, settings(1000)).await;
    alerting.vm_hours(&account, "2026-11-19", 0..24).await;
    alerting.vm_hours(&account, "2026-11-18", 0..16).await;

    let refused = client
        .send(Client::create_planned_compute_call(&order("s1v1m2", "OPEN_SOURCE", "01")).unwrap())
        .await
        .unwrap();
    let refused = expect_status(refused, 403);
    assert_eq!(error_code(&refused), "CREATION_PREVENTED");
    let detail = String::from_utf8_lossy(&refused.body).into_owned();
    assert!(
        detail.contains("capped") && detail.contains(&id) && detail.contains("raise the amount")
    );

    let check = |service: &str| {
        let client = client.clone();
        let query = CreationCheckQuery {
            service_id: Some(service.to_owned()),
        };
        async move { client.creation_check(&query).await.unwrap() }
    };
    let blocked = check("VIRTUAL_SERVER").await;
    assert!(!blocked.allowed);
    assert_eq!(blocked.prevented_by[0].budget_id, id);
    assert_eq!(blocked.prevented_by[0].percent, "90.40");
    assert!(
        check("POSTGRESQL").await.prevented_by.len() == 1,
        "databases are prevented too"
    );
    assert!(check("BLOCK_STORAGE").await.allowed, "storage is not");
    let unknown = client
        .send(
            Client::creation_check_call(&CreationCheckQuery {
                service_id: Some("NOPE".into()),
            })
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(error_fields(&expect_status(unknown, 400)), ["service_id"]);

    let run = alerting.evaluate().await;
    assert_eq!(recorded(&run), ["first/2026-11/80", "prevention/2026-11/1"]);
    assert!(recorded(&alerting.evaluate().await).is_empty());
    let shown = status(&client, &id).await;
    assert_eq!(shown.prevention.state, "PREVENTED");
    assert_eq!(
        shown.prevention.since.as_deref(),
        Some("2026-11-20T12:00:00")
    );
    assert!(client.budget_statuses().await.unwrap().creation_prevented);
    assert_eq!(alerting.deliver().await.sent, 2);
    let prevention_mail = alerting
        .sink
        .received()
        .into_iter()
        .find(|mail| mail.recipients == ["ops@example.com"])
        .unwrap();
    assert!(prevention_mail.subject().contains("신규 생성 방지"));
    assert!(prevention_mail.text().contains("raise the budget amount"));

    // Raising the amount lifts it at once; the next evaluation records the lift, no mail.
    set_budget(&client, &id, settings(100_000)).await;
    client
        .create_planned_compute(&order("s1v1m2", "OPEN_SOURCE", "01"))
        .await
        .unwrap();
    assert!(check("VIRTUAL_SERVER").await.allowed);
    assert!(recorded(&alerting.evaluate().await).is_empty());
    let lifted = status(&client, &id).await;
    assert_eq!(
        (lifted.prevention.state.as_str(), lifted.prevention.since),
        ("ALLOWED", None)
    );

    // Prevented again in the same period: a new episode, a new mail to the prevention receivers.
    set_budget(&client, &id, settings(1000)).await;
    assert_eq!(
        recorded(&alerting.evaluate().await),
        ["prevention/2026-11/2"]
    );
    assert_eq!(alerting.deliver().await.sent, 1);
    assert_eq!(alerting.sink.received().len(), 3);
}

async fn mail_survives_a_broken_smtp_server(backend: Backend) {
    let alerting = Alerting::spawn(backend).await;
    let (account, client) = alerting.customer().await;
    let id = create_budget_from(
        &client,
        json!({"name": "watched", "unit": "MONTHLY", "start_month": "2026-11", "amount": 700,
               "notifications": {"thresholds": [70],
                                 "receivers": ["lead@example.com", "cfo@example.com"]}}),
    )
    .await;
    alerting.vm_hours(&account, "2026-11-19", 0..24).await;
    assert_eq!(alerting.evaluate().await.mails_queued(), 2);

    // Refused (421): both wait for a retry a minute later.
    alerting.sink.set_behaviour(SinkBehaviour::Refuse);
    let refused = alerting.deliver().await;
    assert_eq!((refused.sent, refused.retrying), (0, 2));
    assert_eq!(
        alerting.deliver().await,
        DeliveryRun::default(),
        "not due yet"
    );
    // Silent until the timeout.
    alerting.sink.set_behaviour(SinkBehaviour::Stall);
    alerting.advance(61);
    assert_eq!(alerting.deliver().await.retrying, 2);
    // Gone: connections refused.
    let addr = alerting.sink.addr();
    alerting.sink.stop();
    alerting.advance(121);
    assert_eq!(alerting.deliver().await.retrying, 2);
    let waiting = status(&client, &id).await.last_mail.unwrap();
    assert_eq!((waiting.mails_pending, waiting.mails_sent), (2, 0));

    // Back: every mail is sent, once.
    let revived = restart_sink(addr).await;
    alerting.advance(241);
    assert_eq!(alerting.deliver().await.sent, 2);
    alerting.advance(3600);
    assert_eq!(alerting.deliver().await, DeliveryRun::default());
    let mails = revived.received();
    assert_eq!(mails.len(), 2);
    let mut recipients: Vec<String> = mails.iter().map(|m| m.recipients.join(",")).collect();
    recipients.sort();
    assert_eq!(recipients, ["cfo@example.com", "lead@example.com"]);
    assert_eq!(status(&client, &id).await.last_mail.unwrap().mails_sent, 2);

    // A permanent refusal (550) is retried up to mail.max_attempts (2), then given up.
    create_budget_from(
        &client,
        json!({"name": "unreachable", "unit": "MONTHLY", "start_month": "2026-11", "amount": 100,
               "notifications": {"thresholds": [100], "receivers": ["nobody@example.com"]}}),
    )
    .await;
    assert_eq!(alerting.evaluate().await.mails_queued(), 1);
    revived.set_behaviour(SinkBehaviour::RejectRecipients);
    assert_eq!(alerting.deliver().await.retrying, 1);
    alerting.advance(61);
    assert_eq!(alerting.deliver().await.failed, 1);
    alerting.advance(3600);
    assert_eq!(alerting.deliver().await, DeliveryRun::default());
}

/// A sink on `addr` again, once the old one has let the port go.
async fn restart_sink(addr: SocketAddr) -> SmtpSink {
    for _ in 0..50 {
        if let Ok(sink) = SmtpSink::start(addr).await {
            return sink;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the SMTP sink could not listen on {addr} again");
}

async fn a_sender_that_died_mid_send_is_resent_or_marked_uncertain(backend: Backend) {
    let alerting = Alerting::spawn(backend).await;
    let (account, client) = alerting.customer().await;
    let id = create_budget_from(
        &client,
        json!({"name": "watched", "unit": "MONTHLY", "start_month": "2026-11", "amount": 700,
               "notifications": {"thresholds": [70], "receivers": ["lead@example.com"]}}),
    )
    .await;
    alerting.vm_hours(&account, "2026-11-19", 0..24).await;
    alerting.evaluate().await;
    // A sender claims the mail and dies before marking it.
    let now = alerting.app.clock.now();
    let claimed = alerting
        .app
        .store
        .claim_due_mail("dead-sender", now, now + chrono::Duration::seconds(60), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        alerting.deliver().await,
        DeliveryRun::default(),
        "its claim still holds"
    );
    alerting.advance(61);
    let resent = alerting.deliver().await;
    assert_eq!((resent.released, resent.sent), (1, 1));
    assert_eq!(alerting.sink.received().len(), 1);

    // With at-most-once delivery such a mail is never sent again.
    create_budget_from(
        &client,
        json!({"name": "second", "unit": "MONTHLY", "start_month": "2026-11", "amount": 700,
               "notifications": {"thresholds": [70], "receivers": ["lead@example.com"]}}),
    )
    .await;
    alerting.evaluate().await;
    let now = alerting.app.clock.now();
    alerting
        .app
        .store
        .claim_due_mail("dead-sender", now, now + chrono::Duration::seconds(60), 10)
        .await
        .unwrap();
    alerting.advance(61);
    let mut at_most_once = alerting.settings.clone();
    at_most_once.mail.delivery = MailDelivery::AtMostOnce;
    let run = alerting.deliver_with(&at_most_once).await;
    assert_eq!((run.released, run.sent), (1, 0));
    assert_eq!(alerting.deliver().await, DeliveryRun::default());
    assert_eq!(alerting.sink.received().len(), 1);
    let statuses = client.budget_statuses().await.unwrap().budgets;
    let second = statuses.iter().find(|s| s.budget_id != id).unwrap();
    assert_eq!(second.last_mail.as_ref().unwrap().mails_failed, 1);
}

async fn the_running_server_evaluates_after_ingestion_and_sends_the_mail(backend: Backend) {
    let sink = SmtpSink::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let mut settings = mail_settings(sink.addr());
    settings.budgets.evaluate_every_seconds = 0;
    let app = TestApp::spawn_with_jobs(backend, settings).await;
    let admin = app.client(&app.admin("ops").await);
    let account = app.account("acme").await;
    let client = app.client(&account);
    create_budget_from(
        &client,
        json!({"name": "live", "unit": "MONTHLY", "start_month": "2026-11", "amount": 1000,
               "notifications": {"thresholds": [70, 100],
                                 "receivers": ["lead@example.com", "cfo@example.com"]}}),
    )
    .await;
    let records: Vec<_> = (0..24)
        .flat_map(|hour| {
            [
                vm_hour(&account, "vm-a", &format!("2026-11-19T{hour:02}:00:00")),
                vm_hour(&account, "vm-b", &format!("2026-11-19T{hour:02}:00:00")),
            ]
        })
        .collect();
    admin.ingest_usage(&records).await.unwrap();
    let mails = sink.wait_for(4, Duration::from_secs(30)).await;
    assert_eq!(mails.len(), 4, "70 % and 100 % to two receivers");
    // Ingesting more changes nothing already sent.
    admin
        .ingest_usage(&[vm_hour(&account, "vm-c", "2026-11-19T00:00:00")])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.received().len(), 4);
}

backend_tests!(
    first_mails_each_threshold_once_per_period,
    daily_mails_once_a_kst_day_while_above,
    none_records_without_mail,
    prevention_blocks_creation_mails_once_and_lifts_when_raised,
    mail_survives_a_broken_smtp_server,
    a_sender_that_died_mid_send_is_resent_or_marked_uncertain,
    the_running_server_evaluates_after_ingestion_and_sends_the_mail,
);
