//! E-mail addresses of budget mail receivers.

use std::fmt;

use crate::validation::{FieldError, Problem};

/// A syntactically valid e-mail address (RFC 5322 `addr-spec` with a dotted domain).
///
/// ```
/// use scpfm_domain::email::EmailAddress;
///
/// assert!(EmailAddress::parse("r", "test_user1@test.com").is_ok());
/// assert!(EmailAddress::parse("r", "not-an-address").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Longest address accepted (RFC 5321 path limit).
    pub const MAX_LEN: usize = 254;

    /// Parses `text`, naming `field` in the error.
    pub fn parse(field: &str, text: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::with_given(field, Problem::InvalidEmail, text);
        if text.len() > Self::MAX_LEN || text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(invalid());
        }
        let parsed: email_address::EmailAddress = text.parse().map_err(|_| invalid())?;
        // Local deliveries (`user@localhost`) are valid RFC 5322 but never reach a receiver
        // of a cloud bill; require a dotted domain as every mail provider does.
        let domain = parsed.domain();
        let dotted = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.starts_with('[');
        if !dotted {
            return Err(invalid());
        }
        Ok(Self(text.to_owned()))
    }

    /// An address read back from scpfm's own storage, which stores only addresses that
    /// [`parse`](Self::parse) accepted. Skips re-parsing on every read; do not use it for
    /// input from anywhere else.
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_addresses_are_accepted() {
        for good in [
            "a@b.co",
            "test_user1@test.com",
            "first.last+tag@mail.example.co.kr",
        ] {
            assert!(EmailAddress::parse("r", good).is_ok(), "{good}");
        }
    }

    #[test]
    fn malformed_addresses_are_refused_with_the_value() {
        for bad in [
            "",
            "plain",
            "@test.com",
            "a@",
            "a@localhost",
            "a b@test.com",
            "a@test.com\n",
            "a@@test.com",
        ] {
            let error = EmailAddress::parse("receivers[0]", bad).unwrap_err();
            assert_eq!(error.problem, Problem::InvalidEmail, "{bad}");
            assert_eq!(error.given.as_deref(), Some(bad));
        }
    }
}
