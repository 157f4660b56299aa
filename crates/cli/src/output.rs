//! Printing results (JSON exactly as the server sent it, or tables) and errors.

use clap::ValueEnum;
use comfy_table::presets::ASCII_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use scpfm_client::{ClientError, RawResponse};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The server's JSON response, pretty-printed, keys in the server's order.
    Json,
    /// A table for people.
    Table,
}

/// Prints a response body as pretty JSON, keys in the server's order.
pub fn print_json(response: &RawResponse) -> Result<(), ClientError> {
    if response.body.is_empty() {
        return Ok(());
    }
    let value: serde_json::Value = response.json()?;
    let text = serde_json::to_string_pretty(&value)
        .map_err(|error| ClientError::Decode(error.to_string()))?;
    println!("{text}");
    Ok(())
}

/// A two-column table of labelled values.
pub fn key_value_table(rows: Vec<(&str, String)>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(ASCII_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(["FIELD", "VALUE"]);
    for (label, value) in rows {
        table.add_row([label.to_owned(), value]);
    }
    table
}

/// A table with a header row.
pub fn list_table<const N: usize>(header: [&str; N], rows: Vec<[String; N]>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(ASCII_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(header);
    for row in rows {
        table.add_row(row);
    }
    table
}

/// Exit code: the API refused the request.
pub const EXIT_REFUSED: u8 = 1;
/// Exit code: usage, configuration or network problem.
pub const EXIT_USAGE: u8 = 2;

/// Prints a failed call to stderr and returns its exit code.
pub fn report(error: &ClientError) -> u8 {
    match error {
        ClientError::Api { status, body, raw } => {
            eprintln!("error: the API answered HTTP {status}");
            match body {
                Some(envelope) => {
                    for item in &envelope.errors {
                        let field = item
                            .field
                            .as_deref()
                            .map(|f| format!(" [{f}]"))
                            .unwrap_or_default();
                        eprintln!("  {}{field}: {}", item.code, item.detail);
                    }
                    if let Some(id) = envelope
                        .errors
                        .first()
                        .and_then(|item| item.request_id.as_deref())
                    {
                        eprintln!("  request_id: {id}");
                    }
                }
                None => eprintln!("  {}", raw.chars().take(500).collect::<String>()),
            }
            EXIT_REFUSED
        }
        ClientError::Decode(reason) => {
            eprintln!("error: unexpected response: {reason}");
            EXIT_REFUSED
        }
        ClientError::Transport(reason) => {
            eprintln!("error: cannot reach the server: {reason}");
            EXIT_USAGE
        }
        ClientError::Encode(reason) => {
            eprintln!("error: {reason}");
            EXIT_USAGE
        }
    }
}
