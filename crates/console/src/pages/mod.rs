//! The console's pages, one file each, and what they share: the one route table of the
//! console ([`router`]), the signed-in extractor ([`Signed`]: a live session or back to
//! sign-in), the page chrome, CSRF checks and the problem pages (404, 403, 500).

pub(crate) mod bills;
mod budget_form;
mod budgets;
mod cost;
mod dashboard;
mod focus;
mod payments;
mod planned;
mod pricing;
mod sign_in;
mod usage;

use askama::Template;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{any, get, post};
use axum::Router;
use http::request::Parts;
use http::{header, HeaderMap, StatusCode};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::{Api, ApiFailure};
use crate::i18n::{self, Lang};
use crate::session::{self, Session};
use crate::Console;

/// The console's route table: every path under `/console/`, for merging into the API's
/// routes (whole paths, so each is its own route template in the access log and metrics).
pub fn router<S: Clone + Send + Sync + 'static>(console: Console) -> Router<S> {
    Router::new()
        .route("/console", get(|| async { Redirect::to("/console/") }))
        .route("/console/", get(dashboard::page))
        .route("/console/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/console/sign-out", post(sign_in::sign_out))
        .route("/console/lang/{code}", get(sign_in::switch_language))
        .route("/console/cost", get(cost::page))
        .route("/console/cost.csv", get(cost::csv))
        .route("/console/bills", get(bills::page))
        .route("/console/bills.csv", get(bills::csv))
        .route("/console/bills.xlsx", get(bills::xlsx))
        .route("/console/usage", get(usage::page))
        .route("/console/payments", get(payments::page))
        .route("/console/budgets", get(budgets::list))
        .route("/console/budgets/new", get(budget_form::new).post(budget_form::create))
        .route("/console/budgets/{id}", get(budgets::one))
        .route("/console/budgets/{id}/edit", get(budget_form::edit).post(budget_form::update))
        .route("/console/budgets/{id}/delete", get(budgets::confirm_delete).post(budgets::delete))
        .route("/console/planned-compute", get(planned::list))
        .route("/console/planned-compute/{id}", get(planned::one).post(planned::change))
        .route("/console/pricing", get(pricing::page))
        .route("/console/focus", get(focus::page))
        .route("/console/focus.csv", get(focus::download_csv))
        .route("/console/assets/{name}", get(crate::assets::serve))
        .route("/console/{*rest}", any(not_found_page))
        .with_state(console)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            http::HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            http::HeaderValue::from_static("nosniff"),
        ))
        .layer(compression())
}

/// gzip for browsers that ask for it: pages, CSS, script and CSV shrink to about a third. An
/// Excel file is a zip already and is sent as it is.
fn compression() -> CompressionLayer<impl Predicate> {
    let not_xlsx = NotForContentType::const_new(crate::xlsx::CONTENT_TYPE);
    CompressionLayer::new().compress_when(DefaultPredicate::new().and(not_xlsx))
}

/// What the layout shows around every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The language.
    pub lang: Lang,
    /// The signed-in account (empty on the sign-in page).
    pub account: String,
    /// The form token.
    pub csrf: String,
    /// The current section (`nav.*` key) for the menu.
    pub nav: &'static str,
    /// The page's title.
    pub title: String,
    /// The assets' version.
    pub version: &'static str,
    /// This page's path and query (for the language switch's way back).
    pub here: String,
}

impl Chrome {
    /// A text in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// Whether `nav` is the current section.
    pub fn is(&self, nav: &str) -> bool {
        self.nav == nav
    }
}

/// The menu: (path, text key).
pub const MENU: &[(&str, &str)] = &[
    ("/console/", "nav.dashboard"),
    ("/console/cost", "nav.cost"),
    ("/console/bills", "nav.bills"),
    ("/console/usage", "nav.usage"),
    ("/console/payments", "nav.payments"),
    ("/console/budgets", "nav.budgets"),
    ("/console/planned-compute", "nav.planned"),
    ("/console/pricing", "nav.pricing"),
    ("/console/focus", "nav.focus"),
];

/// The language of a request (cookie, then `Accept-Language`).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    Lang::pick(session::cookie(cookies, i18n::COOKIE), accept)
}

/// A signed-in request: its session, language and the API as its key.
pub struct Signed {
    /// The session.
    pub session: Session,
    /// The language.
    pub lang: Lang,
    /// The API as the session's key.
    pub api: Api,
    /// The path and query asked for.
    pub here: String,
}

impl Signed {
    /// The chrome of a page of section `nav` titled by the text `title`.
    pub fn chrome(&self, nav: &'static str, title: &str) -> Chrome {
        Chrome {
            lang: self.lang,
            account: self.session.account_id.clone(),
            csrf: self.session.csrf.clone(),
            nav,
            title: title.to_owned(),
            version: crate::assets::VERSION.as_str(),
            here: self.here.clone(),
        }
    }

    /// The 403 page for a form whose token is not the session's; `None` when it is.
    pub fn forged(&self, given: &str) -> Option<Response> {
        (!session::same_token(&self.session.csrf, given)).then(|| {
            problem(
                self.lang,
                StatusCode::FORBIDDEN,
                "forbidden",
                self.lang.t("forbidden.csrf"),
            )
        })
    }
}

impl FromRequestParts<Console> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Console) -> Result<Self, Response> {
        let here = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.to_string(), |uri| uri.0.to_string());
        let lang = lang_of(&parts.headers);
        let cookies = parts
            .headers
            .get(header::COOKIE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let token = session::cookie(cookies, session::COOKIE);
        let now = console.state.auth_clock.now();
        let Some(session) = token.and_then(|token| console.sessions.touch(token, now)) else {
            let expired = if token.is_some() { "&expired=1" } else { "" };
            let next = crate::api::query_string(&[("next", here.as_str())]);
            return Err(Redirect::to(&format!("/console/sign-in?{next}{expired}")).into_response());
        };
        let api = Api::new(console.api.clone(), &session.access_key, lang);
        Ok(Self {
            session,
            lang,
            api,
            here,
        })
    }
}

/// Renders `page` as HTML (a template fault is a 500 page).
pub fn render<T: Template>(lang: Lang, page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(error = %error, "a console template failed");
            problem(lang, StatusCode::INTERNAL_SERVER_ERROR, "error", "")
        }
    }
}

/// The page `page` makes of the API's `answer`, or the problem page of its failure: the
/// shape of every page that shows one answer.
pub fn render_answer<A, T: Template>(
    lang: Lang,
    answer: Result<A, ApiFailure>,
    page: impl FnOnce(A) -> T,
) -> Response {
    match answer {
        Ok(answer) => render(lang, &page(answer)),
        Err(failure) => api_problem(lang, &failure),
    }
}

#[derive(Template)]
#[template(path = "problem.html")]
struct ProblemPage {
    chrome: Chrome,
    status: u16,
    detail: String,
}

/// A problem page: 404, 403, 500… in the layout, without the menu's account.
pub fn problem(lang: Lang, status: StatusCode, title: &str, detail: &str) -> Response {
    let page = ProblemPage {
        chrome: Chrome {
            lang,
            account: String::new(),
            csrf: String::new(),
            nav: "",
            title: lang.t(title).to_owned(),
            version: crate::assets::VERSION.as_str(),
            here: "/console/".to_owned(),
        },
        status: status.as_u16(),
        detail: detail.to_owned(),
    };
    let html = page.render().unwrap_or_else(|_| lang.t(title).to_owned());
    (status, Html(html)).into_response()
}

/// The page for an API failure: its 404 as the not-found page, anything else as an error.
pub fn api_problem(lang: Lang, failure: &ApiFailure) -> Response {
    match failure {
        failure if failure.is_not_found() => problem(
            lang,
            StatusCode::NOT_FOUND,
            "not_found",
            lang.t("not_found.lead"),
        ),
        ApiFailure::Refused { status, .. } => problem(lang, *status, "error", &failure.detail()),
        ApiFailure::Broken(why) => {
            tracing::error!(error = %why, "the console could not read the API's answer");
            problem(lang, StatusCode::INTERNAL_SERVER_ERROR, "error", "")
        }
    }
}

async fn not_found_page(headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    problem(
        lang,
        StatusCode::NOT_FOUND,
        "not_found",
        lang.t("not_found.lead"),
    )
}

/// The values of a comma-separated form field (a repeatable API parameter), if any.
pub fn comma_list(text: &str) -> Option<Vec<String>> {
    let items: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect();
    (!items.is_empty()).then_some(items)
}

/// A file download.
pub fn download(content_type: &str, filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}
