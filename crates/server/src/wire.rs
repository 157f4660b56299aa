//! Decimal numbers on the wire: exact decimal strings with the documented number of places.

use rust_decimal::Decimal;

/// `value` with exactly `scale` decimals (rounded half to even if it had more).
///
/// Amounts reach the wire already rounded by their rules; rounding here only pads.
pub fn fixed(value: Decimal, scale: u32) -> String {
    let rounded = value.round_dp(scale);
    format!("{rounded:.prec$}", prec = scale as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_padded_to_their_scale() {
        let d = |text: &str| text.parse::<Decimal>().unwrap();
        assert_eq!(fixed(d("22.6"), 8), "22.60000000");
        assert_eq!(fixed(d("0"), 3), "0.000");
        assert_eq!(fixed(d("1234.5"), 10), "1234.5000000000");
        assert_eq!(fixed(d("-0.25"), 3), "-0.250");
    }
}
