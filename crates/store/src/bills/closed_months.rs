//! Which months are closed: the rule every writer of bill lines checks first (ingestion,
//! adjustments, fees, rebuilds, month close). A closed month's bills are final.

use scpfm_domain::month::YearMonth;

use super::month_text;
use crate::codec::valid;
use crate::db::{Executor, SqlBuilder};
use crate::StoreError;

/// The closed months among `months` (sorted), read inside `tx`.
pub(crate) async fn closed_among<E: Executor>(
    db: &mut E,
    months: &[YearMonth],
) -> Result<Vec<YearMonth>, StoreError> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let texts: Vec<String> = months.iter().copied().map(month_text).collect();
    let mut sql = SqlBuilder::default();
    sql.push("SELECT bill_month FROM closed_months WHERE ");
    sql.in_list("bill_month", texts.iter().map(String::as_str));
    let mut closed = db
        .query_all(&sql.sql, &sql.params, |row| {
            valid("closed month", row.text(0)?.parse::<YearMonth>())
        })
        .await?;
    closed.sort();
    Ok(closed)
}

/// Every closed month, oldest first (a row per month: few).
pub(crate) async fn all_closed_months<E: Executor>(
    db: &mut E,
) -> Result<Vec<YearMonth>, StoreError> {
    let mut closed = db
        .query_all("SELECT bill_month FROM closed_months", &[], |row| {
            valid("closed month", row.text(0)?.parse::<YearMonth>())
        })
        .await?;
    closed.sort();
    Ok(closed)
}

/// Fails with [`StoreError::MonthClosed`] if any of `months` is closed.
pub(crate) async fn ensure_open<E: Executor>(
    db: &mut E,
    months: &[YearMonth],
) -> Result<(), StoreError> {
    match closed_among(db, months).await?.first() {
        Some(month) => Err(StoreError::MonthClosed(*month)),
        None => Ok(()),
    }
}
