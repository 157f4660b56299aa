//! The mail outbox: mail recorded in the transaction that decided it, claimed by one sender
//! at a time, marked when the SMTP server accepted it.
//!
//! A sender claims due rows (`PENDING` → `SENDING`, with its name and a claim deadline;
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL so replicas claim disjoint rows), sends each, and
//! marks it `SENT`, or back to `PENDING` with a later attempt time, or `FAILED` once it gives
//! up. A claim whose deadline passed belongs to a sender that died mid-send: it is released to
//! `PENDING` (at-least-once delivery) or set `UNCERTAIN` (at-most-once), as configured.

use chrono::{DateTime, Utc};

use crate::codec::{instant, micros};
use crate::db::{Engine, Executor, Value};
use crate::{Store, StoreError};

/// Where a mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailState {
    /// Waiting for its next attempt.
    Pending,
    /// Claimed by a sender.
    Sending,
    /// Accepted by the SMTP server.
    Sent,
    /// Given up after permanent failures.
    Failed,
    /// A sender died while sending it and delivery is at most once: not sent again.
    Uncertain,
}

impl MailState {
    /// Every state.
    pub const ALL: [Self; 5] = [
        Self::Pending,
        Self::Sending,
        Self::Sent,
        Self::Failed,
        Self::Uncertain,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Sending => "SENDING",
            Self::Sent => "SENT",
            Self::Failed => "FAILED",
            Self::Uncertain => "UNCERTAIN",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == code)
    }
}

/// A claimed mail, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    /// Its number.
    pub seq: i64,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// `Message-ID`, the same on every attempt.
    pub message_id: String,
    /// Attempts before this one.
    pub attempts: u32,
    /// When it was queued (the `Date` of the message).
    pub created_at: DateTime<Utc>,
}

/// What to do with a mail whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this instant.
    At(DateTime<Utc>),
    /// Give up: the mail is `FAILED`.
    GiveUp,
}

/// How many mails are in each state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxCounts(pub Vec<(MailState, u64)>);

impl OutboxCounts {
    /// The count of `state`.
    pub fn of(&self, state: MailState) -> u64 {
        self.0
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0, |(_, n)| *n)
    }
}

fn map_mail(row: &dyn crate::db::Row) -> Result<OutboxMail, StoreError> {
    Ok(OutboxMail {
        seq: row.int(0)?,
        recipient: row.text(1)?,
        subject: row.text(2)?,
        body: row.text(3)?,
        message_id: row.text(4)?,
        attempts: crate::codec::valid("attempts", u32::try_from(row.int(5)?))?,
        created_at: instant(row.int(6)?)?,
    })
}

impl Store {
    /// Releases claims whose deadline passed before `now` (their sender died mid-send): back
    /// to `PENDING` when `resend`, else `UNCERTAIN`. Returns how many.
    pub async fn release_stale_mail_claims(
        &self,
        now: DateTime<Utc>,
        resend: bool,
    ) -> Result<u64, StoreError> {
        let to = if resend {
            MailState::Pending
        } else {
            MailState::Uncertain
        };
        (&self.db)
            .execute(
                "UPDATE mail_outbox SET state = $1, claimed_by = NULL, claimed_until = NULL, \
                 last_error = 'the sender stopped while sending' \
                 WHERE state = $2 AND claimed_until < $3",
                &[
                    Value::Text(to.as_str()),
                    Value::Text(MailState::Sending.as_str()),
                    Value::Int(micros(now)),
                ],
            )
            .await
    }

    /// Claims up to `limit` mails due at `now` for `holder` until `until`, oldest first.
    pub async fn claim_due_mail(
        &self,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboxMail>, StoreError> {
        let mut tx = self.db.begin().await?;
        let skip_locked = match tx.engine() {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let claimed = tx
            .query_all(
                &format!(
                    "UPDATE mail_outbox SET state = $1, claimed_by = $2, claimed_until = $3 \
                     WHERE state = $4 AND seq IN (SELECT seq FROM mail_outbox \
                     WHERE state = $4 AND next_attempt_at <= $5 \
                     ORDER BY next_attempt_at, seq LIMIT $6{skip_locked}) \
                     RETURNING seq, recipient, subject, body, message_id, attempts, created_at"
                ),
                &[
                    Value::Text(MailState::Sending.as_str()),
                    Value::Text(holder),
                    Value::Int(micros(until)),
                    Value::Text(MailState::Pending.as_str()),
                    Value::Int(micros(now)),
                    Value::Int(i64::from(limit)),
                ],
                map_mail,
            )
            .await?;
        tx.commit().await?;
        let mut claimed = claimed;
        claimed.sort_by_key(|mail| mail.seq);
        Ok(claimed)
    }

    /// Marks a mail `holder` claimed as accepted by the SMTP server; `false` when the claim
    /// was lost (it expired and another sender took the mail).
    pub async fn mark_mail_sent(
        &self,
        seq: i64,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let updated = (&self.db)
            .execute(
                "UPDATE mail_outbox SET state = $1, sent_at = $2, attempts = attempts + 1, \
                 claimed_by = NULL, claimed_until = NULL, last_error = NULL \
                 WHERE seq = $3 AND claimed_by = $4 AND state = $5",
                &[
                    Value::Text(MailState::Sent.as_str()),
                    Value::Int(micros(now)),
                    Value::Int(seq),
                    Value::Text(holder),
                    Value::Text(MailState::Sending.as_str()),
                ],
            )
            .await?;
        Ok(updated > 0)
    }

    /// Records a failed attempt of a mail `holder` claimed: retried at the given instant, or
    /// given up.
    pub async fn mark_mail_failed(
        &self,
        seq: i64,
        holder: &str,
        error: &str,
        retry: Retry,
    ) -> Result<bool, StoreError> {
        let (state, next) = match retry {
            Retry::At(at) => (MailState::Pending, Value::Int(micros(at))),
            Retry::GiveUp => (MailState::Failed, Value::Null),
        };
        let updated = (&self.db)
            .execute(
                "UPDATE mail_outbox SET state = $1, attempts = attempts + 1, \
                 next_attempt_at = COALESCE($2, next_attempt_at), last_error = $3, \
                 claimed_by = NULL, claimed_until = NULL \
                 WHERE seq = $4 AND claimed_by = $5 AND state = $6",
                &[
                    Value::Text(state.as_str()),
                    next,
                    Value::Text(error),
                    Value::Int(seq),
                    Value::Text(holder),
                    Value::Text(MailState::Sending.as_str()),
                ],
            )
            .await?;
        Ok(updated > 0)
    }

    /// How many mails are in each state.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let rows = (&self.db)
            .query_all(
                "SELECT state, COUNT(*) FROM mail_outbox GROUP BY state",
                &[],
                |row| Ok((row.text(0)?, row.int(1)?)),
            )
            .await?;
        Ok(OutboxCounts(
            rows.into_iter()
                .filter_map(|(state, count)| {
                    MailState::parse(&state).map(|state| (state, u64::try_from(count).unwrap_or(0)))
                })
                .collect(),
        ))
    }

    /// When the earliest pending mail is due, if any.
    pub async fn next_mail_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next = (&self.db)
            .query_one(
                "SELECT MIN(next_attempt_at) FROM mail_outbox WHERE state = $1",
                &[Value::Text(MailState::Pending.as_str())],
                |row| row.opt_int(0),
            )
            .await?;
        next.map(instant).transpose()
    }
}
