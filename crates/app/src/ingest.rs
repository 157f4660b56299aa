//! The usage ingestion pipeline, shared by `POST /v1/admin/usage-records` and
//! `scpfm import usage`.
//!
//! 1. [`check_batch`] parses every record's text fields and checks it against the catalogue,
//!    catches record ids repeated with different values (across every batch given the same
//!    [`SeenRecords`]), and reports every problem with the record's position; it is pure, so
//!    the importer runs it on its reading thread while the previous batch is being stored.
//! 2. [`check_accounts`] refuses records of unknown accounts ([`check_records`] does 1 and 2).
//! 3. [`store_records`] asks the store which record ids are already stored (re-sent records
//!    are no-ops), rates the new ones in order against the month's cumulative tier
//!    quantities, and appends them inside the caller's [`UsageIngest`] transaction.
//!
//! Nothing is stored if any record is bad: the caller commits only a clean ingestion.
//!
//! Every record is rated as pay-as-you-go (PG), or subscription (PS) for items priced only
//! that way. Planned compute coverage will choose PP for covered server-hours here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher as _;
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use scpfm_api_types::usage::UsageRecordInput;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::coverage::apply_coverage;
use scpfm_domain::ids::AccountId;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::kst;
use scpfm_domain::usage::{
    check_usage, rate_usages, CheckedUsage, UsageInput, UsageRecord, ORDER_STATUS_IN_USE,
};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::usage::{IngestPlan, UsageIngest};
use scpfm_store::Store;

use crate::error::AppError;

/// Most problems one response lists.
pub const MAX_REPORTED_PROBLEMS: usize = 100;

/// Where a record came from, naming it in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The element (0-based) of a JSON array: `records[3].unit`.
    Element(usize),
    /// A line (1-based) of a file or an NDJSON body: `line 12: unit`.
    Line(usize),
}

impl Source {
    /// The prefix of the record's field names in errors.
    pub fn prefix(self) -> String {
        match self {
            Self::Element(idx) => format!("records[{idx}]."),
            Self::Line(line) => format!("line {line}: "),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Element(idx) => write!(f, "records[{idx}]"),
            Self::Line(line) => write!(f, "line {line}"),
        }
    }
}

/// A record and where it came from.
#[derive(Debug, Clone)]
pub struct SourcedRecord {
    /// Where it came from.
    pub source: Source,
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
    /// The records to store, each with where it came from.
    pub records: Vec<(Source, CheckedUsage)>,
}

/// A fingerprint of a record's values: equal records, equal fingerprints (64-bit foldhash, a
/// quality hash: two different records of one id collide with probability 2^-64).
pub fn fingerprint(input: &UsageRecordInput) -> u64 {
    foldhash::quality::FixedState::with_seed(0x5c9f_2026).hash_one(input)
}

/// Record ids already checked, where each was first seen and a fingerprint of its values:
/// a record id may come again with the same values (a no-op), never with others. Ids are
/// kept as 128-bit hashes (two independent 64-bit foldhash hashes), so a million-record file
/// costs no string copies; two different ids share a hash with probability 2^-128 per pair.
#[derive(Debug, Default)]
pub struct SeenRecords(HashMap<u128, (Source, u64), foldhash::fast::RandomState>);

impl SeenRecords {
    fn key(record_id: &str) -> u128 {
        let low = foldhash::quality::FixedState::with_seed(0x5c9f_0005).hash_one(record_id);
        let high = foldhash::quality::FixedState::with_seed(0x5c9f_0006).hash_one(record_id);
        (u128::from(high) << 64) | u128::from(low)
    }

    /// Where `record_id` was first seen, and its fingerprint.
    fn get(&self, record_id: &str) -> Option<&(Source, u64)> {
        self.0.get(&Self::key(record_id))
    }

    fn insert(&mut self, record_id: &str, source: Source, print: u64) {
        self.0.insert(Self::key(record_id), (source, print));
    }
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

/// Parses the text fields of one record. Errors name the record's fields (`unit`).
fn parse_input(input: UsageRecordInput) -> Result<UsageInput, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let UsageRecordInput {
        record_id,
        account_id,
        resource_id,
        resource_name,
        billing_item_id,
        region,
        period_start,
        period_end,
        quantity,
        unit,
        attributes,
    } = input;
    let record_id = errors.required("record_id", record_id);
    let account_id = errors.required("account_id", account_id);
    let resource_id = errors.required("resource_id", resource_id);
    let billing_item_id = errors.required("billing_item_id", billing_item_id);
    let region = errors.required("region", region);
    let unit = errors.required("unit", unit);
    let mut instant = |name: &str, value: Option<String>| {
        errors.required(name, value).and_then(|text| {
            let parsed = parse_instant(&text);
            if parsed.is_none() {
                errors.push(FieldError::with_given(
                    name,
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
    let period_start = instant("period_start", period_start);
    let period_end = instant("period_end", period_end);
    let quantity = errors.required("quantity", quantity).and_then(|text| {
        let parsed = text.0.trim().parse::<Decimal>().ok();
        if parsed.is_none() {
            errors.push(FieldError::with_given(
                "quantity",
                Problem::InvalidFormat {
                    expected: "a decimal number",
                },
                text.0,
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
            Some(period_start),
            Some(period_end),
            Some(quantity),
        ) => Ok(UsageInput {
            record_id,
            account_id,
            resource_id,
            resource_name: resource_name.unwrap_or_default(),
            billing_item_id,
            region,
            attributes: attributes.unwrap_or_default(),
            period_start,
            period_end,
            quantity,
            unit,
        }),
        _ => Err(ValidationErrors::default()),
    }
}

/// How far in the future a record may end: meters and server clocks drift a little.
pub const FUTURE_ALLOWANCE: chrono::Duration = chrono::Duration::minutes(15);

/// Checks a batch against the catalogue, without the store. Returns the records to store and
/// every problem found (all of them; callers list at most [`MAX_REPORTED_PROBLEMS`]).
/// `now` bounds the periods: usage cannot end in the future.
pub fn check_batch(
    catalog: &Catalog,
    records: Vec<SourcedRecord>,
    now: DateTime<Utc>,
    seen: &mut SeenRecords,
) -> (CheckedBatch, ValidationErrors) {
    let mut errors = ValidationErrors::default();
    let received = records.len();
    let mut checked = Vec::with_capacity(records.len());
    let mut repeats = 0;
    for SourcedRecord { source, input } in records {
        let print = fingerprint(&input);
        if let Some(record_id) = input.record_id.as_deref() {
            if let Some((first, first_print)) = seen.get(record_id) {
                if *first_print == print {
                    repeats += 1;
                } else {
                    errors.push(FieldError::with_given(
                        format!("{}record_id", source.prefix()),
                        Problem::InvalidFormat {
                            expected: "an id not used by another record with other values",
                        },
                        format!("{record_id} (also {first})"),
                    ));
                }
                continue;
            }
        }
        let input = match parse_input(input) {
            Ok(input) => input,
            Err(problems) => {
                errors.0.extend(problems.prefixed(&source.prefix()).0);
                continue;
            }
        };
        if input.period_end > now + FUTURE_ALLOWANCE {
            errors.push(FieldError::with_given(
                format!("{}period_end", source.prefix()),
                Problem::InvalidFormat {
                    expected: "an instant that has passed (usage cannot end in the future)",
                },
                input.period_end.to_rfc3339(),
            ));
            continue;
        }
        seen.insert(&input.record_id, source, print);
        match check_usage(catalog, input) {
            Ok(usage) => checked.push((source, usage)),
            Err(problems) => errors.0.extend(problems.prefixed(&source.prefix()).0),
        }
    }
    let batch = CheckedBatch {
        received,
        repeats,
        records: checked,
    };
    (batch, errors)
}

/// Problems of records whose account does not exist (one query per batch). Records of closed
/// months are refused by [`store_records`], under the ingestion lock, unless already stored.
pub async fn check_against_store(
    store: &Store,
    batch: &CheckedBatch,
) -> Result<ValidationErrors, AppError> {
    let accounts: Vec<&str> = batch
        .records
        .iter()
        .map(|(_, usage)| usage.account_id.as_str())
        .collect::<HashSet<_, foldhash::fast::RandomState>>()
        .into_iter()
        .collect();
    let known = store.existing_account_ids(&accounts).await?;
    let mut errors = ValidationErrors::default();
    for (source, usage) in &batch.records {
        if !known.contains(usage.account_id.as_str()) {
            errors.push(FieldError::with_given(
                format!("{}account_id", source.prefix()),
                Problem::InvalidFormat {
                    expected: "the id of an existing account",
                },
                usage.account_id.as_str(),
            ));
        }
    }
    Ok(errors)
}

/// Checks one self-contained batch (catalogue, repeats, accounts); a 400 naming at most
/// [`MAX_REPORTED_PROBLEMS`] problems if any record is bad.
pub async fn check_records(
    store: &Store,
    catalog: &Catalog,
    records: Vec<SourcedRecord>,
    now: DateTime<Utc>,
) -> Result<CheckedBatch, AppError> {
    let (batch, mut errors) = check_batch(catalog, records, now, &mut SeenRecords::default());
    errors.0.extend(check_against_store(store, &batch).await?.0);
    errors.truncated(MAX_REPORTED_PROBLEMS).finish()?;
    Ok(batch)
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

impl std::ops::AddAssign for IngestSummary {
    fn add_assign(&mut self, other: Self) {
        self.received += other.received;
        self.stored += other.stored;
        self.duplicates += other.duplicates;
        self.amount += other.amount;
    }
}

/// Rates a checked batch and appends it inside `ingest` (visible when it commits).
pub async fn store_records(
    ingest: &mut UsageIngest,
    catalog: Arc<Catalog>,
    batch: CheckedBatch,
) -> Result<IngestSummary, AppError> {
    // Distinct accounts and months first, then owned copies of those few.
    let months: Vec<_> = batch
        .records
        .iter()
        .filter(|(_, usage)| !catalog.prices[usage.price_index].rule.is_stateless())
        .map(|(_, usage)| (&usage.account_id, usage.month))
        .collect::<HashSet<_, foldhash::fast::RandomState>>()
        .into_iter()
        .map(|(account, month)| (account.clone(), month))
        .collect();
    let starts = batch
        .records
        .iter()
        .map(|(_, usage)| usage.input.period_start);
    let coverable = starts.clone().min().zip(starts.max());
    let plan = IngestPlan::new(
        batch
            .records
            .iter()
            .map(|(_, usage)| usage.input.record_id.as_str()),
        months,
        coverable,
    );
    let (received, repeats) = (batch.received, batch.repeats);
    let records = batch.records;
    let outcome = ingest
        .ingest(plan, move |context| {
            let fresh: Vec<(Source, CheckedUsage)> = records
                .into_iter()
                .filter(|(_, usage)| !context.existing.contains(&usage.input.record_id))
                .collect();
            let mut errors = ValidationErrors::default();
            for (source, usage) in &fresh {
                if context.closed.contains(&usage.month) {
                    errors.push(FieldError::with_given(
                        format!("{}period_start", source.prefix()),
                        Problem::MonthClosed {
                            month: usage.month.to_string(),
                        },
                        usage.input.period_start.to_rfc3339(),
                    ));
                }
            }
            errors.truncated(MAX_REPORTED_PROBLEMS).finish()?;
            let mut fresh: Vec<CheckedUsage> = fresh.into_iter().map(|(_, usage)| usage).collect();
            let contracts = apply_coverage(&catalog, context.coverage, &mut fresh);
            let rated = rate_usages(&catalog, fresh, context.totals).map_err(|error| {
                AppError::Internal(format!("rating a checked record failed: {error}"))
            })?;
            Ok::<_, AppError>(
                rated
                    .into_iter()
                    .zip(contracts)
                    .map(|(rated, contract_id)| {
                        let item = catalog.billing_item(&rated.usage.input.billing_item_id);
                        let input = rated.usage.input;
                        UsageRecord {
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
                            contract_id,
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

/// Checks, rates and stores one self-contained batch in its own transaction. Returns what it
/// stored and the accounts whose bills changed.
pub async fn ingest_records(
    store: &Store,
    catalog: Arc<Catalog>,
    records: Vec<SourcedRecord>,
    now: DateTime<Utc>,
) -> Result<(IngestSummary, Vec<AccountId>), AppError> {
    let batch = check_records(store, &catalog, records, now).await?;
    let mut ingest = store.begin_usage_ingest(now, Arc::clone(&catalog)).await?;
    let summary = store_records(&mut ingest, catalog, batch).await?;
    let accounts = ingest.commit().await?;
    Ok((summary, accounts))
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
    fn attribute_lists_are_key_value_pairs() {
        let parsed = parse_attribute_list("server_type=s1v1m2; os_type=OPEN_SOURCE").unwrap();
        assert_eq!(parsed["server_type"], "s1v1m2");
        assert!(parse_attribute_list("oops").is_err());
        assert!(parse_attribute_list("").unwrap().is_empty());
    }
}
