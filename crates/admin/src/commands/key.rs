//! `scpfm key create|list|disable`.

use comfy_table::Table;
use scpfm_api_types::wire_time::budget_timestamp;
use scpfm_domain::account::AccessKey;
use scpfm_store::Store;
use serde_json::json;

use super::print_json;
use crate::cli::KeyCommand;
use scpfm_app::clock::Clock;
use scpfm_app::provisioning::{create_access_key, KeyRequest};

fn key_json(key: &AccessKey) -> serde_json::Value {
    json!({
        "access_key": key.access_key,
        "account_id": key.account_id.as_str(),
        "user_name": key.user_name,
        "is_admin": key.is_admin,
        "enabled": key.enabled,
        "created_at": budget_timestamp(key.created_at),
        "disabled_at": key.disabled_at.map(budget_timestamp),
    })
}

/// Runs a key command.
pub async fn run(
    command: KeyCommand,
    store: &Store,
    clock: &dyn Clock,
    key_cache: std::time::Duration,
) -> anyhow::Result<()> {
    match command {
        KeyCommand::Create {
            account,
            user,
            admin,
            json,
        } => {
            let request = KeyRequest {
                account: &account,
                user_name: user.as_deref(),
                is_admin: admin,
                fixed: None,
            };
            let key = create_access_key(store, request, clock.now()).await?;
            if json {
                let mut value = key_json(&key);
                value["secret_key"] = json!(key.secret_key);
                print_json(&value)?;
            } else {
                println!("account_id: {}", key.account_id);
                println!("access_key: {}", key.access_key);
                println!("secret_key: {}", key.secret_key);
                eprintln!("The secret key is shown only now; store it safely.");
            }
        }
        KeyCommand::List { account, json } => {
            let account_id = match account {
                Some(account) => Some(
                    store
                        .find_account(&account)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no account with id or name {account:?}"))?
                        .id,
                ),
                None => None,
            };
            let keys: Vec<AccessKey> = store
                .list_access_keys()
                .await?
                .into_iter()
                .filter(|key| account_id.as_ref().is_none_or(|id| &key.account_id == id))
                .collect();
            if json {
                print_json(&serde_json::Value::Array(
                    keys.iter().map(key_json).collect(),
                ))?;
            } else {
                let mut table = Table::new();
                table.set_header([
                    "ACCESS KEY",
                    "ACCOUNT ID",
                    "USER",
                    "ADMIN",
                    "ENABLED",
                    "CREATED (KST)",
                ]);
                for key in &keys {
                    table.add_row([
                        key.access_key.clone(),
                        key.account_id.to_string(),
                        key.user_name.clone(),
                        key.is_admin.to_string(),
                        key.enabled.to_string(),
                        budget_timestamp(key.created_at),
                    ]);
                }
                println!("{table}");
            }
        }
        KeyCommand::Disable { access_key } => {
            if store.disable_access_key(&access_key, clock.now()).await? {
                // Servers may still hold the key in their cache: return once they cannot.
                tokio::time::sleep(key_cache).await;
                println!("access key {access_key} disabled");
            } else {
                anyhow::bail!("no access key {access_key:?}");
            }
        }
    }
    Ok(())
}
