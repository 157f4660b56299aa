//! Planned compute contracts and the history of their changes.
//!
//! The contract number is derived from the row's number (`seq`): `C` + 9 digits, so it is
//! unique without a counter. Dates are `YYYY-MM-DD` text (KST calendar dates); tags JSON.

use chrono::NaiveDate;
use scpfm_domain::ids::AccountId;
use scpfm_domain::listing::{PageRequest, SortDirection, SortKey};
use scpfm_domain::planned_compute::{
    contract_number, contract_seq, ContractState, PlannedCompute, PlannedComputeSortField, Term,
};

use scpfm_domain::catalog::Catalog;

use crate::bills::{add_charge, BillCharge};
use crate::codec::{instant, micros, valid};
use crate::db::{Executor, Row, SqlBuilder, Value};
use crate::{Engine, Store, StoreError};

const COLUMNS: &str = "seq, id, account_id, region, service_id, server_type, os_type, \
    contract_type, start_date, end_date, first_start_date, next_contract_type, next_start_date, \
    next_end_date, state, tags, resource_name, created_at, created_by, modified_at, modified_by, \
    cancelled_at";

fn date(text: String) -> Result<NaiveDate, StoreError> {
    valid("date", text.parse::<NaiveDate>())
}

fn map_contract(row: &dyn Row) -> Result<PlannedCompute, StoreError> {
    let next = match (row.opt_text(11)?, row.opt_text(12)?, row.opt_text(13)?) {
        (Some(contract_type), Some(start), Some(end)) => Some(Term {
            contract_type,
            start_date: date(start)?,
            end_date: date(end)?,
        }),
        _ => None,
    };
    Ok(PlannedCompute {
        contract_id: contract_number(row.int(0)?),
        id: valid("planned compute id", row.str(1)?.parse())?,
        account_id: valid("account id", row.text(2)?.parse())?,
        region: row.text(3)?,
        service_id: row.text(4)?,
        server_type: row.text(5)?,
        os_type: row.text(6)?,
        term: Term {
            contract_type: row.text(7)?,
            start_date: date(row.text(8)?)?,
            end_date: date(row.text(9)?)?,
        },
        first_contract_start: date(row.text(10)?)?,
        next,
        state: valid("state", row.text(14)?.parse::<ContractState>())?,
        tags: valid("tags", serde_json::from_str(&row.text(15)?))?,
        resource_name: row.opt_text(16)?,
        created_at: instant(row.int(17)?)?,
        created_by: row.text(18)?,
        modified_at: instant(row.int(19)?)?,
        modified_by: row.text(20)?,
        cancelled_at: row.opt_int(21)?.map(instant).transpose()?,
    })
}

/// Which contracts a listing covers (all within one account).
#[derive(Debug, Clone, Default)]
pub struct PlannedComputeFilter {
    /// In force on or after this day (the term ends on or after it).
    pub from: Option<NaiveDate>,
    /// In force on or before this day (the term starts on or before it).
    pub until: Option<NaiveDate>,
    /// This server type.
    pub server_type: Option<String>,
    /// This contract number.
    pub contract_id: Option<String>,
    /// Any of these contract types.
    pub contract_types: Vec<String>,
    /// Any of these renewal contract types.
    pub next_contract_types: Vec<String>,
    /// Any of these services.
    pub service_ids: Vec<String>,
    /// Any of these OS types (ids).
    pub os_types: Vec<String>,
    /// Any of these states.
    pub states: Vec<ContractState>,
    /// Ordered by this user.
    pub created_by: Option<String>,
    /// Last changed by this user.
    pub modified_by: Option<String>,
}

fn sort_column(field: PlannedComputeSortField, engine: Engine) -> &'static str {
    use PlannedComputeSortField as F;
    match (field, engine) {
        (F::CreatedAt, _) => "created_at",
        (F::ModifiedAt, _) => "modified_at",
        (F::CreatedBy, Engine::Postgres) => "created_by COLLATE \"C\"",
        (F::CreatedBy, Engine::Sqlite) => "created_by",
        (F::ModifiedBy, Engine::Postgres) => "modified_by COLLATE \"C\"",
        (F::ModifiedBy, Engine::Sqlite) => "modified_by",
        (F::StartDate, _) => "start_date",
        (F::EndDate, _) => "end_date",
        (F::ContractId, _) => "seq",
        (F::ServerType, Engine::Postgres) => "server_type COLLATE \"C\"",
        (F::ServerType, Engine::Sqlite) => "server_type",
        (F::ContractType, _) => "contract_type",
        (F::State, _) => "state",
    }
}

impl PlannedComputeFilter {
    fn conditions<'a>(
        &'a self,
        account: &'a AccountId,
        dates: &'a [String; 2],
        sql: &mut SqlBuilder<'a>,
    ) {
        sql.push("account_id = ");
        sql.param(Value::Text(account.as_str()));
        if self.from.is_some() {
            sql.push(" AND end_date >= ");
            sql.param(Value::Text(&dates[0]));
        }
        if self.until.is_some() {
            sql.push(" AND start_date <= ");
            sql.param(Value::Text(&dates[1]));
        }
        for (column, value) in [
            ("server_type", &self.server_type),
            ("created_by", &self.created_by),
            ("modified_by", &self.modified_by),
        ] {
            if let Some(value) = value {
                sql.push(&format!(" AND {column} = "));
                sql.param(Value::Text(value));
            }
        }
        if let Some(contract) = &self.contract_id {
            sql.push(" AND seq = ");
            sql.param(Value::Int(contract_seq(contract).unwrap_or(-1)));
        }
        for (column, list) in [
            ("contract_type", &self.contract_types),
            ("next_contract_type", &self.next_contract_types),
            ("service_id", &self.service_ids),
            ("os_type", &self.os_types),
        ] {
            if !list.is_empty() {
                sql.push(" AND ");
                sql.in_list(column, list.iter().map(String::as_str));
            }
        }
        if !self.states.is_empty() {
            sql.push(" AND ");
            sql.in_list("state", self.states.iter().map(|state| state.as_str()));
        }
    }
}

fn values(contract: &PlannedCompute) -> (String, [String; 6]) {
    let next = contract.next.as_ref();
    (
        serde_json::to_string(&contract.tags).unwrap_or_else(|_| "[]".into()),
        [
            contract.term.start_date.to_string(),
            contract.term.end_date.to_string(),
            contract.first_contract_start.to_string(),
            next.map(|term| term.contract_type.clone())
                .unwrap_or_default(),
            next.map(|term| term.start_date.to_string())
                .unwrap_or_default(),
            next.map(|term| term.end_date.to_string())
                .unwrap_or_default(),
        ],
    )
}

impl Store {
    /// Stores a new contract; returns it with its contract number.
    pub async fn create_planned_compute(
        &self,
        contract: &PlannedCompute,
    ) -> Result<PlannedCompute, StoreError> {
        let mut tx = self.db.begin().await?;
        let (tags, dates) = values(contract);
        tx.execute(
            "INSERT INTO planned_computes (id, account_id, region, service_id, server_type, os_type, \
             contract_type, start_date, end_date, first_start_date, next_contract_type, \
             next_start_date, next_end_date, state, tags, resource_name, created_at, created_by, \
             modified_at, modified_by, cancelled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, NULL, NULL, NULL, $11, $12, $13, $14, $15, $16, $17, NULL)",
            &[
                Value::Text(contract.id.as_str()),
                Value::Text(contract.account_id.as_str()),
                Value::Text(&contract.region),
                Value::Text(&contract.service_id),
                Value::Text(&contract.server_type),
                Value::Text(&contract.os_type),
                Value::Text(&contract.term.contract_type),
                Value::Text(&dates[0]),
                Value::Text(&dates[1]),
                Value::Text(&dates[2]),
                Value::Text(contract.state.as_str()),
                Value::Text(&tags),
                Value::opt_text(contract.resource_name.as_deref()),
                Value::Int(micros(contract.created_at)),
                Value::Text(&contract.created_by),
                Value::Int(micros(contract.modified_at)),
                Value::Text(&contract.modified_by),
            ],
        )
        .await?;
        record_change(&mut tx, contract, "CREATE", "{}").await?;
        let stored = tx
            .query_one(
                &format!("SELECT {COLUMNS} FROM planned_computes WHERE id = $1"),
                &[Value::Text(contract.id.as_str())],
                map_contract,
            )
            .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// One contract of `account`.
    pub async fn get_planned_compute(
        &self,
        account: &AccountId,
        id: &str,
    ) -> Result<Option<PlannedCompute>, StoreError> {
        (&self.db)
            .query_opt(
                &format!(
                    "SELECT {COLUMNS} FROM planned_computes WHERE id = $1 AND account_id = $2"
                ),
                &[Value::Text(id), Value::Text(account.as_str())],
                map_contract,
            )
            .await
    }

    /// Contracts of `account` with `ids` (unknown ids are left out).
    pub async fn planned_computes_by_id(
        &self,
        account: &AccountId,
        ids: &[String],
    ) -> Result<Vec<PlannedCompute>, StoreError> {
        let mut sql = SqlBuilder::default();
        sql.push(&format!(
            "SELECT {COLUMNS} FROM planned_computes WHERE account_id = "
        ));
        sql.param(Value::Text(account.as_str()));
        sql.push(" AND ");
        sql.in_list("id", ids.iter().map(String::as_str));
        (&self.db)
            .query_all(&sql.sql, &sql.params, map_contract)
            .await
    }

    /// One page of `account`'s contracts and the number of matches.
    pub async fn list_planned_computes(
        &self,
        account: &AccountId,
        filter: &PlannedComputeFilter,
        sort: &[SortKey<PlannedComputeSortField>],
        page: PageRequest,
    ) -> Result<(Vec<PlannedCompute>, u64), StoreError> {
        let dates = [
            filter.from.map(|d| d.to_string()).unwrap_or_default(),
            filter.until.map(|d| d.to_string()).unwrap_or_default(),
        ];
        let mut count = SqlBuilder::default();
        count.push("SELECT COUNT(*) FROM planned_computes WHERE ");
        filter.conditions(account, &dates, &mut count);
        let mut db = &self.db;
        let total = db
            .query_one(&count.sql, &count.params, |row| row.int(0))
            .await?;
        let mut sql = SqlBuilder::default();
        sql.push(&format!("SELECT {COLUMNS} FROM planned_computes WHERE "));
        filter.conditions(account, &dates, &mut sql);
        let engine = self.db.engine();
        let mut order = crate::ordering::terms(sort, |field| sort_column(field, engine));
        // Ties in ordering order, in the direction of the first key (newest first stays
        // newest first among contracts ordered in the same microsecond).
        let tie = match sort.first().map(|key| key.direction) {
            Some(SortDirection::Desc) => "seq DESC",
            _ => "seq ASC",
        };
        order.push(tie.into());
        sql.push(&format!(" ORDER BY {}", order.join(", ")));
        crate::ordering::push_page(&mut sql, page);
        let items = db.query_all(&sql.sql, &sql.params, map_contract).await?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// Saves a changed contract and records the change (`action`, `detail` JSON) in its
    /// history, and adds `charge` (a cancellation fee) to its bill line, in one transaction.
    pub async fn update_planned_compute(
        &self,
        contract: &PlannedCompute,
        action: &str,
        detail: &str,
        charge: Option<(&Catalog, &BillCharge)>,
    ) -> Result<(), StoreError> {
        let mut tx = match charge {
            // Bill lines change only under the ingestion lock.
            Some(_) => self.begin_billing().await?,
            None => self.db.begin().await?,
        };
        save(&mut tx, contract).await?;
        record_change(&mut tx, contract, action, detail).await?;
        if let Some((catalog, charge)) = charge {
            add_charge(&mut tx, catalog, charge, micros(contract.modified_at)).await?;
        }
        tx.commit().await
    }

    /// Active contracts of every account (the lifecycle job).
    pub async fn active_planned_computes(&self) -> Result<Vec<PlannedCompute>, StoreError> {
        (&self.db)
            .query_all(
                &format!("SELECT {COLUMNS} FROM planned_computes WHERE state = $1 ORDER BY seq"),
                &[Value::Text(ContractState::Active.as_str())],
                map_contract,
            )
            .await
    }

    /// The recorded changes of a contract: `(action, detail JSON, at, by)`, oldest first.
    pub async fn planned_compute_history(
        &self,
        id: &str,
    ) -> Result<Vec<(String, String, chrono::DateTime<chrono::Utc>, String)>, StoreError> {
        (&self.db)
            .query_all(
                "SELECT action, detail, changed_at, changed_by FROM planned_compute_changes \
                 WHERE planned_compute_id = $1 ORDER BY seq",
                &[Value::Text(id)],
                |row| {
                    Ok((
                        row.text(0)?,
                        row.text(1)?,
                        instant(row.int(2)?)?,
                        row.text(3)?,
                    ))
                },
            )
            .await
    }
}

/// Every contract, in order.
pub(crate) async fn all_contracts<E: Executor>(
    db: &mut E,
) -> Result<Vec<PlannedCompute>, StoreError> {
    db.query_all(
        &format!("SELECT {COLUMNS} FROM planned_computes ORDER BY seq"),
        &[],
        map_contract,
    )
    .await
}

async fn save<E: Executor>(db: &mut E, contract: &PlannedCompute) -> Result<(), StoreError> {
    let (tags, dates) = values(contract);
    save_values(db, contract, &tags, &dates).await
}

async fn save_values<'a, E: Executor>(
    db: &mut E,
    contract: &'a PlannedCompute,
    tags: &'a str,
    dates: &'a [String; 6],
) -> Result<(), StoreError> {
    let next = contract.next.is_some();
    let opt = |text: &'a str| if next { Value::Text(text) } else { Value::Null };
    db.execute(
        "UPDATE planned_computes SET server_type = $2, contract_type = $3, start_date = $4, \
         end_date = $5, next_contract_type = $6, next_start_date = $7, next_end_date = $8, \
         state = $9, tags = $10, modified_at = $11, modified_by = $12, cancelled_at = $13 \
         WHERE id = $1",
        &[
            Value::Text(contract.id.as_str()),
            Value::Text(&contract.server_type),
            Value::Text(&contract.term.contract_type),
            Value::Text(&dates[0]),
            Value::Text(&dates[1]),
            opt(&dates[3]),
            opt(&dates[4]),
            opt(&dates[5]),
            Value::Text(contract.state.as_str()),
            Value::Text(tags),
            Value::Int(micros(contract.modified_at)),
            Value::Text(&contract.modified_by),
            Value::opt_int(contract.cancelled_at.map(micros)),
        ],
    )
    .await?;
    Ok(())
}

async fn record_change<E: Executor>(
    db: &mut E,
    contract: &PlannedCompute,
    action: &str,
    detail: &str,
) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO planned_compute_changes (planned_compute_id, action, detail, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            Value::Text(contract.id.as_str()),
            Value::Text(action),
            Value::Text(detail),
            Value::Int(micros(contract.modified_at)),
            Value::Text(&contract.modified_by),
        ],
    )
    .await?;
    Ok(())
}
