//! Extractors that answer bad input with the API's own error envelope.
//!
//! - [`ApiJson`]: a JSON body; malformed JSON, wrong types, unknown fields and control
//!   characters name the field at fault;
//! - [`ApiBytes`]: a raw body, too large a body answered 413 in the envelope;
//! - [`ApiQuery`]: query parameters, repeated names collected into lists, unknown names and
//!   control characters refused;
//! - [`Caller`]: the authenticated account and user, set by the auth middleware.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use http::request::Parts;
use scpfm_domain::ids::AccountId;
use serde::de::DeserializeOwned;

use crate::body_limit::ReadError;
use crate::error::{ApiError, Unreadable};
use crate::input::{control, unknown};
use crate::state::AppState;

/// A JSON object request body of type `T` (every documented request body is an object).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let ApiBytes(bytes) = ApiBytes::from_request(request, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A request body as bytes, within the operation's limit.
pub struct ApiBytes(pub Bytes);

impl FromRequest<AppState> for ApiBytes {
    type Rejection = ApiError;

    /// Reads the body within the operation's size limit and the request timeout (a body
    /// trickling in is answered 408; requests without a body pay for no timer).
    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let limit = crate::body_limit::for_path(request.uri().path());
        let declared = crate::body_limit::declared_length(request.headers());
        let timeout = state.limits.request_timeout;
        let read = crate::body_limit::read(request.into_body(), limit, declared, Some(timeout));
        read.await.map(ApiBytes).map_err(|error| match error {
            ReadError::TooLarge => ApiError::PayloadTooLarge { limit },
            ReadError::TimedOut => ApiError::RequestTimeout {
                seconds: timeout.as_secs(),
            },
            ReadError::Broken(reason) => ApiError::Unreadable(Unreadable::NotJson(reason)),
        })
    }
}

/// Parses a JSON object body, reporting the path of a value with the wrong type.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match bytes.iter().find(|byte| !byte.is_ascii_whitespace()) {
        None => return Err(ApiError::Unreadable(Unreadable::EmptyBody)),
        // serde reads a struct from an array too; a request body must be an object.
        Some(b'[') => {
            return Err(ApiError::Unreadable(Unreadable::WrongType {
                field: "body".into(),
                expected: "an object".into(),
            }))
        }
        Some(_) => {}
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if let Some(unknown) = unknown::parse_message(&inner.to_string()) {
            return unknown::body_error::<T>(bytes, &path, unknown);
        }
        match inner.classify() {
            serde_json::error::Category::Data => ApiError::Unreadable(Unreadable::WrongType {
                field: if path == "." { "body".into() } else { path },
                expected: expected_type(&inner.to_string()),
            }),
            _ => ApiError::Unreadable(Unreadable::NotJson(inner.to_string())),
        }
    })?;
    deserializer
        .end()
        .map_err(|error| ApiError::Unreadable(Unreadable::NotJson(error.to_string())))?;
    if let Some(field) = control::in_json(bytes) {
        return Err(ApiError::Unreadable(Unreadable::ControlCharacter { field }));
    }
    Ok(value)
}

/// What serde expected, in words a client understands.
pub(crate) fn expected_type(message: &str) -> String {
    let expected = message
        .split_once("expected ")
        .map(|(_, rest)| rest.split(" at line ").next().unwrap_or(rest))
        .unwrap_or(message);
    let integer = ["i64", "i32", "i16", "u64", "u32", "u16", "u8", "i8"];
    if integer.iter().any(|name| expected.starts_with(name)) {
        "an integer".into()
    } else if expected.starts_with("a string") {
        "a string".into()
    } else if expected.starts_with("a boolean") {
        "true or false".into()
    } else if expected.starts_with("a sequence") {
        "an array".into()
    } else if expected.starts_with("struct") || expected.starts_with("a map") {
        "an object".into()
    } else if message.starts_with("duplicate field") || message.starts_with("missing field") {
        message
            .split(" at line ")
            .next()
            .unwrap_or(message)
            .to_owned()
    } else {
        expected.to_owned()
    }
}

/// Query parameters of type `T`; `name=a&name=b` fills a `Vec`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_query(parts.uri.query().unwrap_or("")).map(ApiQuery)
    }
}

/// Parses a query string, naming the parameter that cannot be read.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    if let Some(field) = control::in_query(query) {
        return Err(ApiError::Unreadable(Unreadable::ControlCharacter { field }));
    }
    let deserializer = serde_html_form::Deserializer::from_bytes(query.as_bytes());
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let message = error.into_inner().to_string();
        if let Some(unknown) = unknown::parse_message(&message) {
            return unknown::query_error(unknown);
        }
        let expected = if message.contains("digit") || message.contains("number") {
            "an integer".to_owned()
        } else if message.contains("bool") {
            "true or false".to_owned()
        } else {
            message
        };
        ApiError::Unreadable(Unreadable::BadQueryValue { field, expected })
    })
}

/// The query of an operation that defines no query parameters: any parameter is refused.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// The authenticated caller: every query is scoped to its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The account the access key belongs to.
    pub account_id: AccountId,
    /// The access key's user, recorded as `created_by`/`modified_by`.
    pub user_name: String,
    /// The access key id.
    pub access_key: String,
    /// Whether the key may use the admin API.
    pub is_admin: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            ApiError::Internal("route is not behind the authentication layer".into())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldHint;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[allow(dead_code)]
        amount: Option<i64>,
        #[allow(dead_code)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[allow(dead_code)]
        list: Option<Vec<i64>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Query {
        size: Option<i64>,
        state: Option<Vec<String>>,
    }

    fn unreadable<T: DeserializeOwned + std::fmt::Debug>(bytes: &str) -> Unreadable {
        match parse_json::<T>(bytes.as_bytes()) {
            Err(ApiError::Unreadable(unreadable)) => unreadable,
            other => panic!("expected an unreadable body, got {other:?}"),
        }
    }

    #[test]
    fn wrong_types_name_the_nested_field() {
        assert_eq!(
            unreadable::<Body>(r#"{"amount":"1000"}"#),
            Unreadable::WrongType {
                field: "amount".into(),
                expected: "an integer".into()
            }
        );
        assert_eq!(
            unreadable::<Body>(r#"{"inner":{"list":[1,"x"]}}"#),
            Unreadable::WrongType {
                field: "inner.list[1]".into(),
                expected: "an integer".into()
            }
        );
        assert_eq!(
            unreadable::<Body>(r#"{"amount":1.5}"#),
            Unreadable::WrongType {
                field: "amount".into(),
                expected: "an integer".into()
            }
        );
        assert_eq!(
            unreadable::<Body>(r#"[1]"#),
            Unreadable::WrongType {
                field: "body".into(),
                expected: "an object".into()
            }
        );
    }

    #[test]
    fn malformed_and_empty_bodies_are_reported() {
        assert!(matches!(
            unreadable::<Body>("{\"amount\": "),
            Unreadable::NotJson(_)
        ));
        assert!(matches!(
            unreadable::<Body>("{} trailing"),
            Unreadable::NotJson(_)
        ));
        assert_eq!(unreadable::<Body>("  "), Unreadable::EmptyBody);
    }

    #[test]
    fn unknown_fields_are_refused_with_a_hint() {
        assert_eq!(
            unreadable::<Body>(r#"{"amount":5,"extra":{"x":1}}"#),
            Unreadable::UnknownField {
                field: "extra".into(),
                hint: None
            }
        );
        assert_eq!(
            unreadable::<Body>(r#"{"amout":5}"#),
            Unreadable::UnknownField {
                field: "amout".into(),
                hint: Some(FieldHint::DidYouMean("amount".into()))
            }
        );
        assert_eq!(
            unreadable::<Body>(r#"{"inner":{"lst":[1]}}"#),
            Unreadable::UnknownField {
                field: "inner.lst".into(),
                hint: Some(FieldHint::DidYouMean("list".into()))
            }
        );
        assert_eq!(
            unreadable::<Body>(r#"{"list":[1]}"#),
            Unreadable::UnknownField {
                field: "list".into(),
                hint: Some(FieldHint::BelongsIn("inner".into()))
            }
        );
    }

    #[test]
    fn control_characters_are_refused_in_bodies_and_queries() {
        #[derive(Debug, Deserialize)]
        struct Named {
            #[allow(dead_code)]
            name: String,
        }
        assert_eq!(
            unreadable::<Named>(r#"{"name":"a\u0000b"}"#),
            Unreadable::ControlCharacter {
                field: "name".into()
            }
        );
        match parse_query::<Query>("size=1&state=A%00") {
            Err(ApiError::Unreadable(Unreadable::ControlCharacter { field })) => {
                assert_eq!(field, "state")
            }
            other => panic!("unexpected {other:?}"),
        }
        match parse_query::<Query>("sise=1") {
            Err(ApiError::Unreadable(Unreadable::UnknownField { field, hint })) => {
                assert_eq!(field, "sise");
                assert_eq!(hint, Some(FieldHint::DidYouMean("size".into())));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn queries_collect_repeated_names_and_name_bad_values() {
        let query: Query = parse_query("size=5&state=A&state=B").unwrap();
        assert_eq!(query.size, Some(5));
        assert_eq!(query.state, Some(vec!["A".into(), "B".into()]));
        match parse_query::<Query>("size=abc") {
            Err(ApiError::Unreadable(Unreadable::BadQueryValue { field, expected })) => {
                assert_eq!((field.as_str(), expected.as_str()), ("size", "an integer"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
