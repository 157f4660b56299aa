//! Wire values made readable for people (tables, mail): thousands separators.

/// A decimal number's text with commas between thousands in its whole part:
/// `1234567.500` → `1,234,567.500`. Text that is not a plain decimal is returned as it is.
///
/// ```
/// use scpfm_api_types::display::group_thousands;
///
/// assert_eq!(group_thousands("1234567.500"), "1,234,567.500");
/// assert_eq!(group_thousands("-1000"), "-1,000");
/// ```
pub fn group_thousands(number: &str) -> String {
    let (sign, unsigned) = number
        .strip_prefix('-')
        .map_or(("", number), |rest| ("-", rest));
    let (whole, fraction) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(whole, fraction)| {
            (whole, Some(fraction))
        });
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_owned();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (idx, digit) in whole.chars().enumerate() {
        if idx > 0 && (whole.len() - idx) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_whole_part_is_grouped() {
        assert_eq!(group_thousands("999"), "999");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands("0.125"), "0.125");
        assert_eq!(group_thousands("1234.5678"), "1,234.5678");
        assert_eq!(group_thousands("n/a"), "n/a");
    }
}
