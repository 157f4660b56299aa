//! The usage ingestion pipeline, shared by `POST /v1/admin/usage-records` and
//! `scpfm import usage`.
//!
//! 1. [`check_records`] parses every record's text fields and checks it against the
//!    catalogue, catches repeated record ids with different values and unknown accounts, and
//!    reports every problem with the record's position; nothing is stored if any record is bad.
//! 2. [`store_records`] derives each record's wire id from its record id (UUID v5), asks the
//!    store for those already stored (re-sent records are no-ops), rates the new ones in
//!    order against the month's cumulative tier quantities, and stores them in one transaction.
//!
//! Every record is rated as pay-as-you-go (PG), or subscription (PS) for items priced only
//! that way. Planned compute coverage will choose PP for covered server-hours here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use scpfm_api_types::usage::UsageRecordInput;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::money::DualAmount;
use scpfm_domain::usage::{
    check_usage, kst, rate_usages, CheckedUsage, UsageInput, UsageRecord, ORDER_STATUS_IN_USE,
};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::usage::IngestPlan;
use scpfm_store::Store;

use crate::error::ApiError;

/// Most problems one response lists.
pub const MAX_REPORTED_PROBLEMS: usize = 100;

/// Namespace of usage ids: `id = UUIDv5(namespace, record_id)`, 32 hex characters.
const USAGE_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x5c9f_2026_0001_4a1b_9c3d_7e6f_0a1b_2c3d);

/// The wire id of a record id.
pub fn usage_id(record_id: &str) -> String {
    uuid::Uuid::new_v5(&USAGE_NAMESPACE, record_id.as_bytes())
        .simple()
        .to_string()
}

/// A record and where it came from (`records[3].` or `line 12: `), for error messages.
#[derive(Debug, Clone)]
pub struct SourcedRecord {
    /// Prefix naming the record in errors.
    pub prefix: String,
    /// The record.
    pub input: UsageRecordInput,
}

/// Records checked and ready to store, in their original order, without repeats.
#[derive(Debug, Clone, Default)]
pub struct CheckedBatch {
    /// Records received.
    pub received: usize,
    /// Repeats of an identical record inside the batch (no-ops).
    pub repeats: usize,
    /// The records to store.
    pub records: Vec<CheckedUsage>,
}

fn required<'a>(
    errors: &mut ValidationErrors,
    prefix: &str,
    name: &str,
    value: Option<&'a str>,
) -> Option<&'a str> {
    if value.is_none() {
        errors.push(FieldError::new(
            format!("{prefix}{name}"),
            Problem::Required,
        ));
    }
    value
}

/// A fingerprint of a record's values: equal records, equal fingerprints (64-bit hash).
pub fn fingerprint(input: &UsageRecordInput) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    hasher.finish()
}

/// Parses an instant: RFC 3339 with offset, or `YYYY-MM-DDTHH:MM:SS` / `YYYY-MM-DD HH:MM:SS` in KST.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(instant.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .and_then(|naive| naive.and_local_timezone(kst()).single())
        .map(|local| local.with_timezone(&Utc))
}

/// Parses the text fields of one record.
fn parse_input(prefix: &str, input: &UsageRecordInput) -> Result<UsageInput, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let record_id = required(&mut errors, prefix, "record_id", input.record_id.as_deref());
    let account_id = required(
        &mut errors,
        prefix,
        "account_id",
        input.account_id.as_deref(),
    );
    let resource_id = required(
        &mut errors,
        prefix,
        "resource_id",
        input.resource_id.as_deref(),
    );
    let billing_item_id = required(
        &mut errors,
        prefix,
        "billing_item_id",
        input.billing_item_id.as_deref(),
    );
    let region = required(&mut errors, prefix, "region", input.region.as_deref());
    let unit = required(&mut errors, prefix, "unit", input.unit.as_deref());
    let mut instant = |name: &str, value: Option<&str>| {
        required(&mut errors, prefix, name, value).and_then(|text| {
            let parsed = parse_instant(text);
            if parsed.is_none() {
                errors.push(FieldError::with_given(
                    format!("{prefix}{name}"),
                    Problem::InvalidFormat {
                        expected:
                            "RFC 3339 (2026-11-01T00:00:00+09:00) or YYYY-MM-DDTHH:MM:SS in KST",
                    },
                    text,
                ));
            }
            parsed
        })
    };
    let period_start = instant("period_start", input.period_start.as_deref());
    let period_end = instant("period_end", input.period_end.as_deref());
    let quantity = required(
        &mut errors,
        prefix,
        "quantity",
        input.quantity.as_ref().map(|q| q.0.as_str()),
    )
    .and_then(|text| {
        let parsed = text.trim().parse::<Decimal>().ok();
        if parsed.is_none() {
            errors.push(FieldError::with_given(
                format!("{prefix}quantity"),
                Problem::InvalidFormat {
                    expected: "a decimal number",
                },
                text,
            ));
        }
        parsed
    });
    errors.finish()?;
    match (
        record_id,
        account_id,
        resource_id,
        billing_item_id,
        region,
        unit,
        period_start,
        period_end,
        quantity,
    ) {
        (
            Some(record_id),
            Some(account_id),
            Some(resource_id),
            Some(billing_item_id),
            Some(region),
            Some(unit),
            Some(start),
            Some(end),
            Some(quantity),
        ) => Ok(UsageInput {
            record_id: record_id.to_owned(),
            account_id: account_id.to_owned(),
            resource_id: resource_id.to_owned(),
            resource_name: input.resource_name.clone().unwrap_or_default(),
            billing_item_id: billing_item_id.to_owned(),
            region: region.to_owned(),
            attributes: input.attributes.clone().unwrap_or_default(),
            period_start: start,
            period_end: end,
            quantity,
            unit: unit.to_owned(),
        }),
        _ => Err(ValidationErrors::default()),
    }
}

/// How far in the future a record may end: meters and server clocks drift a little.
pub const FUTURE_ALLOWANCE: chrono::Duration = chrono::Duration::minutes(15);

/// Checks a batch; every problem is reported, at most [`MAX_REPORTED_PROBLEMS`] listed.
/// `now` bounds the periods: usage cannot end in the future.
pub async fn check_records(
    store: &Store,
    catalog: &Catalog,
    records: Vec<SourcedRecord>,
    now: DateTime<Utc>,
) -> Result<CheckedBatch, ApiError> {
    let mut errors = ValidationErrors::default();
    let received = records.len();
    let mut checked = Vec::with_capacity(records.len());
    // Record id → where it was first seen and a fingerprint of its values.
    let mut seen: HashMap<String, (String, u64)> = HashMap::new();
    let mut repeats = 0;
    for record in records {
        let print = fingerprint(&record.input);
        let Some(input) = errors.check_all(parse_input(&record.prefix, &record.input)) else {
            continue;
        };
        if input.period_end > now + FUTURE_ALLOWANCE {
            errors.push(FieldError::with_given(
                format!("{}period_end", record.prefix),
                Problem::InvalidFormat {
                    expected: "an instant that has passed (usage cannot end in the future)",
                },
                input.period_end.to_rfc3339(),
            ));
            continue;
        }
        if let Some((first_prefix, first)) = seen.get(&input.record_id) {
            if *first == print {
                repeats += 1;
            } else {
                errors.push(FieldError::with_given(
                    format!("{}record_id", record.prefix),
                    Problem::InvalidFormat {
                        expected: "an id not used by another record with other values",
                    },
                    format!(
                        "{} (also {})",
                        input.record_id,
                        first_prefix.trim_end_matches(['.', ' ', ':'])
                    ),
                ));
            }
            continue;
        }
        seen.insert(input.record_id.clone(), (record.prefix.clone(), print));
        if let Some(usage) = errors.check_all(check_usage(catalog, input, &record.prefix)) {
            checked.push((record.prefix, usage));
        }
    }
    let accounts: Vec<&str> = checked
        .iter()
        .map(|(_, usage)| usage.account_id.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known = store.existing_account_ids(&accounts).await?;
    for (prefix, usage) in &checked {
        if !known.contains(usage.account_id.as_str()) {
            errors.push(FieldError::with_given(
                format!("{prefix}account_id"),
                Problem::InvalidFormat {
                    expected: "the id of an existing account",
                },
                usage.account_id.as_str(),
            ));
        }
    }
    errors.truncated(MAX_REPORTED_PROBLEMS).finish()?;
    Ok(CheckedBatch {
        received,
        repeats,
        records: checked.into_iter().map(|(_, usage)| usage).collect(),
    })
}

/// What storing a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IngestSummary {
    /// Records received.
    pub received: usize,
    /// Records stored now.
    pub stored: usize,
    /// Records already stored, or repeated in the batch.
    pub duplicates: usize,
    /// Sum of the amounts stored now.
    pub amount: DualAmount,
}

/// Rates and stores a checked batch atomically.
pub async fn store_records(
    store: &Store,
    catalog: Arc<Catalog>,
    batch: CheckedBatch,
    now: DateTime<Utc>,
) -> Result<IngestSummary, ApiError> {
    let ids: Vec<String> = batch
        .records
        .iter()
        .map(|usage| usage_id(&usage.input.record_id))
        .collect();
    let months: Vec<_> = batch
        .records
        .iter()
        .filter(|usage| !catalog.prices[usage.price_index].rule.is_stateless())
        .map(|usage| (usage.account_id.clone(), usage.month))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let plan = IngestPlan {
        ids: ids.clone(),
        months,
    };
    let (received, repeats) = (batch.received, batch.repeats);
    let records = batch.records;
    let outcome = store
        .ingest_usage(plan, move |existing, totals| {
            let fresh: Vec<(String, CheckedUsage)> = ids
                .into_iter()
                .zip(records)
                .filter(|(id, _)| !existing.contains(id))
                .collect();
            let (fresh_ids, fresh_usages): (Vec<String>, Vec<CheckedUsage>) =
                fresh.into_iter().unzip();
            let rated = rate_usages(&catalog, fresh_usages, totals).map_err(|error| {
                ApiError::Internal(format!("rating a checked record failed: {error}"))
            })?;
            Ok::<_, ApiError>(
                fresh_ids
                    .into_iter()
                    .zip(rated)
                    .map(|(id, rated)| {
                        let item = catalog.billing_item(&rated.usage.input.billing_item_id);
                        let input = rated.usage.input;
                        UsageRecord {
                            id,
                            record_id: input.record_id,
                            account_id: rated.usage.account_id,
                            resource_id: input.resource_id,
                            resource_name: input.resource_name,
                            service_category: item
                                .map(|item| item.category.clone())
                                .unwrap_or_default(),
                            ccbs_product_code: item
                                .map(|item| item.ccbs_product_code.clone())
                                .unwrap_or_default(),
                            billing_item_id: input.billing_item_id,
                            region: input.region,
                            contract_id: None,
                            order_status: ORDER_STATUS_IN_USE.to_owned(),
                            status_code: 0,
                            attributes: input.attributes,
                            period_start: input.period_start,
                            period_end: input.period_end,
                            month: rated.usage.month,
                            quantity: input.quantity,
                            unit: rated.usage.unit,
                            offering: rated.usage.offering,
                            price_id: rated.price_id,
                            amount: rated.amount,
                            created_at: now,
                        }
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(IngestSummary {
        received,
        stored: outcome.stored,
        duplicates: outcome.duplicates + repeats,
        amount: outcome.amount,
    })
}

/// Attributes written `key=value;key=value` (CSV).
pub fn parse_attribute_list(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut attributes = BTreeMap::new();
    for pair in text
        .split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
    {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("{pair:?} is not key=value"))?;
        attributes.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Ok(attributes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_take_offsets_or_kst() {
        let with_offset = parse_instant("2026-11-01T00:00:00+09:00").unwrap();
        let kst_naive = parse_instant("2026-11-01T00:00:00").unwrap();
        let spaced = parse_instant("2026-11-01 00:00:00").unwrap();
        let utc = parse_instant("2026-10-31T15:00:00Z").unwrap();
        assert_eq!(with_offset, kst_naive);
        assert_eq!(kst_naive, spaced);
        assert_eq!(spaced, utc);
        assert!(parse_instant("2026-11-01").is_none());
    }

    #[test]
    fn usage_ids_are_stable_hex() {
        let id = usage_id("vm-1/2026-11-01T00");
        assert_eq!(id.len(), 32);
        assert_eq!(id, usage_id("vm-1/2026-11-01T00"));
        assert_ne!(id, usage_id("vm-1/2026-11-01T01"));
    }

    #[test]
    fn attribute_lists_are_key_value_pairs() {
        let parsed = parse_attribute_list("server_type=s1v1m2; os_type=OPEN_SOURCE").unwrap();
        assert_eq!(parsed["server_type"], "s1v1m2");
        assert!(parse_attribute_list("oops").is_err());
        assert!(parse_attribute_list("").unwrap().is_empty());
    }
}
