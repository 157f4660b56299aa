//! The budget evaluator: compares each budget's period cost with its amount, records the
//! notifications that calls for (exactly once each) and queues their mail.
//!
//! It runs for an account after each ingestion that changed the account's bills and after a
//! budget of the account is created or set ([`requests::EvaluationRequests`]), for every account every
//! `budgets.evaluate_every_seconds`, and on demand (`scpfm budgets evaluate`). Before it
//! evaluates an account it takes the lease `budget-evaluation/{account}` in the database, so
//! two replicas never evaluate (or mail for) the same budgets at once; an account whose lease
//! another replica holds is tried again shortly. What a run records is decided by the pure
//! rules of `scpfm_domain::budget_eval` and made exactly-once by the store's notification
//! keys ([`scpfm_store::budget_evaluations`]).

pub mod requests;
mod standing;
mod status;

pub use standing::{standings, Standing};
pub use status::{budget_states, BudgetState};

use std::time::Duration;

use chrono::{DateTime, Utc};
use scpfm_domain::budget::Budget;
use scpfm_domain::budget_eval::decide;
use scpfm_domain::ids::AccountId;
use scpfm_store::budget_evaluations::{NoticeRecord, StoredEvaluation};
use scpfm_store::{Store, StoreError};

use crate::mail::compose::{Composer, MailFacts};
use crate::App;

/// How long an account's evaluation lease lasts (a run takes milliseconds).
const LEASE_TTL: chrono::Duration = chrono::Duration::seconds(60);
/// How soon an account whose lease was busy is tried again.
const BUSY_RETRY: Duration = Duration::from_secs(2);

/// The lease that guards an account's evaluation.
fn lease_name(account: &AccountId) -> String {
    format!("budget-evaluation/{account}")
}

/// What evaluating one budget did.
#[derive(Debug, Clone)]
pub struct BudgetOutcome {
    /// The budget.
    pub budget: Budget,
    /// Where it stands.
    pub standing: Standing,
    /// Keys of the notifications recorded now.
    pub recorded: Vec<String>,
    /// Mails queued now.
    pub mails_queued: usize,
}

/// What evaluating an account did.
#[derive(Debug, Clone)]
pub enum AccountOutcome {
    /// Its budgets were evaluated.
    Evaluated(Vec<BudgetOutcome>),
    /// Another evaluator holds the account's lease.
    Busy,
}

/// Evaluates every budget of `account` at `now` under its lease (`holder` names this
/// evaluator).
pub async fn evaluate_account(
    store: &Store,
    composer: &Composer,
    holder: &str,
    account: &AccountId,
    now: DateTime<Utc>,
) -> Result<AccountOutcome, StoreError> {
    let lease = lease_name(account);
    if !store.acquire_lease(&lease, holder, now, LEASE_TTL).await? {
        return Ok(AccountOutcome::Busy);
    }
    let outcome = evaluate_budgets(store, composer, account, now).await;
    if let Err(error) = store.release_lease(&lease, holder).await {
        tracing::warn!(error = %error, account.id = %account, "could not release the evaluation lease");
    }
    outcome.map(AccountOutcome::Evaluated)
}

async fn evaluate_budgets(
    store: &Store,
    composer: &Composer,
    account: &AccountId,
    now: DateTime<Utc>,
) -> Result<Vec<BudgetOutcome>, StoreError> {
    let budgets = store.account_budgets(account).await?;
    let standings = standings(store, account, &budgets, now).await?;
    let ids: Vec<_> = budgets.iter().map(|budget| budget.id.clone()).collect();
    let recorded = store
        .record_budget_evaluations(account, &ids, now, |idx, previous| {
            Ok::<_, StoreError>(decision_records(
                composer,
                &budgets[idx],
                &standings[idx],
                previous.as_ref(),
                now,
            ))
        })
        .await?;
    let mut outcomes = Vec::with_capacity(recorded.len());
    for (idx, recorded) in recorded {
        let (budget, standing) = (budgets[idx].clone(), standings[idx].clone());
        for key in &recorded.recorded {
            tracing::info!(
                budget.id = %budget.id,
                notice.key = %key,
                "budget {} ({}): notification {key} recorded",
                budget.core.name.as_str(),
                budget.id
            );
        }
        outcomes.push(BudgetOutcome {
            budget,
            standing,
            recorded: recorded.recorded,
            mails_queued: recorded.mails_queued,
        });
    }
    Ok(outcomes)
}

/// The evaluation to store and the notifications to record, with their mail.
fn decision_records(
    composer: &Composer,
    budget: &Budget,
    standing: &Standing,
    previous: Option<&scpfm_domain::budget_eval::BudgetMemory>,
    now: DateTime<Utc>,
) -> (StoredEvaluation, Vec<NoticeRecord>) {
    let decision = decide(
        budget,
        standing.period.as_ref(),
        &standing.evaluation,
        previous,
        now,
    );
    let notices = decision
        .notices
        .iter()
        .map(|notice| NoticeRecord {
            notice: notice.clone(),
            period_key: decision.memory.period_key.clone(),
            amount: budget.core.amount.krw(),
            cost: standing.evaluation.cost,
            percent: standing.evaluation.percent,
            mails: standing
                .period
                .as_ref()
                .map(|period| {
                    composer.mails(&MailFacts {
                        budget,
                        period,
                        evaluation: &standing.evaluation,
                        forecast: standing.forecast,
                        notice,
                        now,
                    })
                })
                .unwrap_or_default(),
        })
        .collect();
    let evaluation = StoredEvaluation {
        budget_id: budget.id.clone(),
        account_id: budget.account_id.clone(),
        memory: decision.memory,
        cost: standing.evaluation.cost,
        percent: standing.evaluation.percent,
        crossed: standing.evaluation.crossed.clone(),
        forecast: standing.forecast,
        evaluated_at: now,
    };
    (evaluation, notices)
}

/// What a run over several accounts did.
#[derive(Debug, Clone, Default)]
pub struct EvaluationRun {
    /// Every budget evaluated.
    pub budgets: Vec<BudgetOutcome>,
    /// Accounts another evaluator was busy with.
    pub busy: Vec<AccountId>,
}

impl EvaluationRun {
    /// Mails queued in the run.
    pub fn mails_queued(&self) -> usize {
        self.budgets.iter().map(|budget| budget.mails_queued).sum()
    }

    /// Notifications recorded in the run.
    pub fn recorded(&self) -> usize {
        self.budgets
            .iter()
            .map(|budget| budget.recorded.len())
            .sum()
    }
}

/// Evaluates `accounts` (every account with budgets when `None`).
pub async fn evaluate_accounts(
    store: &Store,
    composer: &Composer,
    holder: &str,
    accounts: Option<Vec<AccountId>>,
    now: DateTime<Utc>,
) -> Result<EvaluationRun, StoreError> {
    let accounts = match accounts {
        Some(accounts) => accounts,
        None => store.budget_account_ids().await?,
    };
    let mut run = EvaluationRun::default();
    for account in accounts {
        match evaluate_account(store, composer, holder, &account, now).await? {
            AccountOutcome::Evaluated(budgets) => run.budgets.extend(budgets),
            AccountOutcome::Busy => run.busy.push(account),
        }
    }
    Ok(run)
}

/// Runs the evaluator until the process ends: requested accounts as they come, every
/// account every `every` (when given, and once at start). Mail it queues is handed to the
/// sender through `app.mail_due`.
pub fn spawn_worker(app: App, every: Option<Duration>) {
    tokio::spawn(async move {
        let mut next_full = every.map(|_| tokio::time::Instant::now());
        loop {
            let full = next_full.is_some_and(|at| at <= tokio::time::Instant::now());
            let accounts = if full {
                next_full = every.map(|every| tokio::time::Instant::now() + every);
                app.evaluations.take();
                None
            } else {
                Some(app.evaluations.take())
            };
            if accounts
                .as_ref()
                .is_none_or(|accounts| !accounts.is_empty())
            {
                run_once(&app, accounts).await;
            }
            match next_full {
                Some(at) => {
                    tokio::select! {
                        () = app.evaluations.ready() => {}
                        () = tokio::time::sleep_until(at) => {}
                    }
                }
                None => app.evaluations.ready().await,
            }
        }
    });
}

async fn run_once(app: &App, accounts: Option<Vec<AccountId>>) {
    let now = app.clock.now();
    match evaluate_accounts(&app.store, &app.composer, &app.instance, accounts, now).await {
        Ok(run) => {
            app.metrics.budgets_evaluated(run.budgets.len());
            if run.mails_queued() > 0 {
                app.mail_due.notify_one();
            }
            if !run.busy.is_empty() {
                let requests = app.evaluations.clone();
                let busy = run.busy;
                tokio::spawn(async move {
                    tokio::time::sleep(BUSY_RETRY).await;
                    requests.request(busy);
                });
            }
        }
        Err(error) => tracing::warn!(error = %error, "budget evaluation failed"),
    }
}
