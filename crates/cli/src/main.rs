//! `scpcli`: the SCP command-line client for Financial Management.
//!
//! Parses the command line, resolves credentials and endpoint (see [`profile`]), builds the
//! request from the command's flags, sends it signed through `scpfm-client` and prints the
//! result as JSON or a table. Exit codes: 0 ok, 1 the API refused, 2 usage/config/network.

mod args;
mod billing_plan;
mod budget;
mod configure;
mod cost_analysis;
mod cost_explorer;
mod output;
mod page_flags;
mod pricing;
mod profile;
mod values;

use std::process::ExitCode;

use clap::Parser as _;
use scpfm_client::{Client, ClientConfig};

use crate::args::{Cli, Service};
use crate::output::{report, EXIT_USAGE};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Service::Configure(args) = &cli.service {
        return match configure::run(&cli.global, args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::from(EXIT_USAGE)
            }
        };
    }
    let resolved = match profile::resolve(&cli.global) {
        Ok(resolved) => resolved,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut config = ClientConfig::new(resolved.endpoint, resolved.access_key, resolved.secret_key);
    config.account_id = resolved.account_id;
    config.language = resolved.language;
    config.debug = cli.global.debug;
    let client = match Client::new(config) {
        Ok(client) => client,
        Err(error) => return ExitCode::from(report(&error)),
    };
    let outcome = match cli.service {
        Service::Billingplan(command) => billing_plan::run(command, &client, resolved.output).await,
        Service::Budget(command) => budget::run(command, &client, resolved.output).await,
        Service::Pricing(command) => pricing::run(command, &client, resolved.output).await,
        Service::Costexplorer(command) => {
            cost_explorer::run(command, &client, resolved.output).await
        }
        Service::Configure(_) => Ok(()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => ExitCode::from(report(&error)),
    }
}
