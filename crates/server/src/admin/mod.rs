//! scpfm's admin API (`/v1/admin/*`): operations for operators, not part of SCP's API.
//! Every operation needs an access key created with `scpfm key create --admin`.

mod adjustments;
mod usage_records;

pub use adjustments::{__path_load_bill_adjustments, load_bill_adjustments};
pub use usage_records::{__path_ingest_usage_records, ingest_usage_records, parse_body};

use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use axum::Router;

use crate::state::AppState;

/// Largest admin request body: 10,000 records of a few hundred bytes each, with room.
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The admin routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/usage-records", post(ingest_usage_records))
        .route("/v1/admin/bill-adjustments", post(load_bill_adjustments))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
