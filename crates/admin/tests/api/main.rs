//! API integration tests: the real server on an ephemeral port, real HTTP, real signing,
//! each test on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod admin;
mod auth;
mod bills;
mod budget_alerts;
mod budgets;
mod demo;
mod go_sdk;
mod helpers;
mod hostile;
mod operations;
mod planned_computes;
mod pricing;
mod rating_check;
mod raw_http;
mod rebuild;
mod replay;
mod replicas;
mod sdk;
mod seed_models;
mod unknown_input;
mod usages;
