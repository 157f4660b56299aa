//! `scpfm budgets evaluate|status` and `scpfm mail-sink`.

use comfy_table::presets::ASCII_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use scpfm_api_types::display::group_thousands;
use scpfm_domain::ids::AccountId;
use scpfm_store::mail_outbox::MailState;
use scpfm_store::Store;

use super::print_json;
use crate::cli::{BudgetsCommand, MailSinkArgs};
use crate::mail_sink::{MailHook, SmtpSink};
use scpfm_app::app::instance_name;
use scpfm_app::budget_evaluator::{budget_states, evaluate_accounts, EvaluationRun};
use scpfm_app::clock::Clock;
use scpfm_app::mail::sender::{deliver_due, SenderConfig};
use scpfm_app::mail::{Composer, Mailer};
use scpfm_config::Settings;
use scpfm_server::budgets::status_view;

/// Runs a budgets command.
pub async fn run(
    command: BudgetsCommand,
    store: &Store,
    settings: &Settings,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    match command {
        BudgetsCommand::Evaluate { account, no_send } => {
            let accounts = match account {
                Some(account) => Some(vec![account_id(store, &account).await?]),
                None => None,
            };
            report(&evaluate(store, settings, clock, accounts).await?);
            if no_send {
                return Ok(());
            }
            send_due(store, settings, clock).await
        }
        BudgetsCommand::Status { account, json } => {
            status(store, clock, account.as_deref(), json).await
        }
    }
}

async fn account_id(store: &Store, account: &str) -> anyhow::Result<AccountId> {
    Ok(store
        .find_account(account)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with id or name {account:?}"))?
        .id)
}

/// Evaluates the budgets of `accounts` (every account's when `None`) at the clock's now.
pub async fn evaluate(
    store: &Store,
    settings: &Settings,
    clock: &dyn Clock,
    accounts: Option<Vec<AccountId>>,
) -> anyhow::Result<EvaluationRun> {
    let composer = Composer::new(settings.mail.language, &settings.mail.from);
    Ok(evaluate_accounts(store, &composer, &instance_name(), accounts, clock.now()).await?)
}

/// Sends the mail that is due, when an SMTP server is configured, and says what happened.
pub async fn send_due(store: &Store, settings: &Settings, clock: &dyn Clock) -> anyhow::Result<()> {
    match Mailer::from_settings(&settings.mail)? {
        Some(mailer) => {
            let config = SenderConfig::from_settings(&settings.mail, instance_name());
            let delivery = deliver_due(store, &mailer, &config, clock).await?;
            println!(
                "mail through {}: {} sent, {} to retry, {} given up",
                mailer.server(),
                delivery.sent,
                delivery.retrying,
                delivery.failed
            );
        }
        None => {
            let waiting = store.outbox_counts().await?.of(MailState::Pending);
            if waiting > 0 {
                println!(
                    "mail: {waiting} waiting in the outbox, sent by a server with an SMTP server \
                     configured ([mail] host; this command has none)"
                );
            }
        }
    }
    Ok(())
}

/// Prints what an evaluation did, a line per budget.
pub fn report(run: &EvaluationRun) {
    for outcome in &run.budgets {
        let evaluation = &outcome.standing.evaluation;
        let mut line = format!(
            "{} {}: {} KRW = {} % of {} KRW",
            outcome.budget.account_id,
            outcome.budget.core.name.as_str(),
            group_thousands(&scpfm_domain::decimal_text::fixed(evaluation.cost, 3)),
            scpfm_domain::decimal_text::fixed(evaluation.percent, 2),
            group_thousands(&outcome.budget.core.amount.krw().to_string())
        );
        if evaluation.preventing {
            line.push_str("; creation prevented");
        }
        if !outcome.recorded.is_empty() {
            line.push_str(&format!("; recorded {}", outcome.recorded.join(", ")));
        }
        if outcome.mails_queued > 0 {
            line.push_str(&format!("; {} mail(s) queued", outcome.mails_queued));
        }
        println!("{line}");
    }
    for account in &run.busy {
        println!("{account}: skipped, another scpfm is evaluating its budgets right now");
    }
    println!(
        "{} budget(s) evaluated, {} notification(s) recorded, {} mail(s) queued",
        run.budgets.len(),
        run.recorded(),
        run.mails_queued()
    );
}

async fn status(
    store: &Store,
    clock: &dyn Clock,
    account: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let accounts = match account {
        Some(account) => vec![account_id(store, account).await?],
        None => store.budget_account_ids().await?,
    };
    let now = clock.now();
    let mut statuses = Vec::new();
    for account in &accounts {
        let budgets = store.account_budgets(account).await?;
        for state in budget_states(store, account, budgets, now).await? {
            statuses.push((account.clone(), status_view(&state)));
        }
    }
    if json {
        let items: Vec<serde_json::Value> = statuses
            .iter()
            .map(|(account, status)| {
                serde_json::json!({"account_id": account.as_str(), "status": status})
            })
            .collect();
        return print_json(&serde_json::Value::Array(items));
    }
    let mut table = Table::new();
    table
        .load_preset(ASCII_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header([
        "ACCOUNT",
        "BUDGET",
        "UNIT",
        "PERIOD",
        "AMOUNT",
        "COST",
        "%",
        "FORECAST",
        "REACHED",
        "LAST MAIL",
        "PREVENTION",
    ]);
    for (account, status) in &statuses {
        let reached: Vec<String> = status
            .notifications
            .thresholds
            .iter()
            .filter(|threshold| threshold.reached)
            .map(|threshold| format!("{}%", threshold.threshold))
            .collect();
        let last_mail = status.last_mail.as_ref().map_or_else(
            || "-".to_owned(),
            |mail| {
                format!(
                    "{} {}% {} ({} sent, {} pending, {} failed)",
                    mail.kind,
                    mail.threshold,
                    mail.recorded_at,
                    mail.mails_sent,
                    mail.mails_pending,
                    mail.mails_failed
                )
            },
        );
        let prevention = match (&status.prevention.state[..], &status.prevention.since) {
            ("OFF", _) => "off".to_owned(),
            (state, Some(since)) => {
                format!("{state} at {}% since {since}", status.prevention.threshold)
            }
            (state, None) => format!("{state} at {}%", status.prevention.threshold),
        };
        table.add_row([
            account.to_string(),
            status.name.clone(),
            status.unit.clone(),
            status
                .period
                .as_ref()
                .map_or_else(|| "not started".to_owned(), |period| period.key.clone()),
            group_thousands(&status.amount.to_string()),
            group_thousands(&status.cost),
            status.percent.clone(),
            status
                .forecast
                .as_deref()
                .map_or_else(|| "-".into(), group_thousands),
            if reached.is_empty() {
                "-".into()
            } else {
                reached.join(" ")
            },
            last_mail,
            prevention,
        ]);
    }
    println!("{table}");
    let counts = store.outbox_counts().await?;
    println!(
        "outbox: {} sent, {} pending, {} sending, {} failed, {} uncertain",
        counts.of(MailState::Sent),
        counts.of(MailState::Pending),
        counts.of(MailState::Sending),
        counts.of(MailState::Failed),
        counts.of(MailState::Uncertain)
    );
    Ok(())
}

/// Runs the SMTP sink until Ctrl-C or SIGTERM, printing every mail.
pub async fn mail_sink(args: MailSinkArgs) -> anyhow::Result<()> {
    let save = match args.dir {
        Some(dir) => Some(crate::demo::mailbox::saving_hook(dir)?),
        None => None,
    };
    let hook: MailHook = Box::new(move |mail| {
        println!(
            "──── mail from {} to {}\nSubject: {}\nMessage-ID: {}\nDate: {}\n\n{}",
            mail.envelope_from,
            mail.recipients.join(", "),
            mail.subject(),
            mail.message_id(),
            mail.header("Date").unwrap_or_default(),
            mail.text().trim_end()
        );
        if let Some(save) = &save {
            save(mail);
        }
    });
    let sink = SmtpSink::start_with_hook(args.listen, Some(hook)).await?;
    eprintln!(
        "scpfm mail sink listening on {}: point [mail] at host = \"{}\", port = {}, tls = \"none\"",
        sink.addr(),
        sink.addr().ip(),
        sink.addr().port()
    );
    scpfm_server::serve::shutdown_signal().await;
    Ok(())
}
