//! Keeping bill lines current: usage stored by an ingestion adds to its lines' charges when
//! the ingestion commits (in the same transaction), and an account-month's discounts are
//! derived again from its adjustments whenever its lines or adjustments change.

use std::collections::HashMap;
use std::sync::LazyLock;

use rust_decimal::Decimal;
use scpfm_domain::bill::{
    apply_adjustments, component_of, Adjustment, AdjustmentValue, BillCharges, BillState,
};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::YearMonth;
use scpfm_domain::usage::UsageRecord;

use super::charge::BillCharge;
use super::{charge_values, month_text, read_charges, AMOUNT_COLUMNS};
use crate::codec::valid;
use crate::db::{Executor, SqlBuilder, Tx, Value};
use crate::StoreError;

/// The descriptive fields of a new line, from the first usage that created it.
#[derive(Debug, Clone)]
pub(crate) struct LineFacts {
    pub(crate) resource_name: String,
    pub(crate) service_category: String,
    pub(crate) region: String,
    pub(crate) contract_id: Option<String>,
    pub(crate) order_status: String,
    /// The cost key the line's discounts are rolled up under (its first usage's).
    pub(crate) cost_key: Option<i64>,
}

#[derive(Debug, Clone)]
struct PendingLine {
    facts: LineFacts,
    charges: BillCharges,
}

/// Charges an ingestion has added, by account-month, resource and billing item; written to
/// the lines when the ingestion commits.
#[derive(Debug, Default)]
pub(crate) struct PendingBills {
    months: HashMap<(AccountId, YearMonth), HashMap<String, HashMap<String, PendingLine>>>,
}

impl PendingBills {
    /// Adds a stored record's amount to its line (a new line takes the record's cost key).
    pub(crate) fn add(&mut self, catalog: &Catalog, record: &UsageRecord, cost_key: i64) {
        let component = component_of(catalog, &record.billing_item_id, record.offering);
        let resources = self
            .months
            .entry((record.account_id.clone(), record.month))
            .or_default();
        let items = match resources.get_mut(&record.resource_id) {
            Some(items) => items,
            None => resources.entry(record.resource_id.clone()).or_default(),
        };
        let line = match items.get_mut(&record.billing_item_id) {
            Some(line) => line,
            None => items
                .entry(record.billing_item_id.clone())
                .or_insert_with(|| PendingLine {
                    facts: LineFacts {
                        resource_name: record.resource_name.clone(),
                        service_category: record.service_category.clone(),
                        region: record.region.clone(),
                        contract_id: record.contract_id.clone(),
                        order_status: record.order_status.clone(),
                        cost_key: Some(cost_key),
                    },
                    charges: BillCharges::default(),
                }),
        };
        line.charges.add_charge(component, record.amount);
    }

    /// Writes every pending charge to its lines.
    /// The accounts whose lines this holds charges for.
    pub(crate) fn accounts(&self) -> Vec<AccountId> {
        let mut accounts: Vec<AccountId> = self
            .months
            .keys()
            .map(|(account, _)| account.clone())
            .collect();
        accounts.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        accounts.dedup();
        accounts
    }

    pub(crate) async fn flush(
        self,
        tx: &mut Tx,
        catalog: &Catalog,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut months: Vec<_> = self.months.into_iter().collect();
        months.sort_by(|a, b| a.0.cmp(&b.0));
        for ((account, month), resources) in months {
            let mut lines = MonthLines::load(tx, &account, month).await?;
            let mut added: Vec<(String, String, PendingLine)> = resources
                .into_iter()
                .flat_map(|(resource, items)| {
                    items
                        .into_iter()
                        .map(move |(item, line)| (resource.clone(), item, line))
                })
                .collect();
            // New lines are numbered in a stable order.
            added.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            for (resource_id, billing_item_id, pending) in added {
                lines.add(resource_id, billing_item_id, pending);
            }
            let adjustments = load_adjustments(tx, &account, month).await?;
            lines.derive_discounts(&adjustments, catalog, month);
            lines.save(tx, &account, month, now).await?;
        }
        Ok(())
    }
}

/// Adds `charge` to its line (creating it) and derives the account-month's discounts again.
pub(crate) async fn add_charge(
    tx: &mut Tx,
    catalog: &Catalog,
    charge: &BillCharge,
    now: i64,
) -> Result<(), StoreError> {
    super::closed_months::ensure_open(tx, &[charge.month]).await?;
    let cost_key = crate::cost::pending::charge_cost(tx, charge, now).await?;
    let mut lines = MonthLines::load(tx, &charge.account_id, charge.month).await?;
    let mut charges = BillCharges::default();
    charges.add_charge(charge.component, charge.amount);
    lines.add(
        charge.resource_id.clone(),
        charge.billing_item_id.clone(),
        PendingLine {
            facts: LineFacts {
                resource_name: charge.resource_name.clone(),
                service_category: charge.service_category.clone(),
                region: charge.region.clone(),
                contract_id: charge.contract_id.clone(),
                order_status: "04".into(),
                cost_key: Some(cost_key),
            },
            charges,
        },
    );
    let adjustments = load_adjustments(tx, &charge.account_id, charge.month).await?;
    lines.derive_discounts(&adjustments, catalog, charge.month);
    lines.save(tx, &charge.account_id, charge.month, now).await
}

/// Derives an account-month's discounts again (after its adjustments changed).
pub(crate) async fn refresh_discounts(
    tx: &mut Tx,
    catalog: &Catalog,
    account: &AccountId,
    month: YearMonth,
    now: i64,
) -> Result<(), StoreError> {
    let mut lines = MonthLines::load(tx, account, month).await?;
    let adjustments = load_adjustments(tx, account, month).await?;
    lines.derive_discounts(&adjustments, catalog, month);
    lines.save(tx, account, month, now).await
}

/// Recomputed charges of an account-month: its lines' facts and charges by resource and item.
pub(crate) type RebuiltLines = HashMap<(String, String), (LineFacts, BillCharges)>;

/// Replaces the usage charges of an account-month's lines with `lines` (usage lines not in
/// it drop to zero) and derives its discounts again. Charges that do not come from usage —
/// planned compute cancellation fees, charged when a contract is cancelled — are kept as
/// stored: usage cannot reproduce them.
pub(crate) async fn replace_charges(
    tx: &mut Tx,
    catalog: &Catalog,
    account: &AccountId,
    month: YearMonth,
    lines: RebuiltLines,
    now: i64,
) -> Result<(), StoreError> {
    let mut month_lines = MonthLines::load(tx, account, month).await?;
    for line in &mut month_lines.lines {
        let mut kept = BillCharges::default();
        for component in ChargeComponent::ALL {
            if !component.comes_from_usage() {
                kept.add_charge(*component, line.charges.charge(*component));
            }
        }
        line.charges = kept;
    }
    let mut lines: Vec<_> = lines.into_iter().collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    for ((resource_id, billing_item_id), (facts, charges)) in lines {
        month_lines.add(resource_id, billing_item_id, PendingLine { facts, charges });
    }
    let adjustments = load_adjustments(tx, account, month).await?;
    month_lines.derive_discounts(&adjustments, catalog, month);
    month_lines.save(tx, account, month, now).await
}

struct WorkingLine {
    /// `None` for a line not stored yet.
    seq: Option<i64>,
    /// The stored line's cost key (`None` for a line stored before cost keys existed).
    cost_key: Option<i64>,
    resource_id: String,
    billing_item_id: String,
    facts: Option<LineFacts>,
    stored: BillCharges,
    charges: BillCharges,
}

/// All lines of one account-month, in bill order, being changed.
struct MonthLines {
    lines: Vec<WorkingLine>,
    index: HashMap<(String, String), usize>,
}

static LOAD: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT seq, resource_id, billing_item_id, cost_key, {} FROM bill_lines \
         WHERE account_id = $1 AND bill_month = $2 ORDER BY seq",
        AMOUNT_COLUMNS.join(", ")
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = AMOUNT_COLUMNS
        .iter()
        .enumerate()
        .map(|(idx, column)| format!("{column} = ${}", idx + 3))
        .collect();
    format!(
        "UPDATE bill_lines SET updated_at = $2, {} WHERE seq = $1",
        sets.join(", ")
    )
});

/// Columns of a new line before its amounts.
const INSERT_COLUMNS: &str =
    "account_id, bill_month, resource_id, billing_item_id, resource_name, \
    service_category, region, contract_id, order_status, state, created_at, updated_at, cost_key";
/// New lines written per multi-row INSERT (13 + 32 parameters each: far below both engines'
/// parameter limits).
const INSERT_CHUNK: usize = 400;

impl MonthLines {
    async fn load(tx: &mut Tx, account: &AccountId, month: YearMonth) -> Result<Self, StoreError> {
        let month = month_text(month);
        let rows = tx
            .query_all(
                &LOAD,
                &[Value::Text(account.as_str()), Value::Text(&month)],
                |row| {
                    let charges = read_charges(row, 4)?;
                    Ok(WorkingLine {
                        seq: Some(row.int(0)?),
                        cost_key: row.opt_int(3)?,
                        resource_id: row.text(1)?,
                        billing_item_id: row.text(2)?,
                        facts: None,
                        stored: charges,
                        charges,
                    })
                },
            )
            .await?;
        let index = rows
            .iter()
            .enumerate()
            .map(|(idx, line)| {
                (
                    (line.resource_id.clone(), line.billing_item_id.clone()),
                    idx,
                )
            })
            .collect();
        Ok(Self { lines: rows, index })
    }

    fn add(&mut self, resource_id: String, billing_item_id: String, pending: PendingLine) {
        let key = (resource_id, billing_item_id);
        if let Some(idx) = self.index.get(&key) {
            self.lines[*idx].charges.add_charges(&pending.charges);
            return;
        }
        self.index.insert(key.clone(), self.lines.len());
        self.lines.push(WorkingLine {
            seq: None,
            cost_key: pending.facts.cost_key,
            resource_id: key.0,
            billing_item_id: key.1,
            facts: Some(pending.facts),
            stored: BillCharges::default(),
            charges: pending.charges,
        });
    }

    /// Every line whose discounts changed: its seq, cost key and the change.
    fn lines_changed(&self) -> Vec<crate::cost::pending::DiscountChange> {
        self.lines
            .iter()
            .filter_map(|line| {
                let (after, before) = (line.charges.discount_total(), line.stored.discount_total());
                (after != before).then(|| crate::cost::pending::DiscountChange {
                    seq: line.seq,
                    cost_key: line.cost_key,
                    change: DualAmount {
                        krw: after.krw - before.krw,
                        usd: after.usd - before.usd,
                    },
                })
            })
            .collect()
    }

    fn derive_discounts(
        &mut self,
        adjustments: &[Adjustment],
        catalog: &Catalog,
        month: YearMonth,
    ) {
        let mut refs: Vec<(&str, &mut BillCharges)> = self
            .lines
            .iter_mut()
            .map(|line| (line.billing_item_id.as_str(), &mut line.charges))
            .collect();
        apply_adjustments(&mut refs, adjustments, catalog.usd_rate(month));
    }

    async fn save(
        self,
        tx: &mut Tx,
        account: &AccountId,
        month: YearMonth,
        now: i64,
    ) -> Result<(), StoreError> {
        crate::cost::pending::discount_changes(tx, account, month, &self.lines_changed()).await?;
        let month = month_text(month);
        let mut new_lines = Vec::new();
        for line in &self.lines {
            match (line.seq, &line.facts) {
                (Some(seq), _) => {
                    if line.charges == line.stored {
                        continue;
                    }
                    let mut params = vec![Value::Int(seq), Value::Int(now)];
                    params.extend(charge_values(&line.charges));
                    tx.execute(&UPDATE, &params).await?;
                }
                (None, Some(facts)) => new_lines.push((line, facts)),
                (None, None) => {
                    return Err(StoreError::Corrupt(
                        "a new bill line without its usage facts".into(),
                    ))
                }
            }
        }
        // New lines in a few multi-row INSERTs (one round trip each), in bill order.
        for chunk in new_lines.chunks(INSERT_CHUNK) {
            let mut sql = SqlBuilder::default();
            sql.push(&format!(
                "INSERT INTO bill_lines ({INSERT_COLUMNS}, {}) VALUES ",
                AMOUNT_COLUMNS.join(", ")
            ));
            for (idx, (line, facts)) in chunk.iter().enumerate() {
                sql.push(if idx == 0 { "(" } else { ", (" });
                let fixed = [
                    Value::Text(account.as_str()),
                    Value::Text(&month),
                    Value::Text(&line.resource_id),
                    Value::Text(&line.billing_item_id),
                    Value::Text(&facts.resource_name),
                    Value::Text(&facts.service_category),
                    Value::Text(&facts.region),
                    Value::opt_text(facts.contract_id.as_deref()),
                    Value::Text(&facts.order_status),
                    Value::Text(BillState::Used.as_str()),
                    Value::Int(now),
                    Value::Int(now),
                    Value::opt_int(facts.cost_key),
                ];
                for (position, value) in fixed
                    .into_iter()
                    .chain(charge_values(&line.charges))
                    .enumerate()
                {
                    if position > 0 {
                        sql.push(", ");
                    }
                    sql.param(value);
                }
                sql.push(")");
            }
            tx.execute(&sql.sql, &sql.params).await?;
        }
        Ok(())
    }
}

const LOAD_ADJUSTMENTS: &str = "SELECT adjustment_id, component, kind, value, billing_item_id, \
    description FROM bill_adjustments WHERE account_id = $1 AND bill_month = $2";

/// The kinds of adjustment, as stored.
pub(crate) const PERCENT: &str = "PERCENT";
pub(crate) const FIXED: &str = "FIXED";

pub(crate) async fn load_adjustments<E: Executor>(
    db: &mut E,
    account: &AccountId,
    month: YearMonth,
) -> Result<Vec<Adjustment>, StoreError> {
    let month_string = month_text(month);
    let rows = db
        .query_all(
            LOAD_ADJUSTMENTS,
            &[Value::Text(account.as_str()), Value::Text(&month_string)],
            |row| {
                Ok((
                    row.text(0)?,
                    row.text(1)?,
                    row.text(2)?,
                    row.decimal(3)?,
                    row.opt_text(4)?,
                    row.text(5)?,
                ))
            },
        )
        .await?;
    rows.into_iter()
        .map(
            |(adjustment_id, component, kind, value, billing_item_id, description)| {
                Ok(Adjustment {
                    adjustment_id,
                    account_id: account.clone(),
                    month,
                    component: valid("adjustment component", component.parse())?,
                    value: adjustment_value(&kind, value)?,
                    billing_item_id,
                    description,
                })
            },
        )
        .collect()
}

fn adjustment_value(kind: &str, value: Decimal) -> Result<AdjustmentValue, StoreError> {
    match kind {
        PERCENT => Ok(AdjustmentValue::Percent(value)),
        FIXED => Ok(AdjustmentValue::Fixed(value)),
        other => Err(StoreError::Corrupt(format!(
            "stored adjustment kind is invalid: {other}"
        ))),
    }
}
