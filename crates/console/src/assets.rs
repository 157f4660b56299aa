//! The console's stylesheet and script, embedded in the binary and served with a content
//! hash in their URL, so a browser keeps them until they change.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};
use sha2::{Digest, Sha256};

/// The stylesheet.
pub const CSS: &str = include_str!("../assets/console.css");
/// The script: tooltips, table sorting, confirmations.
pub const JS: &str = include_str!("../assets/console.js");

/// A short hash of both, in their URLs (`/console/assets/console.css?v=…`).
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::new().chain_update(CSS).chain_update(JS).finalize();
    digest
        .iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect()
});

/// `GET /console/assets/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "console.css" => (CSS, "text/css; charset=utf-8"),
        "console.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}
