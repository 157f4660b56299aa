//! `scpfm serve [--listen ADDR] [--demo]`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpListener;

use scpfm_store::demo_clock::DemoClock;

use crate::cli::ServeArgs;
use scpfm_app::clock::{Clock, SystemClock};
use scpfm_config::Settings;
use scpfm_server::serve::{serve, shutdown_signal};
use scpfm_server::AppState;

/// Runs the server until SIGTERM/SIGINT.
pub async fn run(args: ServeArgs, mut settings: Settings) -> anyhow::Result<()> {
    if let Some(listen) = args.listen {
        settings.server.listen = listen;
    }
    let catalog = Arc::new(
        scpfm_app::catalog_file::load(settings.catalog.path.as_deref())
            .context("loading the price catalogue")?,
    );
    tracing::info!("{}", super::catalog_summary(&catalog));
    let store = super::open(&settings).await?;
    tracing::info!(
        database = %scpfm_store::db::redact_url(&settings.database.url),
        engine = ?store.engine(),
        "database ready"
    );
    if args.demo && settings.clock.start.is_none() {
        // A new demo database starts at demo time; an existing one keeps its own.
        store
            .record_demo_clock(DemoClock {
                demo_start: crate::demo::demo_start(),
                started_at: chrono::Utc::now(),
            })
            .await?;
    }
    let clock = scpfm_app::clock::for_database(settings.clock.start.as_deref(), &store).await?;
    if args.demo || settings.clock.start.is_some() {
        tracing::info!(
            "the clock reads {} (KST): {}",
            scpfm_api_types::wire_time::budget_timestamp(clock.now()),
            if settings.clock.start.is_some() {
                "[clock] start"
            } else {
                "demo time"
            }
        );
    }
    let listener = TcpListener::bind(settings.server.listen)
        .await
        .with_context(|| format!("listening on {}", settings.server.listen))?;
    let local = listener.local_addr()?;
    // Kept until the server stops: the demo's mailbox when no SMTP server is configured.
    let mut demo_mailbox = None;
    if args.demo {
        let accounts = seed_demo(&store, &catalog, clock.as_ref()).await?;
        if settings.mail.host.is_none() {
            let (sink, mail) = crate::demo::mailbox::start(&settings.mail).await?;
            settings.mail = mail;
            demo_mailbox = Some(sink);
        }
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
    let mailer = scpfm_app::mail::Mailer::from_settings(&settings.mail)?;
    // Clients sign with the real time, whatever time the server bills in.
    let state = AppState::new(store.clone(), Arc::clone(&clock), &settings, catalog)
        .with_auth_clock(Arc::new(SystemClock));
    scpfm_app::jobs::spawn(&state, &settings, mailer);
    scpfm_server::auth::replay::spawn_purge(state.replay.as_deref(), state.auth_clock.clone());
    if settings.metrics.enabled {
        if let Some(metrics_listen) = settings.metrics.listen {
            let metrics_listener = TcpListener::bind(metrics_listen)
                .await
                .with_context(|| format!("listening for /metrics on {metrics_listen}"))?;
            tracing::info!(listen = %metrics_listen, "metrics on http://{metrics_listen}/metrics");
            scpfm_server::serve::spawn_metrics_listener(metrics_listener, state.clone());
        }
    }
    warn_without_public_url(&settings);
    tracing::info!(listen = %local, "scpfm listening on http://{local}");
    let app = scpfm_console::app(state.clone(), &settings.console);
    if settings.console.enabled {
        tracing::info!("console on http://{local}/console/");
    }
    serve(
        listener,
        state,
        app,
        shutdown_signal(),
        Duration::from_secs(settings.server.shutdown_grace_seconds),
    )
    .await
    .context("serving HTTP")?;
    drop(demo_mailbox);
    tracing::info!("scpfm stopped");
    Ok(())
}

/// Without `server.public_url`, a signature is checked against the URL the request names
/// (`Host`, `X-Forwarded-Host`): behind a proxy that does not set them, or reachable from other
/// machines, a request signed for another host verifies too. Say so when that can happen.
fn warn_without_public_url(settings: &Settings) {
    if settings.server.public_url.is_none() && !settings.server.listen.ip().is_loopback() {
        tracing::warn!(
            listen = %settings.server.listen,
            "listening beyond loopback without server.public_url: signatures are verified \
             against the Host and X-Forwarded-Host each request names; set \
             SCPFM_SERVER__PUBLIC_URL to the URL clients call (see the README, behind a proxy)"
        );
    }
}

/// Seeds the demo organisation: accounts and keys, contracts, usage history, bills and
/// payments, then budgets sized against that history.
async fn seed_demo(
    store: &scpfm_store::Store,
    catalog: &Arc<scpfm_domain::catalog::Catalog>,
    clock: &dyn Clock,
) -> anyhow::Result<Vec<crate::demo::DemoAccount>> {
    let accounts = crate::demo::seed(store, clock.now())
        .await
        .context("seeding the demo organisation")?;
    let contracts = crate::demo::contracts::seed(store, catalog, &accounts, clock.now())
        .await
        .map_err(|error| anyhow::anyhow!("seeding the demo contracts: {error:?}"))?;
    eprintln!("demo planned compute contracts: {contracts} new");
    eprintln!("loading the demo usage history (first start: a few seconds)…");
    let usage = crate::demo::usage::seed(store, Arc::clone(catalog), &accounts, clock.now())
        .await
        .map_err(|error| anyhow::anyhow!("seeding the demo usage history: {error:?}"))?;
    eprintln!(
        "demo usage history: {} records, {} new ({} KRW)",
        usage.received,
        usage.stored,
        scpfm_domain::decimal_text::fixed(usage.amount.krw, 0)
    );
    let billing = crate::demo::billing::seed(store, catalog, &accounts, clock.now())
        .await
        .map_err(|error| anyhow::anyhow!("seeding the demo bills: {error:?}"))?;
    eprintln!(
        "demo bills: {} month(s) closed now, {} payment(s) recorded now",
        billing.closed.len(),
        billing.payments
    );
    let budgets = crate::demo::budgets::seed(store, &accounts, clock.now())
        .await
        .context("seeding the demo budgets")?;
    eprintln!("demo budgets: {budgets} new");
    Ok(accounts)
}
