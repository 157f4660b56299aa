//! Cost analysis: what `GET /v1/cost-and-usage` asks and the rules of its answer — the
//! granularities, dimensions and metrics, the window's limits, where a cost lands in time,
//! and the exact integer units the daily rollup keeps money and quantities in.
//!
//! Money in the rollup is integer thousandths (every bill amount has [`AMOUNT_SCALE`] = 3
//! decimals, so nothing is rounded) and quantities integer billionths (usage quantities with
//! more decimals are rounded there, half to even; a quantity is not money). Days are KST
//! calendar days written `YYYYMMDD`, months `YYYYMM`, so a month is a day divided by 100.
//!
//! Where a cost lands: usage on the KST day its period starts; a charge that is not usage
//! (planned compute idle hours, a cancellation fee) on the day it was charged, within its
//! month; an account-month's discounts and credits (derived for the whole month) on the
//! month's first day, as AWS Cost Explorer shows monthly fees and credits.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::bill::AMOUNT_SCALE;
use crate::code::Code;
use crate::month::YearMonth;
use crate::validation::{FieldError, Problem};

/// Decimals of rollup quantities.
pub const QUANTITY_SCALE: u32 = 9;
/// Longest window, in months.
pub const MAX_MONTHS: u32 = 13;
/// Longest `HOURLY` window, in days.
pub const MAX_HOURLY_DAYS: i64 = 14;
/// Most `group_by` dimensions.
pub const MAX_GROUP_BY: usize = 2;

/// How periods are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// One period per KST hour (windows of at most 14 days).
    Hourly,
    /// One period per KST day.
    Daily,
    /// One period per KST month.
    Monthly,
}

impl Code for Granularity {
    fn all() -> &'static [Self] {
        &[Self::Hourly, Self::Daily, Self::Monthly]
    }

    fn code(self) -> &'static str {
        match self {
            Self::Hourly => "HOURLY",
            Self::Daily => "DAILY",
            Self::Monthly => "MONTHLY",
        }
    }
}

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Charges before discounts.
    ListCost,
    /// Discounts, savings and credits.
    Discount,
    /// What the bill charges: list cost minus discounts (ListBills' `amounts`).
    NetCost,
    /// Usage quantity, in the billing item's unit.
    UsageQuantity,
}

impl Code for Metric {
    fn all() -> &'static [Self] {
        &[
            Self::ListCost,
            Self::Discount,
            Self::NetCost,
            Self::UsageQuantity,
        ]
    }

    fn code(self) -> &'static str {
        match self {
            Self::ListCost => "LIST_COST",
            Self::Discount => "DISCOUNT",
            Self::NetCost => "NET_COST",
            Self::UsageQuantity => "USAGE_QUANTITY",
        }
    }
}

/// What cost is grouped by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// The account.
    Account,
    /// The billing item's service category.
    ServiceCategory,
    /// The billing item.
    BillingItem,
    /// The region.
    Region,
    /// The resource.
    Resource,
    /// The offering (PS, PP, PG).
    Offering,
    /// The planned compute contract (`""` for cost no contract covered).
    Contract,
    /// A tag's value (`""` for cost without the tag).
    Tag(String),
}

/// The fixed dimensions, by wire name.
const FIXED: [(&str, Dimension); 7] = [
    ("ACCOUNT", Dimension::Account),
    ("SERVICE_CATEGORY", Dimension::ServiceCategory),
    ("BILLING_ITEM", Dimension::BillingItem),
    ("REGION", Dimension::Region),
    ("RESOURCE", Dimension::Resource),
    ("OFFERING", Dimension::Offering),
    ("CONTRACT", Dimension::Contract),
];

impl Dimension {
    /// Reads `ACCOUNT` … `CONTRACT` or `TAG:<key>`.
    pub fn parse_field(field: &str, text: &str) -> Result<Self, FieldError> {
        if let Some(key) = text.strip_prefix("TAG:") {
            crate::tags::check_key(field, key)?;
            return Ok(Self::Tag(key.to_owned()));
        }
        FIXED
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, dimension)| dimension.clone())
            .ok_or_else(|| {
                let mut allowed: Vec<String> =
                    FIXED.iter().map(|(name, _)| (*name).to_owned()).collect();
                allowed.push("TAG:<key>".into());
                FieldError::with_given(field, Problem::NotOneOf { allowed }, text)
            })
    }

    /// The wire name.
    pub fn name(&self) -> String {
        match self {
            Self::Tag(key) => format!("TAG:{key}"),
            other => FIXED
                .iter()
                .find(|(_, dimension)| dimension == other)
                .map(|(name, _)| (*name).to_owned())
                .unwrap_or_default(),
        }
    }
}

/// The inclusive KST dates a query covers, checked: `end` not before `start`, at most 13
/// months (14 days for `HOURLY`). Errors name `end_date`.
pub fn check_window(
    granularity: Granularity,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<(), FieldError> {
    let problem = |expected: &'static str| {
        FieldError::with_given(
            "end_date",
            Problem::InvalidFormat { expected },
            end.to_string(),
        )
    };
    if end < start {
        return Err(problem("a date on or after start_date"));
    }
    if granularity == Granularity::Hourly {
        if (end - start).num_days() >= MAX_HOURLY_DAYS {
            return Err(problem(
                "at most 14 days after start_date, counting both, for HOURLY",
            ));
        }
        return Ok(());
    }
    let limit = start
        .checked_add_months(Months::new(MAX_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    if end >= limit {
        return Err(problem("less than 13 months after start_date"));
    }
    Ok(())
}

/// A day as the rollup numbers it: `YYYYMMDD`.
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// The date of a `YYYYMMDD` day number.
pub fn date_of(day: i64) -> Option<NaiveDate> {
    let year = i32::try_from(day / 10_000).ok()?;
    let month = u32::try_from(day / 100 % 100).ok()?;
    let dom = u32::try_from(day % 100).ok()?;
    NaiveDate::from_ymd_opt(year, month, dom)
}

/// A month as the rollup numbers it: `YYYYMM`.
pub fn month_number(month: YearMonth) -> i64 {
    i64::from(month.year()) * 100 + i64::from(month.month())
}

/// The month of a `YYYYMM` number.
pub fn month_of(number: i64) -> Option<YearMonth> {
    YearMonth::new(
        i32::try_from(number / 100).ok()?,
        u32::try_from(number % 100).ok()?,
    )
    .ok()
}

/// The day a charge that is not usage lands on: the day charged, within its month.
pub fn charge_day(month: YearMonth, charged_on: NaiveDate) -> NaiveDate {
    let last = month.next().first_day().pred_opt().unwrap_or(charged_on);
    charged_on.clamp(month.first_day(), last)
}

/// An amount in integer thousandths: exact for every bill amount. `None` for an amount with
/// more decimals (never a bill amount) or beyond 64 bits.
pub fn to_milli(amount: Decimal) -> Option<i64> {
    let scaled = amount.checked_mul(Decimal::from(1000))?;
    (scaled.fract().is_zero())
        .then(|| i64::try_from(scaled.trunc()).ok())
        .flatten()
}

/// Thousandths back to an amount (3 decimals).
pub fn from_milli(milli: i64) -> Decimal {
    Decimal::new(milli, AMOUNT_SCALE)
}

/// A quantity in integer billionths (rounded half to even beyond 9 decimals); `None` beyond
/// 64 bits.
pub fn to_nano(quantity: Decimal) -> Option<i64> {
    let scaled = quantity
        .round_dp_with_strategy(QUANTITY_SCALE, RoundingStrategy::MidpointNearestEven)
        .checked_mul(Decimal::from(1_000_000_000))?;
    i64::try_from(scaled.trunc()).ok()
}

/// Billionths back to a quantity, without trailing zeros.
pub fn from_nano(nano: i128) -> Decimal {
    Decimal::from_i128_with_scale(nano, QUANTITY_SCALE).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn windows_are_bounded() {
        let daily = Granularity::Daily;
        assert!(check_window(daily, date("2026-01-01"), date("2027-01-31")).is_ok());
        assert!(check_window(daily, date("2026-01-01"), date("2027-02-01")).is_err());
        assert!(check_window(daily, date("2026-01-02"), date("2026-01-01")).is_err());
        let hourly = Granularity::Hourly;
        assert!(check_window(hourly, date("2026-01-01"), date("2026-01-14")).is_ok());
        assert!(check_window(hourly, date("2026-01-01"), date("2026-01-15")).is_err());
    }

    #[test]
    fn dimensions_read_fixed_names_and_tags() {
        assert_eq!(
            Dimension::parse_field("g", "REGION").unwrap(),
            Dimension::Region
        );
        assert_eq!(
            Dimension::parse_field("g", "TAG:team").unwrap(),
            Dimension::Tag("team".into())
        );
        assert_eq!(Dimension::Tag("team".into()).name(), "TAG:team");
        assert!(Dimension::parse_field("g", "TAG:").is_err());
        assert!(Dimension::parse_field("g", "PROJECT").is_err());
    }

    #[test]
    fn days_and_months_round_trip() {
        let day = date("2026-10-31");
        assert_eq!(day_number(day), 20_261_031);
        assert_eq!(date_of(20_261_031), Some(day));
        assert_eq!(day_number(day) / 100, month_number(YearMonth::of(day)));
        assert_eq!(month_of(202_610), Some(YearMonth::of(day)));
        let october = YearMonth::of(day);
        assert_eq!(charge_day(october, date("2026-11-02")), day);
        assert_eq!(charge_day(october, date("2026-10-05")), date("2026-10-05"));
    }

    #[test]
    fn milli_is_exact_for_amounts_and_refuses_finer_ones() {
        assert_eq!(to_milli(Decimal::new(12_345, 3)), Some(12_345));
        assert_eq!(to_milli(Decimal::new(-5, 1)), Some(-500));
        assert_eq!(to_milli(Decimal::new(1, 4)), None);
        assert_eq!(from_milli(12_345), Decimal::new(12_345, 3));
        assert_eq!(to_nano(Decimal::new(15, 1)), Some(1_500_000_000));
        assert_eq!(from_nano(1_500_000_000), Decimal::new(15, 1));
    }

    proptest::proptest! {
        #[test]
        fn milli_round_trips_every_three_decimal_amount(value in -10_000_000_000_000i64..10_000_000_000_000) {
            let amount = Decimal::new(value, 3);
            proptest::prop_assert_eq!(to_milli(amount).map(from_milli), Some(amount));
        }

        #[test]
        fn day_numbers_order_like_dates(a in 0i64..40_000, b in 0i64..40_000) {
            let base = date("1990-01-01");
            let (x, y) = (base + chrono::Duration::days(a), base + chrono::Duration::days(b));
            proptest::prop_assert_eq!(x.cmp(&y), day_number(x).cmp(&day_number(y)));
            proptest::prop_assert_eq!(date_of(day_number(x)), Some(x));
        }
    }
}
