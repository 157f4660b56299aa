//! `scpfm serve [--listen ADDR] [--demo]`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::clock::Clock;
use crate::config::Settings;
use crate::serve::{serve, shutdown_signal};
use crate::state::AppState;

/// How often planned compute contracts are renewed or expired.
const CONTRACT_LIFECYCLE_EVERY: Duration = Duration::from_secs(3600);
/// How often expired replay signatures are removed from the database.
const SIGNATURE_PURGE_EVERY: Duration = Duration::from_secs(60);

/// Runs the server until SIGTERM/SIGINT.
pub async fn run(
    args: ServeArgs,
    mut settings: Settings,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<()> {
    if let Some(listen) = args.listen {
        settings.server.listen = listen;
    }
    let catalog = Arc::new(
        crate::catalog_file::load(settings.catalog.path.as_deref())
            .context("loading the price catalogue")?,
    );
    tracing::info!("{}", super::catalog_summary(&catalog));
    let store = super::open(&settings).await?;
    tracing::info!(
        database = %scpfm_store::db::redact_url(&settings.database.url),
        engine = ?store.engine(),
        "database ready"
    );
    let listener = TcpListener::bind(settings.server.listen)
        .await
        .with_context(|| format!("listening on {}", settings.server.listen))?;
    let local = listener.local_addr()?;
    if args.demo {
        let accounts = crate::demo::seed(&store, clock.now())
            .await
            .context("seeding the demo organisation")?;
        let contracts = crate::demo_contracts::seed(&store, &catalog, &accounts, clock.now())
            .await
            .map_err(|error| anyhow::anyhow!("seeding the demo contracts: {error:?}"))?;
        eprintln!("demo planned compute contracts: {contracts} new");
        eprintln!("loading the demo usage history (first start: a few seconds)…");
        let usage = crate::demo_usage::seed(&store, Arc::clone(&catalog), &accounts, clock.now())
            .await
            .map_err(|error| anyhow::anyhow!("seeding the demo usage history: {error:?}"))?;
        eprintln!(
            "demo usage history: {} records, {} new ({} KRW)",
            usage.received,
            usage.stored,
            crate::wire::fixed(usage.amount.krw, 0)
        );

        let billing = crate::demo_billing::seed(&store, &catalog, &accounts, clock.now())
            .await
            .map_err(|error| anyhow::anyhow!("seeding the demo bills: {error:?}"))?;
        eprintln!(
            "demo bills: {} month(s) closed now, {} payment(s) recorded now",
            billing.closed.len(),
            billing.payments
        );
        let scpcli = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("scpcli")))
            .filter(|path| path.exists())
            .map_or_else(|| "scpcli".to_owned(), |path| path.display().to_string());
        println!(
            "{}",
            crate::demo::instructions(&accounts, &format!("http://{local}"), &scpcli)
        );
    }
    let state = AppState::new(store.clone(), Arc::clone(&clock), &settings, catalog);
    spawn_signature_purge(state.clone());
    crate::contract_lifecycle::spawn_job(state.clone(), CONTRACT_LIFECYCLE_EVERY);
    crate::month_close::spawn_job(
        state.clone(),
        settings.billing.close_after_hours,
        Duration::from_secs(settings.billing.close_check_seconds),
    );
    tracing::info!(listen = %local, "scpfm listening on http://{local}");
    serve(
        listener,
        state,
        shutdown_signal(),
        Duration::from_secs(settings.server.shutdown_grace_seconds),
    )
    .await
    .context("serving HTTP")?;
    tracing::info!("scpfm stopped");
    Ok(())
}

/// Forgets expired signatures of the database replay guard every minute.
fn spawn_signature_purge(state: AppState) {
    if !matches!(
        *state.replay,
        crate::auth::replay::ReplayGuard::Database(..)
    ) {
        return;
    }
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(SIGNATURE_PURGE_EVERY);
        loop {
            ticker.tick().await;
            if let Err(error) = state
                .store
                .forget_expired_signatures(state.clock.now())
                .await
            {
                tracing::warn!(error = %error, "could not purge expired signatures");
            }
        }
    });
}
