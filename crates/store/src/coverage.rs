//! What planned compute covered: the facts behind List Planned Compute Covered Resource.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;

use crate::codec::micros;
use crate::db::{Executor, SqlBuilder, Value};
use crate::{Store, StoreError};

/// Usage of one account's servers of a billing item and attributes over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageFacts {
    /// Covered usage by (resource name, contract number): hours and amount.
    pub covered: BTreeMap<(String, String), (i64, DualAmount)>,
    /// Usage no contract covered.
    pub uncovered: DualAmount,
    /// Hours each contract (by number) covered in the period.
    pub covered_hours: HashMap<i64, i64>,
}

impl Store {
    /// The usage of `account`'s `billing_item_id` servers whose attributes include every
    /// pair of `attributes`, with period start in `[from, until)`, split into covered (by
    /// resource and contract) and uncovered; and the hours each contract covered then.
    pub async fn coverage_facts(
        &self,
        account: &AccountId,
        billing_item_id: &str,
        attributes: &[(&str, &str)],
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<CoverageFacts, StoreError> {
        let mut db = &self.db;
        let series = db
            .query_all(
                "SELECT id, resource_name, contract_id, attributes FROM usage_series \
                 WHERE account_id = $1 AND billing_item_id = $2",
                &[Value::Text(account.as_str()), Value::Text(billing_item_id)],
                |row| Ok((row.int(0)?, row.text(1)?, row.opt_text(2)?, row.text(3)?)),
            )
            .await?;
        let mut matching: HashMap<i64, (String, Option<String>)> = HashMap::new();
        for (id, name, contract, text) in series {
            let values: BTreeMap<String, String> = serde_json::from_str(&text)
                .map_err(|error| StoreError::Corrupt(format!("series attributes: {error}")))?;
            if attributes
                .iter()
                .all(|(key, value)| values.get(*key).map(String::as_str) == Some(*value))
            {
                matching.insert(id, (name, contract));
            }
        }
        let mut facts = CoverageFacts::default();
        if !matching.is_empty() {
            let mut sql = SqlBuilder::default();
            sql.push(
                "SELECT series_id, amount_krw, amount_usd FROM usage_records WHERE account_no = \
                 (SELECT number FROM usage_accounts WHERE account_id = ",
            );
            sql.param(Value::Text(account.as_str()));
            sql.push(") AND period_start >= ");
            sql.param(Value::Int(micros(from)));
            sql.push(" AND period_start < ");
            sql.param(Value::Int(micros(until)));
            sql.push(" AND ");
            sql.in_values("series_id", matching.keys().copied().map(Value::Int));
            let rows = db
                .query_all(&sql.sql, &sql.params, |row| Ok((row.int(0)?, row.dual(1)?)))
                .await?;
            for (series_id, amount) in rows {
                match matching.get(&series_id) {
                    Some((name, Some(contract))) => {
                        let entry = facts
                            .covered
                            .entry((name.clone(), contract.clone()))
                            .or_insert((0, DualAmount::ZERO));
                        entry.0 += 1;
                        entry.1 += amount;
                    }
                    Some((_, None)) => facts.uncovered += amount,
                    None => {}
                }
            }
        }
        facts.covered_hours = db
            .query_all(
                "SELECT contract_seq, COUNT(*) FROM coverage_hours WHERE hour >= $1 AND hour < $2 \
                 GROUP BY contract_seq",
                &[Value::Int(micros(from)), Value::Int(micros(until))],
                |row| Ok((row.int(0)?, row.int(1)?)),
            )
            .await?
            .into_iter()
            .collect();
        Ok(facts)
    }
}
