//! The scpfm server: SCP Financial Management over HTTP, and its admin commands.
//!
//! - [`app`] builds the router: every service behind SCP signature authentication, one error
//!   envelope, request ids and structured logs;
//! - [`serve`] runs it with graceful shutdown, [`demo`] seeds the demo organisation;
//! - [`commands`] are the `scpfm` subcommands (`serve`, `account`, `key`, `migrate`).
//!
//! This is the only crate that knows HTTP status codes. Handlers convert wire types to domain
//! types, call the store and map results back; the rules live in `scpfm-domain`.

pub mod adjustments;
pub mod admin;
pub mod api_version;
pub mod app;
pub mod auth;
pub mod billing_plan;
pub mod body_limit;
pub mod budget_evaluator;
pub mod budgets;
pub mod catalog_file;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod contract_lifecycle;
pub mod cost_explorer;
pub mod demo;
pub mod demo_billing;
pub mod demo_budgets;
pub mod demo_contracts;
pub mod demo_mailbox;
pub mod demo_usage;
pub mod error;
pub mod extract;
pub mod health;
pub mod i18n;
pub mod ingest;
pub mod input;
pub mod jobs;
pub mod json;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod metrics_http;
pub mod month_close;
pub mod openapi;
pub mod prevention;
pub mod pricing;
pub mod provisioning;
pub mod routes;
pub mod serve;
pub mod state;
pub mod telemetry;
pub mod wire;

pub use app::app;
pub use state::AppState;
