//! Typed configuration: built-in defaults, then a TOML file, then environment variables.
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
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            shutdown_grace_seconds: 20,
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

/// Where seen signatures are remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplayGuardMode {
    /// Memory on SQLite (one server), database on PostgreSQL (many servers).
    #[default]
    Auto,
    /// In this process only.
    Memory,
    /// In the database, shared by every server.
    Database,
}

/// `[auth]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// How far `Scp-Timestamp` may be from the server clock, in seconds
    /// (`SCPFM_AUTH__SIGNATURE_WINDOW_SECONDS`, default 900: SCP's documented 15 minutes).
    pub signature_window_seconds: u64,
    /// Where seen signatures are remembered (`SCPFM_AUTH__REPLAY_GUARD`: auto, memory or
    /// database; default auto).
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
            replay_guard: ReplayGuardMode::Auto,
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

const SECTIONS: [&str; 5] = ["server__", "database__", "auth__", "log__", "catalog__"];

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
                .filter(|key| {
                    SECTIONS
                        .iter()
                        .any(|section| key.as_str().starts_with(section))
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
    fn database_passwords_are_redacted_in_debug_output() {
        let settings = DatabaseSettings {
            url: "postgres://u:pw@h/db".into(),
        };
        assert!(!format!("{settings:?}").contains("pw@"));
    }
}
