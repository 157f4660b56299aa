//! Values on the wire: exact decimal strings with the documented number of places, and date
//! parameters.

use chrono::NaiveDate;
use scpfm_api_types::common::Amount;
use scpfm_domain::bill::AMOUNT_SCALE;
use scpfm_domain::decimal_text::fixed;
use scpfm_domain::money::DualAmount;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

/// An amount with `scale` decimals in both currencies.
/// A count or total as the wire's integer (saturating: no list holds 2^63 items).
pub fn count<N: TryInto<i64>>(value: N) -> i64 {
    value.try_into().unwrap_or(i64::MAX)
}

/// An amount with `scale` decimals.
pub fn amount_at(value: DualAmount, scale: u32) -> Amount {
    Amount {
        krw: fixed(value.krw, scale),
        usd: fixed(value.usd, scale),
    }
}

/// A bill, payment, fee or coverage amount: 3 decimals in both currencies.
pub fn amount(value: DualAmount) -> Amount {
    amount_at(value, AMOUNT_SCALE)
}

/// A `YYYY-MM-DD` parameter (absent or empty: `None`); a malformed one is recorded in
/// `errors` with `field`.
pub fn date_param(
    errors: &mut ValidationErrors,
    field: &str,
    text: &Option<String>,
) -> Option<NaiveDate> {
    let text = text.as_deref().filter(|text| !text.is_empty())?;
    let parsed = (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten();
    if parsed.is_none() {
        errors.push(FieldError::with_given(
            field,
            Problem::InvalidFormat {
                expected: "YYYY-MM-DD",
            },
            text,
        ));
    }
    parsed
}
