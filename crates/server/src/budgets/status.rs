//! Budget status (scpfm extension): `GET /v1/budgets/account/{budget_id}/status` and
//! `GET /v1/budgets/status` → 200. Where each budget stands now, what the evaluator recorded,
//! and what it mailed.

use crate::json::Json;
use axum::extract::{Path, State};
use scpfm_api_types::budget_status::{
    BudgetPeriodView, BudgetStatus, BudgetStatusListResponse, BudgetStatusResponse,
    NotificationStatus, NotificationView, PreventionStatus, ThresholdStatus,
};
use scpfm_api_types::wire_time::budget_timestamp;
use scpfm_domain::budget_eval::percent_of;
use scpfm_store::budget_evaluations::NotificationRecord;

use crate::error::ApiError;
use crate::extract::Caller;
use crate::openapi::{NotFound, Unauthorized};
use crate::state::AppState;
use scpfm_app::budget_evaluator::{budget_states, BudgetState};
use scpfm_domain::decimal_text::fixed;

/// Notifications a status shows.
const SHOWN: usize = 10;

/// The wire view of a budget's state.
pub fn status_view(state: &BudgetState) -> BudgetStatus {
    let budget = &state.budget;
    let standing = &state.standing;
    let period_key = standing.period.as_ref().map(|period| period.key());
    let this_period =
        |record: &&NotificationRecord| Some(&record.period_key) == period_key.as_ref();
    let thresholds = budget
        .notifications
        .thresholds
        .iter()
        .map(|threshold| {
            let percent = threshold.percent();
            ThresholdStatus {
                threshold: i64::from(percent),
                reached: standing.evaluation.crossed.contains(&percent),
                notified_at: state
                    .notifications
                    .iter()
                    .filter(this_period)
                    .find(|record| {
                        record.threshold == percent
                            && record.kind != scpfm_domain::budget_eval::NoticeKind::Prevention
                    })
                    .map(|record| budget_timestamp(record.created_at)),
            }
        })
        .collect();
    let prevention_state = match (budget.prevention.enabled, standing.evaluation.preventing) {
        (false, _) => "OFF",
        (true, false) => "ALLOWED",
        (true, true) => "PREVENTED",
    };
    let since = state
        .stored
        .as_ref()
        .filter(|stored| {
            standing.evaluation.preventing && Some(&stored.memory.period_key) == period_key.as_ref()
        })
        .and_then(|stored| stored.memory.preventing_since)
        .map(budget_timestamp);
    let history: Vec<NotificationView> = state
        .notifications
        .iter()
        .take(SHOWN)
        .map(notification_view)
        .collect();
    BudgetStatus {
        budget_id: budget.id.to_string(),
        name: budget.core.name.as_str().to_owned(),
        unit: budget.core.unit.as_str().to_owned(),
        amount: budget.core.amount.krw(),
        period: standing.period.as_ref().map(|period| BudgetPeriodView {
            key: period.key(),
            start_month: period.first.to_string(),
            end_month: period.current.to_string(),
        }),
        cost: fixed(standing.evaluation.cost, 3),
        percent: fixed(standing.evaluation.percent, 2),
        forecast: standing.forecast.map(|forecast| fixed(forecast, 0)),
        forecast_percent: standing
            .forecast
            .map(|forecast| fixed(percent_of(forecast, budget.core.amount.krw()), 2)),
        notifications: NotificationStatus {
            is_use_notification: budget.notifications.enabled,
            notification_send_period: budget.notifications.send_period.as_str().to_owned(),
            thresholds,
        },
        prevention: PreventionStatus {
            is_use_prevention: budget.prevention.enabled,
            threshold: i64::from(budget.prevention.threshold.percent()),
            state: prevention_state.to_owned(),
            since,
        },
        evaluated_at: state
            .stored
            .as_ref()
            .map(|stored| budget_timestamp(stored.evaluated_at)),
        last_mail: state
            .notifications
            .iter()
            .find(|record| !record.receivers.is_empty())
            .map(notification_view),
        history,
    }
}

fn notification_view(record: &NotificationRecord) -> NotificationView {
    let count = |n: u32| i64::from(n);
    NotificationView {
        kind: record.kind.as_str().to_owned(),
        period: record.period_key.clone(),
        threshold: i64::from(record.threshold),
        cost: fixed(record.cost, 3),
        percent: fixed(record.percent, 2),
        receivers: record.receivers.clone(),
        recorded_at: budget_timestamp(record.created_at),
        mails_sent: count(record.mail.sent),
        mails_pending: count(record.mail.pending),
        mails_failed: count(record.mail.failed),
        sent_at: record.mail.last_sent_at.map(budget_timestamp),
    }
}

/// Shows where one budget of the caller's account stands.
#[utoipa::path(get, path = "/v1/budgets/account/{budget_id}/status", operation_id = "ShowAccountBudgetStatus",
    description = "show where a budget stands: the current period's cost, percentage, forecast, thresholds reached, prevention state and the mail sent (scpfm extension)",
    params(("budget_id" = String, Path, description = "Budget id", example = "240200fd2b02490ca63bb3965048b493")),
    responses((status = 200, description = "OK", body = BudgetStatusResponse), Unauthorized, NotFound))]
pub async fn get_budget_status(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(budget_id): Path<String>,
) -> Result<Json<BudgetStatusResponse>, ApiError> {
    let budget = super::find_budget(&state, &caller, budget_id).await?;
    let states = budget_states(
        &state.store,
        &caller.account_id,
        vec![budget],
        state.clock.now(),
    )
    .await?;
    let status = states
        .first()
        .map(status_view)
        .ok_or_else(|| ApiError::Internal("a budget's status was not computed".into()))?;
    Ok(Json(BudgetStatusResponse { status }))
}

/// Shows where every budget of the caller's account stands.
#[utoipa::path(get, path = "/v1/budgets/status", operation_id = "ListAccountBudgetStatus",
    description = "show where every budget of the account stands (scpfm extension)",
    responses((status = 200, description = "OK", body = BudgetStatusListResponse), Unauthorized))]
pub async fn list_budget_status(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<BudgetStatusListResponse>, ApiError> {
    let budgets = state.store.account_budgets(&caller.account_id).await?;
    let states =
        budget_states(&state.store, &caller.account_id, budgets, state.clock.now()).await?;
    let budgets: Vec<BudgetStatus> = states.iter().map(status_view).collect();
    Ok(Json(BudgetStatusListResponse {
        count: crate::wire::count(budgets.len()),
        creation_prevented: budgets
            .iter()
            .any(|status| status.prevention.state == "PREVENTED"),
        budgets,
    }))
}
