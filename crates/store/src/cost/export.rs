//! The rollup's rows of one month, with their cost keys' fields: what the FOCUS export
//! writes (one row per account, day and cost key, in that order).

use chrono::NaiveDate;
use scpfm_domain::cost::{date_of, day_number};
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::YearMonth;
use scpfm_domain::tags::{parse_list, TagSet};

use super::Figures;
use crate::db::{Executor, SqlBuilder, Value};
use crate::{Store, StoreError};

/// One account's cost of one day and cost key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostRow {
    /// The account.
    pub account_id: AccountId,
    /// The KST day.
    pub day: NaiveDate,
    /// Resource id.
    pub resource_id: String,
    /// Resource name.
    pub resource_name: String,
    /// Billing item.
    pub billing_item_id: String,
    /// Service category.
    pub service_category: String,
    /// Region.
    pub region: String,
    /// Offering code (empty when unknown).
    pub offering: String,
    /// Contract (empty for none).
    pub contract_id: String,
    /// Tags.
    pub tags: TagSet,
    /// Usage unit (empty for charges that are not usage).
    pub unit: String,
    /// The sums.
    pub figures: Figures,
}

const SELECT: &str = "SELECT d.account_no, d.day, k.resource_id, k.resource_name, \
    k.billing_item_id, k.service_category, k.region, k.offering, k.contract_id, k.unit, \
    (SELECT t.canonical FROM tag_sets t WHERE t.id = k.tag_set), d.quantity_nano, \
    d.usage_krw, d.usage_usd, d.idle_hours_nano, d.idle_krw, d.idle_usd, d.fee_krw, d.fee_usd, d.discount_krw, \
    d.discount_usd FROM cost_daily d JOIN cost_keys k ON k.id = d.cost_key WHERE ";

impl Store {
    /// Every rollup row of `accounts` in `month` with a figure that is not zero, by account
    /// number, day and cost key.
    pub async fn month_cost_rows(
        &self,
        accounts: &[AccountId],
        month: YearMonth,
    ) -> Result<Vec<CostRow>, StoreError> {
        let numbers = self.account_numbers(accounts).await?;
        if numbers.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = SqlBuilder::default();
        sql.push(SELECT);
        sql.push("d.account_no IN (");
        for (idx, number) in numbers.keys().enumerate() {
            if idx > 0 {
                sql.push(", ");
            }
            sql.param(Value::Int(*number));
        }
        sql.push(") AND d.day >= ");
        sql.param(Value::Int(day_number(month.first_day())));
        sql.push(" AND d.day < ");
        sql.param(Value::Int(day_number(month.next().first_day())));
        sql.push(" ORDER BY d.account_no, d.day, d.cost_key");
        let rows = (&self.db)
            .query_all(&sql.sql, &sql.params, |row| {
                let mut values = [0i64; 10];
                for (idx, value) in values.iter_mut().enumerate() {
                    *value = row.int(11 + idx)?;
                }
                let tags = parse_list(&row.opt_text(10)?.unwrap_or_default())
                    .map_err(|error| StoreError::Corrupt(format!("stored tags: {error}")))?;
                Ok((
                    row.int(0)?,
                    row.int(1)?,
                    [
                        row.text(2)?,
                        row.text(3)?,
                        row.text(4)?,
                        row.text(5)?,
                        row.text(6)?,
                        row.text(7)?,
                        row.text(8)?,
                        row.text(9)?,
                    ],
                    TagSet::from_stored(tags),
                    values,
                ))
            })
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (
            number,
            day,
            [resource_id, resource_name, billing_item_id, service_category, region, offering, contract_id, unit],
            tags,
            v,
        ) in rows
        {
            let figures = Figures::from_values(v);
            if figures.is_zero() {
                continue;
            }
            let account_id = numbers
                .get(&number)
                .cloned()
                .ok_or_else(|| StoreError::Corrupt(format!("unknown account number {number}")))?;
            let day = date_of(day)
                .ok_or_else(|| StoreError::Corrupt(format!("rollup day {day} is not a date")))?;
            out.push(CostRow {
                account_id,
                day,
                resource_id,
                resource_name,
                billing_item_id,
                service_category,
                region,
                offering,
                contract_id,
                tags,
                unit,
                figures,
            });
        }
        Ok(out)
    }
}
