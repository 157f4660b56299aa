//! Checking a [`CatalogSource`] and building the [`Catalog`], every problem reported at once.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::component::ChargeComponent;
use crate::money::ExchangeRate;
use crate::month::YearMonth;
use crate::rating::{PriceModel, PriceUnit, ProrationRule, RatingRule, Tier, Tiers, UsageUnit};
use crate::rounding::{Rounding, RoundingRule};

use super::derive::{derive_planned_compute_prices, price_id};
use super::index::{index_prices, PriceTable};
use super::model::*;
use super::source::{CatalogIssue, CatalogSource, Issues, PriceSource};
use super::Catalog;

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
