//! The time source: the system clock in production, a settable clock in tests.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use scpfm_store::demo_clock::DemoClock;
use scpfm_store::Store;

/// Where the server reads the current time. Nothing else in scpfm reads the clock.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that started at a chosen instant and runs at the system clock's pace (`[clock]
/// start`): demos, tests of whole server processes, and replays of past months.
#[derive(Debug, Clone, Copy)]
pub struct ShiftedClock {
    shift: Duration,
}

impl ShiftedClock {
    /// A clock reading `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            shift: start - Utc::now(),
        }
    }

    /// The clock of a demo database: it read `demo.demo_start` at the real instant
    /// `demo.started_at`.
    pub fn of_demo(demo: DemoClock) -> Self {
        Self {
            shift: demo.demo_start - demo.started_at,
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.shift
    }
}

/// The clock `[clock] start` asks for: the system clock, or one shifted to start there.
pub fn configured(start: Option<&str>) -> anyhow::Result<Arc<dyn Clock>> {
    match start {
        None => Ok(Arc::new(SystemClock)),
        Some(text) => Ok(Arc::new(ShiftedClock::starting_at(parse_start(text)?))),
    }
}

/// Parses `[clock] start`.
pub fn parse_start(text: &str) -> anyhow::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|start| start.with_timezone(&Utc))
        .map_err(|error| {
            anyhow::anyhow!(
                "clock.start must be an RFC 3339 instant such as 2026-11-20T12:00:00+09:00, \
                 not {text:?}: {error}"
            )
        })
}

/// The clock of a process working on `store`: `[clock] start` when set, else the database's
/// demo clock when it is a demo database, else the system clock.
pub async fn for_database(start: Option<&str>, store: &Store) -> anyhow::Result<Arc<dyn Clock>> {
    if start.is_some() {
        return configured(start);
    }
    Ok(match store.demo_clock().await? {
        Some(demo) => Arc::new(ShiftedClock::of_demo(demo)),
        None => Arc::new(SystemClock),
    })
}

/// A clock that only moves when told to; shared clones see the same time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock standing at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(Mutex::new(now)),
        }
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        if let Ok(mut current) = self.now.lock() {
            *current = now;
        }
    }

    /// Moves the clock forward by `step`.
    pub fn advance(&self, step: Duration) {
        if let Ok(mut current) = self.now.lock() {
            *current += step;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
            .lock()
            .map(|now| *now)
            .unwrap_or(DateTime::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let clock = ManualClock::new(start);
        let shared = clock.clone();
        assert_eq!(clock.now(), start);
        shared.advance(Duration::seconds(5));
        assert_eq!(clock.now(), start + Duration::seconds(5));
    }

    #[test]
    fn a_shifted_clock_starts_where_it_is_told() {
        let clock = configured(Some("2026-11-20T12:00:00+09:00")).unwrap();
        let start = DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z").unwrap();
        let drift = clock.now() - start.with_timezone(&Utc);
        assert!(drift >= Duration::zero() && drift < Duration::minutes(1));
        assert!(configured(Some("yesterday")).is_err());
    }

    #[test]
    fn a_demo_clock_keeps_its_distance_from_real_time() {
        let real = DateTime::parse_from_rfc3339("2027-03-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let demo = DemoClock {
            demo_start: real - Duration::days(100),
            started_at: real,
        };
        let drift = Utc::now() + Duration::days(-100) - ShiftedClock::of_demo(demo).now();
        assert!(drift.num_seconds().abs() < 60);
    }
}
