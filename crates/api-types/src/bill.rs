//! CostExplorer's bills (ListBills) and monthly payments (GetPaymentMonthly), and the admin
//! body that loads bill adjustments (scpfm's own).

use serde::{Deserialize, Serialize};

use crate::common::{Amount, Link};
use crate::usage::DecimalText;

/// Query of `GET /v1/bills` (ListBills). Array parameters repeat their name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct BillListQuery {
    /// Start year-month (YYYY-mm), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year_month: Option<String>,
    /// End year-month (YYYY-mm), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year_month: Option<String>,
    /// `true` to include the total `count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_count: Option<String>,
    /// Page size (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Id of the last bill already seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// `bill_year_month:asc|desc` (default `bill_year_month:asc`) or `created_at:asc|desc`.
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
    /// Bill Date (YYYY-MM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_year_month: Option<String>,
    /// Billing State: `USED` (month open) or `BILLED` (month closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_state: Option<String>,
}

/// One bill line (BillResponse): an account's cost of one resource and billing item in a
/// month. `amounts` = the charges (`asset` … `planned_compute`) minus `discount_amounts`
/// (the sum of `msp_discount` … `edp`). 3 decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillResponse {
    /// Total Amounts (after discounts).
    pub amounts: Amount,
    /// Total Discount Amounts.
    pub discount_amounts: Amount,
    /// Asset amount.
    pub asset: Amount,
    /// Operation amount.
    pub operation: Amount,
    /// Option amount.
    pub option: Amount,
    /// Support Plan.
    pub support_plan: Amount,
    /// Cancellation fee (해지 수수료).
    pub cancellation_fee: Amount,
    /// Planned Compute.
    pub planned_compute: Amount,
    /// MSP discount (MSP 할인).
    pub msp_discount: Amount,
    /// New business discount (신규 사업 할인).
    pub new_business_discount: Amount,
    /// Sales (other) discount (영업(기타) 할인).
    pub sales_discount: Amount,
    /// SLA.
    pub sla_discount: Amount,
    /// Reseller discount (리셀러 할인).
    pub reseller_discount: Amount,
    /// Account Cost Savings.
    pub account_cost_savings: Amount,
    /// Project Cost Savings.
    pub project_cost_savings: Amount,
    /// Account Credit.
    pub account_credit: Amount,
    /// Project Credit.
    pub project_credit: Amount,
    /// EDP.
    pub edp: Amount,
    /// Bill Id.
    pub id: String,
    /// Account Id.
    pub account_id: String,
    /// Service Category.
    pub service_category: String,
    /// Billing Item Id.
    pub billing_item_id: String,
    /// Resource Id.
    pub resource_id: String,
    /// Resource Name.
    pub resource_name: String,
    /// Region.
    pub region: String,
    /// Contract Id.
    pub contract_id: Option<String>,
    /// CCBS Order Status.
    pub order_status: String,
    /// Bill year Month.
    pub bill_year_month: String,
    /// Billing State: `USED` or `BILLED`.
    pub bill_state: String,
}

impl BillResponse {
    /// The six charge components, before discounts.
    pub fn charges(&self) -> [&Amount; 6] {
        [
            &self.asset,
            &self.operation,
            &self.option,
            &self.support_plan,
            &self.planned_compute,
            &self.cancellation_fee,
        ]
    }
}

/// Response of ListBills (BillListResponse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillListResponse {
    /// Total count, with `with_count=true`.
    pub count: Option<i64>,
    /// `self`, and `next` when more bills follow.
    pub links: Vec<Link>,
    /// This page.
    pub bills: Vec<BillResponse>,
}

/// Query of `GET /v1/payments/monthly` (GetPaymentMonthly).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PaymentMonthlyQuery {
    /// Size (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Page, 1-based (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
}

/// One account's payment for one closed month (PaymentMonthlyFlatDataDto).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMonthlyFlatDataDto {
    /// Payer Account Id: the account billed.
    pub payer_account_id: String,
    /// Payer Account Name.
    pub payer_account_name: String,
    /// Payer Account Type: `PAYER` (pays its own and its members' bills) or `MEMBER`.
    pub payer_account_type: String,
    /// Bill year Month.
    pub bill_year_month: String,
    /// Year-Month (YYYY-mm) of the usage.
    pub used_year_month: String,
    /// Date of the last payment, if any.
    pub payment_date: Option<String>,
    /// Currency.
    pub bill_currency: String,
    /// Currency.
    pub payment_currency: String,
    /// `PAID`, `UNPAID` or `OVERDUE` (unpaid more than a month past the due date).
    pub payment_state: String,
    /// The month's bills after discounts.
    pub bill_amount: Amount,
    /// The month's charges before discounts.
    pub used_amount: Amount,
    /// Still owed for this month.
    pub unpaid_amount: Amount,
    /// Paid so far.
    pub paid_amount: Amount,
    /// Owed for this and every earlier month.
    pub accumulated_unpaid_amount: Amount,
    /// Year-Month from which the account is suspended for an overdue payment.
    pub suspended_year_month: Option<String>,
}

/// Response of GetPaymentMonthly (OrgPaymentMonthlyResponse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgPaymentMonthlyResponse {
    /// Count: every payment record of the caller (and its members).
    pub count: i64,
    /// Size.
    pub size: i64,
    /// Page (1-based).
    pub page: i64,
    /// This page.
    pub payments: Vec<PaymentMonthlyFlatDataDto>,
}

/// One adjustment sent to `POST /v1/admin/bill-adjustments` or `scpfm import adjustments`:
/// a discount, saving or credit for an account and month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdjustmentInput {
    /// The operator's id for it (1–128 characters); sending it again is a no-op.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment_id: Option<String>,
    /// The account (32 hex characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The month (YYYY-MM), open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// The component it lands in: `msp_discount`, `new_business_discount`, `sales_discount`,
    /// `sla_discount`, `reseller_discount`, `account_cost_savings`, `project_cost_savings`,
    /// `account_credit`, `project_credit` or `edp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// A percentage (0 < p ≤ 100, at most 4 decimals) of each matching line; or …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<DecimalText>,
    /// … a fixed KRW amount (> 0, at most 3 decimals), spread over the matching lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<DecimalText>,
    /// Only lines of this billing item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_item_id: Option<String>,
    /// Free text (at most 256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What loading adjustments did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustmentLoadResponse {
    /// Adjustments in the request.
    pub received: u64,
    /// Stored now.
    pub stored: u64,
    /// Stored before (no-ops).
    pub duplicates: u64,
}
