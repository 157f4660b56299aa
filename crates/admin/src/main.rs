//! `scpfm`: the server and its admin commands. Exit codes: 0 ok, 1 failure, 2 usage.

use clap::Parser as _;
use scpfm_admin::cli::Cli;

/// mimalloc: requests allocate many small, short-lived strings; under load glibc's malloc
/// spent a visible share of server time and mimalloc serves them faster (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match scpfm_admin::commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
