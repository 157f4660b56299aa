//! `scpfm`: the server and its admin commands. Exit codes: 0 ok, 1 failure, 2 usage.

use clap::Parser as _;
use scpfm_server::cli::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match scpfm_server::commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
