//! Month close (bills become final, payments are created), the closed-month guard of
//! ingestion, operators' adjustments, and rebuilding a month's bills from its usage.

use std::collections::HashMap;

use rust_decimal::Decimal;
use scpfm_domain::bill::{component_of, Adjustment, AdjustmentValue, BillCharges, BillState};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::kst_midnight;
use scpfm_domain::month::YearMonth;

use scpfm_domain::component::ChargeComponent;
use scpfm_domain::contract_charges::{idle_charge, idle_hours};
use scpfm_domain::planned_compute::contract_seq;

use super::charge::BillCharge;
use super::closed_months::{closed_among, ensure_open};
use super::rollup::{refresh_discounts, replace_charges, LineFacts, RebuiltLines, FIXED, PERCENT};
use super::{month_text, read_charges, AMOUNT_COLUMNS};
use crate::codec::{micros, valid};
use crate::db::{Executor, Tx, Value};
use crate::{Store, StoreError};

/// A usage series, as a bill line sees it.
struct SeriesLine {
    account_id: String,
    resource_id: String,
    billing_item_id: String,
    offering: String,
    facts: LineFacts,
}

/// What closing a month did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseOutcome {
    /// The month is now closed.
    Closed {
        /// Bill lines made final.
        lines: u64,
        /// Payment records created (one per account billed).
        payments: u64,
        /// The month's bills after discounts.
        total: DualAmount,
    },
    /// It was closed before; nothing changed.
    AlreadyClosed,
}

/// What loading adjustments did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AdjustmentOutcome {
    /// Adjustments stored now.
    pub stored: usize,
    /// Adjustment ids stored before (left as they were).
    pub duplicates: usize,
    /// Accounts whose bills the new adjustments changed.
    pub accounts: Vec<AccountId>,
}

/// Charges every contract's hours of `month` that covered nothing (non-applied) at its PP
/// price, to a line of its account named after the contract, in `planned_compute`.
async fn charge_non_applied(
    tx: &mut Tx,
    catalog: &Catalog,
    month: YearMonth,
    now: i64,
) -> Result<(), StoreError> {
    let start = kst_midnight(month.first_day());
    let end = kst_midnight(month.next().first_day());
    let contracts = crate::planned_computes::all_contracts(tx).await?;
    if contracts.is_empty() {
        return Ok(());
    }
    let taken: HashMap<i64, i64> = tx
        .query_all(
            "SELECT contract_seq, COUNT(*) FROM coverage_hours WHERE hour >= $1 AND hour < $2 \
             GROUP BY contract_seq",
            &[Value::Int(micros(start)), Value::Int(micros(end))],
            |row| Ok((row.int(0)?, row.int(1)?)),
        )
        .await?
        .into_iter()
        .collect();
    for contract in contracts {
        let covered = contract_seq(&contract.contract_id)
            .and_then(|seq| taken.get(&seq).copied())
            .unwrap_or(0);
        let idle = idle_hours(&contract, start, end, covered);
        let Some(krw) = idle_charge(catalog, &contract, idle).filter(|_| idle > 0) else {
            continue;
        };
        let charge = BillCharge::for_contract(
            catalog,
            &contract,
            month,
            ChargeComponent::PlannedCompute,
            krw,
        )
        .for_hours(idle);
        super::rollup::add_charge(tx, catalog, &charge, now).await?;
    }
    Ok(())
}

impl Store {
    /// Every closed month, oldest first.
    pub async fn all_closed_months(&self) -> Result<Vec<YearMonth>, StoreError> {
        super::closed_months::all_closed_months(&mut &self.db).await
    }

    /// The closed months among `months`.
    pub async fn closed_months(&self, months: &[YearMonth]) -> Result<Vec<YearMonth>, StoreError> {
        closed_among(&mut &self.db, months).await
    }

    /// Months that have bill lines and are not closed, oldest first.
    pub async fn open_bill_months(&self) -> Result<Vec<YearMonth>, StoreError> {
        let mut months = (&self.db)
            .query_all(
                "SELECT DISTINCT bill_month FROM bill_lines WHERE state = $1",
                &[Value::Text(BillState::Used.as_str())],
                |row| valid("bill month", row.text(0)?.parse::<YearMonth>()),
            )
            .await?;
        months.sort();
        Ok(months)
    }

    /// Closes `month`: its bill lines become `BILLED` and every account billed gets its
    /// payment record, in one transaction holding the ingestion lock (so no usage of the
    /// month is stored half-way). Closing a closed month changes nothing.
    pub async fn close_month(
        &self,
        catalog: &Catalog,
        month: YearMonth,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CloseOutcome, StoreError> {
        let mut tx = self.begin_billing().await?;
        if !closed_among(&mut tx, &[month]).await?.is_empty() {
            return Ok(CloseOutcome::AlreadyClosed);
        }
        charge_non_applied(&mut tx, catalog, month, micros(now)).await?;
        let text = month_text(month);
        let now = micros(now);
        let lines = tx
            .execute(
                "UPDATE bill_lines SET state = $1, updated_at = $2 WHERE bill_month = $3 AND state = $4",
                &[
                    Value::Text(BillState::Billed.as_str()),
                    Value::Int(now),
                    Value::Text(&text),
                    Value::Text(BillState::Used.as_str()),
                ],
            )
            .await?;
        let sql = format!(
            "SELECT account_id, {} FROM bill_lines WHERE bill_month = $1",
            AMOUNT_COLUMNS.join(", ")
        );
        let rows = tx
            .query_all(&sql, &[Value::Text(&text)], |row| {
                Ok((row.text(0)?, read_charges(row, 1)?))
            })
            .await?;
        let mut accounts: HashMap<String, (DualAmount, DualAmount)> = HashMap::new();
        for (account, charges) in rows {
            let entry = accounts.entry(account).or_default();
            entry.0 += charges.net();
            entry.1 += charges.gross();
        }
        let mut accounts: Vec<_> = accounts.into_iter().collect();
        accounts.sort_by(|a, b| a.0.cmp(&b.0));
        let mut total = DualAmount::ZERO;
        for (account, (bill, used)) in &accounts {
            total += *bill;
            let zero = Decimal::ZERO;
            tx.execute(
                "INSERT INTO payments (account_id, bill_month, bill_krw, bill_usd, used_krw, \
                 used_usd, paid_krw, paid_usd, payment_date, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9)",
                &[
                    Value::Text(account),
                    Value::Text(&text),
                    Value::Decimal(bill.krw),
                    Value::Decimal(bill.usd),
                    Value::Decimal(used.krw),
                    Value::Decimal(used.usd),
                    Value::Decimal(zero),
                    Value::Decimal(zero),
                    Value::Int(now),
                ],
            )
            .await?;
        }
        tx.execute(
            "INSERT INTO closed_months (bill_month, closed_at) VALUES ($1, $2)",
            &[Value::Text(&text), Value::Int(now)],
        )
        .await?;
        tx.commit().await?;
        Ok(CloseOutcome::Closed {
            lines,
            payments: accounts.len() as u64,
            total,
        })
    }

    /// Stores adjustments and derives the discounts of the account-months they touch, in one
    /// transaction. An adjustment id already stored is left as it was (re-sent files are
    /// no-ops); an adjustment for a closed month fails the whole load.
    pub async fn add_adjustments(
        &self,
        catalog: &Catalog,
        adjustments: &[Adjustment],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<AdjustmentOutcome, StoreError> {
        let mut tx = self.begin_billing().await?;
        let mut months: Vec<YearMonth> = adjustments.iter().map(|a| a.month).collect();
        months.sort();
        months.dedup();
        ensure_open(&mut tx, &months).await?;
        let now = micros(now);
        let mut outcome = AdjustmentOutcome::default();
        let mut touched: Vec<(AccountId, YearMonth)> = Vec::new();
        for adjustment in adjustments {
            let (kind, value) = match adjustment.value {
                AdjustmentValue::Percent(percent) => (PERCENT, percent),
                AdjustmentValue::Fixed(amount) => (FIXED, amount),
            };
            let month = month_text(adjustment.month);
            let inserted = tx
                .execute(
                    "INSERT INTO bill_adjustments (adjustment_id, account_id, bill_month, \
                     component, kind, value, billing_item_id, description, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (adjustment_id) DO NOTHING",
                    &[
                        Value::Text(&adjustment.adjustment_id),
                        Value::Text(adjustment.account_id.as_str()),
                        Value::Text(&month),
                        Value::Text(adjustment.component.as_str()),
                        Value::Text(kind),
                        Value::Decimal(value),
                        Value::opt_text(adjustment.billing_item_id.as_deref()),
                        Value::Text(&adjustment.description),
                        Value::Int(now),
                    ],
                )
                .await?;
            if inserted == 0 {
                outcome.duplicates += 1;
                continue;
            }
            outcome.stored += 1;
            let key = (adjustment.account_id.clone(), adjustment.month);
            if !touched.contains(&key) {
                touched.push(key);
            }
        }
        for (account, month) in &touched {
            if !outcome.accounts.contains(account) {
                outcome.accounts.push(account.clone());
            }
            refresh_discounts(&mut tx, catalog, account, *month, now).await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Recomputes an open month's bill lines from its stored usage (charges replaced, then
    /// discounts derived again), for operators after a catalogue fix and as the reference
    /// the benchmark measures. Returns the number of usage records read.
    pub async fn rebuild_bills(
        &self,
        catalog: &Catalog,
        month: YearMonth,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_billing().await?;
        ensure_open(&mut tx, &[month]).await?;
        // Series are few (one per resource and price); records are read per account and
        // day as (series, amount) only and summed per series.
        let series = tx
            .query_all(
                "SELECT id, account_id, resource_id, billing_item_id, offering, resource_name, \
                 service_category, region, contract_id, order_status, cost_key FROM usage_series",
                &[],
                |row| {
                    Ok((
                        row.int(0)?,
                        SeriesLine {
                            account_id: row.text(1)?,
                            resource_id: row.text(2)?,
                            billing_item_id: row.text(3)?,
                            offering: row.text(4)?,
                            facts: LineFacts {
                                resource_name: row.text(5)?,
                                service_category: row.text(6)?,
                                region: row.text(7)?,
                                contract_id: row.opt_text(8)?,
                                order_status: row.text(9)?,
                                cost_key: row.opt_int(10)?,
                            },
                        },
                    ))
                },
            )
            .await?;
        let series: HashMap<i64, SeriesLine> = series.into_iter().collect();
        let account_numbers = tx
            .query_all(
                "SELECT number FROM usage_accounts ORDER BY number",
                &[],
                |row| row.int(0),
            )
            .await?;
        let mut sums: HashMap<i64, DualAmount> = HashMap::new();
        let mut daily = crate::cost::rebuild::UsageSums::default();
        let mut records = 0u64;
        for account_no in account_numbers {
            let mut day = month.first_day();
            let end = month.next().first_day();
            while day < end {
                let next = day.succ_opt().unwrap_or(end);
                let rows = tx
                    .query_all(
                        "SELECT series_id, amount_krw, amount_usd, quantity FROM usage_records \
                         WHERE account_no = $1 AND period_start >= $2 AND period_start < $3",
                        &[
                            Value::Int(account_no),
                            Value::Int(micros(kst_midnight(day))),
                            Value::Int(micros(kst_midnight(next))),
                        ],
                        |row| Ok((row.int(0)?, row.dual(1)?, row.decimal(3)?)),
                    )
                    .await?;
                records += rows.len() as u64;
                for (series_id, amount, quantity) in rows {
                    *sums.entry(series_id).or_default() += amount;
                    daily.add(account_no, day, series_id, amount, quantity)?;
                }
                day = next;
            }
        }
        let cost_keys = crate::cost::rebuild::replace_usage(&mut tx, month, daily).await?;
        let mut by_account: HashMap<&str, RebuiltLines> = HashMap::new();
        for (series_id, amount) in sums {
            let line = series.get(&series_id).ok_or_else(|| {
                StoreError::Corrupt(format!("usage of unknown series {series_id}"))
            })?;
            let offering = valid("offering", line.offering.parse())?;
            let entry = by_account
                .entry(line.account_id.as_str())
                .or_default()
                .entry((line.resource_id.clone(), line.billing_item_id.clone()))
                .or_insert_with(|| {
                    let mut facts = line.facts.clone();
                    facts.cost_key = cost_keys.get(&series_id).copied();
                    (facts, BillCharges::default())
                });
            entry.1.add_charge(
                component_of(catalog, &line.billing_item_id, offering),
                amount,
            );
        }
        let mut accounts: Vec<_> = by_account.into_iter().collect();
        accounts.sort_by(|a, b| a.0.cmp(b.0));
        let now = micros(now);
        for (account, lines) in accounts {
            let account: AccountId = valid("account id", account.parse())?;
            replace_charges(&mut tx, catalog, &account, month, lines, now).await?;
        }
        tx.commit().await?;
        Ok(records)
    }

    /// A transaction holding the ingestion lock: ingestion, month close, adjustments and
    /// rebuilds never interleave.
    pub(crate) async fn begin_billing(&self) -> Result<Tx, StoreError> {
        let tx = self.db.begin().await?;
        if let Tx::Postgres(pg) = &tx {
            pg.client()?
                .execute(
                    "SELECT pg_advisory_xact_lock($1)",
                    &[&crate::usage::INGEST_LOCK],
                )
                .await
                .map_err(crate::db::postgres_error)?;
        }
        Ok(tx)
    }
}
