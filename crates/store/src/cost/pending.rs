//! Rollup sums waiting for their transaction's end: added per account, day and cost key as
//! usage, charges and discounts are stored, written to `cost_daily` and `cost_monthly` as
//! increments (one multi-row upsert per few hundred rows) before the transaction commits.

use std::collections::HashMap;
use std::sync::LazyLock;

use scpfm_domain::catalog::Offering;
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::cost::{charge_day, day_number};
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::{kst_date, YearMonth};

use super::keys::{account_number, cost_key_id, tag_set_id, CostKeyFacts, NO_TAGS};
use super::{milli, Figures, FIGURE_COLUMNS};
use crate::bills::BillCharge;
use crate::codec::instant;
use crate::db::{Executor, SqlBuilder, Tx, Value};
use crate::StoreError;

/// Rows per multi-row upsert (12 parameters each).
const CHUNK: usize = 400;

/// Sums to add, by account number, day (`YYYYMMDD`) and cost key.
#[derive(Debug, Default)]
pub(crate) struct PendingCost {
    rows: HashMap<(i64, i64, i64), Figures, foldhash::fast::RandomState>,
}

/// The rollup tables: table, period column, key column.
const TABLES: [(&str, &str, &str); 4] = [
    ("cost_daily", "day", "cost_key"),
    ("cost_monthly", "month", "cost_key"),
    ("cost_group_daily", "day", "group_key"),
    ("cost_group_monthly", "month", "group_key"),
];

/// Each table's upsert, after its VALUES: the conflict clause adding the figures.
static UPSERTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    TABLES
        .iter()
        .map(|(table, period, key)| {
            let sets: Vec<String> = FIGURE_COLUMNS
                .iter()
                .map(|column| format!("{column} = {table}.{column} + excluded.{column}"))
                .collect();
            format!(
                " ON CONFLICT (account_no, {period}, {key}) DO UPDATE SET {}",
                sets.join(", ")
            )
        })
        .collect()
});

impl PendingCost {
    /// Adds `figures` to the row of `account_no`, `day` and `cost_key`.
    pub(crate) fn add(
        &mut self,
        account_no: i64,
        day: i64,
        cost_key: i64,
        figures: &Figures,
    ) -> Result<(), StoreError> {
        self.rows
            .entry((account_no, day, cost_key))
            .or_default()
            .add(figures)
    }

    /// Writes the sums to the daily and monthly rollups, by cost key and by cost group.
    pub(crate) async fn flush(self, tx: &mut Tx) -> Result<(), StoreError> {
        let daily: Vec<((i64, i64, i64), Figures)> = self
            .rows
            .into_iter()
            .filter(|(_, f)| !f.is_zero())
            .collect();
        if daily.is_empty() {
            return Ok(());
        }
        let mut keys: Vec<i64> = daily.iter().map(|((_, _, key), _)| *key).collect();
        keys.sort_unstable();
        keys.dedup();
        let groups = super::keys::groups_of(tx, &keys).await?;
        let mut levels: [HashMap<(i64, i64, i64), Figures>; 4] = Default::default();
        for ((account, day, key), figures) in &daily {
            let group = *groups
                .get(key)
                .ok_or_else(|| StoreError::Corrupt(format!("cost key {key} has no group")))?;
            for (level, period, id) in [
                (0, *day, *key),
                (1, day / 100, *key),
                (2, *day, group),
                (3, day / 100, group),
            ] {
                levels[level]
                    .entry((*account, period, id))
                    .or_default()
                    .add(figures)?;
            }
        }
        for (idx, rows) in levels.into_iter().enumerate() {
            let mut rows: Vec<_> = rows.into_iter().collect();
            rows.sort_unstable_by_key(|(key, _)| *key);
            upsert(tx, TABLES[idx], &rows, &UPSERTS[idx]).await?;
        }
        Ok(())
    }
}

async fn upsert(
    tx: &mut Tx,
    (table, period, key): (&str, &str, &str),
    rows: &[((i64, i64, i64), Figures)],
    conflict: &str,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let mut sql = SqlBuilder::default();
        sql.push(&format!(
            "INSERT INTO {table} (account_no, {period}, {key}, {}) VALUES ",
            FIGURE_COLUMNS.join(", ")
        ));
        for (idx, ((account, at, key), figures)) in chunk.iter().enumerate() {
            sql.push(if idx == 0 { "(" } else { ", (" });
            let values = [*account, *at, *key].into_iter().chain(figures.values());
            for (position, value) in values.enumerate() {
                if position > 0 {
                    sql.push(", ");
                }
                sql.param(Value::Int(value));
            }
            sql.push(")");
        }
        sql.push(conflict);
        tx.execute(&sql.sql, &sql.params).await?;
    }
    Ok(())
}

/// A bill line's discounts changed by `change` (derived again from the month's adjustments).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DiscountChange {
    /// The stored line (`None` for a line being inserted).
    pub seq: Option<i64>,
    /// Its cost key.
    pub cost_key: Option<i64>,
    /// After minus before.
    pub change: DualAmount,
}

/// Rolls up the discount changes of an account-month's lines on the month's first day.
pub(crate) async fn discount_changes(
    tx: &mut Tx,
    account: &AccountId,
    month: YearMonth,
    changes: &[DiscountChange],
) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let account_no = account_number(tx, account.as_str()).await?;
    let day = day_number(month.first_day());
    let mut pending = PendingCost::default();
    for change in changes {
        let cost_key = match (change.cost_key, change.seq) {
            (Some(key), _) => key,
            (None, Some(seq)) => line_cost_key(tx, account_no, seq).await?,
            (None, None) => {
                return Err(StoreError::Corrupt(
                    "a new bill line without its cost key".into(),
                ))
            }
        };
        let figures = Figures {
            discount: milli(change.change)?,
            ..Figures::default()
        };
        pending.add(account_no, day, cost_key, &figures)?;
    }
    pending.flush(tx).await
}

/// The cost key of a line stored before cost keys existed, made from its own fields (no
/// offering, no tags) and saved on it.
async fn line_cost_key(tx: &mut Tx, account_no: i64, seq: i64) -> Result<i64, StoreError> {
    let fields = tx
        .query_one(
            "SELECT resource_id, resource_name, billing_item_id, service_category, region, \
             contract_id FROM bill_lines WHERE seq = $1",
            &[Value::Int(seq)],
            |row| {
                Ok([
                    row.text(0)?,
                    row.text(1)?,
                    row.text(2)?,
                    row.text(3)?,
                    row.text(4)?,
                    row.opt_text(5)?.unwrap_or_default(),
                ])
            },
        )
        .await?;
    let facts = CostKeyFacts {
        account_no,
        resource_id: &fields[0],
        resource_name: &fields[1],
        billing_item_id: &fields[2],
        service_category: &fields[3],
        region: &fields[4],
        offering: "",
        contract_id: &fields[5],
        tag_set: NO_TAGS,
        unit: "",
    };
    let key = cost_key_id(tx, &facts).await?;
    tx.execute(
        "UPDATE bill_lines SET cost_key = $1 WHERE seq = $2",
        &[Value::Int(key), Value::Int(seq)],
    )
    .await?;
    Ok(key)
}

/// Rolls up a charge that is not usage on the day it is charged (`now`, within its month):
/// planned compute hours that covered nothing as idle, anything else as a fee. Returns its
/// cost key (offering PP, the contract's tags).
pub(crate) async fn charge_cost(
    tx: &mut Tx,
    charge: &BillCharge,
    now: i64,
) -> Result<i64, StoreError> {
    let account_no = account_number(tx, charge.account_id.as_str()).await?;
    let tag_set = tag_set_id(tx, &charge.tags).await?;
    let facts = CostKeyFacts {
        account_no,
        resource_id: &charge.resource_id,
        resource_name: &charge.resource_name,
        billing_item_id: &charge.billing_item_id,
        service_category: &charge.service_category,
        region: &charge.region,
        offering: Offering::PlannedCompute.as_str(),
        contract_id: charge.contract_id.as_deref().unwrap_or(""),
        tag_set,
        unit: "",
    };
    let cost_key = cost_key_id(tx, &facts).await?;
    let amount = milli(charge.amount)?;
    let figures = match charge.component {
        ChargeComponent::PlannedCompute => Figures {
            idle: amount,
            idle_hours_nano: charge.hours.saturating_mul(1_000_000_000),
            ..Figures::default()
        },
        _ => Figures {
            fee: amount,
            ..Figures::default()
        },
    };
    let day = charge_day(charge.month, kst_date(instant(now)?));
    let mut pending = PendingCost::default();
    pending.add(account_no, day_number(day), cost_key, &figures)?;
    pending.flush(tx).await?;
    Ok(cost_key)
}
