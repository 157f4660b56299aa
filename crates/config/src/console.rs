//! `[console]`: the web console's sessions and sign-in limits.

use serde::Deserialize;

/// `[console]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleSettings {
    /// Serve the console at `/console/` (`SCPFM_CONSOLE__ENABLED`, default true).
    pub enabled: bool,
    /// A session unused for this many minutes ends (`SCPFM_CONSOLE__IDLE_MINUTES`, default 30).
    pub idle_minutes: u64,
    /// Failed sign-ins allowed per minute, per access key and per client address
    /// (`SCPFM_CONSOLE__SIGN_IN_FAILURES_PER_MINUTE`, default 5); past that, sign-in waits.
    pub sign_in_failures_per_minute: u32,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            idle_minutes: 30,
            sign_in_failures_per_minute: 5,
        }
    }
}
