//! How the console writes numbers and times: KRW as `₩1,234,567`, USD as `$1,234.56`, times
//! in KST. Amounts arrive as the API's exact decimal text and are never turned into floats.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use scpfm_api_types::display::group_thousands as grouped;

/// Korea Standard Time (no daylight saving).
const KST_SECONDS: i32 = 9 * 3600;

/// A decimal, or zero for text that is not one.
pub fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text.trim()).unwrap_or_default()
}

/// KRW: whole won shown (half away from zero), `₩1,234,567`; negative as `-₩1,234`.
pub fn won(amount: Decimal) -> String {
    let whole = amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let text = grouped(&whole.abs().to_string());
    if whole.is_sign_negative() && !whole.is_zero() {
        format!("-₩{text}")
    } else {
        format!("₩{text}")
    }
}

/// KRW exactly as the API wrote it, grouped: `₩1,234,567.5`.
pub fn won_exact(amount: Decimal) -> String {
    let text = grouped(&amount.normalize().abs().to_string());
    if amount.is_sign_negative() && !amount.is_zero() {
        format!("-₩{text}")
    } else {
        format!("₩{text}")
    }
}

/// USD to the cent: `$1,234.56`.
pub fn usd(amount: Decimal) -> String {
    let cents = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = grouped(&format!("{:.2}", cents.abs()));
    if cents.is_sign_negative() && !cents.is_zero() {
        format!("-${text}")
    } else {
        format!("${text}")
    }
}

/// A plain number grouped (quantities): `1,234.5`.
pub fn number(amount: Decimal) -> String {
    grouped(&amount.normalize().to_string())
}

/// An instant of the API (RFC 3339) as KST `2026-11-20 12:00`; other text as it is.
pub fn kst(text: &str) -> String {
    let offset = FixedOffset::east_opt(KST_SECONDS);
    match (DateTime::parse_from_rfc3339(text), offset) {
        (Ok(at), Some(offset)) => at
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        _ => text.to_owned(),
    }
}

/// The KST date of an API instant (RFC 3339), when it is one.
pub fn kst_date(text: &str) -> Option<NaiveDate> {
    let offset = FixedOffset::east_opt(KST_SECONDS)?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&offset).date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn won_groups_whole_won() {
        assert_eq!(won(decimal("1234567")), "₩1,234,567");
        assert_eq!(won(decimal("1234567.5")), "₩1,234,568");
        assert_eq!(won(decimal("-1234.4")), "-₩1,234");
        assert_eq!(won(decimal("0")), "₩0");
        assert_eq!(won(decimal("999")), "₩999");
        assert_eq!(won(decimal("100000")), "₩100,000");
        assert_eq!(won_exact(decimal("1234567.50")), "₩1,234,567.5");
    }

    #[test]
    fn usd_to_the_cent() {
        assert_eq!(usd(decimal("1234.5")), "$1,234.50");
        assert_eq!(usd(decimal("0.005")), "$0.01");
        assert_eq!(usd(decimal("-12")), "-$12.00");
    }

    #[test]
    fn times_in_kst() {
        assert_eq!(kst("2026-11-20T03:00:00Z"), "2026-11-20 12:00");
        assert_eq!(kst("not a time"), "not a time");
        assert_eq!(
            kst_date("2026-11-30T15:00:00Z"),
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
    }
}
