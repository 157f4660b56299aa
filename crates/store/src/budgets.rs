//! Account budgets.

use chrono::{DateTime, Utc};
use scpfm_domain::budget::{
    fold_for_search, Budget, BudgetAmount, BudgetCore, BudgetName, BudgetSortField, BudgetType,
    BudgetUnit, NewBudget, NotificationSettings, PreventionSettings, SendPeriod, Threshold,
};
use scpfm_domain::email::EmailAddress;
use scpfm_domain::ids::{AccountId, BudgetId};
use scpfm_domain::listing::{PageRequest, SortKey};

use crate::codec::{decode_ints, decode_texts, encode_ints, encode_texts, instant, micros, valid};
use crate::db::{Engine, Executor, Row, Value};
use crate::{Store, StoreError};

macro_rules! columns {
    () => {
        "id, account_id, name, unit, start_month, amount, budget_type, \
         notification_enabled, notification_send_period, notification_receivers, \
         notification_thresholds, prevention_enabled, prevention_receivers, prevention_threshold, \
         created_at, created_by, modified_at, modified_by"
    };
}
const COLUMNS: &str = columns!();
const GET_BUDGET: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM budgets WHERE id = $1 AND account_id = $2"
);

/// Who changes a budget, and when.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The access key's user name.
    pub user: &'a str,
    /// The time of the change.
    pub at: DateTime<Utc>,
}

/// Filters of the budget list.
#[derive(Debug, Clone, Default)]
pub struct BudgetFilter {
    /// Name contains this text, case-insensitively.
    pub name_contains: Option<String>,
    /// Name equals this text exactly.
    pub name_equals: Option<String>,
}

fn map_budget(row: &dyn Row) -> Result<Budget, StoreError> {
    // Addresses were validated when stored; re-parsing each on every read cost more than
    // the rest of the row (docs/BENCHMARKS.md).
    let receivers = |idx: usize| -> Result<Vec<EmailAddress>, StoreError> {
        Ok(decode_texts(row.str(idx)?)?
            .into_iter()
            .map(EmailAddress::from_stored)
            .collect())
    };
    let threshold = |percent: i64| valid("threshold", Threshold::parse("threshold", percent));
    Ok(Budget {
        id: valid("budget id", row.str(0)?.parse())?,
        account_id: valid("account id", row.str(1)?.parse())?,
        core: BudgetCore {
            name: valid("budget name", BudgetName::parse(row.str(2)?))?,
            unit: valid("unit", row.str(3)?.parse::<BudgetUnit>())?,
            start_month: valid("start month", row.str(4)?.parse())?,
            amount: valid("amount", BudgetAmount::parse(row.int(5)?))?,
        },
        budget_type: valid("budget type", row.str(6)?.parse::<BudgetType>())?,
        notifications: NotificationSettings {
            enabled: row.boolean(7)?,
            send_period: valid("send period", row.str(8)?.parse::<SendPeriod>())?,
            receivers: receivers(9)?,
            thresholds: decode_ints(row.str(10)?)?
                .into_iter()
                .map(threshold)
                .collect::<Result<_, _>>()?,
        },
        prevention: PreventionSettings {
            enabled: row.boolean(11)?,
            receivers: receivers(12)?,
            threshold: threshold(row.int(13)?)?,
        },
        created_at: instant(row.int(14)?)?,
        created_by: row.text(15)?,
        modified_at: instant(row.int(16)?)?,
        modified_by: row.text(17)?,
    })
}

/// The stored columns of a budget's settings, in `COLUMNS` order from `name` on.
struct SettingsColumns {
    name_folded: String,
    notification_receivers: String,
    notification_thresholds: String,
    prevention_receivers: String,
}

impl SettingsColumns {
    fn of(budget: &NewBudget) -> Self {
        Self {
            name_folded: budget.core.name.folded(),
            notification_receivers: encode_texts(
                budget
                    .notifications
                    .receivers
                    .iter()
                    .map(EmailAddress::as_str),
            ),
            notification_thresholds: encode_ints(
                budget
                    .notifications
                    .thresholds
                    .iter()
                    .map(|t| i64::from(t.percent())),
            ),
            prevention_receivers: encode_texts(
                budget.prevention.receivers.iter().map(EmailAddress::as_str),
            ),
        }
    }

    /// A row's values: `key` (id, account), the core fields, `budget_type` when inserting,
    /// the settings, the change's instant and user, and the folded name.
    fn row<'a>(
        &'a self,
        key: [Value<'a>; 2],
        budget: &'a NewBudget,
        start_month: &'a str,
        budget_type: Option<BudgetType>,
        at: i64,
        user: &'a str,
    ) -> Vec<Value<'a>> {
        key.into_iter()
            .chain(Self::core(budget, start_month))
            .chain(budget_type.map(|kind| Value::Text(kind.as_str())))
            .chain(self.settings(budget))
            .chain([
                Value::Int(at),
                Value::Text(user),
                Value::Text(&self.name_folded),
            ])
            .collect()
    }

    /// The values of `name`, `unit`, `start_month` and `amount`, in that order.
    fn core<'a>(budget: &'a NewBudget, start_month: &'a str) -> [Value<'a>; 4] {
        [
            Value::Text(budget.core.name.as_str()),
            Value::Text(budget.core.unit.as_str()),
            Value::Text(start_month),
            Value::Int(budget.core.amount.krw()),
        ]
    }

    /// The values of the notification and prevention columns, in table order.
    fn settings<'a>(&'a self, budget: &NewBudget) -> [Value<'a>; 7] {
        [
            Value::Bool(budget.notifications.enabled),
            Value::Text(budget.notifications.send_period.as_str()),
            Value::Text(&self.notification_receivers),
            Value::Text(&self.notification_thresholds),
            Value::Bool(budget.prevention.enabled),
            Value::Text(&self.prevention_receivers),
            Value::Int(i64::from(budget.prevention.threshold.percent())),
        ]
    }
}

fn sort_column(field: BudgetSortField, engine: Engine) -> &'static str {
    match (field, engine) {
        (BudgetSortField::CreatedAt, _) => "created_at",
        (BudgetSortField::ModifiedAt, _) => "modified_at",
        // Code point order on both engines, whatever the PostgreSQL database collation.
        (BudgetSortField::Name, Engine::Postgres) => "name COLLATE \"C\"",
        (BudgetSortField::Name, Engine::Sqlite) => "name",
        (BudgetSortField::Amount, _) => "amount",
        (BudgetSortField::StartMonth, _) => "start_month",
        (BudgetSortField::Unit, _) => "unit",
        (BudgetSortField::Id, _) => "id",
    }
}

/// `ORDER BY` for the given keys, ending with `id` so the order is total.
fn order_by(sort: &[SortKey<BudgetSortField>], engine: Engine) -> String {
    let mut terms = crate::ordering::terms(sort, |field| sort_column(field, engine));
    if !sort.iter().any(|key| key.field == BudgetSortField::Id) {
        terms.push("id ASC".into());
    }
    terms.join(", ")
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

impl Store {
    /// Stores a new budget; a name already used in the account is a [`StoreError::Conflict`].
    pub async fn create_budget(
        &self,
        id: BudgetId,
        account_id: &AccountId,
        budget: NewBudget,
        change: Change<'_>,
    ) -> Result<Budget, StoreError> {
        let columns = SettingsColumns::of(&budget);
        let at = micros(change.at);
        let start_month = budget.core.start_month.to_string();
        let key = [Value::Text(id.as_str()), Value::Text(account_id.as_str())];
        let budget_type = Some(BudgetType::Cost);
        let values = columns.row(key, &budget, &start_month, budget_type, at, change.user);
        (&self.db)
            .execute(
                &format!(
                    "INSERT INTO budgets ({COLUMNS}, name_folded) VALUES \
                     ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, $16, $17)"
                ),
                &values,
            )
            .await?;
        Ok(Budget {
            id,
            account_id: account_id.clone(),
            core: budget.core,
            budget_type: BudgetType::Cost,
            notifications: budget.notifications,
            prevention: budget.prevention,
            created_at: instant(at)?,
            created_by: change.user.to_owned(),
            modified_at: instant(at)?,
            modified_by: change.user.to_owned(),
        })
    }

    /// The budget with this id in this account.
    pub async fn get_budget(
        &self,
        account_id: &AccountId,
        id: &str,
    ) -> Result<Option<Budget>, StoreError> {
        (&self.db)
            .query_opt(
                GET_BUDGET,
                &[Value::Text(id), Value::Text(account_id.as_str())],
                map_budget,
            )
            .await
    }

    /// One page of the account's budgets matching `filter`, and the number of all matches.
    pub async fn list_budgets(
        &self,
        account_id: &AccountId,
        filter: &BudgetFilter,
        sort: &[SortKey<BudgetSortField>],
        page: PageRequest,
    ) -> Result<(Vec<Budget>, u64), StoreError> {
        let pattern = filter
            .name_contains
            .as_deref()
            .map(|text| like_contains(&fold_for_search(text)));
        let conditions = "account_id = $1 \
            AND (CAST($2 AS TEXT) IS NULL OR name = $2) \
            AND (CAST($3 AS TEXT) IS NULL OR name_folded LIKE $3 ESCAPE '\\')";
        let filters = [
            Value::Text(account_id.as_str()),
            Value::opt_text(filter.name_equals.as_deref()),
            Value::opt_text(pattern.as_deref()),
        ];
        let mut db = &self.db;
        let total = db
            .query_one(
                &format!("SELECT COUNT(*) FROM budgets WHERE {conditions}"),
                &filters,
                |row| row.int(0),
            )
            .await?;
        let offset = crate::ordering::offset(page);
        let mut params = filters.to_vec();
        params.push(Value::Int(i64::from(page.size())));
        params.push(Value::Int(offset));
        let budgets = db
            .query_all(
                &format!(
                    "SELECT {COLUMNS} FROM budgets WHERE {conditions} ORDER BY {} LIMIT $4 OFFSET $5",
                    order_by(sort, self.db.engine())
                ),
                &params,
                map_budget,
            )
            .await?;
        Ok((budgets, u64::try_from(total).unwrap_or(0)))
    }

    /// Changes a budget in one transaction: `change_with` sees the stored budget and returns
    /// the new settings. `Ok(None)` when the account has no such budget; a name already used
    /// by another budget of the account is a [`StoreError::Conflict`].
    pub async fn update_budget<E: From<StoreError>>(
        &self,
        account_id: &AccountId,
        id: &str,
        change: Change<'_>,
        change_with: impl FnOnce(&Budget) -> Result<NewBudget, E>,
    ) -> Result<Option<Budget>, E> {
        let mut tx = self.db.begin().await?;
        let lock = match tx.engine() {
            Engine::Postgres => " FOR UPDATE",
            Engine::Sqlite => "",
        };
        let current = tx
            .query_opt(
                &format!("SELECT {COLUMNS} FROM budgets WHERE id = $1 AND account_id = $2{lock}"),
                &[Value::Text(id), Value::Text(account_id.as_str())],
                map_budget,
            )
            .await?;
        let Some(current) = current else {
            return Ok(None);
        };
        let budget = change_with(&current)?;
        let columns = SettingsColumns::of(&budget);
        let at = micros(change.at);
        let start_month = budget.core.start_month.to_string();
        let key = [Value::Text(id), Value::Text(account_id.as_str())];
        let values = columns.row(key, &budget, &start_month, None, at, change.user);
        tx.execute(
            "UPDATE budgets SET name = $3, unit = $4, start_month = $5, amount = $6, \
             notification_enabled = $7, notification_send_period = $8, notification_receivers = $9, \
             notification_thresholds = $10, prevention_enabled = $11, prevention_receivers = $12, \
             prevention_threshold = $13, modified_at = $14, modified_by = $15, name_folded = $16 \
             WHERE id = $1 AND account_id = $2",
            &values,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(Budget {
            core: budget.core,
            notifications: budget.notifications,
            prevention: budget.prevention,
            modified_at: instant(at)?,
            modified_by: change.user.to_owned(),
            ..current
        }))
    }

    /// Deletes a budget and what its evaluator remembered (its notification history stays);
    /// `false` when the account has no such budget.
    pub async fn delete_budget(
        &self,
        account_id: &AccountId,
        id: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin().await?;
        let deleted = tx
            .execute(
                "DELETE FROM budgets WHERE id = $1 AND account_id = $2",
                &[Value::Text(id), Value::Text(account_id.as_str())],
            )
            .await?;
        tx.execute(
            "DELETE FROM budget_evaluations WHERE budget_id = $1 AND account_id = $2",
            &[Value::Text(id), Value::Text(account_id.as_str())],
        )
        .await?;
        tx.commit().await?;
        Ok(deleted > 0)
    }

    /// Every budget of `account_id`, oldest first.
    pub async fn account_budgets(&self, account_id: &AccountId) -> Result<Vec<Budget>, StoreError> {
        (&self.db)
            .query_all(
                &format!(
                    "SELECT {COLUMNS} FROM budgets WHERE account_id = $1 ORDER BY created_at, id"
                ),
                &[Value::Text(account_id.as_str())],
                map_budget,
            )
            .await
    }

    /// The accounts that have budgets.
    pub async fn budget_account_ids(&self) -> Result<Vec<AccountId>, StoreError> {
        (&self.db)
            .query_all(
                "SELECT DISTINCT account_id FROM budgets ORDER BY account_id",
                &[],
                |row| valid("account id", row.text(0)?.parse()),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }

    #[test]
    fn order_is_made_total_with_the_id() {
        let keys = [SortKey::desc(BudgetSortField::Name)];
        assert_eq!(order_by(&keys, Engine::Sqlite), "name DESC, id ASC");
        assert_eq!(
            order_by(&keys, Engine::Postgres),
            "name COLLATE \"C\" DESC, id ASC"
        );
        let by_id = [SortKey::desc(BudgetSortField::Id)];
        assert_eq!(order_by(&by_id, Engine::Sqlite), "id DESC");
    }
}
