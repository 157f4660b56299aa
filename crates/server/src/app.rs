//! The application: every service's routes behind authentication, and the shared layers.
//!
//! Request flow (outermost first): request id → trace span and access log → id echoed on the
//! response → error envelope rendering → panic guard → routing → for `/v1`: signature
//! authentication → `Scp-Api-Version` check → handler.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::HeaderValue;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::auth::authenticate;
use crate::error::{render_errors, ApiError};
use crate::state::AppState;
use crate::{metrics_http, routes};

/// The router of `/metrics` alone, for `[metrics] listen`.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics_http::metrics))
        .with_state(state)
        .layer(from_fn(render_errors))
}

/// Builds the router of the whole API.
pub fn app(state: AppState) -> Router {
    layered(api_routes(&state), state)
}

/// The API's routes and fallbacks without the shared layers, so that more routes (the
/// console) can be added and served behind the same layers by [`layered`].
pub fn api_routes(state: &AppState) -> Router<AppState> {
    let (signed, _) = routes::signed().split_for_parts();
    let (unsigned, _) = routes::unsigned().split_for_parts();
    let signed = signed.route_layer(from_fn_with_state(state.clone(), authenticate));
    let mut router = Router::new()
        .merge(signed)
        .merge(unsigned)
        .route("/openapi.json", get(routes::openapi_json));
    if state.metrics_on_api {
        router = router.route("/metrics", get(metrics_http::metrics));
    }
    router
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// `router` behind the layers every request passes: metrics, request id, trace span and
/// access log, the id echoed, error envelope rendering, panic guard.
pub fn layered(router: Router<AppState>, state: AppState) -> Router {
    router
        .layer(from_fn_with_state(state.clone(), metrics_http::record))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(RequestIds::default()))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_request(())
                        .on_response(log_response)
                        .on_failure(()),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(from_fn(render_errors))
                .layer(CatchPanicLayer::custom(|_| {
                    ApiError::Internal("a request handler panicked".into()).into_response()
                })),
        )
}

async fn route_not_found(request: Request) -> ApiError {
    ApiError::RouteNotFound {
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Request ids: a random per-process prefix and a counter — unique across replicas, cheap.
#[derive(Clone)]
struct RequestIds {
    prefix: u32,
    counter: std::sync::Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        Self {
            prefix: rand::random(),
            counter: std::sync::Arc::new(AtomicU64::new(0)),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &http::Request<B>) -> Option<RequestId> {
        let sequence = self.counter.fetch_add(1, Ordering::Relaxed);
        // `{prefix:08x}-{sequence:012x}`, written without the formatting machinery.
        let mut id = [b'-'; 21];
        write_hex(&mut id[..8], u64::from(self.prefix));
        write_hex(&mut id[9..], sequence);
        HeaderValue::from_bytes(&id).ok().map(RequestId::new)
    }
}

/// Writes the low digits of `value` in lower-case hex, zero-padded to fill `out`.
fn write_hex(out: &mut [u8], mut value: u64) {
    for digit in out.iter_mut().rev() {
        *digit = b"0123456789abcdef"[(value & 0xf) as usize];
        value >>= 4;
    }
}

fn request_span(request: &http::Request<axum::body::Body>) -> Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| request.uri().path(), MatchedPath::as_str);
    tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %request.method(),
        route = %route,
        account.id = tracing::field::Empty,
    )
}

fn log_response(response: &Response, latency: Duration, _span: &Span) {
    let duration_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
    tracing::info!(
        status = response.status().as_u16(),
        duration_us,
        "request finished"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_prefix_and_zero_padded_sequence() {
        let mut ids = RequestIds {
            prefix: 0x1a2b,
            counter: std::sync::Arc::new(AtomicU64::new(0xfe)),
        };
        let request = http::Request::new(());
        let first = ids.make_request_id(&request).unwrap();
        let second = ids.make_request_id(&request).unwrap();
        assert_eq!(first.header_value(), "00001a2b-0000000000fe");
        assert_eq!(second.header_value(), "00001a2b-0000000000ff");
    }
}
