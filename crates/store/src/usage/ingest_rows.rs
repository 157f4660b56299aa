//! Writing a batch of the ingestion: which record ids are stored already (by record key),
//! the record rows (prepared inserts on SQLite, binary `COPY` on PostgreSQL), the coverage
//! pairs and contracts, and the month's cumulative tier totals.

use rust_decimal::Decimal;
use scpfm_domain::coverage::{CoverageBook, CoverageContract};
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::YearMonth;
use scpfm_domain::usage::{TierKey, UsageRecord};
use tokio_postgres::types::{ToSql, Type};

use super::series::SeriesRef;
use super::{RecordIds, TierTotals};
use crate::codec::micros;
use crate::db::{sqlite, Executor, SqlBuilder, Tx, Value};
use crate::StoreError;

macro_rules! columns {
    () => {
        "record_key, record_id, account_no, series_id, period_start, period_end, quantity, amount_krw, \
         amount_usd, created_at"
    };
}

/// Record ids looked up per query when de-duplicating on SQLite.
const LOOKUP_CHUNK: usize = 500;

const COLUMN_COUNT: usize = 10;

const INSERT: &str = concat!(
    "INSERT INTO usage_records (",
    columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
);

const COPY: &str = concat!(
    "COPY usage_records (",
    columns!(),
    ") FROM STDIN (FORMAT binary)"
);

const UPSERT_TOTAL: &str = "INSERT INTO usage_tier_totals (account_id, usage_month, price_id, quantity) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, usage_month, price_id) DO UPDATE SET quantity = excluded.quantity";

/// Keys of the record-key hash. Stored: never change them.
const RECORD_KEY_KEYS: (u64, u64) = (0x5c9f_2026_0004_0001, 0x7265_636f_7264_5f69);

/// The de-duplication index's leading integer for a record id: SipHash-1-3 (a fixed
/// specification, so stored keys stay valid across versions) with fixed keys.
pub(crate) fn record_key(record_id: &str) -> i64 {
    use std::hash::Hasher as _;
    let mut hasher =
        siphasher::sip::SipHasher13::new_with_keys(RECORD_KEY_KEYS.0, RECORD_KEY_KEYS.1);
    hasher.write(record_id.as_bytes());
    // The bits, reinterpreted: both engines store signed 64-bit integers.
    hasher.finish() as i64
}

/// The record ids stored with a key among `keys` (and possibly other stored ids sharing a
/// key), as `db` sees them.
pub(super) async fn stored_record_ids(db: &mut Tx, keys: &[i64]) -> Result<RecordIds, StoreError> {
    match db {
        Tx::Postgres(pg) => Ok(pg
            .client()?
            .query(
                "SELECT record_id FROM usage_records WHERE record_key = ANY($1)",
                &[&keys],
            )
            .await
            .map_err(crate::db::postgres_error)?
            .iter()
            .map(|row| row.get::<_, String>(0))
            .collect()),
        Tx::Sqlite(_) => {
            // In key order, consecutive lookups read neighbouring pages of the index.
            let mut keys = keys.to_vec();
            keys.sort_unstable();
            keys.dedup();
            let mut existing = RecordIds::default();
            for chunk in keys.chunks(LOOKUP_CHUNK) {
                let mut sql = SqlBuilder::default();
                sql.push("SELECT record_id FROM usage_records WHERE ");
                sql.in_values("record_key", chunk.iter().copied().map(Value::Int));
                existing.extend(
                    db.query_all(&sql.sql, &sql.params, |row| row.text(0))
                        .await?,
                );
            }
            Ok(existing)
        }
    }
}

/// A record's values, in `columns!()` order (`key` is its record key).
pub(super) fn values(
    key: i64,
    record: &UsageRecord,
    series: SeriesRef,
    created_at: i64,
) -> [Value<'_>; COLUMN_COUNT] {
    [
        Value::Int(key),
        Value::Text(&record.record_id),
        Value::Int(series.account_no),
        Value::Int(series.series_id),
        Value::Int(micros(record.period_start)),
        Value::Int(micros(record.period_end)),
        Value::Decimal(record.quantity),
        Value::Decimal(record.amount.krw),
        Value::Decimal(record.amount.usd),
        Value::Int(created_at),
    ]
}

/// A batch's rated records ready to store: with their series, in the order to store them.
pub(super) struct Batch {
    pub(super) rows: Vec<UsageRecord>,
    pub(super) series: Vec<SeriesRef>,
    /// `(record key, position in rows)` in key order ([`key_order`]).
    pub(super) order: Vec<(i64, usize)>,
}

impl Batch {
    /// Each record's values, in storing order.
    fn values(&self, created_at: i64) -> impl Iterator<Item = [Value<'_>; COLUMN_COUNT]> {
        self.order
            .iter()
            .map(move |&(key, idx)| values(key, &self.rows[idx], self.series[idx], created_at))
    }
}

/// Appends the batch's records and hands the transaction back.
pub(super) async fn append(tx: Tx, batch: Batch, created_at: i64) -> Result<Tx, StoreError> {
    if batch.rows.is_empty() {
        return Ok(tx);
    }
    match tx {
        Tx::Sqlite(tx) => {
            let (tx, ()) = tx
                .blocking(move |connection| {
                    let mut insert = sqlite::prepare(connection, INSERT)?;
                    for values in batch.values(created_at) {
                        insert.execute(&values)?;
                    }
                    Ok::<_, StoreError>(())
                })
                .await?;
            Ok(Tx::Sqlite(tx))
        }
        Tx::Postgres(pg) => {
            copy_rows(pg.client()?, &batch, created_at).await?;
            Ok(Tx::Postgres(pg))
        }
    }
}

/// The record keys of `rows` with their positions, in key order.
///
/// Record keys are hashes: taken in file order, each record lands on a random leaf of the
/// de-duplication index. In key order, a batch's records walk that index from one end to the
/// other and find the pages they need already at hand. (Records stored together share their
/// `created_at`; the order among them is not part of any contract.)
pub(super) fn key_order(rows: &[UsageRecord]) -> Vec<(i64, usize)> {
    let mut keyed: Vec<(i64, usize)> = rows
        .iter()
        .enumerate()
        .map(|(idx, row)| (record_key(&row.record_id), idx))
        .collect();
    keyed.sort_unstable();
    keyed
}

/// Streams rows into PostgreSQL with binary COPY.
pub(super) async fn copy_rows(
    client: &deadpool_postgres::Object,
    batch: &Batch,
    created_at: i64,
) -> Result<(), StoreError> {
    use tokio_postgres::binary_copy::BinaryCopyInWriter;
    const TYPES: [Type; COLUMN_COUNT] = [
        Type::INT8,    // record_key
        Type::TEXT,    // record_id
        Type::INT8,    // account_no
        Type::INT8,    // series_id
        Type::INT8,    // period_start
        Type::INT8,    // period_end
        Type::NUMERIC, // quantity
        Type::NUMERIC, // amount_krw
        Type::NUMERIC, // amount_usd
        Type::INT8,    // created_at
    ];
    let sink = client
        .copy_in(COPY)
        .await
        .map_err(crate::db::postgres_error)?;
    let writer = BinaryCopyInWriter::new(sink, &TYPES);
    let mut writer = std::pin::pin!(writer);
    for values in batch.values(created_at) {
        let refs: [&(dyn ToSql + Sync); COLUMN_COUNT] =
            std::array::from_fn(|idx| &values[idx] as &(dyn ToSql + Sync));
        writer
            .as_mut()
            .write(&refs)
            .await
            .map_err(crate::db::postgres_error)?;
    }
    writer.finish().await.map_err(crate::db::postgres_error)?;
    Ok(())
}

/// Every contract, as coverage sees it (contracts are few: thousands).
pub(super) async fn coverage_book<E: Executor>(db: &mut E) -> Result<CoverageBook, StoreError> {
    let contracts = crate::planned_computes::all_contracts(db).await?;
    Ok(CoverageBook::new(contracts.into_iter().filter_map(
        |contract| {
            let seq = scpfm_domain::planned_compute::contract_seq(&contract.contract_id)?;
            let key = (
                contract.account_id.clone(),
                contract.service_id.clone(),
                contract.server_type.clone(),
                contract.os_type.clone(),
            );
            Some((key, CoverageContract::of(&contract, seq)))
        },
    )))
}

/// `(contract seq, hour)` pairs taken with an hour in `[first, last]` (microseconds).
pub(super) async fn taken_hours<E: Executor>(
    db: &mut E,
    first: i64,
    last: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    db.query_all(
        "SELECT contract_seq, hour FROM coverage_hours WHERE hour >= $1 AND hour <= $2",
        &[Value::Int(first), Value::Int(last)],
        |row| Ok((row.int(0)?, row.int(1)?)),
    )
    .await
}

/// Pairs stored per multi-row INSERT.
const COVERAGE_CHUNK: usize = 1000;

pub(super) async fn save_coverage(tx: &mut Tx, pairs: Vec<(i64, i64)>) -> Result<(), StoreError> {
    for chunk in pairs.chunks(COVERAGE_CHUNK) {
        let mut sql = SqlBuilder::default();
        sql.push("INSERT INTO coverage_hours (contract_seq, hour) VALUES ");
        for (idx, (seq, hour)) in chunk.iter().enumerate() {
            sql.push(if idx == 0 { "(" } else { ", (" });
            sql.param(Value::Int(*seq));
            sql.push(", ");
            sql.param(Value::Int(*hour));
            sql.push(")");
        }
        tx.execute(&sql.sql, &sql.params).await?;
    }
    Ok(())
}

pub(super) fn changed<'a>(
    before: &'a TierTotals,
    after: &'a TierTotals,
) -> impl Iterator<Item = (&'a TierKey, Decimal)> {
    after
        .iter()
        .filter(move |(key, quantity)| before.get(*key) != Some(*quantity))
        .map(|(key, quantity)| (key, *quantity))
}

pub(super) async fn load_totals(
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

pub(super) async fn save_totals(
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
