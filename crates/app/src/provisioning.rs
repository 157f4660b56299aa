//! Creating accounts and access keys (admin commands, the demo, tests).

use chrono::{DateTime, Utc};
use rand::distributions::{Alphanumeric, Distribution, Uniform};
use rand::Rng;
use scpfm_domain::account::{AccessKey, Account, AccountName};
use scpfm_domain::ids::AccountId;
use scpfm_domain::validation::FieldError;
use scpfm_store::{Store, StoreError};

/// Why provisioning failed.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// No account has this id or name.
    #[error("no account with id or name {0:?}")]
    UnknownAccount(String),
    /// The account name is taken.
    #[error("an account named {0:?} already exists")]
    NameTaken(String),
    /// A value breaks a rule.
    #[error("invalid {}: {:?}", .0.field, .0.problem)]
    Invalid(FieldError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates an account; `payer` (id or name) makes it a member of that payer's organisation.
pub async fn create_account(
    store: &Store,
    name: &str,
    payer: Option<&str>,
    id: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<Account, ProvisionError> {
    let name = AccountName::parse(name).map_err(ProvisionError::Invalid)?;
    let payer_account_id = match payer {
        Some(payer) => Some(
            store
                .find_account(payer)
                .await?
                .ok_or_else(|| ProvisionError::UnknownAccount(payer.to_owned()))?
                .id,
        ),
        None => None,
    };
    let account = Account {
        id: id.unwrap_or_else(|| AccountId::from_bytes(uuid::Uuid::new_v4().into_bytes())),
        name,
        payer_account_id,
        created_at: now,
    };
    match store.create_account(&account).await {
        Ok(()) => Ok(account),
        Err(StoreError::Conflict(_)) => {
            Err(ProvisionError::NameTaken(account.name.as_str().to_owned()))
        }
        Err(other) => Err(other.into()),
    }
}

/// What a new key needs.
#[derive(Debug, Clone)]
pub struct KeyRequest<'a> {
    /// The account (id or name).
    pub account: &'a str,
    /// The user recorded as `created_by`; defaults to the account name.
    pub user_name: Option<&'a str>,
    /// Whether the key may use the admin API.
    pub is_admin: bool,
    /// A fixed key pair (the demo); random when `None`.
    pub fixed: Option<(&'a str, &'a str)>,
}

/// Creates an access key pair for an account.
pub async fn create_access_key(
    store: &Store,
    request: KeyRequest<'_>,
    now: DateTime<Utc>,
) -> Result<AccessKey, ProvisionError> {
    let account = store
        .find_account(request.account)
        .await?
        .ok_or_else(|| ProvisionError::UnknownAccount(request.account.to_owned()))?;
    let (access_key, secret_key) = match request.fixed {
        Some((access, secret)) => (access.to_owned(), secret.to_owned()),
        None => (generate_access_key(), generate_secret_key()),
    };
    let key = AccessKey {
        access_key,
        secret_key,
        account_id: account.id,
        user_name: request
            .user_name
            .unwrap_or(account.name.as_str())
            .to_owned(),
        is_admin: request.is_admin,
        enabled: true,
        created_at: now,
        disabled_at: None,
    };
    store.create_access_key(&key).await?;
    Ok(key)
}

/// 20 upper-case letters and digits, like SCP's console keys.
pub fn generate_access_key() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let pick = Uniform::from(0..alphabet.len());
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| char::from(alphabet[pick.sample(&mut rng)]))
        .collect()
}

/// 40 random letters and digits (about 238 bits).
pub fn generate_secret_key() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_their_documented_shape() {
        let access = generate_access_key();
        assert_eq!(access.len(), 20);
        assert!(access
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        let secret = generate_secret_key();
        assert_eq!(secret.len(), 40);
        assert_ne!(secret, generate_secret_key());
    }
}
