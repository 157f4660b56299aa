//! scpfm's extensions of the Budget service (SCP documents none of them): where each budget
//! stands and what it has mailed (`GET /v1/budgets/account/{budget_id}/status`,
//! `GET /v1/budgets/status`), and whether the account may create a resource now
//! (`GET /v1/budgets/creation-check`). Read-only; amounts are KRW decimal strings.

use serde::{Deserialize, Serialize};

/// Response of `GET /v1/budgets/account/{budget_id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetStatusResponse {
    /// The budget's standing.
    pub status: BudgetStatus,
}

/// Response of `GET /v1/budgets/status`: every budget of the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetStatusListResponse {
    /// Each budget's standing, oldest budget first.
    pub budgets: Vec<BudgetStatus>,
    /// Number of budgets.
    pub count: i64,
    /// True when a budget prevents creating Compute and Database resources now.
    pub creation_prevented: bool,
}

/// Where a budget stands in its current period, and what it has notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetStatus {
    /// Budget id.
    pub budget_id: String,
    /// Budget name.
    pub name: String,
    /// MONTHLY or OVERALL.
    pub unit: String,
    /// Budget amount (KRW).
    pub amount: i64,
    /// The period measured now; null before the start month.
    pub period: Option<BudgetPeriodView>,
    /// The period's cost so far: the account's bills after discounts (KRW, 3 decimals).
    #[cfg_attr(feature = "openapi", schema(example = "812345.123"))]
    pub cost: String,
    /// Cost as a percentage of the amount (2 decimals, rounded down).
    #[cfg_attr(feature = "openapi", schema(example = "81.23"))]
    pub percent: String,
    /// The period's cost at the end of the month at the current run-rate (whole KRW); null
    /// in a month's first hour and before the start month.
    pub forecast: Option<String>,
    /// The forecast as a percentage of the amount.
    pub forecast_percent: Option<String>,
    /// Notification settings and each threshold's state.
    pub notifications: NotificationStatus,
    /// Creation prevention and its state.
    pub prevention: PreventionStatus,
    /// When the evaluator last evaluated the budget (KST); null if it has not yet.
    pub evaluated_at: Option<String>,
    /// The newest notification with receivers, and what became of its mail.
    pub last_mail: Option<NotificationView>,
    /// The newest notifications (at most 10), newest first.
    pub history: Vec<NotificationView>,
}

/// A budget period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetPeriodView {
    /// Identifies the period: the month (MONTHLY) or `START~` (OVERALL).
    #[cfg_attr(feature = "openapi", schema(example = "2026-11"))]
    pub key: String,
    /// First month measured.
    pub start_month: String,
    /// Last month measured (the current month, KST).
    pub end_month: String,
}

/// Threshold notification settings and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationStatus {
    /// Notification use state.
    pub is_use_notification: bool,
    /// FIRST, DAILY or NONE.
    pub notification_send_period: String,
    /// Each threshold: reached now or not, and when it was last notified this period.
    pub thresholds: Vec<ThresholdStatus>,
}

/// One notification threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThresholdStatus {
    /// The percentage.
    pub threshold: i64,
    /// Whether the period's cost has reached it.
    pub reached: bool,
    /// When it was last notified in this period (KST), if it was.
    pub notified_at: Option<String>,
}

/// Creation prevention settings and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreventionStatus {
    /// Auto Generation prevent use state.
    pub is_use_prevention: bool,
    /// The prevention threshold.
    pub threshold: i64,
    /// `OFF` (prevention not used), `ALLOWED` (threshold not reached) or `PREVENTED`.
    #[cfg_attr(feature = "openapi", schema(example = "PREVENTED"))]
    pub state: String,
    /// Since when creation has been prevented (KST), as the evaluator recorded it.
    pub since: Option<String>,
}

/// A recorded notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    /// THRESHOLD (FIRST), DAILY, RECORDED (NONE: not mailed) or PREVENTION.
    pub kind: String,
    /// The budget period.
    pub period: String,
    /// The threshold reached.
    pub threshold: i64,
    /// The period's cost then (KRW).
    pub cost: String,
    /// Its percentage of the amount then.
    pub percent: String,
    /// Who is mailed (empty: recorded only).
    pub receivers: Vec<String>,
    /// When it was recorded (KST).
    pub recorded_at: String,
    /// Mails accepted by the SMTP server.
    pub mails_sent: i64,
    /// Mails waiting for (another) attempt.
    pub mails_pending: i64,
    /// Mails given up.
    pub mails_failed: i64,
    /// When the last of its mails was sent (KST).
    pub sent_at: Option<String>,
}

/// Query of `GET /v1/budgets/creation-check`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CreationCheckQuery {
    /// The service of the resource to create, e.g. `VIRTUAL_SERVER`. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
}

/// Response of `GET /v1/budgets/creation-check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreationCheckResponse {
    /// The caller's account.
    pub account_id: String,
    /// The service asked about.
    pub service_id: String,
    /// Its service category (prevention covers COMPUTE and DATABASE).
    pub service_category: String,
    /// Whether the account may create a resource of the service now.
    pub allowed: bool,
    /// The budgets preventing it (empty when allowed).
    pub prevented_by: Vec<PreventingBudget>,
}

/// A budget that prevents creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreventingBudget {
    /// Budget id.
    pub budget_id: String,
    /// Budget name.
    pub name: String,
    /// The period it measures.
    pub period: String,
    /// The period's cost as a percentage of the amount.
    pub percent: String,
    /// The prevention threshold.
    pub threshold: i64,
}
