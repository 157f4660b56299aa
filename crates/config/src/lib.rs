//! scpfm's settings, typed: built-in defaults, then a TOML file, then environment variables.
//!
//! The file is `--config FILE`, else `SCPFM_CONFIG`, else `./scpfm.toml` when it exists.
//! Environment variables override it as `SCPFM_<SECTION>__<KEY>` (for example
//! `SCPFM_SERVER__LISTEN=0.0.0.0:8080`), and `DATABASE_URL` sets `database.url`.
//! Command-line flags override everything. `scpfm.example.toml` documents every key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use figment::providers::{Env, Format as _, Toml};
use figment::Figment;
use serde::Deserialize;

mod console;

pub use console::ConsoleSettings;

/// Every setting of the server and the admin commands.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// HTTP listener.
    pub server: ServerSettings,
    /// Database location.
    pub database: DatabaseSettings,
    /// Request authentication.
    pub auth: AuthSettings,
    /// Log output.
    pub log: LogSettings,
    /// The price catalogue.
    pub catalog: CatalogSettings,
    /// Month close.
    pub billing: BillingSettings,
    /// Budget evaluation.
    pub budgets: BudgetSettings,
    /// Outgoing mail (budget notifications).
    pub mail: MailSettings,
    /// The server's clock.
    pub clock: ClockSettings,
    /// Prometheus metrics.
    pub metrics: MetricsSettings,
    /// The web console.
    pub console: ConsoleSettings,
}

/// `[budgets]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetSettings {
    /// Evaluate every budget every this many seconds (`SCPFM_BUDGETS__EVALUATE_EVERY_SECONDS`,
    /// default 300). Budgets are also evaluated after each ingestion that changes their
    /// account's bills, after they are created or set, and by `scpfm budgets evaluate`; 0 turns
    /// only the periodic run off.
    pub evaluate_every_seconds: u64,
}

impl Default for BudgetSettings {
    fn default() -> Self {
        Self {
            evaluate_every_seconds: 300,
        }
    }
}

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTls {
    /// Plain SMTP (a relay on the same host or a local sink).
    None,
    /// STARTTLS required (submission, port 587).
    #[default]
    Starttls,
    /// Implicit TLS (SMTPS, port 465).
    Tls,
}

/// What a server that died in the middle of sending a mail does with it on restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailDelivery {
    /// Send it again: no mail is lost; in the rare case that the SMTP server had already
    /// accepted it, the receiver gets it twice, with the same `Message-ID`.
    #[default]
    AtLeastOnce,
    /// Never send it again: no mail arrives twice; such a mail is marked `UNCERTAIN`.
    AtMostOnce,
}

/// The language of notification mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum MailLanguage {
    /// Korean, then English, in one mail.
    #[default]
    #[serde(rename = "both")]
    Both,
    /// Korean.
    #[serde(rename = "ko-KR")]
    Korean,
    /// English.
    #[serde(rename = "en-US")]
    English,
}

/// `[mail]`: the SMTP server budget notifications go through.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// SMTP server host (`SCPFM_MAIL__HOST`). Unset: notifications are recorded and their mail
    /// waits in the outbox until a server is configured.
    pub host: Option<String>,
    /// SMTP port (`SCPFM_MAIL__PORT`; default 25 with `tls = "none"`, 587 with `starttls`,
    /// 465 with `tls`).
    pub port: Option<u16>,
    /// `none`, `starttls` (default) or `tls` (`SCPFM_MAIL__TLS`).
    pub tls: MailTls,
    /// SMTP user name, when the server wants one (`SCPFM_MAIL__USERNAME`).
    pub username: Option<String>,
    /// SMTP password (`SCPFM_MAIL__PASSWORD`); never logged.
    pub password: Option<secrecy::SecretString>,
    /// The `From` of every mail (`SCPFM_MAIL__FROM`, default
    /// `scpfm budgets <budgets@scpfm.localhost>`); its domain also names the `Message-ID`s.
    pub from: String,
    /// `both` (default: Korean, then English), `ko-KR` or `en-US` (`SCPFM_MAIL__LANGUAGE`).
    pub language: MailLanguage,
    /// Seconds one attempt to send a mail may take, connecting included
    /// (`SCPFM_MAIL__TIMEOUT_SECONDS`, 30); a slower one is retried later.
    pub timeout_seconds: u64,
    /// Seconds between looks for mail that is due (`SCPFM_MAIL__POLL_SECONDS`, 5); new mail
    /// is also sent as soon as it is queued.
    pub poll_seconds: u64,
    /// Wait before the first retry, doubled each time (`SCPFM_MAIL__RETRY_INITIAL_SECONDS`, 30).
    pub retry_initial_seconds: u64,
    /// Longest wait between retries (`SCPFM_MAIL__RETRY_MAX_SECONDS`, 3600).
    pub retry_max_seconds: u64,
    /// Attempts after which a mail the SMTP server refuses permanently (5xx) is given up
    /// (`SCPFM_MAIL__MAX_ATTEMPTS`, 10). Temporary failures (4xx, refused connections,
    /// timeouts) are retried until they succeed.
    pub max_attempts: u32,
    /// `at-least-once` (default) or `at-most-once` (`SCPFM_MAIL__DELIVERY`): what happens to a
    /// mail whose sender died in the middle of sending it.
    pub delivery: MailDelivery,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            host: None,
            port: None,
            tls: MailTls::default(),
            username: None,
            password: None,
            from: "scpfm budgets <budgets@scpfm.localhost>".into(),
            language: MailLanguage::default(),
            timeout_seconds: 30,
            poll_seconds: 5,
            retry_initial_seconds: 30,
            retry_max_seconds: 3_600,
            max_attempts: 10,
            delivery: MailDelivery::default(),
        }
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("language", &self.language)
            .field("delivery", &self.delivery)
            .finish_non_exhaustive()
    }
}

impl MailSettings {
    /// The port: the configured one or the usual one for the TLS mode.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            MailTls::None => 25,
            MailTls::Starttls => 587,
            MailTls::Tls => 465,
        })
    }
}

/// `[clock]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockSettings {
    /// Start the server's clock at this instant (RFC 3339, e.g. `2026-11-20T12:00:00+09:00`)
    /// and let it run from there (`SCPFM_CLOCK__START`). Default: the system clock. For
    /// demos, tests and replays of past months; never for real bills.
    pub start: Option<String>,
}

/// `[billing]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BillingSettings {
    /// Close each month automatically this many hours after it ends (KST), so late usage
    /// still has time to arrive (`SCPFM_BILLING__CLOSE_AFTER_HOURS`, default 72; a month can
    /// always be closed earlier by hand with `scpfm month close`).
    pub close_after_hours: u32,
    /// Run the month-close check every this many seconds; 0 turns automatic closing off
    /// (`SCPFM_BILLING__CLOSE_CHECK_SECONDS`, default 600).
    pub close_check_seconds: u64,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            close_after_hours: 72,
            close_check_seconds: 600,
        }
    }
}

/// `[catalog]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogSettings {
    /// The catalogue file (`SCPFM_CATALOG__PATH`; default: the catalogue built into scpfm,
    /// `catalog/scp-catalog.toml`). Checked at start; a broken catalogue stops the server.
    pub path: Option<std::path::PathBuf>,
}

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on (`SCPFM_SERVER__LISTEN`, default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// The scheme and host clients call, e.g. `https://budget.example.com`, when a proxy
    /// in front rewrites them (`SCPFM_SERVER__PUBLIC_URL`, default: taken from each request's
    /// `Host` and `X-Forwarded-Proto`). Signatures are verified against this URL.
    pub public_url: Option<String>,
    /// Seconds in-flight requests get to finish after SIGTERM/SIGINT
    /// (`SCPFM_SERVER__SHUTDOWN_GRACE_SECONDS`, default 20).
    pub shutdown_grace_seconds: u64,
    /// Most connections open at once (`SCPFM_SERVER__MAX_CONNECTIONS`, default 10,000); past
    /// that, new connections wait in the kernel's backlog until one closes. Keep it below the
    /// process's descriptor limit (`ulimit -n`), which the database needs too.
    pub max_connections: usize,
    /// Seconds a connection may take to send a request's complete headers, counted from when
    /// the server is ready for it: a keep-alive connection idle this long is closed too
    /// (`SCPFM_SERVER__HEADER_READ_TIMEOUT_SECONDS`, default 30).
    pub header_read_timeout_seconds: u64,
    /// Seconds a request's body may take to arrive once its headers are read; a slower body is
    /// answered 408 (`SCPFM_SERVER__REQUEST_TIMEOUT_SECONDS`, default 60).
    pub request_timeout_seconds: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            shutdown_grace_seconds: 20,
            max_connections: 10_000,
            header_read_timeout_seconds: 30,
            request_timeout_seconds: 60,
        }
    }
}

impl ServerSettings {
    /// The connection limits these settings describe.
    pub fn limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            max_connections: self.max_connections,
            header_read_timeout: std::time::Duration::from_secs(
                self.header_read_timeout_seconds.max(1),
            ),
            request_timeout: std::time::Duration::from_secs(self.request_timeout_seconds.max(1)),
        }
    }
}

/// The limits on connections, from `[server]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Longest wait for a request's complete headers (idle keep-alive included).
    pub header_read_timeout: std::time::Duration,
    /// Longest time a request's body may take to arrive.
    pub request_timeout: std::time::Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 10_000,
            header_read_timeout: std::time::Duration::from_secs(30),
            request_timeout: std::time::Duration::from_secs(60),
        }
    }
}

/// `[metrics]`: Prometheus metrics at `/metrics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// Serve `/metrics` (`SCPFM_METRICS__ENABLED`, default true). It needs no signature and
    /// tells nothing of any account: request counts by route and status, latencies, open
    /// connections, ingestion, mail outbox, budget evaluations, database pool.
    pub enabled: bool,
    /// Serve `/metrics` on this address of its own instead of the API's listener
    /// (`SCPFM_METRICS__LISTEN`, e.g. `127.0.0.1:9090`; default: on the API's listener).
    pub listen: Option<SocketAddr>,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: None,
        }
    }
}

/// `[database]`.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite:PATH` or `postgres://…` (`DATABASE_URL` or `SCPFM_DATABASE__URL`,
    /// default `sqlite:data/scpfm.db`). May hold a password: never logged unredacted.
    pub url: String,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: "sqlite:data/scpfm.db".into(),
        }
    }
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &scpfm_store::db::redact_url(&self.url))
            .finish()
    }
}

/// Whether, and where, requests already served are remembered to refuse their replays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplayGuardMode {
    /// No replay protection (the default): a signature is valid for its whole window, as
    /// SCP documents and SigV4-style clients expect.
    #[default]
    Off,
    /// In this process only (forgotten at restart).
    Memory,
    /// In the database, shared by every server and kept across restarts (both engines).
    Database,
}

/// `[auth]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// How far `Scp-Timestamp` may be from the server clock, in seconds
    /// (`SCPFM_AUTH__SIGNATURE_WINDOW_SECONDS`, default 900: SCP's documented 15 minutes).
    pub signature_window_seconds: u64,
    /// Replay protection (`SCPFM_AUTH__REPLAY_GUARD`: `off` (default), `memory` or
    /// `database`). When on, a request whose signature **and body** were already served inside
    /// the window is refused (401 `REPLAYED_SIGNATURE`); requests that differ in their body
    /// never collide. `database` survives restarts and is shared by replicas.
    pub replay_guard: ReplayGuardMode,
    /// Seconds an access key read from the database is reused (`SCPFM_AUTH__KEY_CACHE_SECONDS`,
    /// default 1; 0 reads the key on every request). `scpfm key disable` waits this long before
    /// it returns, so a disabled key is refused everywhere once the command has finished.
    pub key_cache_seconds: u64,
}

impl AuthSettings {
    /// How long a key is cached.
    pub fn key_cache(&self) -> chrono::Duration {
        i64::try_from(self.key_cache_seconds)
            .ok()
            .and_then(chrono::Duration::try_seconds)
            .unwrap_or(chrono::Duration::MAX)
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            signature_window_seconds: 900,
            replay_guard: ReplayGuardMode::Off,
            key_cache_seconds: 1,
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// `[log]`. The level comes from `RUST_LOG` (default `info`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `text` or `json` (`SCPFM_LOG__FORMAT` or `LOG_FORMAT`).
    pub format: LogFormat,
}

const SECTIONS: [&str; 11] = [
    "metrics__",
    "console__",
    "server__",
    "database__",
    "auth__",
    "log__",
    "catalog__",
    "billing__",
    "budgets__",
    "mail__",
    "clock__",
];

impl Settings {
    /// Loads settings from the file (if any) and the environment.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        let file = config_file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("SCPFM_CONFIG").map(PathBuf::from));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.exists(),
                    "configuration file {} does not exist",
                    path.display()
                );
                figment = figment.merge(Toml::file_exact(&path));
            }
            None if Path::new("scpfm.toml").exists() => {
                figment = figment.merge(Toml::file_exact("scpfm.toml"))
            }
            None => {}
        }
        figment = figment.merge(
            Env::prefixed("SCPFM_")
                // Keys keep the environment's case (`MAIL__HOST`): compare without it.
                .filter(|key| {
                    let key = key.as_str().to_ascii_lowercase();
                    SECTIONS.iter().any(|section| key.starts_with(section))
                })
                .split("__"),
        );
        if let Ok(format) = std::env::var("LOG_FORMAT") {
            figment = figment.merge(("log.format", format.to_ascii_lowercase()));
        }
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database.url", url));
        }
        figment.extract().context("reading the configuration")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let settings = Settings::default();
        assert_eq!(settings.server.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.database.url, "sqlite:data/scpfm.db");
        assert_eq!(settings.auth.signature_window_seconds, 900);
    }

    #[test]
    fn a_file_overrides_defaults_and_typos_are_refused() {
        let settings: Settings = Figment::new()
            .merge(Toml::string(
                "[server]\nlisten = \"0.0.0.0:9000\"\n[auth]\nreplay_guard = \"database\"",
            ))
            .extract()
            .unwrap();
        assert_eq!(settings.server.listen.port(), 9000);
        assert_eq!(settings.auth.replay_guard, ReplayGuardMode::Database);
        let typo: Result<Settings, _> = Figment::new()
            .merge(Toml::string("[server]\nlisten_addr = \"x\""))
            .extract();
        assert!(typo.is_err());
    }

    #[test]
    fn mail_settings_parse_and_hide_the_password() {
        let settings: Settings = Figment::new()
            .merge(Toml::string(
                "[mail]\nhost = \"smtp.example.com\"\ntls = \"tls\"\npassword = \"hunter2\"\n\
                 delivery = \"at-most-once\"\nlanguage = \"ko-KR\"\n[budgets]\n\
                 evaluate_every_seconds = 60\n[billing]\nclose_after_hours = 24",
            ))
            .extract()
            .unwrap();
        assert_eq!(settings.mail.effective_port(), 465);
        assert_eq!(settings.mail.delivery, MailDelivery::AtMostOnce);
        assert_eq!(settings.mail.language, MailLanguage::Korean);
        assert_eq!(settings.budgets.evaluate_every_seconds, 60);
        assert!(!format!("{settings:?}").contains("hunter2"));
        assert_eq!(MailSettings::default().effective_port(), 587);
    }

    #[test]
    fn every_section_can_be_set_from_the_environment() {
        // Destructured so a new section fails to compile here until it is listed.
        let Settings {
            server: _,
            database: _,
            auth: _,
            log: _,
            catalog: _,
            billing: _,
            budgets: _,
            mail: _,
            clock: _,
            metrics: _,
            console: _,
        } = Settings::default();
        for field in [
            "server", "database", "auth", "log", "catalog", "billing", "budgets", "mail", "clock",
            "metrics", "console",
        ] {
            assert!(
                SECTIONS.contains(&format!("{field}__").as_str()),
                "SCPFM_{}__* is not read",
                field.to_uppercase()
            );
        }
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's test jail's signature
    fn environment_variables_override_the_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SCPFM_MAIL__HOST", "smtp.example.com");
            jail.set_env("SCPFM_MAIL__TLS", "none");
            jail.set_env("SCPFM_BILLING__CLOSE_AFTER_HOURS", "24");
            jail.set_env("SCPFM_SERVER__LISTEN", "0.0.0.0:9090");
            jail.set_env("SCPFM_CLOCK__START", "2026-11-20T12:00:00+09:00");
            let settings = Settings::load(None).map_err(|error| error.to_string())?;
            assert_eq!(settings.mail.host.as_deref(), Some("smtp.example.com"));
            assert_eq!(settings.mail.tls, MailTls::None);
            assert_eq!(settings.billing.close_after_hours, 24);
            assert_eq!(settings.server.listen.port(), 9090);
            assert!(settings.clock.start.is_some());
            Ok(())
        });
    }

    #[test]
    fn the_example_file_is_valid_and_states_the_defaults() {
        let example: Settings = Figment::new()
            .merge(Toml::string(include_str!("../../../scpfm.example.toml")))
            .extract()
            .unwrap();
        let defaults = Settings::default();
        assert_eq!(format!("{example:?}"), format!("{defaults:?}"));
    }

    #[test]
    fn database_passwords_are_redacted_in_debug_output() {
        let settings = DatabaseSettings {
            url: "postgres://u:pw@h/db".into(),
        };
        assert!(!format!("{settings:?}").contains("pw@"));
    }
}
