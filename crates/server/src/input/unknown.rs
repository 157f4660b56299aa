//! Unknown fields and query parameters: a 400 naming the field by its path, with the nearest
//! known name or the object the field belongs in.
//!
//! Every request body and query type refuses unknown names (`deny_unknown_fields`); serde then
//! reports `unknown field `x`, expected one of `a`, `b``. This module turns that message into
//! [`Unreadable::UnknownField`] with a hint: a known name a few edits away ("did you mean
//! `notifications`?"), or, for a top-level field that is known inside one of the body's
//! objects, that object ("`thresholds` belongs in `notifications`"), found by asking the
//! request type itself whether it takes the field there.

use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldHint, Unreadable};

/// The name serde refused and the names it would have taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The unknown name.
    pub name: String,
    /// The known names at that place.
    pub expected: Vec<String>,
}

/// Reads serde's "unknown field" message; `None` for any other error.
pub fn parse_message(message: &str) -> Option<UnknownName> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let rest = rest.split(" at line ").next().unwrap_or(rest);
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some(UnknownName {
        name: name.to_owned(),
        expected,
    })
}

/// The known name closest to `name`, when it is close enough to be a typo.
pub fn nearest(name: &str, expected: &[String]) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let allowed = (name.chars().count() / 3).max(2);
    expected
        .iter()
        .map(|known| (strsim::damerau_levenshtein(&lower, known), known))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known.clone())
}

/// The path of field `name` from serde's error path, which ends with the field itself; and
/// whether the field is at the body's top level.
fn field_path(error_path: &str, name: &str) -> (String, bool) {
    if error_path.is_empty() || error_path == "." || error_path == name {
        return (name.to_owned(), true);
    }
    match error_path
        .strip_suffix(name)
        .and_then(|parent| parent.strip_suffix('.'))
    {
        Some(_) => (error_path.to_owned(), false),
        None => (format!("{error_path}.{name}"), false),
    }
}

/// The error for an unknown query parameter.
pub fn query_error(unknown: UnknownName) -> ApiError {
    ApiError::Unreadable(Unreadable::UnknownField {
        hint: nearest(&unknown.name, &unknown.expected).map(FieldHint::DidYouMean),
        field: unknown.name,
    })
}

/// The error for an unknown field of a JSON body of type `T` (`error_path`: serde's path).
pub fn body_error<T: DeserializeOwned>(
    body: &[u8],
    error_path: &str,
    unknown: UnknownName,
) -> ApiError {
    let (field, at_top) = field_path(error_path, &unknown.name);
    let hint = nearest(&unknown.name, &unknown.expected)
        .map(FieldHint::DidYouMean)
        .or_else(|| {
            at_top
                .then(|| belongs_in::<T>(body, &unknown))
                .flatten()
                .map(FieldHint::BelongsIn)
        });
    ApiError::Unreadable(Unreadable::UnknownField { field, hint })
}

/// The objects of the body's top level that take `unknown.name` with the value sent, joined
/// by " or " (`receivers` fits both settings objects of a budget).
fn belongs_in<T: DeserializeOwned>(body: &[u8], unknown: &UnknownName) -> Option<String> {
    let sent: serde_json::Value = serde_json::from_slice(body).ok()?;
    let value = sent.get(&unknown.name)?;
    let homes: Vec<&str> = unknown
        .expected
        .iter()
        .filter(|object| {
            let mut inner = serde_json::Map::new();
            inner.insert(unknown.name.clone(), value.clone());
            let mut probe = serde_json::Map::new();
            probe.insert((*object).clone(), serde_json::Value::Object(inner));
            match serde_path_to_error::deserialize::<_, T>(serde_json::Value::Object(probe)) {
                Ok(_) => true,
                Err(error) => {
                    // Taken there, but the value is wrong: it still belongs there.
                    error.path().to_string().starts_with(&format!("{object}."))
                        && parse_message(&error.inner().to_string()).is_none()
                }
            }
        })
        .map(String::as_str)
        .collect();
    (!homes.is_empty()).then(|| homes.join("` or `"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_are_read() {
        let unknown = parse_message(
            "unknown field `notifcations`, expected one of `amount`, `name`, `notifications` at line 1 column 17",
        )
        .unwrap();
        assert_eq!(unknown.name, "notifcations");
        assert_eq!(unknown.expected, ["amount", "name", "notifications"]);
        let single = parse_message("unknown field `x`, expected `size`").unwrap();
        assert_eq!(single.expected, ["size"]);
        let none = parse_message("unknown field `x`, there are no fields").unwrap();
        assert!(none.expected.is_empty());
        assert_eq!(parse_message("invalid type: string"), None);
    }

    #[test]
    fn typos_find_their_name_and_strangers_find_none() {
        let known: Vec<String> = ["size", "page", "sort", "state", "bill_year_month"]
            .map(String::from)
            .to_vec();
        assert_eq!(nearest("sise", &known).as_deref(), Some("size"));
        assert_eq!(nearest("stat", &known).as_deref(), Some("state"));
        assert_eq!(
            nearest("bill_yearmonth", &known).as_deref(),
            Some("bill_year_month")
        );
        assert_eq!(nearest("SIZE", &known).as_deref(), Some("size"));
        assert_eq!(nearest("colour", &known), None);
    }

    #[test]
    fn paths_end_with_the_field() {
        assert_eq!(field_path(".", "x"), ("x".into(), true));
        assert_eq!(field_path("x", "x"), ("x".into(), true));
        assert_eq!(
            field_path("notifications.x", "x"),
            ("notifications.x".into(), false)
        );
        assert_eq!(
            field_path("notifications", "x"),
            ("notifications.x".into(), false)
        );
    }
}
