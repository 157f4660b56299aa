//! The background jobs of the billing engine, started in one place (`scpfm serve` and the
//! tests that run whole servers share it). Every job is safe with several replicas on one database:
//! month close and contract renewal take the ingestion lock or are idempotent, the budget
//! evaluator leases each account, and the mail sender claims each mail.

use std::time::Duration;

use scpfm_config::Settings;

use crate::mail::sender::{self, SenderConfig};
use crate::mail::Mailer;
use crate::App;

/// How often planned compute contracts are renewed or expired.
const CONTRACT_LIFECYCLE_EVERY: Duration = Duration::from_secs(3600);
/// How often SQLite's write-ahead log is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

/// Starts every background job. Without a `mailer`, notification mail waits in the outbox.
pub fn spawn(app: &App, settings: &Settings, mailer: Option<Mailer>) {
    spawn_checkpoints(app.clone());
    crate::contract_lifecycle::spawn_job(app.clone(), CONTRACT_LIFECYCLE_EVERY);
    crate::month_close::spawn_job(
        app.clone(),
        settings.billing.close_after_hours,
        Duration::from_secs(settings.billing.close_check_seconds),
    );
    let every = settings.budgets.evaluate_every_seconds;
    crate::budget_evaluator::spawn_worker(
        app.clone(),
        (every > 0).then(|| Duration::from_secs(every)),
    );
    match mailer {
        Some(mailer) => {
            tracing::info!(mail.server = %mailer.server(), "budget mail goes through {}", mailer.server());
            sender::spawn(
                app.store.clone(),
                app.clock.clone(),
                mailer,
                SenderConfig::from_settings(&settings.mail, app.instance.to_string()),
                app.mail_due.clone(),
            );
        }
        None => tracing::warn!(
            "no SMTP server configured ([mail] host): budget notifications are recorded and \
             their mail waits in the outbox"
        ),
    }
}

/// SQLite: checkpoints the write-ahead log every few seconds, so reads find the pages they
/// need in the database file instead of searching a long log (a passive checkpoint waits for
/// nobody and costs nothing when there is nothing to copy).
fn spawn_checkpoints(app: App) {
    if app.store.engine() != scpfm_store::Engine::Sqlite {
        return;
    }
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(CHECKPOINT_EVERY);
        loop {
            ticker.tick().await;
            match app.store.checkpoint().await {
                Ok(Some((frames, copied))) if frames > 0 => {
                    tracing::debug!(
                        wal.frames = frames,
                        wal.checkpointed = copied,
                        "WAL checkpoint"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(error = %error, "WAL checkpoint failed"),
            }
        }
    });
}
