//! Metrics over HTTP: the middleware that counts every routed request, and `GET /metrics`.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;

use crate::error::ApiError;
use crate::state::AppState;

/// Middleware: counts every routed request with its latency by route template.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = method_name(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |path| intern(path.as_str()));
    let response = next.run(request).await;
    state
        .metrics
        .request(method, route, response.status().as_u16(), started.elapsed());
    response
}

/// A method's name as a static string (methods the API does not use are counted together).
fn method_name(method: &http::Method) -> &'static str {
    match *method {
        http::Method::GET => "GET",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::DELETE => "DELETE",
        http::Method::HEAD => "HEAD",
        _ => "OTHER",
    }
}

/// The route template as a static string: templates are few (the route table's), so each is
/// leaked once and found again in a read-locked set.
fn intern(route: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{LazyLock, RwLock};
    static ROUTES: LazyLock<RwLock<HashSet<&'static str>>> =
        LazyLock::new(|| RwLock::new(HashSet::new()));
    if let Some(known) = ROUTES
        .read()
        .ok()
        .and_then(|routes| routes.get(route).copied())
    {
        return known;
    }
    let Ok(mut routes) = ROUTES.write() else {
        return "unmatched";
    };
    if let Some(known) = routes.get(route) {
        return known;
    }
    let leaked: &'static str = Box::leak(route.to_owned().into_boxed_str());
    routes.insert(leaked);
    leaked
}

/// `GET /metrics`: the metrics, the outbox and pool figures read now.
pub async fn metrics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let outbox: Vec<(String, u64)> = state
        .store
        .outbox_counts()
        .await?
        .0
        .iter()
        .map(|(mail_state, count)| (mail_state.as_str().to_owned(), *count))
        .collect();
    let text = state
        .metrics
        .render(&outbox, state.store.pool_status())
        .map_err(|error| ApiError::Internal(format!("encoding metrics: {error}")))?;
    Ok((
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
