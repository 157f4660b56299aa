//! Change actions as a state machine: the kinds a client names, the action with its
//! argument, [`apply`] (the changed contract or a [`Refusal`]) and [`renew`].

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{ContractState, PlannedCompute, Term};
use crate::catalog::{Catalog, ServerType};
/// A change action (`PUT /v1/planned-computes/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeAction {
    /// Add a renewal term of `contract_type` after the current one.
    ExtendApply(String),
    /// Change the renewal term's contract type.
    ExtendChange(String),
    /// Drop the renewal term.
    ExtendCancel,
    /// Move to a larger server type of the same service.
    ServerTypeChange(String),
    /// Cancel the contract (a cancellation fee is charged).
    ContractCancel,
}

impl ChangeAction {
    /// The wire name.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Its kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Self::ExtendApply(_) => ActionKind::ExtendApply,
            Self::ExtendChange(_) => ActionKind::ExtendChange,
            Self::ExtendCancel => ActionKind::ExtendCancel,
            Self::ServerTypeChange(_) => ActionKind::ServerTypeChange,
            Self::ContractCancel => ActionKind::ContractCancel,
        }
    }
}

/// The kind of a change action, as the wire names it (`action`), before its argument is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    /// `EXTEND_APPLY`: needs a contract type.
    ExtendApply,
    /// `EXTEND_CHANGE`: needs a contract type.
    ExtendChange,
    /// `EXTEND_CANCEL`.
    ExtendCancel,
    /// `SERVER_TYPE_CHANGE`: needs a server type.
    ServerTypeChange,
    /// `CONTRACT_CANCEL`.
    ContractCancel,
}

/// What an action kind needs besides its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionArgument {
    /// `contract_type`.
    ContractType,
    /// `server_type`.
    ServerType,
}

/// Why an `action` is not one scpfm applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnknownAction {
    /// An action SCP's console uses internally (`CHANGE_START_DATE`, `CREATE_PLAN`).
    #[error("a console-internal action scpfm does not offer")]
    ConsoleOnly,
    /// No such action.
    #[error("not a change action")]
    Unknown,
}

impl ActionKind {
    /// Every kind, in the documented order.
    pub const ALL: [Self; 5] = [
        Self::ExtendApply,
        Self::ExtendChange,
        Self::ExtendCancel,
        Self::ServerTypeChange,
        Self::ContractCancel,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Self::ExtendApply => "EXTEND_APPLY",
            Self::ExtendChange => "EXTEND_CHANGE",
            Self::ExtendCancel => "EXTEND_CANCEL",
            Self::ServerTypeChange => "SERVER_TYPE_CHANGE",
            Self::ContractCancel => "CONTRACT_CANCEL",
        }
    }

    /// The field this kind needs, if any.
    pub fn argument(self) -> Option<ActionArgument> {
        match self {
            Self::ExtendApply | Self::ExtendChange => Some(ActionArgument::ContractType),
            Self::ServerTypeChange => Some(ActionArgument::ServerType),
            Self::ExtendCancel | Self::ContractCancel => None,
        }
    }

    /// The action with its argument (ignored by kinds that take none).
    pub fn with(self, argument: String) -> ChangeAction {
        match self {
            Self::ExtendApply => ChangeAction::ExtendApply(argument),
            Self::ExtendChange => ChangeAction::ExtendChange(argument),
            Self::ExtendCancel => ChangeAction::ExtendCancel,
            Self::ServerTypeChange => ChangeAction::ServerTypeChange(argument),
            Self::ContractCancel => ChangeAction::ContractCancel,
        }
    }
}

impl std::str::FromStr for ActionKind {
    type Err = UnknownAction;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(kind) = Self::ALL.into_iter().find(|kind| kind.name() == text) {
            return Ok(kind);
        }
        match text {
            "CHANGE_START_DATE" | "CREATE_PLAN" => Err(UnknownAction::ConsoleOnly),
            _ => Err(UnknownAction::Unknown),
        }
    }
}

/// Why an action does not fit the contract (a 409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The contract is not active.
    NotActive(ContractState),
    /// EXTEND_APPLY on a contract that already has a renewal.
    AlreadyExtended,
    /// EXTEND_CHANGE or EXTEND_CANCEL without a renewal.
    NotExtended,
    /// SERVER_TYPE_CHANGE to a type that is not larger.
    NotAScaleUp {
        /// Current type.
        from: String,
        /// Requested type.
        to: String,
    },
    /// EXTEND_CHANGE to the renewal's own contract type.
    Unchanged,
}

/// True when `to` is larger than `from`: more cores and at least as much memory, or as many
/// cores and more memory (GPU types compare the same way).
pub fn is_scale_up(from: &ServerType, to: &ServerType) -> bool {
    from.service_id == to.service_id
        && ((to.core > from.core && to.memory_gb >= from.memory_gb)
            || (to.core == from.core && to.memory_gb > from.memory_gb))
}

/// The first day of a contract ordered at `now`: the next KST day.
pub fn start_date_for_order(now: DateTime<Utc>) -> NaiveDate {
    let today = crate::month::kst_date(now);
    today.checked_add_days(Days::new(1)).unwrap_or(today)
}

/// Applies `action` to `contract` at `now` (by `user`), or says why it does not fit.
/// Catalogue checks (contract types and server types exist) are the caller's.
pub fn apply(
    contract: &PlannedCompute,
    action: &ChangeAction,
    catalog: &Catalog,
    now: DateTime<Utc>,
    user: &str,
) -> Result<PlannedCompute, Refusal> {
    if contract.state != ContractState::Active {
        return Err(Refusal::NotActive(contract.state));
    }
    let mut changed = contract.clone();
    changed.modified_at = now;
    changed.modified_by = user.to_owned();
    let term_of = |code: &str, start: NaiveDate| {
        catalog
            .contract_types
            .iter()
            .find(|contract| contract.code == code)
            .map(|contract| Term::starting(contract, start))
    };
    let renewal_start = contract
        .term
        .end_date
        .succ_opt()
        .unwrap_or(contract.term.end_date);
    match action {
        ChangeAction::ExtendApply(code) => {
            if contract.next.is_some() {
                return Err(Refusal::AlreadyExtended);
            }
            changed.next = term_of(code, renewal_start);
        }
        ChangeAction::ExtendChange(code) => {
            let Some(next) = &contract.next else {
                return Err(Refusal::NotExtended);
            };
            if &next.contract_type == code {
                return Err(Refusal::Unchanged);
            }
            changed.next = term_of(code, next.start_date);
        }
        ChangeAction::ExtendCancel => {
            if contract.next.is_none() {
                return Err(Refusal::NotExtended);
            }
            changed.next = None;
        }
        ChangeAction::ServerTypeChange(to) => {
            let from = catalog
                .server_types
                .iter()
                .find(|server| server.id == contract.server_type);
            let target = catalog.server_types.iter().find(|server| &server.id == to);
            match (from, target) {
                (Some(from), Some(target)) if is_scale_up(from, target) => {
                    changed.server_type = to.clone();
                }
                _ => {
                    return Err(Refusal::NotAScaleUp {
                        from: contract.server_type.clone(),
                        to: to.clone(),
                    })
                }
            }
        }
        ChangeAction::ContractCancel => {
            changed.state = ContractState::Terminated;
            changed.next = None;
            changed.cancelled_at = Some(now);
        }
    }
    Ok(changed)
}

/// Moves an active contract past the terms that ended before `today`: into its renewal
/// (which becomes the current term) or, without one, to `EXPIRED`. Returns `None` when
/// nothing changes; idempotent.
pub fn renew(contract: &PlannedCompute, today: NaiveDate) -> Option<PlannedCompute> {
    if contract.state != ContractState::Active || contract.term.end_date >= today {
        return None;
    }
    let mut changed = contract.clone();
    while changed.state == ContractState::Active && changed.term.end_date < today {
        match changed.next.take() {
            Some(next) => changed.term = next,
            None => changed.state = ContractState::Expired,
        }
    }
    Some(changed)
}
