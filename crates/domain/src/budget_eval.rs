//! Evaluating a budget: the cost of its current period against its amount, a month-end
//! forecast, and which notifications that standing calls for.
//!
//! - **Period.** A MONTHLY budget measures the current KST month (from its start month on);
//!   an OVERALL budget the months from its start month to the current one. A budget whose
//!   start month has not come measures nothing. Each period has a key: MONTHLY periods are
//!   keyed by their month (`2026-11`), so a new month is a new period; an OVERALL budget has
//!   one period for its whole life (`2026-09~`).
//! - **Cost** is the account's bills after discounts (`amounts`), in KRW.
//! - **Forecast**: the period's cost so far plus what the current month is still expected to
//!   add — by the cost forecast model ([`crate::forecast`], the same as CostExplorer's), or,
//!   with no day of history yet, at the month's run-rate so far. No forecast in a month's
//!   first hour (too little to go on).
//! - **Notifications** ([`decide`]): every notification has a key, unique per budget; the
//!   store records a key once, so deciding the same thing again sends nothing twice.
//!   FIRST: one per threshold per period (`first/2026-11/80`); DAILY: one per KST day while
//!   any threshold is reached, naming the highest (`daily/2026-11/2026-11-20`); NONE: one
//!   record per threshold per period, never mailed (`none/2026-11/80`); prevention: one per
//!   prevention episode — each time the account enters "creation prevented"
//!   (`prevention/2026-11/3`).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::budget::{Budget, BudgetUnit, SendPeriod};
use crate::email::EmailAddress;
use crate::month::YearMonth;
use crate::month::{kst_date, kst_midnight};

/// The months a budget measures now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetPeriod {
    /// Monthly or overall.
    pub unit: BudgetUnit,
    /// The first month measured.
    pub first: YearMonth,
    /// The current month (KST), the last one measured.
    pub current: YearMonth,
}

impl BudgetPeriod {
    /// Every month of the period, oldest first.
    pub fn months(&self) -> Vec<YearMonth> {
        let mut months = vec![self.first];
        while let Some(last) = months.last().copied() {
            if last >= self.current {
                break;
            }
            months.push(last.next());
        }
        months
    }

    /// Identifies the period: the month for MONTHLY budgets, `START~` for OVERALL ones.
    pub fn key(&self) -> String {
        match self.unit {
            BudgetUnit::Monthly => self.current.to_string(),
            BudgetUnit::Overall => format!("{}~", self.first),
        }
    }
}

/// The period `budget` measures in the KST month `current`; `None` before its start month.
pub fn current_period(budget: &Budget, current: YearMonth) -> Option<BudgetPeriod> {
    let start = budget.core.start_month;
    if current < start {
        return None;
    }
    let first = match budget.core.unit {
        BudgetUnit::Monthly => current,
        BudgetUnit::Overall => start,
    };
    Some(BudgetPeriod {
        unit: budget.core.unit,
        first,
        current,
    })
}

/// The cost of a period, split so the current month can be forecast.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodCost {
    /// The period's months before the current one (final or nearly so).
    pub earlier: Decimal,
    /// The current month so far.
    pub current: Decimal,
}

impl PeriodCost {
    /// The whole period's cost.
    pub fn total(&self) -> Decimal {
        self.earlier + self.current
    }
}

/// How far the current KST month has run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthProgress {
    /// Seconds since the month began.
    pub elapsed_seconds: i64,
    /// Seconds in the whole month.
    pub total_seconds: i64,
}

/// The progress of the KST month `now` falls in.
pub fn month_progress(now: DateTime<Utc>) -> MonthProgress {
    let month = YearMonth::of(kst_date(now));
    let start = kst_midnight(month.first_day());
    let end = kst_midnight(month.next().first_day());
    MonthProgress {
        elapsed_seconds: (now - start).num_seconds(),
        total_seconds: (end - start).num_seconds(),
    }
}

/// Least part of a month that must have passed before it is forecast.
pub const MIN_FORECAST_SECONDS: i64 = 3_600;

/// The period's cost at the end of the current month, in whole KRW (half away from zero),
/// never below the cost so far; `None` in the month's first hour.
///
/// `to_come` is the cost the month is still expected to add: the forecast model's
/// ([`crate::forecast::Model::still_to_come`], weekday-aware, from the daily history).
/// Without it (no day of history yet) the current month runs on at its run-rate so far.
///
/// ```
/// use rust_decimal::Decimal;
/// use scpfm_domain::budget_eval::{forecast, MonthProgress, PeriodCost};
///
/// // A third of a 30-day month has passed and cost 100,000 KRW, after 50,000 KRW in the
/// // period's earlier months.
/// let cost = PeriodCost { earlier: Decimal::from(50_000), current: Decimal::from(100_000) };
/// let progress = MonthProgress { elapsed_seconds: 864_000, total_seconds: 2_592_000 };
/// // The model expects 180,000.4 KRW more.
/// let model = forecast(cost, progress, Some(Decimal::new(1_800_004, 1)));
/// assert_eq!(model, Some(Decimal::from(330_000)));
/// // No history: the run-rate (300,000 by the month's end).
/// assert_eq!(forecast(cost, progress, None), Some(Decimal::from(350_000)));
/// ```
pub fn forecast(
    cost: PeriodCost,
    progress: MonthProgress,
    to_come: Option<Decimal>,
) -> Option<Decimal> {
    if progress.elapsed_seconds < MIN_FORECAST_SECONDS {
        return None;
    }
    let current = match to_come {
        Some(to_come) => cost.current + to_come.max(Decimal::ZERO),
        None => {
            let elapsed = Decimal::from(progress.elapsed_seconds.min(progress.total_seconds));
            cost.current * Decimal::from(progress.total_seconds) / elapsed
        }
    };
    Some(
        (cost.earlier + current)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .max(cost.total().ceil()),
    )
}

/// `part` as a percentage of `amount` (2 decimals, rounded down).
pub fn percent_of(part: Decimal, amount: i64) -> Decimal {
    (part * Decimal::ONE_HUNDRED / Decimal::from(amount.max(1)))
        .round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// A budget's standing: cost, percentage of the amount (2 decimals, rounded down) and the
/// thresholds it has reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The period's cost (KRW).
    pub cost: Decimal,
    /// Cost as a percentage of the amount.
    pub percent: Decimal,
    /// Notification thresholds reached (cost ≥ threshold % of the amount), ascending.
    pub crossed: Vec<u8>,
    /// True when prevention is on and its threshold is reached.
    pub preventing: bool,
}

/// Evaluates `budget` for a period whose cost is `cost`.
pub fn evaluate(budget: &Budget, cost: Decimal) -> Evaluation {
    let amount = Decimal::from(budget.core.amount.krw());
    let reached = |percent: u8| cost * Decimal::ONE_HUNDRED >= amount * Decimal::from(percent);
    let crossed = if budget.notifications.enabled {
        budget
            .notifications
            .thresholds
            .iter()
            .map(|threshold| threshold.percent())
            .filter(|percent| reached(*percent))
            .collect()
    } else {
        Vec::new()
    };
    Evaluation {
        cost,
        percent: percent_of(cost, budget.core.amount.krw()),
        crossed,
        preventing: budget.prevention.enabled && reached(budget.prevention.threshold.percent()),
    }
}

/// The service categories creation prevention covers: SCP's Compute and Database service
/// groups (Virtual Server, GPU Server, the databases…).
pub const PREVENTED_CATEGORIES: [&str; 2] = ["COMPUTE", "DATABASE"];

/// True when a budget's creation prevention applies to services of `category`.
pub fn prevention_covers(category: &str) -> bool {
    PREVENTED_CATEGORIES.contains(&category)
}

/// What the evaluator remembers of a budget from its previous run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetMemory {
    /// The period evaluated ([`BudgetPeriod::key`]); empty before the start month.
    pub period_key: String,
    /// When the current prevention episode began; `None` while creation is allowed.
    pub preventing_since: Option<DateTime<Utc>>,
    /// Prevention episodes so far (numbers each episode's notification).
    pub prevention_episodes: u32,
}

/// Why a notification exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// A threshold reached, mailed once per period (`FIRST`).
    Threshold,
    /// The daily mail while a threshold is reached (`DAILY`).
    Daily,
    /// A threshold reached, recorded and not mailed (`NONE`).
    Recorded,
    /// The account entered "creation prevented".
    Prevention,
}

impl NoticeKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [
        Self::Threshold,
        Self::Daily,
        Self::Recorded,
        Self::Prevention,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Threshold => "THRESHOLD",
            Self::Daily => "DAILY",
            Self::Recorded => "RECORDED",
            Self::Prevention => "PREVENTION",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == code)
    }
}

/// A notification a budget's standing calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Why.
    pub kind: NoticeKind,
    /// Unique per budget: a key is recorded (and mailed) once.
    pub key: String,
    /// The threshold reached (for DAILY the highest one; for prevention its threshold).
    pub threshold: u8,
    /// Who is mailed; empty when the notice is only recorded.
    pub receivers: Vec<EmailAddress>,
}

/// What an evaluation decides: notifications to record and what to remember.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Notifications; the store records each key once.
    pub notices: Vec<Notice>,
    /// The memory to keep for the next run.
    pub memory: BudgetMemory,
}

/// Decides the notifications of `budget` whose `period` stands at `evaluation` at `now`,
/// given what the previous run remembered.
pub fn decide(
    budget: &Budget,
    period: Option<&BudgetPeriod>,
    evaluation: &Evaluation,
    previous: Option<&BudgetMemory>,
    now: DateTime<Utc>,
) -> Decision {
    let episodes = previous.map_or(0, |memory| memory.prevention_episodes);
    let Some(period) = period else {
        return Decision {
            notices: Vec::new(),
            memory: BudgetMemory {
                period_key: String::new(),
                preventing_since: None,
                prevention_episodes: episodes,
            },
        };
    };
    let period_key = period.key();
    let mut notices = threshold_notices(budget, &period_key, evaluation, now);
    let continuing = previous
        .filter(|memory| memory.period_key == period_key)
        .and_then(|memory| memory.preventing_since);
    let (preventing_since, prevention_episodes) = match (evaluation.preventing, continuing) {
        (false, _) => (None, episodes),
        (true, Some(since)) => (Some(since), episodes),
        (true, None) => {
            let episode = episodes + 1;
            notices.push(Notice {
                kind: NoticeKind::Prevention,
                key: format!("prevention/{period_key}/{episode}"),
                threshold: budget.prevention.threshold.percent(),
                receivers: budget.prevention.receivers.clone(),
            });
            (Some(now), episode)
        }
    };
    Decision {
        notices,
        memory: BudgetMemory {
            period_key,
            preventing_since,
            prevention_episodes,
        },
    }
}

fn threshold_notices(
    budget: &Budget,
    period_key: &str,
    evaluation: &Evaluation,
    now: DateTime<Utc>,
) -> Vec<Notice> {
    let receivers = &budget.notifications.receivers;
    match budget.notifications.send_period {
        SendPeriod::First => evaluation
            .crossed
            .iter()
            .map(|threshold| Notice {
                kind: NoticeKind::Threshold,
                key: format!("first/{period_key}/{threshold}"),
                threshold: *threshold,
                receivers: receivers.clone(),
            })
            .collect(),
        SendPeriod::None => evaluation
            .crossed
            .iter()
            .map(|threshold| Notice {
                kind: NoticeKind::Recorded,
                key: format!("none/{period_key}/{threshold}"),
                threshold: *threshold,
                receivers: Vec::new(),
            })
            .collect(),
        SendPeriod::Daily => evaluation
            .crossed
            .iter()
            .max()
            .map(|highest| Notice {
                kind: NoticeKind::Daily,
                key: format!("daily/{period_key}/{}", today(now)),
                threshold: *highest,
                receivers: receivers.clone(),
            })
            .into_iter()
            .collect(),
    }
}

fn today(now: DateTime<Utc>) -> NaiveDate {
    kst_date(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{
        BudgetAmount, BudgetCore, BudgetName, BudgetType, NotificationSettings, PreventionSettings,
        Threshold,
    };
    use crate::ids::{AccountId, BudgetId};
    use proptest::prelude::*;

    fn budget(unit: BudgetUnit, start: &str, amount: i64) -> Budget {
        let receivers = vec![EmailAddress::parse("r", "team@example.com").unwrap()];
        Budget {
            id: BudgetId::from_bytes([7; 16]),
            account_id: AccountId::from_bytes([1; 16]),
            core: BudgetCore {
                name: BudgetName::parse("b").unwrap(),
                unit,
                start_month: start.parse().unwrap(),
                amount: BudgetAmount::parse(amount).unwrap(),
            },
            budget_type: BudgetType::Cost,
            notifications: NotificationSettings {
                enabled: true,
                send_period: SendPeriod::First,
                receivers: receivers.clone(),
                thresholds: [70, 100]
                    .map(|p| Threshold::parse("t", i64::from(p)).unwrap())
                    .to_vec(),
            },
            prevention: PreventionSettings {
                enabled: true,
                receivers,
                threshold: Threshold::parse("t", 90).unwrap(),
            },
            created_at: chrono::DateTime::UNIX_EPOCH,
            created_by: "t".into(),
            modified_at: chrono::DateTime::UNIX_EPOCH,
            modified_by: "t".into(),
        }
    }

    fn month(text: &str) -> YearMonth {
        text.parse().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn keys(decision: &Decision) -> Vec<&str> {
        decision.notices.iter().map(|n| n.key.as_str()).collect()
    }

    #[test]
    fn periods_are_the_month_or_everything_since_the_start() {
        let monthly = budget(BudgetUnit::Monthly, "2026-09", 100);
        let period = current_period(&monthly, month("2026-11")).unwrap();
        assert_eq!(period.months(), vec![month("2026-11")]);
        assert_eq!(period.key(), "2026-11");
        assert!(current_period(&monthly, month("2026-08")).is_none());
        let overall = budget(BudgetUnit::Overall, "2026-09", 100);
        let period = current_period(&overall, month("2026-11")).unwrap();
        assert_eq!(
            period.months(),
            vec![month("2026-09"), month("2026-10"), month("2026-11")]
        );
        assert_eq!(period.key(), "2026-09~");
        let later = current_period(&overall, month("2027-01")).unwrap();
        assert_eq!(
            later.key(),
            period.key(),
            "an overall budget keeps its period"
        );
    }

    #[test]
    fn thresholds_are_reached_at_their_percentage_exactly() {
        let b = budget(BudgetUnit::Monthly, "2026-01", 1_000_000);
        let below = evaluate(&b, Decimal::new(699_999_999, 3));
        assert_eq!((below.crossed.clone(), below.preventing), (vec![], false));
        assert_eq!(below.percent, Decimal::new(6999, 2));
        let at_seventy = evaluate(&b, Decimal::from(700_000));
        assert_eq!(at_seventy.crossed, vec![70]);
        let at_ninety = evaluate(&b, Decimal::from(900_000));
        assert!(at_ninety.preventing);
        assert_eq!(
            evaluate(&b, Decimal::from(1_200_000)).crossed,
            vec![70, 100]
        );
        let mut off = b.clone();
        off.prevention.enabled = false;
        assert!(!evaluate(&off, Decimal::from(2_000_000)).preventing);
        off.notifications.enabled = false;
        assert!(evaluate(&off, Decimal::from(2_000_000)).crossed.is_empty());
    }

    #[test]
    fn month_progress_counts_kst_seconds() {
        // 2026-11-01 00:00 KST is 2026-10-31 15:00 UTC; November has 30 days.
        let start = month_progress(at("2026-10-31T15:00:00Z"));
        assert_eq!(start.elapsed_seconds, 0);
        assert_eq!(start.total_seconds, 30 * 86_400);
        let tenth = month_progress(at("2026-11-10T15:00:00Z"));
        assert_eq!(tenth.elapsed_seconds, 10 * 86_400);
    }

    #[test]
    fn no_forecast_in_the_first_hour_and_the_whole_month_forecasts_itself() {
        let cost = PeriodCost {
            earlier: Decimal::ZERO,
            current: Decimal::new(12_345, 1),
        };
        let early = MonthProgress {
            elapsed_seconds: 3_599,
            total_seconds: 2_592_000,
        };
        assert_eq!(forecast(cost, early, None), None);
        assert_eq!(forecast(cost, early, Some(Decimal::TEN)), None);
        let over = MonthProgress {
            elapsed_seconds: 2_592_000,
            total_seconds: 2_592_000,
        };
        assert_eq!(forecast(cost, over, None), Some(Decimal::from(1235)));
        assert_eq!(
            forecast(cost, over, Some(Decimal::ZERO)),
            Some(Decimal::from(1235))
        );
    }

    #[test]
    fn first_notices_each_threshold_once_per_period() {
        let b = budget(BudgetUnit::Monthly, "2026-01", 1_000);
        let now = at("2026-11-20T03:00:00Z");
        let period = current_period(&b, month("2026-11")).unwrap();
        let standing = evaluate(&b, Decimal::from(1_500));
        let first = decide(&b, Some(&period), &standing, None, now);
        assert_eq!(
            keys(&first),
            [
                "first/2026-11/70",
                "first/2026-11/100",
                "prevention/2026-11/1"
            ]
        );
        // The same standing again: the same threshold keys (recorded once by the store) and
        // no new prevention episode.
        let again = decide(&b, Some(&period), &standing, Some(&first.memory), now);
        assert_eq!(keys(&again), ["first/2026-11/70", "first/2026-11/100"]);
        assert_eq!(again.memory, first.memory);
        // A new month is a new period.
        let december = current_period(&b, month("2026-12")).unwrap();
        let next = decide(
            &b,
            Some(&december),
            &standing,
            Some(&first.memory),
            at("2026-12-01T03:00:00Z"),
        );
        assert_eq!(
            keys(&next),
            [
                "first/2026-12/70",
                "first/2026-12/100",
                "prevention/2026-12/2"
            ]
        );
    }

    #[test]
    fn daily_notices_once_a_kst_day_naming_the_highest_threshold() {
        let mut b = budget(BudgetUnit::Monthly, "2026-01", 1_000);
        b.notifications.send_period = SendPeriod::Daily;
        b.prevention.enabled = false;
        let period = current_period(&b, month("2026-11")).unwrap();
        let standing = evaluate(&b, Decimal::from(1_200));
        // 23:30 KST on the 20th and 00:30 KST on the 21st are different days.
        let late = decide(
            &b,
            Some(&period),
            &standing,
            None,
            at("2026-11-20T14:30:00Z"),
        );
        let next_day = decide(
            &b,
            Some(&period),
            &standing,
            None,
            at("2026-11-20T15:30:00Z"),
        );
        assert_eq!(keys(&late), ["daily/2026-11/2026-11-20"]);
        assert_eq!(keys(&next_day), ["daily/2026-11/2026-11-21"]);
        assert_eq!(late.notices[0].threshold, 100);
        let below = evaluate(&b, Decimal::from(500));
        assert!(
            decide(&b, Some(&period), &below, None, at("2026-11-20T14:30:00Z"))
                .notices
                .is_empty()
        );
    }

    #[test]
    fn none_records_without_receivers() {
        let mut b = budget(BudgetUnit::Monthly, "2026-01", 1_000);
        b.notifications.send_period = SendPeriod::None;
        b.prevention.enabled = false;
        let period = current_period(&b, month("2026-11")).unwrap();
        let decision = decide(
            &b,
            Some(&period),
            &evaluate(&b, Decimal::from(800)),
            None,
            at("2026-11-20T03:00:00Z"),
        );
        assert_eq!(keys(&decision), ["none/2026-11/70"]);
        assert!(decision.notices[0].receivers.is_empty());
    }

    #[test]
    fn prevention_episodes_begin_when_entered_and_end_when_lifted() {
        let b = budget(BudgetUnit::Overall, "2026-01", 1_000);
        let period = current_period(&b, month("2026-11")).unwrap();
        let t0 = at("2026-11-20T03:00:00Z");
        let entered = decide(
            &b,
            Some(&period),
            &evaluate(&b, Decimal::from(950)),
            None,
            t0,
        );
        assert_eq!(entered.memory.preventing_since, Some(t0));
        let mut raised = b.clone();
        raised.core.amount = crate::budget::BudgetAmount::parse(10_000).unwrap();
        let lifted = decide(
            &raised,
            Some(&period),
            &evaluate(&raised, Decimal::from(950)),
            Some(&entered.memory),
            t0,
        );
        assert_eq!(lifted.memory.preventing_since, None);
        assert!(lifted.notices.is_empty());
        let again = decide(
            &b,
            Some(&period),
            &evaluate(&b, Decimal::from(990)),
            Some(&lifted.memory),
            t0,
        );
        assert!(keys(&again).contains(&"prevention/2026-01~/2"));
    }

    #[test]
    fn prevention_covers_compute_and_database_only() {
        assert!(prevention_covers("COMPUTE") && prevention_covers("DATABASE"));
        assert!(!prevention_covers("STORAGE") && !prevention_covers("compute"));
    }

    #[test]
    fn nothing_is_decided_before_the_start_month() {
        let b = budget(BudgetUnit::Monthly, "2027-01", 1_000);
        let decision = decide(
            &b,
            current_period(&b, month("2026-11")).as_ref(),
            &evaluate(&b, Decimal::from(5_000)),
            None,
            at("2026-11-20T03:00:00Z"),
        );
        assert!(decision.notices.is_empty());
        assert_eq!(decision.memory.preventing_since, None);
    }

    fn cents() -> impl Strategy<Value = Decimal> {
        (0i64..1_000_000_000_000).prop_map(|cents| Decimal::new(cents, 3))
    }

    proptest! {
        #[test]
        fn utilisation_never_falls_when_spend_rises(a in cents(), b in cents(), amount in 1i64..10_000_000_000) {
            let budget = budget(BudgetUnit::Monthly, "2026-01", amount);
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            let (low, high) = (evaluate(&budget, low), evaluate(&budget, high));
            prop_assert!(low.percent <= high.percent);
            prop_assert!(low.crossed.iter().all(|t| high.crossed.contains(t)));
            prop_assert!(!low.preventing || high.preventing);
        }

        #[test]
        fn forecasts_never_fall_below_the_cost_and_grow_with_it(
            earlier in cents(), a in cents(), b in cents(),
            elapsed in MIN_FORECAST_SECONDS..2_678_400i64, to_come in cents(),
        ) {
            let progress = MonthProgress { elapsed_seconds: elapsed, total_seconds: 2_678_400 };
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            let low_cost = PeriodCost { earlier, current: low };
            let high_cost = PeriodCost { earlier, current: high };
            for rest in [None, Some(to_come)] {
                let low_forecast = forecast(low_cost, progress, rest).unwrap();
                prop_assert!(low_forecast >= low_cost.total());
                prop_assert!(low_forecast <= forecast(high_cost, progress, rest).unwrap());
            }
            let less = forecast(low_cost, progress, Some(Decimal::ZERO)).unwrap();
            prop_assert!(less <= forecast(low_cost, progress, Some(to_come)).unwrap());
        }

        #[test]
        fn deciding_twice_adds_no_new_notice(cost in cents(), amount in 1i64..10_000_000, hour in 0i64..720) {
            let b = budget(BudgetUnit::Monthly, "2026-01", amount);
            let now = at("2026-10-31T15:00:00Z") + chrono::Duration::hours(hour);
            let period = current_period(&b, YearMonth::of(kst_date(now))).unwrap();
            let standing = evaluate(&b, cost);
            let first = decide(&b, Some(&period), &standing, None, now);
            let second = decide(&b, Some(&period), &standing, Some(&first.memory), now);
            prop_assert!(second.notices.iter().all(|n| first.notices.contains(n)));
            prop_assert_eq!(second.memory, first.memory);
        }
    }
}
