//! Time on the wire: every format the seeds use, in Korea Standard Time.
//!
//! Billing runs in Asia/Seoul, so instants are shown in KST without an offset, each model in
//! its own documented format. This is the only place instants become text.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Asia::Seoul;

/// The time zone of every wire timestamp, as the usage list reports it.
pub const TIMEZONE: &str = "Asia/Seoul";

/// `YYYY-MM-DD{separator}HH:MM:SS` in KST. Written with plain integer formatting: every
/// response carries several timestamps, and parsing a strftime pattern each time showed up
/// in profiles.
fn kst_timestamp(instant: DateTime<Utc>, separator: char) -> String {
    let local = instant.with_timezone(&Seoul);
    let mut text = String::with_capacity(19);
    let _ = write!(
        text,
        "{:04}-{:02}-{:02}{separator}{:02}:{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    );
    text
}

/// Budget timestamps: `2025-11-01T00:00:00` (KST).
pub fn budget_timestamp(instant: DateTime<Utc>) -> String {
    kst_timestamp(instant, 'T')
}

/// Usage dates: the period start, `2024-08-01T00:00:00` (KST).
pub fn usage_date(instant: DateTime<Utc>) -> String {
    kst_timestamp(instant, 'T')
}

/// Planned compute timestamps: `2024-08-01 00:00:00` (KST).
pub fn planned_compute_timestamp(instant: DateTime<Utc>) -> String {
    kst_timestamp(instant, ' ')
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
        assert_eq!(planned_compute_timestamp(instant), "2025-11-01 00:00:00");
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
