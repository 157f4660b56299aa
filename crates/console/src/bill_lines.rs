//! A month's bill lines as the console holds them: the amount categories of ListBills in the
//! API's order, and each category's totals (summed exactly).

use rust_decimal::Decimal;
use scpfm_api_types::bill::BillResponse;
use scpfm_api_types::common::Amount;

/// The amount categories of a bill line, by their wire names, in the API's order.
pub const CATEGORIES: &[&str] = &[
    "amounts",
    "discount_amounts",
    "asset",
    "operation",
    "option",
    "support_plan",
    "cancellation_fee",
    "planned_compute",
    "msp_discount",
    "new_business_discount",
    "sales_discount",
    "sla_discount",
    "reseller_discount",
    "account_cost_savings",
    "project_cost_savings",
    "account_credit",
    "project_credit",
    "edp",
];

/// The line's amount of category `idx` of [`CATEGORIES`].
pub fn category(bill: &BillResponse, idx: impl std::borrow::Borrow<usize>) -> &Amount {
    let idx = *idx.borrow();
    [
        &bill.amounts,
        &bill.discount_amounts,
        &bill.asset,
        &bill.operation,
        &bill.option,
        &bill.support_plan,
        &bill.cancellation_fee,
        &bill.planned_compute,
        &bill.msp_discount,
        &bill.new_business_discount,
        &bill.sales_discount,
        &bill.sla_discount,
        &bill.reseller_discount,
        &bill.account_cost_savings,
        &bill.project_cost_savings,
        &bill.account_credit,
        &bill.project_credit,
        &bill.edp,
    ][idx.min(CATEGORIES.len() - 1)]
}

/// A month's lines and their totals per category (KRW, and USD of `amounts`).
pub struct MonthBills {
    /// The month (`YYYY-MM`).
    pub month: String,
    /// Every line.
    pub lines: Vec<BillResponse>,
    /// KRW total per category.
    pub totals: Vec<Decimal>,
    /// USD total of `amounts`.
    pub total_usd: Decimal,
}
