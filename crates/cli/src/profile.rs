//! Where credentials and the endpoint come from.
//!
//! Precedence, highest first:
//! 1. flags (`--access_key`, `--secret_key`, `--endpoint_url`, `--language`, `--output`);
//! 2. with an explicit `--profile`: that profile (it was asked for by name);
//! 3. environment: `SCP_ACCESS_KEY`, `SCP_SECRET_KEY`, `SCP_ENDPOINT_URL`, `SCP_ACCOUNT_ID`,
//!    `SCP_LANGUAGE`, `SCP_OUTPUT`;
//! 4. the profile in `~/.scp/cli-config.json` (`SCP_PROFILE`, else the top-level keys);
//! 5. the SDK's `~/.scpconf/credentials.json` (`access-key`, `secret-key`) and
//!    `~/.scpconf/config.json` (`auth-url`, `default-region`).
//!
//! Without an endpoint URL, an SCP `auth_url` (`https://iam.{env}.samsungsdscloud.com/…`)
//! selects SCP's per-service hosts; otherwise the local default `http://127.0.0.1:8080`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context as _};
use scpfm_client::Endpoint;
use serde::{Deserialize, Serialize};

use crate::args::GlobalArgs;
use crate::output::OutputFormat;

/// The local scpfm server's default address.
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:8080";

/// One profile as stored in `~/.scp/cli-config.json` (SCP's keys, plus ours).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// IAM endpoint catalogue URL of an SCP environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    /// Access key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key: Option<String>,
    /// Access secret key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_secret_key: Option<String>,
    /// Default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_scp_region: Option<String>,
    /// scpfm: base URL serving every service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// scpfm: `Scp-AccountId` to send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// scpfm: language of error messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The whole file: the default profile's keys at the top level, named ones under `profiles`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CliConfigFile {
    /// The default profile.
    #[serde(flatten)]
    pub default: Profile,
    /// Named profiles.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profiles: BTreeMap<String, Profile>,
}

impl CliConfigFile {
    /// The profile called `name` (`default` is the top level).
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        if name == "default" {
            Some(&self.default)
        } else {
            self.profiles.get(name)
        }
    }

    /// The profile called `name`, created when missing.
    pub fn profile_mut(&mut self, name: &str) -> &mut Profile {
        if name == "default" {
            &mut self.default
        } else {
            self.profiles.entry(name.to_owned()).or_default()
        }
    }
}

/// The SDK's `~/.scpconf/credentials.json`.
#[derive(Debug, Default, Deserialize)]
struct SdkCredentials {
    #[serde(rename = "access-key", alias = "access_key")]
    access_key: Option<String>,
    #[serde(rename = "secret-key", alias = "secret_key")]
    secret_key: Option<String>,
}

/// The SDK's `~/.scpconf/config.json`.
#[derive(Debug, Default, Deserialize)]
struct SdkConfig {
    #[serde(rename = "auth-url", alias = "auth_url")]
    auth_url: Option<String>,
}

fn home() -> anyhow::Result<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .ok_or_else(|| anyhow!("cannot find the home directory (HOME is not set)"))
}

/// `~/.scp/cli-config.json`, or `SCP_CLI_CONFIG_FILE`.
pub fn cli_config_path() -> anyhow::Result<PathBuf> {
    match std::env::var_os("SCP_CLI_CONFIG_FILE") {
        Some(path) => Ok(PathBuf::from(path)),
        None => Ok(home()?.join(".scp").join("cli-config.json")),
    }
}

/// Reads the CLI's file; a missing file is an empty one.
pub fn read_cli_config() -> anyhow::Result<CliConfigFile> {
    let path = cli_config_path()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(CliConfigFile::default()),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

fn read_sdk_json<T: for<'de> Deserialize<'de> + Default>(file: &str) -> anyhow::Result<T> {
    let path = home()?.join(".scpconf").join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
        }
        Err(_) => Ok(T::default()),
    }
}

/// Everything a command needs to call the API.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Where the services are.
    pub endpoint: Endpoint,
    /// Access key.
    pub access_key: String,
    /// Secret key.
    pub secret_key: String,
    /// `Scp-AccountId`, if any.
    pub account_id: Option<String>,
    /// `Accept-Language`.
    pub language: String,
    /// Output format.
    pub output: OutputFormat,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The SCP environment (`e`, `s`, `g`) of an IAM URL such as `https://iam.e.samsungsdscloud.com/v1`.
pub fn environment_of(auth_url: &str) -> Option<String> {
    let host = auth_url.split("://").nth(1)?.split('/').next()?;
    let mut labels = host.split('.');
    match (labels.next(), labels.next(), labels.next()) {
        (Some("iam"), Some(environment), Some(_)) if host.ends_with("samsungsdscloud.com") => {
            Some(environment.to_owned())
        }
        _ => None,
    }
}

/// The endpoint an `auth_url` names: SCP's per-service hosts for an SCP IAM URL, else the
/// scheme and host of the URL (scpfm serves every service on one listener, so
/// `http://scpfm.internal:8080/v1/endpoints` means `http://scpfm.internal:8080`).
pub fn endpoint_of_auth_url(auth_url: &str) -> anyhow::Result<Endpoint> {
    if let Some(environment) = environment_of(auth_url) {
        return Ok(Endpoint::Scp { environment });
    }
    let trimmed = auth_url.trim();
    let (scheme, rest) = trimmed
        .split_once("://")
        .filter(|(scheme, _)| *scheme == "http" || *scheme == "https")
        .ok_or_else(|| {
            anyhow!("auth_url must start with http:// or https:// (got {auth_url:?})")
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if host.is_empty() {
        bail!("auth_url names no host (got {auth_url:?})");
    }
    Ok(Endpoint::Single(format!("{scheme}://{host}")))
}

/// Resolves the settings of one invocation.
pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Resolved> {
    let file = read_cli_config()?;
    let explicit_profile = global.profile.clone();
    let profile_name = explicit_profile
        .clone()
        .or_else(|| env("SCP_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let profile = match file.profile(&profile_name) {
        Some(profile) => profile.clone(),
        None if profile_name == "default" => Profile::default(),
        None => bail!(
            "no profile {profile_name:?} in {}; create it with `scpcli configure --profile {profile_name}`",
            cli_config_path()?.display()
        ),
    };
    let sdk_credentials: SdkCredentials = read_sdk_json("credentials.json")?;
    let sdk_config: SdkConfig = read_sdk_json("config.json")?;
    // An explicitly named profile outranks the environment; the default one does not.
    let pick = |flag: &Option<String>, env_name: &str, stored: &Option<String>| -> Option<String> {
        let from_profile = stored.clone().filter(|value| !value.is_empty());
        flag.clone().or_else(|| {
            if explicit_profile.is_some() {
                from_profile.clone().or_else(|| env(env_name))
            } else {
                env(env_name).or_else(|| from_profile.clone())
            }
        })
    };
    let access_key = pick(&global.access_key, "SCP_ACCESS_KEY", &profile.access_key)
        .or(sdk_credentials.access_key)
        .ok_or_else(|| {
            anyhow!(
                "no access key: run `scpcli configure`, set SCP_ACCESS_KEY, or pass --access_key"
            )
        })?;
    let secret_key = pick(
        &global.secret_key,
        "SCP_SECRET_KEY",
        &profile.access_secret_key,
    )
    .or(sdk_credentials.secret_key)
    .ok_or_else(|| {
        anyhow!("no secret key: run `scpcli configure`, set SCP_SECRET_KEY, or pass --secret_key")
    })?;
    let endpoint = match pick(
        &global.endpoint_url,
        "SCP_ENDPOINT_URL",
        &profile.endpoint_url,
    ) {
        Some(url) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!("the endpoint URL must start with http:// or https:// (got {url:?})");
            }
            Endpoint::Single(url)
        }
        None => match profile
            .auth_url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
            .or(sdk_config.auth_url.as_deref())
        {
            Some(auth_url) => endpoint_of_auth_url(auth_url)?,
            None => Endpoint::Single(DEFAULT_ENDPOINT.into()),
        },
    };
    let language =
        pick(&global.language, "SCP_LANGUAGE", &profile.language).unwrap_or_else(|| "en-US".into());
    let output = match global.output {
        Some(output) => output,
        None => match env("SCP_OUTPUT").as_deref() {
            Some("table") => OutputFormat::Table,
            Some("json") | None => OutputFormat::Json,
            Some(other) => bail!("SCP_OUTPUT must be json or table (got {other:?})"),
        },
    };
    Ok(Resolved {
        endpoint,
        access_key,
        secret_key,
        account_id: pick(&None, "SCP_ACCOUNT_ID", &profile.account_id),
        language,
        output,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_auth_url_outside_scp_names_the_endpoint() {
        let single = |url: &str| match endpoint_of_auth_url(url).unwrap() {
            Endpoint::Single(url) => url,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            single("http://127.0.0.1:9099/v1/endpoints"),
            "http://127.0.0.1:9099"
        );
        assert_eq!(
            single("https://scpfm.example.com"),
            "https://scpfm.example.com"
        );
        assert!(matches!(
            endpoint_of_auth_url("https://iam.e.samsungsdscloud.com/v1/endpoints").unwrap(),
            Endpoint::Scp { .. }
        ));
        assert!(endpoint_of_auth_url("ftp://x").is_err());
    }

    #[test]
    fn the_file_keeps_scp_keys_at_the_top_and_names_profiles() {
        let text = r#"{"auth_url":"https://iam.e.samsungsdscloud.com/v1/endpoints","access_key":"A",
            "access_secret_key":"S","default_scp_region":"kr-west1",
            "profiles":{"demo":{"access_key":"D","access_secret_key":"DS","endpoint_url":"http://h:1"}}}"#;
        let file: CliConfigFile = serde_json::from_str(text).unwrap();
        assert_eq!(file.default.access_key.as_deref(), Some("A"));
        assert_eq!(
            file.profile("demo").and_then(|p| p.endpoint_url.as_deref()),
            Some("http://h:1")
        );
        assert!(file.profile("missing").is_none());
        let written = serde_json::to_value(&file).unwrap();
        assert_eq!(written["access_secret_key"], "S");
        assert_eq!(written["profiles"]["demo"]["access_key"], "D");
    }

    #[test]
    fn scp_environments_are_read_from_iam_urls() {
        assert_eq!(
            environment_of("https://iam.e.samsungsdscloud.com/v1/endpoints").as_deref(),
            Some("e")
        );
        assert_eq!(
            environment_of("https://iam.s.samsungsdscloud.com/v1").as_deref(),
            Some("s")
        );
        assert_eq!(environment_of("http://127.0.0.1:8080"), None);
    }
}
