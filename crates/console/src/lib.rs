//! scpfm's web console, served by `scpfm serve` at `/console/` on the API's listener: the
//! dashboard, cost analysis, bills (CSV and Excel), usage, payments, budgets, planned compute,
//! pricing and the FOCUS export, in Korean and English.
//!
//! Its rooms: [`pages`] (one file per page: extract the session → call the API → render),
//! [`api`] (the public API's handlers called in process as the signed-in key — the console
//! holds no rule of its own), [`session`] and [`limiter`] (sign-in), [`chart`] (SVG charts
//! drawn by the server), [`format`] (₩, $, KST), [`i18n`], [`assets`] (CSS and a little
//! JavaScript, embedded). Templates are askama's, under `templates/`, checked at compile time.

pub mod api;
pub mod assets;
pub mod bill_lines;
pub mod chart;
pub mod format;
pub mod i18n;
pub mod limiter;
pub mod pages;
pub mod session;
pub mod xlsx;

use std::sync::Arc;

use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use scpfm_config::ConsoleSettings;
use scpfm_server::auth::internal::internal_api;
use scpfm_server::AppState;

use crate::limiter::Limiter;
use crate::session::Sessions;

/// What every console page shares.
#[derive(Clone)]
pub struct Console(Arc<Shared>);

/// What [`Console`] shares.
pub struct Shared {
    /// The server's state (clock, store, settings).
    pub state: AppState,
    /// The API, in process.
    pub api: Router,
    /// Signed-in browsers.
    pub sessions: Sessions,
    /// Failed sign-ins.
    pub limiter: Limiter,
    /// Whether cookies are `Secure` (the public URL is https).
    pub secure_cookies: bool,
}

impl std::ops::Deref for Console {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl Console {
    /// The console over `state`, with `settings`.
    pub fn new(state: AppState, settings: &ConsoleSettings) -> Self {
        let idle = chrono::Duration::minutes(i64::try_from(settings.idle_minutes).unwrap_or(30));
        let secure_cookies = state
            .auth
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"));
        Self(Arc::new(Shared {
            api: internal_api(state.clone()),
            state,
            sessions: Sessions::new(idle),
            limiter: Limiter::new(settings.sign_in_failures_per_minute),
            secure_cookies,
        }))
    }
}

/// What `scpfm serve` serves: the API and, when it is enabled, the console at `/console/`
/// with `/` sent there — both behind the API's layers (request ids, access log, metrics,
/// panic guard), so a console request is logged and counted like an API call.
pub fn app(state: AppState, settings: &ConsoleSettings) -> Router {
    let mut routes = scpfm_server::api_routes(&state);
    if settings.enabled {
        let console = Console::new(state.clone(), settings);
        routes = routes
            .route("/", get(|| async { Redirect::to("/console/") }))
            .merge(pages::router(console));
    }
    scpfm_server::layered(routes, state)
}

/// Every template's source, for the test that every text key exists.
#[cfg(test)]
pub(crate) fn templates_source() -> Vec<(&'static str, &'static str)> {
    macro_rules! sources {
        ($($name:literal),* $(,)?) => {
            vec![$(($name, include_str!(concat!("../templates/", $name)))),*]
        };
    }
    sources!(
        "base.html",
        "sign_in.html",
        "dashboard.html",
        "cost.html",
        "bills.html",
        "usage.html",
        "payments.html",
        "budgets.html",
        "budget.html",
        "budget_form.html",
        "budget_delete.html",
        "planned.html",
        "planned_one.html",
        "pricing.html",
        "focus.html",
        "problem.html",
    )
}
