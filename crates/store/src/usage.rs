//! Usage records: atomic, de-duplicated ingestion and filtered keyset listing.
//!
//! Ingestion runs in one transaction holding the ingestion lock (SQLite's single writer; a
//! transaction-scoped advisory lock on PostgreSQL), so the month's cumulative tier quantities
//! advance in one order and two batches never rate against the same totals:
//! 1. find which record ids are already stored (re-sent records are no-ops);
//! 2. load the cumulative quantities of the batch's accounts and months;
//! 3. let the caller rate the new records (a pure function of the catalogue);
//! 4. insert them (prepared inserts on SQLite, binary `COPY` on PostgreSQL) and save the totals.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;
use scpfm_domain::ids::AccountId;
use scpfm_domain::listing::SortDirection;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::YearMonth;
use scpfm_domain::usage::{TierKey, UsageRecord, UsageSortField};
use tokio_postgres::types::{ToSql, Type};

use crate::codec::{instant, micros, valid};
use crate::db::{Db, Executor, Row, SqlBuilder, Tx, Value};
use crate::{Store, StoreError};

macro_rules! columns {
    () => {
        "id, record_id, account_id, resource_id, resource_name, billing_item_id, service_category, \
         ccbs_product_code, region, contract_id, order_status, status_code, attributes, period_start, \
         period_end, usage_month, quantity, unit, offering, price_id, amount_krw, amount_usd, created_at"
    };
}
const COLUMNS: &str = columns!();
const COLUMN_COUNT: usize = 23;
const INSERT: &str = concat!(
    "INSERT INTO usage_records (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
);
const COPY: &str = concat!(
    "COPY usage_records (",
    columns!(),
    ") FROM STDIN (FORMAT binary)"
);
/// Key of the advisory lock serializing ingestion on PostgreSQL.
const INGEST_LOCK: i64 = 0x5c9f_0002;
/// Ids looked up per query when de-duplicating on SQLite.
const LOOKUP_CHUNK: usize = 500;

/// What the store must know before the caller rates a batch.
#[derive(Debug, Clone, Default)]
pub struct IngestPlan {
    /// Ids of every record of the batch (already unique).
    pub ids: Vec<String>,
    /// Accounts and months whose cumulative tier quantities the rating needs.
    pub months: Vec<(AccountId, YearMonth)>,
}

/// Cumulative tier quantities, by account, month and price.
pub type TierTotals = HashMap<TierKey, Decimal>;

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IngestOutcome {
    /// Records stored now.
    pub stored: usize,
    /// Records already stored before (re-sent ids).
    pub duplicates: usize,
    /// Sum of the amounts stored now.
    pub amount: DualAmount,
}

fn attributes_json(attributes: &BTreeMap<String, String>) -> String {
    serde_json::to_string(attributes).unwrap_or_else(|_| "{}".to_owned())
}

fn map_usage(row: &dyn Row) -> Result<UsageRecord, StoreError> {
    Ok(UsageRecord {
        id: row.text(0)?,
        record_id: row.text(1)?,
        account_id: valid("account id", row.text(2)?.parse())?,
        resource_id: row.text(3)?,
        resource_name: row.text(4)?,
        billing_item_id: row.text(5)?,
        service_category: row.text(6)?,
        ccbs_product_code: row.text(7)?,
        region: row.text(8)?,
        contract_id: row.opt_text(9)?,
        order_status: row.text(10)?,
        status_code: row.int(11)?,
        attributes: valid("attributes", serde_json::from_str(&row.text(12)?))?,
        period_start: instant(row.int(13)?)?,
        period_end: instant(row.int(14)?)?,
        month: valid("usage month", row.text(15)?.parse())?,
        quantity: row.decimal(16)?,
        unit: valid("unit", row.text(17)?.parse())?,
        offering: valid("offering", row.text(18)?.parse())?,
        price_id: row.text(19)?,
        amount: DualAmount {
            krw: row.decimal(20)?,
            usd: row.decimal(21)?,
        },
        created_at: instant(row.int(22)?)?,
    })
}

/// A usage record's column values, in `COLUMNS` order.
struct Columns {
    account_id: String,
    status_code: i64,
    attributes: String,
    period_start: i64,
    period_end: i64,
    month: String,
    created_at: i64,
}

impl Columns {
    fn of(record: &UsageRecord) -> Self {
        Self {
            account_id: record.account_id.to_string(),
            status_code: record.status_code,
            attributes: attributes_json(&record.attributes),
            period_start: micros(record.period_start),
            period_end: micros(record.period_end),
            month: record.month.to_string(),
            created_at: micros(record.created_at),
        }
    }
}

fn values<'a>(record: &'a UsageRecord, columns: &'a Columns) -> [Value<'a>; COLUMN_COUNT] {
    [
        Value::Text(&record.id),
        Value::Text(&record.record_id),
        Value::Text(&columns.account_id),
        Value::Text(&record.resource_id),
        Value::Text(&record.resource_name),
        Value::Text(&record.billing_item_id),
        Value::Text(&record.service_category),
        Value::Text(&record.ccbs_product_code),
        Value::Text(&record.region),
        Value::opt_text(record.contract_id.as_deref()),
        Value::Text(&record.order_status),
        Value::Int(columns.status_code),
        Value::Text(&columns.attributes),
        Value::Int(columns.period_start),
        Value::Int(columns.period_end),
        Value::Text(&columns.month),
        Value::Decimal(record.quantity),
        Value::Text(record.unit.as_str()),
        Value::Text(record.offering.as_str()),
        Value::Text(&record.price_id),
        Value::Decimal(record.amount.krw),
        Value::Decimal(record.amount.usd),
        Value::Int(columns.created_at),
    ]
}

fn outcome(rows: &[UsageRecord], duplicates: usize) -> IngestOutcome {
    IngestOutcome {
        stored: rows.len(),
        duplicates,
        amount: rows.iter().map(|row| row.amount).sum(),
    }
}

impl Store {
    /// Stores a batch atomically: `rate` receives the ids already stored and the cumulative
    /// tier quantities of `plan.months`, and returns the rated records to store (it may
    /// advance the totals). Nothing is stored if `rate` fails.
    pub async fn ingest_usage<E, F>(&self, plan: IngestPlan, rate: F) -> Result<IngestOutcome, E>
    where
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&HashSet<String>, &mut TierTotals) -> Result<Vec<UsageRecord>, E>
            + Send
            + 'static,
    {
        match &self.db {
            Db::Sqlite(engine) => {
                engine
                    .write_blocking(move |connection| ingest_sqlite(connection, &plan, rate))
                    .await
            }
            Db::Postgres(_) => self.ingest_postgres(plan, rate).await,
        }
    }

    async fn ingest_postgres<E, F>(&self, plan: IngestPlan, rate: F) -> Result<IngestOutcome, E>
    where
        E: From<StoreError>,
        F: FnOnce(&HashSet<String>, &mut TierTotals) -> Result<Vec<UsageRecord>, E>,
    {
        let mut tx = self.db.begin().await?;
        let Tx::Postgres(pg) = &tx else {
            return Err(StoreError::Query("a PostgreSQL transaction was expected".into()).into());
        };
        let client = pg.client()?;
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&INGEST_LOCK])
            .await
            .map_err(crate::db::postgres_error)?;
        let lookup = client
            .query(
                "SELECT id FROM usage_records WHERE id = ANY($1)",
                &[&plan.ids],
            )
            .await
            .map_err(crate::db::postgres_error)?;
        let existing: HashSet<String> = lookup.iter().map(|row| row.get::<_, String>(0)).collect();
        let mut totals = load_totals(&mut tx, &plan.months).await?;
        let before = totals.clone();
        let rows = rate(&existing, &mut totals)?;
        if !rows.is_empty() {
            let Tx::Postgres(pg) = &tx else {
                return Err(
                    StoreError::Query("a PostgreSQL transaction was expected".into()).into(),
                );
            };
            copy_rows(pg.client()?, &rows).await?;
        }
        save_totals(&mut tx, &before, &totals).await?;
        tx.commit().await?;
        Ok(outcome(&rows, existing.len()))
    }

    /// One page of the usage records matching `query`, in `order`; `marker` is the id of the
    /// last record already seen. `Ok(None)` when the marker is not a record of this listing.
    pub async fn list_usages(
        &self,
        query: &UsageQuery,
        order: UsageSortField,
        direction: SortDirection,
        marker: Option<&str>,
        limit: u32,
    ) -> Result<Option<UsagePage>, StoreError> {
        let mut db = &self.db;
        let (column, marker_values) = match order {
            UsageSortField::UsageDate => ("period_start", "period_start"),
            UsageSortField::CreatedAt => ("created_at", "created_at"),
        };
        let mut sql = SqlBuilder::default();
        sql.push(&format!("SELECT {COLUMNS} FROM usage_records WHERE "));
        query.conditions(&mut sql);
        if let Some(marker) = marker {
            let mut lookup = SqlBuilder::default();
            lookup.push(&format!(
                "SELECT {marker_values} FROM usage_records WHERE id = "
            ));
            lookup.param(Value::Text(marker));
            lookup.push(" AND ");
            query.conditions(&mut lookup);
            let Some(position) = db
                .query_opt(&lookup.sql, &lookup.params, |row| row.int(0))
                .await?
            else {
                return Ok(None);
            };
            let comparison = match direction {
                SortDirection::Asc => ">",
                SortDirection::Desc => "<",
            };
            sql.push(&format!(" AND ({column} {comparison} "));
            sql.param(Value::Int(position));
            sql.push(&format!(" OR ({column} = "));
            sql.param(Value::Int(position));
            sql.push(&format!(" AND id {comparison} "));
            sql.param(Value::Text(marker));
            sql.push("))");
        }
        let keyword = match direction {
            SortDirection::Asc => "ASC",
            SortDirection::Desc => "DESC",
        };
        sql.push(&format!(
            " ORDER BY {column} {keyword}, id {keyword} LIMIT "
        ));
        sql.param(Value::Int(i64::from(limit) + 1));
        let mut items = db.query_all(&sql.sql, &sql.params, map_usage).await?;
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        Ok(Some(UsagePage { items, more }))
    }

    /// How many usage records match `query`.
    pub async fn count_usages(&self, query: &UsageQuery) -> Result<u64, StoreError> {
        let mut sql = SqlBuilder::default();
        sql.push("SELECT COUNT(*) FROM usage_records WHERE ");
        query.conditions(&mut sql);
        let mut db = &self.db;
        let count = db
            .query_one(&sql.sql, &sql.params, |row| row.int(0))
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}

fn ingest_sqlite<E, F>(
    connection: &rusqlite::Connection,
    plan: &IngestPlan,
    rate: F,
) -> Result<IngestOutcome, E>
where
    E: From<StoreError>,
    F: FnOnce(&HashSet<String>, &mut TierTotals) -> Result<Vec<UsageRecord>, E>,
{
    use crate::db::sqlite;
    let mut existing = HashSet::new();
    for chunk in plan.ids.chunks(LOOKUP_CHUNK) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|idx| format!("${idx}")).collect();
        let sql = format!(
            "SELECT id FROM usage_records WHERE id IN ({})",
            placeholders.join(", ")
        );
        let params: Vec<Value<'_>> = chunk.iter().map(|id| Value::Text(id)).collect();
        existing.extend(sqlite::query_all(connection, &sql, &params, |row| {
            row.text(0)
        })?);
    }
    let mut totals = TierTotals::new();
    for (account, month) in &plan.months {
        let month_text = month.to_string();
        let rows = sqlite::query_all(
            connection,
            "SELECT price_id, quantity FROM usage_tier_totals WHERE account_id = $1 AND usage_month = $2",
            &[Value::Text(account.as_str()), Value::Text(&month_text)],
            |row| Ok((row.text(0)?, row.decimal(1)?)),
        )?;
        for (price_id, quantity) in rows {
            totals.insert((account.clone(), *month, price_id), quantity);
        }
    }
    let before = totals.clone();
    let rows = rate(&existing, &mut totals)?;
    for row in &rows {
        let columns = Columns::of(row);
        sqlite::execute(connection, INSERT, &values(row, &columns))?;
    }
    for (key, quantity) in changed(&before, &totals) {
        let month = key.1.to_string();
        sqlite::execute(
            connection,
            UPSERT_TOTAL,
            &[
                Value::Text(key.0.as_str()),
                Value::Text(&month),
                Value::Text(&key.2),
                Value::Decimal(quantity),
            ],
        )?;
    }
    Ok(outcome(&rows, existing.len()))
}

const UPSERT_TOTAL: &str = "INSERT INTO usage_tier_totals (account_id, usage_month, price_id, quantity) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, usage_month, price_id) DO UPDATE SET quantity = excluded.quantity";

fn changed<'a>(
    before: &'a TierTotals,
    after: &'a TierTotals,
) -> impl Iterator<Item = (&'a TierKey, Decimal)> {
    after
        .iter()
        .filter(move |(key, quantity)| before.get(*key) != Some(*quantity))
        .map(|(key, quantity)| (key, *quantity))
}

async fn load_totals(
    tx: &mut Tx,
    months: &[(AccountId, YearMonth)],
) -> Result<TierTotals, StoreError> {
    let mut totals = TierTotals::new();
    for (account, month) in months {
        let month_text = month.to_string();
        let rows = tx
            .query_all(
                "SELECT price_id, quantity FROM usage_tier_totals WHERE account_id = $1 AND usage_month = $2",
                &[Value::Text(account.as_str()), Value::Text(&month_text)],
                |row| Ok((row.text(0)?, row.decimal(1)?)),
            )
            .await?;
        for (price_id, quantity) in rows {
            totals.insert((account.clone(), *month, price_id), quantity);
        }
    }
    Ok(totals)
}

async fn save_totals(
    tx: &mut Tx,
    before: &TierTotals,
    after: &TierTotals,
) -> Result<(), StoreError> {
    for (key, quantity) in changed(before, after) {
        let month = key.1.to_string();
        tx.execute(
            UPSERT_TOTAL,
            &[
                Value::Text(key.0.as_str()),
                Value::Text(&month),
                Value::Text(&key.2),
                Value::Decimal(quantity),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Streams rows into PostgreSQL with binary COPY.
async fn copy_rows(
    client: &deadpool_postgres::Object,
    rows: &[UsageRecord],
) -> Result<(), StoreError> {
    use tokio_postgres::binary_copy::BinaryCopyInWriter;
    const TYPES: [Type; COLUMN_COUNT] = [
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::INT8,
        Type::TEXT,
        Type::INT8,
        Type::INT8,
        Type::TEXT,
        Type::NUMERIC,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::NUMERIC,
        Type::NUMERIC,
        Type::INT8,
    ];
    let sink = client
        .copy_in(COPY)
        .await
        .map_err(crate::db::postgres_error)?;
    let writer = BinaryCopyInWriter::new(sink, &TYPES);
    let mut writer = std::pin::pin!(writer);
    for row in rows {
        let columns = Columns::of(row);
        let values = values(row, &columns);
        let refs: Vec<&(dyn ToSql + Sync)> = values
            .iter()
            .map(|value| value as &(dyn ToSql + Sync))
            .collect();
        writer
            .as_mut()
            .write(&refs)
            .await
            .map_err(crate::db::postgres_error)?;
    }
    writer.finish().await.map_err(crate::db::postgres_error)?;
    Ok(())
}

/// Which usage records a listing covers.
#[derive(Debug, Clone, Default)]
pub struct UsageQuery {
    /// Accounts (at least one).
    pub accounts: Vec<AccountId>,
    /// Period start at or after this instant.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Period start before this instant.
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// Any of these service categories.
    pub service_categories: Vec<String>,
    /// Any of these billing items.
    pub billing_items: Vec<String>,
    /// This resource name exactly.
    pub resource_name: Option<String>,
    /// Any of these regions.
    pub regions: Vec<String>,
    /// This contract.
    pub contract_id: Option<String>,
    /// Any of these order statuses.
    pub order_statuses: Vec<String>,
}

/// One page of a usage listing.
#[derive(Debug, Clone)]
pub struct UsagePage {
    /// The records.
    pub items: Vec<UsageRecord>,
    /// True when more records follow.
    pub more: bool,
}

impl UsageQuery {
    fn conditions<'a>(&'a self, sql: &mut SqlBuilder<'a>) {
        sql.in_list("account_id", self.accounts.iter().map(AccountId::as_str));
        if let Some(from) = self.from {
            sql.push(" AND period_start >= ");
            sql.param(Value::Int(micros(from)));
        }
        if let Some(until) = self.until {
            sql.push(" AND period_start < ");
            sql.param(Value::Int(micros(until)));
        }
        for (column, list) in [
            ("service_category", &self.service_categories),
            ("billing_item_id", &self.billing_items),
            ("region", &self.regions),
            ("order_status", &self.order_statuses),
        ] {
            if !list.is_empty() {
                sql.push(" AND ");
                sql.in_list(column, list.iter().map(String::as_str));
            }
        }
        if let Some(name) = &self.resource_name {
            sql.push(" AND resource_name = ");
            sql.param(Value::Text(name));
        }
        if let Some(contract) = &self.contract_id {
            sql.push(" AND contract_id = ");
            sql.param(Value::Text(contract));
        }
    }
}
