//! Pricing service (`/v1/reports/*`): BillingItemIdsResponse, OfferingResponse,
//! ReportPriceResponse, ReportPriceDTO and PriceRangeDto.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `GET /v1/reports/billing-item-ids` (ListBillingItemIds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingItemIdsResponse {
    /// List of all billing item IDs.
    pub billing_item_ids: Vec<String>,
}

/// `GET /v1/reports/offerings` (ListOffering).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferingResponse {
    /// List of offering types: PS (subscription), PP (planned compute), PG (pay as you go).
    pub offerings: Vec<String>,
}

/// One tier of a price: `[range_start, range_end)`, decimal strings with 8 decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceRangeDto {
    /// Base price for this range, charged once when usage enters it.
    pub base_price: String,
    /// Range end value. null means +Infinity.
    pub range_end: Option<String>,
    /// Range start value. null means -Infinity.
    pub range_start: Option<String>,
    /// Unit price for this range.
    pub unit_price: String,
}

/// One price of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReportPriceDTO))]
pub struct ReportPriceDto {
    /// Price attributes: the values this price applies to (server_type, os_type…).
    pub attributes: BTreeMap<String, String>,
    /// Billing Item ID.
    pub billing_item_id: String,
    /// Currency code (KRW).
    pub currency_code: String,
    /// Offering type (PP/PS/PG).
    pub offering: String,
    /// Price model enum name: FLAT or TIERED.
    pub price_model: String,
    /// Price unit enum name: HOUR, MONTH, GB_HOUR, GB_MONTH, GB or COUNT.
    pub price_unit: String,
    /// Price ranges (tiers).
    pub prices: Vec<PriceRangeDto>,
    /// Proration rule enum name: PRORATION or NONE.
    pub proration_rule: String,
    /// Rounding position: decimal places kept.
    pub rounding_position: i64,
    /// Rounding rule enum name: ROUND_DOWN, ROUND_UP, HALF_UP, HALF_DOWN, HALF_EVEN, CEILING, FLOOR.
    pub rounding_rule: String,
}

/// `GET /v1/reports/prices` (ListReportPrice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPriceResponse {
    /// Number of prices matching the filters, over all pages.
    pub count: i64,
    /// This page, from 0.
    pub page: i64,
    /// List of matching prices.
    pub prices: Vec<ReportPriceDto>,
    /// Page size.
    pub size: i64,
    /// The sort applied.
    pub sort: Option<Vec<String>>,
    /// Number of pages.
    pub total_pages: i64,
}

/// Query of `GET /v1/reports/prices`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PriceListQuery {
    /// size (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// page, from 0 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    /// sort: `field:asc|desc`; fields created_at, billing_item_id, offering, price_unit,
    /// price_model (default `billing_item_id:asc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Filter by billing item ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_item_id: Option<String>,
    /// Filter by offering type (PS/PP/PG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offering: Option<String>,
}
