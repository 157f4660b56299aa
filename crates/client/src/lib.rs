//! A typed async client for SCP Financial Management, signing every request.
//!
//! One [`Client`] talks to one scpfm server (or to SCP itself, one host per service). Each
//! call builds the URL, signs `METHOD + URL + timestamp + access key + account id + client
//! type` with the shared `scpfm-signing` crate, sends the SCP headers and returns either the
//! typed response or the server's error envelope. `scpcli` and the integration tests use it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), scpfm_client::ClientError> {
//! use scpfm_client::{Client, ClientConfig, Endpoint};
//!
//! let client = Client::new(ClientConfig::new(
//!     Endpoint::Single("http://127.0.0.1:8080".into()),
//!     "SCPFMDEMODEV00000001",
//!     "demo-dev-secret-key-not-for-production00",
//! ))?;
//! let page = client.list_budgets(&Default::default()).await?;
//! println!("{} budgets", page.count);
//! # Ok(()) }
//! ```

mod bill;
mod billing_plan;
mod budget;
mod cost;
mod pricing;
mod usage;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use scpfm_api_types::error::ErrorResponse;
use scpfm_signing::{sign, Message, CLIENT_TYPE};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Where the services are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// One base URL serving every service (scpfm), e.g. `http://127.0.0.1:8080`.
    Single(String),
    /// SCP itself: `https://{service}.{environment}.samsungsdscloud.com`.
    Scp {
        /// Environment code: `e`, `s` or `g`.
        environment: String,
    },
}

impl Endpoint {
    /// The base URL of `service` (no trailing slash).
    pub fn base_url(&self, service: &str) -> String {
        match self {
            Self::Single(url) => url.trim_end_matches('/').to_owned(),
            Self::Scp { environment } => {
                format!("https://{service}.{environment}.samsungsdscloud.com")
            }
        }
    }
}

/// Milliseconds since the Unix epoch, as `Scp-Timestamp` carries them.
pub type TimestampSource = Arc<dyn Fn() -> i64 + Send + Sync>;

/// How to reach and authenticate.
#[derive(Clone)]
pub struct ClientConfig {
    /// Where the services are.
    pub endpoint: Endpoint,
    /// `Scp-Accesskey`.
    pub access_key: String,
    /// The signing secret (never sent, never printed).
    pub secret_key: String,
    /// `Scp-AccountId`, when the caller names its account.
    pub account_id: Option<String>,
    /// `Accept-Language`: `en-US` or `ko-KR`.
    pub language: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The signing clock; the system clock unless a test fixes it.
    pub timestamps: TimestampSource,
    /// Print each signed request and its response status to stderr (never the secret).
    pub debug: bool,
}

impl ClientConfig {
    /// A configuration with the defaults: no account id, `en-US`, 60 s timeout, system clock.
    pub fn new(
        endpoint: Endpoint,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self {
            endpoint,
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            account_id: None,
            language: "en-US".into(),
            timeout: Duration::from_secs(60),
            timestamps: Arc::new(system_millis),
            debug: false,
        }
    }
}

fn system_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error status.
    #[error("HTTP {status}: {}", describe(.body, .raw))]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The error envelope, when the body was one.
        body: Option<ErrorResponse>,
        /// The raw body.
        raw: String,
    },
    /// The request could not be sent or the response not read.
    #[error("cannot reach the server: {0}")]
    Transport(#[from] reqwest::Error),
    /// A success response did not have the documented shape.
    #[error("unexpected response body: {0}")]
    Decode(String),
    /// A request value could not be encoded.
    #[error("cannot encode the request: {0}")]
    Encode(String),
}

fn describe(body: &Option<ErrorResponse>, raw: &str) -> String {
    match body {
        Some(envelope) => envelope
            .errors
            .iter()
            .map(|item| format!("{} {}", item.code, item.detail))
            .collect::<Vec<_>>()
            .join("; "),
        None => raw.chars().take(200).collect(),
    }
}

/// A response as received: status, request id and body bytes.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `x-request-id` header.
    pub request_id: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The body decoded as `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        serde_json::from_slice(&self.body).map_err(|error| ClientError::Decode(error.to_string()))
    }

    /// `Ok(self)` for a 2xx status, else the error envelope.
    pub fn error_for_status(self) -> Result<Self, ClientError> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(ClientError::Api {
                status: self.status,
                body: serde_json::from_slice(&self.body).ok(),
                raw: String::from_utf8_lossy(&self.body).into_owned(),
            })
        }
    }
}

/// One operation's request, before signing.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// Service name for the host and `Scp-Api-Version`, e.g. `budget`.
    pub service: &'a str,
    /// HTTP method.
    pub method: Method,
    /// Path, e.g. `/v1/budgets/account`.
    pub path: String,
    /// Encoded query string without `?`, possibly empty.
    pub query: String,
    /// JSON body.
    pub body: Option<Vec<u8>>,
}

/// The client.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
}

impl Client {
    /// Builds a client.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("scpcli/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, config })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Encodes `query` (repeated names for lists) as the signed and sent query string.
    pub fn encode_query<Q: Serialize>(query: &Q) -> Result<String, ClientError> {
        serde_html_form::to_string(query).map_err(|error| ClientError::Encode(error.to_string()))
    }

    /// Encodes `body` as JSON.
    pub fn encode_body<B: Serialize>(body: &B) -> Result<Vec<u8>, ClientError> {
        serde_json::to_vec(body).map_err(|error| ClientError::Encode(error.to_string()))
    }

    /// Signs and sends a call; any status is returned as is.
    pub async fn send(&self, call: Call<'_>) -> Result<RawResponse, ClientError> {
        let mut url = format!(
            "{}{}",
            self.config.endpoint.base_url(call.service),
            call.path
        );
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&call.query);
        }
        let timestamp = (self.config.timestamps)().to_string();
        let account_id = self.config.account_id.as_deref().unwrap_or("");
        let message = Message {
            method: call.method.as_str(),
            url: &url,
            timestamp: &timestamp,
            access_key: &self.config.access_key,
            account_id,
            client_type: CLIENT_TYPE,
        };
        let signature = sign(self.config.secret_key.as_bytes(), &message);
        let mut headers = HeaderMap::new();
        let mut put = |name: &'static str, value: &str| -> Result<(), ClientError> {
            let value = HeaderValue::from_str(value).map_err(|_| {
                ClientError::Encode(format!("{name} holds characters a header cannot carry"))
            })?;
            headers.insert(HeaderName::from_static(name), value);
            Ok(())
        };
        put("scp-accesskey", &self.config.access_key)?;
        put("scp-signature", &signature)?;
        put("scp-timestamp", &timestamp)?;
        put("scp-clienttype", CLIENT_TYPE)?;
        put("accept-language", &self.config.language)?;
        put("scp-api-version", &format!("{} 1.0", call.service))?;
        if !account_id.is_empty() {
            put("scp-accountid", account_id)?;
        }
        if call.body.is_some() {
            put("content-type", "application/json")?;
        }
        if self.config.debug {
            eprintln!("> {} {url}", call.method);
            for (name, value) in &headers {
                eprintln!("> {name}: {}", value.to_str().unwrap_or("<binary>"));
            }
            eprintln!("> string-to-sign: {}", message.string_to_sign());
            if let Some(body) = &call.body {
                eprintln!("> {}", String::from_utf8_lossy(body));
            }
        }
        let mut request = self.http.request(call.method, &url).headers(headers);
        if let Some(body) = call.body {
            request = request.body(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await?.to_vec();
        if self.config.debug {
            eprintln!(
                "< {status} (x-request-id {})",
                request_id.as_deref().unwrap_or("-")
            );
        }
        Ok(RawResponse {
            status,
            request_id,
            body,
        })
    }

    /// Sends a call and decodes a success response as `T`.
    pub async fn call<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, ClientError> {
        self.send(call).await?.error_for_status()?.json()
    }
}
