//! Time on the wire: every format the seeds use, in Korea Standard Time.
//!
//! Billing runs in Asia/Seoul, so instants are shown in KST without an offset, each model in
//! its own documented format. This is the only place instants become text.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Asia::Seoul;

/// The time zone of every wire timestamp, as the usage list reports it.
pub const TIMEZONE: &str = "Asia/Seoul";

/// `YYYY-MM-DD{separator}HH:MM:SS` in KST. Written digit by digit: every response carries
/// several timestamps (a usage page of 100, hundreds), and parsing a strftime pattern, then
/// `write!`'s padding machinery, each showed up in profiles.
fn kst_timestamp(instant: DateTime<Utc>, separator: char) -> String {
    let local = instant.with_timezone(&Seoul);
    let Some(year) = u32::try_from(local.year())
        .ok()
        .filter(|year| *year <= 9999)
    else {
        // Outside four-digit years: never a billing time, but shown rather than refused.
        let pattern = format!("%Y-%m-%d{separator}%H:%M:%S");
        return local.format(&pattern).to_string();
    };
    let mut text = String::with_capacity(19);
    push_digits(&mut text, year, 4);
    text.push('-');
    push_digits(&mut text, local.month(), 2);
    text.push('-');
    push_digits(&mut text, local.day(), 2);
    text.push(separator);
    push_digits(&mut text, local.hour(), 2);
    text.push(':');
    push_digits(&mut text, local.minute(), 2);
    text.push(':');
    push_digits(&mut text, local.second(), 2);
    text
}

/// Appends the last `width` decimal digits of `value`, zero-padded.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for position in (0..width).rev() {
        let digit = (value / 10u32.pow(position)) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

/// Budget timestamps: `2025-11-01T00:00:00` (KST).
pub fn budget_timestamp(instant: DateTime<Utc>) -> String {
    kst_timestamp(instant, 'T')
}

/// Usage dates: the period start, `2024-08-01T00:00:00` (KST).
pub fn usage_date(instant: DateTime<Utc>) -> String {
    kst_timestamp(instant, 'T')
}

/// Planned compute timestamps: `2024-08-01T00:00:00` (KST), the form SCP's official Go SDK
/// reads (the seeds' examples write a space, which it cannot decode; `docs/API.md`).
pub fn planned_compute_timestamp(instant: DateTime<Utc>) -> String {
    kst_timestamp(instant, 'T')
}

/// Calendar dates: `2024-08-01`.
pub fn date(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_seoul_time() {
        let instant = DateTime::parse_from_rfc3339("2025-10-31T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(budget_timestamp(instant), "2025-11-01T00:00:00");
        assert_eq!(planned_compute_timestamp(instant), "2025-11-01T00:00:00");
        let late = DateTime::parse_from_rfc3339("2026-12-31T23:59:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(budget_timestamp(late), "2027-01-01T08:59:59");

        assert_eq!(
            date(NaiveDate::from_ymd_opt(2024, 8, 1).unwrap()),
            "2024-08-01"
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn digit_by_digit_matches_strftime(seconds in -62_135_596_800i64..253_402_268_000) {
            let instant = DateTime::from_timestamp(seconds, 0).unwrap();
            let expected = instant.with_timezone(&Seoul).format("%Y-%m-%dT%H:%M:%S").to_string();
            prop_assert_eq!(planned_compute_timestamp(instant), expected);
        }
    }
}
