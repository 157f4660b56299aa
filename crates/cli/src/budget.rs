//! `scpcli budget account budget create|delete|list|set|show`.

use clap::{Args, Subcommand};
use scpfm_api_types::budget::{
    BudgetAccountPageResponse, BudgetAccountShowResponse, BudgetCreateRequest, BudgetListQuery,
    BudgetSetRequest, NotificationSettingNew, PreventionSettingNew,
};
use scpfm_api_types::budget_status::BudgetStatus;
use scpfm_api_types::display::group_thousands;
use scpfm_client::{Call, Client, ClientError};

use crate::output::OutputFormat;
use crate::output::{key_value_table, list_table, print_json};
use crate::values::parse_bool;

/// `scpcli budget …`.
#[derive(Debug, Args)]
pub struct BudgetCommand {
    /// The resource.
    #[command(subcommand)]
    pub resource: BudgetResource,
}

/// Budget resources.
#[derive(Debug, Subcommand)]
pub enum BudgetResource {
    /// Account budgets.
    Account {
        /// The account resource.
        #[command(subcommand)]
        resource: AccountResource,
    },
}

/// Account resources.
#[derive(Debug, Subcommand)]
pub enum AccountResource {
    /// Account budgets.
    Budget {
        /// The operation.
        #[command(subcommand)]
        operation: BudgetOperation,
    },
}

/// The five budget operations, with the seeds' descriptions.
#[derive(Debug, Subcommand)]
pub enum BudgetOperation {
    /// create a account budget
    Create(BudgetFields),
    /// delete a specific account budget
    Delete(BudgetIdArg),
    /// get account budgets list
    List(ListArgs),
    /// set a specific account budget
    Set(SetArgs),
    /// show a specific account budget
    Show(BudgetIdArg),
}

/// `--budget_id`.
#[derive(Debug, Args)]
pub struct BudgetIdArg {
    /// Budget id
    #[arg(long = "budget_id", value_name = "VALUE")]
    pub budget_id: String,
}

/// The flags of create and set.
#[derive(Debug, Args)]
pub struct BudgetFields {
    /// Budget management unit (MONTHLY or OVERALL)
    #[arg(long, value_name = "VALUE")]
    pub unit: String,
    /// Budget start month (ex.YYYY-MM)
    #[arg(long = "start_month", value_name = "VALUE")]
    pub start_month: String,
    /// Budget name
    #[arg(long, value_name = "VALUE")]
    pub name: String,
    /// Budget amount
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub amount: i64,
    /// Notification use state (True or False)
    #[arg(long = "is_use_notification", value_name = "VALUE", value_parser = parse_bool)]
    pub is_use_notification: Option<bool>,
    /// The notification frequency can be FIRST, DAILY, or NONE.
    #[arg(
        verbatim_doc_comment,
        long = "notification_send_period",
        value_name = "VALUE"
    )]
    pub notification_send_period: Option<String>,
    /// Prevention notification recipient email list. Sets both the notification and the
    /// prevention receivers, as SCP's CLI does; repeat the flag or separate with commas.
    #[arg(verbatim_doc_comment, long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub receivers: Vec<String>,
    /// Threshold exceed notification recipient email list (notifications only).
    #[arg(verbatim_doc_comment, long = "notifications_receivers", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub notifications_receivers: Vec<String>,
    /// Prevention notification recipient email list (prevention only).
    #[arg(verbatim_doc_comment, long = "prevention_receivers", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub prevention_receivers: Vec<String>,
    /// Thresholds for receiving threshold exceed notification email: 70/80/90/100.
    #[arg(verbatim_doc_comment, long, value_name = "VALUE", value_delimiter = ',', num_args = 1.., allow_negative_numbers = true)]
    pub thresholds: Vec<i64>,
    /// Auto Generation prevent use state (True or False)
    #[arg(long = "is_use_prevention", value_name = "VALUE", value_parser = parse_bool)]
    pub is_use_prevention: Option<bool>,
    /// Threshold for receiving prevention notification email: 70/80/90/100.
    #[arg(
        verbatim_doc_comment,
        long,
        value_name = "VALUE",
        allow_negative_numbers = true
    )]
    pub threshold: Option<i64>,
}

/// `set`: the budget id and the same flags as create.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Budget id
    #[arg(long = "budget_id", value_name = "VALUE")]
    pub budget_id: String,
    /// Everything create takes.
    #[command(flatten)]
    pub fields: BudgetFields,
}

/// `list` flags.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Paging and order.
    #[command(flatten)]
    pub pages: crate::page_flags::PageFlags,
    /// Budget name (contains, case-insensitive)
    #[arg(long = "search_name", value_name = "VALUE")]
    pub search_name: Option<String>,
    /// Budget name (exact)
    #[arg(long = "budget_name", value_name = "VALUE")]
    pub budget_name: Option<String>,
}

fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

/// Whether the request creates a budget or changes a stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `create`: prevention is sent as on only when `--is_use_prevention True` says so.
    Create,
    /// `set`: flags left out keep what is stored.
    Set,
}

impl BudgetFields {
    /// The request body: a settings object is sent when one of its flags is given. On
    /// create, a prevention object sent for `--receivers` or `--threshold` alone says
    /// `is_use_prevention: false`: creation prevention can block every new server of the
    /// account, so it is switched on only when asked (`--is_use_prevention True`).
    pub fn to_request(&self, purpose: Purpose) -> BudgetCreateRequest {
        let notification_receivers =
            non_empty(&self.notifications_receivers).or_else(|| non_empty(&self.receivers));
        let prevention_receivers =
            non_empty(&self.prevention_receivers).or_else(|| non_empty(&self.receivers));
        let notifications = NotificationSettingNew {
            is_use_notification: self.is_use_notification,
            notification_send_period: self.notification_send_period.clone(),
            receivers: notification_receivers,
            thresholds: (!self.thresholds.is_empty()).then(|| self.thresholds.clone()),
        };
        let mut prevention = PreventionSettingNew {
            is_use_prevention: self.is_use_prevention,
            receivers: prevention_receivers,
            threshold: self.threshold,
        };
        if purpose == Purpose::Create && prevention != PreventionSettingNew::default() {
            prevention.is_use_prevention = Some(self.is_use_prevention.unwrap_or(false));
        }
        BudgetCreateRequest {
            amount: Some(self.amount),
            name: Some(self.name.clone()),
            notifications: (notifications != NotificationSettingNew::default())
                .then_some(notifications),
            prevention: (prevention != PreventionSettingNew::default()).then_some(prevention),
            start_month: Some(self.start_month.clone()),
            unit: Some(self.unit.clone()),
        }
    }
}

/// Runs a budget command.
pub async fn run(
    command: BudgetCommand,
    client: &Client,
    output: OutputFormat,
) -> Result<(), ClientError> {
    let BudgetResource::Account {
        resource: AccountResource::Budget { operation },
    } = command.resource;
    let call: Call<'static> = match &operation {
        BudgetOperation::Create(fields) => {
            Client::create_budget_call(&fields.to_request(Purpose::Create))?
        }
        BudgetOperation::Delete(arg) => Client::delete_budget_call(&arg.budget_id),
        BudgetOperation::List(args) => Client::list_budgets_call(&BudgetListQuery {
            size: args.pages.size,
            page: args.pages.page,
            sort: args.pages.sort.clone(),
            search_name: args.search_name.clone(),
            budget_name: args.budget_name.clone(),
        })?,
        BudgetOperation::Set(args) => Client::set_budget_call(
            &args.budget_id,
            &BudgetSetRequest(args.fields.to_request(Purpose::Set)),
        )?,
        BudgetOperation::Show(arg) => Client::show_budget_call(&arg.budget_id),
    };
    let response = client.send(call).await?.error_for_status()?;
    match (output, &operation) {
        (OutputFormat::Json, _) => print_json(&response)?,
        (OutputFormat::Table, BudgetOperation::Delete(arg)) => {
            println!("budget {} deleted", arg.budget_id)
        }
        (OutputFormat::Table, BudgetOperation::List(_)) => print_page(&response.json()?),
        (OutputFormat::Table, BudgetOperation::Show(arg)) => {
            let mut rows = show_rows(&response.json()?);
            // scpfm's status extension; a server without it still shows the settings.
            match client.budget_status(&arg.budget_id).await {
                Ok(status) => rows.extend(status_rows(&status.status)),
                Err(error) => eprintln!("(budget status unavailable: {error})"),
            }
            println!("{}", key_value_table(rows));
        }
        (OutputFormat::Table, _) => println!("{}", key_value_table(show_rows(&response.json()?))),
    }
    Ok(())
}

fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_rows(shown: &BudgetAccountShowResponse) -> Vec<(&'static str, String)> {
    let budget = &shown.budget;
    vec![
        ("id", budget.id.clone()),
        ("name", budget.name.clone()),
        ("type", budget.budget_type.clone()),
        ("unit", budget.unit.clone()),
        ("start_month", budget.start_month.clone()),
        ("amount", format_krw(budget.amount)),
        ("created_at", budget.created_at.clone()),
        ("created_by", budget.created_by.clone()),
        ("modified_at", budget.modified_at.clone()),
        ("modified_by", budget.modified_by.clone()),
        (
            "notifications.is_use_notification",
            shown.notifications.is_use_notification.to_string(),
        ),
        (
            "notifications.notification_send_period",
            shown.notifications.notification_send_period.clone(),
        ),
        (
            "notifications.thresholds",
            join(&shown.notifications.thresholds),
        ),
        (
            "notifications.receivers",
            join(&shown.notifications.receivers),
        ),
        (
            "prevention.is_use_prevention",
            shown.prevention.is_use_prevention.to_string(),
        ),
        (
            "prevention.threshold",
            shown.prevention.threshold.to_string(),
        ),
        ("prevention.receivers", join(&shown.prevention.receivers)),
    ]
}

/// The status rows: where the budget stands in its period and what it has mailed.
fn status_rows(status: &BudgetStatus) -> Vec<(&'static str, String)> {
    let krw = |amount: &str| format!("{} KRW", group_thousands(amount));
    let thresholds = status
        .notifications
        .thresholds
        .iter()
        .map(
            |threshold| match (threshold.reached, &threshold.notified_at) {
                (true, Some(at)) => format!("{} %: reached, notified {at}", threshold.threshold),
                (true, None) => format!("{} %: reached", threshold.threshold),
                (false, _) => format!("{} %: not reached", threshold.threshold),
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    let prevention = &status.prevention;
    let prevention = match (prevention.state.as_str(), &prevention.since) {
        ("OFF", _) => "OFF".to_owned(),
        (state, Some(since)) => format!(
            "{state} (threshold {} %) since {since}",
            prevention.threshold
        ),
        (state, None) => format!("{state} (threshold {} %)", prevention.threshold),
    };
    let last_mail = status.last_mail.as_ref().map_or_else(
        || "-".to_owned(),
        |mail| {
            format!(
                "{} {} % to {} (recorded {}): {} sent, {} pending, {} failed",
                mail.kind,
                mail.threshold,
                join(&mail.receivers),
                mail.recorded_at,
                mail.mails_sent,
                mail.mails_pending,
                mail.mails_failed
            )
        },
    );
    vec![
        (
            "status.period",
            status.period.as_ref().map_or_else(
                || "not started".to_owned(),
                |period| {
                    format!(
                        "{} ({} ~ {})",
                        period.key, period.start_month, period.end_month
                    )
                },
            ),
        ),
        ("status.cost", krw(&status.cost)),
        ("status.percent", format!("{} %", status.percent)),
        (
            "status.forecast",
            match (&status.forecast, &status.forecast_percent) {
                (Some(cost), Some(percent)) => format!("{} ({percent} %) by month end", krw(cost)),
                _ => "-".to_owned(),
            },
        ),
        ("status.thresholds", thresholds),
        ("status.prevention", prevention),
        ("status.last_mail", last_mail),
        (
            "status.evaluated_at",
            status
                .evaluated_at
                .clone()
                .unwrap_or_else(|| "-".to_owned()),
        ),
    ]
}

fn print_page(page: &BudgetAccountPageResponse) {
    let rows = page
        .budgets
        .iter()
        .map(|budget| {
            [
                budget.id.clone(),
                budget.name.clone(),
                budget.unit.clone(),
                budget.start_month.clone(),
                format_krw(budget.amount),
                budget.created_at.clone(),
                budget.modified_at.clone(),
            ]
        })
        .collect();
    println!(
        "{}",
        list_table(
            [
                "ID",
                "NAME",
                "UNIT",
                "START MONTH",
                "AMOUNT (KRW)",
                "CREATED AT",
                "MODIFIED AT"
            ],
            rows
        )
    );
    println!(
        "count: {}  page: {}  size: {}  sort: {}",
        page.count,
        page.page,
        page.size,
        page.sort.as_deref().map(join).unwrap_or_default()
    );
}

/// `1234567` → `1,234,567`.
fn format_krw(amount: i64) -> String {
    group_thousands(&amount.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> BudgetFields {
        BudgetFields {
            unit: "MONTHLY".into(),
            start_month: "2026-01".into(),
            name: "b".into(),
            amount: 5,
            is_use_notification: None,
            notification_send_period: None,
            receivers: vec![],
            notifications_receivers: vec![],
            prevention_receivers: vec![],
            thresholds: vec![],
            is_use_prevention: None,
            threshold: None,
        }
    }

    #[test]
    fn settings_objects_are_sent_only_when_a_flag_names_them() {
        let request = fields().to_request(Purpose::Create);
        assert_eq!((request.notifications, request.prevention), (None, None));
        let request = BudgetFields {
            thresholds: vec![80],
            ..fields()
        }
        .to_request(Purpose::Create);
        assert!(request.notifications.is_some() && request.prevention.is_none());
    }

    #[test]
    fn prevention_is_on_only_when_asked() {
        for flags in [
            BudgetFields {
                receivers: vec!["a@b.co".into()],
                ..fields()
            },
            BudgetFields {
                threshold: Some(90),
                ..fields()
            },
        ] {
            let created = flags.to_request(Purpose::Create).prevention.unwrap();
            assert_eq!(created.is_use_prevention, Some(false), "{flags:?}");
            // On set, a flag left out keeps what is stored.
            let set = flags.to_request(Purpose::Set).prevention.unwrap();
            assert_eq!(set.is_use_prevention, None, "{flags:?}");
        }
        let asked = BudgetFields {
            is_use_prevention: Some(true),
            ..fields()
        }
        .to_request(Purpose::Create);
        assert_eq!(asked.prevention.unwrap().is_use_prevention, Some(true));
    }

    #[test]
    fn receivers_fill_both_lists_unless_a_list_is_named() {
        let both = BudgetFields {
            receivers: vec!["a@b.co".into()],
            ..fields()
        }
        .to_request(Purpose::Create);
        assert_eq!(
            both.notifications.unwrap().receivers,
            Some(vec!["a@b.co".into()])
        );
        assert_eq!(
            both.prevention.unwrap().receivers,
            Some(vec!["a@b.co".into()])
        );
        let apart = BudgetFields {
            receivers: vec!["a@b.co".into()],
            prevention_receivers: vec!["p@b.co".into()],
            ..fields()
        }
        .to_request(Purpose::Create);
        assert_eq!(
            apart.notifications.unwrap().receivers,
            Some(vec!["a@b.co".into()])
        );
        assert_eq!(
            apart.prevention.unwrap().receivers,
            Some(vec!["p@b.co".into()])
        );
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(format_krw(1_000_000), "1,000,000");
        assert_eq!(format_krw(999), "999");
        assert_eq!(format_krw(-12_345), "-12,345");
    }
}
