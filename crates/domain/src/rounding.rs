//! Rounding rules of prices: which way, at which decimal position.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// How a rated amount is rounded at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundingRule {
    /// Toward zero (truncate).
    RoundDown,
    /// Away from zero.
    RoundUp,
    /// To nearest; halves away from zero.
    HalfUp,
    /// To nearest; halves toward zero.
    HalfDown,
    /// To nearest; halves to the even neighbour (bankers').
    HalfEven,
    /// Toward positive infinity.
    Ceiling,
    /// Toward negative infinity.
    Floor,
}

impl RoundingRule {
    /// Every rule, in documentation order.
    pub const ALL: [Self; 7] = [
        Self::RoundDown,
        Self::RoundUp,
        Self::HalfUp,
        Self::HalfDown,
        Self::HalfEven,
        Self::Ceiling,
        Self::Floor,
    ];

    /// The wire name (`ROUND_DOWN`…), as the Pricing API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoundDown => "ROUND_DOWN",
            Self::RoundUp => "ROUND_UP",
            Self::HalfUp => "HALF_UP",
            Self::HalfDown => "HALF_DOWN",
            Self::HalfEven => "HALF_EVEN",
            Self::Ceiling => "CEILING",
            Self::Floor => "FLOOR",
        }
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Self::RoundDown => RoundingStrategy::ToZero,
            Self::RoundUp => RoundingStrategy::AwayFromZero,
            Self::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfDown => RoundingStrategy::MidpointTowardZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
            Self::Ceiling => RoundingStrategy::ToPositiveInfinity,
            Self::Floor => RoundingStrategy::ToNegativeInfinity,
        }
    }
}

impl FromStr for RoundingRule {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|rule| rule.as_str() == text)
            .ok_or(())
    }
}

/// A rule and the number of decimal places it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rounding {
    rule: RoundingRule,
    position: u32,
}

impl Rounding {
    /// Largest position a usage amount may keep: bills carry 3 decimals on the wire, so usage
    /// amounts keep at most 3 and every bill is an exact sum of its usage.
    pub const MAX_POSITION: u32 = 3;

    /// A rounding at `position` decimal places (0 = whole won), if within range.
    pub fn new(rule: RoundingRule, position: u32) -> Option<Self> {
        (position <= Self::MAX_POSITION).then_some(Self { rule, position })
    }

    /// The rule.
    pub fn rule(self) -> RoundingRule {
        self.rule
    }

    /// Decimal places kept.
    pub fn position(self) -> u32 {
        self.position
    }

    /// Rounds `value`.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use scpfm_domain::rounding::{Rounding, RoundingRule};
    ///
    /// let down = Rounding::new(RoundingRule::RoundDown, 0).unwrap();
    /// assert_eq!(down.apply(Decimal::new(2679, 2)), Decimal::new(26, 0));
    /// ```
    pub fn apply(self, value: Decimal) -> Decimal {
        value.round_dp_with_strategy(self.position, self.rule.strategy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decimal(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn every_rule_rounds_as_named() {
        let check = |rule, value: &str, expected: &str| {
            assert_eq!(
                Rounding::new(rule, 1).unwrap().apply(decimal(value)),
                decimal(expected),
                "{rule:?} {value}"
            );
        };
        check(RoundingRule::RoundDown, "1.29", "1.2");
        check(RoundingRule::RoundDown, "-1.29", "-1.2");
        check(RoundingRule::RoundUp, "1.21", "1.3");
        check(RoundingRule::HalfUp, "1.25", "1.3");
        check(RoundingRule::HalfDown, "1.25", "1.2");
        check(RoundingRule::HalfEven, "1.25", "1.2");
        check(RoundingRule::HalfEven, "1.35", "1.4");
        check(RoundingRule::Ceiling, "-1.29", "-1.2");
        check(RoundingRule::Floor, "-1.21", "-1.3");
    }

    #[test]
    fn positions_beyond_the_bill_scale_are_refused() {
        assert!(Rounding::new(RoundingRule::HalfUp, 3).is_some());
        assert!(Rounding::new(RoundingRule::HalfUp, 4).is_none());
    }

    proptest! {
        #[test]
        fn rounding_is_never_off_by_a_unit_at_the_position(
            mantissa in -10_000_000_000i64..10_000_000_000,
            scale in 0u32..10,
            position in 0u32..=3,
            rule_idx in 0usize..7,
        ) {
            let value = Decimal::new(mantissa, scale);
            let rounding = Rounding::new(RoundingRule::ALL[rule_idx], position).unwrap();
            let rounded = rounding.apply(value);
            let unit = Decimal::new(1, position);
            prop_assert!((rounded - value).abs() < unit);
            prop_assert!(rounded.scale() <= position);
            // Rounding a rounded value changes nothing.
            prop_assert_eq!(rounding.apply(rounded), rounded);
        }
    }
}
