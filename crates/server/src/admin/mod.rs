//! scpfm's admin API (`/v1/admin/*`): operations for operators, not part of SCP's API.
//! Every operation needs an access key created with `scpfm key create --admin`.

mod adjustments;
mod usage_records;

pub use adjustments::{__path_load_bill_adjustments, load_bill_adjustments};
pub use usage_records::{__path_ingest_usage_records, ingest_usage_records, parse_body};
