//! Payments: one record per account and closed month (created by month close), paid down
//! by recorded payments; listed for an account and its organisation's members.

use rust_decimal::Decimal;
use scpfm_domain::bill::{paid_usd, Payment};
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::YearMonth;

use crate::bills::month_text;
use crate::codec::{micros, valid};
use crate::db::{Executor, SqlBuilder, Value};
use crate::{Store, StoreError};

/// Why a payment could not be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The account has no bill for the month (the month is not closed, or nothing was used).
    #[error("account {account_id} has no payment record for {month} (is the month closed?)")]
    NoBill {
        /// The account.
        account_id: String,
        /// The month.
        month: YearMonth,
    },
    /// The amount is more than what is owed.
    #[error("the amount is more than the unpaid {unpaid} KRW")]
    MoreThanOwed {
        /// What is owed.
        unpaid: Decimal,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

const COLUMNS: &str = "p.account_id, a.name, a.payer_account_id, p.bill_month, p.bill_krw, \
    p.bill_usd, p.used_krw, p.used_usd, p.paid_krw, p.paid_usd, p.payment_date";

fn map_payment(row: &dyn crate::db::Row) -> Result<Payment, StoreError> {
    Ok(Payment {
        account_id: valid("account id", row.text(0)?.parse())?,
        account_name: row.text(1)?,
        is_member: row.opt_text(2)?.is_some(),
        month: valid("bill month", row.text(3)?.parse())?,
        bill: row.dual(4)?,
        used: row.dual(6)?,
        paid: row.dual(8)?,
        accumulated_unpaid: DualAmount::ZERO,
        payment_date: row
            .opt_text(10)?
            .map(|date| valid("payment date", date.parse()))
            .transpose()?,
    })
}

impl Store {
    /// One page (`offset`, `size`) of the payment records of `accounts`, newest month first
    /// (then by account id), with the total count. `accumulated_unpaid` is each record's
    /// unpaid amount plus its account's unpaid amounts of earlier months.
    pub async fn list_payments(
        &self,
        accounts: &[AccountId],
        offset: u64,
        size: u32,
    ) -> Result<(Vec<Payment>, u64), StoreError> {
        let mut db = &self.db;
        let mut sql = SqlBuilder::default();
        sql.push(&format!(
            "SELECT {COLUMNS} FROM payments p JOIN accounts a ON a.id = p.account_id WHERE "
        ));
        sql.in_list("p.account_id", accounts.iter().map(AccountId::as_str));
        sql.push(" ORDER BY p.bill_month DESC, p.account_id LIMIT ");
        sql.param(Value::Int(i64::from(size)));
        sql.push(" OFFSET ");
        sql.param(Value::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let mut page = db.query_all(&sql.sql, &sql.params, map_payment).await?;
        let mut count = SqlBuilder::default();
        count.push("SELECT COUNT(*) FROM payments WHERE ");
        count.in_list("account_id", accounts.iter().map(AccountId::as_str));
        let total = db
            .query_one(&count.sql, &count.params, |row| row.int(0))
            .await?;
        if !page.is_empty() {
            let on_page: Vec<&str> = page.iter().map(|p| p.account_id.as_str()).collect();
            let mut unpaid = SqlBuilder::default();
            unpaid.push(
                "SELECT account_id, bill_month, bill_krw, bill_usd, paid_krw, paid_usd \
                 FROM payments WHERE ",
            );
            unpaid.in_list("account_id", on_page.into_iter());
            let history = db
                .query_all(&unpaid.sql, &unpaid.params, |row| {
                    Ok((
                        row.text(0)?,
                        row.text(1)?,
                        DualAmount {
                            krw: row.decimal(2)? - row.decimal(4)?,
                            usd: row.decimal(3)? - row.decimal(5)?,
                        },
                    ))
                })
                .await?;
            for payment in &mut page {
                let month = month_text(payment.month);
                payment.accumulated_unpaid = history
                    .iter()
                    .filter(|(account, earlier, _)| {
                        account == payment.account_id.as_str() && *earlier <= month
                    })
                    .map(|(_, _, unpaid)| *unpaid)
                    .sum();
            }
        }
        Ok((page, u64::try_from(total).unwrap_or(0)))
    }

    /// Records a (partial) payment of `amount_krw` for an account's month, paid on `paid_on`
    /// (KST date) at `now`; returns the updated record.
    pub async fn record_payment(
        &self,
        account: &AccountId,
        month: YearMonth,
        amount_krw: Decimal,
        paid_on: chrono::NaiveDate,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Payment, PaymentError> {
        let mut tx = self.db.begin().await?;
        let text = month_text(month);
        let select = format!(
            "SELECT {COLUMNS} FROM payments p JOIN accounts a ON a.id = p.account_id \
             WHERE p.account_id = $1 AND p.bill_month = $2"
        );
        let params = [Value::Text(account.as_str()), Value::Text(&text)];
        let Some(mut payment) = tx.query_opt(&select, &params, map_payment).await? else {
            return Err(PaymentError::NoBill {
                account_id: account.to_string(),
                month,
            });
        };
        let unpaid = payment.unpaid().krw;
        if amount_krw > unpaid {
            return Err(PaymentError::MoreThanOwed { unpaid });
        }
        payment.paid.krw += amount_krw;
        payment.paid.usd = paid_usd(payment.bill, payment.paid.krw);
        payment.payment_date = Some(paid_on);
        let date = paid_on.to_string();
        tx.execute(
            "UPDATE payments SET paid_krw = $3, paid_usd = $4, payment_date = $5, updated_at = $6 \
             WHERE account_id = $1 AND bill_month = $2",
            &[
                Value::Text(account.as_str()),
                Value::Text(&text),
                Value::Decimal(payment.paid.krw),
                Value::Decimal(payment.paid.usd),
                Value::Text(&date),
                Value::Int(micros(now)),
            ],
        )
        .await?;
        tx.execute(
            "INSERT INTO payment_records (account_id, bill_month, amount_krw, paid_at) \
             VALUES ($1, $2, $3, $4)",
            &[
                Value::Text(account.as_str()),
                Value::Text(&text),
                Value::Decimal(amount_krw),
                Value::Int(micros(now)),
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(payment)
    }
}
