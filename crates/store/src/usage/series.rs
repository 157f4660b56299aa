//! Usage series: the descriptive fields of usage records (account, resource, billing item,
//! region, attributes, price…), stored once per distinct value and referenced by id; and the
//! small integers records name their accounts by.
//!
//! One resource metered hourly at one price is one series: a month of its usage is 720
//! records but one series row, so records stay narrow and bulk ingestion binds and writes a
//! third of the bytes (see `docs/BENCHMARKS.md`).

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher as _;

use scpfm_domain::usage::UsageRecord;

use crate::cost::keys::{account_number, cost_key_id, tag_set_id, CostKeyFacts};
use crate::db::{Executor, Tx, Value};
use crate::StoreError;

/// A record's descriptive fields, borrowed (nested: tuples compare, hash and serialize up to
/// twelve fields).
type Fields<'a> = (
    (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
    ),
    (
        Option<&'a str>,
        &'a str,
        i64,
        &'a BTreeMap<String, String>,
        &'a str,
        &'a str,
        &'a str,
    ),
    &'a [(String, String)],
);

fn fields(record: &UsageRecord) -> Fields<'_> {
    (
        (
            record.account_id.as_str(),
            &record.resource_id,
            &record.resource_name,
            &record.billing_item_id,
            &record.service_category,
            &record.ccbs_product_code,
            &record.region,
        ),
        (
            record.contract_id.as_deref(),
            &record.order_status,
            record.status_code,
            &record.attributes,
            record.unit.as_str(),
            record.offering.as_str(),
            &record.price_id,
        ),
        record.tags.pairs(),
    )
}

/// The series of a record, as its unique key: the JSON array of its descriptive fields
/// (unambiguous whatever characters the fields hold).
fn key(record: &UsageRecord) -> String {
    serde_json::to_string(&fields(record)).unwrap_or_default()
}

/// Where a record's descriptive fields are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SeriesRef {
    /// The record's account, by its number.
    pub account_no: i64,
    /// The record's series.
    pub series_id: i64,
    /// The series' cost key (what the rollup sums by).
    pub cost_key: i64,
}

/// Series already known to one ingestion: by a hash of the fields, then compared field by
/// field with a record of the series, so finding a known series allocates nothing.
#[derive(Debug, Default)]
pub(super) struct SeriesIds {
    known: HashMap<u64, Vec<(UsageRecord, SeriesRef)>>,
    accounts: HashMap<String, i64>,
    hasher: foldhash::fast::FixedState,
}

impl SeriesIds {
    /// The account number and series of each row, in order, where this ingestion knows them
    /// already; reads nothing, so it can run while the transaction is busy.
    pub fn known(&self, rows: &[UsageRecord]) -> Vec<Option<SeriesRef>> {
        rows.iter().map(|row| self.find(row)).collect()
    }

    /// Completes `refs` (from [`SeriesIds::known`]): finds or stores the series of each row
    /// still without one.
    pub async fn resolve(
        &mut self,
        tx: &mut Tx,
        rows: &[UsageRecord],
        refs: Vec<Option<SeriesRef>>,
    ) -> Result<Vec<SeriesRef>, StoreError> {
        let mut resolved = Vec::with_capacity(rows.len());
        for (row, known) in rows.iter().zip(refs) {
            let found = match known.or_else(|| self.find(row)) {
                Some(found) => found,
                None => self.store(tx, row).await?,
            };
            resolved.push(found);
        }
        Ok(resolved)
    }

    fn find(&self, row: &UsageRecord) -> Option<SeriesRef> {
        let view = fields(row);
        self.known
            .get(&self.hasher.hash_one(view))?
            .iter()
            .find(|(known, _)| fields(known) == view)
            .map(|(_, found)| *found)
    }

    /// Finds or stores the series of `row`, and remembers it.
    async fn store(&mut self, tx: &mut Tx, row: &UsageRecord) -> Result<SeriesRef, StoreError> {
        let account_no = match self.accounts.get(row.account_id.as_str()) {
            Some(number) => *number,
            None => {
                let number = account_number(tx, row.account_id.as_str()).await?;
                self.accounts.insert(row.account_id.to_string(), number);
                number
            }
        };
        let (series_id, cost_key) = find_or_create(tx, &key(row), row, account_no).await?;
        let found = SeriesRef {
            account_no,
            series_id,
            cost_key,
        };
        self.known
            .entry(self.hasher.hash_one(fields(row)))
            .or_default()
            .push((row.clone(), found));
        Ok(found)
    }
}

/// The cost key of a record's series.
pub(crate) async fn record_cost_key(
    tx: &mut Tx,
    row: &UsageRecord,
    account_no: i64,
) -> Result<i64, StoreError> {
    let tag_set = tag_set_id(tx, &row.tags).await?;
    let facts = CostKeyFacts {
        account_no,
        resource_id: &row.resource_id,
        resource_name: &row.resource_name,
        billing_item_id: &row.billing_item_id,
        service_category: &row.service_category,
        region: &row.region,
        offering: row.offering.as_str(),
        contract_id: row.contract_id.as_deref().unwrap_or(""),
        tag_set,
        unit: row.unit.as_str(),
    };
    cost_key_id(tx, &facts).await
}

/// The series (and its cost key) of `row`, stored on first use. Ingestion is serialized, so
/// looking up then inserting cannot race another ingestion. A series stored before cost keys
/// existed gets its key now.
async fn find_or_create(
    tx: &mut Tx,
    key: &str,
    row: &UsageRecord,
    account_no: i64,
) -> Result<(i64, i64), StoreError> {
    if let Some((id, cost_key)) = tx
        .query_opt(
            "SELECT id, cost_key FROM usage_series WHERE series_key = $1",
            &[Value::Text(key)],
            |found| Ok((found.int(0)?, found.opt_int(1)?)),
        )
        .await?
    {
        if let Some(cost_key) = cost_key {
            return Ok((id, cost_key));
        }
        let cost_key = record_cost_key(tx, row, account_no).await?;
        tx.execute(
            "UPDATE usage_series SET cost_key = $1 WHERE id = $2",
            &[Value::Int(cost_key), Value::Int(id)],
        )
        .await?;
        return Ok((id, cost_key));
    }
    let tag_set = tag_set_id(tx, &row.tags).await?;
    let cost_key = record_cost_key(tx, row, account_no).await?;
    let attributes = serde_json::to_string(&row.attributes)
        .map_err(|error| StoreError::Query(format!("attributes do not encode: {error}")))?;
    let id = tx
        .query_one(
            "INSERT INTO usage_series (series_key, account_id, resource_id, resource_name, \
         billing_item_id, service_category, ccbs_product_code, region, contract_id, \
         order_status, status_code, attributes, unit, offering, price_id, tag_set, cost_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         RETURNING id",
            &[
                Value::Text(key),
                Value::Text(row.account_id.as_str()),
                Value::Text(&row.resource_id),
                Value::Text(&row.resource_name),
                Value::Text(&row.billing_item_id),
                Value::Text(&row.service_category),
                Value::Text(&row.ccbs_product_code),
                Value::Text(&row.region),
                Value::opt_text(row.contract_id.as_deref()),
                Value::Text(&row.order_status),
                Value::Int(row.status_code),
                Value::Text(&attributes),
                Value::Text(row.unit.as_str()),
                Value::Text(row.offering.as_str()),
                Value::Text(&row.price_id),
                Value::Int(tag_set),
                Value::Int(cost_key),
            ],
            |inserted| inserted.int(0),
        )
        .await?;
    Ok((id, cost_key))
}
