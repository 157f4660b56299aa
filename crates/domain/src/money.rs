//! Money: exact decimals in KRW (the price currency) and USD (derived by a monthly rate).

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

/// A currency scpfm bills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Currency {
    /// Korean won, the currency of every price.
    Krw,
    /// US dollar, derived from KRW by the month's exchange rate.
    Usd,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Krw => "KRW",
            Self::Usd => "USD",
        }
    }

    /// Display symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Krw => "₩",
            Self::Usd => "$",
        }
    }
}

/// Adding amounts of different currencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot combine {left} with {right}")]
pub struct CurrencyMismatch {
    /// Currency of the left operand.
    pub left: &'static str,
    /// Currency of the right operand.
    pub right: &'static str,
}

/// An amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// `amount` of `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero of `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    /// The amount.
    pub fn amount(self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The sum, if both are in the same currency.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use scpfm_domain::money::{Currency, Money};
    ///
    /// let won = Money::new(Decimal::new(1500, 1), Currency::Krw);
    /// assert_eq!(won.checked_add(won).unwrap().amount(), Decimal::new(300, 0));
    /// assert!(won.checked_add(Money::zero(Currency::Usd)).is_err());
    /// ```
    pub fn checked_add(self, other: Self) -> Result<Self, CurrencyMismatch> {
        if self.currency == other.currency {
            Ok(Self::new(self.amount + other.amount, self.currency))
        } else {
            Err(CurrencyMismatch {
                left: self.currency.code(),
                right: other.currency.code(),
            })
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency.code())
    }
}

/// KRW per USD for a month, e.g. `1380.50`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExchangeRate(Decimal);

impl ExchangeRate {
    /// A rate, if positive.
    pub fn new(krw_per_usd: Decimal) -> Option<Self> {
        (krw_per_usd > Decimal::ZERO).then_some(Self(krw_per_usd))
    }

    /// KRW per USD.
    pub fn krw_per_usd(self) -> Decimal {
        self.0
    }

    /// `krw` in USD at `scale` decimals, halves to even.
    pub fn to_usd(self, krw: Decimal, scale: u32) -> Decimal {
        (krw / self.0).round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven)
    }
}

/// An amount in KRW with its USD equivalent, as the wire's `Amount {krw, usd}` carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DualAmount {
    /// Korean won.
    pub krw: Decimal,
    /// US dollars.
    pub usd: Decimal,
}

impl DualAmount {
    /// Zero in both currencies.
    pub const ZERO: Self = Self {
        krw: Decimal::ZERO,
        usd: Decimal::ZERO,
    };

    /// `krw` with its USD equivalent at `scale` decimals.
    pub fn from_krw(krw: Decimal, rate: ExchangeRate, scale: u32) -> Self {
        Self {
            krw,
            usd: rate.to_usd(krw, scale),
        }
    }
}

impl std::ops::Add for DualAmount {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self {
            krw: self.krw + other.krw,
            usd: self.usd + other.usd,
        }
    }
}

impl std::ops::AddAssign for DualAmount {
    fn add_assign(&mut self, other: Self) {
        *self = *self + other;
    }
}

impl std::iter::Sum for DualAmount {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |total, amount| total + amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn money(cents: i64) -> Money {
        Money::new(Decimal::new(cents, 2), Currency::Krw)
    }

    #[test]
    fn usd_is_derived_at_the_requested_scale() {
        let rate = ExchangeRate::new(Decimal::new(138050, 2)).unwrap();
        assert_eq!(
            rate.to_usd(Decimal::new(1_380_500, 0), 3),
            Decimal::new(1_000_000, 3)
        );
        assert_eq!(rate.to_usd(Decimal::new(27, 0), 3), Decimal::new(20, 3));
        assert!(ExchangeRate::new(Decimal::ZERO).is_none());
    }

    proptest! {
        #[test]
        fn addition_is_associative_and_commutative(a in -1_000_000_000i64..1_000_000_000, b in -1_000_000_000i64..1_000_000_000, c in -1_000_000_000i64..1_000_000_000) {
            let (a, b, c) = (money(a), money(b), money(c));
            prop_assert_eq!(a.checked_add(b).unwrap(), b.checked_add(a).unwrap());
            prop_assert_eq!(
                a.checked_add(b).unwrap().checked_add(c).unwrap(),
                a.checked_add(b.checked_add(c).unwrap()).unwrap()
            );
        }

        #[test]
        fn mixing_currencies_always_fails(a in -1_000_000i64..1_000_000, b in -1_000_000i64..1_000_000) {
            let usd = Money::new(Decimal::new(b, 2), Currency::Usd);
            prop_assert!(money(a).checked_add(usd).is_err());
        }
    }
}
