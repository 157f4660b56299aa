//! Conversions between domain values and their stored form.

use chrono::{DateTime, Utc};

use crate::StoreError;

/// An instant as stored: microseconds since the Unix epoch.
pub fn micros(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_micros()
}

/// A stored instant.
pub fn instant(micros: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| StoreError::Corrupt(format!("instant out of range: {micros}")))
}

/// A stored optional instant.
pub fn opt_instant(micros: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    micros.map(instant).transpose()
}

/// Encodes text values as a JSON array.
pub fn encode_texts<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    serde_json::Value::Array(
        values
            .into_iter()
            .map(|v| serde_json::Value::String(v.to_owned()))
            .collect(),
    )
    .to_string()
}

/// Encodes integers as a JSON array.
pub fn encode_ints(values: impl IntoIterator<Item = i64>) -> String {
    serde_json::Value::Array(values.into_iter().map(serde_json::Value::from).collect()).to_string()
}

/// Decodes a JSON array of text.
pub fn decode_texts(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt(format!("text list: {error}")))
}

/// Decodes a JSON array of integers.
pub fn decode_ints(text: &str) -> Result<Vec<i64>, StoreError> {
    serde_json::from_str(text)
        .map_err(|error| StoreError::Corrupt(format!("integer list: {error}")))
}

/// A stored value's conversion into its domain type; failure means the row is corrupt.
pub fn valid<T, E: std::fmt::Debug>(what: &str, converted: Result<T, E>) -> Result<T, StoreError> {
    converted.map_err(|error| StoreError::Corrupt(format!("stored {what} is invalid: {error:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn instants_round_trip(micros_value in -62_135_596_800_000_000i64..253_402_300_799_000_000) {
            let value = instant(micros_value).unwrap();
            prop_assert_eq!(micros(value), micros_value);
        }

        #[test]
        fn text_lists_round_trip(values in proptest::collection::vec("\\PC{0,20}", 0..5)) {
            let encoded = encode_texts(values.iter().map(String::as_str));
            prop_assert_eq!(decode_texts(&encoded).unwrap(), values);
        }
    }
}
