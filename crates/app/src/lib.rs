//! scpfm's use cases — what the billing engine does, whoever asks: usage ingestion,
//! adjustments, month close, the planned-compute lifecycle, budget evaluation and
//! prevention, and the notification mail outbox with its sender.
//!
//! Everything here speaks domain types and [`AppError`]; nothing knows HTTP. The HTTP surface
//! (`scpfm-server`) and the admin commands (`scpfm-admin`) call these functions with an
//! [`App`], the process's shared context.

pub mod accounts;
pub mod adjustments;
pub mod app;
pub mod budget_evaluator;
pub mod catalog_file;
pub mod clock;
pub mod contract_lifecycle;
pub mod contracts;
pub mod cost_analysis;
pub mod coverage_report;
pub mod error;
pub mod ingest;
pub mod jobs;
pub mod mail;
pub mod metrics;
pub mod month_close;
pub mod prevention;
pub mod provisioning;

pub use app::App;
pub use error::AppError;
