//! The domain core of scpfm: SCP Financial Management's rules, as pure functions and types.
//!
//! Everything here computes a value or returns a domain error. Nothing here performs IO:
//! no tokio, sqlx, axum, reqwest or serde, and no reading of the clock or the environment —
//! callers pass `now` where a rule needs it. That keeps the rules testable to the last won.
//!
//! - [`validation`]: structured field problems, rendered into sentences by the server;
//! - [`ids`], [`month`], [`email`]: the small validated values every service uses;
//! - [`listing`]: sort keys and pages, shared by every list operation;
//! - [`account`]: accounts and access keys;
//! - [`budget`]: account budgets and their notification and prevention settings;
//! - [`catalog`], [`rating`], [`rounding`], [`money`]: prices and how usage is priced;
//! - [`usage`]: checked usage records;
//! - [`bill`]: bill components, adjustments and payment states.

pub mod account;
pub mod bill;
pub mod budget;
pub mod budget_eval;
pub mod catalog;
pub mod code;
pub mod component;
pub mod contract_charges;
pub mod cost;
pub mod coverage;
pub mod decimal_text;
pub mod email;
pub mod focus;
pub mod forecast;
pub mod ids;
pub mod listing;
pub mod money;
pub mod month;
pub mod planned_compute;
pub mod rating;
pub mod rounding;
pub mod tags;
pub mod usage;
pub mod validation;
