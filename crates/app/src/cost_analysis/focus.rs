//! The FOCUS export of a closed billing period: the rollup's rows of the month, each turned
//! into FOCUS rows by `scpfm_domain::focus` with its account's name and billing account (the
//! payer of a member).

use std::collections::HashMap;

use rust_decimal::Decimal;
use scpfm_domain::account::Account;
use scpfm_domain::cost::{from_milli, from_nano};
use scpfm_domain::focus::{columns, rows, CostLine, FocusRow, FocusVersion};
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::YearMonth;
use scpfm_domain::validation::{FieldError, Problem};
use scpfm_store::cost::export::CostRow;

use scpfm_domain::catalog::Catalog;
use scpfm_store::Store;

use crate::AppError;

/// An export: its columns and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusExport {
    /// Column names, in order.
    pub columns: Vec<&'static str>,
    /// Rows, each in column order.
    pub rows: Vec<FocusRow>,
}

/// The billing periods that can be exported: the closed months, oldest first (the month
/// close is the same for every account, so this tells no one anything about another).
pub async fn closed_periods(store: &Store) -> Result<Vec<YearMonth>, AppError> {
    Ok(store.all_closed_months().await?)
}

/// Refuses a billing period that is not closed, naming the closed ones (`field` names the
/// parameter).
pub async fn require_closed(store: &Store, field: &str, month: YearMonth) -> Result<(), AppError> {
    let closed = closed_periods(store).await?;
    if closed.contains(&month) {
        return Ok(());
    }
    let allowed = if closed.is_empty() {
        vec!["(no billing period is closed yet)".to_owned()]
    } else {
        closed.iter().map(ToString::to_string).collect()
    };
    Err(FieldError::with_given(field, Problem::NotOneOf { allowed }, month.to_string()).into())
}

/// The FOCUS rows of `accounts` in the closed `month` (refused if open or unknown: see
/// [`require_closed`]).
pub async fn export(
    store: &Store,
    catalog: &Catalog,
    accounts: &[AccountId],
    month: YearMonth,
    version: FocusVersion,
) -> Result<FocusExport, AppError> {
    require_closed(store, "billing_period", month).await?;
    let known: HashMap<String, Account> = store
        .list_accounts()
        .await?
        .into_iter()
        .map(|account| (account.id.to_string(), account))
        .collect();
    let cost = store.month_cost_rows(accounts, month).await?;
    let mut out = Vec::with_capacity(cost.len() * 2);
    for row in cost {
        out.extend(rows(catalog, &line(&known, row), version));
    }
    Ok(FocusExport {
        columns: columns(version),
        rows: out,
    })
}

fn line(known: &HashMap<String, Account>, row: CostRow) -> CostLine {
    let account = known.get(row.account_id.as_str());
    let name = |id: &str| {
        known
            .get(id)
            .map(|a| a.name.to_string())
            .unwrap_or_default()
    };
    let billing = account
        .and_then(|account| account.payer_account_id.as_ref())
        .map_or_else(|| row.account_id.to_string(), ToString::to_string);
    let money = |milli: i64| from_milli(milli);
    CostLine {
        account_name: name(row.account_id.as_str()),
        billing_account_name: name(&billing),
        billing_account_id: billing,
        account_id: row.account_id.to_string(),
        day: row.day,
        resource_id: row.resource_id,
        resource_name: row.resource_name,
        billing_item_id: row.billing_item_id,
        service_category: row.service_category,
        region: row.region,
        offering: row.offering,
        contract_id: row.contract_id,
        tags: row.tags,
        unit: row.unit,
        quantity: from_nano(i128::from(row.figures.quantity_nano)),
        usage: money(row.figures.usage[0]),
        idle_hours: from_nano(i128::from(row.figures.idle_hours_nano)),
        idle: money(row.figures.idle[0]),
        fee: money(row.figures.fee[0]),
        discount: money(row.figures.discount[0]),
    }
}

/// The sum of a column of money over `rows` (e.g. `BilledCost`), exact.
pub fn column_sum(export: &FocusExport, column: &str) -> Option<Decimal> {
    let idx = export.columns.iter().position(|name| *name == column)?;
    export
        .rows
        .iter()
        .map(|row| row[idx].parse::<Decimal>().ok())
        .sum()
}
