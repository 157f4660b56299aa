//! The optional `Scp-Api-Version` header: when present it must name the path's service.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The only version of every service.
pub const VERSION: &str = "1.0";

/// Middleware state: the service owning the routes, e.g. `budget`.
pub type Service = &'static str;

/// Middleware: refuses a `Scp-Api-Version` other than `<service> 1.0` with 400.
pub async fn check_api_version(
    State(service): State<Service>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get("scp-api-version")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).trim().to_owned());
    match given {
        Some(given) if !accepts(service, &given) => {
            ApiError::UnsupportedApiVersion { given, service }.into_response()
        }
        _ => next.run(request).await,
    }
}

fn accepts(service: &str, given: &str) -> bool {
    let mut parts = given.split_whitespace();
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(name), Some(version), None) if name.eq_ignore_ascii_case(service) && version == VERSION
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_service_at_1_0_is_accepted() {
        assert!(accepts("budget", "budget 1.0"));
        assert!(accepts("budget", "Budget  1.0"));
        assert!(!accepts("budget", "billingplan 1.0"));
        assert!(!accepts("budget", "budget 2.0"));
        assert!(!accepts("budget", "budget"));
        assert!(!accepts("budget", "budget 1.0 x"));
    }
}
