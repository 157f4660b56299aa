//! The cost rollup and what reads it: tag sets and cost keys ([`keys`]), the sums kept per
//! account, day or month and cost key in the same transaction as the bills ([`pending`]),
//! the cost and usage query ([`query`]; at resource level `by_key`) and the FOCUS export's
//! rows ([`export`]).
//! See `migrations/*/V9__cost_rollup.sql` for the tables and `scpfm_domain::cost` for
//! where a cost lands and in which integer units.

mod by_key;
/// The FOCUS export's rows.
pub mod export;
pub(crate) mod keys;
pub(crate) mod pending;
/// The cost and usage query.
pub mod query;
pub(crate) mod rebuild;

use rust_decimal::Decimal;
use scpfm_domain::cost::{to_milli, to_nano};
use scpfm_domain::money::DualAmount;

use crate::StoreError;

/// The figures of one rollup row: quantity in billionths, money in thousandths (KRW, USD).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Usage quantity.
    pub quantity_nano: i64,
    /// Rated usage.
    pub usage: [i64; 2],
    /// Planned compute hours that covered nothing: how many (billionths)…
    pub idle_hours_nano: i64,
    /// …and their charge.
    pub idle: [i64; 2],
    /// Other charges that are not usage (cancellation fees).
    pub fee: [i64; 2],
    /// Discounts, savings and credits.
    pub discount: [i64; 2],
}

/// The rollup's figure columns, in [`Figures::values`] order.
pub(crate) const FIGURE_COLUMNS: [&str; 10] = [
    "quantity_nano",
    "usage_krw",
    "usage_usd",
    "idle_hours_nano",
    "idle_krw",
    "idle_usd",
    "fee_krw",
    "fee_usd",
    "discount_krw",
    "discount_usd",
];

impl Figures {
    /// The columns' values, in [`FIGURE_COLUMNS`] order.
    /// Reads the figures from [`FIGURE_COLUMNS`] order.
    pub(crate) fn from_values(v: [i64; 10]) -> Self {
        Self {
            quantity_nano: v[0],
            usage: [v[1], v[2]],
            idle_hours_nano: v[3],
            idle: [v[4], v[5]],
            fee: [v[6], v[7]],
            discount: [v[8], v[9]],
        }
    }

    pub(crate) fn values(&self) -> [i64; 10] {
        [
            self.quantity_nano,
            self.usage[0],
            self.usage[1],
            self.idle_hours_nano,
            self.idle[0],
            self.idle[1],
            self.fee[0],
            self.fee[1],
            self.discount[0],
            self.discount[1],
        ]
    }

    /// Adds `other`, failing beyond 64 bits.
    pub fn add(&mut self, other: &Self) -> Result<(), StoreError> {
        let overflow = || StoreError::Query("a cost sum exceeds 64 bits".into());
        self.quantity_nano = self
            .quantity_nano
            .checked_add(other.quantity_nano)
            .ok_or_else(overflow)?;
        self.idle_hours_nano = self
            .idle_hours_nano
            .checked_add(other.idle_hours_nano)
            .ok_or_else(overflow)?;
        for (mine, theirs) in [
            (&mut self.usage, other.usage),
            (&mut self.idle, other.idle),
            (&mut self.fee, other.fee),
            (&mut self.discount, other.discount),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a = a.checked_add(b).ok_or_else(overflow)?;
            }
        }
        Ok(())
    }

    /// Every figure with its sign turned (to subtract a part from a sum).
    pub fn negated(&self) -> Self {
        Self::from_values(self.values().map(|value| -value))
    }

    /// True when every figure is zero.
    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|value| *value == 0)
    }
}

/// An amount in thousandths (KRW, USD); a bill amount always has at most 3 decimals.
pub(crate) fn milli(amount: DualAmount) -> Result<[i64; 2], StoreError> {
    let one = |value: Decimal| {
        to_milli(value)
            .ok_or_else(|| StoreError::Corrupt(format!("amount {value} has more than 3 decimals")))
    };
    Ok([one(amount.krw)?, one(amount.usd)?])
}

/// A quantity in billionths.
pub(crate) fn nano(quantity: Decimal) -> Result<i64, StoreError> {
    to_nano(quantity).ok_or_else(|| StoreError::Query(format!("quantity {quantity} is too large")))
}
