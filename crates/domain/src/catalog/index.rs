//! Price tables: the prices of one billing item and offering keyed by the same attributes,
//! so finding a usage record's price is one exact lookup.

use std::collections::HashMap;

use super::model::{Offering, Price};
use super::source::Issues;

/// Prices of one billing item and offering, keyed by the same attributes.
#[derive(Debug, Clone, Default)]
pub(super) struct PriceTable {
    pub(super) keys: Vec<String>,
    pub(super) by_values: HashMap<Vec<String>, usize>,
}

pub(super) fn index_prices(
    issues: &mut Issues,
    prices: &[Price],
) -> HashMap<(String, Offering), PriceTable> {
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
