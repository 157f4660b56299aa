//! Budget evaluations: what the evaluator remembers of each budget, the ledger of every
//! notification it decided, and the mail those notifications queue.
//!
//! [`Store::record_budget_evaluations`] is one transaction per account: it locks the
//! account's budgets (PostgreSQL; SQLite's single writer serializes anyway), hands each
//! budget's previous memory to the caller's pure decision, stores the new evaluation, records
//! each notification whose key the budget has not recorded yet (`UNIQUE (budget_id,
//! notice_key)`) and queues its mail in the outbox. A notification decided twice — by a
//! repeated run, a restarted server or another replica — is recorded once and mailed once.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use scpfm_domain::budget_eval::{BudgetMemory, Notice, NoticeKind};
use scpfm_domain::ids::{AccountId, BudgetId};

use crate::codec::{decode_ints, decode_texts, encode_ints, encode_texts, instant, micros, valid};
use crate::db::{Engine, Executor, Row, Tx, Value};
use crate::mail_outbox::MailState;
use crate::{Store, StoreError};

/// A budget's last evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvaluation {
    /// The budget.
    pub budget_id: BudgetId,
    /// Its account.
    pub account_id: AccountId,
    /// What the next evaluation starts from.
    pub memory: BudgetMemory,
    /// The period's cost (KRW).
    pub cost: Decimal,
    /// Cost as a percentage of the amount.
    pub percent: Decimal,
    /// Notification thresholds reached.
    pub crossed: Vec<u8>,
    /// The period's forecast cost at the end of the month, when there is one.
    pub forecast: Option<Decimal>,
    /// When it was evaluated.
    pub evaluated_at: DateTime<Utc>,
}

/// A mail to one recipient, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// The `Message-ID` (`<…@…>`), unique per mail and the same on every attempt.
    pub message_id: String,
}

/// A notification to record, and its mail (none when it is only recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRecord {
    /// What was decided.
    pub notice: Notice,
    /// The budget period it belongs to.
    pub period_key: String,
    /// The budget amount at the time (KRW).
    pub amount: i64,
    /// The period's cost at the time.
    pub cost: Decimal,
    /// Cost as a percentage of the amount.
    pub percent: Decimal,
    /// One mail per receiver.
    pub mails: Vec<OutgoingMail>,
}

/// What recording an evaluation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordOutcome {
    /// Keys of the notifications recorded now (those recorded before are skipped).
    pub recorded: Vec<String>,
    /// Mails queued now.
    pub mails_queued: usize,
}

/// A recorded notification and what became of its mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationRecord {
    /// Why.
    pub kind: NoticeKind,
    /// Its key.
    pub key: String,
    /// The budget period.
    pub period_key: String,
    /// The threshold reached.
    pub threshold: u8,
    /// The budget amount at the time.
    pub amount: i64,
    /// The period's cost at the time.
    pub cost: Decimal,
    /// Its percentage of the amount.
    pub percent: Decimal,
    /// Who is mailed (empty: recorded only).
    pub receivers: Vec<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// Its mails by state.
    pub mail: MailTally,
}

/// How many of a notification's mails are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailTally {
    /// Delivered to the SMTP server.
    pub sent: u32,
    /// Waiting or being sent.
    pub pending: u32,
    /// Given up, or of unknown fate (at-most-once delivery after a crash).
    pub failed: u32,
    /// When the last one was delivered.
    pub last_sent_at: Option<DateTime<Utc>>,
}

const MEMORIES: &str = "SELECT budget_id, period_key, preventing_since, prevention_episodes \
     FROM budget_evaluations WHERE account_id = $1";
const SAVE_EVALUATION: &str = "INSERT INTO budget_evaluations (budget_id, account_id, \
     period_key, cost, percent, crossed, forecast, preventing_since, prevention_episodes, \
     evaluated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (budget_id) DO UPDATE SET account_id = excluded.account_id, \
     period_key = excluded.period_key, cost = excluded.cost, percent = excluded.percent, \
     crossed = excluded.crossed, forecast = excluded.forecast, \
     preventing_since = excluded.preventing_since, \
     prevention_episodes = excluded.prevention_episodes, evaluated_at = excluded.evaluated_at";
const RECORD_NOTICE: &str = "INSERT INTO budget_notifications (budget_id, account_id, \
     notice_key, kind, period_key, threshold, amount, cost, percent, receivers, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
     ON CONFLICT (budget_id, notice_key) DO NOTHING RETURNING seq";
const QUEUE_MAIL: &str = "INSERT INTO mail_outbox (notification_seq, recipient, subject, body, \
     message_id, state, attempts, next_attempt_at, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) ON CONFLICT (message_id) DO NOTHING";
const EVALUATION_COLUMNS: &str = "budget_id, account_id, period_key, preventing_since, \
     prevention_episodes, cost, percent, crossed, forecast, evaluated_at";

/// The memory in the columns from `first` on: period key, preventing since, episodes.
fn map_memory(row: &dyn Row, first: usize) -> Result<BudgetMemory, StoreError> {
    Ok(BudgetMemory {
        period_key: row.text(first)?,
        preventing_since: row.opt_int(first + 1)?.map(instant).transpose()?,
        prevention_episodes: valid("prevention episodes", u32::try_from(row.int(first + 2)?))?,
    })
}

fn map_evaluation(row: &dyn Row) -> Result<StoredEvaluation, StoreError> {
    Ok(StoredEvaluation {
        budget_id: valid("budget id", row.text(0)?.parse())?,
        account_id: valid("account id", row.text(1)?.parse())?,
        memory: map_memory(row, 2)?,
        cost: row.decimal(5)?,
        percent: row.decimal(6)?,
        crossed: decode_ints(&row.text(7)?)?
            .into_iter()
            .map(|percent| valid("threshold", u8::try_from(percent)))
            .collect::<Result<_, _>>()?,
        forecast: row.opt_decimal(8)?,
        evaluated_at: instant(row.int(9)?)?,
    })
}

fn map_notification(row: &dyn Row) -> Result<NotificationRecord, StoreError> {
    let count =
        |idx: usize| -> Result<u32, StoreError> { valid("count", u32::try_from(row.int(idx)?)) };
    Ok(NotificationRecord {
        kind: row
            .text(0)
            .and_then(|code| valid("notification kind", NoticeKind::parse(&code).ok_or(code)))?,
        key: row.text(1)?,
        period_key: row.text(2)?,
        threshold: valid("threshold", u8::try_from(row.int(3)?))?,
        amount: row.int(4)?,
        cost: row.decimal(5)?,
        percent: row.decimal(6)?,
        receivers: decode_texts(&row.text(7)?)?,
        created_at: instant(row.int(8)?)?,
        mail: MailTally {
            sent: count(9)?,
            pending: count(10)?,
            failed: count(11)?,
            last_sent_at: row.opt_int(12)?.map(instant).transpose()?,
        },
    })
}

impl Store {
    /// Records an evaluation of the budgets `budget_ids` of `account_id` in one transaction.
    /// `decide` is called for each of them still stored, with its position in `budget_ids`
    /// and the memory of its previous evaluation, and returns the new evaluation and the
    /// notifications it calls for; notifications the budget recorded before are skipped with
    /// their mail. Returns what was recorded for each budget evaluated, by position (budgets
    /// deleted meanwhile are left out).
    pub async fn record_budget_evaluations<E, F>(
        &self,
        account_id: &AccountId,
        budget_ids: &[BudgetId],
        now: DateTime<Utc>,
        mut decide: F,
    ) -> Result<Vec<(usize, RecordOutcome)>, E>
    where
        E: From<StoreError>,
        F: FnMut(usize, Option<BudgetMemory>) -> Result<(StoredEvaluation, Vec<NoticeRecord>), E>,
    {
        let mut tx = self.db.begin().await?;
        // Locks the account's budgets (in one order, so two evaluators never deadlock), so a
        // budget is never evaluated twice at once; SQLite's single writer serializes anyway.
        let lock = match tx.engine() {
            Engine::Postgres => " FOR UPDATE",
            Engine::Sqlite => "",
        };
        let stored: HashSet<String> = tx
            .query_all(
                &format!("SELECT id FROM budgets WHERE account_id = $1 ORDER BY id{lock}"),
                &[Value::Text(account_id.as_str())],
                |row| row.text(0),
            )
            .await?
            .into_iter()
            .collect();
        let mut memories: HashMap<String, BudgetMemory> = tx
            .query_all(MEMORIES, &[Value::Text(account_id.as_str())], |row| {
                Ok((row.text(0)?, map_memory(row, 1)?))
            })
            .await?
            .into_iter()
            .collect();
        let mut outcomes = Vec::with_capacity(budget_ids.len());
        for (idx, budget_id) in budget_ids.iter().enumerate() {
            if !stored.contains(budget_id.as_str()) {
                continue;
            }
            let previous = memories.remove(budget_id.as_str());
            let (evaluation, notices) = decide(idx, previous)?;
            save_evaluation(&mut tx, &evaluation).await?;
            let mut outcome = RecordOutcome::default();
            for record in &notices {
                if let Some(queued) = record_notice(&mut tx, &evaluation, record, now).await? {
                    outcome.recorded.push(record.notice.key.clone());
                    outcome.mails_queued += queued;
                }
            }
            outcomes.push((idx, outcome));
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    /// The last evaluation of every budget of `account_id`.
    pub async fn budget_evaluations(
        &self,
        account_id: &AccountId,
    ) -> Result<Vec<StoredEvaluation>, StoreError> {
        (&self.db)
            .query_all(
                &format!(
                    "SELECT {EVALUATION_COLUMNS} FROM budget_evaluations WHERE account_id = $1"
                ),
                &[Value::Text(account_id.as_str())],
                map_evaluation,
            )
            .await
    }

    /// The newest `limit` notifications of a budget of `account_id`, newest first.
    pub async fn budget_notifications(
        &self,
        account_id: &AccountId,
        budget_id: &BudgetId,
        limit: u32,
    ) -> Result<Vec<NotificationRecord>, StoreError> {
        let tally = |states: &[MailState]| {
            let states = states
                .iter()
                .map(|state| format!("'{}'", state.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "(SELECT COUNT(*) FROM mail_outbox m WHERE m.notification_seq = n.seq \
                 AND m.state IN ({states}))"
            )
        };
        let sql = format!(
            "SELECT n.kind, n.notice_key, n.period_key, n.threshold, n.amount, n.cost, \
             n.percent, n.receivers, n.created_at, {}, {}, {}, \
             (SELECT MAX(m.sent_at) FROM mail_outbox m WHERE m.notification_seq = n.seq) \
             FROM budget_notifications n WHERE n.account_id = $1 AND n.budget_id = $2 \
             ORDER BY n.seq DESC LIMIT $3",
            tally(&[MailState::Sent]),
            tally(&[MailState::Pending, MailState::Sending]),
            tally(&[MailState::Failed, MailState::Uncertain]),
        );
        (&self.db)
            .query_all(
                &sql,
                &[
                    Value::Text(account_id.as_str()),
                    Value::Text(budget_id.as_str()),
                    Value::Int(i64::from(limit)),
                ],
                map_notification,
            )
            .await
    }
}

async fn save_evaluation(tx: &mut Tx, evaluation: &StoredEvaluation) -> Result<(), StoreError> {
    let crossed = encode_ints(evaluation.crossed.iter().map(|t| i64::from(*t)));
    tx.execute(
        SAVE_EVALUATION,
        &[
            Value::Text(evaluation.budget_id.as_str()),
            Value::Text(evaluation.account_id.as_str()),
            Value::Text(&evaluation.memory.period_key),
            Value::Decimal(evaluation.cost),
            Value::Decimal(evaluation.percent),
            Value::Text(&crossed),
            evaluation.forecast.map_or(Value::Null, Value::Decimal),
            Value::opt_int(evaluation.memory.preventing_since.map(micros)),
            Value::Int(i64::from(evaluation.memory.prevention_episodes)),
            Value::Int(micros(evaluation.evaluated_at)),
        ],
    )
    .await
    .map(|_| ())
}

/// Records one notification; `Some(mails queued)` when it is new, `None` when the budget
/// recorded its key before.
async fn record_notice(
    tx: &mut Tx,
    evaluation: &StoredEvaluation,
    record: &NoticeRecord,
    now: DateTime<Utc>,
) -> Result<Option<usize>, StoreError> {
    let receivers = encode_texts(record.notice.receivers.iter().map(|r| r.as_str()));
    let seq = tx
        .query_opt(
            RECORD_NOTICE,
            &[
                Value::Text(evaluation.budget_id.as_str()),
                Value::Text(evaluation.account_id.as_str()),
                Value::Text(&record.notice.key),
                Value::Text(record.notice.kind.as_str()),
                Value::Text(&record.period_key),
                Value::Int(i64::from(record.notice.threshold)),
                Value::Int(record.amount),
                Value::Decimal(record.cost),
                Value::Decimal(record.percent),
                Value::Text(&receivers),
                Value::Int(micros(now)),
            ],
            |row| row.int(0),
        )
        .await?;
    let Some(seq) = seq else {
        return Ok(None);
    };
    let mut queued = 0;
    for mail in &record.mails {
        queued += tx
            .execute(
                QUEUE_MAIL,
                &[
                    Value::Int(seq),
                    Value::Text(&mail.recipient),
                    Value::Text(&mail.subject),
                    Value::Text(&mail.body),
                    Value::Text(&mail.message_id),
                    Value::Text(MailState::Pending.as_str()),
                    Value::Int(micros(now)),
                ],
            )
            .await?;
    }
    Ok(Some(usize::try_from(queued).unwrap_or(usize::MAX)))
}
