//! The wire contract of SCP Financial Management: every request and response body.
//!
//! These are the only JSON shapes in scpfm. The server, the typed client and `scpcli` all use
//! them, so what the server writes is exactly what clients read. Field names, nesting and
//! value types follow SCP's API reference; where the reference is silent the choice is
//! recorded in `docs/API.md`.
//!
//! Request bodies hold `Option`s for every field, required ones included: the server reports
//! a missing field with its name in the request's language instead of a parser message.
//! Responses hold plain values, already formatted for the wire (see [`wire_time`]).
//!
//! With the `openapi` feature every type also derives its OpenAPI schema.

pub mod bill;
pub mod billing_plan;
pub mod budget;
pub mod budget_status;
pub mod common;
pub mod cost;
pub mod display;
pub mod error;
pub mod health;
pub mod pricing;
pub mod usage;
pub mod wire_time;
