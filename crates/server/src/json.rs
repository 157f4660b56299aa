//! JSON response bodies.
//!
//! Like `axum::Json` as a response, but the body is written into a buffer sized for a typical
//! response at once (axum starts at 128 bytes and grows it three or four times for a budget),
//! and a value that cannot be serialized is the API's own 500, not a plain-text one.

use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::HeaderValue;
use serde::Serialize;

use crate::error::ApiError;

/// First size of a response body's buffer: holds most single-resource responses.
const INITIAL_CAPACITY: usize = 1024;

/// A response whose body is `T` as JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(INITIAL_CAPACITY);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => (
                [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                body,
            )
                .into_response(),
            Err(error) => {
                ApiError::Internal(format!("response not serializable: {error}")).into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_are_json_with_their_content_type() {
        let response = Json(serde_json::json!({"a": [1, "b"]})).into_response();
        assert_eq!(response.status(), http::StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(&body[..], br#"{"a":[1,"b"]}"#);
    }

    #[test]
    fn an_unserializable_value_is_the_api_error_500() {
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let response = Json(map).into_response();
        assert_eq!(response.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
    }
}
