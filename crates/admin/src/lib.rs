//! The `scpfm` binary's side of the house: its command line ([`cli`]) and subcommands
//! ([`commands`]: serve, migrate, account, key, import, billing, budgets), thin glue over the
//! use cases of `scpfm-app` and the HTTP surface of `scpfm-server`; the demo organisation
//! ([`demo`]); a development SMTP sink ([`mail_sink`]); process logging ([`telemetry`]).

pub mod cli;
pub mod commands;
pub mod demo;
pub mod mail_sink;
pub mod telemetry;
