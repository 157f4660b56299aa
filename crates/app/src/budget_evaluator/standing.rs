//! A budget's standing now, from the bills as they stand: its period, the period's cost, the
//! evaluation against the amount and the month-end forecast (the cost forecast model's, over
//! the account's daily cost). Two cost queries per account (its months' bills and its daily
//! history), whatever the number of its budgets. Used by the evaluator, the status view and the
//! creation check, so all three see the same numbers.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use scpfm_domain::budget::Budget;
use scpfm_domain::budget_eval::{
    current_period, evaluate, forecast, month_progress, BudgetPeriod, Evaluation, PeriodCost,
};
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_store::{Store, StoreError};

use crate::cost_analysis::forecast::month_still_to_come;

/// Where a budget stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The period measured; `None` before the start month.
    pub period: Option<BudgetPeriod>,
    /// The period's cost.
    pub cost: PeriodCost,
    /// The cost against the amount.
    pub evaluation: Evaluation,
    /// The period's cost at the end of the month, as forecast.
    pub forecast: Option<Decimal>,
}

/// The standing of each of `budgets` (all of `account`) at `now`, in order.
pub async fn standings(
    store: &Store,
    account: &AccountId,
    budgets: &[Budget],
    now: DateTime<Utc>,
) -> Result<Vec<Standing>, StoreError> {
    let current = YearMonth::of(kst_date(now));
    let periods: Vec<Option<BudgetPeriod>> = budgets
        .iter()
        .map(|budget| current_period(budget, current))
        .collect();
    let mut months: Vec<YearMonth> = periods
        .iter()
        .flatten()
        .flat_map(BudgetPeriod::months)
        .collect();
    months.sort_unstable();
    months.dedup();
    let costs = store.account_month_costs(account, &months).await?;
    let progress = month_progress(now);
    let to_come = if periods.iter().any(Option::is_some) {
        month_still_to_come(store, account, kst_date(now)).await?
    } else {
        None
    };
    Ok(budgets
        .iter()
        .zip(periods)
        .map(|(budget, period)| {
            let cost = period.map_or_else(PeriodCost::default, |period| {
                let mut cost = PeriodCost::default();
                for (month, month_cost) in &costs {
                    if *month == period.current {
                        cost.current += *month_cost;
                    } else if (period.first..period.current).contains(month) {
                        cost.earlier += *month_cost;
                    }
                }
                cost
            });
            Standing {
                period,
                cost,
                evaluation: evaluate(budget, cost.total()),
                forecast: period.and_then(|_| forecast(cost, progress, to_come)),
            }
        })
        .collect())
}
