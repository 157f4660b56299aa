//! The middleware that writes every [`ApiError`] as SCP's error envelope.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};
use scpfm_api_types::error::ErrorResponse;

use super::ApiError;
use crate::i18n::Lang;

/// The request id header (set by the outermost layer).
const REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// Middleware: writes the envelope of every [`ApiError`] in the request's language.
pub async fn render_errors(request: Request, next: Next) -> Response {
    // Kept as they came (a reference count each): read only when there is an error to render.
    let language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let id = request.headers().get(REQUEST_ID).cloned();
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<ApiError>() else {
        return response;
    };
    let lang = Lang::from_header_value(language.as_ref());
    let request_id = id.as_ref().and_then(|value| value.to_str().ok());
    match &error {
        ApiError::Internal(detail) => {
            tracing::error!(error.detail = %detail, "request failed: {detail}")
        }
        ApiError::Unavailable(detail) => {
            tracing::warn!(error.detail = %detail, "database unavailable: {detail}")
        }
        other => tracing::debug!(error.code = other.code(), "request refused"),
    }
    let body = ErrorResponse {
        errors: error.items(lang, request_id),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"errors\":[]}".to_vec());
    *response.body_mut() = Body::from(bytes);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}
