//! Cost analysis on the wire: `GET /v1/cost-and-usage`, its forecast and the FOCUS export's
//! query. scpfm's own operations (SCP has no such API): shaped like SCP's listings — snake
//! case, amounts as `{"krw", "usd"}` decimal strings, `limit`/`marker` paging.

use serde::{Deserialize, Serialize};

use crate::common::{Amount, Link};

/// Query of `GET /v1/cost-and-usage`. Array parameters repeat their name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CostAndUsageQuery {
    /// First KST date (YYYY-MM-DD), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Last KST date (YYYY-MM-DD), inclusive: at most 13 months after `start_date` (14 days
    /// for `HOURLY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// `HOURLY`, `DAILY` or `MONTHLY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granularity: Option<String>,
    /// Up to two of `ACCOUNT`, `SERVICE_CATEGORY`, `BILLING_ITEM`, `REGION`, `RESOURCE`,
    /// `OFFERING`, `CONTRACT`, `TAG:<key>` (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<Vec<String>>,
    /// `LIST_COST`, `DISCOUNT`, `NET_COST` (default), `USAGE_QUANTITY` (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Vec<String>>,
    /// Account Id (repeatable): the caller's, or its members' for a payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Vec<String>>,
    /// Service Category (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_category: Option<Vec<String>>,
    /// Billing Item Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_item_id: Option<Vec<String>>,
    /// Region (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Vec<String>>,
    /// Resource Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<Vec<String>>,
    /// Tag `key=value` (repeatable; every one must match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Vec<String>>,
    /// Offering `PS`, `PP` or `PG` (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offering: Option<Vec<String>>,
    /// Groups per page (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// The `next` link's marker: where the next page of groups starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// Query of `GET /v1/cost-and-usage/forecast`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CostForecastQuery {
    /// First KST date forecast (YYYY-MM-DD): today or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Last KST date forecast, inclusive (at most 13 months after `start_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// `DAILY` or `MONTHLY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granularity: Option<String>,
    /// One dimension, as for cost and usage (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<Vec<String>>,
    /// Account Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Vec<String>>,
    /// Service Category (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_category: Option<Vec<String>>,
    /// Billing Item Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_item_id: Option<Vec<String>>,
    /// Region (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Vec<String>>,
    /// Resource Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<Vec<String>>,
    /// Tag `key=value` (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Vec<String>>,
    /// Offering (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offering: Option<Vec<String>>,
}

/// Query of `GET /v1/exports/focus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct FocusExportQuery {
    /// The closed billing period (YYYY-MM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_period: Option<String>,
    /// `1.2` (default) or `1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus_version: Option<String>,
    /// Account Id (repeatable): the caller's, or its members' for a payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Vec<String>>,
}

/// A quantity and its unit (`MIXED` when a group sums several units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quantity {
    /// The quantity, a decimal string.
    pub amount: String,
    /// `HOUR`, `GB_HOUR`, `GB`, `COUNT`, `MONTH`, `MIXED`, or empty without usage.
    pub unit: String,
}

/// The metrics asked for, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metrics {
    /// Charges before discounts.
    #[serde(rename = "LIST_COST", default, skip_serializing_if = "Option::is_none")]
    pub list_cost: Option<Amount>,
    /// Discounts, savings and credits.
    #[serde(rename = "DISCOUNT", default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Amount>,
    /// What the bills charge (ListBills' `amounts`).
    #[serde(rename = "NET_COST", default, skip_serializing_if = "Option::is_none")]
    pub net_cost: Option<Amount>,
    /// Usage quantity.
    #[serde(
        rename = "USAGE_QUANTITY",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub usage_quantity: Option<Quantity>,
}

/// One group of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostGroup {
    /// The group's value per `group_by` dimension (`""`: without the tag or contract).
    pub keys: Vec<String>,
    /// Its metrics.
    pub metrics: Metrics,
}

/// One period of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostPeriod {
    /// First instant (KST, ISO 8601).
    pub period_start: String,
    /// The instant after the period (KST, ISO 8601).
    pub period_end: String,
    /// The page's groups, by `NET_COST` over the window, largest first.
    pub groups: Vec<CostGroup>,
    /// The period's total over every group.
    pub total: Metrics,
}

/// Answer of `GET /v1/cost-and-usage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostAndUsageResponse {
    /// `HOURLY`, `DAILY` or `MONTHLY`.
    pub granularity: String,
    /// The dimensions.
    pub group_by: Vec<String>,
    /// Groups in the whole answer (every page).
    pub count: i64,
    /// `self`, and `next` when more groups follow.
    pub links: Vec<Link>,
    /// Every period of the window, in order.
    pub results: Vec<CostPeriod>,
}

/// A forecast with its 80 % prediction interval (KRW).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prediction {
    /// The expected `NET_COST`.
    pub mean: String,
    /// The interval's lower end.
    pub lower: String,
    /// The interval's upper end.
    pub upper: String,
}

/// One group's forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastGroup {
    /// The group's value of the dimension.
    pub keys: Vec<String>,
    /// Its forecast.
    pub net_cost: Prediction,
}

/// One period's forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastPeriod {
    /// First instant forecast (KST, ISO 8601).
    pub period_start: String,
    /// The instant after it.
    pub period_end: String,
    /// Each group's forecast, largest first.
    pub groups: Vec<ForecastGroup>,
    /// The total's forecast.
    pub total: Prediction,
}

/// Answer of `GET /v1/cost-and-usage/forecast`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostForecastResponse {
    /// `DAILY` or `MONTHLY`.
    pub granularity: String,
    /// The dimension, if any.
    pub group_by: Vec<String>,
    /// The currency of every amount (`KRW`).
    pub currency: String,
    /// How the forecast is made.
    pub method: String,
    /// Every period, in order.
    pub results: Vec<ForecastPeriod>,
}
