//! API integration tests: the real server on an ephemeral port, real HTTP, real signing,
//! each test on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

// A folder per service of the route table, then the concerns that cut across them.
mod admin;
mod billing_plan;
mod budget;
mod console;
mod cost_explorer;
mod pricing;

mod auth;
mod demo;
mod helpers;
mod input;
mod operations;
mod raw_http;
mod replicas;
mod sdk;
