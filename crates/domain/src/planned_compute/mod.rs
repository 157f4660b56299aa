//! Planned compute: SCP's reserved capacity. A contract commits one server of a (service,
//! server type, OS) for 1, 3 or 5 years at the discounted PP price; this module holds its
//! terms, the change actions as a state machine, renewal, and the cancellation fee.
//!
//! Dates are KST calendar dates. A contract ordered on day D starts on D + 1 and its term
//! ends the day before the same date `years` later (a 1-year contract from 2026-11-24 ends
//! on 2027-11-23). States: `ACTIVE`, `EXPIRED` (the term ended without a renewal),
//! `TERMINATED` (cancelled).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalog::{Catalog, ContractType};
use crate::ids::{AccountId, PlannedComputeId};
use crate::month::YearMonth;

mod actions;

pub use actions::*;

/// A contract's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContractState {
    /// In force.
    Active,
    /// The term ended without a renewal.
    Expired,
    /// Cancelled (CONTRACT_CANCEL).
    Terminated,
}

impl ContractState {
    /// Every state, in documentation order.
    pub const ALL: [Self; 3] = [Self::Active, Self::Expired, Self::Terminated];

    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Expired => "EXPIRED",
            Self::Terminated => "TERMINATED",
        }
    }
}

impl crate::code::Code for ContractState {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn code(self) -> &'static str {
        self.as_str()
    }
}

impl FromStr for ContractState {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        crate::code::Code::from_code(text).ok_or(())
    }
}

impl fmt::Display for ContractState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What planned computes can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlannedComputeSortField {
    /// When it was ordered.
    CreatedAt,
    /// Last change.
    ModifiedAt,
    /// Who ordered it.
    CreatedBy,
    /// Who changed it last.
    ModifiedBy,
    /// Current term's start.
    StartDate,
    /// Current term's end.
    EndDate,
    /// Contract number (order of ordering).
    ContractId,
    /// Server type.
    ServerType,
    /// Contract type.
    ContractType,
    /// State.
    State,
}

impl crate::listing::SortField for PlannedComputeSortField {
    const FIELDS: &'static [(&'static str, Self)] = &[
        ("created_at", Self::CreatedAt),
        ("modified_at", Self::ModifiedAt),
        ("created_by", Self::CreatedBy),
        ("modified_by", Self::ModifiedBy),
        ("start_date", Self::StartDate),
        ("end_date", Self::EndDate),
        ("contract_id", Self::ContractId),
        ("server_type", Self::ServerType),
        ("contract_type", Self::ContractType),
        ("state", Self::State),
    ];
}

/// A term: contract type and its dates (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Contract type code (`01`, `03`, `05`).
    pub contract_type: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
}

impl Term {
    /// The term of `contract` starting on `start`.
    pub fn starting(contract: &ContractType, start: NaiveDate) -> Self {
        let end = start
            .checked_add_months(chrono::Months::new(12 * contract.years))
            .and_then(|date| date.pred_opt())
            .unwrap_or(start);
        Self {
            contract_type: contract.code.clone(),
            start_date: start,
            end_date: end,
        }
    }

    /// Days in the term.
    pub fn days(&self) -> i64 {
        (self.end_date - self.start_date).num_days() + 1
    }
}

/// A planned compute contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCompute {
    /// Id (32 hex characters).
    pub id: PlannedComputeId,
    /// Contract number: `C` + 9 digits.
    pub contract_id: String,
    /// The account.
    pub account_id: AccountId,
    /// Region.
    pub region: String,
    /// Service (`VIRTUAL_SERVER`, `GPU_SERVER`).
    pub service_id: String,
    /// Server type.
    pub server_type: String,
    /// OS type id (`OPEN_SOURCE`…).
    pub os_type: String,
    /// The current term.
    pub term: Term,
    /// The first term's start.
    pub first_contract_start: NaiveDate,
    /// The renewal term, if one was applied (EXTEND_APPLY).
    pub next: Option<Term>,
    /// State.
    pub state: ContractState,
    /// Tags.
    pub tags: Vec<(String, Option<String>)>,
    /// The resource it covered most recently, if any.
    pub resource_name: Option<String>,
    /// When it was ordered, and by whom.
    pub created_at: DateTime<Utc>,
    /// The access key's user name.
    pub created_by: String,
    /// Last change.
    pub modified_at: DateTime<Utc>,
    /// Who changed it last.
    pub modified_by: String,
    /// When it was cancelled, for a terminated contract.
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A cancellation fee quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancellationFee {
    /// The month whose bill carries it: two months after the cancellation (KST).
    pub bill_month: YearMonth,
    /// Whole KRW.
    pub fee_krw: Decimal,
    /// Cancelled on the day it was ordered: no fee.
    pub same_day_cancel: bool,
}

/// The fee of cancelling `contract` at `now`: 50 % of the remaining committed value — the
/// PP `hourly_price` for every hour from the next KST day to the end of the current term —
/// rounded down to whole won. Nothing before the term starts or on the day of the order.
pub fn cancellation_fee(
    contract: &PlannedCompute,
    hourly_price: Decimal,
    now: DateTime<Utc>,
) -> CancellationFee {
    let today = crate::month::kst_date(now);
    let ordered = crate::month::kst_date(contract.created_at);
    let bill_month = YearMonth::of(today).next().next();
    let same_day_cancel = today == ordered;
    let from = today
        .succ_opt()
        .unwrap_or(today)
        .max(contract.term.start_date);
    let remaining_days = if same_day_cancel || contract.state != ContractState::Active {
        0
    } else {
        ((contract.term.end_date - from).num_days() + 1).max(0)
    };
    let value = hourly_price * Decimal::from(remaining_days * 24);
    CancellationFee {
        bill_month,
        fee_krw: (value / Decimal::TWO).round_dp_with_strategy(0, RoundingStrategy::ToZero),
        same_day_cancel,
    }
}

/// The billing item a service's server hours are metered under (`VIRTUAL_SERVER` for the
/// Virtual Server service).
pub fn billing_item_of<'a>(
    catalog: &'a Catalog,
    service_id: &str,
) -> Option<&'a crate::catalog::BillingItem> {
    catalog
        .billing_items
        .iter()
        .find(|item| item.service_id == service_id)
}

/// The PP price per hour of a contract's server (first tier of its HOUR price for the
/// contract's service, server type, OS, type and region), from the catalogue; `None` when
/// the catalogue has no such price.
pub fn hourly_price(catalog: &Catalog, contract: &PlannedCompute) -> Option<Decimal> {
    let item = billing_item_of(catalog, &contract.service_id)?;
    let price = catalog
        .price_for(
            &item.id,
            crate::catalog::Offering::PlannedCompute,
            |key| match key {
                "server_type" => Some(contract.server_type.as_str()),
                "os_type" => Some(contract.os_type.as_str()),
                "contract_type" => Some(contract.term.contract_type.as_str()),
                "region" => Some(contract.region.as_str()),
                _ => None,
            },
        )
        .ok()?;
    (price.rule.unit == crate::rating::PriceUnit::Hour)
        .then(|| {
            price
                .rule
                .tiers
                .as_slice()
                .first()
                .map(|tier| tier.unit_price)
        })
        .flatten()
}

/// The fee of cancelling `contract` at `now` at its catalogue price ([`cancellation_fee`];
/// no fee when the catalogue has no PP price for it).
pub fn quote_cancellation(
    catalog: &Catalog,
    contract: &PlannedCompute,
    now: DateTime<Utc>,
) -> CancellationFee {
    cancellation_fee(
        contract,
        hourly_price(catalog, contract).unwrap_or_default(),
        now,
    )
}

/// Days of `term` inside `month` (0 when they do not meet).
pub fn days_in_month(term: &Term, month: YearMonth) -> i64 {
    let first = month.first_day();
    let last = month.next().first_day().pred_opt().unwrap_or(first);
    let start = term.start_date.max(first);
    let end = term.end_date.min(last);
    if end < start {
        0
    } else {
        (end - start).num_days() + 1
    }
}

/// The contract number of the `seq`-th contract: `C` + 9 digits.
pub fn contract_number(seq: i64) -> String {
    format!("C{:09}", seq % 1_000_000_000)
}

/// The sequence number in a contract number.
pub fn contract_seq(contract_id: &str) -> Option<i64> {
    let digits = contract_id.strip_prefix('C')?;
    (digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The SRN of a contract.
pub fn srn(account: &AccountId, region: &str, id: &PlannedComputeId) -> String {
    format!("srn:e::{account}:{region}::billingplan:planned-compute/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ServerType;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn one_year() -> ContractType {
        ContractType {
            code: "01".into(),
            display_name: "1-year".into(),
            years: 1,
            discount_percent: Decimal::from(30),
        }
    }

    fn server(id: &str, core: u32, memory_gb: u32) -> ServerType {
        ServerType {
            id: id.into(),
            service_id: "VIRTUAL_SERVER".into(),
            family: "s1".into(),
            core,
            memory_gb,
            gpu_name: None,
            description: String::new(),
        }
    }

    fn catalog() -> Catalog {
        let mut catalog =
            Catalog::without_prices(crate::money::ExchangeRate::new(Decimal::from(1400)).unwrap());
        catalog.contract_types = vec![
            one_year(),
            ContractType {
                code: "03".into(),
                display_name: "3-year".into(),
                years: 3,
                discount_percent: Decimal::from(45),
            },
        ];
        catalog.server_types = vec![
            server("s1v1m2", 1, 2),
            server("s1v2m4", 2, 4),
            server("s1v2m2", 2, 2),
        ];
        catalog
    }

    fn contract() -> PlannedCompute {
        let ordered = at("2026-11-23T10:00:00+09:00");
        PlannedCompute {
            id: "0123456789abcdef0123456789abcdef".parse().unwrap(),
            contract_id: contract_number(1),
            account_id: "0123456789abcdef0123456789abcdef".parse().unwrap(),
            region: "kr-west1".into(),
            service_id: "VIRTUAL_SERVER".into(),
            server_type: "s1v2m4".into(),
            os_type: "OPEN_SOURCE".into(),
            term: Term::starting(&one_year(), start_date_for_order(ordered)),
            first_contract_start: date("2026-11-24"),
            next: None,
            state: ContractState::Active,
            tags: Vec::new(),
            resource_name: None,
            created_at: ordered,
            created_by: "alice".into(),
            modified_at: ordered,
            modified_by: "alice".into(),
            cancelled_at: None,
        }
    }

    #[test]
    fn terms_start_the_next_kst_day_and_last_their_years() {
        let c = contract();
        assert_eq!(c.term.start_date, date("2026-11-24"));
        assert_eq!(c.term.end_date, date("2027-11-23"));
        assert_eq!(c.term.days(), 365);
        // 23:30 KST on the 30th is already the 30th in KST (14:30 UTC).
        assert_eq!(
            start_date_for_order(at("2026-11-30T14:30:00Z")),
            date("2026-12-01")
        );
        let leap = Term::starting(&one_year(), date("2028-02-29"));
        assert_eq!(leap.end_date, date("2029-02-27"));
    }

    #[test]
    fn extension_actions_follow_the_renewal_state() {
        let catalog = catalog();
        let now = at("2026-12-01T00:00:00Z");
        let c = contract();
        assert_eq!(
            apply(
                &c,
                &ChangeAction::ExtendChange("03".into()),
                &catalog,
                now,
                "bob"
            ),
            Err(Refusal::NotExtended)
        );
        assert_eq!(
            apply(&c, &ChangeAction::ExtendCancel, &catalog, now, "bob"),
            Err(Refusal::NotExtended)
        );
        let extended = apply(
            &c,
            &ChangeAction::ExtendApply("01".into()),
            &catalog,
            now,
            "bob",
        )
        .unwrap();
        let next = extended.next.clone().unwrap();
        assert_eq!(
            (next.start_date, next.end_date),
            (date("2027-11-24"), date("2028-11-23"))
        );
        assert_eq!(extended.modified_by, "bob");
        assert_eq!(
            apply(
                &extended,
                &ChangeAction::ExtendApply("03".into()),
                &catalog,
                now,
                "bob"
            ),
            Err(Refusal::AlreadyExtended)
        );
        assert_eq!(
            apply(
                &extended,
                &ChangeAction::ExtendChange("01".into()),
                &catalog,
                now,
                "bob"
            ),
            Err(Refusal::Unchanged)
        );
        let changed = apply(
            &extended,
            &ChangeAction::ExtendChange("03".into()),
            &catalog,
            now,
            "bob",
        )
        .unwrap();
        assert_eq!(changed.next.clone().unwrap().end_date, date("2030-11-23"));
        let cancelled = apply(&changed, &ChangeAction::ExtendCancel, &catalog, now, "bob").unwrap();
        assert_eq!(cancelled.next, None);
    }

    #[test]
    fn server_types_only_scale_up() {
        let catalog = catalog();
        let now = at("2026-12-01T00:00:00Z");
        let c = contract();
        let down = apply(
            &c,
            &ChangeAction::ServerTypeChange("s1v1m2".into()),
            &catalog,
            now,
            "bob",
        );
        assert!(matches!(down, Err(Refusal::NotAScaleUp { .. })));
        let sideways = apply(
            &c,
            &ChangeAction::ServerTypeChange("s1v2m2".into()),
            &catalog,
            now,
            "bob",
        );
        assert!(matches!(sideways, Err(Refusal::NotAScaleUp { .. })));
        let mut small = c.clone();
        small.server_type = "s1v1m2".into();
        let up = apply(
            &small,
            &ChangeAction::ServerTypeChange("s1v2m4".into()),
            &catalog,
            now,
            "bob",
        )
        .unwrap();
        assert_eq!(up.server_type, "s1v2m4");
    }

    #[test]
    fn cancelled_and_expired_contracts_take_no_action() {
        let catalog = catalog();
        let now = at("2026-12-01T00:00:00Z");
        let cancelled = apply(
            &contract(),
            &ChangeAction::ContractCancel,
            &catalog,
            now,
            "bob",
        )
        .unwrap();
        assert_eq!(cancelled.state, ContractState::Terminated);
        assert_eq!(cancelled.cancelled_at, Some(now));
        assert_eq!(
            apply(
                &cancelled,
                &ChangeAction::ExtendApply("01".into()),
                &catalog,
                now,
                "bob"
            ),
            Err(Refusal::NotActive(ContractState::Terminated))
        );
    }

    #[test]
    fn renewal_moves_into_the_next_term_or_expires() {
        let catalog = catalog();
        let c = contract();
        assert_eq!(
            renew(&c, date("2027-11-23")),
            None,
            "the last day is still in force"
        );
        let expired = renew(&c, date("2027-11-24")).unwrap();
        assert_eq!(expired.state, ContractState::Expired);
        assert_eq!(renew(&expired, date("2027-11-25")), None, "idempotent");
        let extended = apply(
            &c,
            &ChangeAction::ExtendApply("01".into()),
            &catalog,
            c.created_at,
            "bob",
        )
        .unwrap();
        let renewed = renew(&extended, date("2027-11-24")).unwrap();
        assert_eq!(renewed.state, ContractState::Active);
        assert_eq!(renewed.term.start_date, date("2027-11-24"));
        assert_eq!(renewed.next, None);
        assert_eq!(renewed.first_contract_start, date("2026-11-24"));
        // Long after both terms: renewed, then expired.
        assert_eq!(
            renew(&extended, date("2030-01-01")).unwrap().state,
            ContractState::Expired
        );
    }

    #[test]
    fn cancellation_fees_are_half_the_remaining_commitment() {
        let c = contract();
        let price = Decimal::new(1582, 2); // 15.82 KRW an hour
        let same_day = cancellation_fee(&c, price, at("2026-11-23T20:00:00+09:00"));
        assert!(same_day.same_day_cancel);
        assert_eq!(same_day.fee_krw, Decimal::ZERO);
        assert_eq!(same_day.bill_month, YearMonth::new(2027, 1).unwrap());
        // Cancelled on 2026-12-01 KST: 2026-12-02 ..= 2027-11-23 is 357 days.
        let later = cancellation_fee(&c, price, at("2026-12-01T09:00:00+09:00"));
        assert!(!later.same_day_cancel);
        let expected = (price * Decimal::from(357 * 24) / Decimal::TWO).floor();
        assert_eq!(later.fee_krw, expected);
        assert_eq!(later.bill_month, YearMonth::new(2027, 2).unwrap());
        // Before the term starts (the day after the order): the whole term remains.
        let before = cancellation_fee(&c, price, at("2026-11-24T08:00:00+09:00"));
        assert_eq!(
            before.fee_krw,
            (price * Decimal::from(364 * 24) / Decimal::TWO).floor()
        );
    }

    #[test]
    fn contract_numbers_round_trip() {
        assert_eq!(contract_number(2612775), "C002612775");
        assert_eq!(contract_seq("C002612775"), Some(2612775));
        assert_eq!(contract_seq("C12"), None);
        assert_eq!(contract_seq("X002612775"), None);
    }

    #[test]
    fn month_overlap_counts_days() {
        let c = contract();
        assert_eq!(days_in_month(&c.term, YearMonth::new(2026, 11).unwrap()), 7);
        assert_eq!(
            days_in_month(&c.term, YearMonth::new(2027, 11).unwrap()),
            23
        );
        assert_eq!(days_in_month(&c.term, YearMonth::new(2027, 12).unwrap()), 0);
    }
}
