//! The billing calendar: KST (billing's clock), KST dates and midnights, and calendar months
//! (`YYYY-MM`), the unit of budgets and bills.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use crate::validation::{FieldError, Problem};

/// Korea Standard Time (UTC+9, no daylight saving since 1988): billing's clock.
pub fn kst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| unreachable!("+09:00 is a valid offset"))
}

/// The KST calendar date of an instant.
pub fn kst_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&kst()).date_naive()
}

/// The first instant of a KST date.
pub fn kst_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .and_then(|naive| naive.and_local_timezone(kst()).single())
        .map_or(DateTime::UNIX_EPOCH, |local| local.with_timezone(&Utc))
}

/// Hours in a KST month (672–744).
pub fn month_hours(month: YearMonth) -> u32 {
    let days = month
        .next()
        .first_day()
        .signed_duration_since(month.first_day())
        .num_days();
    u32::try_from(days * 24).unwrap_or(744)
}

/// A calendar month, e.g. `2026-01`. Ordered chronologically.
///
/// ```
/// use scpfm_domain::month::YearMonth;
///
/// let month: YearMonth = "2025-12".parse().unwrap();
/// assert_eq!(month.next().to_string(), "2026-01");
/// assert!("2025-13".parse::<YearMonth>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

/// The text is not a real `YYYY-MM` month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected a month as YYYY-MM")]
pub struct InvalidYearMonth;

impl YearMonth {
    /// Earliest year accepted on the wire.
    pub const MIN_YEAR: i32 = 1970;
    /// Latest year accepted on the wire.
    pub const MAX_YEAR: i32 = 9999;

    /// The month `month` (1–12) of `year`, if both are in range.
    pub fn new(year: i32, month: u32) -> Result<Self, InvalidYearMonth> {
        if (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) && (1..=12).contains(&month) {
            Ok(Self { year, month })
        } else {
            Err(InvalidYearMonth)
        }
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses a wire value, naming `field` in the error.
    pub fn parse_field(field: &str, text: &str) -> Result<Self, FieldError> {
        text.parse().map_err(|_| {
            FieldError::with_given(
                field,
                Problem::InvalidFormat {
                    expected: "YYYY-MM",
                },
                text,
            )
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before this one.
    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .unwrap_or_else(|| unreachable!("a YearMonth always holds a valid month"))
    }
}

impl FromStr for YearMonth {
    type Err = InvalidYearMonth;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 7
            && bytes[4] == b'-'
            && bytes[..4].iter().all(u8::is_ascii_digit)
            && bytes[5..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(InvalidYearMonth);
        }
        let year = text[..4].parse().map_err(|_| InvalidYearMonth)?;
        let month = text[5..].parse().map_err(|_| InvalidYearMonth)?;
        Self::new(year, month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kst_midnight_is_fifteen_hours_before_utc_midnight() {
        let midnight = kst_midnight(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert_eq!(midnight.to_rfc3339(), "2026-10-31T15:00:00+00:00");
        assert_eq!(
            kst_date(midnight),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
    }

    #[test]
    fn only_real_months_in_the_exact_format_parse() {
        for good in ["2026-01", "1970-01", "9999-12", "2024-02"] {
            assert_eq!(
                good.parse::<YearMonth>().map(|m| m.to_string()),
                Ok(good.to_string())
            );
        }
        for bad in [
            "2026-00",
            "2026-13",
            "2026-1",
            "26-01",
            "2026/01",
            "2026-01-01",
            " 2026-01",
            "",
            "1969-12",
            "２０２６-01",
            "+202-01",
            "2026-+1",
        ] {
            assert_eq!(bad.parse::<YearMonth>(), Err(InvalidYearMonth), "{bad}");
        }
    }

    #[test]
    fn next_and_previous_cross_year_boundaries() {
        let december: YearMonth = "2025-12".parse().unwrap();
        assert_eq!(december.next().to_string(), "2026-01");
        assert_eq!(december.next().previous(), december);
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(year in 1970i32..=9999, month in 1u32..=12) {
            let value = YearMonth::new(year, month).unwrap();
            prop_assert_eq!(value.to_string().parse::<YearMonth>(), Ok(value));
        }

        #[test]
        fn order_follows_the_calendar(a in 1970i32..9999, b in 1u32..=12, c in 1970i32..9999, d in 1u32..=12) {
            let left = YearMonth::new(a, b).unwrap();
            let right = YearMonth::new(c, d).unwrap();
            prop_assert_eq!(left.cmp(&right), left.first_day().cmp(&right.first_day()));
        }
    }
}
