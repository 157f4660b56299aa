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
//!
//! The module's files: [`model`] (what a catalogue holds), [`source`] (the file's text
//! values and the problems found in them), `build` (checking a source and building the
//! catalogue), `derive` (planned compute prices), `index` (the price tables that make a
//! lookup exact), `checks` (a client's value must name something the catalogue holds); this file holds the [`Catalog`] and its lookups.

mod build;
mod checks;
mod derive;
mod index;
pub mod model;
pub mod source;
#[cfg(test)]
mod tests;

pub use checks::FALLBACK_REGION;
pub use model::{
    BillingItem, ContractType, Offering, OsType, Price, PriceSortField, Region, ServerType,
    Service, BILLABLE_COMPONENTS,
};
pub use source::{CatalogIssue, CatalogSource, PriceSource};

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::money::ExchangeRate;
use crate::month::YearMonth;
use index::PriceTable;

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

/// A validated catalogue.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Version label.
    pub version: String,
    /// Publication date.
    pub published: NaiveDate,
    pub(in crate::catalog) default_rate: ExchangeRate,
    pub(in crate::catalog) rates: BTreeMap<YearMonth, ExchangeRate>,
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
    pub(in crate::catalog) tables: HashMap<(String, Offering), PriceTable>,
    pub(in crate::catalog) items: HashMap<String, usize>,
}

impl Catalog {
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
