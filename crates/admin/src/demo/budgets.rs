//! The demo's budgets, sized when first seeded against what the demo accounts have actually
//! cost, so the budget features show at once: one budget well below its thresholds, one over
//! 80 %, one that prevents resource creation, and one that records its threshold without
//! mail. Seeding again leaves existing budgets alone (their standing then moves with the
//! cost, as a real budget's does).

use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive as _;
use rust_decimal::Decimal;
use scpfm_domain::budget::{
    BudgetAmount, BudgetCore, BudgetName, BudgetUnit, NewBudget, NotificationPatch,
    PreventionPatch, SendPeriod, Threshold,
};
use scpfm_domain::email::EmailAddress;
use scpfm_domain::ids::BudgetId;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_store::budgets::Change;
use scpfm_store::{Store, StoreError};

use crate::demo::{stable_bytes, DemoAccount};
use scpfm_app::provisioning::ProvisionError;

/// How a demo budget's amount follows from the account's cost.
#[derive(Debug, Clone, Copy)]
enum Sizing {
    /// Twice this month's cost, rounded up to 100,000 KRW, at least 1,000,000: about 50 %.
    TwiceTheMonth,
    /// The cost since the history began is this percentage of the amount (or a bit more).
    OverallAt(u32),
    /// This month's cost is this percentage of the amount (or a bit more).
    MonthAt(u32),
}

struct Spec {
    account: &'static str,
    name: &'static str,
    unit: BudgetUnit,
    sizing: Sizing,
    thresholds: &'static [i64],
    send_period: SendPeriod,
    receivers: &'static [&'static str],
    prevention_threshold: Option<i64>,
}

const BUDGETS: [Spec; 4] = [
    Spec {
        account: "demo-dev",
        name: "dev-monthly",
        unit: BudgetUnit::Monthly,
        sizing: Sizing::TwiceTheMonth,
        thresholds: &[80, 100],
        send_period: SendPeriod::First,
        receivers: &["dev-lead@example.com"],
        prevention_threshold: None,
    },
    Spec {
        account: "demo-dev",
        name: "dev-overall-cap",
        unit: BudgetUnit::Overall,
        sizing: Sizing::OverallAt(85),
        thresholds: &[70, 80, 90],
        send_period: SendPeriod::Daily,
        receivers: &["dev-lead@example.com", "finance@example.com"],
        prevention_threshold: None,
    },
    Spec {
        account: "demo-prod",
        name: "prod-overall-cap",
        unit: BudgetUnit::Overall,
        sizing: Sizing::OverallAt(115),
        thresholds: &[90, 100],
        send_period: SendPeriod::First,
        receivers: &["ops@example.com"],
        prevention_threshold: Some(100),
    },
    Spec {
        account: "demo-prod",
        name: "prod-monthly",
        unit: BudgetUnit::Monthly,
        sizing: Sizing::MonthAt(75),
        thresholds: &[70],
        send_period: SendPeriod::None,
        receivers: &["ops@example.com"],
        prevention_threshold: None,
    },
];

/// The first month of the demo usage history (as `demo_usage` generates it).
fn history_start(now: DateTime<Utc>) -> YearMonth {
    YearMonth::of(kst_date(now))
        .previous()
        .previous()
        .previous()
}

/// `value` rounded to a multiple of `step`, up or down, at least one step.
fn to_step(value: Decimal, step: i64, up: bool) -> i64 {
    let steps = value / Decimal::from(step);
    let steps = if up { steps.ceil() } else { steps.floor() };
    steps.to_i64().unwrap_or(i64::MAX / step).max(1) * step
}

fn amount_for(sizing: Sizing, month_cost: Decimal, overall_cost: Decimal) -> i64 {
    match sizing {
        Sizing::TwiceTheMonth => to_step(month_cost * Decimal::TWO, 100_000, true).max(1_000_000),
        Sizing::OverallAt(percent) => to_step(
            overall_cost * Decimal::ONE_HUNDRED / Decimal::from(percent),
            10_000,
            false,
        ),
        Sizing::MonthAt(percent) => to_step(
            month_cost * Decimal::ONE_HUNDRED / Decimal::from(percent),
            10_000,
            false,
        ),
    }
}

fn demo_budget(
    spec: &Spec,
    start_month: YearMonth,
    amount: i64,
) -> Result<NewBudget, ProvisionError> {
    let receivers = spec
        .receivers
        .iter()
        .map(|address| EmailAddress::parse("receivers", address))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ProvisionError::Invalid)?;
    let thresholds = spec
        .thresholds
        .iter()
        .map(|percent| Threshold::parse("thresholds", *percent))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ProvisionError::Invalid)?;
    let core = BudgetCore {
        name: BudgetName::parse(spec.name).map_err(ProvisionError::Invalid)?,
        unit: spec.unit,
        start_month,
        amount: BudgetAmount::parse(amount).map_err(ProvisionError::Invalid)?,
    };
    let notifications = NotificationPatch {
        enabled: Some(true),
        send_period: Some(spec.send_period),
        receivers: Some(receivers.clone()),
        thresholds: Some(thresholds),
    };
    let prevention = spec
        .prevention_threshold
        .map(|percent| {
            Ok::<_, ProvisionError>(PreventionPatch {
                enabled: Some(true),
                receivers: Some(receivers),
                threshold: Some(
                    Threshold::parse("threshold", percent).map_err(ProvisionError::Invalid)?,
                ),
            })
        })
        .transpose()?;
    NewBudget::new(core, Some(notifications), prevention).map_err(|_| {
        ProvisionError::Store(StoreError::Corrupt(format!(
            "demo budget {} is invalid",
            spec.name
        )))
    })
}

/// Seeds the demo budgets that do not exist yet; returns how many it created.
pub async fn seed(
    store: &Store,
    accounts: &[DemoAccount],
    now: DateTime<Utc>,
) -> Result<usize, ProvisionError> {
    let this_month = YearMonth::of(kst_date(now));
    let first = history_start(now);
    let mut months = vec![first];
    while let Some(last) = months.last().copied().filter(|last| *last < this_month) {
        months.push(last.next());
    }
    let mut created = 0;
    for spec in &BUDGETS {
        let Some(account) = accounts.iter().find(|account| account.name == spec.account) else {
            continue;
        };
        let id = BudgetId::from_bytes(stable_bytes(&format!("{}/{}", spec.account, spec.name)));
        if store.get_budget(&account.id, id.as_str()).await?.is_some() {
            continue;
        }
        let costs = store.account_month_costs(&account.id, &months).await?;
        let month_cost = costs
            .iter()
            .filter(|(month, _)| *month == this_month)
            .map(|(_, cost)| *cost)
            .sum();
        let overall_cost = costs.iter().map(|(_, cost)| *cost).sum();
        let start = match spec.unit {
            BudgetUnit::Monthly => this_month,
            BudgetUnit::Overall => first,
        };
        let budget = demo_budget(
            spec,
            start,
            amount_for(spec.sizing, month_cost, overall_cost),
        )?;
        let change = Change {
            user: account.name,
            at: now,
        };
        match store.create_budget(id, &account.id, budget, change).await {
            Ok(_) => created += 1,
            // A budget of that name made by hand is left alone.
            Err(StoreError::Conflict(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_put_each_budget_where_it_should_stand() {
        let month = Decimal::new(1_234_567_891, 3);
        let overall = Decimal::new(9_876_543_210, 3);
        let below = amount_for(Sizing::TwiceTheMonth, month, overall);
        assert_eq!(below, 2_500_000);
        let over_eighty = amount_for(Sizing::OverallAt(85), month, overall);
        let percent = overall * Decimal::ONE_HUNDRED / Decimal::from(over_eighty);
        assert!(
            percent >= Decimal::from(85) && percent < Decimal::from(90),
            "{percent}"
        );
        let preventing = amount_for(Sizing::OverallAt(115), month, overall);
        assert!(overall * Decimal::ONE_HUNDRED >= Decimal::from(preventing) * Decimal::from(115));
        assert_eq!(
            amount_for(Sizing::MonthAt(75), Decimal::ZERO, overall),
            10_000
        );
    }
}
