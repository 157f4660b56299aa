//! The cost and usage query at resource level (`cost_daily`/`cost_monthly`, one row per cost
//! key): in two plain reads and a sum here, instead of one joined, grouped SQL statement.
//!
//! 1. the accounts' cost keys that pass the filters, each with its group's values and unit
//!    (`cost_keys`, by account, with the tag joins) — thousands of rows at most;
//! 2. the rollup rows of the window — of those keys only when resources are asked for (index
//!    `cost_daily_by_key`), else all of the accounts' rows (primary key) — without a join or
//!    `GROUP BY`, read in index order;
//! 3. summed by period and group here, in checked 64-bit integers (exact, as SQL's were).
//!
//! Measured on 2,000 resources (docs/BENCHMARKS.md): SQLite spent most of the joined
//! statement's time in the join's random reads into `cost_keys` and a temporary B-tree for
//! `GROUP BY resource_id`; these reads are sequential and need neither.

use std::collections::HashMap;

use super::query::{
    group_exprs, push_filters, push_list, push_tag_joins, Bounds, CostCell, CostQuery, PeriodCut,
};
use super::{Figures, FIGURE_COLUMNS};
use crate::db::{Executor, SqlBuilder, Value};
use crate::{Store, StoreError};

/// A cost key's group values and unit.
struct KeyGroup {
    values: Vec<String>,
    unit: String,
}

/// A group's running sums and the usage units seen (lowest and highest non-empty).
struct Sums<'a> {
    figures: Figures,
    units: Option<(&'a str, &'a str)>,
}

/// Hash maps keyed by integers and short texts: foldhash, not SipHash (no untrusted keys).
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

impl Store {
    /// The accounts' cost keys that pass `query`'s filters, with their group values.
    async fn key_groups(
        &self,
        query: &CostQuery,
        numbers: &[i64],
    ) -> Result<Map<i64, KeyGroup>, StoreError> {
        let groups = group_exprs(&query.group_by, "k.account_no");
        let mut sql = SqlBuilder::default();
        sql.push(&format!("SELECT k.id, k.unit, {}", groups.len()));
        for expr in &groups {
            sql.push(&format!(", {expr}"));
        }
        sql.push(" FROM cost_keys k");
        push_tag_joins(&mut sql, &query.group_by);
        sql.push(" WHERE k.account_no IN (");
        push_list(&mut sql, numbers.iter().map(|number| Value::Int(*number)));
        sql.push(")");
        push_filters(&mut sql, query, ("k.resource_id IN (", ")"));
        let rows = (&self.db)
            .query_all(&sql.sql, &sql.params, |row| {
                let width = usize::try_from(row.int(2)?).unwrap_or(0);
                let values = (0..width)
                    .map(|idx| row.text(3 + idx))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((
                    row.int(0)?,
                    KeyGroup {
                        values,
                        unit: row.text(1)?,
                    },
                ))
            })
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// [`Store::cost_cells_many`] at resource level (see the module's documentation): the
    /// cost keys are read once for all `reads`.
    pub(crate) async fn cost_cells_by_key(
        &self,
        query: &CostQuery,
        reads: &[(PeriodCut, Bounds)],
        numbers: &[i64],
    ) -> Result<Vec<Vec<CostCell>>, StoreError> {
        let keys = self.key_groups(query, numbers).await?;
        if keys.is_empty() {
            return Ok(reads.iter().map(|_| Vec::new()).collect());
        }
        // Cost keys of one group share its number, so rows are summed by two integers.
        let mut group_of: Map<i64, (usize, &str)> = Map::default();
        let mut group_values: Vec<&[String]> = Vec::new();
        let mut numbered: Map<&[String], usize> = Map::default();
        for (id, group) in &keys {
            let number = *numbered.entry(&group.values).or_insert_with(|| {
                group_values.push(&group.values);
                group_values.len() - 1
            });
            group_of.insert(*id, (number, group.unit.as_str()));
        }
        let mut answers = Vec::with_capacity(reads.len());
        for (cut, bounds) in reads {
            let rows = self.key_rows(query, *bounds, numbers, &keys).await?;
            answers.push(sum_rows(rows, *cut, &group_of, &group_values)?);
        }
        Ok(answers)
    }

    /// The rollup rows of one read: (cost key, period, figures), in index order.
    async fn key_rows(
        &self,
        query: &CostQuery,
        (table, period_column, from, until): Bounds,
        numbers: &[i64],
        keys: &Map<i64, KeyGroup>,
    ) -> Result<Vec<(i64, i64, Figures)>, StoreError> {
        let mut sql = SqlBuilder::default();
        sql.push(&format!("SELECT d.cost_key, d.{period_column}"));
        for column in FIGURE_COLUMNS {
            sql.push(&format!(", d.{column}"));
        }
        // With a few resources, `+` keeps SQLite on `cost_daily_by_key` (it would read every
        // row of the account's days through the primary key for a single account).
        let account = if query.resources.is_empty() {
            "d"
        } else {
            "+d"
        };
        sql.push(&format!(" FROM {table} d WHERE {account}.account_no IN ("));
        push_list(&mut sql, numbers.iter().map(|number| Value::Int(*number)));
        sql.push(&format!(") AND d.{period_column} >= "));
        sql.param(Value::Int(from));
        sql.push(&format!(" AND d.{period_column} <= "));
        sql.param(Value::Int(until));
        if !query.resources.is_empty() {
            sql.push(" AND d.cost_key IN (");
            push_list(&mut sql, keys.keys().map(|id| Value::Int(*id)));
            sql.push(")");
        }
        (&self.db)
            .query_all(&sql.sql, &sql.params, |row| {
                let mut values = [0i64; 10];
                for (idx, value) in values.iter_mut().enumerate() {
                    *value = row.int(2 + idx)?;
                }
                Ok((row.int(0)?, row.int(1)?, Figures::from_values(values)))
            })
            .await
    }
}

/// Sums `rows` by period (cut as `cut`) and group.
fn sum_rows(
    rows: Vec<(i64, i64, Figures)>,
    cut: PeriodCut,
    group_of: &Map<i64, (usize, &str)>,
    group_values: &[&[String]],
) -> Result<Vec<CostCell>, StoreError> {
    let mut sums: Map<(i64, usize), Sums> = Map::default();
    for (key, period, figures) in rows {
        let Some(&(group, unit)) = group_of.get(&key) else {
            continue;
        };
        let period = match cut {
            PeriodCut::Whole | PeriodCut::WholeMonths => 0,
            PeriodCut::MonthsFromDays => period / 100,
            PeriodCut::Days | PeriodCut::Months => period,
        };
        let entry = sums.entry((period, group)).or_insert_with(|| Sums {
            figures: Figures::default(),
            units: None,
        });
        entry.figures.add(&figures)?;
        if !unit.is_empty() {
            entry.units = Some(match entry.units.take() {
                None => (unit, unit),
                Some((low, high)) => (low.min(unit), high.max(unit)),
            });
        }
    }
    Ok(sums
        .into_iter()
        .map(|((period, group), sums)| CostCell {
            period,
            keys: group_values[group].to_vec(),
            figures: sums.figures,
            unit: match sums.units {
                None => Some(String::new()),
                Some((low, high)) if low == high => Some(low.to_owned()),
                Some(_) => None,
            },
        })
        .collect())
}
