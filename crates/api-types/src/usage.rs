//! Usage: the admin ingestion body (scpfm's own) and CostExplorer's ListUsages.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::common::{Amount, Link};

/// A decimal number as text. Accepts a JSON string (`"0.5"`) or an integer (`3`); JSON
/// fractions are refused, since they would arrive as binary floats and lose precision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct DecimalText(pub String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;

        impl Visitor<'_> for DecimalVisitor {
            type Value = DecimalText;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a decimal string such as \"0.5\", or an integer")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<DecimalText, E> {
                Ok(DecimalText(value.to_owned()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<DecimalText, E> {
                Ok(DecimalText(value.to_string()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<DecimalText, E> {
                Ok(DecimalText(value.to_string()))
            }
        }

        deserializer.deserialize_any(DecimalVisitor)
    }
}

/// One usage record sent to `POST /v1/admin/usage-records` or `scpfm import usage`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UsageRecordInput {
    /// The client's id for this record (1–128 characters); sending it again is a no-op.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    /// The account that used it (32 hex characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The resource's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// The resource's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// Billing item id (see `GET /v1/reports/billing-item-ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_item_id: Option<String>,
    /// Region, e.g. `kr-west1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Attributes the item's prices are keyed by, e.g. `{"server_type": "s1v1m2", "os_type": "OPEN_SOURCE"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, String>>,
    /// Start of the period: RFC 3339 (`2026-11-01T00:00:00+09:00`), or without offset for KST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<String>,
    /// End of the period (exclusive), same formats; within the KST month of the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// How much, in `unit`: a decimal string or an integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<DecimalText>,
    /// The billing item's usage unit: HOUR, GB_HOUR, GB, COUNT or MONTH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Tags, e.g. `{"team": "web", "env": "prod"}`: at most 50, keys of 1–128 and values of
    /// 0–256 letters, digits, spaces and `_ . : / = + - @` (no `=` in keys). In a CSV file,
    /// the `tags` column: `team=web;env=prod`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}

/// What an ingestion did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageIngestResponse {
    /// Records in the request.
    pub received: u64,
    /// Records stored now.
    pub stored: u64,
    /// Records already stored before, or repeated in the request (no-ops).
    pub duplicates: u64,
    /// Sum of the amounts stored now.
    pub amount: Amount,
}

/// Query of `GET /v1/usages` (ListUsages). Array parameters repeat their name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UsageListQuery {
    /// Start date (YYYY-MM-dd, KST), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// End date (YYYY-MM-dd, KST), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// `true` to include the total `count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_count: Option<String>,
    /// Page size (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Id of the last usage already seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `usage_date:asc|desc` (default) or `created_at:asc|desc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Account Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Vec<String>>,
    /// Service Category (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_category: Option<Vec<String>>,
    /// Billing Item Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_item_id: Option<Vec<String>>,
    /// Resource Name (exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// Region (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Vec<String>>,
    /// Contract Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// CCBS Order Status (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_status: Option<Vec<String>>,
}

/// One usage record (UsageResponse), plus scpfm's `resource_name`, `region`, `quantity`, `unit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageResponse {
    /// Usages Id.
    pub id: String,
    /// Account Id.
    pub account_id: String,
    /// Service Category.
    pub service_category: String,
    /// Billing Item Id.
    pub billing_item_id: String,
    /// CCBS Product Code.
    pub ccbs_product_code: String,
    /// Resource Id.
    pub resource_id: String,
    /// Contract Id of the planned compute that covered it; left out when none did (the model
    /// types it `string`, not nullable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// CCBS Order Status.
    pub order_status: String,
    /// Usage date: the period start, KST.
    pub usage_date: String,
    /// Amount, 10 decimals.
    pub amounts: Amount,
    /// Usage status code.
    pub status_code: i64,
    /// Resource name (scpfm).
    pub resource_name: String,
    /// Region (scpfm).
    pub region: String,
    /// Quantity (scpfm).
    pub quantity: String,
    /// Usage unit (scpfm).
    pub unit: String,
}

/// Response of ListUsages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageListResponse {
    /// Always `Asia/Seoul`.
    pub timezone: String,
    /// Total count, with `with_count=true`.
    pub count: Option<i64>,
    /// `self`, and `next` when more usages follow.
    pub links: Vec<Link>,
    /// This page.
    pub usages: Vec<UsageResponse>,
}
