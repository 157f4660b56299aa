//! A catalogue as written in its file (every value still text), and the problems found in
//! one while it is built.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;

use super::model::{BillingItem, OsType, ServerType, Service};

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

/// Collects issues while building.
#[derive(Default)]
pub(super) struct Issues(pub(super) Vec<CatalogIssue>);

impl Issues {
    pub(super) fn add(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.0.push(CatalogIssue {
            location: location.into(),
            message: message.into(),
        });
    }

    pub(super) fn unique<'a>(
        &mut self,
        what: &str,
        ids: impl Iterator<Item = &'a str>,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                self.add(format!("{what}[{id}]"), "defined twice");
            }
        }
        seen
    }

    pub(super) fn decimal(&mut self, location: &str, text: &str) -> Option<Decimal> {
        match text.trim().parse::<Decimal>() {
            Ok(value) => Some(value),
            Err(_) => {
                self.add(location, format!("{text:?} is not a decimal number"));
                None
            }
        }
    }
}
