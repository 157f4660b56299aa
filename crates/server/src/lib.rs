//! scpfm's HTTP surface: SCP Financial Management's four REST services over the use cases of
//! `scpfm-app`.
//!
//! - [`routes`] is the one route table (every operation, its handler and its service);
//!   [`app`] wraps it in the shared layers, [`serve`] runs it (connection limits, graceful
//!   shutdown);
//! - [`auth`] checks SCP signatures, [`extract`] and [`input`] read requests (unknown names
//!   and control characters refused), [`error`] is the error envelope;
//! - one module per service, one file per operation: [`budgets`], [`billing_plan`],
//!   [`cost_explorer`], [`pricing`], and the admin API in [`admin`].
//!
//! This is the only crate that knows HTTP status codes. Handlers extract, convert wire types
//! to domain types, call a use case or the store, and map the result back.

pub mod admin;
pub mod api_version;
pub mod app;
pub mod auth;
pub mod billing_plan;
pub mod body_limit;
pub mod budgets;
pub mod cost_explorer;
pub mod error;
pub mod extract;
pub mod health;
pub mod i18n;
pub mod input;
pub mod json;
pub mod links;
pub mod metrics_http;
pub mod openapi;
pub mod paging;
pub mod pricing;
pub mod routes;
pub mod serve;
pub mod state;
pub mod wire;

pub use app::{api_routes, app, layered};
pub use state::AppState;
