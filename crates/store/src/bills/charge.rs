//! Charges that are not usage — planned compute cancellation fees and hours that covered
//! nothing — as they are added to a bill line (see `rollup::add_charge`).

use scpfm_domain::bill::AMOUNT_SCALE;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::contract_charges::ContractLine;
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::YearMonth;
use scpfm_domain::planned_compute::PlannedCompute;
use scpfm_domain::tags::TagSet;

/// A charge that is not usage — a planned compute cancellation fee — added to its line the
/// way usage is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillCharge {
    /// The account billed.
    pub account_id: AccountId,
    /// The (open) month whose bill carries it.
    pub month: YearMonth,
    /// The line's resource id.
    pub resource_id: String,
    /// The line's resource name.
    pub resource_name: String,
    /// The line's billing item.
    pub billing_item_id: String,
    /// Its service category.
    pub service_category: String,
    /// Region.
    pub region: String,
    /// The contract it concerns.
    pub contract_id: Option<String>,
    /// The component it lands in.
    pub component: ChargeComponent,
    /// How much.
    pub amount: DualAmount,
    /// The contract's tags (the cost is grouped by them).
    pub tags: TagSet,
    /// Hours charged (idle hours; zero for a fee).
    pub hours: i64,
}

impl BillCharge {
    /// A charge of `contract` (a cancellation fee, idle hours): a line of its account named
    /// after the contract, under the billing item of its service, in `component`.
    pub fn for_contract(
        catalog: &Catalog,
        contract: &PlannedCompute,
        month: YearMonth,
        component: ChargeComponent,
        krw: rust_decimal::Decimal,
    ) -> Self {
        let line = ContractLine::of(catalog, contract);
        Self {
            account_id: contract.account_id.clone(),
            month,
            resource_id: line.resource_id,
            resource_name: line.resource_name,
            billing_item_id: line.billing_item_id,
            service_category: line.service_category,
            region: contract.region.clone(),
            contract_id: Some(contract.contract_id.clone()),
            component,
            amount: DualAmount::from_krw(krw, catalog.usd_rate(month), AMOUNT_SCALE),
            tags: TagSet::from_stored(
                contract
                    .tags
                    .iter()
                    .map(|(key, value)| (key.clone(), value.clone().unwrap_or_default())),
            ),
            hours: 0,
        }
    }

    /// The same charge, for `hours` hours.
    pub fn for_hours(self, hours: i64) -> Self {
        Self { hours, ..self }
    }
}
