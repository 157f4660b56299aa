//! The cost and usage query: rollup rows of some accounts and days, filtered and summed by
//! period and group in SQL (integer sums: exact), so an answer reads at most a day's row per
//! cost key — and a month's row per cost key for whole months. `HOURLY` reads the usage
//! records of its (at most 14) days instead and sums them here.

use std::collections::HashMap;

use chrono::NaiveDate;
use scpfm_domain::cost::{day_number, month_number, Dimension};
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::kst_midnight;
use scpfm_domain::month::YearMonth;

use super::{Figures, FIGURE_COLUMNS};
use crate::db::{Executor, Row, SqlBuilder, Value};
use crate::{Store, StoreError};

/// What to sum, over which accounts and days.
#[derive(Debug, Clone, Default)]
pub struct CostQuery {
    /// The accounts (already checked against the caller's).
    pub accounts: Vec<AccountId>,
    /// Up to two dimensions.
    pub group_by: Vec<Dimension>,
    /// Service categories to keep (none: all).
    pub service_categories: Vec<String>,
    /// Billing items to keep.
    pub billing_items: Vec<String>,
    /// Regions to keep.
    pub regions: Vec<String>,
    /// Resources to keep.
    pub resources: Vec<String>,
    /// Offerings to keep (codes).
    pub offerings: Vec<String>,
    /// Tags every kept cost carries (`key`, `value`).
    pub tags: Vec<(String, String)>,
}

/// One period's sums of one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostCell {
    /// The period: a `YYYYMMDD` day, a `YYYYMM` month, or an hour's start in microseconds
    /// since the epoch; 0 when summed over the whole window.
    pub period: i64,
    /// The group's value of each dimension, in `group_by` order (`ACCOUNT` as the account id).
    pub keys: Vec<String>,
    /// The sums.
    pub figures: Figures,
    /// The usage units summed (one unit, `Some("")` for none, `None` for several).
    pub unit: Option<String>,
}

/// How periods are cut for one read of a rollup table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodCut {
    /// The whole window, one period (0).
    Whole,
    /// Days of `cost_daily`.
    Days,
    /// Months from `cost_daily` (`day / 100`).
    MonthsFromDays,
    /// Months of `cost_monthly`.
    Months,
    /// The whole window, one period (0), from `cost_monthly`'s whole months.
    WholeMonths,
}

/// Where one read looks: the table, its period column and the first and last period.
pub(crate) type Bounds = (&'static str, &'static str, i64, i64);

/// The bounds of a read cut as `cut` over `window`, in the `(daily, monthly)` tables.
fn bounds(
    cut: PeriodCut,
    window: (NaiveDate, NaiveDate),
    (daily, monthly): (&'static str, &'static str),
) -> Bounds {
    match cut {
        PeriodCut::Months | PeriodCut::WholeMonths => (
            monthly,
            "month",
            month_number(YearMonth::of(window.0)),
            month_number(YearMonth::of(window.1)),
        ),
        _ => (daily, "day", day_number(window.0), day_number(window.1)),
    }
}

impl Store {
    /// The sums of `query` by period (cut as `cut`) and group. `Days`/`MonthsFromDays` read
    /// days `start..=end`, `Months` the whole months from `start`'s to `end`'s.
    pub async fn cost_cells(
        &self,
        query: &CostQuery,
        cut: PeriodCut,
        window: (NaiveDate, NaiveDate),
    ) -> Result<Vec<CostCell>, StoreError> {
        let mut reads = self.cost_cells_many(query, &[(cut, window)]).await?;
        Ok(reads.pop().unwrap_or_default())
    }

    /// [`Store::cost_cells`] of several reads of one query (one answer per read): the
    /// accounts, and at resource level the cost keys, are looked up once for all of them.
    pub async fn cost_cells_many(
        &self,
        query: &CostQuery,
        reads: &[(PeriodCut, (NaiveDate, NaiveDate))],
    ) -> Result<Vec<Vec<CostCell>>, StoreError> {
        let numbers = self.account_numbers(&query.accounts).await?;
        if numbers.is_empty() {
            return Ok(reads.iter().map(|_| Vec::new()).collect());
        }
        // By resource: the rollup per cost key; otherwise the far smaller one per cost group.
        let by_resource =
            !query.resources.is_empty() || query.group_by.contains(&Dimension::Resource);
        if by_resource {
            let list: Vec<i64> = numbers.keys().copied().collect();
            let reads: Vec<_> = reads
                .iter()
                .map(|(cut, window)| (*cut, bounds(*cut, *window, ("cost_daily", "cost_monthly"))))
                .collect();
            let answers = self.cost_cells_by_key(query, &reads, &list).await?;
            return Ok(answers
                .into_iter()
                .map(|cells| name_accounts(cells, &query.group_by, &numbers))
                .collect());
        }
        let mut answers = Vec::with_capacity(reads.len());
        for (cut, window) in reads {
            let bounds = bounds(*cut, *window, ("cost_group_daily", "cost_group_monthly"));
            answers.push(self.group_cells(query, *cut, bounds, &numbers).await?);
        }
        Ok(answers)
    }

    /// One read of the rollup per cost group, summed by period and group in SQL.
    async fn group_cells(
        &self,
        query: &CostQuery,
        cut: PeriodCut,
        (table, period_column, from, until): Bounds,
        numbers: &HashMap<i64, AccountId>,
    ) -> Result<Vec<CostCell>, StoreError> {
        let (keys, key_column) = ("cost_groups", "group_key");
        let mut sql = SqlBuilder::default();
        let period = match cut {
            PeriodCut::Whole | PeriodCut::WholeMonths => "0".to_owned(),
            PeriodCut::MonthsFromDays => "d.day / 100".to_owned(),
            _ => format!("d.{period_column}"),
        };
        let groups = group_exprs(&query.group_by, "d.account_no");
        // The first column says how many group columns follow the period (row mappers are
        // plain functions).
        sql.push(&format!("SELECT {}, {period}", groups.len()));
        for expr in &groups {
            sql.push(&format!(", {expr}"));
        }
        for column in FIGURE_COLUMNS {
            sql.push(&format!(", CAST(SUM(d.{column}) AS BIGINT)"));
        }
        sql.push(", MIN(NULLIF(k.unit, '')), MAX(NULLIF(k.unit, ''))");
        sql.push(&format!(
            " FROM {table} d JOIN {keys} k ON k.id = d.{key_column}"
        ));
        push_tag_joins(&mut sql, &query.group_by);
        sql.push(&format!(
            " WHERE d.{key_column} = k.id AND d.account_no IN ("
        ));
        push_list(&mut sql, numbers.keys().map(|number| Value::Int(*number)));
        sql.push(&format!(") AND d.{period_column} >= "));
        sql.param(Value::Int(from));
        sql.push(&format!(" AND d.{period_column} <= "));
        sql.param(Value::Int(until));
        push_filters(&mut sql, query, ("k.resource_id IN (", ")"));
        sql.push(" GROUP BY ");
        let mut by = vec!["2".to_owned()];
        by.extend((0..groups.len()).map(|idx| (idx + 3).to_string()));
        sql.push(&by.join(", "));
        let rows = (&self.db)
            .query_all(&sql.sql, &sql.params, read_cell)
            .await?;
        Ok(name_accounts(rows, &query.group_by, numbers))
    }

    /// The usage of `query`'s accounts during the KST days `window` by hour and group, from
    /// the usage records (summed here: their amounts are exact decimals, text on SQLite).
    /// Charges that are not usage and discounts are not included (see [`PeriodCut::Days`]).
    pub async fn hourly_usage_cells(
        &self,
        query: &CostQuery,
        window: (NaiveDate, NaiveDate),
    ) -> Result<Vec<CostCell>, StoreError> {
        let numbers = self.account_numbers(&query.accounts).await?;
        if numbers.is_empty() {
            return Ok(Vec::new());
        }
        let groups = group_exprs(&query.group_by, "r.account_no");
        let mut sql = SqlBuilder::default();
        sql.push(&format!("SELECT {}, r.period_start", groups.len()));
        for expr in &groups {
            sql.push(&format!(", {expr}"));
        }
        sql.push(
            ", r.quantity, r.amount_krw, r.amount_usd, k.unit FROM usage_records r \
             JOIN usage_series s ON s.id = r.series_id JOIN cost_keys k ON k.id = s.cost_key",
        );
        push_tag_joins(&mut sql, &query.group_by);
        sql.push(" WHERE r.account_no IN (");
        push_list(&mut sql, numbers.keys().map(|number| Value::Int(*number)));
        sql.push(") AND r.period_start >= ");
        sql.param(Value::Int(crate::codec::micros(kst_midnight(window.0))));
        sql.push(" AND r.period_start < ");
        let after = window.1.succ_opt().unwrap_or(window.1);
        sql.param(Value::Int(crate::codec::micros(kst_midnight(after))));
        let through_keys = (
            "s.cost_key IN (SELECT id FROM cost_keys WHERE resource_id IN (",
            "))",
        );
        push_filters(&mut sql, query, through_keys);
        let rows = (&self.db)
            .query_all(&sql.sql, &sql.params, |row| {
                let width = usize::try_from(row.int(0)?).unwrap_or(0);
                let keys = (0..width)
                    .map(|idx| row.text(2 + idx))
                    .collect::<Result<Vec<_>, _>>()?;
                let at = 2 + width;
                Ok((
                    row.int(1)?,
                    keys,
                    row.decimal(at)?,
                    row.dual(at + 1)?,
                    row.text(at + 3)?,
                ))
            })
            .await?;
        let mut cells: HashMap<(i64, Vec<String>), CostCell> = HashMap::new();
        for (start, keys, quantity, amount, unit) in rows {
            let hour = start - start.rem_euclid(HOUR_MICROS);
            let figures = Figures {
                quantity_nano: super::nano(quantity)?,
                usage: super::milli(amount)?,
                ..Figures::default()
            };
            let cell = cells
                .entry((hour, keys.clone()))
                .or_insert_with(|| CostCell {
                    period: hour,
                    keys,
                    figures: Figures::default(),
                    unit: Some(unit.clone()),
                });
            cell.figures.add(&figures)?;
            if cell.unit.as_deref() != Some(unit.as_str()) {
                cell.unit = None;
            }
        }
        Ok(name_accounts(
            cells.into_values().collect(),
            &query.group_by,
            &numbers,
        ))
    }

    /// The usage account numbers of `accounts` (accounts without usage have none).
    pub(crate) async fn account_numbers(
        &self,
        accounts: &[AccountId],
    ) -> Result<HashMap<i64, AccountId>, StoreError> {
        if accounts.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql = SqlBuilder::default();
        sql.push("SELECT number, account_id FROM usage_accounts WHERE account_id IN (");
        push_list(&mut sql, accounts.iter().map(|a| Value::Text(a.as_str())));
        sql.push(")");
        let rows = (&self.db)
            .query_all(&sql.sql, &sql.params, |row| Ok((row.int(0)?, row.text(1)?)))
            .await?;
        rows.into_iter()
            .map(|(number, id)| Ok((number, crate::codec::valid("account id", id.parse())?)))
            .collect()
    }
}

/// Replaces account numbers by account ids in the `ACCOUNT` dimension's values.
fn name_accounts(
    mut cells: Vec<CostCell>,
    group_by: &[Dimension],
    numbers: &HashMap<i64, AccountId>,
) -> Vec<CostCell> {
    if let Some(idx) = group_by.iter().position(|d| *d == Dimension::Account) {
        for cell in &mut cells {
            if let Some(account) = cell.keys[idx]
                .parse::<i64>()
                .ok()
                .and_then(|number| numbers.get(&number))
            {
                cell.keys[idx] = account.to_string();
            }
        }
    }
    cells
}

const HOUR_MICROS: i64 = 3_600_000_000;

/// A join of each `TAG:` dimension's tag entry (`t0`, `t1`), by the cost key's tag set.
pub(crate) fn push_tag_joins<'a>(sql: &mut SqlBuilder<'a>, group_by: &'a [Dimension]) {
    for (idx, dimension) in group_by.iter().enumerate() {
        if let Dimension::Tag(key) = dimension {
            sql.push(&format!(
                " LEFT JOIN tag_entries t{idx} ON t{idx}.tag_set = k.tag_set AND t{idx}.tag_key = "
            ));
            sql.param(Value::Text(key));
        }
    }
}

/// The SQL of each dimension's value (`ACCOUNT` as the account number, mapped afterwards).
pub(crate) fn group_exprs(group_by: &[Dimension], account_no: &str) -> Vec<String> {
    group_by
        .iter()
        .enumerate()
        .map(|(idx, dimension)| match dimension {
            Dimension::Account => format!("CAST({account_no} AS TEXT)"),
            Dimension::ServiceCategory => "k.service_category".to_owned(),
            Dimension::BillingItem => "k.billing_item_id".to_owned(),
            Dimension::Region => "k.region".to_owned(),
            Dimension::Resource => "k.resource_id".to_owned(),
            Dimension::Offering => "k.offering".to_owned(),
            Dimension::Contract => "k.contract_id".to_owned(),
            Dimension::Tag(_) => format!("COALESCE(t{idx}.tag_value, '')"),
        })
        .collect()
}

pub(crate) fn push_list<'a>(sql: &mut SqlBuilder<'a>, values: impl Iterator<Item = Value<'a>>) {
    for (idx, value) in values.enumerate() {
        if idx > 0 {
            sql.push(", ");
        }
        sql.param(value);
    }
}

/// The filters of `query`, each an `IN` list on the cost key or group `k` (tags: a tag set
/// holding it); resources by `resources` (the text before and after their list).
pub(crate) fn push_filters<'a>(
    sql: &mut SqlBuilder<'a>,
    query: &'a CostQuery,
    (before, after): (&str, &str),
) {
    if !query.resources.is_empty() {
        sql.push(" AND ");
        sql.push(before);
        push_list(sql, query.resources.iter().map(|value| Value::Text(value)));
        sql.push(after);
    }
    for (column, values) in [
        ("k.service_category", &query.service_categories),
        ("k.billing_item_id", &query.billing_items),
        ("k.region", &query.regions),
        ("k.offering", &query.offerings),
    ] {
        if values.is_empty() {
            continue;
        }
        sql.push(&format!(" AND {column} IN ("));
        push_list(sql, values.iter().map(|value| Value::Text(value)));
        sql.push(")");
    }
    for (key, value) in &query.tags {
        sql.push(" AND k.tag_set IN (SELECT tag_set FROM tag_entries WHERE tag_key = ");
        sql.param(Value::Text(key));
        sql.push(" AND tag_value = ");
        sql.param(Value::Text(value));
        sql.push(")");
    }
}

fn read_cell(row: &dyn Row) -> Result<CostCell, StoreError> {
    let width = usize::try_from(row.int(0)?).unwrap_or(0);
    let keys = (0..width)
        .map(|idx| row.text(2 + idx))
        .collect::<Result<Vec<_>, _>>()?;
    let at = 2 + width;
    let mut values = [0i64; 10];
    for (idx, value) in values.iter_mut().enumerate() {
        *value = row.opt_int(at + idx)?.unwrap_or(0);
    }
    let units = (row.opt_text(at + 10)?, row.opt_text(at + 11)?);
    Ok(CostCell {
        period: row.int(1)?,
        keys,
        figures: Figures::from_values(values),
        unit: match units {
            (None, None) => Some(String::new()),
            (Some(low), Some(high)) if low == high => Some(low),
            _ => None,
        },
    })
}
