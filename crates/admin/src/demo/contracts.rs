//! The demo organisation's planned compute contracts: `demo-dev`'s active contract for its
//! work-hours web servers (busy by day, idle by night: non-applied hours), `demo-prod`'s
//! contract for its always-on web servers, extended and renewed into its second term, and
//! `demo-dev`'s cancelled batch contract (its fee is on the bill of the month it was
//! cancelled in). Seeded before the usage history, so the history is covered. Fixed ids:
//! seeding again changes nothing.

use chrono::{DateTime, Duration, Utc};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::ids::PlannedComputeId;
use scpfm_domain::planned_compute::{
    apply, start_date_for_order, ChangeAction, ContractState, PlannedCompute, Term,
};
use scpfm_store::Store;

use crate::demo::{stable_bytes, DemoAccount};
use scpfm_app::contracts::cancellation_bill_charge;
use scpfm_app::AppError;

struct ContractSpec {
    key: &'static str,
    account: &'static str,
    server_type: &'static str,
    os_type: &'static str,
    contract_type: &'static str,
    /// Days before now it was ordered.
    ordered_days_ago: i64,
    /// What happened to it afterwards: (days before now, action).
    change: Option<(i64, fn() -> ChangeAction)>,
}

fn extend_one_year() -> ChangeAction {
    ChangeAction::ExtendApply("01".into())
}

fn cancel() -> ChangeAction {
    ChangeAction::ContractCancel
}

const CONTRACTS: [ContractSpec; 3] = [
    ContractSpec {
        key: "web",
        account: "demo-dev",
        server_type: "s1v2m4",
        os_type: "OPEN_SOURCE",
        contract_type: "01",
        ordered_days_ago: 100,
        change: None,
    },
    ContractSpec {
        key: "db-host",
        account: "demo-prod",
        server_type: "s1v4m8",
        os_type: "RHEL",
        contract_type: "01",
        ordered_days_ago: 380,
        change: Some((200, extend_one_year)),
    },
    ContractSpec {
        key: "batch",
        account: "demo-dev",
        server_type: "s1v1m2",
        os_type: "OPEN_SOURCE",
        contract_type: "03",
        ordered_days_ago: 60,
        change: Some((20, cancel)),
    },
];

/// Seeds the contracts, then renews what has ended; returns how many were created now.
pub async fn seed(
    store: &Store,
    catalog: &Catalog,
    accounts: &[DemoAccount],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut created = 0;
    for spec in &CONTRACTS {
        let Some(account) = accounts.iter().find(|a| a.name == spec.account) else {
            continue;
        };
        let id = PlannedComputeId::from_bytes(stable_bytes(&format!("contract/{}", spec.key)));
        if store
            .get_planned_compute(&account.id, id.as_str())
            .await?
            .is_some()
        {
            continue;
        }
        let Some(kind) = catalog
            .contract_types
            .iter()
            .find(|c| c.code == spec.contract_type)
        else {
            continue;
        };
        let ordered = now - Duration::days(spec.ordered_days_ago);
        let start = start_date_for_order(ordered);
        let contract = PlannedCompute {
            id,
            contract_id: String::new(),
            account_id: account.id.clone(),
            region: catalog.home_region().to_owned(),
            service_id: "VIRTUAL_SERVER".into(),
            server_type: spec.server_type.into(),
            os_type: spec.os_type.into(),
            term: Term::starting(kind, start),
            first_contract_start: start,
            next: None,
            state: ContractState::Active,
            tags: vec![("owner".into(), Some(account.name.into()))],
            resource_name: None,
            created_at: ordered,
            created_by: account.name.into(),
            modified_at: ordered,
            modified_by: account.name.into(),
            cancelled_at: None,
        };
        let stored = store.create_planned_compute(&contract).await?;
        created += 1;
        if let Some((days_ago, action)) = spec.change {
            let at = now - Duration::days(days_ago);
            let action = action();
            let Ok(changed) = apply(&stored, &action, catalog, at, account.name) else {
                continue;
            };
            let charge = (action == ChangeAction::ContractCancel)
                .then(|| cancellation_bill_charge(catalog, &stored, at).1)
                .flatten();
            // The month of a past cancellation may be closed already: then the fee stays in
            // the contract's history only.
            let open = match &charge {
                Some(charge) => store.closed_months(&[charge.month]).await?.is_empty(),
                None => true,
            };
            let charge = charge.filter(|_| open);
            store
                .update_planned_compute(
                    &changed,
                    action.name(),
                    "{\"demo\": true}",
                    charge.as_ref().map(|charge| (catalog, charge)),
                )
                .await?;
        }
    }
    scpfm_app::contract_lifecycle::renew_due(store, now).await?;
    Ok(created)
}
