//! Usage records: what was used, validated against the catalogue, and rated.
//!
//! A record says that one resource of one account used `quantity` of a billing item's unit
//! during `[period_start, period_end)`. Records may not cross a KST month boundary (a bill is
//! per month; split records at midnight of the 1st). Rating picks the record's price by its
//! billing item, offering and attributes, and charges it on top of the month's cumulative
//! quantity of that account and price (see [`crate::rating`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::catalog::{Catalog, Offering, Price, PriceLookupError};
use crate::ids::AccountId;
use crate::money::DualAmount;
use crate::month::{kst_date, kst_midnight, month_hours, YearMonth};
use crate::rating::{RatingError, UsageUnit};
use crate::validation::{check_text, FieldError, Problem, ValidationErrors};

/// Most characters of identifiers a client chooses (record ids, resource ids).
pub const MAX_ID_CHARS: usize = 128;
/// Most characters of a resource name.
pub const MAX_NAME_CHARS: usize = 255;

/// A usage record as received, its fields parsed but not yet checked against the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageInput {
    /// The client's id for this record; sending it again is a no-op.
    pub record_id: String,
    /// The account that used it.
    pub account_id: String,
    /// The resource's id.
    pub resource_id: String,
    /// The resource's name.
    pub resource_name: String,
    /// What was used.
    pub billing_item_id: String,
    /// Where.
    pub region: String,
    /// Server type, OS type and the like, as the item's prices are keyed.
    pub attributes: BTreeMap<String, String>,
    /// Start of the period (inclusive).
    pub period_start: DateTime<Utc>,
    /// End of the period (exclusive).
    pub period_end: DateTime<Utc>,
    /// How much, in `unit`.
    pub quantity: Decimal,
    /// The unit of `quantity`; must be the billing item's usage unit.
    pub unit: String,
    /// Tags (checked when parsed).
    pub tags: crate::tags::TagSet,
}

/// A record checked against the catalogue: ready to rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedUsage {
    /// The input, unchanged.
    pub input: UsageInput,
    /// The account.
    pub account_id: AccountId,
    /// The KST month of the period.
    pub month: YearMonth,
    /// The usage unit.
    pub unit: UsageUnit,
    /// How it is offered (PG, or PS for subscription-only items).
    pub offering: Offering,
    /// Index of its price in the catalogue's price list.
    pub price_index: usize,
}

/// Checks one record. Errors name the record's fields (`unit`); callers say which record
/// with [`ValidationErrors::prefixed`].
pub fn check_usage(catalog: &Catalog, input: UsageInput) -> Result<CheckedUsage, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let field = |name: &str| name.to_owned();
    errors.check(check_text("record_id", &input.record_id, MAX_ID_CHARS));
    let account_id = input.account_id.parse::<AccountId>().ok();
    if account_id.is_none() {
        errors.push(FieldError::with_given(
            field("account_id"),
            Problem::InvalidFormat {
                expected: "32 lowercase hexadecimal characters",
            },
            &input.account_id,
        ));
    }
    errors.check(check_text("resource_id", &input.resource_id, MAX_ID_CHARS));
    if input.resource_name.chars().count() > MAX_NAME_CHARS
        || input.resource_name.chars().any(char::is_control)
    {
        errors.push(FieldError::new(
            field("resource_name"),
            Problem::TooLong {
                max: MAX_NAME_CHARS,
            },
        ));
    }
    errors.check(catalog.require_region(&field("region"), &input.region));
    let item = errors
        .check(catalog.require_billing_item(&field("billing_item_id"), &input.billing_item_id));
    let unit = input.unit.parse::<UsageUnit>().ok();
    match (item, unit) {
        (_, None) => errors.push(FieldError::with_given(
            field("unit"),
            Problem::NotOneOf {
                allowed: UsageUnit::ALL
                    .iter()
                    .map(|unit| unit.as_str().to_owned())
                    .collect(),
            },
            &input.unit,
        )),
        (Some(item), Some(unit)) if unit != item.usage_unit => errors.push(FieldError::with_given(
            field("unit"),
            Problem::NotOneOf {
                allowed: vec![item.usage_unit.as_str().to_owned()],
            },
            &input.unit,
        )),
        _ => {}
    }
    if input.quantity.is_sign_negative() && !input.quantity.is_zero() {
        errors.push(FieldError::with_given(
            field("quantity"),
            Problem::OutOfRange {
                min: 0,
                max: i64::MAX,
            },
            input.quantity.to_string(),
        ));
    }
    let month = YearMonth::of(kst_date(input.period_start));
    if input.period_end <= input.period_start {
        errors.push(FieldError::new(
            field("period_end"),
            Problem::InvalidFormat {
                expected: "an instant after period_start",
            },
        ));
    } else if input.period_end > kst_midnight(month.next().first_day()) {
        errors.push(FieldError::new(
            field("period_end"),
            Problem::InvalidFormat { expected: "an instant in the same KST month as period_start (split records at month ends)" },
        ));
    } else if unit == Some(UsageUnit::Hour) {
        let seconds = (input.period_end - input.period_start).num_seconds();
        if input.quantity * Decimal::from(3600) > Decimal::from(seconds) {
            errors.push(FieldError::with_given(
                field("quantity"),
                Problem::InvalidFormat {
                    expected: "at most the hours of the period",
                },
                input.quantity.to_string(),
            ));
        }
    }
    errors.finish()?;
    let (Some(item), Some(account_id), Some(unit)) = (item, account_id, unit) else {
        return Err(ValidationErrors::default());
    };
    let offering = if catalog.price_keys(&item.id, Offering::PayAsYouGo).is_some() {
        Offering::PayAsYouGo
    } else {
        Offering::Subscription
    };
    let attribute = |key: &str| -> Option<&str> {
        if key == "region" {
            Some(input.region.as_str())
        } else {
            input.attributes.get(key).map(String::as_str)
        }
    };
    let price_index = catalog
        .price_index_for(&item.id, offering, attribute)
        .map_err(|error| {
            let problem = match &error {
                PriceLookupError::MissingAttribute { attribute, .. } => {
                    FieldError::new(field(&format!("attributes.{attribute}")), Problem::Required)
                }
                PriceLookupError::NoMatch { values, .. } => FieldError::with_given(
                    field("attributes"),
                    Problem::InvalidFormat {
                        expected: "attribute values the catalogue has a price for",
                    },
                    values.clone(),
                ),
                other => FieldError::with_given(
                    field("billing_item_id"),
                    Problem::Required,
                    other.to_string(),
                ),
            };
            ValidationErrors::single(problem)
        })?;
    Ok(CheckedUsage {
        input,
        account_id,
        month,
        unit,
        offering,
        price_index,
    })
}

/// A rated usage record, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRecord {
    /// The client's record id.
    pub record_id: String,
    /// The account.
    pub account_id: AccountId,
    /// Resource id.
    pub resource_id: String,
    /// Resource name.
    pub resource_name: String,
    /// Billing item.
    pub billing_item_id: String,
    /// Service category of the billing item.
    pub service_category: String,
    /// CCBS product code of the billing item.
    pub ccbs_product_code: String,
    /// Region.
    pub region: String,
    /// The planned compute contract that covered it, if one did.
    pub contract_id: Option<String>,
    /// CCBS order status (`04`: in use).
    pub order_status: String,
    /// Usage status code (`0`: normal).
    pub status_code: i64,
    /// Attributes.
    pub attributes: BTreeMap<String, String>,
    /// Period start.
    pub period_start: DateTime<Utc>,
    /// Period end.
    pub period_end: DateTime<Utc>,
    /// KST month of the period.
    pub month: YearMonth,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// Usage unit.
    pub unit: UsageUnit,
    /// Offering the price came from.
    pub offering: Offering,
    /// The price applied.
    pub price_id: String,
    /// The rated amount.
    pub amount: DualAmount,
    /// Tags.
    pub tags: crate::tags::TagSet,
}

/// A usage record read back from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUsage {
    /// Wire id: the storage sequence number, written by [`crate::ids::usage_ids`].
    pub id: String,
    /// When it was stored (never earlier than a record stored before it).
    pub created_at: DateTime<Utc>,
    /// The record.
    pub record: UsageRecord,
}

/// CCBS order status of usage scpfm rates: `04`, the resource is in use.
pub const ORDER_STATUS_IN_USE: &str = "04";

/// Fields the usage list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageSortField {
    /// The period start (`usage_date`).
    UsageDate,
    /// When the record was stored.
    CreatedAt,
}

impl crate::listing::SortField for UsageSortField {
    const FIELDS: &'static [(&'static str, Self)] = &[
        ("usage_date", Self::UsageDate),
        ("created_at", Self::CreatedAt),
    ];
}

/// The month's cumulative quantity per account and price, for tiered and unprorated prices.
pub type TierKey = (AccountId, YearMonth, String);

/// A rated record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedUsage {
    /// The checked record.
    pub usage: CheckedUsage,
    /// The price applied.
    pub price_id: String,
    /// The amount, KRW rounded by the price, USD at 3 decimals.
    pub amount: DualAmount,
}

/// USD amounts of usage keep 3 decimals, like bills, so bills add up exactly.
pub const USD_SCALE: u32 = 3;

/// Rates records in order. `totals` holds the month's cumulative quantities of stateful prices
/// (see [`crate::rating::RatingRule::is_stateless`]) and is advanced by each record.
pub fn rate_usages(
    catalog: &Catalog,
    usages: Vec<CheckedUsage>,
    totals: &mut HashMap<TierKey, Decimal>,
) -> Result<Vec<RatedUsage>, RatingError> {
    let mut rated = Vec::with_capacity(usages.len());
    for usage in usages {
        let price: &Price = &catalog.prices[usage.price_index];
        let hours = month_hours(usage.month);
        let amount = if price.rule.is_stateless() {
            price
                .rule
                .rate(Decimal::ZERO, usage.input.quantity, usage.unit, hours)?
                .amount
        } else {
            let key = (usage.account_id.clone(), usage.month, price.id.clone());
            let before = totals.get(&key).copied().unwrap_or_default();
            let result = price
                .rule
                .rate(before, usage.input.quantity, usage.unit, hours)?;
            totals.insert(key, result.cumulative_after);
            result.amount
        };
        let rate = catalog.usd_rate(usage.month);
        rated.push(RatedUsage {
            price_id: price.id.clone(),
            amount: DualAmount::from_krw(amount, rate, USD_SCALE),
            usage,
        });
    }
    Ok(rated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_have_their_hours() {
        assert_eq!(month_hours("2026-02".parse().unwrap()), 672);
        assert_eq!(month_hours("2028-02".parse().unwrap()), 696);
        assert_eq!(month_hours("2026-11".parse().unwrap()), 720);
        assert_eq!(month_hours("2026-12".parse().unwrap()), 744);
    }
}
