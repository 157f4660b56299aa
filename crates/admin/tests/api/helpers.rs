//! `TestApp`: the real server on an ephemeral port over a fresh database, and signed clients.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use scpfm_api_types::bill::{BillListQuery, BillResponse};
use scpfm_app::clock::{Clock, ManualClock, SystemClock};
use scpfm_app::provisioning::{create_access_key, create_account, KeyRequest};
use scpfm_client::{Client, ClientConfig, Endpoint, RawResponse};
use scpfm_config::Settings;
use scpfm_server::serve::RunningServer;
use scpfm_server::AppState;
use scpfm_store::Store;
use scpfm_testkit::{Backend, TestDatabase};

/// The fixed time tests start at: 2026-11-20 12:00:00 KST.
pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// An account with an access key.
#[derive(Debug, Clone)]
pub struct TestAccount {
    pub id: String,
    pub access_key: String,
    pub secret_key: String,
}

pub struct TestApp {
    pub server: RunningServer,
    pub store: Store,
    pub clock: ManualClock,
    /// The server's state (its evaluation requests, mail signal, catalogue…).
    pub state: AppState,
    _database: TestDatabase,
    next_millis: Arc<AtomicI64>,
}

impl TestApp {
    /// A server whose clock stands still at [`start_time`] unless the test moves it.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, Settings::default(), None).await
    }

    /// A server with custom settings, or on the system clock (for clients that sign with
    /// the real time, such as the Python SDK).
    pub async fn spawn_with(
        backend: Backend,
        settings: Settings,
        system_clock: Option<SystemClock>,
    ) -> Self {
        scpfm_admin::telemetry::init_for_tests();
        let database = TestDatabase::create(backend).await;
        let store = Store::open(database.url())
            .await
            .expect("the test database opens");
        let clock = ManualClock::new(start_time());
        let server_clock: Arc<dyn Clock> = match system_clock {
            Some(system) => Arc::new(system),
            None => Arc::new(clock.clone()),
        };
        let catalog =
            Arc::new(scpfm_app::catalog_file::load(None).expect("the built-in catalogue loads"));
        let state = AppState::new(store.clone(), server_clock, &settings, catalog);
        let app = scpfm_console::app(state.clone(), &settings.console);
        let server = RunningServer::start_router(state.clone(), app)
            .await
            .expect("the test server starts");
        Self {
            server,
            store,
            clock,
            state,
            _database: database,
            next_millis: Arc::new(AtomicI64::new(0)),
        }
    }

    /// A server that also runs its background jobs (budget evaluator, mail sender…) with
    /// `settings`, on the test clock.
    pub async fn spawn_with_jobs(backend: Backend, settings: Settings) -> Self {
        let app = Self::spawn_with(backend, settings.clone(), None).await;
        let mailer = scpfm_app::mail::Mailer::from_settings(&settings.mail)
            .expect("the test mail settings are valid");
        scpfm_app::jobs::spawn(&app.state, &settings, mailer);
        scpfm_server::auth::replay::spawn_purge(
            app.state.replay.as_deref(),
            app.state.auth_clock.clone(),
        );
        app
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The URL of the database this server uses.
    pub fn database_url(&self) -> &str {
        self._database.url()
    }

    /// Creates an account named `name` with one access key.
    pub async fn account(&self, name: &str) -> TestAccount {
        let account = create_account(&self.store, name, None, None, start_time())
            .await
            .unwrap();
        self.key_for(account.id.as_str()).await
    }

    /// Creates an account named `name` whose payer is `payer` (an organisation member).
    pub async fn member(&self, name: &str, payer: &TestAccount) -> TestAccount {
        let account = create_account(&self.store, name, Some(&payer.id), None, start_time())
            .await
            .unwrap();
        self.key_for(account.id.as_str()).await
    }

    /// Creates an account with an admin access key (usage ingestion).
    pub async fn admin(&self, name: &str) -> TestAccount {
        let account = create_account(&self.store, name, None, None, start_time())
            .await
            .unwrap();
        let request = KeyRequest {
            account: account.id.as_str(),
            user_name: Some("operator"),
            is_admin: true,
            fixed: None,
        };
        let key = create_access_key(&self.store, request, start_time())
            .await
            .unwrap();
        TestAccount {
            id: account.id.to_string(),
            access_key: key.access_key,
            secret_key: key.secret_key,
        }
    }

    /// Creates another access key for an existing account.
    pub async fn key_for(&self, account_id: &str) -> TestAccount {
        let request = KeyRequest {
            account: account_id,
            user_name: Some("tester"),
            is_admin: false,
            fixed: None,
        };
        let key = create_access_key(&self.store, request, start_time())
            .await
            .unwrap();
        TestAccount {
            id: account_id.to_owned(),
            access_key: key.access_key,
            secret_key: key.secret_key,
        }
    }

    /// A timestamp source following the server clock, one millisecond apart per request so
    /// identical requests never share a signature.
    pub fn timestamps(&self) -> scpfm_client::TimestampSource {
        let clock = self.clock.clone();
        let next = Arc::clone(&self.next_millis);
        Arc::new(move || clock.now().timestamp_millis() + next.fetch_add(1, Ordering::Relaxed))
    }

    /// A signed client for `account`.
    pub fn client(&self, account: &TestAccount) -> Client {
        let mut config = ClientConfig::new(
            Endpoint::Single(self.url()),
            &account.access_key,
            &account.secret_key,
        );
        config.timestamps = self.timestamps();
        Client::new(config).unwrap()
    }

    /// A signed client answering in Korean.
    pub fn korean_client(&self, account: &TestAccount) -> Client {
        let mut config = self.client(account).config().clone();
        config.language = "ko-KR".into();
        Client::new(config).unwrap()
    }
}

/// Sends `body` as JSON with `method` to `path` of `service`, signed by `client`.
pub async fn send_json(
    client: &Client,
    service: &'static str,
    method: reqwest::Method,
    path: &str,
    body: &serde_json::Value,
) -> RawResponse {
    client
        .send(scpfm_client::Call {
            service,
            method,
            path: path.to_owned(),
            query: String::new(),
            body: Some(serde_json::to_vec(body).unwrap()),
        })
        .await
        .unwrap()
}

/// Creates a budget from a JSON body (which must succeed: 201); returns its id.
pub async fn create_budget_from(client: &Client, body: serde_json::Value) -> String {
    let response = send_json(
        client,
        "budget",
        reqwest::Method::POST,
        "/v1/budgets/account",
        &body,
    )
    .await;
    let created: serde_json::Value =
        serde_json::from_slice(&expect_status(response, 201).body).unwrap();
    created["budget"]["id"].as_str().unwrap().to_owned()
}

/// Asserts the response has `status`, never a 500, and returns it.
#[track_caller]
pub fn expect_status(response: RawResponse, status: u16) -> RawResponse {
    assert_ne!(
        response.status.as_u16(),
        500,
        "a request yielded a 500: {}",
        String::from_utf8_lossy(&response.body)
    );
    assert_eq!(
        response.status.as_u16(),
        status,
        "unexpected status; body: {}",
        String::from_utf8_lossy(&response.body)
    );
    response
}

/// The `errors` items of an error response as JSON.
pub fn error_items(response: &RawResponse) -> Vec<serde_json::Value> {
    let body: serde_json::Value =
        serde_json::from_slice(&response.body).expect("error bodies are JSON");
    let items = body["errors"]
        .as_array()
        .expect("error bodies hold an errors array")
        .clone();
    assert!(
        !items.is_empty(),
        "an error body names at least one problem"
    );
    for item in &items {
        for key in ["code", "title", "detail", "status", "request_id"] {
            assert!(item.get(key).is_some(), "error item lacks {key}: {item}");
        }
        assert_eq!(
            item["status"].as_u64(),
            Some(u64::from(response.status.as_u16()))
        );
        assert_eq!(item["request_id"].as_str(), response.request_id.as_deref());
    }
    items
}

/// The `field` of every error item.
pub fn error_fields(response: &RawResponse) -> Vec<String> {
    error_items(response)
        .iter()
        .filter_map(|item| item["field"].as_str().map(str::to_owned))
        .collect()
}

/// The `code` of the first error item.
pub fn error_code(response: &RawResponse) -> String {
    error_items(response)[0]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A usage record: `quantity` of `item` for `resource`, over `hours` hours from `start` (KST,
/// `YYYY-MM-DDTHH:MM:SS`), with `attributes` as `key=value` pairs. One argument per record field.
#[allow(clippy::too_many_arguments)]
pub fn usage(
    account: &TestAccount,
    resource: &str,
    item: &str,
    attributes: &[(&str, &str)],
    start: &str,
    hours: i64,
    quantity: &str,
    unit: &str,
) -> scpfm_api_types::usage::UsageRecordInput {
    let start_at = chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M:%S").unwrap();
    let end_at = start_at + chrono::Duration::hours(hours);
    scpfm_api_types::usage::UsageRecordInput {
        record_id: Some(format!("{resource}/{start}/{hours}")),
        account_id: Some(account.id.clone()),
        resource_id: Some(resource.to_owned()),
        resource_name: Some(format!("{resource}-name")),
        billing_item_id: Some(item.to_owned()),
        region: Some("kr-west1".to_owned()),
        attributes: Some(
            attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
        period_start: Some(start.to_owned()),
        period_end: Some(end_at.format("%Y-%m-%dT%H:%M:%S").to_string()),
        quantity: Some(scpfm_api_types::usage::DecimalText(quantity.to_owned())),
        unit: Some(unit.to_owned()),
        tags: None,
    }
}

/// A virtual server hour (s1v1m2, Open Source, 22.60 KRW).
pub fn vm_hour(
    account: &TestAccount,
    resource: &str,
    start: &str,
) -> scpfm_api_types::usage::UsageRecordInput {
    usage(
        account,
        resource,
        "VIRTUAL_SERVER",
        &[("server_type", "s1v1m2"), ("os_type", "OPEN_SOURCE")],
        start,
        1,
        "1",
        "HOUR",
    )
}

/// A day of 2,400 GB-hours of SSD block storage in kr-east1 for `account`.
pub fn east_disk_day(account: &TestAccount, day: &str) -> scpfm_api_types::usage::UsageRecordInput {
    let mut disk = usage(
        account,
        "disk-1",
        "BLOCK_STORAGE",
        &[("disk_type", "SSD")],
        &format!("{day}T00:00:00"),
        24,
        "2400",
        "GB_HOUR",
    );
    disk.region = Some("kr-east1".into());
    disk
}

/// A day of a small load balancer (`lb-1`) for `account`.
pub fn lb_day(account: &TestAccount, day: &str) -> scpfm_api_types::usage::UsageRecordInput {
    usage(
        account,
        "lb-1",
        "LOAD_BALANCER",
        &[("size", "SMALL")],
        &format!("{day}T00:00:00"),
        24,
        "24",
        "HOUR",
    )
}

/// A call to `path?query` of `service` with an optional raw JSON body.
pub fn raw_call(
    service: &'static str,
    method: reqwest::Method,
    path: &str,
    query: &str,
    body: Option<String>,
) -> scpfm_client::Call<'static> {
    scpfm_client::Call {
        service,
        method,
        path: path.to_owned(),
        query: query.to_owned(),
        body: body.map(String::into_bytes),
    }
}

/// The demo organisation seeded into `app`: accounts, contracts, usage history, bills and
/// payments (budgets too when `with_budgets`).
pub async fn seed_demo(app: &TestApp, with_budgets: bool) -> Vec<scpfm_admin::demo::DemoAccount> {
    use scpfm_app::clock::Clock as _;
    let catalog = Arc::new(scpfm_app::catalog_file::load(None).unwrap());
    let now = app.clock.now();
    let accounts = scpfm_admin::demo::seed(&app.store, now).await.unwrap();
    scpfm_admin::demo::contracts::seed(&app.store, &catalog, &accounts, now)
        .await
        .unwrap();
    scpfm_admin::demo::usage::seed(&app.store, Arc::clone(&catalog), &accounts, now)
        .await
        .unwrap();
    scpfm_admin::demo::billing::seed(&app.store, &catalog, &accounts, now)
        .await
        .unwrap();
    if with_budgets {
        scpfm_admin::demo::budgets::seed(&app.store, &accounts, now)
            .await
            .unwrap();
    }
    accounts
}

/// The demo account `name` as a test account.
pub fn demo_account(accounts: &[scpfm_admin::demo::DemoAccount], name: &str) -> TestAccount {
    let account = accounts
        .iter()
        .find(|account| account.name == name)
        .unwrap();
    TestAccount {
        id: account.id.to_string(),
        access_key: account.access_key.into(),
        secret_key: account.secret_key.into(),
    }
}

/// The marker of a listing's `next` link, if it has one.
pub fn next_marker(links: &[scpfm_api_types::common::Link]) -> Option<String> {
    let next = links.iter().find(|link| link.rel == "next")?;
    next.href.rsplit("marker=").next().map(str::to_owned)
}

/// Every bill `query` matches, paged `limit` at a time (default order unless `query.sort`).
pub async fn all_bills(client: &Client, query: &BillListQuery, limit: i64) -> Vec<BillResponse> {
    let mut bills = Vec::new();
    let mut marker = None;
    loop {
        let page = client
            .list_bills(&BillListQuery {
                limit: Some(limit),
                marker: marker.clone(),
                ..query.clone()
            })
            .await
            .unwrap();
        assert!(page.bills.len() <= limit as usize);
        bills.extend(page.bills);
        marker = next_marker(&page.links);
        if marker.is_none() {
            break;
        }
    }
    bills
}

/// Every usage `query` matches, a thousand at a time.
pub async fn all_usages(
    client: &Client,
    query: &scpfm_api_types::usage::UsageListQuery,
) -> Vec<scpfm_api_types::usage::UsageResponse> {
    let mut usages = Vec::new();
    let mut marker = None;
    loop {
        let page = client
            .list_usages(&scpfm_api_types::usage::UsageListQuery {
                limit: Some(1000),
                marker: marker.clone(),
                ..query.clone()
            })
            .await
            .unwrap();
        usages.extend(page.usages);
        marker = next_marker(&page.links);
        if marker.is_none() {
            return usages;
        }
    }
}

/// CreateAccountBudget with `body` sent as it is.
pub fn budget_create_call(body: impl Into<String>) -> scpfm_client::Call<'static> {
    raw_call(
        "budget",
        reqwest::Method::POST,
        "/v1/budgets/account",
        "",
        Some(body.into()),
    )
}
