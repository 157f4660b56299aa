//! The resource filters ListUsages and ListBills share: service category, billing item,
//! resource name, region, contract and order status.

use crate::db::{SqlBuilder, Value};

/// Which resources a usage or bill listing covers; empty lists and `None` do not filter.
#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    /// Any of these service categories.
    pub service_categories: Vec<String>,
    /// Any of these billing items.
    pub billing_items: Vec<String>,
    /// This resource name exactly.
    pub resource_name: Option<String>,
    /// Any of these regions.
    pub regions: Vec<String>,
    /// This contract.
    pub contract_id: Option<String>,
    /// Any of these order statuses.
    pub order_statuses: Vec<String>,
}

impl ResourceFilter {
    /// Appends ` AND …` conditions on the columns of the table aliased `table` (`s.`, or
    /// empty for an unaliased table).
    pub(crate) fn conditions<'a>(&'a self, table: &str, sql: &mut SqlBuilder<'a>) {
        for (column, list) in [
            ("service_category", &self.service_categories),
            ("billing_item_id", &self.billing_items),
            ("region", &self.regions),
            ("order_status", &self.order_statuses),
        ] {
            if !list.is_empty() {
                sql.push(" AND ");
                sql.in_list(&format!("{table}{column}"), list.iter().map(String::as_str));
            }
        }
        for (column, value) in [
            ("resource_name", &self.resource_name),
            ("contract_id", &self.contract_id),
        ] {
            if let Some(value) = value {
                sql.push(&format!(" AND {table}{column} = "));
                sql.param(Value::Text(value));
            }
        }
    }
}
