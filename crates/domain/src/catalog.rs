//! The price catalogue: what can be billed and what it costs.
//!
//! A catalogue is built from a [`CatalogSource`] (plain text values, as read from the
//! catalogue file) by [`Catalog::build`], which checks everything and reports every problem
//! at once: duplicate ids, unknown references, broken tiers, units that do not convert, price
//! tables with inconsistent or missing attribute combinations, bad rates.
//!
//! Prices of a billing item and offering form a table keyed by the same attributes (e.g.
//! `server_type` and `os_type`), so finding the price of a usage record is one exact lookup,
//! never a guess between overlapping candidates. The attribute `region` is read from the
//! record's region. Planned compute (PP) prices of services that offer planned compute are
//! derived from their pay-as-you-go (PG) prices and each contract type's discount, unless
//! the catalogue lists them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::component::ChargeComponent;
use crate::listing::SortField;
use crate::money::ExchangeRate;
use crate::month::YearMonth;
use crate::rating::{PriceModel, PriceUnit, ProrationRule, RatingRule, Tier, Tiers, UsageUnit};
use crate::rounding::{Rounding, RoundingRule};

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

impl FromStr for Offering {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|offering| offering.as_str() == text)
            .ok_or(())
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

/// A price as written in the catalogue file, every field still text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceSource {
    /// Billing item id.
    pub billing_item: String,
    /// `PG`, `PP` or `PS`.
    pub offering: String,
    /// Attribute values.
    pub attributes: BTreeMap<String, String>,
    /// `FLAT` or `TIERED`.
    pub price_model: String,
    /// Price unit.
    pub price_unit: String,
    /// Currency code.
    pub currency: String,
    /// `PRORATION` or `NONE`.
    pub proration_rule: String,
    /// Rounding rule name.
    pub rounding_rule: String,
    /// Decimal places kept.
    pub rounding_position: i64,
    /// Tiers: `(range_start, range_end, unit_price, base_price)`.
    pub tiers: Vec<(String, Option<String>, String, String)>,
}

/// The whole catalogue as written in its file, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogSource {
    /// Catalogue version label.
    pub version: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// KRW per USD for months without their own rate.
    pub default_usd_rate: String,
    /// KRW per USD by month (`YYYY-MM`).
    pub usd_rates: Vec<(String, String)>,
    /// Regions: `(id, display name)`.
    pub regions: Vec<(String, String)>,
    /// Services.
    pub services: Vec<Service>,
    /// Server types.
    pub server_types: Vec<ServerType>,
    /// OS types.
    pub os_types: Vec<OsType>,
    /// Contract types: `(code, display name, years, discount percent)`.
    pub contract_types: Vec<(String, String, u32, String)>,
    /// Billing items, with `usage_unit` and the bill component as text.
    pub billing_items: Vec<(BillingItem, String, String)>,
    /// Prices.
    pub prices: Vec<PriceSource>,
}

/// One problem found in a catalogue, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIssue {
    /// Where: e.g. `prices[12]` or `server_types[s1v1m2]`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CatalogIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Why no price applies to a usage record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceLookupError {
    /// The catalogue has no such billing item.
    #[error("unknown billing item {0}")]
    UnknownBillingItem(String),
    /// The billing item has no price with this offering.
    #[error("billing item {billing_item} has no {offering} price")]
    NoPrices {
        /// Billing item.
        billing_item: String,
        /// Offering.
        offering: &'static str,
    },
    /// The record lacks an attribute the prices are keyed by.
    #[error("attribute {attribute} is required to price {billing_item}")]
    MissingAttribute {
        /// Billing item.
        billing_item: String,
        /// The attribute.
        attribute: String,
    },
    /// No price has these attribute values.
    #[error("no {offering} price of {billing_item} for {values}")]
    NoMatch {
        /// Billing item.
        billing_item: String,
        /// Offering.
        offering: &'static str,
        /// The values looked for, `key=value,…`.
        values: String,
    },
}

/// Prices of one billing item and offering, keyed by the same attributes.
#[derive(Debug, Clone, Default)]
struct PriceTable {
    keys: Vec<String>,
    by_values: HashMap<Vec<String>, usize>,
}

/// A validated catalogue.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Version label.
    pub version: String,
    /// Publication date.
    pub published: NaiveDate,
    default_rate: ExchangeRate,
    rates: BTreeMap<YearMonth, ExchangeRate>,
    /// Regions.
    pub regions: Vec<Region>,
    /// Services.
    pub services: Vec<Service>,
    /// Server types.
    pub server_types: Vec<ServerType>,
    /// OS types.
    pub os_types: Vec<OsType>,
    /// Contract types, by term.
    pub contract_types: Vec<ContractType>,
    /// Billing items.
    pub billing_items: Vec<BillingItem>,
    /// Prices: listed, then derived.
    pub prices: Vec<Price>,
    tables: HashMap<(String, Offering), PriceTable>,
    items: HashMap<String, usize>,
}

/// Collects issues while building.
#[derive(Default)]
struct Issues(Vec<CatalogIssue>);

impl Issues {
    fn add(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.0.push(CatalogIssue {
            location: location.into(),
            message: message.into(),
        });
    }

    fn unique<'a>(&mut self, what: &str, ids: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                self.add(format!("{what}[{id}]"), "defined twice");
            }
        }
        seen
    }

    fn decimal(&mut self, location: &str, text: &str) -> Option<Decimal> {
        match text.trim().parse::<Decimal>() {
            Ok(value) => Some(value),
            Err(_) => {
                self.add(location, format!("{text:?} is not a decimal number"));
                None
            }
        }
    }
}

/// Attributes whose values name catalogue entries, and how to check them.
const ATTRIBUTE_REFERENCES: [&str; 4] = ["server_type", "os_type", "contract_type", "region"];

impl Catalog {
    /// Checks `source` and builds the catalogue, or reports every problem found.
    pub fn build(source: CatalogSource) -> Result<Self, Vec<CatalogIssue>> {
        let mut issues = Issues::default();
        let published =
            NaiveDate::parse_from_str(&source.published, "%Y-%m-%d").unwrap_or_else(|_| {
                issues.add(
                    "published",
                    format!("{:?} is not a date (YYYY-MM-DD)", source.published),
                );
                NaiveDate::default()
            });
        let default_rate = issues
            .decimal("default_usd_rate", &source.default_usd_rate)
            .and_then(|rate| {
                ExchangeRate::new(rate).or_else(|| {
                    issues.add("default_usd_rate", "must be positive");
                    None
                })
            });
        let mut rates = BTreeMap::new();
        for (month, rate) in &source.usd_rates {
            let location = format!("usd_rates[{month}]");
            let parsed_month = month.parse::<YearMonth>().ok().or_else(|| {
                issues.add(&location, "months are written YYYY-MM");
                None
            });
            let parsed_rate = issues.decimal(&location, rate).and_then(|rate| {
                ExchangeRate::new(rate).or_else(|| {
                    issues.add(&location, "must be positive");
                    None
                })
            });
            if let (Some(month), Some(rate)) = (parsed_month, parsed_rate) {
                if rates.insert(month, rate).is_some() {
                    issues.add(&location, "defined twice");
                }
            }
        }

        let region_ids = issues.unique("regions", source.regions.iter().map(|(id, _)| id.as_str()));
        let service_ids = issues.unique("services", source.services.iter().map(|s| s.id.as_str()));
        let server_type_ids = issues.unique(
            "server_types",
            source.server_types.iter().map(|s| s.id.as_str()),
        );
        let os_ids = issues.unique("os_types", source.os_types.iter().map(|o| o.id.as_str()));
        issues.unique("os_types", source.os_types.iter().map(|o| o.value.as_str()));
        let contract_codes = issues.unique(
            "contract_types",
            source.contract_types.iter().map(|c| c.0.as_str()),
        );
        let item_ids = issues.unique(
            "billing_items",
            source
                .billing_items
                .iter()
                .map(|(item, _, _)| item.id.as_str()),
        );

        for service in &source.services {
            if service.category.is_empty() {
                issues.add(format!("services[{}]", service.id), "has no category");
            }
        }
        for server_type in &source.server_types {
            if !service_ids.contains(server_type.service_id.as_str()) {
                issues.add(
                    format!("server_types[{}]", server_type.id),
                    format!("unknown service {}", server_type.service_id),
                );
            }
            if server_type.core == 0 || server_type.memory_gb == 0 {
                issues.add(
                    format!("server_types[{}]", server_type.id),
                    "core and memory_gb must be positive",
                );
            }
        }
        for os in &source.os_types {
            for service in &os.services {
                if !service_ids.contains(service.as_str()) {
                    issues.add(
                        format!("os_types[{}]", os.id),
                        format!("unknown service {service}"),
                    );
                }
            }
        }
        let mut contract_types = Vec::new();
        for (code, display_name, years, discount) in &source.contract_types {
            let location = format!("contract_types[{code}]");
            if !matches!(code.as_str(), "01" | "03" | "05") {
                issues.add(&location, "codes are 01, 03 or 05");
            }
            if let Some(discount) = issues.decimal(&location, discount) {
                if discount.is_sign_negative() || discount >= Decimal::ONE_HUNDRED {
                    issues.add(
                        &location,
                        "discount_percent must be at least 0 and below 100",
                    );
                }
                contract_types.push(ContractType {
                    code: code.clone(),
                    display_name: display_name.clone(),
                    years: *years,
                    discount_percent: discount,
                });
            }
        }
        contract_types.sort_by_key(|contract| contract.years);

        let mut billing_items = Vec::new();
        for (item, unit, component) in &source.billing_items {
            let location = format!("billing_items[{}]", item.id);
            if !service_ids.contains(item.service_id.as_str()) {
                issues.add(&location, format!("unknown service {}", item.service_id));
            }
            let bill_component = match component.parse::<ChargeComponent>() {
                Ok(component) if BILLABLE_COMPONENTS.contains(&component) => Some(component),
                _ => {
                    issues.add(
                        &location,
                        format!(
                            "unknown bill_component {component:?} (one of {})",
                            BILLABLE_COMPONENTS.map(ChargeComponent::as_str).join(", ")
                        ),
                    );
                    None
                }
            };
            match unit.parse::<UsageUnit>() {
                Ok(usage_unit) => billing_items.push(BillingItem {
                    usage_unit,
                    bill_component: bill_component.unwrap_or(ChargeComponent::Asset),
                    ..item.clone()
                }),
                Err(()) => issues.add(&location, format!("unknown usage_unit {unit:?}")),
            }
        }
        let items: HashMap<String, usize> = billing_items
            .iter()
            .enumerate()
            .map(|(idx, item)| (item.id.clone(), idx))
            .collect();

        let known = |attribute: &str, value: &str| match attribute {
            "server_type" => server_type_ids.contains(value),
            "os_type" => os_ids.contains(value),
            "contract_type" => contract_codes.contains(value),
            "region" => region_ids.contains(value),
            _ => true,
        };

        let mut prices = Vec::new();
        for (idx, raw) in source.prices.iter().enumerate() {
            let location = format!("prices[{idx}] ({} {})", raw.billing_item, raw.offering);
            if let Some(price) = build_price(
                &mut issues,
                &location,
                raw,
                &billing_items,
                &items,
                published,
            ) {
                for (attribute, value) in &price.attributes {
                    if ATTRIBUTE_REFERENCES.contains(&attribute.as_str())
                        && !known(attribute, value)
                    {
                        issues.add(&location, format!("unknown {attribute} {value:?}"));
                    }
                }
                prices.push(price);
            }
        }
        let _ = item_ids;

        let services: Vec<Service> = source.services.clone();
        prices.extend(derive_planned_compute_prices(
            &services,
            &billing_items,
            &contract_types,
            &prices,
        ));

        let tables = index_prices(&mut issues, &prices);
        check_compute_coverage(&mut issues, &source, &billing_items, &tables);

        if !issues.0.is_empty() {
            return Err(issues.0);
        }
        let Some(default_rate) = default_rate else {
            return Err(vec![CatalogIssue {
                location: "default_usd_rate".into(),
                message: "is required".into(),
            }]);
        };
        Ok(Self {
            version: source.version,
            published,
            default_rate,
            rates,
            regions: source
                .regions
                .into_iter()
                .map(|(id, display_name)| Region { id, display_name })
                .collect(),
            services,
            server_types: source.server_types,
            os_types: source.os_types,
            contract_types,
            billing_items,
            prices,
            tables,
            items,
        })
    }

    /// The billing item with this id.
    pub fn billing_item(&self, id: &str) -> Option<&BillingItem> {
        self.items.get(id).map(|idx| &self.billing_items[*idx])
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|service| service.id == id)
    }

    /// True when `region` is a known region id.
    pub fn has_region(&self, region: &str) -> bool {
        self.regions.iter().any(|known| known.id == region)
    }

    /// A catalogue without services or prices, converting at `usd_rate`: for tools and tests
    /// that store records rated elsewhere (their usage lands in `asset`).
    pub fn without_prices(usd_rate: ExchangeRate) -> Self {
        Self {
            version: "empty".into(),
            published: NaiveDate::MIN,
            default_rate: usd_rate,
            rates: BTreeMap::new(),
            regions: Vec::new(),
            services: Vec::new(),
            server_types: Vec::new(),
            os_types: Vec::new(),
            contract_types: Vec::new(),
            billing_items: Vec::new(),
            prices: Vec::new(),
            tables: HashMap::new(),
            items: HashMap::new(),
        }
    }

    /// The USD rate of `month` (its own rate, else the default).
    pub fn usd_rate(&self, month: YearMonth) -> ExchangeRate {
        self.rates.get(&month).copied().unwrap_or(self.default_rate)
    }

    /// The price of `billing_item` offered as `offering` for a record whose attribute values
    /// `attribute` returns (`region` included).
    pub fn price_for<'a>(
        &self,
        billing_item: &str,
        offering: Offering,
        attribute: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<&Price, PriceLookupError> {
        self.price_index_for(billing_item, offering, attribute)
            .map(|idx| &self.prices[idx])
    }

    /// Like [`price_for`](Self::price_for), returning the price's index in [`Catalog::prices`].
    pub fn price_index_for<'a>(
        &self,
        billing_item: &str,
        offering: Offering,
        attribute: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<usize, PriceLookupError> {
        if !self.items.contains_key(billing_item) {
            return Err(PriceLookupError::UnknownBillingItem(
                billing_item.to_owned(),
            ));
        }
        let table = self
            .tables
            .get(&(billing_item.to_owned(), offering))
            .ok_or_else(|| PriceLookupError::NoPrices {
                billing_item: billing_item.to_owned(),
                offering: offering.as_str(),
            })?;
        let mut values = Vec::with_capacity(table.keys.len());
        for key in &table.keys {
            let value = attribute(key).ok_or_else(|| PriceLookupError::MissingAttribute {
                billing_item: billing_item.to_owned(),
                attribute: key.clone(),
            })?;
            values.push(value.to_owned());
        }
        table
            .by_values
            .get(&values)
            .copied()
            .ok_or_else(|| PriceLookupError::NoMatch {
                billing_item: billing_item.to_owned(),
                offering: offering.as_str(),
                values: table
                    .keys
                    .iter()
                    .zip(&values)
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(","),
            })
    }

    /// The attribute keys prices of this item and offering are keyed by.
    pub fn price_keys(&self, billing_item: &str, offering: Offering) -> Option<&[String]> {
        self.tables
            .get(&(billing_item.to_owned(), offering))
            .map(|table| table.keys.as_slice())
    }
}

fn build_price(
    issues: &mut Issues,
    location: &str,
    raw: &PriceSource,
    billing_items: &[BillingItem],
    items: &HashMap<String, usize>,
    published: NaiveDate,
) -> Option<Price> {
    let before = issues.0.len();
    let item = items.get(&raw.billing_item).map(|idx| &billing_items[*idx]);
    if item.is_none() {
        issues.add(
            location,
            format!("unknown billing item {:?}", raw.billing_item),
        );
    }
    let offering = raw.offering.parse::<Offering>().ok();
    if offering.is_none() {
        issues.add(
            location,
            format!("unknown offering {:?} (PG, PP or PS)", raw.offering),
        );
    }
    let model = raw.price_model.parse::<PriceModel>().ok();
    if model.is_none() {
        issues.add(
            location,
            format!("unknown price_model {:?} (FLAT or TIERED)", raw.price_model),
        );
    }
    let unit = raw.price_unit.parse::<PriceUnit>().ok();
    if unit.is_none() {
        issues.add(location, format!("unknown price_unit {:?}", raw.price_unit));
    }
    if raw.currency != "KRW" {
        issues.add(
            location,
            format!("currency must be KRW, not {:?}", raw.currency),
        );
    }
    let proration = raw.proration_rule.parse::<ProrationRule>().ok();
    if proration.is_none() {
        issues.add(
            location,
            format!(
                "unknown proration_rule {:?} (PRORATION or NONE)",
                raw.proration_rule
            ),
        );
    }
    let rule = raw.rounding_rule.parse::<RoundingRule>().ok();
    if rule.is_none() {
        issues.add(
            location,
            format!("unknown rounding_rule {:?}", raw.rounding_rule),
        );
    }
    let rounding = rule.and_then(|rule| {
        u32::try_from(raw.rounding_position)
            .ok()
            .and_then(|position| Rounding::new(rule, position))
    });
    if rule.is_some() && rounding.is_none() {
        issues.add(
            location,
            format!(
                "rounding_position must be 0..={} (bills keep 3 decimals)",
                Rounding::MAX_POSITION
            ),
        );
    }
    if let (Some(item), Some(unit)) = (item, unit) {
        if unit.conversion(item.usage_unit).is_none() {
            issues.add(
                location,
                format!(
                    "a price per {} cannot rate usage in {}",
                    unit.as_str(),
                    item.usage_unit.as_str()
                ),
            );
        }
    }
    let mut tiers = Vec::new();
    for (idx, (start, end, unit_price, base_price)) in raw.tiers.iter().enumerate() {
        let tier_location = format!("{location} tier {idx}");
        let start = issues.decimal(&tier_location, start);
        let end = match end {
            Some(end) => issues.decimal(&tier_location, end).map(Some),
            None => Some(None),
        };
        let unit_price = issues.decimal(&tier_location, unit_price);
        let base_price = issues.decimal(&tier_location, base_price);
        if let (Some(start), Some(end), Some(unit_price), Some(base_price)) =
            (start, end, unit_price, base_price)
        {
            tiers.push(Tier {
                start,
                end,
                unit_price,
                base_price,
            });
        }
    }
    let tiers = model.and_then(|model| match Tiers::new(model, tiers) {
        Ok(tiers) => Some(tiers),
        Err(errors) => {
            for error in errors {
                issues.add(location, error.to_string());
            }
            None
        }
    });
    if issues.0.len() > before {
        return None;
    }
    let (item, offering, model, unit, proration, rounding, tiers) = (
        item?, offering?, model?, unit?, proration?, rounding?, tiers?,
    );
    Some(Price {
        id: price_id(&item.id, offering, &raw.attributes),
        billing_item_id: item.id.clone(),
        offering,
        attributes: raw.attributes.clone(),
        rule: RatingRule {
            model,
            unit,
            tiers,
            proration,
            rounding,
        },
        currency_code: "KRW".into(),
        created_at: published,
        derived: false,
    })
}

/// `BILLING_ITEM:OFFERING:key=value,…`.
fn price_id(
    billing_item: &str,
    offering: Offering,
    attributes: &BTreeMap<String, String>,
) -> String {
    let values: Vec<String> = attributes
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    format!("{billing_item}:{}:{}", offering.as_str(), values.join(","))
}

/// PP prices for planned compute services, from each PG price and contract discount:
/// `unit_price × (100 − discount) / 100`, half-up to 2 decimals. Listed PP prices win.
fn derive_planned_compute_prices(
    services: &[Service],
    billing_items: &[BillingItem],
    contract_types: &[ContractType],
    listed: &[Price],
) -> Vec<Price> {
    let covered: HashSet<&str> = services
        .iter()
        .filter(|s| s.planned_compute)
        .map(|s| s.id.as_str())
        .collect();
    let existing: HashSet<&str> = listed.iter().map(|price| price.id.as_str()).collect();
    let mut derived = Vec::new();
    for price in listed
        .iter()
        .filter(|price| price.offering == Offering::PayAsYouGo)
    {
        let Some(item) = billing_items
            .iter()
            .find(|item| item.id == price.billing_item_id)
        else {
            continue;
        };
        if !covered.contains(item.service_id.as_str()) {
            continue;
        }
        for contract in contract_types {
            let mut attributes = price.attributes.clone();
            attributes.insert("contract_type".into(), contract.code.clone());
            let id = price_id(&item.id, Offering::PlannedCompute, &attributes);
            if existing.contains(id.as_str()) {
                continue;
            }
            let factor = (Decimal::ONE_HUNDRED - contract.discount_percent) / Decimal::ONE_HUNDRED;
            let discounted = |amount: Decimal| {
                (amount * factor).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            };
            let tiers: Vec<Tier> = price
                .rule
                .tiers
                .as_slice()
                .iter()
                .map(|tier| Tier {
                    unit_price: discounted(tier.unit_price),
                    base_price: discounted(tier.base_price),
                    ..*tier
                })
                .collect();
            let Ok(tiers) = Tiers::new(price.rule.model, tiers) else {
                continue;
            };
            derived.push(Price {
                id,
                offering: Offering::PlannedCompute,
                attributes,
                rule: RatingRule {
                    tiers,
                    ..price.rule.clone()
                },
                derived: true,
                ..price.clone()
            });
        }
    }
    derived
}

fn index_prices(issues: &mut Issues, prices: &[Price]) -> HashMap<(String, Offering), PriceTable> {
    let mut tables: HashMap<(String, Offering), PriceTable> = HashMap::new();
    for (idx, price) in prices.iter().enumerate() {
        let keys: Vec<String> = price.attributes.keys().cloned().collect();
        let table = tables
            .entry((price.billing_item_id.clone(), price.offering))
            .or_insert_with(|| PriceTable {
                keys: keys.clone(),
                by_values: HashMap::new(),
            });
        let location = format!("price {}", price.id);
        if table.keys != keys {
            issues.add(
                &location,
                format!(
                    "{} {} prices must all be keyed by the same attributes ({}), not ({})",
                    price.billing_item_id,
                    price.offering.as_str(),
                    table.keys.join(", "),
                    keys.join(", ")
                ),
            );
            continue;
        }
        let values: Vec<String> = price.attributes.values().cloned().collect();
        if table.by_values.insert(values, idx).is_some() {
            issues.add(&location, "defined twice for the same attributes");
        }
    }
    tables
}

/// Every billing item needs a price, and every server type × OS of a compute service a PG
/// price for billing items keyed by both.
fn check_compute_coverage(
    issues: &mut Issues,
    source: &CatalogSource,
    billing_items: &[BillingItem],
    tables: &HashMap<(String, Offering), PriceTable>,
) {
    for item in billing_items {
        if !tables.keys().any(|(priced, _)| priced == &item.id) {
            issues.add(format!("billing_items[{}]", item.id), "has no price");
            continue;
        }
        let Some(table) = tables.get(&(item.id.clone(), Offering::PayAsYouGo)) else {
            continue;
        };
        if table.keys != ["os_type", "server_type"] {
            continue;
        }
        for server_type in source
            .server_types
            .iter()
            .filter(|s| s.service_id == item.service_id)
        {
            for os in source
                .os_types
                .iter()
                .filter(|o| o.services.contains(&item.service_id))
            {
                let values = vec![os.id.clone(), server_type.id.clone()];
                if !table.by_values.contains_key(&values) {
                    issues.add(
                        format!("billing_items[{}]", item.id),
                        format!(
                            "no PG price for server_type {} with os_type {}",
                            server_type.id, os.id
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(
        item: &str,
        offering: &str,
        attributes: &[(&str, &str)],
        tiers: Vec<(&str, Option<&str>, &str)>,
    ) -> PriceSource {
        PriceSource {
            billing_item: item.into(),
            offering: offering.into(),
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            price_model: if tiers.len() > 1 {
                "TIERED".into()
            } else {
                "FLAT".into()
            },
            price_unit: "HOUR".into(),
            currency: "KRW".into(),
            proration_rule: "PRORATION".into(),
            rounding_rule: "HALF_UP".into(),
            rounding_position: 3,
            tiers: tiers
                .into_iter()
                .map(|(start, end, unit)| {
                    (
                        start.to_owned(),
                        end.map(str::to_owned),
                        unit.to_owned(),
                        "0".to_owned(),
                    )
                })
                .collect(),
        }
    }

    fn source() -> CatalogSource {
        CatalogSource {
            version: "test".into(),
            published: "2026-11-01".into(),
            default_usd_rate: "1380".into(),
            usd_rates: vec![("2026-10".into(), "1400".into())],
            regions: vec![("kr-west1".into(), "Korea West 1".into())],
            services: vec![Service {
                id: "VIRTUAL_SERVER".into(),
                display_name: "Virtual Server".into(),
                category: "COMPUTE".into(),
                planned_compute: true,
            }],
            server_types: vec![ServerType {
                id: "s1v1m2".into(),
                service_id: "VIRTUAL_SERVER".into(),
                family: "s1".into(),
                core: 1,
                memory_gb: 2,
                gpu_name: None,
                description: String::new(),
            }],
            os_types: vec![OsType {
                id: "OPEN_SOURCE".into(),
                value: "opensource".into(),
                display_name: "Open Source".into(),
                services: vec!["VIRTUAL_SERVER".into()],
            }],
            contract_types: vec![("01".into(), "1-year".into(), 1, "30".into())],
            billing_items: vec![(
                BillingItem {
                    id: "VIRTUAL_SERVER".into(),
                    display_name: "Virtual Server".into(),
                    service_id: "VIRTUAL_SERVER".into(),
                    category: "COMPUTE".into(),
                    ccbs_product_code: "PD00013862".into(),
                    usage_unit: UsageUnit::Hour,
                    bill_component: ChargeComponent::Asset,
                },
                "HOUR".into(),
                "asset".into(),
            )],
            prices: vec![price(
                "VIRTUAL_SERVER",
                "PG",
                &[("server_type", "s1v1m2"), ("os_type", "OPEN_SOURCE")],
                vec![("0", None, "22.60")],
            )],
        }
    }

    #[test]
    fn a_consistent_catalogue_builds_and_derives_planned_compute_prices() {
        let catalog = Catalog::build(source()).unwrap();
        let attributes = |key: &str| match key {
            "server_type" => Some("s1v1m2"),
            "os_type" => Some("OPEN_SOURCE"),
            "contract_type" => Some("01"),
            _ => None,
        };
        let pg = catalog
            .price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, attributes)
            .unwrap();
        assert_eq!(
            pg.id,
            "VIRTUAL_SERVER:PG:os_type=OPEN_SOURCE,server_type=s1v1m2"
        );
        let pp = catalog
            .price_for("VIRTUAL_SERVER", Offering::PlannedCompute, attributes)
            .unwrap();
        assert!(pp.derived);
        assert_eq!(
            pp.rule.tiers.as_slice()[0].unit_price,
            "15.82".parse().unwrap()
        ); // 22.60 × 0.70
        assert_eq!(
            catalog.usd_rate("2026-10".parse().unwrap()).krw_per_usd(),
            Decimal::from(1400)
        );
        assert_eq!(
            catalog.usd_rate("2026-11".parse().unwrap()).krw_per_usd(),
            Decimal::from(1380)
        );
    }

    #[test]
    fn lookups_explain_what_is_missing() {
        let catalog = Catalog::build(source()).unwrap();
        let none = |_: &str| None;
        assert!(matches!(
            catalog.price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, none),
            Err(PriceLookupError::MissingAttribute { .. })
        ));
        let other = |key: &str| {
            if key == "server_type" {
                Some("x9")
            } else {
                Some("OPEN_SOURCE")
            }
        };
        assert!(matches!(
            catalog.price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, other),
            Err(PriceLookupError::NoMatch { .. })
        ));
        assert!(matches!(
            catalog.price_for("NOPE", Offering::PayAsYouGo, none),
            Err(PriceLookupError::UnknownBillingItem(_))
        ));
        assert!(matches!(
            catalog.price_for("VIRTUAL_SERVER", Offering::Subscription, none),
            Err(PriceLookupError::NoPrices { .. })
        ));
    }

    #[test]
    fn every_inconsistency_is_reported() {
        let mut broken = source();
        broken.services.push(broken.services[0].clone());
        broken.server_types[0].service_id = "NOPE".into();
        broken.default_usd_rate = "0".into();
        broken.prices.push(price(
            "VIRTUAL_SERVER",
            "PG",
            &[("server_type", "s1v1m2")],
            vec![("0", Some("5"), "1"), ("6", None, "1")],
        ));
        broken
            .prices
            .push(price("MISSING", "XX", &[], vec![("0", None, "1")]));
        broken.prices.push(price(
            "VIRTUAL_SERVER",
            "PG",
            &[("server_type", "s9"), ("os_type", "OPEN_SOURCE")],
            vec![("0", None, "1")],
        ));
        broken.prices[0].rounding_position = 8;
        let issues = Catalog::build(broken).unwrap_err();
        let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
        let has = |needle: &str| text.iter().any(|line| line.contains(needle));
        assert!(has("services[VIRTUAL_SERVER]: defined twice"), "{text:#?}");
        assert!(has("unknown service NOPE"), "{text:#?}");
        assert!(has("default_usd_rate: must be positive"), "{text:#?}");
        assert!(has("leave a gap"), "{text:#?}");
        assert!(has("unknown billing item \"MISSING\""), "{text:#?}");
        assert!(has("unknown offering \"XX\""), "{text:#?}");
        assert!(has("unknown server_type \"s9\""), "{text:#?}");
        assert!(has("rounding_position must be 0..=3"), "{text:#?}");
    }

    #[test]
    fn every_server_type_and_os_needs_a_pay_as_you_go_price() {
        let mut incomplete = source();
        let mut bigger = incomplete.server_types[0].clone();
        bigger.id = "s1v2m4".into();
        incomplete.server_types.push(bigger);
        let issues = Catalog::build(incomplete).unwrap_err();
        assert_eq!(
            issues.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["billing_items[VIRTUAL_SERVER]: no PG price for server_type s1v2m4 with os_type OPEN_SOURCE"]
        );
    }

    #[test]
    fn prices_of_one_table_share_their_attribute_keys() {
        let mut mixed = source();
        mixed.prices.push(price(
            "VIRTUAL_SERVER",
            "PG",
            &[("region", "kr-west1")],
            vec![("0", None, "1")],
        ));
        let issues = Catalog::build(mixed).unwrap_err();
        assert!(
            issues
                .iter()
                .any(|issue| issue.message.contains("keyed by the same attributes")),
            "{issues:#?}"
        );
    }
}
