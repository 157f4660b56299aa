//! `scpfm import usage FILE`: load usage from CSV or JSON Lines.
//!
//! The file is stored in one transaction: a reading thread parses and checks it (catalogue,
//! repeated record ids) batch by batch while the previous batch is rated and stored. If any
//! row is bad, the problems are printed with their lines, the rest of the file is only
//! checked, and nothing is stored. Records already stored are skipped, so importing a file
//! again changes nothing, and an interrupted import (which stored nothing) can simply be rerun.

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
use scpfm_store::usage::UsageIngest;
use scpfm_store::Store;

use scpfm_app::clock::Clock;
use scpfm_app::ingest::{
    check_against_store, check_batch, parse_attribute_list, store_records, CheckedBatch,
    IngestSummary, SeenRecords, Source, SourcedRecord,
};
use scpfm_app::AppError;
use scpfm_server::i18n::{field_error, Lang};

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
    /// The reader and the row buffer it reuses.
    Csv(csv::Reader<BufReader<File>>, csv::StringRecord),
    Jsonl(std::io::Lines<BufReader<File>>, usize),
}

impl Rows {
    fn open(path: &Path, format: Format) -> anyhow::Result<Self> {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let reader = BufReader::with_capacity(1 << 20, file);
        Ok(match format {
            // Headers are trimmed once (`BatchReader::open`), fields as they are read
            // (`csv_record`): the reader's own trimming copies every row into a new record.
            Format::Csv => Rows::Csv(
                csv::ReaderBuilder::new().from_reader(reader),
                csv::StringRecord::new(),
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
            Rows::Csv(reader, record) => match reader.read_record(record) {
                Ok(false) => None,
                Ok(true) => {
                    let line = record
                        .position()
                        .map_or(0, |position| position.line() as usize);
                    Some((line, csv_record(headers.as_ref(), record)))
                }
                Err(error) => {
                    let line = error
                        .position()
                        .map_or(0, |position| position.line() as usize);
                    Some((line, Err(error.to_string())))
                }
            },
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

/// The columns a usage CSV may have (`tags` and `attributes` optional).
const COLUMNS: [&str; 12] = [
    "record_id",
    "account_id",
    "resource_id",
    "resource_name",
    "billing_item_id",
    "region",
    "period_start",
    "period_end",
    "quantity",
    "unit",
    "attributes",
    "tags",
];

fn csv_record(
    headers: Option<&csv::StringRecord>,
    record: &csv::StringRecord,
) -> Result<UsageRecordInput, String> {
    let headers = headers.ok_or("the file has no header row")?;
    let mut input = UsageRecordInput::default();
    for (name, value) in headers.iter().zip(record.iter()) {
        let value = value.trim();
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
            "tags" => {
                input.tags = Some(
                    scpfm_domain::tags::parse_list(value.as_deref().unwrap_or(""))
                        .map_err(|error| format!("tags: {error}"))?,
                )
            }
            "attributes" => {
                input.attributes = Some(parse_attribute_list(value.as_deref().unwrap_or(""))?)
            }
            // `BatchReader::open` refused every other name.
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
            // Trimmed once here; `csv_record` trims each row's fields.
            Rows::Csv(reader, _) => Some(
                reader
                    .headers()
                    .context("reading the CSV header")?
                    .iter()
                    .map(str::trim)
                    .collect(),
            ),
            Rows::Jsonl(..) => None,
        };
        if let Some(unknown) = headers
            .iter()
            .flatten()
            .find(|name: &&str| !COLUMNS.contains(name))
        {
            anyhow::bail!(
                "the CSV header names an unknown column `{unknown}`: the columns are {}",
                COLUMNS.join(", ")
            );
        }
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
                    source: Source::Line(line),
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

/// Batches read and checked ahead of the one being stored.
const READ_AHEAD: usize = 2;

/// A batch read and checked on the reading thread.
struct ReadBatch {
    /// Rows read, readable or not.
    rows: usize,
    /// The records to store.
    batch: CheckedBatch,
    /// Problems of the rows (unreadable rows, catalogue checks, repeated ids).
    problems: ValidationErrors,
}

/// Reads and checks the file on its own thread, `READ_AHEAD` batches ahead of the store.
fn spawn_reader(
    mut reader: BatchReader,
    catalog: Arc<Catalog>,
    now: chrono::DateTime<chrono::Utc>,
) -> std::io::Result<(
    tokio::sync::mpsc::Receiver<ReadBatch>,
    std::thread::JoinHandle<()>,
)> {
    let (sender, receiver) = tokio::sync::mpsc::channel(READ_AHEAD);
    let thread = std::thread::Builder::new()
        .name("usage-reader".into())
        .spawn(move || {
            let mut seen = SeenRecords::default();
            while let Some((records, unreadable)) = reader.next_batch() {
                let rows = records.len() + unreadable.len();
                let (batch, mut problems) = check_batch(&catalog, records, now, &mut seen);
                problems.0.splice(0..0, unreadable);
                if sender
                    .blocking_send(ReadBatch {
                        rows,
                        batch,
                        problems,
                    })
                    .is_err()
                {
                    break; // the importer stopped
                }
            }
        })?;
    Ok((receiver, thread))
}

/// Records rated and stored per batch on SQLite: while another process waits for the one
/// write lock, it waits at most one batch (a few tens of milliseconds).
pub const SQLITE_BATCH: usize = 4_096;
/// Records per batch on PostgreSQL, whose writers do not wait for each other.
pub const POSTGRES_BATCH: usize = 50_000;
/// How much an import handles at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Records rated and stored per batch (default: [`SQLITE_BATCH`] or [`POSTGRES_BATCH`]).
    pub batch: Option<usize>,
    /// Records stored per transaction when nobody waits for the write lock (default:
    /// [`SQLITE_COMMIT_EVERY`] or [`POSTGRES_COMMIT_EVERY`]).
    pub commit_every: Option<usize>,
}

/// Records per transaction on SQLite: bounds the write-ahead log an import grows.
pub const SQLITE_COMMIT_EVERY: usize = 50_000;
/// Records per transaction on PostgreSQL: a transaction pipelines each batch's `COPY` with the
/// next batch's rating, so commits are kept rare (a bound on what a crash or a bad row costs).
pub const POSTGRES_COMMIT_EVERY: usize = 1_000_000;
/// Pause after a commit made for a waiting writer: long enough for it (polling the lock every
/// millisecond) to take the lock before the next batch does.
const YIELD_PAUSE: std::time::Duration = std::time::Duration::from_millis(2);

/// Runs `scpfm import usage`: reads and checks the file on a thread of its own, and rates and
/// stores it batch by batch, committing every `commit_every` records (50,000 on SQLite, 1,000,000 on PostgreSQL) — and at once, with a
/// short pause, when another process waits for SQLite's write lock (`Store::writers_waiting`),
/// so the server's writes are answered during an import. Whole-file atomicity is not needed
/// for correctness: record ids make a re-run exactly-once, so after a bad row (which stops the
/// storing there; every problem of the file is still reported) the fixed file is simply
/// imported again. Returns the accounts whose bills changed.
pub async fn run(
    store: &Store,
    catalog: Arc<Catalog>,
    clock: &dyn Clock,
    path: PathBuf,
    format: Option<Format>,
    sizes: Sizes,
) -> anyhow::Result<Vec<scpfm_domain::ids::AccountId>> {
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
    let sqlite = store.engine() == scpfm_store::Engine::Sqlite;
    let batch_size = sizes
        .batch
        .unwrap_or(if sqlite { SQLITE_BATCH } else { POSTGRES_BATCH });
    let commit_every = sizes.commit_every.unwrap_or(if sqlite {
        SQLITE_COMMIT_EVERY
    } else {
        POSTGRES_COMMIT_EVERY
    });
    let started = Instant::now();
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} records ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("importing");
    let now = clock.now();
    let reader = BatchReader::open(&path, format, batch_size)?;
    let (mut batches, thread) =
        spawn_reader(reader, Arc::clone(&catalog), now).context("starting the reading thread")?;
    let mut problems = ValidationErrors::default();
    let mut problem_count = 0usize;
    let mut total = 0usize;
    let mut summary = IngestSummary::default();
    let mut accounts = Vec::new();
    let mut open: Option<(UsageIngest, IngestSummary)> = None;
    while let Some(read) = batches.recv().await {
        total += read.rows;
        let mut batch_problems = read.problems;
        batch_problems.0.extend(
            check_against_store(store, &read.batch)
                .await
                .map_err(api_error)?
                .0,
        );
        problem_count += batch_problems.0.len();
        let room = PRINTED_PROBLEMS.saturating_sub(problems.0.len());
        problems.0.extend(batch_problems.0.into_iter().take(room));
        if problem_count > 0 {
            // Once a row is bad nothing more is stored (what is not committed yet is rolled
            // back): the rest is only checked.
            open = None;
        } else {
            let (mut ingest, mut pending) = match open.take() {
                Some(open) => open,
                None => (
                    store
                        .begin_usage_ingest(now, Arc::clone(&catalog))
                        .await
                        .context("starting an import transaction")?,
                    IngestSummary::default(),
                ),
            };
            match store_records(&mut ingest, Arc::clone(&catalog), read.batch).await {
                Ok(stored) => {
                    pending += stored;
                    let waited_for = store.writers_waiting();
                    if waited_for || pending.received >= commit_every {
                        accounts.extend(
                            ingest
                                .commit()
                                .await
                                .context("committing an import transaction")?,
                        );
                        summary += pending;
                        if waited_for {
                            tokio::time::sleep(YIELD_PAUSE).await;
                        }
                    } else {
                        open = Some((ingest, pending));
                    }
                }
                // New records of a closed month: the open transaction is rolled back.
                Err(AppError::Invalid(refused)) => {
                    problem_count += refused.0.len();
                    let room = PRINTED_PROBLEMS.saturating_sub(problems.0.len());
                    problems.0.extend(refused.0.into_iter().take(room));
                }
                Err(other) => return Err(api_error(other)),
            }
        }
        bar.inc(read.rows as u64);
    }
    if let Some((ingest, pending)) = open {
        accounts.extend(
            ingest
                .commit()
                .await
                .context("committing the import's last transaction")?,
        );
        summary += pending;
    }
    if thread.join().is_err() {
        bail!("reading {} failed", path.display());
    }
    bar.finish_and_clear();
    accounts.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    accounts.dedup();
    if problem_count > 0 {
        for problem in &problems.0 {
            eprintln!("  {}", field_error(Lang::En, problem));
        }
        if problem_count > problems.0.len() {
            eprintln!("  … and {} more", problem_count - problems.0.len());
        }
        bail!(
            "{} has {problem_count} problem(s) in {total} records; {} records before the first \
             problem were stored ({} new), nothing after it; fix the file and import it again \
             (records already stored are skipped)",
            path.display(),
            summary.received,
            summary.stored
        );
    }
    let millis = started.elapsed().as_millis().max(1);
    let DualAmount { krw, usd } = summary.amount;
    let (krw, usd) = (
        scpfm_domain::decimal_text::fixed(krw, 3),
        scpfm_domain::decimal_text::fixed(usd, 3),
    );
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
    Ok(accounts)
}

fn api_error(error: AppError) -> anyhow::Error {
    anyhow::Error::new(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_csv_column_is_refused_by_name() {
        let path =
            std::env::temp_dir().join(format!("scpfm-import-unknown-{}.csv", std::process::id()));
        std::fs::write(&path, "record_id,colour\nr-1,blue\n").unwrap();
        let error = BatchReader::open(&path, Format::Csv, 10).err().unwrap();
        std::fs::remove_file(&path).unwrap();
        let message = error.to_string();
        assert!(
            message.contains("`colour`") && message.contains("tags"),
            "{message}"
        );
    }

    #[test]
    fn the_csv_tags_column_is_read_and_a_bad_pair_names_its_line() {
        let path =
            std::env::temp_dir().join(format!("scpfm-import-tags-{}.csv", std::process::id()));
        std::fs::write(
            &path,
            "record_id,tags\nr-1,team=web; env=prod\nr-2,\nr-3,team\n",
        )
        .unwrap();
        let mut reader = BatchReader::open(&path, Format::Csv, 10).unwrap();
        let (records, unreadable) = reader.next_batch().unwrap();
        std::fs::remove_file(&path).unwrap();
        let tags = records[0].input.tags.as_ref().unwrap();
        assert_eq!(
            (tags["team"].as_str(), tags["env"].as_str()),
            ("web", "prod")
        );
        assert!(records[1].input.tags.as_ref().unwrap().is_empty());
        assert_eq!(records.len(), 2);
        assert_eq!(unreadable.len(), 1);
        let reason = unreadable[0].given.as_deref().unwrap_or_default();
        assert!(reason.contains("`team` is not key=value"), "{reason}");
    }

    #[test]
    fn csv_headers_and_fields_are_trimmed() {
        let path =
            std::env::temp_dir().join(format!("scpfm-import-trim-{}.csv", std::process::id()));
        std::fs::write(
            &path,
            " record_id , account_id ,resource_name, attributes \n  r-1 , acc ,  , os_type = RHEL \n",
        )
        .unwrap();
        let mut reader = BatchReader::open(&path, Format::Csv, 10).unwrap();
        let (records, unreadable) = reader.next_batch().unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(unreadable.is_empty());
        let input = &records[0].input;
        assert_eq!(input.record_id.as_deref(), Some("r-1"));
        assert_eq!(input.account_id.as_deref(), Some("acc"));
        assert_eq!(input.resource_name, None);
        let attributes = input.attributes.as_ref().unwrap();
        assert_eq!(attributes["os_type"], "RHEL");
    }
}
