//! `scpfm account create|list`.

use comfy_table::Table;
use scpfm_api_types::wire_time::budget_timestamp;
use scpfm_domain::account::Account;
use scpfm_store::Store;
use serde_json::json;

use super::print_json;
use crate::cli::AccountCommand;
use scpfm_app::clock::Clock;
use scpfm_app::provisioning::create_account;

fn account_json(account: &Account) -> serde_json::Value {
    json!({
        "account_id": account.id.as_str(),
        "name": account.name.as_str(),
        "payer_account_id": account.payer_account_id.as_ref().map(|id| id.as_str()),
        "created_at": budget_timestamp(account.created_at),
    })
}

/// Runs an account command.
pub async fn run(command: AccountCommand, store: &Store, clock: &dyn Clock) -> anyhow::Result<()> {
    match command {
        AccountCommand::Create { name, payer, json } => {
            let account = create_account(store, &name, payer.as_deref(), None, clock.now()).await?;
            if json {
                print_json(&account_json(&account))?;
            } else {
                println!("account_id: {}", account.id);
                println!("name: {}", account.name);
            }
        }
        AccountCommand::List { json } => {
            let accounts = store.list_accounts().await?;
            if json {
                print_json(&serde_json::Value::Array(
                    accounts.iter().map(account_json).collect(),
                ))?;
            } else {
                let mut table = Table::new();
                table.set_header(["ACCOUNT ID", "NAME", "PAYER ACCOUNT ID", "CREATED (KST)"]);
                for account in &accounts {
                    table.add_row([
                        account.id.to_string(),
                        account.name.to_string(),
                        account
                            .payer_account_id
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        budget_timestamp(account.created_at),
                    ]);
                }
                println!("{table}");
            }
        }
    }
    Ok(())
}
