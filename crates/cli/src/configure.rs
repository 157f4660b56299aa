//! `scpcli configure`: writes a profile of `~/.scp/cli-config.json`.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use anyhow::Context as _;

use crate::args::{ConfigureArgs, GlobalArgs};
use crate::profile::{cli_config_path, read_cli_config};

/// Asks for a value on the terminal; an empty answer keeps `current`.
fn prompt(label: &str, current: Option<&str>, secret: bool) -> anyhow::Result<Option<String>> {
    let shown = match current {
        Some(value) if secret => format!(
            "****{}",
            value
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        ),
        Some(value) => value.to_owned(),
        None => "None".to_owned(),
    };
    eprint!("{label} [{shown}]: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let answer = line.trim();
    Ok(if answer.is_empty() {
        current.map(str::to_owned)
    } else {
        Some(answer.to_owned())
    })
}

/// Runs `scpcli configure`.
pub fn run(global: &GlobalArgs, args: &ConfigureArgs) -> anyhow::Result<()> {
    let mut file = read_cli_config()?;
    let name = global
        .profile
        .clone()
        .or_else(|| std::env::var("SCP_PROFILE").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "default".into());
    let interactive = !args.no_prompt && std::io::stdin().is_terminal();
    let profile = file.profile_mut(&name);
    let field =
        |label: &str, given: &Option<String>, current: &mut Option<String>, secret: bool| {
            let value = match given {
                Some(value) => Some(value.clone()),
                None if interactive => prompt(label, current.as_deref(), secret)?,
                None => current.clone(),
            };
            *current = value.filter(|value| !value.is_empty());
            Ok::<_, anyhow::Error>(())
        };
    field(
        "Access Key",
        &global.access_key,
        &mut profile.access_key,
        false,
    )?;
    field(
        "Access Secret Key",
        &global.secret_key,
        &mut profile.access_secret_key,
        true,
    )?;
    field(
        "Endpoint URL (scpfm server)",
        &global.endpoint_url,
        &mut profile.endpoint_url,
        false,
    )?;
    field(
        "Default region",
        &args.default_scp_region,
        &mut profile.default_scp_region,
        false,
    )?;
    if args.auth_url.is_some() {
        field("Auth URL", &args.auth_url, &mut profile.auth_url, false)?;
    }
    if global.language.is_some() {
        field("Language", &global.language, &mut profile.language, false)?;
    }
    let path = cli_config_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&file)?;
    write_private(&path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("profile {name:?} saved to {}", path.display());
    Ok(())
}

/// Writes a file only its owner can read: it holds a secret key.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.write_all(b"\n")
}
