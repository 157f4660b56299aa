//! Pricing service: `/v1/reports/*` (ListBillingItemIds, ListOffering, ListReportPrice),
//! answered from the loaded catalogue.

mod billing_item_ids;
mod offerings;
mod prices;

pub use billing_item_ids::{__path_list_billing_item_ids, list_billing_item_ids};
pub use offerings::{__path_list_offerings, list_offerings};
pub use prices::{__path_list_prices, list_prices};
