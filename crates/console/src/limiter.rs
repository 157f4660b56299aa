//! Sign-in attempts limited: at most N failures a minute per access key and per client
//! address (`[console] sign_in_failures_per_minute`). Past that, sign-in is refused — even
//! with the right secret — until the oldest failure is a minute old, so guessing a secret
//! costs a minute per N guesses whichever keys or addresses are tried.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Failures remembered per subject before old subjects are swept.
const SWEEP_AT: usize = 10_000;

/// Recent failures by subject (`key:…`, `addr:…`).
pub struct Limiter {
    per_minute: usize,
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl Limiter {
    /// Allowing `per_minute` failures a minute per subject.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1) as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds to wait before any of `subjects` may try again (0: go ahead).
    pub fn wait_seconds(&self, subjects: &[String], now: DateTime<Utc>) -> i64 {
        let Ok(mut failures) = self.failures.lock() else {
            return 60;
        };
        subjects
            .iter()
            .filter_map(|subject| {
                let recent = failures.get_mut(subject)?;
                while recent
                    .front()
                    .is_some_and(|at| now - *at >= Duration::minutes(1))
                {
                    recent.pop_front();
                }
                (recent.len() >= self.per_minute).then(|| {
                    recent
                        .front()
                        .map_or(0, |oldest| 60 - (now - *oldest).num_seconds())
                })
            })
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// Records a failure of each of `subjects`.
    pub fn failed(&self, subjects: &[String], now: DateTime<Utc>) {
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() >= SWEEP_AT {
                failures.retain(|_, recent| {
                    recent
                        .back()
                        .is_some_and(|at| now - *at < Duration::minutes(1))
                });
            }
            for subject in subjects {
                failures.entry(subject.clone()).or_default().push_back(now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn five_failures_a_minute_then_wait() {
        let limiter = Limiter::new(5);
        let key = vec!["key:AK".to_owned(), "addr:1.2.3.4".to_owned()];
        for second in 0..5 {
            assert_eq!(limiter.wait_seconds(&key, at(second)), 0);
            limiter.failed(&key, at(second));
        }
        assert_eq!(limiter.wait_seconds(&key, at(10)), 50);
        let other_key_same_address = vec!["key:BK".to_owned(), "addr:1.2.3.4".to_owned()];
        assert!(limiter.wait_seconds(&other_key_same_address, at(10)) > 0);
        assert_eq!(
            limiter.wait_seconds(&key, at(60)),
            0,
            "the first is a minute old"
        );
        assert_eq!(
            limiter.wait_seconds(&["addr:5.6.7.8".to_owned()], at(10)),
            0
        );
    }
}
