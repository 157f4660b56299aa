//! What a planned compute contract charges besides the usage it discounts, and the bill line
//! those charges go to: the hours it covered nothing (idle, at its PP price) and the fee of
//! cancelling it. Month close, the coverage report and the change operation all price a
//! contract here.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::bill::AMOUNT_SCALE;
use crate::catalog::Catalog;
use crate::coverage::CoverageContract;
use crate::month::{kst_date, YearMonth};
use crate::planned_compute::{
    billing_item_of, contract_seq, hourly_price, quote_cancellation, CancellationFee,
    PlannedCompute,
};

/// The service category of a contract's charges when the catalogue has no billing item for
/// its service.
pub const FALLBACK_CATEGORY: &str = "COMPUTE";

/// The bill line a contract's own charges go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractLine {
    /// The line's resource: the contract number.
    pub resource_id: String,
    /// The line's resource name.
    pub resource_name: String,
    /// The billing item of the contract's service (the service id without one).
    pub billing_item_id: String,
    /// Its service category.
    pub service_category: String,
}

impl ContractLine {
    /// The line of `contract`.
    pub fn of(catalog: &Catalog, contract: &PlannedCompute) -> Self {
        let item = billing_item_of(catalog, &contract.service_id);
        Self {
            resource_id: contract.contract_id.clone(),
            resource_name: format!("planned compute {}", contract.contract_id),
            billing_item_id: item.map_or_else(|| contract.service_id.clone(), |i| i.id.clone()),
            service_category: item
                .map_or_else(|| FALLBACK_CATEGORY.to_owned(), |i| i.category.clone()),
        }
    }
}

/// The hours of `contract` in `[from, until)` it covered nothing, given the hours it
/// covered; 0 for a contract without a valid number.
pub fn idle_hours(
    contract: &PlannedCompute,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    covered: i64,
) -> i64 {
    contract_seq(&contract.contract_id).map_or(0, |seq| {
        (CoverageContract::of(contract, seq).hours_within(from, until) - covered).max(0)
    })
}

/// What `hours` idle hours of `contract` cost in KRW, at bill scale; `None` when the
/// catalogue has no PP price for it.
pub fn idle_charge(catalog: &Catalog, contract: &PlannedCompute, hours: i64) -> Option<Decimal> {
    hourly_price(catalog, contract)
        .map(|price| (price * Decimal::from(hours)).round_dp(AMOUNT_SCALE))
}

/// What cancelling `contract` at `now` costs, and the KST month and KRW amount it puts on
/// the bill (none when there is no fee).
pub fn cancellation_charge(
    catalog: &Catalog,
    contract: &PlannedCompute,
    now: DateTime<Utc>,
) -> (CancellationFee, Option<(YearMonth, Decimal)>) {
    let fee = quote_cancellation(catalog, contract, now);
    let charge = (fee.fee_krw > Decimal::ZERO).then(|| (YearMonth::of(kst_date(now)), fee.fee_krw));
    (fee, charge)
}

/// What cancelling several contracts at once would cost (`GetCancellationFee`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationQuote {
    /// The month whose bill would carry the fees: two months after `now`'s KST month.
    pub bill_month: YearMonth,
    /// The fees together, in KRW.
    pub fee_krw: Decimal,
    /// True when every one would be a same-day cancellation.
    pub same_day_cancel: bool,
}

/// The quote for cancelling every one of `contracts` at `now`.
pub fn quote_cancellations(
    catalog: &Catalog,
    contracts: &[PlannedCompute],
    now: DateTime<Utc>,
) -> CancellationQuote {
    let fees = contracts
        .iter()
        .map(|contract| quote_cancellation(catalog, contract, now));
    let (fee_krw, same_day_cancel) = fees.fold((Decimal::ZERO, true), |(sum, same), fee| {
        (sum + fee.fee_krw, same && fee.same_day_cancel)
    });
    CancellationQuote {
        bill_month: YearMonth::of(kst_date(now)).next().next(),
        fee_krw,
        same_day_cancel,
    }
}
