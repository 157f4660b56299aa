//! The console's way to the data: the public API's own route table and handlers, called in
//! process as the signed-in key ([`scpfm_server::auth::internal`]). So the console sees
//! exactly what the API shows that key — a payer its members, another account's id a 404 —
//! and a form's errors are the API's validation errors, never a second copy of the rules.

use axum::body::Body;
use axum::Router;
use http::{header, Method, Request, StatusCode};
use scpfm_api_types::error::{ErrorItem, ErrorResponse};
use scpfm_server::auth::internal::ActingKey;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::ServiceExt as _;

use crate::i18n::Lang;

/// Why an API call gave no answer.
#[derive(Debug, Clone)]
pub enum ApiFailure {
    /// The API refused the request: its status and error items.
    Refused {
        /// The HTTP status.
        status: StatusCode,
        /// SCP's error items (with the field at fault, when one is).
        errors: Vec<ErrorItem>,
    },
    /// The answer could not be read (a defect: logged, shown as an error page).
    Broken(String),
}

impl ApiFailure {
    /// Whether the API said "not found" (another account's id, or none).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Refused { status, .. } if *status == StatusCode::NOT_FOUND)
    }

    /// The first error's detail.
    pub fn detail(&self) -> String {
        match self {
            Self::Refused { errors, .. } => errors
                .iter()
                .map(|error| error.detail.clone())
                .collect::<Vec<_>>()
                .join(" "),
            Self::Broken(why) => why.clone(),
        }
    }
}

/// Calls the API as one access key, in one language.
#[derive(Clone)]
pub struct Api {
    router: Router,
    access_key: String,
    lang: Lang,
}

/// The marker of a listing's `next` link, when there is a next page.
pub fn next_marker(links: &[scpfm_api_types::common::Link]) -> Option<String> {
    let next = links.iter().find(|link| link.rel == "next")?;
    let query = next.href.split_once('?')?.1;
    serde_html_form::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find_map(|(name, value)| (name == "marker").then_some(value))
}

/// A query string of `query` (arrays as repeated parameters, as SCP sends them).
pub fn query_string<Q: Serialize>(query: &Q) -> String {
    serde_html_form::to_string(query).unwrap_or_default()
}

impl Api {
    /// The API (`router` from `internal_api`) as `access_key`.
    pub fn new(router: Router, access_key: &str, lang: Lang) -> Self {
        Self {
            router,
            access_key: access_key.to_owned(),
            lang,
        }
    }

    /// `GET path?query`, decoded.
    pub async fn get<T: DeserializeOwned, Q: Serialize>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T, ApiFailure> {
        let (status, body) = self.call(Method::GET, &uri(path, query), None).await?;
        decode(status, &body)
    }

    /// `GET path?query`: the body as it is (CSV exports).
    pub async fn get_raw<Q: Serialize>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<Vec<u8>, ApiFailure> {
        let (status, body) = self.call(Method::GET, &uri(path, query), None).await?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(refused(status, &body))
        }
    }

    /// `method path` with `body` as JSON, decoded.
    pub async fn send<T: DeserializeOwned, B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, ApiFailure> {
        let json = serde_json::to_vec(body).map_err(|e| ApiFailure::Broken(e.to_string()))?;
        let (status, body) = self.call(method, path, Some(json)).await?;
        decode(status, &body)
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<(), ApiFailure> {
        let (status, body) = self.call(Method::DELETE, path, None).await?;
        if status.is_success() {
            Ok(())
        } else {
            Err(refused(status, &body))
        }
    }

    async fn call(
        &self,
        method: Method,
        uri: &str,
        body: Option<Vec<u8>>,
    ) -> Result<(StatusCode, Vec<u8>), ApiFailure> {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "console.internal")
            .header(header::ACCEPT_LANGUAGE, self.lang.code());
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let mut request = request
            .body(body.map_or_else(Body::empty, Body::from))
            .map_err(|e| ApiFailure::Broken(e.to_string()))?;
        request
            .extensions_mut()
            .insert(ActingKey(self.access_key.clone()));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| ApiFailure::Broken(e.to_string()))?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|e| ApiFailure::Broken(e.to_string()))?;
        Ok((status, bytes.to_vec()))
    }
}

/// `path` with `query`'s string, when it has one.
fn uri<Q: Serialize>(path: &str, query: &Q) -> String {
    match query_string(query) {
        query if query.is_empty() => path.to_owned(),
        query => format!("{path}?{query}"),
    }
}

fn decode<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, ApiFailure> {
    if !status.is_success() {
        return Err(refused(status, body));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiFailure::Broken(format!("reading the API's answer: {e}")))
}

fn refused(status: StatusCode, body: &[u8]) -> ApiFailure {
    match serde_json::from_slice::<ErrorResponse>(body) {
        Ok(envelope) => ApiFailure::Refused {
            status,
            errors: envelope.errors,
        },
        Err(_) => ApiFailure::Broken(format!("the API answered {status} without SCP's envelope")),
    }
}
