//! SCP signature authentication of every `/v1` request.
//!
//! Order of checks: required headers, timestamp format and window, key lookup, signature
//! (constant time, every accepted URL form), key enabled, `Scp-AccountId`, control characters
//! in the path, and, when replay protection is on, the replay guard (signature and body);
//! then the route table's service layer checks `Scp-Api-Version`. Only a caller holding the secret learns whether a key is disabled, an
//! account id is wrong or a version unsupported.
//! On success the [`Caller`] is attached to the request; every handler scopes its queries to
//! `caller.account_id`.

pub mod internal;
pub mod keys;
pub mod replay;

use axum::extract::{MatchedPath, OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use http::HeaderMap;
use scpfm_signing::{decode_signature, url_candidates, verify_decoded, Message};

/// Query parameters some operation documents as arrays: the Python SDK signs a one-element
/// list of them as `name=['value']` (see `scpfm_signing::url_candidates`).
const ARRAY_PARAMETERS: &[&str] = &[
    "account_id",
    "service_category",
    "billing_item_id",
    "region",
    "order_status",
    "contract_type",
    "next_contract_type",
    "service_id",
    "os_type",
    "state",
];

use crate::error::{ApiError, AuthFailure, Unreadable};
use crate::extract::Caller;
use crate::state::AppState;

const ACCESS_KEY: &str = "Scp-Accesskey";
const SIGNATURE: &str = "Scp-Signature";
const TIMESTAMP: &str = "Scp-Timestamp";
const CLIENT_TYPE: &str = "Scp-ClientType";
const ACCOUNT_ID: &str = "Scp-AccountId";

/// Middleware: authenticates the request or answers 401/403.
///
/// A refused request's body is read (within the body limit) before the answer, so that a
/// keep-alive connection survives the refusal: a server that answers without reading the body
/// must close the connection.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |original| original.0.clone());
    let verified = verify_request(&state, request.headers(), request.method(), &uri).await;
    let verified = match verified {
        Ok(verified) => verified,
        Err(error) => return refuse(request, error).await,
    };
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    if let Some(field) = crate::input::control::in_path(template, uri.path()) {
        let error = ApiError::Unreadable(Unreadable::ControlCharacter { field });
        return refuse(request, error).await;
    }
    if let Some(guard) = &state.replay {
        let now = state.auth_clock.now();
        let (signature, expires_at) = (&verified.signature, verified.expires_at);
        request = match replay::check(guard, request, signature, expires_at, now).await {
            Ok(request) => request,
            Err((request, error)) => return refuse(request, error).await,
        };
    }
    let caller = verified.caller;
    tracing::Span::current().record("account.id", caller.account_id.as_str());
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// Answers `error` after reading what is left of the request's body (see [`authenticate`]).
pub(crate) async fn refuse(request: Request, error: ApiError) -> Response {
    // A body that does not arrive within the drain time, or is too long to be worth
    // reading, is not waited for: the connection closes, as it would anyway.
    crate::body_limit::discard(request.into_body().into_data_stream()).await;
    error.into_response()
}

/// A request whose signature holds: the caller, and what the replay guard needs.
pub(crate) struct Verified {
    /// Who signed it.
    pub(crate) caller: Caller,
    /// The decoded signature.
    pub(crate) signature: [u8; 32],
    /// When the signature's window ends.
    pub(crate) expires_at: DateTime<Utc>,
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, ApiError> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .ok_or(ApiError::Unauthenticated(AuthFailure::MissingHeader(name)))
}

async fn verify_request(
    state: &AppState,
    headers: &HeaderMap,
    method: &http::Method,
    uri: &http::Uri,
) -> Result<Verified, ApiError> {
    let access_key = header(headers, ACCESS_KEY)?;
    let signature = header(headers, SIGNATURE)?;
    let timestamp = header(headers, TIMESTAMP)?;
    let client_type = header(headers, CLIENT_TYPE)?;
    let account_id = headers
        .get(ACCOUNT_ID)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .unwrap_or("");

    let now = state.auth_clock.now();
    let signed_at = check_timestamp(timestamp, now, state.auth.window)?;

    let key = state
        .keys
        .find(&state.store, access_key, now)
        .await?
        .ok_or(ApiError::Unauthenticated(AuthFailure::UnknownKey))?;

    let signature_bytes = decode_signature(signature)
        .map_err(|_| ApiError::Unauthenticated(AuthFailure::SignatureMismatch))?;
    let method = method.as_str();
    let signed_accounts = account_variants(account_id);
    let verifies = |url: &str| {
        signed_accounts.iter().any(|signed_account| {
            let message = Message {
                method,
                url,
                timestamp,
                access_key,
                account_id: signed_account,
                client_type,
            };
            verify_decoded(key.secret_key.as_bytes(), &message, &signature_bytes).is_ok()
        })
    };
    // Fast path: the URL exactly as sent, on the most likely scheme and host.
    let mut exact = String::with_capacity(96 + uri.path().len());
    match &state.auth.public_url {
        Some(public_url) => exact.push_str(public_url),
        None => {
            let (scheme, host) = crate::links::request_origin(headers, uri);
            exact.push_str(scheme);
            exact.push_str("://");
            exact.push_str(host);
        }
    }
    exact.push_str(uri.path());
    if let Some(query) = uri.query().filter(|query| !query.is_empty()) {
        exact.push('?');
        exact.push_str(query);
    }
    let matches = verifies(&exact)
        || base_urls(state, headers, uri).iter().any(|base| {
            url_candidates(base, uri.path(), uri.query(), ARRAY_PARAMETERS)
                .iter()
                .any(|url| verifies(url))
        });
    if !matches {
        return Err(ApiError::Unauthenticated(AuthFailure::SignatureMismatch));
    }
    if !key.enabled {
        return Err(ApiError::Unauthenticated(AuthFailure::DisabledKey));
    }
    if !account_id.is_empty() && account_id != key.account_id.as_str() {
        return Err(ApiError::AccountMismatch {
            account_id: account_id.to_owned(),
        });
    }
    let signature: [u8; 32] = signature_bytes
        .as_slice()
        .try_into()
        .map_err(|_| ApiError::Unauthenticated(AuthFailure::SignatureMismatch))?;
    Ok(Verified {
        caller: Caller {
            account_id: key.account_id,
            user_name: key.user_name,
            access_key: key.access_key,
            is_admin: key.is_admin,
        },
        signature,
        expires_at: signed_at + state.auth.window,
    })
}

/// Parses `Scp-Timestamp` (Unix ms) and checks it is within `window` of `now`.
fn check_timestamp(
    timestamp: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<DateTime<Utc>, ApiError> {
    let millis: i64 = timestamp
        .parse()
        .map_err(|_| ApiError::Unauthenticated(AuthFailure::InvalidTimestamp))?;
    let signed_at = DateTime::from_timestamp_millis(millis)
        .ok_or(ApiError::Unauthenticated(AuthFailure::InvalidTimestamp))?;
    let skew = (now - signed_at).abs();
    if skew > window {
        return Err(ApiError::Unauthenticated(AuthFailure::StaleTimestamp {
            skew_seconds: skew.num_seconds(),
            window_seconds: window.num_seconds(),
        }));
    }
    Ok(signed_at)
}

/// The signed message either carries the `Scp-AccountId` value (Go SDK) or not (docs sample).
fn account_variants(account_id: &str) -> Vec<&str> {
    if account_id.is_empty() {
        vec![""]
    } else {
        vec![account_id, ""]
    }
}

/// `scheme://host` forms the client may have signed: the configured public URL, else the
/// request's host with its forwarded scheme first and the other scheme second (a proxy that
/// terminates TLS without `X-Forwarded-Proto` still verifies).
fn base_urls(state: &AppState, headers: &HeaderMap, uri: &http::Uri) -> Vec<String> {
    if let Some(public_url) = &state.auth.public_url {
        return vec![public_url.clone()];
    }
    let (scheme, host) = crate::links::request_origin(headers, uri);
    let other = if scheme.eq_ignore_ascii_case("https") {
        "http"
    } else {
        "https"
    };
    vec![format!("{scheme}://{host}"), format!("{other}://{host}")]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(millis).unwrap()
    }

    #[test]
    fn timestamps_must_be_milliseconds_inside_the_window() {
        let window = Duration::minutes(15);
        let now = at(1_700_000_000_000);
        assert_eq!(check_timestamp("1700000000000", now, window).unwrap(), now);
        assert!(check_timestamp("1700000900000", now, window).is_ok());
        assert!(matches!(
            check_timestamp("1700000900001", now, window),
            Err(ApiError::Unauthenticated(AuthFailure::StaleTimestamp {
                window_seconds: 900,
                ..
            }))
        ));
        assert!(matches!(
            check_timestamp("1699999099999", now, window),
            Err(ApiError::Unauthenticated(
                AuthFailure::StaleTimestamp { .. }
            ))
        ));
        for bad in ["abc", "1.5", "", "99999999999999999999"] {
            assert!(
                matches!(
                    check_timestamp(bad, now, window),
                    Err(ApiError::Unauthenticated(AuthFailure::InvalidTimestamp))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn account_id_is_optional_in_the_signed_message() {
        assert_eq!(account_variants(""), vec![""]);
        assert_eq!(account_variants("abc"), vec!["abc", ""]);
    }
}
