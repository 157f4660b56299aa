//! The `scpfm` subcommands. Each opens the database named by the settings, so they work on
//! the same `DATABASE_URL` as a running server.

mod account;
mod billing;
mod budgets;
mod export;
pub mod import;
mod key;
mod serve;

use std::sync::Arc;

use anyhow::Context as _;
use scpfm_store::Store;

use crate::cli::{
    BillsCommand, CatalogCommand, Cli, Command, ExportCommand, ImportCommand, MonthCommand,
    PaymentCommand, PlannedComputeCommand,
};
use scpfm_app::clock::Clock;
use scpfm_config::Settings;

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        settings.database.url = url;
    }
    crate::telemetry::init(settings.log.format);
    match cli.command {
        Command::Serve(args) => serve::run(args, settings).await,
        Command::Catalog(CatalogCommand::Validate { file }) => {
            let catalog = scpfm_app::catalog_file::load(Some(&file))?;
            println!("{}: {}", file.display(), catalog_summary(&catalog));
            Ok(())
        }
        Command::MailSink(args) => budgets::mail_sink(args).await,
        command => {
            let store = open(&settings).await?;
            // The database's time: a demo database's demo time, or `[clock] start`.
            let clock =
                scpfm_app::clock::for_database(settings.clock.start.as_deref(), &store).await?;
            run_on_database(command, &settings, &store, clock.as_ref()).await
        }
    }
}

/// Runs a command that works on the configured database.
async fn run_on_database(
    command: Command,
    settings: &Settings,
    store: &Store,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let catalog = || scpfm_app::catalog_file::load(settings.catalog.path.as_deref());
    match command {
        Command::Account(command) => account::run(command, store, clock).await,
        Command::Key(command) => {
            let key_cache = std::time::Duration::from_secs(settings.auth.key_cache_seconds);
            key::run(command, store, clock, key_cache).await
        }
        Command::Import(ImportCommand::Usage {
            file,
            format,
            batch_size,
            commit_every,
        }) => {
            let accounts = import::run(
                store,
                Arc::new(catalog()?),
                clock,
                file,
                format,
                import::Sizes {
                    batch: batch_size.map(|size| size as usize),
                    commit_every: commit_every.map(|records| records as usize),
                },
            )
            .await?;
            // The imported cost may have crossed budget thresholds.
            let run = budgets::evaluate(store, settings, clock, Some(accounts)).await?;
            if run.budgets.is_empty() {
                return Ok(());
            }
            budgets::report(&run);
            budgets::send_due(store, settings, clock).await
        }
        Command::Import(ImportCommand::Adjustments { file }) => {
            billing::import_adjustments(store, &catalog()?, clock, &file).await
        }
        Command::Month(MonthCommand::Close { month }) => {
            billing::close(store, &catalog()?, clock, &month).await
        }
        Command::Bills(BillsCommand::Rebuild { month }) => {
            billing::rebuild(store, &catalog()?, clock, &month).await
        }
        Command::Payment(PaymentCommand::Record {
            account,
            month,
            amount,
            date,
        }) => {
            billing::record_payment(store, clock, &account, &month, &amount, date.as_deref()).await
        }
        Command::PlannedCompute(PlannedComputeCommand::Renew) => {
            let run = scpfm_app::contract_lifecycle::renew_due(store, clock.now()).await?;
            for (_, contract) in &run.renewed {
                println!("{contract}: renewed into its next term");
            }
            for (_, contract) in &run.expired {
                println!("{contract}: expired");
            }
            println!(
                "{} renewed, {} expired",
                run.renewed.len(),
                run.expired.len()
            );
            Ok(())
        }
        Command::Budgets(command) => budgets::run(command, store, settings, clock).await,
        Command::Export(ExportCommand::Focus {
            billing_period,
            account,
            focus_version,
            out,
        }) => {
            let args = export::FocusExportArgs {
                billing_period: &billing_period,
                account: account.as_deref(),
                version: &focus_version,
                out: &out,
            };
            export::focus(store, &catalog()?, args).await
        }
        Command::Migrate => {
            println!(
                "migrations applied to {}",
                scpfm_store::db::redact_url(&settings.database.url)
            );
            Ok(())
        }
        Command::Serve(_) | Command::Catalog(_) | Command::MailSink(_) => {
            anyhow::bail!("this command does not work on the database")
        }
    }
}

/// Opens the configured database, applying migrations.
pub async fn open(settings: &Settings) -> anyhow::Result<Store> {
    Store::open(&settings.database.url).await.with_context(|| {
        format!(
            "opening {}",
            scpfm_store::db::redact_url(&settings.database.url)
        )
    })
}

/// One line describing a loaded catalogue.
pub fn catalog_summary(catalog: &scpfm_domain::catalog::Catalog) -> String {
    let derived = catalog.prices.iter().filter(|price| price.derived).count();
    format!(
        "catalogue {} is consistent: {} services, {} server types, {} OS types, {} contract types, \
         {} billing items, {} prices ({} derived planned compute prices)",
        catalog.version,
        catalog.services.len(),
        catalog.server_types.len(),
        catalog.os_types.len(),
        catalog.contract_types.len(),
        catalog.billing_items.len(),
        catalog.prices.len(),
        derived
    )
}

/// Prints a value as pretty JSON on stdout.
fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
