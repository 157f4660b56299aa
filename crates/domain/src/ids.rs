//! Identifiers: 32 lowercase hexadecimal characters, as SCP writes resource ids.

use std::fmt;
use std::str::FromStr;

/// The text is not 32 lowercase hexadecimal characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected 32 lowercase hexadecimal characters")]
pub struct InvalidId;

fn is_hex_id(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

macro_rules! hex_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The id as written on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Builds an id from 16 bytes (e.g. a random UUID), hex-encoded.
            pub fn from_bytes(bytes: [u8; 16]) -> Self {
                Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                if is_hex_id(text) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(InvalidId)
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

hex_id!(
    /// An account: the unit every query is scoped to.
    AccountId
);
hex_id!(
    /// A budget of an account.
    BudgetId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_exactly_32_lowercase_hex_characters() {
        assert!("240200fd2b02490ca63bb3965048b493"
            .parse::<BudgetId>()
            .is_ok());
        for bad in [
            "240200FD2B02490CA63BB3965048B493",
            "240200fd2b02490ca63bb3965048b49",
            "240200fd-2b02-490c-a63b-b3965048b493",
            "g40200fd2b02490ca63bb3965048b493",
            "",
        ] {
            assert_eq!(bad.parse::<BudgetId>(), Err(InvalidId), "{bad}");
        }
    }

    #[test]
    fn bytes_are_written_as_lowercase_hex() {
        let id = AccountId::from_bytes([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert_eq!(id.as_str().parse::<AccountId>(), Ok(id));
    }
}
