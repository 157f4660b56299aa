//! Planned compute contracts: ordering one for an account, and applying a change action —
//! with the charge a cancellation puts on the current month's bill.

use chrono::{DateTime, Utc};
use scpfm_domain::catalog::{Catalog, ContractType};
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::contract_charges::cancellation_charge;
use scpfm_domain::ids::{AccountId, PlannedComputeId};
use scpfm_domain::planned_compute::{
    apply, start_date_for_order, ChangeAction, ContractState, PlannedCompute, Refusal, Term,
};
use scpfm_store::bills::BillCharge;

use crate::prevention::ensure_creation_allowed;
use crate::{App, AppError};

/// A checked order: every id names something the catalogue holds.
#[derive(Debug, Clone)]
pub struct Order<'a> {
    /// The service (one that offers planned compute).
    pub service_id: String,
    /// The server type, of that service.
    pub server_type: String,
    /// The OS type id.
    pub os_type: String,
    /// The contract type.
    pub contract_type: &'a ContractType,
    /// Tags, key and optional value.
    pub tags: Vec<(String, Option<String>)>,
}

/// Why a change action was not applied.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The action does not fit the contract's state.
    #[error("{action} does not fit the contract: {refusal:?}")]
    Refused {
        /// The action.
        action: &'static str,
        /// Why not.
        refusal: Refusal,
    },
    /// Storing the change failed.
    #[error(transparent)]
    App(#[from] AppError),
}

/// Orders a contract for `account`, starting the next day (KST), unless a budget's creation
/// prevention forbids it.
pub async fn order(
    app: &App,
    account: &AccountId,
    user: &str,
    order: Order<'_>,
) -> Result<PlannedCompute, AppError> {
    ensure_creation_allowed(app, account, &order.service_id).await?;
    let now = app.clock.now();
    let start = start_date_for_order(now);
    let contract = PlannedCompute {
        id: PlannedComputeId::from_bytes(uuid::Uuid::new_v4().into_bytes()),
        contract_id: String::new(),
        account_id: account.clone(),
        region: app.catalog.home_region().to_owned(),
        service_id: order.service_id,
        server_type: order.server_type,
        os_type: order.os_type,
        term: Term::starting(order.contract_type, start),
        first_contract_start: start,
        next: None,
        state: ContractState::Active,
        tags: order.tags,
        resource_name: None,
        created_at: now,
        created_by: user.to_owned(),
        modified_at: now,
        modified_by: user.to_owned(),
        cancelled_at: None,
    };
    let stored = app.store.create_planned_compute(&contract).await?;
    tracing::info!(planned_compute.id = %stored.id, contract_id = %stored.contract_id, "planned compute ordered");
    Ok(stored)
}

/// Applies `action` to `contract` (by `user`) and stores it with its history entry; a
/// cancellation charges its fee to the current month's bill.
pub async fn change(
    app: &App,
    contract: &PlannedCompute,
    action: &ChangeAction,
    user: &str,
) -> Result<PlannedCompute, ChangeError> {
    let now = app.clock.now();
    let changed = apply(contract, action, &app.catalog, now, user).map_err(|refusal| {
        ChangeError::Refused {
            action: action.name(),
            refusal,
        }
    })?;
    let mut charge = None;
    let detail = match action {
        ChangeAction::ContractCancel => {
            let (fee, fee_charge) = cancellation_bill_charge(&app.catalog, contract, now);
            charge = fee_charge;
            serde_json::json!({
                "cancellation_fee": fee.fee_krw.to_string(),
                "bill_year_month": fee.bill_month.to_string(),
                "charged_to": charge.as_ref().map(|charge| charge.month.to_string()),
                "same_day_cancel": fee.same_day_cancel,
            })
        }
        ChangeAction::ExtendApply(code) | ChangeAction::ExtendChange(code) => {
            serde_json::json!({ "contract_type": code })
        }
        ChangeAction::ServerTypeChange(server) => {
            serde_json::json!({ "from": contract.server_type, "to": server })
        }
        ChangeAction::ExtendCancel => serde_json::json!({}),
    };
    let charged = charge.as_ref().map(|charge| (app.catalog.as_ref(), charge));
    app.store
        .update_planned_compute(&changed, action.name(), &detail.to_string(), charged)
        .await
        .map_err(AppError::from)?;
    tracing::info!(planned_compute.id = %changed.id, action = action.name(), "planned compute changed");
    Ok(changed)
}

/// What cancelling `contract` at `now` costs, and the bill charge it makes (none without a
/// fee).
pub fn cancellation_bill_charge(
    catalog: &Catalog,
    contract: &PlannedCompute,
    now: DateTime<Utc>,
) -> (
    scpfm_domain::planned_compute::CancellationFee,
    Option<BillCharge>,
) {
    let (fee, charge) = cancellation_charge(catalog, contract, now);
    let charge = charge.map(|(month, krw)| {
        BillCharge::for_contract(
            catalog,
            contract,
            month,
            ChargeComponent::CancellationFee,
            krw,
        )
    });
    (fee, charge)
}
