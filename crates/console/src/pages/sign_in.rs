//! Sign-in (access key + secret key), sign-out and the language switch.
//!
//! The form carries a token that must match its cookie (no sign-in CSRF). A successful
//! sign-in starts a session (cookie `HttpOnly`, `SameSite=Strict`, path
//! `/console`, `Secure` behind an https public URL) and goes on to the page asked for (a
//! path under `/console/` only — never another site). Failures are limited per key and per
//! client address ([`crate::limiter`]); the secret is never logged or kept.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use http::{header, HeaderMap, StatusCode};
use scpfm_server::auth::internal::{sign_in, SignInRefused};
use serde::Deserialize;

use super::{lang_of, render, Chrome, Signed};
use crate::i18n::{self, Lang};
use crate::session::{self, COOKIE};
use crate::Console;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    access_key: String,
    message: Option<&'static str>,
}

/// `?next=…&expired=1`.
#[derive(Debug, Default, Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    expired: Option<String>,
}

/// The form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    access_key: String,
    #[serde(default)]
    secret_key: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

/// The cookie holding the sign-in form's token: a form posted from another site carries
/// neither it (`SameSite=Strict`) nor the token, so it is refused (no sign-in CSRF).
const FORM_COOKIE: &str = "scpfm_signin";

/// The sign-in form (with a fresh token in the page and its cookie), with `status`.
fn sign_in_page(
    console: &Console,
    lang: Lang,
    (next, access_key): (&str, &str),
    message: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let token = session::random_token();
    let page = SignInPage {
        chrome: chrome(lang),
        csrf: token.clone(),
        next: safe_next(next),
        access_key: access_key.to_owned(),
        message,
    };
    let cookie = format!(
        "{FORM_COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict{}",
        secure(console)
    );
    (status, [(header::SET_COOKIE, cookie)], render(lang, &page)).into_response()
}

fn secure(console: &Console) -> &'static str {
    if console.secure_cookies {
        "; Secure"
    } else {
        ""
    }
}

fn chrome(lang: Lang) -> Chrome {
    Chrome {
        lang,
        account: String::new(),
        csrf: String::new(),
        nav: "",
        title: lang.t("sign_in").to_owned(),
        version: crate::assets::VERSION.as_str(),
        here: "/console/sign-in".to_owned(),
    }
}

/// Only a console path may be gone on to after sign-in.
fn safe_next(next: &str) -> String {
    let inside = next.starts_with("/console/") && !next.starts_with("/console//");
    if inside && !next.contains('\\') {
        next.to_owned()
    } else {
        "/console/".to_owned()
    }
}

/// `GET /console/sign-in`.
pub async fn form(
    State(console): State<Console>,
    headers: HeaderMap,
    Query(query): Query<SignInQuery>,
) -> Response {
    let lang = lang_of(&headers);
    let message = query.expired.map(|_| lang.t("sign_in.expired"));
    sign_in_page(&console, lang, (&query.next, ""), message, StatusCode::OK)
}

/// `POST /console/sign-in`.
pub async fn submit(
    State(console): State<Console>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let lang = lang_of(&headers);
    let now = console.state.auth_clock.now();
    let address = peer.map_or_else(
        || "unknown".to_owned(),
        |Extension(ConnectInfo(addr))| addr.ip().to_string(),
    );
    let subjects = [
        format!("key:{}", form.access_key.trim()),
        format!("addr:{address}"),
    ];
    let refuse = |status: StatusCode, key: &'static str| {
        let typed = (form.next.as_str(), form.access_key.as_str());
        sign_in_page(&console, lang, typed, Some(lang.t(key)), status)
    };
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let expected = session::cookie(cookies, FORM_COOKIE).unwrap_or("");
    if !session::same_token(expected, &form.csrf) {
        return refuse(StatusCode::FORBIDDEN, "forbidden.csrf");
    }
    if console.limiter.wait_seconds(&subjects, now) > 0 {
        return refuse(StatusCode::TOO_MANY_REQUESTS, "sign_in.wait");
    }
    let verdict = match sign_in(&console.state, form.access_key.trim(), &form.secret_key).await {
        Ok(verdict) => verdict,
        Err(_) => return refuse(StatusCode::SERVICE_UNAVAILABLE, "error"),
    };
    let caller = match verdict {
        Ok(caller) => caller,
        Err(refused) => {
            console.limiter.failed(&subjects, now);
            tracing::info!(access_key = %form.access_key.trim(), "console sign-in refused");
            let key = match refused {
                SignInRefused::WrongKeyOrSecret => "sign_in.wrong",
                SignInRefused::Disabled => "sign_in.disabled",
            };
            return refuse(StatusCode::UNAUTHORIZED, key);
        }
    };
    let token = console
        .sessions
        .start(&caller.access_key, caller.account_id.as_str(), now);
    let cookie = format!(
        "{COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict{}",
        secure(&console)
    );
    let used = format!("{FORM_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    tracing::info!(account.id = %caller.account_id, "console sign-in");
    let mut response = Redirect::to(&safe_next(&form.next)).into_response();
    for value in [cookie, used] {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

impl CsrfForm {
    /// The token posted.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /console/sign-out`.
pub async fn sign_out(
    State(console): State<Console>,
    signed: Signed,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(refused) = signed.forged(&form.csrf) {
        return refused;
    }
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if let Some(token) = session::cookie(cookies, COOKIE) {
        console.sessions.end(token);
    }
    let expired = format!("{COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    (
        [(header::SET_COOKIE, expired)],
        Redirect::to("/console/sign-in"),
    )
        .into_response()
}

/// `?back=…`.
#[derive(Debug, Deserialize)]
pub struct Back {
    #[serde(default)]
    back: String,
}

/// `GET /console/lang/{code}?back=…`: remembers the language for a year and goes back.
pub async fn switch_language(
    axum::extract::Path(code): axum::extract::Path<String>,
    Query(back): Query<Back>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Ko);
    let cookie = format!(
        "{}={}; Path=/console; SameSite=Strict; Max-Age=31536000",
        i18n::COOKIE,
        lang.code()
    );
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(&back.back)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_console_paths_are_gone_on_to() {
        assert_eq!(
            safe_next("/console/bills?month=2026-10"),
            "/console/bills?month=2026-10"
        );
        assert_eq!(safe_next("https://evil.example/"), "/console/");
        assert_eq!(safe_next("//evil.example/console/"), "/console/");
        assert_eq!(safe_next("/console//evil.example"), "/console/");
        assert_eq!(safe_next("/console/\\evil"), "/console/");
        assert_eq!(safe_next(""), "/console/");
    }
}
