//! The console over HTTP, on the demo organisation: every page's status and content,
//! sign-in required and limited, CSRF refused, another account's ids a 404, idle sessions
//! ended, downloads that agree with the API — on SQLite and PostgreSQL.

mod focus;
mod pages;
mod sessions;

use http::{header, HeaderMap, StatusCode};
use scpfm_admin::demo::DemoAccount;

use crate::helpers::TestApp;

/// A browser without JavaScript: its cookies, no redirects followed.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    cookies: std::sync::Mutex<Vec<(String, String)>>,
    /// Its `Accept-Language`.
    pub lang: &'static str,
}

/// A response: status, headers, body.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// The form token in the page.
    pub fn csrf(&self) -> String {
        let text = self.text();
        let at = text.find("name=\"csrf\" value=\"").expect("a form token");
        text[at + 19..].split('"').next().unwrap().to_owned()
    }
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.url(),
            cookies: std::sync::Mutex::new(Vec::new()),
            lang: "en",
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = match cookie.is_empty() {
            true => request,
            false => request.header(header::COOKIE, cookie),
        };
        let response = request
            .header(header::ACCEPT_LANGUAGE, self.lang)
            .send()
            .await
            .unwrap();
        let page = Page {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.bytes().await.unwrap().to_vec(),
        };
        let mut jar = self.cookies.lock().unwrap();
        for set in page.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            jar.retain(|(known, _)| known != name);
            if !set.contains("Max-Age=0") {
                jar.push((name.to_owned(), value.to_owned()));
            }
        }
        drop(jar);
        page
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// `path` from a browser that takes gzip (`Accept-Encoding: gzip`), the body as sent.
    pub async fn get_gzip(&self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request.header(header::ACCEPT_ENCODING, "gzip"))
            .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(self.http.post(format!("{}{path}", self.base)).form(form))
            .await
    }

    /// Signs in with `key` through the form (its token and cookie): the response.
    pub async fn sign_in(&mut self, access_key: &str, secret_key: &str) -> Page {
        let csrf = self.get("/console/sign-in").await.csrf();
        self.post(
            "/console/sign-in",
            &[
                ("access_key", access_key),
                ("secret_key", secret_key),
                ("next", "/console/"),
                ("csrf", &csrf),
            ],
        )
        .await
    }

    /// The `Set-Cookie` of `name` in `page`.
    pub fn set_cookie(page: &Page, name: &str) -> String {
        page.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .find(|value| value.starts_with(&format!("{name}=")))
            .unwrap_or_default()
    }

    /// A browser signed in as the demo account `name`.
    pub async fn signed_in(app: &TestApp, accounts: &[DemoAccount], name: &str) -> Self {
        let account = accounts.iter().find(|a| a.name == name).unwrap();
        let mut browser = Self::new(app);
        let page = browser
            .sign_in(account.access_key, account.secret_key)
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
        browser
    }
}
