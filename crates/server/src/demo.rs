//! The demo organisation `scpfm serve --demo` seeds, idempotently.
//!
//! One payer (management) account and two member accounts, each with a fixed access key so
//! the README's commands work on every run, and a few budgets. The keys are public: never use
//! a demo database for anything real.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Seoul;
use scpfm_domain::budget::{
    BudgetAmount, BudgetCore, BudgetName, BudgetUnit, NewBudget, NotificationPatch,
    PreventionPatch, SendPeriod, Threshold,
};
use scpfm_domain::email::EmailAddress;
use scpfm_domain::ids::{AccountId, BudgetId};
use scpfm_domain::month::YearMonth;
use scpfm_store::budgets::Change;
use scpfm_store::{Store, StoreError};

use crate::provisioning::{create_access_key, create_account, KeyRequest, ProvisionError};

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
    seed_budgets(store, &accounts, now).await?;
    Ok(accounts)
}

struct BudgetSpec {
    account: &'static str,
    name: &'static str,
    unit: BudgetUnit,
    amount: i64,
    thresholds: &'static [i64],
    send_period: SendPeriod,
    receivers: &'static [&'static str],
    prevention_threshold: Option<i64>,
}

const BUDGETS: [BudgetSpec; 3] = [
    BudgetSpec {
        account: "demo-dev",
        name: "dev-monthly",
        unit: BudgetUnit::Monthly,
        amount: 3_000_000,
        thresholds: &[80, 100],
        send_period: SendPeriod::First,
        receivers: &["dev-lead@example.com"],
        prevention_threshold: None,
    },
    BudgetSpec {
        account: "demo-dev",
        name: "dev-overall-cap",
        unit: BudgetUnit::Overall,
        amount: 30_000_000,
        thresholds: &[70, 90],
        send_period: SendPeriod::Daily,
        receivers: &["dev-lead@example.com", "finance@example.com"],
        prevention_threshold: Some(90),
    },
    BudgetSpec {
        account: "demo-prod",
        name: "prod-monthly",
        unit: BudgetUnit::Monthly,
        amount: 20_000_000,
        thresholds: &[90],
        send_period: SendPeriod::First,
        receivers: &["ops@example.com"],
        prevention_threshold: None,
    },
];

fn demo_budget(spec: &BudgetSpec, start_month: YearMonth) -> Result<NewBudget, ProvisionError> {
    let invalid = |_| {
        ProvisionError::Store(StoreError::Corrupt(format!(
            "demo budget {} is invalid",
            spec.name
        )))
    };
    let receivers = spec
        .receivers
        .iter()
        .map(|address| EmailAddress::parse("receivers", address))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ProvisionError::Invalid)?;
    let thresholds = spec
        .thresholds
        .iter()
        .map(|percent| Threshold::parse("thresholds", *percent))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ProvisionError::Invalid)?;
    let core = BudgetCore {
        name: BudgetName::parse(spec.name).map_err(ProvisionError::Invalid)?,
        unit: spec.unit,
        start_month,
        amount: BudgetAmount::parse(spec.amount).map_err(ProvisionError::Invalid)?,
    };
    let notifications = NotificationPatch {
        enabled: Some(true),
        send_period: Some(spec.send_period),
        receivers: Some(receivers.clone()),
        thresholds: Some(thresholds),
    };
    let prevention = spec
        .prevention_threshold
        .map(|percent| {
            Ok::<_, ProvisionError>(PreventionPatch {
                enabled: Some(true),
                receivers: Some(receivers),
                threshold: Some(
                    Threshold::parse("threshold", percent).map_err(ProvisionError::Invalid)?,
                ),
            })
        })
        .transpose()?;
    NewBudget::new(core, Some(notifications), prevention).map_err(invalid)
}

async fn seed_budgets(
    store: &Store,
    accounts: &[DemoAccount],
    now: DateTime<Utc>,
) -> Result<(), ProvisionError> {
    let this_month = YearMonth::of(now.with_timezone(&Seoul).date_naive());
    for spec in &BUDGETS {
        let Some(account) = accounts.iter().find(|account| account.name == spec.account) else {
            continue;
        };
        let id = BudgetId::from_bytes(stable_bytes(&format!("{}/{}", spec.account, spec.name)));
        if store.get_budget(&account.id, id.as_str()).await?.is_some() {
            continue;
        }
        let change = Change {
            user: account.name,
            at: now,
        };
        match store
            .create_budget(id, &account.id, demo_budget(spec, this_month)?, change)
            .await
        {
            // A budget of that name made by hand is left alone.
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}

/// What to print after seeding: how to point `scpcli` at the server.
pub fn instructions(accounts: &[DemoAccount], endpoint: &str, scpcli: &str) -> String {
    let mut text = String::new();
    text.push_str(&format!(
        "\nscpfm demo organisation is ready at {endpoint}\n\n"
    ));
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
