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
hex_id!(
    /// A planned compute contract (the resource; its contract number is `contract_id`).
    PlannedComputeId
);

/// Usage record ids: the store numbers records in the order it stores them (`seq`, from 1) and
/// writes that number on the wire as 32 hex characters through a fixed bijection, so ids look
/// like every other SCP id, never repeat, and turn back into the number without a lookup
/// table (a `marker` costs one primary-key read). The first 16 characters are a check on the
/// last 16: text that is not an id this scheme issued decodes to `None`.
pub mod usage_ids {
    const K1: u64 = 0xbf58_476d_1ce4_e5b9;
    const K2: u64 = 0x94d0_49bb_1331_11eb;
    /// Separates the check half from the number half.
    const CHECK_SALT: u64 = 0x5c9f_2026_0003_7e11;

    /// The inverse of an odd `k` modulo 2^64 (Newton's iteration doubles the correct bits).
    const fn inverse(k: u64) -> u64 {
        let mut inv = k;
        let mut round = 0;
        while round < 6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(k.wrapping_mul(inv)));
            round += 1;
        }
        inv
    }

    /// SplitMix64's finalizer: a bijection on 64-bit words that scatters neighbouring inputs.
    fn mix(mut x: u64) -> u64 {
        x = (x ^ (x >> 30)).wrapping_mul(K1);
        x = (x ^ (x >> 27)).wrapping_mul(K2);
        x ^ (x >> 31)
    }

    fn unshift(x: u64, shift: u32) -> u64 {
        let mut y = x;
        let mut step = shift;
        while step < 64 {
            y = x ^ (y >> shift);
            step += shift;
        }
        y
    }

    fn unmix(mut x: u64) -> u64 {
        x = unshift(x, 31).wrapping_mul(inverse(K2));
        x = unshift(x, 27).wrapping_mul(inverse(K1));
        unshift(x, 30)
    }

    /// The wire id of the record stored with sequence number `seq`.
    pub fn encode(seq: i64) -> String {
        encode_salted(seq, CHECK_SALT)
    }

    /// The sequence number a wire id stands for, if it is one this scheme issued.
    pub fn decode(id: &str) -> Option<i64> {
        decode_salted(id, CHECK_SALT)
    }

    /// The scheme with another check salt, for another numbered table.
    pub(super) fn encode_salted(seq: i64, salt: u64) -> String {
        let low = mix(seq as u64);
        let high = mix(low ^ salt);
        format!("{high:016x}{low:016x}")
    }

    pub(super) fn decode_salted(id: &str, salt: u64) -> Option<i64> {
        if !super::is_hex_id(id) {
            return None;
        }
        let high = u64::from_str_radix(&id[..16], 16).ok()?;
        let low = u64::from_str_radix(&id[16..], 16).ok()?;
        if mix(low ^ salt) != high {
            return None;
        }
        i64::try_from(unmix(low)).ok().filter(|seq| *seq > 0)
    }
}

/// Bill line ids: the scheme of [`usage_ids`] over bill line numbers, with its own check
/// salt, so a usage id is never mistaken for a bill id.
pub mod bill_ids {
    const CHECK_SALT: u64 = 0x5c9f_2026_0004_b111;

    /// The wire id of bill line `seq`.
    pub fn encode(seq: i64) -> String {
        super::usage_ids::encode_salted(seq, CHECK_SALT)
    }

    /// The bill line number a wire id stands for.
    pub fn decode(id: &str) -> Option<i64> {
        super::usage_ids::decode_salted(id, CHECK_SALT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn usage_ids_decode_to_their_number(seq in 1..i64::MAX) {
            let id = usage_ids::encode(seq);
            prop_assert_eq!(id.len(), 32);
            prop_assert!(is_hex_id(&id));
            prop_assert_eq!(usage_ids::decode(&id), Some(seq));
        }

        #[test]
        fn other_hex_text_is_not_a_usage_id(id in "[0-9a-f]{32}") {
            // The check half matches a random low half with probability 2^-64.
            prop_assert_eq!(usage_ids::decode(&id), None);
        }
    }

    #[test]
    fn neighbouring_usage_ids_look_unrelated() {
        let (one, two) = (usage_ids::encode(1), usage_ids::encode(2));
        assert_ne!(one[..8], two[..8]);
        assert_ne!(one[24..], two[24..]);
        assert_eq!(usage_ids::decode("not an id"), None);
        assert_eq!(bill_ids::decode(&bill_ids::encode(7)), Some(7));
        assert_eq!(bill_ids::decode(&usage_ids::encode(7)), None);
        assert_eq!(
            usage_ids::decode(&usage_ids::encode(1).to_uppercase()),
            None
        );
    }

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
