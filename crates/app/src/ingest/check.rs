//! Checking usage records before anything is stored: their text fields parsed, checked
//! against the catalogue and each other (pure, so the importer runs it on its reading thread),
//! then against the store's accounts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher as _;

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use scpfm_api_types::usage::UsageRecordInput;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::month::kst;
use scpfm_domain::tags::TagSet;
use scpfm_domain::usage::{check_usage, CheckedUsage, UsageInput};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
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
        tags,
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
    let tags = match TagSet::from_map("tags", tags.unwrap_or_default()) {
        Ok(tags) => Some(tags),
        Err(problems) => {
            errors.0.extend(problems.0);
            None
        }
    };
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
        tags,
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
            Some(tags),
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
            tags,
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
