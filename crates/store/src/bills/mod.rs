//! Bills: lines kept current as usage arrives ([`rollup`]), operators' adjustments, month
//! close with its payments ([`close`]), and filtered keyset listing.
//!
//! A line (`bill_lines`) is one account's cost of one resource and billing item in one
//! month. Its charges grow inside the ingestion transaction that stores the usage, so a
//! bill always equals the sum of its usage; its discounts are derived from the
//! account-month's adjustments whenever the line or the adjustments change. Listing reads
//! lines as stored: nothing is recomputed per query.

mod charge;
mod close;
mod closed_months;
mod rollup;

pub use charge::BillCharge;
pub use close::{AdjustmentOutcome, CloseOutcome};
pub(crate) use closed_months::all_closed_months;
pub(crate) use rollup::{add_charge, PendingBills};

use std::sync::LazyLock;

use scpfm_domain::bill::{BillCharges, BillLine, BillSortField, BillState};
use scpfm_domain::component::{ChargeComponent, DiscountComponent};
use scpfm_domain::ids::{bill_ids, AccountId};
use scpfm_domain::listing::{MarkerPage, SortDirection};
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::YearMonth;

use crate::codec::{instant, valid};
use crate::db::{Executor, Row, SqlBuilder, Value};
use crate::filters::ResourceFilter;
use crate::keyset::Keyset;
use crate::{Store, StoreError};

/// Every amount column, in [`BillCharges`] order: each charge component then each discount
/// component, KRW then USD.
pub(crate) static AMOUNT_COLUMNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ChargeComponent::ALL
        .iter()
        .map(|component| component.as_str())
        .chain(
            DiscountComponent::ALL
                .iter()
                .map(|component| component.as_str()),
        )
        .flat_map(|name| [format!("{name}_krw"), format!("{name}_usd")])
        .collect()
});

/// The columns a listing reads, amounts last.
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT seq, account_id, bill_month, resource_id, billing_item_id, resource_name, \
         service_category, region, contract_id, order_status, state, created_at, {} \
         FROM bill_lines WHERE ",
        AMOUNT_COLUMNS.join(", ")
    )
});
/// Index of the first amount column in [`SELECT`].
const FIRST_AMOUNT: usize = 12;

/// Reads [`AMOUNT_COLUMNS`] starting at column `first`.
pub(crate) fn read_charges(row: &dyn Row, first: usize) -> Result<BillCharges, StoreError> {
    let mut charges = BillCharges::default();
    let amount = |idx: usize| -> Result<DualAmount, StoreError> { row.dual(first + 2 * idx) };
    for idx in 0..charges.charges.len() {
        charges.charges[idx] = amount(idx)?;
    }
    let offset = charges.charges.len();
    for idx in 0..charges.discounts.len() {
        charges.discounts[idx] = amount(offset + idx)?;
    }
    Ok(charges)
}

/// The values of [`AMOUNT_COLUMNS`].
pub(crate) fn charge_values<'a>(charges: &'a BillCharges) -> impl Iterator<Item = Value<'a>> + 'a {
    charges
        .charges
        .iter()
        .chain(charges.discounts.iter())
        .flat_map(|amount| [Value::Decimal(amount.krw), Value::Decimal(amount.usd)])
}

pub(crate) fn month_text(month: YearMonth) -> String {
    month.to_string()
}

fn map_line(row: &dyn Row) -> Result<BillLine, StoreError> {
    Ok(BillLine {
        id: bill_ids::encode(row.int(0)?),
        account_id: valid("account id", row.text(1)?.parse())?,
        month: valid("bill month", row.text(2)?.parse())?,
        resource_id: row.text(3)?,
        billing_item_id: row.text(4)?,
        resource_name: row.text(5)?,
        service_category: row.text(6)?,
        region: row.text(7)?,
        contract_id: row.opt_text(8)?,
        order_status: row.text(9)?,
        state: valid("bill state", row.text(10)?.parse())?,
        created_at: instant(row.int(11)?)?,
        charges: read_charges(row, FIRST_AMOUNT)?,
    })
}

/// Which bill lines a listing covers.
#[derive(Debug, Clone, Default)]
pub struct BillQuery {
    /// Accounts (at least one).
    pub accounts: Vec<AccountId>,
    /// Months from this one.
    pub from: Option<YearMonth>,
    /// Months up to this one (inclusive).
    pub until: Option<YearMonth>,
    /// This month only.
    pub month: Option<YearMonth>,
    /// Lines in this state.
    pub state: Option<BillState>,
    /// Service category, billing item, resource, region, contract, order status.
    pub resources: ResourceFilter,
}

impl BillQuery {
    /// The query's conditions, for `accounts` (all of the query's, or one branch's).
    fn conditions<'a>(
        &'a self,
        accounts: &'a [AccountId],
        months: &'a [String; 3],
        sql: &mut SqlBuilder<'a>,
    ) {
        sql.in_list("account_id", accounts.iter().map(AccountId::as_str));
        for (condition, month, text) in [
            (" AND bill_month >= ", self.from, &months[0]),
            (" AND bill_month <= ", self.until, &months[1]),
            (" AND bill_month = ", self.month, &months[2]),
        ] {
            if month.is_some() {
                sql.push(condition);
                sql.param(Value::Text(text));
            }
        }
        if let Some(state) = self.state {
            sql.push(" AND state = ");
            sql.param(Value::Text(state.as_str()));
        }
        self.resources.conditions("", sql);
    }

    fn month_texts(&self) -> [String; 3] {
        [self.from, self.until, self.month].map(|month| month.map(month_text).unwrap_or_default())
    }
}

/// One listing page's query: what it covers and how it pages.
struct BillPageQuery<'q> {
    query: &'q BillQuery,
    months: &'q [String; 3],
    keyset: Keyset<'q>,
}

impl<'q> BillPageQuery<'q> {
    /// The page's lines of `accounts` in order, resuming after the marker.
    fn branch(&self, accounts: &'q [AccountId], sql: &mut SqlBuilder<'q>) {
        sql.push(&SELECT);
        self.query.conditions(accounts, self.months, sql);
        self.keyset.after_marker("", sql);
        self.keyset.order_limit("", sql);
    }
}

impl Store {
    /// One page of the bill lines matching `query`, in `order` (ties in creation order);
    /// `marker` is the id of the last line already seen. `Ok(None)` when the marker is not a
    /// line of this listing.
    pub async fn list_bills(
        &self,
        query: &BillQuery,
        order: BillSortField,
        direction: SortDirection,
        marker: Option<&str>,
        limit: u32,
    ) -> Result<Option<MarkerPage<BillLine>>, StoreError> {
        let mut db = &self.db;
        let months = query.month_texts();
        let mut after = None;
        if let Some(marker) = marker {
            let Some(seq) = bill_ids::decode(marker) else {
                return Ok(None);
            };
            let mut lookup = SqlBuilder::default();
            lookup.push("SELECT bill_month FROM bill_lines WHERE seq = ");
            lookup.param(Value::Int(seq));
            lookup.push(" AND ");
            query.conditions(&query.accounts, &months, &mut lookup);
            let Some(month) = db
                .query_opt(&lookup.sql, &lookup.params, |row| row.text(0))
                .await?
            else {
                return Ok(None);
            };
            after = Some((month, seq));
        }
        let page = BillPageQuery {
            query,
            months: &months,
            keyset: Keyset {
                key: match order {
                    BillSortField::BillYearMonth => Some("bill_month"),
                    BillSortField::CreatedAt => None,
                },
                direction,
                after: after
                    .as_ref()
                    .map(|(month, seq)| (Value::Text(month.as_str()), *seq)),
                rows: i64::from(limit) + 1,
            },
        };
        // A payer's listing: one index-ordered branch per account, merged.
        let mut sql = SqlBuilder::default();
        sql.merge(
            &query.accounts,
            |sql, accounts| page.branch(accounts, sql),
            |sql| page.keyset.order_limit("", sql),
        );
        let rows = db.query_all(&sql.sql, &sql.params, map_line).await?;
        Ok(Some(MarkerPage::from_rows(rows, limit)))
    }

    /// How many bill lines match `query`.
    pub async fn count_bills(&self, query: &BillQuery) -> Result<u64, StoreError> {
        let months = query.month_texts();
        let mut sql = SqlBuilder::default();
        sql.push("SELECT COUNT(*) FROM bill_lines WHERE ");
        query.conditions(&query.accounts, &months, &mut sql);
        let count = (&self.db)
            .query_one(&sql.sql, &sql.params, |row| row.int(0))
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// What `account` owes for each of `months`: the sum of its lines' `amounts` (after
    /// discounts), in KRW; a month without lines costs zero. Summed here, exactly, never in SQL.
    pub async fn account_month_costs(
        &self,
        account: &AccountId,
        months: &[YearMonth],
    ) -> Result<Vec<(YearMonth, rust_decimal::Decimal)>, StoreError> {
        let mut costs: Vec<(YearMonth, rust_decimal::Decimal)> = months
            .iter()
            .map(|month| (*month, rust_decimal::Decimal::ZERO))
            .collect();
        if months.is_empty() {
            return Ok(costs);
        }
        let texts: Vec<String> = months.iter().copied().map(month_text).collect();
        let mut sql = SqlBuilder::default();
        sql.push(&format!(
            "SELECT bill_month, {} FROM bill_lines WHERE account_id = ",
            AMOUNT_COLUMNS.join(", ")
        ));
        sql.param(Value::Text(account.as_str()));
        sql.push(" AND ");
        sql.in_list("bill_month", texts.iter().map(String::as_str));
        let lines = (&self.db)
            .query_all(&sql.sql, &sql.params, |row| {
                let month: YearMonth = valid("bill month", row.text(0)?.parse())?;
                Ok((month, read_charges(row, 1)?.net().krw))
            })
            .await?;
        for (month, net) in lines {
            if let Some((_, cost)) = costs.iter_mut().find(|(m, _)| *m == month) {
                *cost += net;
            }
        }
        Ok(costs)
    }

    /// Every bill line of `accounts` in `month`, in creation order (for checks and reports).
    pub async fn month_bills(
        &self,
        accounts: &[AccountId],
        month: YearMonth,
    ) -> Result<Vec<BillLine>, StoreError> {
        let query = BillQuery {
            accounts: accounts.to_vec(),
            month: Some(month),
            ..BillQuery::default()
        };
        let months = query.month_texts();
        let mut sql = SqlBuilder::default();
        sql.push(&SELECT);
        query.conditions(&query.accounts, &months, &mut sql);
        sql.push(" ORDER BY seq");
        (&self.db).query_all(&sql.sql, &sql.params, map_line).await
    }
}
