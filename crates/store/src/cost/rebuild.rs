//! Rebuilding a month's usage sums in the rollup from its usage records (with the bills'
//! rebuild, in its transaction): the usage figures of the month's rows are set to zero, then
//! the records' sums added again; charges and discounts stay as they were.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use scpfm_domain::cost::{day_number, month_number};
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::YearMonth;

use super::keys::{cost_key_id, CostKeyFacts};
use super::pending::PendingCost;
use super::{milli, nano, Figures};
use crate::db::{Executor, Tx, Value};
use crate::StoreError;

/// Usage sums by account number, day (`YYYYMMDD`) and an id (a series, or a cost key),
/// added as exact decimals record by record and turned into rollup figures once per row.
#[derive(Debug, Default)]
pub(crate) struct UsageSums(
    HashMap<(i64, i64, i64), (Decimal, DualAmount), foldhash::fast::RandomState>,
);

impl UsageSums {
    /// Adds one record.
    pub(crate) fn add(
        &mut self,
        account_no: i64,
        day: NaiveDate,
        id: i64,
        amount: DualAmount,
        quantity: Decimal,
    ) -> Result<(), StoreError> {
        let sums = self
            .0
            .entry((account_no, day_number(day), id))
            .or_insert((Decimal::ZERO, DualAmount::ZERO));
        sums.0 += quantity;
        sums.1 += amount;
        Ok(())
    }

    /// The sums as rollup rows, each id mapped to its cost key by `cost_key`.
    pub(crate) fn into_pending(
        self,
        cost_key: impl Fn(i64) -> Result<i64, StoreError>,
    ) -> Result<PendingCost, StoreError> {
        let mut pending = PendingCost::default();
        for ((account_no, day, id), (quantity, amount)) in self.0 {
            let figures = Figures {
                quantity_nano: nano(quantity)?,
                usage: milli(amount)?,
                ..Figures::default()
            };
            pending.add(account_no, day, cost_key(id)?, &figures)?;
        }
        Ok(pending)
    }
}

/// Replaces the usage figures of `month` with `sums`; returns the cost key of every series.
pub(crate) async fn replace_usage(
    tx: &mut Tx,
    month: YearMonth,
    sums: UsageSums,
) -> Result<HashMap<i64, i64>, StoreError> {
    let (first, next) = (
        day_number(month.first_day()),
        day_number(month.next().first_day()),
    );
    for table in ["cost_daily", "cost_group_daily"] {
        tx.execute(
            &format!(
                "UPDATE {table} SET quantity_nano = 0, usage_krw = 0, usage_usd = 0 \
                 WHERE day >= $1 AND day < $2"
            ),
            &[Value::Int(first), Value::Int(next)],
        )
        .await?;
    }
    for table in ["cost_monthly", "cost_group_monthly"] {
        tx.execute(
            &format!(
                "UPDATE {table} SET quantity_nano = 0, usage_krw = 0, usage_usd = 0 \
                 WHERE month = $1"
            ),
            &[Value::Int(month_number(month))],
        )
        .await?;
    }
    let series = tx
        .query_all("SELECT id, cost_key FROM usage_series", &[], |row| {
            Ok((row.int(0)?, row.opt_int(1)?))
        })
        .await?;
    let mut keys = HashMap::with_capacity(series.len());
    for (id, cost_key) in series {
        let key = match cost_key {
            Some(key) => key,
            None => series_cost_key(tx, id).await?,
        };
        keys.insert(id, key);
    }
    let pending = sums.into_pending(|series_id| {
        keys.get(&series_id)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("usage of unknown series {series_id}")))
    })?;
    pending.flush(tx).await?;
    Ok(keys)
}

/// The cost key of a series stored before cost keys existed, from its own fields, saved on
/// it.
async fn series_cost_key(tx: &mut Tx, series_id: i64) -> Result<i64, StoreError> {
    let fields = tx
        .query_one(
            "SELECT (SELECT number FROM usage_accounts a WHERE a.account_id = s.account_id), \
             resource_id, resource_name, billing_item_id, service_category, region, offering, \
             contract_id, tag_set, unit FROM usage_series s WHERE id = $1",
            &[Value::Int(series_id)],
            |row| {
                Ok((
                    row.int(0)?,
                    [
                        row.text(1)?,
                        row.text(2)?,
                        row.text(3)?,
                        row.text(4)?,
                        row.text(5)?,
                        row.text(6)?,
                        row.opt_text(7)?.unwrap_or_default(),
                        row.text(9)?,
                    ],
                    row.int(8)?,
                ))
            },
        )
        .await?;
    let (account_no, text, tag_set) = fields;
    let facts = CostKeyFacts {
        account_no,
        resource_id: &text[0],
        resource_name: &text[1],
        billing_item_id: &text[2],
        service_category: &text[3],
        region: &text[4],
        offering: &text[5],
        contract_id: &text[6],
        tag_set,
        unit: &text[7],
    };
    let key = cost_key_id(tx, &facts).await?;
    tx.execute(
        "UPDATE usage_series SET cost_key = $1 WHERE id = $2",
        &[Value::Int(key), Value::Int(series_id)],
    )
    .await?;
    Ok(key)
}
