//! What every request handler shares.

use std::sync::Arc;

use chrono::Duration;
use scpfm_domain::catalog::Catalog;
use scpfm_store::Store;

use crate::auth::keys::KeyCache;
use crate::auth::replay::{MemoryReplayGuard, ReplayGuard};
use crate::budget_evaluator::requests::EvaluationRequests;
use crate::clock::Clock;
use crate::config::{ConnectionLimits, ReplayGuardMode, Settings};
use crate::mail::Composer;
use crate::metrics::Metrics;

/// Authentication settings resolved at start.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Accepted distance between `Scp-Timestamp` and the server clock.
    pub window: Duration,
    /// The configured public `scheme://host`, without trailing slash.
    pub public_url: Option<String>,
}

/// The state of the application: one allocation shared by every request, so the clones
/// that extractors and layers make cost a reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Clone)]
pub struct SharedState {
    /// Persistence.
    pub store: Store,
    /// The source of "now" for everything billed, evaluated and stored.
    pub clock: Arc<dyn Clock>,
    /// The time signatures are checked against: clients sign with the real time, so
    /// `scpfm serve` sets the system clock here even when [`clock`](Self::clock) is a demo's or
    /// a replay's; tests share one manual clock for both.
    pub auth_clock: Arc<dyn Clock>,
    /// Authentication settings.
    pub auth: Arc<AuthConfig>,
    /// Requests already served, when replay protection is on.
    pub replay: Option<Arc<ReplayGuard>>,
    /// Recently read access keys.
    pub keys: Arc<KeyCache>,
    /// The price catalogue.
    pub catalog: Arc<Catalog>,
    /// Accounts whose budgets are due an evaluation.
    pub evaluations: EvaluationRequests,
    /// Signals the mail sender that mail was queued.
    pub mail_due: Arc<tokio::sync::Notify>,
    /// How notification mail is written.
    pub composer: Arc<Composer>,
    /// This process's name in leases and mail claims (unique per process).
    pub instance: Arc<str>,
    /// Limits on connections and request time.
    pub limits: ConnectionLimits,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// Whether `/metrics` is served on the API's listener.
    pub metrics_on_api: bool,
}

impl AppState {
    /// Builds the state from settings and a loaded catalogue.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: &Settings,
        catalog: Arc<Catalog>,
    ) -> Self {
        let window = i64::try_from(settings.auth.signature_window_seconds)
            .ok()
            .and_then(Duration::try_seconds)
            .unwrap_or(Duration::MAX);
        let replay = match settings.auth.replay_guard {
            ReplayGuardMode::Off => None,
            ReplayGuardMode::Memory => Some(ReplayGuard::Memory(MemoryReplayGuard::default())),
            ReplayGuardMode::Database => Some(ReplayGuard::Database(
                MemoryReplayGuard::default(),
                store.clone(),
            )),
        };
        Self(Arc::new(SharedState {
            store,
            auth_clock: Arc::clone(&clock),
            clock,
            auth: Arc::new(AuthConfig {
                window,
                public_url: settings
                    .server
                    .public_url
                    .as_ref()
                    .map(|url| url.trim_end_matches('/').to_owned()),
            }),
            replay: replay.map(Arc::new),
            keys: Arc::new(KeyCache::new(settings.auth.key_cache())),
            catalog,
            evaluations: EvaluationRequests::default(),
            mail_due: Arc::new(tokio::sync::Notify::new()),
            composer: Arc::new(Composer::new(settings.mail.language, &settings.mail.from)),
            instance: instance_name().into(),
            limits: settings.server.limits(),
            metrics: Arc::new(Metrics::default()),
            metrics_on_api: settings.metrics.enabled && settings.metrics.listen.is_none(),
        }))
    }

    /// This state with signatures checked against `clock`.
    pub fn with_auth_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        Arc::make_mut(&mut self.0).auth_clock = clock;
        self
    }
}

/// A name for this process, unique among replicas: host-independent, so the process id and
/// a random part.
pub fn instance_name() -> String {
    format!("scpfm-{}-{:08x}", std::process::id(), rand::random::<u32>())
}
