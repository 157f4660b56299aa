//! `POST /v1/admin/usage-records`: ingest usage (a JSON array, or NDJSON: one record a line).

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::error::ErrorResponse;
use scpfm_api_types::usage::{UsageIngestResponse, UsageRecordInput};

use crate::error::{ApiError, Unreadable};
use crate::extract::{expected_type, ApiBytes, ApiQuery, Caller, NoQuery};
use crate::openapi::{AdminOnly, Unauthorized};
use crate::state::AppState;
use crate::wire::amount;
use scpfm_app::ingest::{ingest_and_evaluate, Source, SourcedRecord};

/// Most records one request may hold; larger imports use several requests or `scpfm import`.
pub const MAX_RECORDS: usize = 10_000;

/// Rates and stores a batch of usage records, atomically. Records whose `record_id` is
/// already stored are no-ops; any invalid record stores nothing and is named in the 400.
#[utoipa::path(post, path = "/v1/admin/usage-records", operation_id = "IngestUsageRecords",
    description = "Ingest metered usage (scpfm admin API). Body: a JSON array of records, or NDJSON (one JSON record per line). Admin access keys only.",
    request_body(content = Vec<UsageRecordInput>, description = "Usage records"),
    responses((status = 200, description = "OK", body = UsageIngestResponse), (status = 400, description = "Bad Request: every invalid record is named", body = ErrorResponse), Unauthorized, AdminOnly))]
pub async fn ingest_usage_records(
    _query: ApiQuery<NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    ApiBytes(body): ApiBytes,
) -> Result<Json<UsageIngestResponse>, ApiError> {
    if !caller.is_admin {
        return Err(ApiError::AdminOnly);
    }
    let records: Vec<SourcedRecord> = parse_body::<UsageRecordInput>(&body)?
        .into_iter()
        .map(|(source, input)| SourcedRecord { source, input })
        .collect();
    if records.len() > MAX_RECORDS {
        return Err(ApiError::TooManyItems {
            sent: records.len(),
            max: MAX_RECORDS,
        });
    }
    let summary = ingest_and_evaluate(&state, records).await?;
    Ok(Json(UsageIngestResponse {
        received: summary.received as u64,
        stored: summary.stored as u64,
        duplicates: summary.duplicates as u64,
        amount: amount(summary.amount),
    }))
}

/// The error of one item that could not be read: an unknown field (with the nearest known
/// name) or a value of the wrong type, `field` naming where.
fn item_error(field: String, message: &str) -> ApiError {
    match crate::input::unknown::parse_message(message) {
        Some(unknown) => {
            let hint = crate::input::unknown::nearest(&unknown.name, &unknown.expected)
                .map(crate::error::FieldHint::DidYouMean);
            // serde's path ends with the unknown field already.
            let field = field.trim_end_matches('.').to_owned();
            ApiError::Unreadable(Unreadable::UnknownField { field, hint })
        }
        None => ApiError::Unreadable(Unreadable::WrongType {
            field,
            expected: expected_type(message),
        }),
    }
}

/// A JSON array, or NDJSON; each item named by its position for error messages.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
) -> Result<Vec<(Source, T)>, ApiError> {
    if let Some(field) = crate::input::control::in_json(body) {
        return Err(ApiError::Unreadable(Unreadable::ControlCharacter {
            field: if field.starts_with('[') {
                format!("records{field}")
            } else {
                format!("records.{field}")
            },
        }));
    }
    let first = body.iter().find(|byte| !byte.is_ascii_whitespace());
    match first {
        None => Err(ApiError::Unreadable(Unreadable::EmptyBody)),
        Some(b'[') => {
            let mut deserializer = serde_json::Deserializer::from_slice(body);
            let items: Vec<T> =
                serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                    let path = error.path().to_string();
                    item_error(format!("records{path}"), &error.into_inner().to_string())
                })?;
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(idx, item)| (Source::Element(idx), item))
                .collect())
        }
        Some(_) => {
            let text = std::str::from_utf8(body).map_err(|_| {
                ApiError::Unreadable(Unreadable::NotJson("the body is not UTF-8".into()))
            })?;
            let mut items = Vec::new();
            for (idx, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let mut deserializer = serde_json::Deserializer::from_str(line);
                let item: T =
                    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                        let path = error.path().to_string();
                        let field = format!("line {}: {}", idx + 1, path.trim_start_matches('.'));
                        item_error(field, &error.into_inner().to_string())
                    })?;
                items.push((Source::Line(idx + 1), item));
            }
            Ok(items)
        }
    }
}
