//! Evaluating a budget: the cost of its current period against its amount.
//!
//! MONTHLY budgets measure the current KST month (from their start month on); OVERALL budgets
//! the months from their start month to the current one. Cost is the account's bills after
//! discounts (`amounts`). A budget whose period has not begun measures nothing.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::budget::{Budget, BudgetUnit};
use crate::month::YearMonth;

/// The months a budget's current period spans on a day of `current` (KST), oldest first;
/// empty before its start month.
pub fn period_months(budget: &Budget, current: YearMonth) -> Vec<YearMonth> {
    let start = budget.core.start_month;
    if current < start {
        return Vec::new();
    }
    match budget.core.unit {
        BudgetUnit::Monthly => vec![current],
        BudgetUnit::Overall => {
            let mut months = vec![start];
            while let Some(last) = months.last().copied() {
                if last >= current {
                    break;
                }
                months.push(last.next());
            }
            months
        }
    }
}

/// A budget's standing: cost, percentage of the amount (2 decimals, rounded down) and the
/// thresholds it has reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The period's cost (KRW).
    pub cost: Decimal,
    /// Cost as a percentage of the amount.
    pub percent: Decimal,
    /// Notification thresholds reached (cost ≥ threshold % of the amount).
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
        percent: (cost * Decimal::ONE_HUNDRED / amount)
            .round_dp_with_strategy(2, RoundingStrategy::ToZero),
        crossed,
        preventing: budget.prevention.enabled && reached(budget.prevention.threshold.percent()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{
        BudgetAmount, BudgetCore, BudgetName, BudgetType, NotificationSettings, PreventionSettings,
        SendPeriod, Threshold,
    };
    use crate::ids::{AccountId, BudgetId};

    fn budget(unit: BudgetUnit, start: &str, amount: i64) -> Budget {
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
                receivers: Vec::new(),
                thresholds: [70, 100]
                    .map(|p| Threshold::parse("t", i64::from(p)).unwrap())
                    .to_vec(),
            },
            prevention: PreventionSettings {
                enabled: true,
                receivers: Vec::new(),
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

    #[test]
    fn periods_are_the_month_or_everything_since_the_start() {
        let monthly = budget(BudgetUnit::Monthly, "2026-09", 100);
        assert_eq!(
            period_months(&monthly, month("2026-11")),
            vec![month("2026-11")]
        );
        assert!(period_months(&monthly, month("2026-08")).is_empty());
        let overall = budget(BudgetUnit::Overall, "2026-09", 100);
        assert_eq!(
            period_months(&overall, month("2026-11")),
            vec![month("2026-09"), month("2026-10"), month("2026-11")]
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
    }
}
