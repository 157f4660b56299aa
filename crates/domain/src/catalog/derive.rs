//! Planned compute (PP) prices derived from pay-as-you-go (PG) prices and each contract
//! type's discount.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::{Decimal, RoundingStrategy};

use super::model::{BillingItem, ContractType, Offering, Price, Service};
use crate::rating::{RatingRule, Tier, Tiers};

/// PP prices for planned compute services, from each PG price and contract discount:
/// `unit_price × (100 − discount) / 100`, half-up to 2 decimals. Listed PP prices win.
pub(super) fn derive_planned_compute_prices(
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

/// `BILLING_ITEM:OFFERING:key=value,…`.
pub(super) fn price_id(
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
