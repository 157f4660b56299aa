//! Budget service (`/v1/budgets/account`): BudgetCreateRequest, BudgetSetRequest,
//! BudgetAccountShowResponse, BudgetAccountPageResponse and their parts.

use serde::{Deserialize, Serialize};

/// Body of `POST /v1/budgets/account` (CreateAccountBudget).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BudgetCreateRequest {
    /// Budget amount (KRW, a positive integer). Required.
    #[cfg_attr(feature = "openapi", schema(required = true, example = 1000000))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// Budget name, 1–20 characters (Korean, English, digits, spaces, `+=.,@-_`), unique in the account. Required.
    #[cfg_attr(feature = "openapi", schema(required = true, example = "test_budget"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Notification settings for the budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<NotificationSettingNew>,
    /// Auto generation prevention settings for the budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prevention: Option<PreventionSettingNew>,
    /// Budget start month (ex.YYYY-MM). Required.
    #[cfg_attr(feature = "openapi", schema(required = true, example = "2026-01"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_month: Option<String>,
    /// Budget management unit (MONTHLY or OVERALL). Required.
    #[cfg_attr(feature = "openapi", schema(required = true, example = "MONTHLY"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Body of `PUT /v1/budgets/account/{budget_id}` (SetAccountBudget): the same fields as
/// [`BudgetCreateRequest`]. A settings object left out keeps the stored settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct BudgetSetRequest(pub BudgetCreateRequest);

/// Notification settings as sent in a request; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingNew {
    /// Notification use state (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_use_notification: Option<bool>,
    /// The notification frequency can be FIRST, DAILY, or NONE (default FIRST).
    #[cfg_attr(feature = "openapi", schema(example = "FIRST"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_send_period: Option<String>,
    /// Threshold exceed notification recipient email list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receivers: Option<Vec<String>>,
    /// Thresholds for receiving threshold exceed notification email: 70/80/90/100 (default [80]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Vec<i64>>,
}

/// Prevention settings as sent in a request; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreventionSettingNew {
    /// Auto Generation prevent use state (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_use_prevention: Option<bool>,
    /// Prevention notification recipient email list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receivers: Option<Vec<String>>,
    /// Threshold for receiving prevention notification email: 70/80/90/100 (default 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<i64>,
}

/// Declares a budget summary struct; SCP names the same fields twice (show and list).
macro_rules! budget_summary {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name {
            /// Budget amount.
            #[cfg_attr(feature = "openapi", schema(example = 1000000))]
            pub amount: i64,
            /// Created datetime (KST).
            #[cfg_attr(feature = "openapi", schema(example = "2025-11-01T00:00:00"))]
            pub created_at: String,
            /// Created user.
            pub created_by: String,
            /// Budget id.
            #[cfg_attr(feature = "openapi", schema(example = "240200fd2b02490ca63bb3965048b493"))]
            pub id: String,
            /// Modified datetime (KST).
            #[cfg_attr(feature = "openapi", schema(example = "2025-11-01T00:00:00"))]
            pub modified_at: String,
            /// Modified user.
            pub modified_by: String,
            /// Budget name.
            pub name: String,
            /// Budget start month (ex.YYYY-MM).
            #[cfg_attr(feature = "openapi", schema(example = "2025-11"))]
            pub start_month: String,
            /// Budget type (`COST`).
            #[serde(rename = "type")]
            pub budget_type: String,
            /// Budget management unit (MONTHLY or OVERALL).
            pub unit: String,
        }
    };
}

budget_summary!(
    /// The `budget` part of a show response.
    BudgetShowDetail
);
budget_summary!(
    /// One item of the budget list.
    BudgetAccountUnit
);

impl From<BudgetShowDetail> for BudgetAccountUnit {
    fn from(detail: BudgetShowDetail) -> Self {
        let BudgetShowDetail {
            amount,
            created_at,
            created_by,
            id,
            modified_at,
            modified_by,
            name,
            start_month,
            budget_type,
            unit,
        } = detail;
        Self {
            amount,
            created_at,
            created_by,
            id,
            modified_at,
            modified_by,
            name,
            start_month,
            budget_type,
            unit,
        }
    }
}

/// Notification settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSetting {
    /// Notification use state.
    pub is_use_notification: bool,
    /// The notification frequency: FIRST, DAILY or NONE.
    pub notification_send_period: String,
    /// Threshold exceed notification recipient email list.
    pub receivers: Vec<String>,
    /// Thresholds for receiving threshold exceed notification email.
    pub thresholds: Vec<i64>,
}

/// Prevention settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreventionSetting {
    /// Auto Generation prevent use state.
    pub is_use_prevention: bool,
    /// Prevention notification recipient email list.
    pub receivers: Vec<String>,
    /// Threshold for prevention: 70/80/90/100.
    pub threshold: i64,
}

/// Response of create, show and set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetAccountShowResponse {
    /// The budget.
    pub budget: BudgetShowDetail,
    /// Its notification settings.
    pub notifications: NotificationSetting,
    /// Its prevention settings.
    pub prevention: PreventionSetting,
}

/// Response of the budget list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetAccountPageResponse {
    /// This page's budgets.
    pub budgets: Vec<BudgetAccountUnit>,
    /// Number of budgets matching the filters, over all pages.
    pub count: i64,
    /// This page's number, from 0.
    pub page: i64,
    /// Page size.
    pub size: i64,
    /// The sort applied, e.g. `["created_at:desc"]`.
    pub sort: Option<Vec<String>>,
}

/// Query of `GET /v1/budgets/account` (ListAccountBudgets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct BudgetListQuery {
    /// size (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// page, counted from 0 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    /// sort: `field:asc|desc`, comma-separated; fields created_at, modified_at, name,
    /// amount, start_month, unit, id (default `created_at:desc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Budget name contains this text (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_name: Option<String>,
    /// Budget name equals this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_name: Option<String>,
}
