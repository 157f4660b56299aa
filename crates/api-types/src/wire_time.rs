//! Time on the wire: every format the seeds use, in Korea Standard Time.
//!
//! Billing runs in Asia/Seoul, so instants are shown in KST without an offset, each model in
//! its own documented format. This is the only place instants become text.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Seoul;

/// The time zone of every wire timestamp, as the usage list reports it.
pub const TIMEZONE: &str = "Asia/Seoul";

/// Budget timestamps: `2025-11-01T00:00:00` (KST).
pub fn budget_timestamp(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&Seoul)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// Planned compute timestamps: `2024-08-01 00:00:00` (KST).
pub fn planned_compute_timestamp(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&Seoul)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Calendar dates: `2024-08-01`.
pub fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
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
    }
}
