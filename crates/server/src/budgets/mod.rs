//! Budget service: `/v1/budgets/account` (CreateAccountBudget, ListAccountBudgets,
//! ShowAccountBudget, SetAccountBudget, DeleteAccountBudget), and scpfm's read-only
//! extensions: each budget's status and the creation check.
//!
//! Handlers read: extract, convert, call the store, map. Conversions between wire and domain
//! live here, once.

mod create;
mod creation_check;
mod delete;
mod get;
mod list;
mod status;
mod update;

pub use create::{__path_create_budget, create_budget};
pub use creation_check::{__path_check_creation, check_creation};
pub use delete::{__path_delete_budget, delete_budget};
pub use get::{__path_get_budget, get_budget};
pub use list::{__path_list_budgets, list_budgets};
pub use status::{
    __path_get_budget_status, __path_list_budget_status, get_budget_status, list_budget_status,
    status_view,
};
pub use update::{__path_update_budget, update_budget};

use scpfm_api_types::budget::{
    BudgetAccountShowResponse, BudgetCreateRequest, BudgetShowDetail, NotificationSetting,
    NotificationSettingNew, PreventionSetting, PreventionSettingNew,
};
use scpfm_api_types::wire_time::budget_timestamp;
use scpfm_domain::budget::{
    parse_receivers, parse_thresholds, Budget, BudgetAmount, BudgetCore, BudgetName, BudgetUnit,
    NotificationPatch, PreventionPatch, SendPeriod, Threshold,
};
use scpfm_domain::email::EmailAddress;
use scpfm_domain::month::YearMonth;
use scpfm_domain::validation::ValidationErrors;

use crate::error::{ApiError, Conflict, Resource};
use crate::extract::Caller;
use crate::state::AppState;

/// A create or set request, validated: the core fields and the settings patches given.
struct ParsedRequest {
    core: BudgetCore,
    notifications: Option<NotificationPatch>,
    prevention: Option<PreventionPatch>,
}

/// Validates every field of a create or set body, reporting all problems at once.
fn parse_request(request: &BudgetCreateRequest) -> Result<ParsedRequest, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let name = errors
        .required("name", request.name.as_deref())
        .and_then(|name| errors.check(BudgetName::parse(name)));
    let unit = errors
        .required("unit", request.unit.as_deref())
        .and_then(|unit| errors.check(BudgetUnit::parse("unit", unit)));
    let start_month = errors
        .required("start_month", request.start_month.as_deref())
        .and_then(|month| errors.check(YearMonth::parse_field("start_month", month)));
    let amount = errors
        .required("amount", request.amount.as_ref())
        .and_then(|amount| errors.check(BudgetAmount::parse(*amount)));
    let notifications = request
        .notifications
        .as_ref()
        .and_then(|settings| errors.check_all(parse_notifications(settings)));
    let prevention = request
        .prevention
        .as_ref()
        .and_then(|settings| errors.check_all(parse_prevention(settings)));
    errors.finish()?;
    match (name, unit, start_month, amount) {
        (Some(name), Some(unit), Some(start_month), Some(amount)) => Ok(ParsedRequest {
            core: BudgetCore {
                name,
                unit,
                start_month,
                amount,
            },
            notifications,
            prevention,
        }),
        _ => Err(ValidationErrors::default()),
    }
}

fn parse_notifications(
    settings: &NotificationSettingNew,
) -> Result<NotificationPatch, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let send_period = settings.notification_send_period.as_deref().map(|period| {
        errors.check(SendPeriod::parse(
            "notifications.notification_send_period",
            period,
        ))
    });
    let receivers = settings
        .receivers
        .as_deref()
        .map(|receivers| errors.check_all(parse_receivers("notifications.receivers", receivers)));
    let thresholds = settings.thresholds.as_deref().map(|thresholds| {
        errors.check_all(parse_thresholds("notifications.thresholds", thresholds))
    });
    errors.finish()?;
    Ok(NotificationPatch {
        enabled: settings.is_use_notification,
        send_period: send_period.flatten(),
        receivers: receivers.flatten(),
        thresholds: thresholds.flatten(),
    })
}

fn parse_prevention(settings: &PreventionSettingNew) -> Result<PreventionPatch, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let receivers = settings
        .receivers
        .as_deref()
        .map(|receivers| errors.check_all(parse_receivers("prevention.receivers", receivers)));
    let threshold = settings
        .threshold
        .map(|threshold| errors.check(Threshold::parse("prevention.threshold", threshold)));
    errors.finish()?;
    Ok(PreventionPatch {
        enabled: settings.is_use_prevention,
        receivers: receivers.flatten(),
        threshold: threshold.flatten(),
    })
}

/// The budget `budget_id` of the caller's account, or a 404.
async fn find_budget(
    state: &AppState,
    caller: &Caller,
    budget_id: String,
) -> Result<Budget, ApiError> {
    state
        .store
        .get_budget(&caller.account_id, &budget_id)
        .await?
        .ok_or(ApiError::NotFound {
            resource: Resource::Budget,
            id: budget_id,
        })
}

/// A uniqueness conflict on a budget write means the name is taken in the account.
fn name_taken(name: &BudgetName) -> impl Fn(ApiError) -> ApiError + '_ {
    move |error| match error {
        ApiError::Conflict(Conflict::Duplicate) => {
            ApiError::Conflict(Conflict::DuplicateBudgetName(name.as_str().to_owned()))
        }
        other => other,
    }
}

fn emails(receivers: &[EmailAddress]) -> Vec<String> {
    receivers
        .iter()
        .map(|email| email.as_str().to_owned())
        .collect()
}

/// The `budget` part of a response.
fn detail(budget: &Budget) -> BudgetShowDetail {
    BudgetShowDetail {
        amount: budget.core.amount.krw(),
        created_at: budget_timestamp(budget.created_at),
        created_by: budget.created_by.clone(),
        id: budget.id.to_string(),
        modified_at: budget_timestamp(budget.modified_at),
        modified_by: budget.modified_by.clone(),
        name: budget.core.name.as_str().to_owned(),
        start_month: budget.core.start_month.to_string(),
        budget_type: budget.budget_type.as_str().to_owned(),
        unit: budget.core.unit.as_str().to_owned(),
    }
}

/// The response of create, show and set.
fn show_response(budget: &Budget) -> BudgetAccountShowResponse {
    BudgetAccountShowResponse {
        budget: detail(budget),
        notifications: NotificationSetting {
            is_use_notification: budget.notifications.enabled,
            notification_send_period: budget.notifications.send_period.as_str().to_owned(),
            receivers: emails(&budget.notifications.receivers),
            thresholds: budget
                .notifications
                .thresholds
                .iter()
                .map(|threshold| i64::from(threshold.percent()))
                .collect(),
        },
        prevention: PreventionSetting {
            is_use_prevention: budget.prevention.enabled,
            receivers: emails(&budget.prevention.receivers),
            threshold: i64::from(budget.prevention.threshold.percent()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn every_missing_required_field_is_reported() {
        let errors = parse_request(&BudgetCreateRequest::default())
            .err()
            .unwrap();
        assert_eq!(fields(&errors), ["name", "unit", "start_month", "amount"]);
    }

    #[test]
    fn nested_problems_carry_their_path() {
        let request = BudgetCreateRequest {
            amount: Some(0),
            name: Some("b".into()),
            unit: Some("YEARLY".into()),
            start_month: Some("2026-13".into()),
            notifications: Some(NotificationSettingNew {
                notification_send_period: Some("HOURLY".into()),
                receivers: Some(vec!["x".into()]),
                thresholds: Some(vec![85]),
                ..Default::default()
            }),
            prevention: Some(PreventionSettingNew {
                threshold: Some(60),
                receivers: Some(vec!["ok@test.com".into(), "bad@".into()]),
                ..Default::default()
            }),
        };
        let errors = parse_request(&request).err().unwrap();
        assert_eq!(
            fields(&errors),
            [
                "unit",
                "start_month",
                "amount",
                "notifications.notification_send_period",
                "notifications.receivers[0]",
                "notifications.thresholds[0]",
                "prevention.receivers[1]",
                "prevention.threshold",
            ]
        );
    }
}
