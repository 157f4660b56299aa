//! SCP signature authentication: every way to pass and every way to fail.

use chrono::Duration;
use scpfm_app::clock::Clock as _;
use scpfm_config::Settings;
use scpfm_signing::{sign, Message, CLIENT_TYPE};
use scpfm_testkit::{backend_tests, Backend};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{error_code, error_items, expect_status, TestAccount, TestApp};

/// A request signed by hand, so each test can bend one part of it.
struct Signed {
    method: &'static str,
    /// What is sent: path and query as on the wire.
    path_and_query: String,
    /// What is signed: the full URL (defaults to the sent one).
    signed_url: Option<String>,
    timestamp: i64,
    account_id_header: Option<String>,
    signed_account_id: String,
    omit: Option<&'static str>,
    secret: Option<String>,
    access_key: Option<String>,
    language: &'static str,
}

impl Signed {
    fn get(app: &TestApp, path_and_query: &str) -> Self {
        Self {
            method: "GET",
            path_and_query: path_and_query.into(),
            signed_url: None,
            timestamp: (app.timestamps())(),
            account_id_header: None,
            signed_account_id: String::new(),
            omit: None,
            secret: None,
            access_key: None,
            language: "en-US",
        }
    }

    async fn send(self, app: &TestApp, account: &TestAccount) -> scpfm_client::RawResponse {
        let url = format!("{}{}", app.url(), self.path_and_query);
        let signed_url = self.signed_url.clone().unwrap_or_else(|| url.clone());
        let timestamp = self.timestamp.to_string();
        let access_key = self
            .access_key
            .clone()
            .unwrap_or_else(|| account.access_key.clone());
        let secret = self
            .secret
            .clone()
            .unwrap_or_else(|| account.secret_key.clone());
        let message = Message {
            method: self.method,
            url: &signed_url,
            timestamp: &timestamp,
            access_key: &access_key,
            account_id: &self.signed_account_id,
            client_type: CLIENT_TYPE,
        };
        let signature = sign(secret.as_bytes(), &message);
        let mut headers = vec![
            ("Scp-Accesskey", access_key.clone()),
            ("Scp-Signature", signature),
            ("Scp-Timestamp", timestamp),
            ("Scp-ClientType", CLIENT_TYPE.to_owned()),
            ("Accept-Language", self.language.to_owned()),
        ];
        if let Some(account_id) = &self.account_id_header {
            headers.push(("Scp-AccountId", account_id.clone()));
        }
        let client = reqwest::Client::new();
        let mut request = client.request(self.method.parse().unwrap(), &url);
        for (name, value) in headers {
            if Some(name) != self.omit {
                request = request.header(name, value);
            }
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let request_id = response
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_owned());
        let body = response.bytes().await.unwrap().to_vec();
        scpfm_client::RawResponse {
            status,
            request_id,
            body,
        }
    }
}

const LIST: &str = "/v1/budgets/account";

async fn a_correctly_signed_request_passes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    expect_status(Signed::get(&app, LIST).send(&app, &account).await, 200);
}

async fn each_missing_header_is_a_401_naming_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    for header in [
        "Scp-Accesskey",
        "Scp-Signature",
        "Scp-Timestamp",
        "Scp-ClientType",
    ] {
        let mut request = Signed::get(&app, LIST);
        request.omit = Some(header);
        let response = expect_status(request.send(&app, &account).await, 401);
        assert_eq!(error_code(&response), "MISSING_AUTH_HEADER");
        assert!(error_items(&response)[0]["detail"]
            .as_str()
            .unwrap()
            .contains(header));
    }
}

async fn a_wrong_signature_is_a_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut request = Signed::get(&app, LIST);
    request.secret = Some("not-the-secret".into());
    assert_eq!(
        error_code(&expect_status(request.send(&app, &account).await, 401)),
        "SIGNATURE_MISMATCH"
    );
    let mut tampered = Signed::get(&app, "/v1/budgets/account?size=5");
    tampered.signed_url = Some(format!("{}/v1/budgets/account?size=6", app.url()));
    assert_eq!(
        error_code(&expect_status(tampered.send(&app, &account).await, 401)),
        "SIGNATURE_MISMATCH"
    );
}

async fn an_unknown_key_is_a_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut request = Signed::get(&app, LIST);
    request.access_key = Some("NOSUCHKEY00000000000".into());
    assert_eq!(
        error_code(&expect_status(request.send(&app, &account).await, 401)),
        "UNKNOWN_ACCESS_KEY"
    );
}

async fn a_disabled_key_is_refused_once_cached_copies_expire(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let spare = app.key_for(&account.id).await;
    expect_status(Signed::get(&app, LIST).send(&app, &account).await, 200);
    assert!(app
        .store
        .disable_access_key(&account.access_key, app.clock.now())
        .await
        .unwrap());
    // The server may reuse the key it read for auth.key_cache_seconds (1 s by default);
    // `scpfm key disable` waits that long before it returns.
    app.clock.advance(Duration::milliseconds(1001));
    let response = expect_status(Signed::get(&app, LIST).send(&app, &account).await, 401);
    assert_eq!(error_code(&response), "DISABLED_ACCESS_KEY");
    expect_status(Signed::get(&app, LIST).send(&app, &spare).await, 200);
}

async fn without_a_key_cache_a_disabled_key_is_refused_at_once(backend: Backend) {
    let mut settings = Settings::default();
    settings.auth.key_cache_seconds = 0;
    let app = TestApp::spawn_with(backend, settings, None).await;
    let account = app.account("acme").await;
    expect_status(Signed::get(&app, LIST).send(&app, &account).await, 200);
    assert!(app
        .store
        .disable_access_key(&account.access_key, app.clock.now())
        .await
        .unwrap());
    let response = expect_status(Signed::get(&app, LIST).send(&app, &account).await, 401);
    assert_eq!(error_code(&response), "DISABLED_ACCESS_KEY");
}

async fn stale_and_future_timestamps_are_401s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let now = (app.timestamps())();
    for (offset_minutes, status) in [(-16, 401), (16, 401), (-14, 200), (14, 200)] {
        let mut request = Signed::get(&app, LIST);
        request.timestamp = now + Duration::minutes(offset_minutes).num_milliseconds();
        let response = expect_status(request.send(&app, &account).await, status);
        if status == 401 {
            assert_eq!(error_code(&response), "EXPIRED_TIMESTAMP");
        }
    }
    let mut garbage = Signed::get(&app, LIST);
    garbage.timestamp = 0;
    expect_status(garbage.send(&app, &account).await, 401);
}

async fn a_signature_is_valid_for_its_whole_window(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let timestamp = (app.timestamps())();
    for _ in 0..2 {
        let mut request = Signed::get(&app, LIST);
        request.timestamp = timestamp;
        expect_status(request.send(&app, &account).await, 200);
    }
}

async fn the_account_id_header_is_optional_in_the_signature(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut signed_with = Signed::get(&app, LIST);
    signed_with.account_id_header = Some(account.id.clone());
    signed_with.signed_account_id = account.id.clone();
    expect_status(signed_with.send(&app, &account).await, 200);
    let mut sent_not_signed = Signed::get(&app, LIST);
    sent_not_signed.account_id_header = Some(account.id.clone());
    expect_status(sent_not_signed.send(&app, &account).await, 200);
    let other = app.account("other").await;
    let mut foreign = Signed::get(&app, LIST);
    foreign.account_id_header = Some(other.id.clone());
    foreign.signed_account_id = other.id.clone();
    assert_eq!(
        error_code(&expect_status(foreign.send(&app, &account).await, 403)),
        "FORBIDDEN"
    );
}

async fn queries_may_be_signed_encoded_or_decoded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let sent = "/v1/budgets/account?search_name=my%20budget&sort=created_at%3Adesc";
    expect_status(Signed::get(&app, sent).send(&app, &account).await, 200);
    let mut decoded = Signed::get(&app, sent);
    decoded.signed_url = Some(format!(
        "{}/v1/budgets/account?search_name=my budget&sort=created_at:desc",
        app.url()
    ));
    expect_status(decoded.send(&app, &account).await, 200);
    let mut https = Signed::get(&app, LIST);
    https.signed_url = Some(format!(
        "{}{LIST}",
        app.url().replace("http://", "https://")
    ));
    expect_status(https.send(&app, &account).await, 200);
}

async fn errors_follow_accept_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let mut request = Signed::get(&app, LIST);
    request.omit = Some("Scp-Signature");
    request.language = "ko-KR";
    let response = expect_status(request.send(&app, &account).await, 401);
    assert_eq!(
        error_items(&response)[0]["detail"],
        "Scp-Signature 헤더가 필요합니다"
    );
}

async fn header_names_are_case_insensitive_on_the_wire(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = app.account("acme").await;
    let timestamp = (app.timestamps())().to_string();
    let url = format!("{}{LIST}", app.url());
    let message = Message {
        method: "GET",
        url: &url,
        timestamp: &timestamp,
        access_key: &account.access_key,
        account_id: "",
        client_type: CLIENT_TYPE,
    };
    let signature = sign(account.secret_key.as_bytes(), &message);
    // The Go SDK writes `Scp-AccessKey`; others shout. HTTP says case does not matter.
    let raw = format!(
        "GET {LIST} HTTP/1.1\r\nHost: {}\r\nScp-AccessKey: {}\r\nSCP-SIGNATURE: {signature}\r\n\
         scp-timestamp: {timestamp}\r\nScp-Clienttype: Openapi\r\nConnection: close\r\n\r\n",
        app.server.addr, account.access_key
    );
    let mut stream = tokio::net::TcpStream::connect(app.server.addr)
        .await
        .unwrap();
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

async fn unsigned_paths_stay_open(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/healthz", "/readyz", "/openapi.json"] {
        let response = reqwest::get(format!("{}{path}", app.url())).await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

backend_tests!(
    a_correctly_signed_request_passes,
    each_missing_header_is_a_401_naming_it,
    a_wrong_signature_is_a_401,
    an_unknown_key_is_a_401,
    a_disabled_key_is_refused_once_cached_copies_expire,
    without_a_key_cache_a_disabled_key_is_refused_at_once,
    stale_and_future_timestamps_are_401s,
    a_signature_is_valid_for_its_whole_window,
    the_account_id_header_is_optional_in_the_signature,
    queries_may_be_signed_encoded_or_decoded,
    errors_follow_accept_language,
    header_names_are_case_insensitive_on_the_wire,
    unsigned_paths_stay_open,
);
