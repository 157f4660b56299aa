//! The optional `Scp-Api-Version` header: when present it must name the path's service.
//!
//! Checked by the authentication middleware (one layer per request, not two), after the
//! signature, so an unauthenticated caller learns nothing about the API.

use http::HeaderMap;

use crate::error::ApiError;

/// The only version of every service.
pub const VERSION: &str = "1.0";

/// The service owning a path, as `Scp-Api-Version` names it.
pub fn service_of(path: &str) -> Option<&'static str> {
    const SERVICES: [(&str, &str); 6] = [
        ("/v1/budgets/", "budget"),
        ("/v1/planned-computes", "billingplan"),
        ("/v1/bills", "costexplorer"),
        ("/v1/usages", "costexplorer"),
        ("/v1/payments/", "costexplorer"),
        ("/v1/reports/", "pricing"),
    ];
    SERVICES
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix) || path == prefix.trim_end_matches('/'))
        .map(|(_, service)| *service)
}

/// Refuses a `Scp-Api-Version` other than `<service> 1.0` for the path's service.
pub fn check(headers: &HeaderMap, path: &str) -> Result<(), ApiError> {
    let Some(value) = headers.get("scp-api-version") else {
        return Ok(());
    };
    let given = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    match service_of(path) {
        Some(service) if !accepts(service, &given) => {
            Err(ApiError::UnsupportedApiVersion { given, service })
        }
        _ => Ok(()),
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

    #[test]
    fn paths_belong_to_their_service() {
        assert_eq!(service_of("/v1/budgets/account"), Some("budget"));
        assert_eq!(service_of("/v1/budgets/account/abc"), Some("budget"));
        assert_eq!(
            service_of("/v1/planned-computes/instances"),
            Some("billingplan")
        );
        assert_eq!(service_of("/v1/bills"), Some("costexplorer"));
        assert_eq!(service_of("/v1/payments/monthly"), Some("costexplorer"));
        assert_eq!(service_of("/v1/reports/prices"), Some("pricing"));
        assert_eq!(service_of("/healthz"), None);
    }
}
