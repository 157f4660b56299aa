//! Rating: what a quantity of usage costs under a price. Pure and exact.
//!
//! A price has tiers `[range_start, range_end)` in its price unit, each with a `unit_price`
//! per unit and a `base_price` charged once when usage enters the tier. Rating is
//! **graduated**: each part of the quantity is charged at the price of the tier it falls in.
//!
//! Tiers count the month's cumulative quantity per account and price, so a record is charged
//! `charge(before + quantity) − charge(before)`: the month's records always add up to what
//! the month's total would cost (before per-record rounding). Prices whose unit is per month
//! while usage is metered per hour (`MONTH` over `HOUR`, `GB_MONTH` over `GB_HOUR`) are
//! prorated by the hours of the record's month (`PRORATION`), or charged per started month
//! (`NONE`). Amounts are rounded per record by the price's rule at its position (at most 3
//! decimals, so bills add up exactly).
//!
//! Every computation keeps usage units and divides once, at the end, by the month's hours:
//! `charge(u) = Σ base_i·[u > start_i·H] + (Σ unit_i·(min(u, end_i·H) − start_i·H)) / H`.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::rounding::Rounding;

/// The unit usage is metered in (per billing item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UsageUnit {
    /// Resource-hours (servers, IPs, load balancers…).
    Hour,
    /// Gigabyte-hours (storage held for an hour).
    GbHour,
    /// Gigabytes (transfer).
    Gb,
    /// Counted items (requests, certificates…).
    Count,
    /// Whole months of a subscription (support plans).
    Month,
}

impl UsageUnit {
    /// Every unit.
    pub const ALL: [Self; 5] = [Self::Hour, Self::GbHour, Self::Gb, Self::Count, Self::Month];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "HOUR",
            Self::GbHour => "GB_HOUR",
            Self::Gb => "GB",
            Self::Count => "COUNT",
            Self::Month => "MONTH",
        }
    }
}

impl FromStr for UsageUnit {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|unit| unit.as_str() == text)
            .ok_or(())
    }
}

/// The unit a price is quoted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PriceUnit {
    /// Per resource-hour.
    Hour,
    /// Per resource-month (usage in hours, prorated).
    Month,
    /// Per gigabyte-hour.
    GbHour,
    /// Per gigabyte-month (usage in GB-hours, prorated).
    GbMonth,
    /// Per gigabyte.
    Gb,
    /// Per counted item.
    Count,
}

impl PriceUnit {
    /// Every unit.
    pub const ALL: [Self; 6] = [
        Self::Hour,
        Self::Month,
        Self::GbHour,
        Self::GbMonth,
        Self::Gb,
        Self::Count,
    ];

    /// The wire name (`price_unit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "HOUR",
            Self::Month => "MONTH",
            Self::GbHour => "GB_HOUR",
            Self::GbMonth => "GB_MONTH",
            Self::Gb => "GB",
            Self::Count => "COUNT",
        }
    }

    /// How usage in `usage` units converts to this unit, if it can.
    pub fn conversion(self, usage: UsageUnit) -> Option<Conversion> {
        match (self, usage) {
            (Self::Hour, UsageUnit::Hour)
            | (Self::GbHour, UsageUnit::GbHour)
            | (Self::Gb, UsageUnit::Gb)
            | (Self::Count, UsageUnit::Count)
            | (Self::Month, UsageUnit::Month) => Some(Conversion::Same),
            (Self::Month, UsageUnit::Hour) | (Self::GbMonth, UsageUnit::GbHour) => {
                Some(Conversion::HoursPerMonth)
            }
            _ => None,
        }
    }
}

impl FromStr for PriceUnit {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|unit| unit.as_str() == text)
            .ok_or(())
    }
}

/// How usage units relate to price units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// One usage unit is one price unit.
    Same,
    /// A price unit (month) holds the record month's hours.
    HoursPerMonth,
}

/// How partial price units are charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProrationRule {
    /// Exactly the fraction used (`PRORATION`).
    Proration,
    /// Every started price unit in full (`NONE`).
    None,
}

impl ProrationRule {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proration => "PRORATION",
            Self::None => "NONE",
        }
    }
}

impl FromStr for ProrationRule {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "PRORATION" => Ok(Self::Proration),
            "NONE" => Ok(Self::None),
            _ => Err(()),
        }
    }
}

/// How tiers apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PriceModel {
    /// One unit price for any quantity (exactly one tier from 0, unbounded).
    Flat,
    /// Graduated tiers over the month's cumulative quantity.
    Tiered,
}

impl PriceModel {
    /// The wire name (`price_model`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Flat => "FLAT",
            Self::Tiered => "TIERED",
        }
    }
}

impl FromStr for PriceModel {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "FLAT" => Ok(Self::Flat),
            "TIERED" => Ok(Self::Tiered),
            _ => Err(()),
        }
    }
}

/// One tier, in price units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tier {
    /// Where it starts (inclusive).
    pub start: Decimal,
    /// Where it ends (exclusive); `None` is unbounded.
    pub end: Option<Decimal>,
    /// Price per unit inside the tier (KRW).
    pub unit_price: Decimal,
    /// Charged once when usage enters the tier (KRW).
    pub base_price: Decimal,
}

/// What is wrong with a tier list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TierError {
    /// There are no tiers.
    #[error("a price needs at least one tier")]
    Empty,
    /// The first tier does not start at 0.
    #[error("the first tier must start at 0, not {0}")]
    FirstNotZero(Decimal),
    /// A tier ends where it starts, or before.
    #[error("tier {0} ends at or before its start")]
    EmptyRange(usize),
    /// A tier starts after the previous one ends.
    #[error("tiers {0} and {1} leave a gap")]
    Gap(usize, usize),
    /// A tier starts before the previous one ends.
    #[error("tiers {0} and {1} overlap")]
    Overlap(usize, usize),
    /// A tier other than the last is unbounded.
    #[error("only the last tier may be unbounded (tier {0} is not last)")]
    UnboundedNotLast(usize),
    /// The last tier has an end.
    #[error("the last tier must be unbounded")]
    LastBounded,
    /// A price is negative.
    #[error("tier {0} has a negative price")]
    Negative(usize),
    /// A flat price must have exactly one tier, from 0, unbounded, without base price.
    #[error("a FLAT price has exactly one unbounded tier from 0 and no base price")]
    NotFlat,
}

/// Tiers that start at 0, touch without gaps or overlaps, and end unbounded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tiers(Vec<Tier>);

impl Tiers {
    /// Validates tiers for `model`, reporting every problem.
    pub fn new(model: PriceModel, tiers: Vec<Tier>) -> Result<Self, Vec<TierError>> {
        let mut errors = Vec::new();
        let Some(first) = tiers.first() else {
            return Err(vec![TierError::Empty]);
        };
        if !first.start.is_zero() {
            errors.push(TierError::FirstNotZero(first.start));
        }
        for (idx, tier) in tiers.iter().enumerate() {
            if tier.unit_price.is_sign_negative() || tier.base_price.is_sign_negative() {
                errors.push(TierError::Negative(idx));
            }
            match tier.end {
                Some(end) if end <= tier.start => errors.push(TierError::EmptyRange(idx)),
                None if idx + 1 < tiers.len() => errors.push(TierError::UnboundedNotLast(idx)),
                _ => {}
            }
            if let (Some(next), Some(end)) = (tiers.get(idx + 1), tier.end) {
                if next.start > end {
                    errors.push(TierError::Gap(idx, idx + 1));
                } else if next.start < end {
                    errors.push(TierError::Overlap(idx, idx + 1));
                }
            }
        }
        if tiers.last().is_some_and(|last| last.end.is_some()) {
            errors.push(TierError::LastBounded);
        }
        if model == PriceModel::Flat && !(tiers.len() == 1 && first.base_price.is_zero()) {
            errors.push(TierError::NotFlat);
        }
        if errors.is_empty() {
            Ok(Self(tiers))
        } else {
            Err(errors)
        }
    }

    /// The tiers, in order.
    pub fn as_slice(&self) -> &[Tier] {
        &self.0
    }

    /// True when the charge is `unit_price × quantity`: one tier, no base price.
    pub fn is_linear(&self) -> bool {
        matches!(self.0.as_slice(), [only] if only.base_price.is_zero())
    }
}

/// What rating needs of a price.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RatingRule {
    /// Flat or tiered.
    pub model: PriceModel,
    /// The unit prices are quoted per.
    pub unit: PriceUnit,
    /// The tiers.
    pub tiers: Tiers,
    /// How partial units are charged.
    pub proration: ProrationRule,
    /// How each record's amount is rounded.
    pub rounding: Rounding,
}

/// Usage that cannot be rated under a price.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    /// The usage unit does not convert to the price unit.
    #[error("usage in {usage} cannot be rated by a price per {price}")]
    UnitMismatch {
        /// Usage unit.
        usage: &'static str,
        /// Price unit.
        price: &'static str,
    },
    /// Negative quantities are not usage.
    #[error("quantity must not be negative")]
    NegativeQuantity,
}

/// A rated record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    /// The record's amount in KRW, rounded.
    pub amount: Decimal,
    /// The month's cumulative quantity after this record (usage units).
    pub cumulative_after: Decimal,
}

impl RatingRule {
    /// True when a record's amount does not depend on earlier records of the month.
    pub fn is_stateless(&self) -> bool {
        self.tiers.is_linear() && self.proration == ProrationRule::Proration
    }

    /// Rates `quantity` (in `unit`) on top of `cumulative_before` (same unit, this month,
    /// this account and price). `month_hours` is the hours of the record's month (KST).
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use scpfm_domain::rating::*;
    /// use scpfm_domain::rounding::{Rounding, RoundingRule};
    ///
    /// let hourly = RatingRule {
    ///     model: PriceModel::Flat,
    ///     unit: PriceUnit::Hour,
    ///     tiers: Tiers::new(PriceModel::Flat, vec![Tier {
    ///         start: Decimal::ZERO, end: None, unit_price: Decimal::new(267, 1), base_price: Decimal::ZERO,
    ///     }]).unwrap(),
    ///     proration: ProrationRule::Proration,
    ///     rounding: Rounding::new(RoundingRule::HalfUp, 3).unwrap(),
    /// };
    /// let rated = hourly.rate(Decimal::ZERO, Decimal::new(5, 1), UsageUnit::Hour, 720).unwrap();
    /// assert_eq!(rated.amount, Decimal::new(13350, 3)); // half an hour of 26.7 KRW
    /// ```
    pub fn rate(
        &self,
        cumulative_before: Decimal,
        quantity: Decimal,
        unit: UsageUnit,
        month_hours: u32,
    ) -> Result<Rated, RatingError> {
        if quantity.is_sign_negative() && !quantity.is_zero() {
            return Err(RatingError::NegativeQuantity);
        }
        let conversion = self
            .unit
            .conversion(unit)
            .ok_or(RatingError::UnitMismatch {
                usage: unit.as_str(),
                price: self.unit.as_str(),
            })?;
        let per_unit = match conversion {
            Conversion::Same => Decimal::ONE,
            Conversion::HoursPerMonth => Decimal::from(month_hours),
        };
        let after = cumulative_before + quantity;
        let raw = if self.is_stateless() {
            let tier = &self.tiers.as_slice()[0];
            divide(tier.unit_price * quantity, per_unit)
        } else {
            self.charge(after, per_unit) - self.charge(cumulative_before, per_unit)
        };
        Ok(Rated {
            amount: self.rounding.apply(raw),
            cumulative_after: after,
        })
    }

    /// The charge of a cumulative quantity `usage` (usage units), unrounded.
    pub fn charge(&self, usage: Decimal, per_unit: Decimal) -> Decimal {
        let billable = match self.proration {
            ProrationRule::Proration => usage,
            // Every started price unit in full.
            ProrationRule::None => divide(usage, per_unit).ceil() * per_unit,
        };
        let mut base = Decimal::ZERO;
        let mut metered = Decimal::ZERO;
        for tier in self.tiers.as_slice() {
            let start = tier.start * per_unit;
            if billable <= start {
                break;
            }
            base += tier.base_price;
            let top = match tier.end {
                Some(end) => billable.min(end * per_unit),
                None => billable,
            };
            metered += tier.unit_price * (top - start);
        }
        base + divide(metered, per_unit)
    }
}

fn divide(numerator: Decimal, denominator: Decimal) -> Decimal {
    if denominator == Decimal::ONE {
        numerator
    } else {
        numerator / denominator
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounding::RoundingRule;
    use proptest::prelude::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn tier(start: &str, end: Option<&str>, unit: &str, base: &str) -> Tier {
        Tier {
            start: d(start),
            end: end.map(d),
            unit_price: d(unit),
            base_price: d(base),
        }
    }

    fn rule(
        model: PriceModel,
        unit: PriceUnit,
        tiers: Vec<Tier>,
        proration: ProrationRule,
        position: u32,
    ) -> RatingRule {
        RatingRule {
            model,
            unit,
            tiers: Tiers::new(model, tiers).unwrap(),
            proration,
            rounding: Rounding::new(RoundingRule::HalfUp, position).unwrap(),
        }
    }

    /// Object storage style: first 100 GB-months at 30 won, next 900 at 25, then 20.
    fn storage() -> RatingRule {
        rule(
            PriceModel::Tiered,
            PriceUnit::GbMonth,
            vec![
                tier("0", Some("100"), "30", "0"),
                tier("100", Some("1000"), "25", "0"),
                tier("1000", None, "20", "0"),
            ],
            ProrationRule::Proration,
            3,
        )
    }

    #[test]
    fn tier_lists_report_every_problem() {
        let errors = Tiers::new(
            PriceModel::Tiered,
            vec![
                tier("1", Some("5"), "1", "0"),
                tier("6", Some("6"), "-1", "0"),
                tier("5", Some("9"), "1", "0"),
            ],
        )
        .unwrap_err();
        assert!(errors.contains(&TierError::FirstNotZero(d("1"))));
        assert!(errors.contains(&TierError::Gap(0, 1)));
        assert!(errors.contains(&TierError::EmptyRange(1)));
        assert!(errors.contains(&TierError::Negative(1)));
        assert!(errors.contains(&TierError::Overlap(1, 2)));
        assert!(errors.contains(&TierError::LastBounded));
        assert_eq!(
            Tiers::new(PriceModel::Tiered, vec![]).unwrap_err(),
            vec![TierError::Empty]
        );
        let flat = Tiers::new(
            PriceModel::Flat,
            vec![tier("0", Some("1"), "1", "0"), tier("1", None, "1", "0")],
        );
        assert!(flat.unwrap_err().contains(&TierError::NotFlat));
        let unbounded_middle = Tiers::new(
            PriceModel::Tiered,
            vec![tier("0", None, "1", "0"), tier("1", None, "1", "0")],
        );
        assert!(unbounded_middle
            .unwrap_err()
            .contains(&TierError::UnboundedNotLast(0)));
    }

    #[test]
    fn graduated_tiers_charge_each_part_at_its_tier() {
        // 150 GB-months: 100 × 30 + 50 × 25 = 4,250 (price unit = usage unit here: H = 1 month-hour… use GB units)
        let per_gb = rule(
            PriceModel::Tiered,
            PriceUnit::Gb,
            vec![
                tier("0", Some("100"), "30", "0"),
                tier("100", None, "25", "0"),
            ],
            ProrationRule::Proration,
            0,
        );
        assert_eq!(per_gb.charge(d("150"), Decimal::ONE), d("4250"));
        assert_eq!(per_gb.charge(d("100"), Decimal::ONE), d("3000"));
        let rated = per_gb.rate(d("90"), d("20"), UsageUnit::Gb, 720).unwrap();
        assert_eq!(rated.amount, d("550")); // 10 × 30 + 10 × 25
        assert_eq!(rated.cumulative_after, d("110"));
    }

    #[test]
    fn monthly_prices_are_prorated_by_the_months_hours() {
        let ip = rule(
            PriceModel::Flat,
            PriceUnit::Month,
            vec![tier("0", None, "4464", "0")],
            ProrationRule::Proration,
            3,
        );
        // One hour of a 31-day month (744 h): 4464 / 744 = 6.
        assert_eq!(
            ip.rate(Decimal::ZERO, Decimal::ONE, UsageUnit::Hour, 744)
                .unwrap()
                .amount,
            d("6")
        );
        // A 30-day month: 4464 / 720 = 6.2.
        assert_eq!(
            ip.rate(Decimal::ZERO, Decimal::ONE, UsageUnit::Hour, 720)
                .unwrap()
                .amount,
            d("6.2")
        );
        assert!(matches!(
            ip.rate(Decimal::ZERO, Decimal::ONE, UsageUnit::Gb, 720),
            Err(RatingError::UnitMismatch { .. })
        ));
    }

    #[test]
    fn without_proration_a_started_unit_is_charged_in_full() {
        let plan = rule(
            PriceModel::Flat,
            PriceUnit::Month,
            vec![tier("0", None, "1000000", "0")],
            ProrationRule::None,
            0,
        );
        // The first hour of the month charges the whole month; later hours charge nothing.
        assert_eq!(
            plan.rate(Decimal::ZERO, Decimal::ONE, UsageUnit::Hour, 720)
                .unwrap()
                .amount,
            d("1000000")
        );
        assert_eq!(
            plan.rate(Decimal::ONE, d("500"), UsageUnit::Hour, 720)
                .unwrap()
                .amount,
            d("0")
        );
    }

    #[test]
    fn base_prices_are_charged_when_a_tier_is_entered() {
        let with_base = rule(
            PriceModel::Tiered,
            PriceUnit::Count,
            vec![
                tier("0", Some("10"), "0", "500"),
                tier("10", None, "2", "100"),
            ],
            ProrationRule::Proration,
            0,
        );
        assert_eq!(with_base.charge(Decimal::ZERO, Decimal::ONE), d("0"));
        assert_eq!(with_base.charge(d("1"), Decimal::ONE), d("500"));
        assert_eq!(with_base.charge(d("12"), Decimal::ONE), d("604"));
    }

    proptest! {
        /// Charges never fall as usage rises.
        #[test]
        fn charges_are_monotonic(a in 0u64..5_000_000, b in 0u64..5_000_000, hours in 672u32..=744) {
            let rule = storage();
            let (low, high) = (Decimal::new(a.min(b) as i64, 3), Decimal::new(a.max(b) as i64, 3));
            let per_unit = Decimal::from(hours);
            prop_assert!(rule.charge(low, per_unit) <= rule.charge(high, per_unit));
        }

        /// Splitting usage into records and summing their (unrounded) charges gives the charge
        /// of the whole; rounded per record, the sum is within half a unit per record.
        #[test]
        fn parts_sum_to_the_whole(parts in proptest::collection::vec(0u64..2_000_000, 1..20), hours in 672u32..=744) {
            let rule = storage();
            let per_unit = Decimal::from(hours);
            let mut cumulative = Decimal::ZERO;
            let mut rounded_sum = Decimal::ZERO;
            let mut exact_sum = Decimal::ZERO;
            for part in &parts {
                let quantity = Decimal::new(*part as i64, 3);
                exact_sum += rule.charge(cumulative + quantity, per_unit) - rule.charge(cumulative, per_unit);
                let rated = rule.rate(cumulative, quantity, UsageUnit::GbHour, hours).unwrap();
                rounded_sum += rated.amount;
                cumulative = rated.cumulative_after;
            }
            let whole = rule.charge(cumulative, per_unit);
            prop_assert!((exact_sum - whole).abs() < Decimal::new(1, 15));
            let tolerance = Decimal::new(5, 4) * Decimal::from(parts.len());
            prop_assert!((rounded_sum - whole).abs() <= tolerance);
        }

        /// At a tier boundary the charge is continuous: one more unit costs the next tier's price.
        #[test]
        fn tier_boundaries_switch_prices(extra in 1u64..1000) {
            let rule = rule(
                PriceModel::Tiered,
                PriceUnit::Gb,
                vec![tier("0", Some("100"), "30", "0"), tier("100", None, "25", "0")],
                ProrationRule::Proration,
                3,
            );
            let at_boundary = rule.charge(d("100"), Decimal::ONE);
            let beyond = rule.charge(d("100") + Decimal::from(extra), Decimal::ONE);
            prop_assert_eq!(beyond - at_boundary, Decimal::from(extra) * d("25"));
        }

        /// Linear prices rate each record independently of what came before.
        #[test]
        fn linear_prices_ignore_earlier_usage(before in 0u64..10_000_000, quantity in 0u64..10_000) {
            let rule = rule(PriceModel::Flat, PriceUnit::Hour, vec![tier("0", None, "26.7", "0")], ProrationRule::Proration, 3);
            let q = Decimal::new(quantity as i64, 2);
            let first = rule.rate(Decimal::ZERO, q, UsageUnit::Hour, 720).unwrap().amount;
            let later = rule.rate(Decimal::new(before as i64, 2), q, UsageUnit::Hour, 720).unwrap().amount;
            prop_assert_eq!(first, later);
        }
    }
}
