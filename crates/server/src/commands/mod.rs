//! The `scpfm` subcommands. Each opens the database named by the settings, so they work on
//! the same `DATABASE_URL` as a running server.

mod account;
mod billing;
pub mod import;
mod key;
mod serve;

use std::sync::Arc;

use anyhow::Context as _;
use scpfm_store::Store;

use crate::cli::{
    BillsCommand, CatalogCommand, Cli, Command, ImportCommand, MonthCommand, PaymentCommand,
    PlannedComputeCommand,
};
use crate::clock::{Clock, SystemClock};
use crate::config::Settings;

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(url) = cli.database_url {
        settings.database.url = url;
    }
    crate::telemetry::init(settings.log.format);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::Serve(args) => serve::run(args, settings, clock).await,
        Command::Account(command) => {
            account::run(command, &open(&settings).await?, clock.as_ref()).await
        }
        Command::Key(command) => {
            let key_cache = std::time::Duration::from_secs(settings.auth.key_cache_seconds);
            key::run(command, &open(&settings).await?, clock.as_ref(), key_cache).await
        }
        Command::Catalog(CatalogCommand::Validate { file }) => {
            let catalog = crate::catalog_file::load(Some(&file))?;
            println!("{}: {}", file.display(), catalog_summary(&catalog));
            Ok(())
        }
        Command::Import(ImportCommand::Usage {
            file,
            format,
            batch_size,
        }) => {
            let catalog =
                std::sync::Arc::new(crate::catalog_file::load(settings.catalog.path.as_deref())?);
            let store = open(&settings).await?;
            import::run(
                &store,
                catalog,
                clock.as_ref(),
                file,
                format,
                batch_size as usize,
            )
            .await
        }
        Command::Import(ImportCommand::Adjustments { file }) => {
            let catalog = crate::catalog_file::load(settings.catalog.path.as_deref())?;
            let store = open(&settings).await?;
            billing::import_adjustments(&store, &catalog, clock.as_ref(), &file).await
        }
        Command::Month(MonthCommand::Close { month }) => {
            let catalog = crate::catalog_file::load(settings.catalog.path.as_deref())?;
            billing::close(&open(&settings).await?, &catalog, clock.as_ref(), &month).await
        }
        Command::Bills(BillsCommand::Rebuild { month }) => {
            let catalog = crate::catalog_file::load(settings.catalog.path.as_deref())?;
            billing::rebuild(&open(&settings).await?, &catalog, clock.as_ref(), &month).await
        }
        Command::Payment(PaymentCommand::Record {
            account,
            month,
            amount,
            date,
        }) => {
            let store = open(&settings).await?;
            billing::record_payment(
                &store,
                clock.as_ref(),
                &account,
                &month,
                &amount,
                date.as_deref(),
            )
            .await
        }
        Command::PlannedCompute(PlannedComputeCommand::Renew) => {
            let store = open(&settings).await?;
            let run = crate::contract_lifecycle::renew_due(&store, clock.now()).await?;
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
        Command::Migrate => {
            open(&settings).await?;
            println!(
                "migrations applied to {}",
                scpfm_store::db::redact_url(&settings.database.url)
            );
            Ok(())
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
