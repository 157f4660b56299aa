//! `scpfm import usage FILE`: load usage from CSV or JSON Lines.
//!
//! The whole file is checked first (parsing, catalogue, accounts, repeated record ids); if any
//! row is bad, every problem is printed with its line and nothing is stored. The file is then
//! stored in batches, each atomic; records already stored are skipped, so an interrupted import
//! is finished by running it again.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressStyle};
use scpfm_api_types::usage::{DecimalText, UsageRecordInput};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::money::DualAmount;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::Store;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::i18n::{field_error, Lang};
use crate::ingest::{
    check_records, fingerprint, parse_attribute_list, store_records, IngestSummary, SourcedRecord,
};

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON record per line.
    Jsonl,
}

/// Problems printed before the count of the rest.
const PRINTED_PROBLEMS: usize = 50;

/// A streaming reader of records, each with its line number.
enum Rows {
    Csv(csv::Reader<BufReader<File>>),
    Jsonl(std::io::Lines<BufReader<File>>, usize),
}

impl Rows {
    fn open(path: &Path, format: Format) -> anyhow::Result<Self> {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let reader = BufReader::with_capacity(1 << 20, file);
        Ok(match format {
            Format::Csv => Rows::Csv(
                csv::ReaderBuilder::new()
                    .trim(csv::Trim::All)
                    .from_reader(reader),
            ),
            Format::Jsonl => Rows::Jsonl(reader.lines(), 0),
        })
    }

    /// The next record: `(line, record)`, or `(line, problem)` for an unreadable row.
    fn next_row(
        &mut self,
        headers: &Option<csv::StringRecord>,
    ) -> Option<(usize, Result<UsageRecordInput, String>)> {
        match self {
            Rows::Csv(reader) => {
                let mut record = csv::StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        let line = record
                            .position()
                            .map_or(0, |position| position.line() as usize);
                        Some((line, csv_record(headers.as_ref(), &record)))
                    }
                    Err(error) => {
                        let line = error
                            .position()
                            .map_or(0, |position| position.line() as usize);
                        Some((line, Err(error.to_string())))
                    }
                }
            }
            Rows::Jsonl(lines, number) => loop {
                *number += 1;
                match lines.next()? {
                    Ok(line) if line.trim().is_empty() => continue,
                    Ok(line) => {
                        break Some((
                            *number,
                            serde_json::from_str(&line).map_err(|error| error.to_string()),
                        ));
                    }
                    Err(error) => break Some((*number, Err(error.to_string()))),
                }
            },
        }
    }
}

fn csv_record(
    headers: Option<&csv::StringRecord>,
    record: &csv::StringRecord,
) -> Result<UsageRecordInput, String> {
    let headers = headers.ok_or("the file has no header row")?;
    let mut input = UsageRecordInput::default();
    for (name, value) in headers.iter().zip(record.iter()) {
        let value = (!value.is_empty()).then(|| value.to_owned());
        match name {
            "record_id" => input.record_id = value,
            "account_id" => input.account_id = value,
            "resource_id" => input.resource_id = value,
            "resource_name" => input.resource_name = value,
            "billing_item_id" => input.billing_item_id = value,
            "region" => input.region = value,
            "period_start" => input.period_start = value,
            "period_end" => input.period_end = value,
            "quantity" => input.quantity = value.map(DecimalText),
            "unit" => input.unit = value,
            "attributes" => {
                input.attributes = Some(parse_attribute_list(value.as_deref().unwrap_or(""))?)
            }
            _ => {}
        }
    }
    Ok(input)
}

/// Reads the file in batches.
struct BatchReader {
    rows: Rows,
    headers: Option<csv::StringRecord>,
    batch_size: usize,
    done: bool,
}

impl BatchReader {
    fn open(path: &Path, format: Format, batch_size: usize) -> anyhow::Result<Self> {
        let mut rows = Rows::open(path, format)?;
        let headers = match &mut rows {
            Rows::Csv(reader) => Some(reader.headers().context("reading the CSV header")?.clone()),
            Rows::Jsonl(..) => None,
        };
        Ok(Self {
            rows,
            headers,
            batch_size,
            done: false,
        })
    }

    /// The next batch of readable records and the problems of unreadable rows.
    fn next_batch(&mut self) -> Option<(Vec<SourcedRecord>, Vec<FieldError>)> {
        if self.done {
            return None;
        }
        let mut batch = Vec::with_capacity(self.batch_size);
        let mut unreadable = Vec::new();
        while batch.len() < self.batch_size {
            let Some((line, row)) = self.rows.next_row(&self.headers) else {
                self.done = true;
                break;
            };
            match row {
                Ok(input) => batch.push(SourcedRecord {
                    prefix: format!("line {line}: "),
                    input,
                }),
                Err(reason) => unreadable.push(FieldError::with_given(
                    format!("line {line}"),
                    Problem::InvalidFormat {
                        expected: "a readable record",
                    },
                    reason,
                )),
            }
        }
        (!batch.is_empty() || !unreadable.is_empty() || !self.done).then_some((batch, unreadable))
    }
}

/// Runs `scpfm import usage`.
pub async fn run(
    store: &Store,
    catalog: Arc<Catalog>,
    clock: &dyn Clock,
    path: PathBuf,
    format: Option<Format>,
    batch_size: usize,
) -> anyhow::Result<()> {
    let format = match format {
        Some(format) => format,
        None => match path
            .extension()
            .and_then(|ext| ext.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Format::Csv,
            Some("jsonl" | "ndjson" | "json") => Format::Jsonl,
            _ => bail!(
                "cannot tell the format of {}: use --format csv or --format jsonl",
                path.display()
            ),
        },
    };
    let started = Instant::now();
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} records ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("checking");

    // Pass 1: check everything, store nothing.
    let mut problems = ValidationErrors::default();
    let mut first_seen: HashMap<String, (String, u64)> = HashMap::new();
    let mut total = 0usize;
    let mut reader = BatchReader::open(&path, format, batch_size)?;
    while let Some((batch, unreadable)) = reader.next_batch() {
        total += batch.len() + unreadable.len();
        bar.inc((batch.len() + unreadable.len()) as u64);
        problems.0.extend(unreadable);
        let mut kept = Vec::with_capacity(batch.len());
        for record in batch {
            let Some(id) = record.input.record_id.clone() else {
                kept.push(record);
                continue;
            };
            let print = fingerprint(&record.input);
            match first_seen.get(&id) {
                Some((_, seen)) if *seen == print => {}
                Some((line, _)) => problems.push(FieldError::with_given(
                    format!("{}record_id", record.prefix),
                    Problem::InvalidFormat {
                        expected: "an id not used by another record with other values",
                    },
                    format!("{id} (also {line})"),
                )),
                None => {
                    first_seen.insert(
                        id,
                        (record.prefix.trim_end_matches([' ', ':']).to_owned(), print),
                    );
                    kept.push(record);
                }
            }
        }
        match check_records(store, &catalog, kept, clock.now()).await {
            Ok(_) => {}
            Err(ApiError::Invalid(errors)) => problems.0.extend(
                errors
                    .0
                    .into_iter()
                    .filter(|error| !matches!(error.problem, Problem::MoreProblems { .. })),
            ),
            Err(other) => bail!("checking records: {other:?}"),
        }
    }
    if !problems.is_empty() {
        bar.finish_and_clear();
        let count = problems.0.len();
        for problem in problems.0.iter().take(PRINTED_PROBLEMS) {
            eprintln!("  {}", field_error(Lang::En, problem));
        }
        if count > PRINTED_PROBLEMS {
            eprintln!("  … and {} more", count - PRINTED_PROBLEMS);
        }
        bail!(
            "{} has {count} problem(s) in {total} records; nothing was stored",
            path.display()
        );
    }

    // Pass 2: store, batch by batch.
    bar.set_position(0);
    bar.set_message("storing");
    let mut summary = IngestSummary::default();
    let mut reader = BatchReader::open(&path, format, batch_size)?;
    while let Some((batch, _)) = reader.next_batch() {
        let size = batch.len();
        let checked = check_records(store, &catalog, batch, clock.now())
            .await
            .map_err(|error| anyhow::anyhow!("{error:?}"))?;
        let stored = store_records(store, Arc::clone(&catalog), checked, clock.now())
            .await
            .map_err(|error| anyhow::anyhow!("{error:?}"))?;
        summary.received += stored.received;
        summary.stored += stored.stored;
        summary.duplicates += stored.duplicates;
        summary.amount += stored.amount;
        bar.inc(size as u64);
    }
    bar.finish_and_clear();
    let millis = started.elapsed().as_millis().max(1);
    let DualAmount { krw, usd } = summary.amount;
    let (krw, usd) = (crate::wire::fixed(krw, 3), crate::wire::fixed(usd, 3));
    println!(
        "imported {}: {} records, {} stored, {} already stored; amount {krw} KRW / {usd} USD; {}.{} s ({} records/s)",
        path.display(),
        summary.received,
        summary.stored,
        summary.duplicates,
        millis / 1000,
        millis % 1000 / 100,
        summary.received as u128 * 1000 / millis
    );
    Ok(())
}
