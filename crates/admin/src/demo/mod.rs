//! The demo organisation `scpfm serve --demo` seeds, idempotently.
//!
//! One payer (management) account and two member accounts, each with a fixed access key so
//! the README's commands work on every run (their budgets are in [`budgets`]; usage, bills, contracts and the mailbox in the other
//! files of this folder). The keys are
//! public: never use a demo database for anything real.

pub mod billing;
pub mod budgets;
pub mod contracts;
pub mod mailbox;
pub mod usage;

use chrono::{DateTime, Utc};
use scpfm_domain::ids::AccountId;
use scpfm_store::Store;

use scpfm_app::provisioning::{create_access_key, create_account, KeyRequest, ProvisionError};

/// Where demo time starts: a new demo database lives from this instant on (running at the
/// real pace), so its history, bills and the README's dates stay valid whenever it is run.
pub const DEMO_START: &str = "2026-11-21T09:00:00+09:00";

/// [`DEMO_START`] as an instant.
pub fn demo_start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(DEMO_START)
        .map(|start| start.with_timezone(&Utc))
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// One demo account and its key.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Account name.
    pub name: &'static str,
    /// Account id.
    pub id: AccountId,
    /// Access key.
    pub access_key: &'static str,
    /// Secret key (public: demo only).
    pub secret_key: &'static str,
    /// Whether the key may use the admin API.
    pub is_admin: bool,
}

struct Spec {
    name: &'static str,
    payer: Option<&'static str>,
    access_key: &'static str,
    secret_key: &'static str,
    is_admin: bool,
}

const ACCOUNTS: [Spec; 3] = [
    Spec {
        name: "demo-payer",
        payer: None,
        access_key: "SCPFMDEMOPAYER000001",
        secret_key: "demo-payer-secret-key-not-for-production",
        is_admin: true,
    },
    Spec {
        name: "demo-dev",
        payer: Some("demo-payer"),
        access_key: "SCPFMDEMODEV00000001",
        secret_key: "demo-dev-secret-key-not-for-production00",
        is_admin: false,
    },
    Spec {
        name: "demo-prod",
        payer: Some("demo-payer"),
        access_key: "SCPFMDEMOPROD0000001",
        secret_key: "demo-prod-secret-key-not-for-production0",
        is_admin: false,
    },
];

/// A stable id for a demo object, so seeding twice finds what the first run made.
pub(crate) fn stable_bytes(label: &str) -> [u8; 16] {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("scpfm-demo:{label}").as_bytes(),
    )
    .into_bytes()
}

/// Seeds the demo organisation; returns its accounts. Running it again changes nothing.
pub async fn seed(store: &Store, now: DateTime<Utc>) -> Result<Vec<DemoAccount>, ProvisionError> {
    let mut accounts = Vec::new();
    for spec in &ACCOUNTS {
        let id = AccountId::from_bytes(stable_bytes(spec.name));
        if store.find_account(id.as_str()).await?.is_none() {
            create_account(store, spec.name, spec.payer, Some(id.clone()), now).await?;
        }
        if store.find_access_key(spec.access_key).await?.is_none() {
            let request = KeyRequest {
                account: id.as_str(),
                user_name: Some(spec.name),
                is_admin: spec.is_admin,
                fixed: Some((spec.access_key, spec.secret_key)),
            };
            create_access_key(store, request, now).await?;
        }
        accounts.push(DemoAccount {
            name: spec.name,
            id,
            access_key: spec.access_key,
            secret_key: spec.secret_key,
            is_admin: spec.is_admin,
        });
    }
    Ok(accounts)
}

/// What to print after seeding: how to point `scpcli` at the server.
pub fn instructions(accounts: &[DemoAccount], endpoint: &str, scpcli: &str) -> String {
    let mut text = String::new();
    text.push_str(&format!(
        "\nscpfm demo organisation is ready at {endpoint}\n\n"
    ));
    if let Some(payer) = accounts.iter().find(|account| account.name == "demo-payer") {
        text.push_str(&format!(
            "Console: {endpoint}/console/ — sign in with access key {} and secret key {} \
             (the payer: it sees its members)\n\n",
            payer.access_key, payer.secret_key
        ));
    }
    text.push_str("Demo access keys (public, for this demo database only):\n");
    for account in accounts {
        text.push_str(&format!(
            "  {:<11} account_id {}  access_key {}  secret_key {}{}\n",
            account.name,
            account.id,
            account.access_key,
            account.secret_key,
            if account.is_admin { "  (admin)" } else { "" }
        ));
    }
    if let Some(dev) = accounts.iter().find(|account| account.name == "demo-dev") {
        text.push_str("\nPoint scpcli at it (writes ~/.scp/cli-config.json, profile \"demo\"):\n");
        text.push_str(&format!(
            "  {scpcli} configure --profile demo --access_key {} --secret_key {} --endpoint_url {endpoint}\n",
            dev.access_key, dev.secret_key
        ));
        text.push_str("or, for this shell only:\n");
        text.push_str(&format!(
            "  export SCP_ACCESS_KEY={} SCP_SECRET_KEY={} SCP_ENDPOINT_URL={endpoint}\n",
            dev.access_key, dev.secret_key
        ));
        text.push_str("\nThen try:\n");
        text.push_str(&format!(
            "  {scpcli} --profile demo budget account budget list --output table\n"
        ));
        text.push_str(&format!(
            "  {scpcli} --profile demo pricing report prices list --billing_item_id VIRTUAL_SERVER --offering PG --size 5 --output table\n"
        ));
        text.push_str(&format!(
            "  {scpcli} --profile demo costexplorer usages list --billing_item_id VIRTUAL_SERVER --sort usage_date:desc --limit 10 --output table\n"
        ));
        text.push_str(&format!(
            "  {scpcli} --profile demo budget account budget create --name my-budget --unit MONTHLY \
             --start_month 2026-12 --amount 1000000 --is_use_notification True --thresholds 80,100 \
             --notifications_receivers me@example.com --output table\n"
        ));
    }
    text
}
