//! The budget form, for creating and editing: sent to the API as typed (an amount that is not
//! a number goes as the text it is), so the API's validation decides, and each of its errors
//! is shown beside the field it names; the rest above the form.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use http::Method;
use scpfm_api_types::budget::BudgetAccountShowResponse;
use scpfm_api_types::error::ErrorItem;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{api_problem, render, Chrome, Signed};
use crate::api::ApiFailure;
use crate::Console;

/// The thresholds a budget may use.
pub const THRESHOLDS: [i64; 4] = [70, 80, 90, 100];

/// The form, as posted (and as shown again).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BudgetForm {
    /// CSRF token.
    pub csrf: String,
    /// Name.
    pub name: String,
    /// Amount (KRW), as typed.
    pub amount: String,
    /// `MONTHLY` or `OVERALL`.
    pub unit: String,
    /// `YYYY-MM`.
    pub start_month: String,
    /// `on` when notifications are used.
    pub notify: Option<String>,
    /// `FIRST`, `DAILY` or `NONE`.
    pub send_period: String,
    /// Comma-separated addresses.
    pub receivers: String,
    /// Checked thresholds (`t70`…`t100`).
    pub t70: Option<String>,
    /// 80 %.
    pub t80: Option<String>,
    /// 90 %.
    pub t90: Option<String>,
    /// 100 %.
    pub t100: Option<String>,
    /// `on` when creation is prevented past the threshold.
    pub prevent: Option<String>,
    /// Prevention threshold.
    pub prevent_threshold: String,
    /// Comma-separated addresses.
    pub prevent_receivers: String,
}

fn addresses(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A number when it is one, else the text as typed (the API names the field).
fn number_or_text(text: &str) -> Value {
    text.trim()
        .parse::<i64>()
        .map_or_else(|_| Value::String(text.trim().to_owned()), Value::from)
}

impl BudgetForm {
    fn thresholds(&self) -> Vec<i64> {
        [&self.t70, &self.t80, &self.t90, &self.t100]
            .iter()
            .zip(THRESHOLDS)
            .filter(|(checked, _)| checked.is_some())
            .map(|(_, t)| t)
            .collect()
    }

    /// Whether threshold `t` is checked.
    pub fn has(&self, t: &i64) -> bool {
        self.thresholds().contains(t)
    }

    /// The API's request body.
    pub fn body(&self) -> Value {
        json!({
            "name": self.name.trim(),
            "amount": number_or_text(&self.amount),
            "unit": self.unit,
            "start_month": self.start_month.trim(),
            "notifications": {
                "is_use_notification": self.notify.is_some(),
                "notification_send_period": self.send_period,
                "receivers": addresses(&self.receivers),
                "thresholds": self.thresholds(),
            },
            "prevention": {
                "is_use_prevention": self.prevent.is_some(),
                "receivers": addresses(&self.prevent_receivers),
                "threshold": number_or_text(&self.prevent_threshold),
            },
        })
    }

    /// The form of an existing budget.
    pub fn of(budget: &BudgetAccountShowResponse) -> Self {
        let notifications = &budget.notifications;
        let on = |yes: bool| yes.then(|| "on".to_owned());
        let has = |t: i64| on(notifications.thresholds.contains(&t));
        Self {
            csrf: String::new(),
            name: budget.budget.name.clone(),
            amount: budget.budget.amount.to_string(),
            unit: budget.budget.unit.clone(),
            start_month: budget.budget.start_month.clone(),
            notify: on(notifications.is_use_notification),
            send_period: notifications.notification_send_period.clone(),
            receivers: notifications.receivers.join(", "),
            t70: has(70),
            t80: has(80),
            t90: has(90),
            t100: has(100),
            prevent: on(budget.prevention.is_use_prevention),
            prevent_threshold: budget.prevention.threshold.to_string(),
            prevent_receivers: budget.prevention.receivers.join(", "),
        }
    }
}

#[derive(Template)]
#[template(path = "budget_form.html")]
struct FormPage {
    chrome: Chrome,
    action: String,
    form: BudgetForm,
    errors: Vec<ErrorItem>,
    thresholds: [i64; 4],
}

impl FormPage {
    /// The errors of the field `name` (or under it, `notifications.receivers[0]`).
    fn errors_of(&self, name: &str) -> Vec<&ErrorItem> {
        self.errors
            .iter()
            .filter(|e| {
                e.field.as_deref().is_some_and(|f| {
                    f == name
                        || f.starts_with(&format!("{name}["))
                        || f.starts_with(&format!("{name}."))
                })
            })
            .collect()
    }

    /// Errors that name no field of the form.
    fn general_errors(&self) -> Vec<&ErrorItem> {
        const FIELDS: &[&str] = &[
            "name",
            "amount",
            "unit",
            "start_month",
            "notifications",
            "prevention",
        ];
        self.errors
            .iter()
            .filter(|e| {
                !e.field
                    .as_deref()
                    .is_some_and(|f| FIELDS.iter().any(|n| f.starts_with(n)))
            })
            .collect()
    }
}

fn form_page(
    signed: &Signed,
    title_key: &str,
    action: String,
    form: BudgetForm,
    errors: Vec<ErrorItem>,
) -> Response {
    let page = FormPage {
        chrome: signed.chrome("nav.budgets", signed.lang.t(title_key)),
        action,
        form,
        errors,
        thresholds: THRESHOLDS,
    };
    render(signed.lang, &page)
}

/// `GET /console/budgets/new`.
pub async fn new(State(console): State<Console>, signed: Signed) -> Response {
    let month = super::cost::today(&console).format("%Y-%m").to_string();
    let form = BudgetForm {
        unit: "MONTHLY".into(),
        start_month: month,
        notify: Some("on".into()),
        send_period: "FIRST".into(),
        t80: Some("on".into()),
        t100: Some("on".into()),
        prevent_threshold: "100".into(),
        ..BudgetForm::default()
    };
    form_page(
        &signed,
        "budget.new",
        "/console/budgets/new".into(),
        form,
        Vec::new(),
    )
}

/// Sends the form; on the API's refusal, the form again with its errors (422).
async fn submit(
    signed: &Signed,
    method: Method,
    path: &str,
    form: BudgetForm,
    title_key: &str,
    action: String,
) -> Response {
    if let Some(refused) = signed.forged(&form.csrf) {
        return refused;
    }
    let sent = signed
        .api
        .send::<BudgetAccountShowResponse, _>(method, path, &form.body())
        .await;
    match sent {
        Ok(saved) => Redirect::to(&format!("/console/budgets/{}", saved.budget.id)).into_response(),
        Err(ApiFailure::Refused { status, errors })
            if status.is_client_error() && status.as_u16() != 404 =>
        {
            let mut page = form_page(signed, title_key, action, form, errors);
            *page.status_mut() = http::StatusCode::UNPROCESSABLE_ENTITY;
            page
        }
        Err(failure) => api_problem(signed.lang, &failure),
    }
}

/// `POST /console/budgets/new`.
pub async fn create(signed: Signed, Form(form): Form<BudgetForm>) -> Response {
    submit(
        &signed,
        Method::POST,
        "/v1/budgets/account",
        form,
        "budget.new",
        "/console/budgets/new".into(),
    )
    .await
}

/// `GET /console/budgets/{id}/edit`.
pub async fn edit(signed: Signed, Path(id): Path<String>) -> Response {
    let path = format!("/v1/budgets/account/{}", urlencoding(&id));
    match signed
        .api
        .get::<BudgetAccountShowResponse, _>(&path, &())
        .await
    {
        Ok(budget) => form_page(
            &signed,
            "budget.edit",
            format!("/console/budgets/{}/edit", urlencoding(&id)),
            BudgetForm::of(&budget),
            Vec::new(),
        ),
        Err(failure) => api_problem(signed.lang, &failure),
    }
}

/// `POST /console/budgets/{id}/edit`.
pub async fn update(
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<BudgetForm>,
) -> Response {
    let path = format!("/v1/budgets/account/{}", urlencoding(&id));
    let action = format!("/console/budgets/{}/edit", urlencoding(&id));
    submit(&signed, Method::PUT, &path, form, "budget.edit", action).await
}

/// A path segment, percent-encoded.
pub fn urlencoding(segment: &str) -> String {
    scpfm_signing::encode_query_component(segment)
}
