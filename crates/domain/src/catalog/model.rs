//! What a catalogue holds: offerings, regions, services, server and OS types, contract types,
//! billing items and prices.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::component::ChargeComponent;
use crate::listing::SortField;
use crate::rating::{RatingRule, UsageUnit};

/// How a price is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Offering {
    /// Pay as you go (`PG`): on-demand usage.
    PayAsYouGo,
    /// Planned compute (`PP`): hours covered by a 1-, 3- or 5-year contract.
    PlannedCompute,
    /// Subscription (`PS`): fixed monthly items such as support plans.
    Subscription,
}

impl Offering {
    /// Every offering, in the order the Pricing API lists them (`['PS', 'PP', 'PG']`).
    pub const ALL: [Self; 3] = [Self::Subscription, Self::PlannedCompute, Self::PayAsYouGo];

    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PayAsYouGo => "PG",
            Self::PlannedCompute => "PP",
            Self::Subscription => "PS",
        }
    }
}

impl crate::code::Code for Offering {
    fn all() -> &'static [Self] {
        &Self::ALL
    }

    fn code(self) -> &'static str {
        self.as_str()
    }
}

impl FromStr for Offering {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        crate::code::Code::from_code(text).ok_or(())
    }
}

/// Fields the price list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceSortField {
    /// Publication date of the catalogue.
    CreatedAt,
    /// Billing item id.
    BillingItemId,
    /// Offering code.
    Offering,
    /// Price unit.
    PriceUnit,
    /// Price model.
    PriceModel,
}

impl SortField for PriceSortField {
    const FIELDS: &'static [(&'static str, Self)] = &[
        ("created_at", Self::CreatedAt),
        ("billing_item_id", Self::BillingItemId),
        ("offering", Self::Offering),
        ("price_unit", Self::PriceUnit),
        ("price_model", Self::PriceModel),
    ];
}

/// A region (`kr-west1`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Region id.
    pub id: String,
    /// Display name.
    pub display_name: String,
}

/// A service (`VIRTUAL_SERVER` "Virtual Server"…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Service id.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Service category (`COMPUTE`, `STORAGE`…).
    pub category: String,
    /// Whether planned compute contracts cover this service.
    pub planned_compute: bool,
}

/// A server type (`s1v1m2`: family s1, 1 vCPU, 2 GB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerType {
    /// Server type id.
    pub id: String,
    /// The service it belongs to.
    pub service_id: String,
    /// Family (instance type), e.g. `s1`.
    pub family: String,
    /// vCPU cores.
    pub core: u32,
    /// Memory in GB.
    pub memory_gb: u32,
    /// GPU model, for GPU servers.
    pub gpu_name: Option<String>,
    /// Free text.
    pub description: String,
}

/// An operating system type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsType {
    /// Id, e.g. `OPEN_SOURCE`.
    pub id: String,
    /// The other spelling, e.g. `opensource`.
    pub value: String,
    /// Display name, e.g. `Open Source`.
    pub display_name: String,
    /// Services offering it.
    pub services: Vec<String>,
}

/// A planned compute contract type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractType {
    /// Code: `01`, `03` or `05`.
    pub code: String,
    /// Display name, e.g. `1-year`.
    pub display_name: String,
    /// Term in years.
    pub years: u32,
    /// Discount on PG prices, in percent.
    pub discount_percent: Decimal,
}

/// A billing item: what a usage record measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingItem {
    /// Id, e.g. `VIRTUAL_SERVER`.
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// The service it belongs to.
    pub service_id: String,
    /// Service category, as usages and bills report it.
    pub category: String,
    /// CCBS product code, e.g. `PD00013862`.
    pub ccbs_product_code: String,
    /// The unit its usage is metered in.
    pub usage_unit: UsageUnit,
    /// The bill component its pay-as-you-go and subscription usage lands in.
    pub bill_component: ChargeComponent,
}

/// The components a billing item may name: planned compute and cancellation fees are
/// derived from contracts, not from billing items.
pub const BILLABLE_COMPONENTS: [ChargeComponent; 4] = [
    ChargeComponent::Asset,
    ChargeComponent::Operation,
    ChargeComponent::Option,
    ChargeComponent::SupportPlan,
];

/// A price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    /// Stable id: `BILLING_ITEM:OFFERING:key=value,…`.
    pub id: String,
    /// The billing item priced.
    pub billing_item_id: String,
    /// PG, PP or PS.
    pub offering: Offering,
    /// Attribute values this price applies to.
    pub attributes: BTreeMap<String, String>,
    /// How a quantity is charged.
    pub rule: RatingRule,
    /// Always `KRW`.
    pub currency_code: String,
    /// The catalogue publication date (the Pricing API's `created_at`).
    pub created_at: NaiveDate,
    /// True for PP prices derived from a PG price and a contract discount.
    pub derived: bool,
}
