//! The API in process, for the console: the same route table, handlers, version checks and
//! error envelope, behind a layer that trusts the [`Caller`] the console attaches instead of
//! a signature — the console's session already proved the key with its secret. The router
//! [`internal_api`] returns is never bound to a listener; it is only called in process.
//!
//! Every call looks the key up again (through the key cache), so a key disabled with
//! `scpfm key disable` stops working in the console as it does on the API.

use axum::extract::{Request, State};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use scpfm_domain::account::AccessKey;
use sha2::{Digest, Sha256};

use crate::error::{render_errors, ApiError, AuthFailure};
use crate::extract::Caller;
use crate::routes;
use crate::state::AppState;

/// The access key an in-process call acts as (set by the console on each request).
#[derive(Debug, Clone)]
pub struct ActingKey(pub String);

/// Why a sign-in was refused (the console says no more than "wrong key or secret").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefused {
    /// No such key, or the secret does not match.
    WrongKeyOrSecret,
    /// The key is disabled.
    Disabled,
}

/// The signed routes for in-process calls acting as an [`ActingKey`].
pub fn internal_api(state: AppState) -> Router {
    let (signed, _) = routes::signed().split_for_parts();
    signed
        .route_layer(from_fn_with_state(state.clone(), trust_acting_key))
        .with_state(state)
        .layer(from_fn(render_errors))
}

/// The caller `access_key` stands for, when the key exists and is enabled.
pub async fn caller_of(state: &AppState, access_key: &str) -> Result<Caller, ApiError> {
    let now = state.auth_clock.now();
    let key = state
        .keys
        .find(&state.store, access_key, now)
        .await?
        .ok_or(ApiError::Unauthenticated(AuthFailure::UnknownKey))?;
    if !key.enabled {
        return Err(ApiError::Unauthenticated(AuthFailure::DisabledKey));
    }
    Ok(caller(key))
}

/// The caller an access key stands for.
fn caller(key: AccessKey) -> Caller {
    Caller {
        account_id: key.account_id,
        user_name: key.user_name,
        access_key: key.access_key,
        is_admin: key.is_admin,
    }
}

/// Checks an access key and its secret key (in constant time): the caller they prove.
pub async fn sign_in(
    state: &AppState,
    access_key: &str,
    secret_key: &str,
) -> Result<Result<Caller, SignInRefused>, ApiError> {
    let Some(key) = state.store.find_access_key(access_key).await? else {
        // Hash anyway, so an unknown key takes as long as a wrong secret.
        let _ = same_secret(secret_key, secret_key);
        return Ok(Err(SignInRefused::WrongKeyOrSecret));
    };
    if !same_secret(&key.secret_key, secret_key) {
        return Ok(Err(SignInRefused::WrongKeyOrSecret));
    }
    if !key.enabled {
        return Ok(Err(SignInRefused::Disabled));
    }
    Ok(Ok(caller(key)))
}

/// Whether two secrets are equal, comparing their digests in constant time.
fn same_secret(known: &str, given: &str) -> bool {
    let (known, given) = (Sha256::digest(known), Sha256::digest(given));
    known
        .iter()
        .zip(given.iter())
        .fold(0u8, |diff, (a, b)| diff | (a ^ b))
        == 0
}

async fn trust_acting_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(ActingKey(access_key)) = request.extensions().get::<ActingKey>().cloned() else {
        return ApiError::Unauthenticated(AuthFailure::MissingHeader("Scp-Accesskey"))
            .into_response();
    };
    match caller_of(&state, &access_key).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", "a"));
    }
}
