//! The SCP Open API request signature, shared by every signer and verifier in scpfm.
//!
//! SCP authenticates each call with an HMAC over a few request facts, sent in the
//! `Scp-Signature` header:
//!
//! ```text
//! signature = Base64( HMAC-SHA256( secret_key,
//!                     METHOD + URL + timestamp + access_key + account_id + client_type ) )
//! ```
//!
//! `URL` is the full URL the client called (scheme, host, path and `?query` when there is
//! one), `timestamp` the `Scp-Timestamp` header (Unix milliseconds), `account_id` the
//! `Scp-AccountId` header or empty, and `client_type` is `Openapi`. The body and every other
//! header are not signed.
//!
//! Known clients write the query differently: the Go SDK signs it percent-encoded (exactly as
//! sent), the Python SDK signs it decoded and, for a repeated parameter, as a Python list.
//! [`url_candidates`] lists the forms a verifier should accept, so the server accepts all of
//! them while the signature still binds method, host, path and every parameter value.
//!
//! This crate depends on no IO crate: it is pure computation, used by `scpcli` and the
//! client library to sign and by the server to verify, so the two cannot drift apart.
//!
//! ```
//! use scpfm_signing::{sign, verify, Message};
//!
//! let message = Message {
//!     method: "GET",
//!     url: "https://pricing.e.samsungsdscloud.com/v1/reports/prices?offering=PP&page=0&size=20",
//!     timestamp: "1605290625682",
//!     access_key: "test-access-key",
//!     account_id: "",
//!     client_type: scpfm_signing::CLIENT_TYPE,
//! };
//! let signature = sign(b"test-secret-key", &message);
//! assert_eq!(signature, "MyX9swQrt6fP17praGxLQk1fQU+vUSfXhGBlCNup4As=");
//! assert!(verify(b"test-secret-key", &message, &signature).is_ok());
//! ```

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `Scp-ClientType` value every Open API caller sends.
pub const CLIENT_TYPE: &str = "Openapi";

type HmacSha256 = Hmac<Sha256>;

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The `Scp-Signature` value is not standard Base64.
    #[error("signature is not valid base64")]
    Malformed,
    /// The signature is well formed but does not match the request.
    #[error("signature does not match the request")]
    Mismatch,
}

/// The request facts a signature covers, in the order they are concatenated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// HTTP method as sent, e.g. `GET`.
    pub method: &'a str,
    /// Full URL: scheme, host, path and `?query` when there is one.
    pub url: &'a str,
    /// The `Scp-Timestamp` header value (Unix milliseconds, decimal).
    pub timestamp: &'a str,
    /// The `Scp-Accesskey` header value.
    pub access_key: &'a str,
    /// The `Scp-AccountId` header value, or empty when the client sent none.
    pub account_id: &'a str,
    /// The `Scp-ClientType` header value, normally [`CLIENT_TYPE`].
    pub client_type: &'a str,
}

impl Message<'_> {
    /// The exact bytes that are signed: the fields concatenated without separators.
    pub fn string_to_sign(&self) -> String {
        let mut text = String::with_capacity(
            self.method.len()
                + self.url.len()
                + self.timestamp.len()
                + self.access_key.len()
                + self.account_id.len()
                + self.client_type.len(),
        );
        text.push_str(self.method);
        text.push_str(self.url);
        text.push_str(self.timestamp);
        text.push_str(self.access_key);
        text.push_str(self.account_id);
        text.push_str(self.client_type);
        text
    }

    fn mac(&self, secret_key: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length, so this never fails.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(secret_key)
            .unwrap_or_else(|_| unreachable!("HMAC-SHA256 accepts keys of every length"));
        mac.update(self.method.as_bytes());
        mac.update(self.url.as_bytes());
        mac.update(self.timestamp.as_bytes());
        mac.update(self.access_key.as_bytes());
        mac.update(self.account_id.as_bytes());
        mac.update(self.client_type.as_bytes());
        mac
    }
}

/// Signs `message` with `secret_key`; the result is the `Scp-Signature` header value.
pub fn sign(secret_key: &[u8], message: &Message<'_>) -> String {
    BASE64.encode(message.mac(secret_key).finalize().into_bytes())
}

/// Decodes an `Scp-Signature` header value into the raw MAC bytes.
pub fn decode_signature(signature: &str) -> Result<Vec<u8>, SignatureError> {
    BASE64
        .decode(signature.trim())
        .map_err(|_| SignatureError::Malformed)
}

/// Checks `signature` (Base64) against `message` in constant time.
pub fn verify(
    secret_key: &[u8],
    message: &Message<'_>,
    signature: &str,
) -> Result<(), SignatureError> {
    let expected = decode_signature(signature)?;
    verify_decoded(secret_key, message, &expected)
}

/// Checks already decoded signature bytes against `message` in constant time.
pub fn verify_decoded(
    secret_key: &[u8],
    message: &Message<'_>,
    signature: &[u8],
) -> Result<(), SignatureError> {
    message
        .mac(secret_key)
        .verify_slice(signature)
        .map_err(|_| SignatureError::Mismatch)
}

/// The forms of one request URL a verifier accepts, most likely first, without repeats.
///
/// `base` is `scheme://host[:port]`, `path` the raw request path and `raw_query` the query
/// exactly as received (without `?`). The forms are:
/// 1. the query exactly as sent (Go SDK, `scpcli`, the docs' JavaScript sample);
/// 2. every name and value percent-decoded, `+` read as a space (Python SDK);
/// 3. as 2, with repeated names folded into one Python list literal, `state=['A', 'B']`
///    (how the Python SDK signs an array parameter);
/// 4. as 3, with the `array_names` sent once also written as lists, `state=['A']` (the
///    Python SDK signs a one-element list so, while the query carries `state=A`).
pub fn url_candidates(
    base: &str,
    path: &str,
    raw_query: Option<&str>,
    array_names: &[&str],
) -> Vec<String> {
    let mut candidates = Vec::with_capacity(3);
    let query = raw_query.filter(|query| !query.is_empty());
    let Some(query) = query else {
        candidates.push(format!("{base}{path}"));
        return candidates;
    };
    let mut push = |candidate: String| {
        if !candidates.contains(&candidate) {
            candidates.push(candidate);
        }
    };
    push(format!("{base}{path}?{query}"));
    let pairs = decode_pairs(query);
    let decoded = pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&");
    push(format!("{base}{path}?{decoded}"));
    push(format!("{base}{path}?{}", python_list_form(&pairs, &[])));
    push(format!(
        "{base}{path}?{}",
        python_list_form(&pairs, array_names)
    ));
    candidates
}

/// Splits a query into `(name, value)` pairs, percent-decoding both, `+` as space.
fn decode_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (form_decode(name), form_decode(value)),
            None => (form_decode(pair), String::new()),
        })
        .collect()
}

/// Joins pairs the way the Python SDK signs them: one `name=value` per distinct name, with
/// repeated names (and `lists`, always) written as Python's `str(list)`.
fn python_list_form(pairs: &[(String, String)], lists: &[&str]) -> String {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, value) in pairs {
        match grouped
            .iter_mut()
            .find(|(known, _)| *known == name.as_str())
        {
            Some((_, values)) => values.push(value),
            None => grouped.push((name, vec![value])),
        }
    }
    grouped
        .iter()
        .map(|(name, values)| match values.as_slice() {
            [single] if !lists.contains(name) => format!("{name}={single}"),
            many => {
                let items = many
                    .iter()
                    .map(|value| python_str_repr(value))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{name}=[{items}]")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Python's `repr()` of a string, for the characters a query value can hold.
fn python_str_repr(value: &str) -> String {
    let quote = if value.contains('\'') && !value.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Decodes `application/x-www-form-urlencoded` text; invalid escapes are kept as written.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        match bytes[idx] {
            b'+' => {
                out.push(b' ');
                idx += 1;
            }
            b'%' if idx + 2 < bytes.len() => {
                match (hex_value(bytes[idx + 1]), hex_value(bytes[idx + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        idx += 3;
                    }
                    _ => {
                        out.push(b'%');
                        idx += 1;
                    }
                }
            }
            byte => {
                out.push(byte);
                idx += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes a query component the way `scpcli` sends it (RFC 3986 unreserved kept).
pub fn encode_query_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PRICES_URL: &str =
        "https://pricing.e.samsungsdscloud.com/v1/reports/prices?offering=PP&page=0&size=20";

    fn message<'a>(url: &'a str, account_id: &'a str) -> Message<'a> {
        Message {
            method: "GET",
            url,
            timestamp: "1605290625682",
            access_key: "test-access-key",
            account_id,
            client_type: CLIENT_TYPE,
        }
    }

    #[test]
    fn docs_form_matches_the_known_answer() {
        let signature = sign(b"test-secret-key", &message(PRICES_URL, ""));
        assert_eq!(signature, "MyX9swQrt6fP17praGxLQk1fQU+vUSfXhGBlCNup4As=");
    }

    #[test]
    fn sdk_form_with_account_id_matches_the_known_answer() {
        let signature = sign(
            b"test-secret-key",
            &message(PRICES_URL, "228cb9e4a7934f84853594c7f26f7a21"),
        );
        assert_eq!(signature, "3umFSQhpMRYec3nDdDDXJP/FEEPYS4tMlp1kBZlS8+k=");
    }

    #[test]
    fn string_to_sign_is_plain_concatenation() {
        assert_eq!(
            message(PRICES_URL, "").string_to_sign(),
            format!("GET{PRICES_URL}1605290625682test-access-keyOpenapi")
        );
    }

    #[test]
    fn tampering_with_any_signed_field_fails_verification() {
        let original = message(PRICES_URL, "acc");
        let signature = sign(b"secret", &original);
        let tampered = [
            Message { method: "POST", ..original },
            Message { url: "https://pricing.e.samsungsdscloud.com/v1/reports/prices?offering=PG&page=0&size=20", ..original },
            Message { url: "https://pricing.e.samsungsdscloud.com/v1/reports/offerings?offering=PP&page=0&size=20", ..original },
            Message { timestamp: "1605290625683", ..original },
            Message { access_key: "other-key", ..original },
            Message { account_id: "other", ..original },
            Message { client_type: "user-api", ..original },
        ];
        for candidate in tampered {
            assert_eq!(
                verify(b"secret", &candidate, &signature),
                Err(SignatureError::Mismatch),
                "{candidate:?}"
            );
        }
        assert_eq!(
            verify(b"other-secret", &original, &signature),
            Err(SignatureError::Mismatch)
        );
        assert!(verify(b"secret", &original, &signature).is_ok());
    }

    #[test]
    fn malformed_signature_is_reported_as_such() {
        assert_eq!(
            verify(b"secret", &message(PRICES_URL, ""), "not base64!!"),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn url_without_query_has_one_candidate() {
        assert_eq!(
            url_candidates("http://h:1", "/v1/budgets/account", None, &[]),
            vec!["http://h:1/v1/budgets/account"]
        );
        assert_eq!(
            url_candidates("http://h:1", "/v1/budgets/account", Some(""), &[]),
            vec!["http://h:1/v1/budgets/account"]
        );
    }

    #[test]
    fn encoded_query_also_yields_its_decoded_form() {
        let candidates = url_candidates(
            "http://h",
            "/v1/budgets/account",
            Some("search_name=my%20budget&sort=created_at%3Adesc&x=a+b"),
            &[],
        );
        assert_eq!(
            candidates,
            vec![
                "http://h/v1/budgets/account?search_name=my%20budget&sort=created_at%3Adesc&x=a+b",
                "http://h/v1/budgets/account?search_name=my budget&sort=created_at:desc&x=a b",
            ]
        );
    }

    #[test]
    fn repeated_parameters_yield_the_python_list_form() {
        let candidates = url_candidates(
            "http://h",
            "/p",
            Some("state=ACTIVE&state=EXPIRED&limit=10"),
            &["state"],
        );
        assert_eq!(
            candidates,
            vec![
                "http://h/p?state=ACTIVE&state=EXPIRED&limit=10",
                "http://h/p?state=['ACTIVE', 'EXPIRED']&limit=10",
            ]
        );
    }

    #[test]
    fn array_names_sent_once_also_yield_a_one_element_list() {
        let candidates =
            url_candidates("http://h", "/p", Some("state=ACTIVE&limit=10"), &["state"]);
        assert_eq!(
            candidates,
            vec![
                "http://h/p?state=ACTIVE&limit=10",
                "http://h/p?state=['ACTIVE']&limit=10",
            ]
        );
    }

    #[test]
    fn invalid_percent_escapes_are_kept() {
        assert_eq!(form_decode("100%"), "100%");
        assert_eq!(form_decode("%zz"), "%zz");
        assert_eq!(form_decode("%41%42"), "AB");
        assert_eq!(form_decode("%4"), "%4");
    }

    #[test]
    fn python_repr_matches_python_quoting() {
        assert_eq!(python_str_repr("abc"), "'abc'");
        assert_eq!(python_str_repr("it's"), "\"it's\"");
        assert_eq!(python_str_repr("a'b\"c"), "'a\\'b\"c'");
    }

    proptest! {
        #[test]
        fn encoding_then_decoding_returns_the_text(text in "\\PC{0,40}") {
            prop_assert_eq!(form_decode(&encode_query_component(&text)), text);
        }

        #[test]
        fn a_signature_always_verifies_against_its_own_message(
            secret in proptest::collection::vec(any::<u8>(), 0..64),
            url in "[ -~]{0,80}",
            timestamp in "[0-9]{13}",
        ) {
            let msg = Message { url: &url, timestamp: &timestamp, ..message("", "") };
            let signature = sign(&secret, &msg);
            prop_assert!(verify(&secret, &msg, &signature).is_ok());
        }
    }
}
