//! ExportFocus: `GET /v1/exports/focus` — a closed billing period as a FOCUS CSV, streamed.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use scpfm_api_types::cost::FocusExportQuery;
use scpfm_app::cost_analysis::focus::{export, FocusExport};
use scpfm_domain::code::Code as _;
use scpfm_domain::focus::FocusVersion;
use scpfm_domain::month::YearMonth;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use super::visible_accounts;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;

/// Rows per streamed chunk.
const CHUNK_ROWS: usize = 2_000;

/// Exports the caller's account (and its members', for a payer) for a closed billing period
/// in FOCUS (1.2 by default, or 1.0) as CSV.
#[utoipa::path(get, path = "/v1/exports/focus", operation_id = "ExportFocus",
    description = "Export a closed billing period as FOCUS CSV (scpfm).", params(FocusExportQuery),
    responses((status = 200, description = "FOCUS CSV", content_type = "text/csv", body = String), BadRequest, Unauthorized, Forbidden))]
pub async fn export_focus(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<FocusExportQuery>,
) -> Result<Response, ApiError> {
    let (month, version, requested) = parse_query(&query)?;
    let accounts = visible_accounts(&state, &caller, &requested).await?;
    let file = export(&state.store, &state.catalog, &accounts, month, version).await?;
    let name = format!(
        "attachment; filename=\"focus-{}-{month}.csv\"",
        version.code()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        Body::from_stream(csv_chunks(file)),
    )
        .into_response())
}

fn parse_query(
    query: &FocusExportQuery,
) -> Result<(YearMonth, FocusVersion, Vec<String>), ApiError> {
    let mut errors = ValidationErrors::default();
    let month = match crate::paging::given(&query.billing_period) {
        Some(text) => errors.check(YearMonth::parse_field("billing_period", text)),
        None => {
            errors.push(FieldError::new("billing_period", Problem::Required));
            None
        }
    };
    let version = match crate::paging::given(&query.focus_version) {
        Some(text) => errors.check(FocusVersion::parse_field("focus_version", text)),
        None => Some(FocusVersion::V1_2),
    };
    let accounts = crate::paging::values(&query.account_id);
    errors.finish()?;
    match (month, version) {
        (Some(month), Some(version)) => Ok((month, version, accounts)),
        _ => Err(ValidationErrors::default().into()),
    }
}

/// The CSV, header first, a few thousand rows per chunk.
fn csv_chunks(
    file: FocusExport,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    let header = encode(std::iter::once(
        file.columns.iter().map(|c| c.to_string()).collect(),
    ));
    let mut rows = file.rows.into_iter();
    let mut first = Some(header);
    futures_util::stream::iter(std::iter::from_fn(move || {
        if let Some(header) = first.take() {
            return Some(header);
        }
        let chunk: Vec<Vec<String>> = rows.by_ref().take(CHUNK_ROWS).collect();
        (!chunk.is_empty()).then(|| encode(chunk.into_iter()))
    }))
}

fn encode(rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, std::io::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|error| std::io::Error::other(error.to_string()))
}
