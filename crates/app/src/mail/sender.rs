//! The outbox sender: claims due mail, sends it through SMTP, marks it, and retries failures
//! with exponential backoff.
//!
//! Delivery is **at least once** by default: a mail is recorded (with its notification)
//! before it is sent and marked after the SMTP server accepted it; a sender that dies in
//! between leaves a claim that expires, and the mail is sent again. The only duplicate is
//! therefore a mail the SMTP server accepted in the instant before the mark was written, and
//! it carries the same `Message-ID`. `mail.delivery = "at-most-once"` marks such mail
//! `UNCERTAIN` instead and never sends it twice. Refused or timed-out attempts are never
//! lost: temporary failures are retried until they succeed, permanent ones (5xx) up to
//! `mail.max_attempts` times.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use scpfm_store::mail_outbox::Retry;
use scpfm_store::{Store, StoreError};
use tokio::sync::Notify;

use super::smtp::{Mailer, SendFailure};
use crate::clock::Clock;
use scpfm_config::{MailDelivery, MailSettings};

/// Mails claimed at a time.
const BATCH: u32 = 10;

/// How the sender behaves.
#[derive(Debug, Clone)]
pub struct SenderConfig {
    /// This sender's name in the outbox's claims (unique per process).
    pub holder: String,
    /// Wait before the first retry.
    pub retry_initial: Duration,
    /// Longest wait between retries.
    pub retry_max: Duration,
    /// Attempts after which a permanently refused mail is given up.
    pub max_attempts: u32,
    /// Whether mail a dead sender had claimed is sent again.
    pub delivery: MailDelivery,
    /// How long a claim lasts: longer than sending a whole batch can take.
    pub claim_for: chrono::Duration,
    /// How often due mail is looked for when nothing nudges the sender.
    pub poll: Duration,
}

impl SenderConfig {
    /// The sender `settings` describe.
    pub fn from_settings(settings: &MailSettings, holder: String) -> Self {
        let timeout = i64::try_from(settings.timeout_seconds.max(1)).unwrap_or(i64::MAX / 8);
        Self {
            holder,
            retry_initial: Duration::from_secs(settings.retry_initial_seconds.max(1)),
            retry_max: Duration::from_secs(settings.retry_max_seconds.max(1)),
            max_attempts: settings.max_attempts.max(1),
            delivery: settings.delivery,
            // A mail's send can take a few timeouts (connect, each command): claim for three
            // per mail of a batch, at least a minute.
            claim_for: chrono::Duration::seconds(
                timeout.saturating_mul(3 * i64::from(BATCH)).max(60),
            ),
            poll: Duration::from_secs(settings.poll_seconds.max(1)),
        }
    }
}

/// The wait before the next attempt of a mail that has failed `failures` times (≥ 1):
/// `initial`, doubled with each further failure, at most `max`.
pub fn retry_delay(failures: u32, initial: Duration, max: Duration) -> Duration {
    let doublings = failures.saturating_sub(1).min(31);
    initial
        .checked_mul(1u32 << doublings)
        .unwrap_or(max)
        .min(max)
}

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryRun {
    /// Mails the SMTP server accepted.
    pub sent: usize,
    /// Mails that failed and wait for another attempt.
    pub retrying: usize,
    /// Mails given up.
    pub failed: usize,
    /// Claims of a dead sender released (for resending or marked uncertain).
    pub released: u64,
}

/// Sends every mail due now: releases claims of dead senders, then claims and sends due mail
/// in batches until none is left.
pub async fn deliver_due(
    store: &Store,
    mailer: &Mailer,
    config: &SenderConfig,
    clock: &dyn Clock,
) -> Result<DeliveryRun, StoreError> {
    let mut run = DeliveryRun {
        released: store
            .release_stale_mail_claims(clock.now(), config.delivery == MailDelivery::AtLeastOnce)
            .await?,
        ..DeliveryRun::default()
    };
    if run.released > 0 {
        tracing::warn!(
            mail.released = run.released,
            "released {} mail(s) a stopped sender had claimed",
            run.released
        );
    }
    loop {
        let now = clock.now();
        let claimed = store
            .claim_due_mail(&config.holder, now, now + config.claim_for, BATCH)
            .await?;
        if claimed.is_empty() {
            return Ok(run);
        }
        for mail in claimed {
            match mailer.send(&mail).await {
                Ok(()) => {
                    store
                        .mark_mail_sent(mail.seq, &config.holder, clock.now())
                        .await?;
                    run.sent += 1;
                    tracing::info!(
                        mail.seq = mail.seq,
                        mail.message_id = %mail.message_id,
                        "sent budget mail {}",
                        mail.seq
                    );
                }
                Err(failure) => {
                    let retry = retry_after(&failure, mail.attempts + 1, config, clock.now());
                    store
                        .mark_mail_failed(mail.seq, &config.holder, &failure.message, retry)
                        .await?;
                    match retry {
                        Retry::At(at) => {
                            run.retrying += 1;
                            tracing::warn!(
                                mail.seq = mail.seq,
                                mail.attempts = mail.attempts + 1,
                                error = %failure.message,
                                "budget mail not sent through {}; retrying at {at}",
                                mailer.server()
                            );
                        }
                        Retry::GiveUp => {
                            run.failed += 1;
                            tracing::error!(
                                mail.seq = mail.seq,
                                mail.attempts = mail.attempts + 1,
                                error = %failure.message,
                                "budget mail refused permanently; given up"
                            );
                        }
                    }
                }
            }
        }
    }
}

fn retry_after(
    failure: &SendFailure,
    failures: u32,
    config: &SenderConfig,
    now: DateTime<Utc>,
) -> Retry {
    if failure.permanent && failures >= config.max_attempts {
        return Retry::GiveUp;
    }
    let delay = retry_delay(failures, config.retry_initial, config.retry_max);
    Retry::At(now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX))
}

/// Runs [`deliver_due`] whenever `nudge` fires and every `config.poll`, until the process
/// ends.
pub fn spawn(
    store: Store,
    clock: Arc<dyn Clock>,
    mailer: Mailer,
    config: SenderConfig,
    nudge: Arc<Notify>,
) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = deliver_due(&store, &mailer, &config, clock.as_ref()).await {
                tracing::warn!(error = %error, "mail delivery run failed");
            }
            tokio::select! {
                () = nudge.notified() => {}
                () = tokio::time::sleep(config.poll) => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let (initial, max) = (Duration::from_secs(30), Duration::from_secs(3600));
        let waits: Vec<u64> = (1..=9)
            .map(|failures| retry_delay(failures, initial, max).as_secs())
            .collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(u32::MAX, initial, max), max);
    }

    #[test]
    fn only_permanent_failures_are_given_up() {
        let config = SenderConfig::from_settings(&MailSettings::default(), "t".into());
        let now = DateTime::UNIX_EPOCH;
        let permanent = SendFailure {
            permanent: true,
            message: "550".into(),
        };
        let transient = SendFailure {
            permanent: false,
            message: "421".into(),
        };
        assert_eq!(retry_after(&permanent, 10, &config, now), Retry::GiveUp);
        assert!(matches!(
            retry_after(&permanent, 9, &config, now),
            Retry::At(_)
        ));
        assert_eq!(
            retry_after(&transient, 1_000, &config, now),
            Retry::At(now + chrono::Duration::seconds(3600))
        );
    }
}
