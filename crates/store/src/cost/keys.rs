//! Tag sets and cost keys: each distinct value stored once and named by an integer, found
//! or created inside the writing transaction (writes are serialized, so a lookup then an
//! insert cannot race another writer).

use scpfm_domain::tags::TagSet;

use crate::db::{Executor, Tx, Value};
use crate::StoreError;

/// The id of "no tags": never stored, so a cost key without tags joins no tag entry.
pub(crate) const NO_TAGS: i64 = 0;

/// What a cost key is made of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CostKeyFacts<'a> {
    pub account_no: i64,
    pub resource_id: &'a str,
    pub resource_name: &'a str,
    pub billing_item_id: &'a str,
    pub service_category: &'a str,
    pub region: &'a str,
    pub offering: &'a str,
    /// `""` without a contract.
    pub contract_id: &'a str,
    pub tag_set: i64,
    /// The billing item's usage unit (`""` for a charge that is not usage).
    pub unit: &'a str,
}

impl CostKeyFacts<'_> {
    /// The key of its cost group: everything but the resource.
    fn group_text(&self) -> String {
        serde_json::to_string(&(
            self.account_no,
            (self.billing_item_id, self.service_category, self.region),
            (self.offering, self.contract_id, self.tag_set, self.unit),
        ))
        .unwrap_or_default()
    }

    fn key_text(&self) -> String {
        serde_json::to_string(&(
            self.account_no,
            (self.resource_id, self.resource_name, self.billing_item_id),
            (self.service_category, self.region, self.offering),
            (self.contract_id, self.tag_set, self.unit),
        ))
        .unwrap_or_default()
    }
}

/// The id of `tags` (stored on first use); [`NO_TAGS`] for none.
pub(crate) async fn tag_set_id(tx: &mut Tx, tags: &TagSet) -> Result<i64, StoreError> {
    if tags.is_empty() {
        return Ok(NO_TAGS);
    }
    let canonical = tags.canonical();
    if let Some(id) = tx
        .query_opt(
            "SELECT id FROM tag_sets WHERE canonical = $1",
            &[Value::Text(&canonical)],
            |row| row.int(0),
        )
        .await?
    {
        return Ok(id);
    }
    let id = tx
        .query_one(
            "INSERT INTO tag_sets (canonical) VALUES ($1) RETURNING id",
            &[Value::Text(&canonical)],
            |row| row.int(0),
        )
        .await?;
    for (key, value) in tags.iter() {
        tx.execute(
            "INSERT INTO tag_entries (tag_set, tag_key, tag_value) VALUES ($1, $2, $3)",
            &[Value::Int(id), Value::Text(key), Value::Text(value)],
        )
        .await?;
    }
    Ok(id)
}

/// The id of the cost key `facts` (stored on first use).
pub(crate) async fn cost_key_id(tx: &mut Tx, facts: &CostKeyFacts<'_>) -> Result<i64, StoreError> {
    let text = facts.key_text();
    if let Some(id) = find(tx, "cost_keys", &text).await? {
        return Ok(id);
    }
    let group = cost_group_id(tx, facts).await?;
    tx.query_one(
        "INSERT INTO cost_keys (key_text, account_no, resource_id, resource_name, \
         billing_item_id, service_category, region, offering, contract_id, tag_set, unit, \
         group_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        &[
            Value::Text(&text),
            Value::Int(facts.account_no),
            Value::Text(facts.resource_id),
            Value::Text(facts.resource_name),
            Value::Text(facts.billing_item_id),
            Value::Text(facts.service_category),
            Value::Text(facts.region),
            Value::Text(facts.offering),
            Value::Text(facts.contract_id),
            Value::Int(facts.tag_set),
            Value::Text(facts.unit),
            Value::Int(group),
        ],
        |row| row.int(0),
    )
    .await
}

/// The id of the cost group of `facts` (stored on first use).
async fn cost_group_id(tx: &mut Tx, facts: &CostKeyFacts<'_>) -> Result<i64, StoreError> {
    let text = facts.group_text();
    if let Some(id) = find(tx, "cost_groups", &text).await? {
        return Ok(id);
    }
    tx.query_one(
        "INSERT INTO cost_groups (key_text, account_no, billing_item_id, service_category, \
         region, offering, contract_id, tag_set, unit) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            Value::Text(&text),
            Value::Int(facts.account_no),
            Value::Text(facts.billing_item_id),
            Value::Text(facts.service_category),
            Value::Text(facts.region),
            Value::Text(facts.offering),
            Value::Text(facts.contract_id),
            Value::Int(facts.tag_set),
            Value::Text(facts.unit),
        ],
        |row| row.int(0),
    )
    .await
}

/// The id of the row of `table` (cost keys or groups) whose `key_text` is `text`.
async fn find(tx: &mut Tx, table: &str, text: &str) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        &format!("SELECT id FROM {table} WHERE key_text = $1"),
        &[Value::Text(text)],
        |row| row.int(0),
    )
    .await
}

/// The cost group of each of `keys`.
pub(crate) async fn groups_of(
    tx: &mut Tx,
    keys: &[i64],
) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
    let mut groups = std::collections::HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        let mut sql = crate::db::SqlBuilder::default();
        sql.push("SELECT id, group_key FROM cost_keys WHERE id IN (");
        for (idx, key) in chunk.iter().enumerate() {
            if idx > 0 {
                sql.push(", ");
            }
            sql.param(Value::Int(*key));
        }
        sql.push(")");
        let rows = tx
            .query_all(&sql.sql, &sql.params, |row| Ok((row.int(0)?, row.int(1)?)))
            .await?;
        groups.extend(rows);
    }
    Ok(groups)
}

/// The number an account's usage and cost rows name it by (given on first use).
pub(crate) async fn account_number<E: Executor>(
    tx: &mut E,
    account_id: &str,
) -> Result<i64, StoreError> {
    if let Some(number) = tx
        .query_opt(
            "SELECT number FROM usage_accounts WHERE account_id = $1",
            &[Value::Text(account_id)],
            |row| row.int(0),
        )
        .await?
    {
        return Ok(number);
    }
    tx.query_one(
        "INSERT INTO usage_accounts (account_id) VALUES ($1) RETURNING number",
        &[Value::Text(account_id)],
        |row| row.int(0),
    )
    .await
}
