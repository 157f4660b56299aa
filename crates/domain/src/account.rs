//! Accounts and their access keys.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::ids::AccountId;
use crate::validation::{check_text, FieldError};

/// An account: owns budgets, usage, bills and contracts; every API call is scoped to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Account id.
    pub id: AccountId,
    /// Unique display name.
    pub name: AccountName,
    /// The organisation's payer (management) account, when this is a member account.
    pub payer_account_id: Option<AccountId>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// An account name: 1–64 characters, not blank, unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountName(String);

impl AccountName {
    /// Validates a name.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        check_text("name", text, 64)?;
        Ok(Self(text.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An access key pair: the key identifies the caller, the secret signs its requests.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// Public key id, sent as `Scp-Accesskey`.
    pub access_key: String,
    /// Signing secret; shown once at creation, never logged.
    pub secret_key: String,
    /// The one account this key acts for.
    pub account_id: AccountId,
    /// The user name recorded as `created_by`/`modified_by`.
    pub user_name: String,
    /// Whether the key may call the admin API (usage ingestion, adjustments).
    pub is_admin: bool,
    /// Disabled keys are refused.
    pub enabled: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was disabled, if it was.
    pub disabled_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("access_key", &self.access_key)
            .field("secret_key", &"***")
            .field("account_id", &self.account_id)
            .field("user_name", &self.user_name)
            .field("is_admin", &self.is_admin)
            .field("enabled", &self.enabled)
            .field("created_at", &self.created_at)
            .field("disabled_at", &self.disabled_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret() {
        let key = AccessKey {
            access_key: "AK".into(),
            secret_key: "very-secret".into(),
            account_id: AccountId::from_bytes([0; 16]),
            user_name: "u".into(),
            is_admin: false,
            enabled: true,
            created_at: DateTime::UNIX_EPOCH,
            disabled_at: None,
        };
        assert!(!format!("{key:?}").contains("very-secret"));
    }
}
