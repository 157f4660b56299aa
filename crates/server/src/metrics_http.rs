//! Metrics over HTTP: the middleware that counts every routed request, and `GET /metrics`.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;

use crate::error::ApiError;
use crate::state::AppState;

/// Middleware: counts every routed request and its latency by route template.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    state.metrics.request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
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
