//! Exact decimals as text with a fixed number of places, the way the wire and the mail write
//! amounts and percentages.

use rust_decimal::Decimal;

/// `value` with exactly `scale` decimals (rounded half to even if it had more).
///
/// Amounts reach the wire already rounded by their rules; rounding here only pads.
pub fn fixed(value: Decimal, scale: u32) -> String {
    let rounded = value.round_dp(scale);
    // The digits of the mantissa at `scale` decimals, with the point put in: a page of bills
    // writes 36 amounts a line, and this is several times faster than `Decimal`'s Display.
    let widened = 10i128
        .checked_pow(scale.saturating_sub(rounded.scale()))
        .and_then(|factor| rounded.mantissa().checked_mul(factor));
    let Some(mantissa) = widened else {
        return padded(rounded, scale as usize);
    };
    let digits = mantissa.unsigned_abs().to_string();
    let scale = scale as usize;
    let mut out = String::with_capacity(digits.len() + scale + 3);
    if mantissa < 0 {
        out.push('-');
    }
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.push_str(whole);
        if scale > 0 {
            out.push('.');
            out.push_str(fraction);
        }
    } else {
        out.push('0');
        out.push('.');
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    }
    out
}

/// `value` (with at most `scale` decimals) padded with zeros to `scale` decimals, through
/// `Display` without a precision (which, unlike `{:.N}`, never runs out of room).
fn padded(value: Decimal, scale: usize) -> String {
    let mut text = value.to_string();
    let decimals = text
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    if scale > decimals {
        if decimals == 0 {
            text.push('.');
        }
        text.extend(std::iter::repeat_n('0', scale - decimals));
    }
    text
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
        assert_eq!(fixed(d("0.0005"), 3), "0.000");
        assert_eq!(fixed(d("0.0015"), 3), "0.002");
        assert_eq!(fixed(d("-0.001"), 3), "-0.001");
        assert_eq!(fixed(d("7"), 0), "7");
        assert_eq!(
            fixed(Decimal::MAX, 10),
            "79228162514264337593543950335.0000000000"
        );
        assert_eq!(padded(Decimal::new(226, 1), 3), "22.600");
    }

    proptest::proptest! {
        #[test]
        fn fast_formatting_equals_decimal_display(mantissa in proptest::num::i64::ANY, from in 0u32..12, to in 0u32..11) {
            let value = Decimal::new(mantissa, from);
            let rounded = value.round_dp(to);
            proptest::prop_assert_eq!(fixed(value, to), format!("{rounded:.prec$}", prec = to as usize));
        }
    }
}
