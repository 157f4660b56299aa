//! The optional `Scp-Api-Version` header: when present it must name the service of the
//! operation (`budget 1.0`). Which operation belongs to which service is said once, in the
//! route table (`routes`); this module only reads the header.

use http::HeaderMap;

use crate::error::ApiError;

/// The only version of every service.
pub const VERSION: &str = "1.0";

/// A service of SCP's API, as `Scp-Api-Version` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `budget`.
    Budget,
    /// `billingplan`.
    BillingPlan,
    /// `costexplorer`.
    CostExplorer,
    /// `pricing`.
    Pricing,
}

impl Service {
    /// Its tag in the OpenAPI document.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Budget => "Budget",
            Self::BillingPlan => "BillingPlan",
            Self::CostExplorer => "CostExplorer",
            Self::Pricing => "Pricing",
        }
    }

    /// The name `Scp-Api-Version` uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Budget => "budget",
            Self::BillingPlan => "billingplan",
            Self::CostExplorer => "costexplorer",
            Self::Pricing => "pricing",
        }
    }
}

/// Refuses a `Scp-Api-Version` other than `<service> 1.0`.
pub fn check(headers: &HeaderMap, service: Service) -> Result<(), ApiError> {
    let Some(value) = headers.get("scp-api-version") else {
        return Ok(());
    };
    let given = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    if accepts(service.name(), &given) {
        Ok(())
    } else {
        Err(ApiError::UnsupportedApiVersion {
            given,
            service: service.name(),
        })
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
    fn a_missing_header_is_fine_and_a_wrong_one_names_the_service() {
        let mut headers = HeaderMap::new();
        assert!(check(&headers, Service::Pricing).is_ok());
        headers.insert("scp-api-version", "budget 1.0".parse().unwrap());
        assert!(matches!(
            check(&headers, Service::Pricing),
            Err(ApiError::UnsupportedApiVersion {
                service: "pricing",
                ..
            })
        ));
    }
}
