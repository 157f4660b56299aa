//! Accounts and access keys.

use chrono::{DateTime, Utc};
use scpfm_domain::account::{AccessKey, Account, AccountName};
use scpfm_domain::ids::AccountId;

use crate::codec::{instant, micros, opt_instant, valid};
use crate::db::{Executor, Row, SqlBuilder, Value};
use crate::{Store, StoreError};

const ACCOUNT_COLUMNS: &str = "id, name, payer_account_id, created_at";
macro_rules! key_columns {
    () => {
        "access_key, secret_key, account_id, user_name, is_admin, enabled, created_at, disabled_at"
    };
}
const KEY_COLUMNS: &str = key_columns!();
/// Every request looks its key up: one static statement, prepared once per connection.
const FIND_KEY: &str = concat!(
    "SELECT ",
    key_columns!(),
    " FROM access_keys WHERE access_key = $1"
);

fn map_account(row: &dyn Row) -> Result<Account, StoreError> {
    Ok(Account {
        id: valid("account id", row.text(0)?.parse())?,
        name: valid("account name", AccountName::parse(&row.text(1)?))?,
        payer_account_id: row
            .opt_text(2)?
            .map(|id| valid("payer account id", id.parse()))
            .transpose()?,
        created_at: instant(row.int(3)?)?,
    })
}

fn map_key(row: &dyn Row) -> Result<AccessKey, StoreError> {
    Ok(AccessKey {
        access_key: row.text(0)?,
        secret_key: row.text(1)?,
        account_id: valid("account id", row.text(2)?.parse())?,
        user_name: row.text(3)?,
        is_admin: row.boolean(4)?,
        enabled: row.boolean(5)?,
        created_at: instant(row.int(6)?)?,
        disabled_at: opt_instant(row.opt_int(7)?)?,
    })
}

impl Store {
    /// Stores a new account; a taken name is a [`StoreError::Conflict`].
    pub async fn create_account(&self, account: &Account) -> Result<(), StoreError> {
        let payer = account.payer_account_id.as_ref().map(AccountId::as_str);
        (&self.db)
            .execute(
                "INSERT INTO accounts (id, name, payer_account_id, created_at) VALUES ($1, $2, $3, $4)",
                &[
                    Value::Text(account.id.as_str()),
                    Value::Text(account.name.as_str()),
                    Value::opt_text(payer),
                    Value::Int(micros(account.created_at)),
                ],
            )
            .await
            .map(|_| ())
    }

    /// Every account, oldest first.
    pub async fn list_accounts(&self) -> Result<Vec<Account>, StoreError> {
        (&self.db)
            .query_all(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY created_at, id"),
                &[],
                map_account,
            )
            .await
    }

    /// The account with this id, or else this name.
    pub async fn find_account(&self, id_or_name: &str) -> Result<Option<Account>, StoreError> {
        (&self.db)
            .query_opt(
                &format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 OR name = $1 \
                     ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END LIMIT 1"
                ),
                &[Value::Text(id_or_name)],
                map_account,
            )
            .await
    }

    /// Which of `ids` are accounts.
    pub async fn existing_account_ids(
        &self,
        ids: &[&str],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut found = std::collections::HashSet::new();
        for chunk in ids.chunks(500) {
            let mut sql = SqlBuilder::default();
            sql.push("SELECT id FROM accounts WHERE ");
            sql.in_list("id", chunk.iter().copied());
            let mut db = &self.db;
            found.extend(
                db.query_all(&sql.sql, &sql.params, |row| row.text(0))
                    .await?,
            );
        }
        Ok(found)
    }

    /// The member accounts whose payer is `payer`.
    pub async fn member_account_ids(
        &self,
        payer: &AccountId,
    ) -> Result<Vec<AccountId>, StoreError> {
        (&self.db)
            .query_all(
                "SELECT id FROM accounts WHERE payer_account_id = $1 ORDER BY id",
                &[Value::Text(payer.as_str())],
                |row| valid("account id", row.text(0)?.parse()),
            )
            .await
    }

    /// Stores a new access key.
    pub async fn create_access_key(&self, key: &AccessKey) -> Result<(), StoreError> {
        (&self.db)
            .execute(
                &format!("INSERT INTO access_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
                &[
                    Value::Text(&key.access_key),
                    Value::Text(&key.secret_key),
                    Value::Text(key.account_id.as_str()),
                    Value::Text(&key.user_name),
                    Value::Bool(key.is_admin),
                    Value::Bool(key.enabled),
                    Value::Int(micros(key.created_at)),
                    Value::opt_int(key.disabled_at.map(micros)),
                ],
            )
            .await
            .map(|_| ())
    }

    /// Every access key, oldest first.
    pub async fn list_access_keys(&self) -> Result<Vec<AccessKey>, StoreError> {
        (&self.db)
            .query_all(
                &format!("SELECT {KEY_COLUMNS} FROM access_keys ORDER BY created_at, access_key"),
                &[],
                map_key,
            )
            .await
    }

    /// The access key with this id, enabled or not.
    pub async fn find_access_key(&self, access_key: &str) -> Result<Option<AccessKey>, StoreError> {
        (&self.db)
            .query_opt(FIND_KEY, &[Value::Text(access_key)], map_key)
            .await
    }

    /// Disables an access key; `false` when no such key exists. Disabling twice is a no-op.
    pub async fn disable_access_key(
        &self,
        access_key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let changed = (&self.db)
            .execute(
                "UPDATE access_keys SET enabled = $2, disabled_at = COALESCE(disabled_at, $3) \
                 WHERE access_key = $1",
                &[
                    Value::Text(access_key),
                    Value::Bool(false),
                    Value::Int(micros(now)),
                ],
            )
            .await?;
        Ok(changed > 0)
    }
}
