//! What every request handler shares: the use cases' context ([`App`]) and what only the
//! HTTP surface needs (authentication, the replay guard, limits).

use std::sync::Arc;

use chrono::Duration;
use scpfm_app::clock::Clock;
use scpfm_app::App;
use scpfm_config::{ConnectionLimits, ReplayGuardMode, Settings};
use scpfm_domain::catalog::Catalog;
use scpfm_store::Store;

use crate::auth::keys::KeyCache;
use crate::auth::replay::{MemoryReplayGuard, ReplayGuard};

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

/// What [`AppState`] shares. It dereferences to the use cases' [`App`], so a handler reads
/// `state.store` or `state.catalog` and passes `&state` where a use case takes `&App`.
#[derive(Clone)]
pub struct SharedState {
    /// The use cases' context: store, clock, catalogue, job signals, metrics.
    pub app: App,
    /// The time signatures are checked against: clients sign with the real time, so
    /// `scpfm serve` sets the system clock here even when the app's clock is a demo's or
    /// a replay's; tests share one manual clock for both.
    pub auth_clock: Arc<dyn Clock>,
    /// Authentication settings.
    pub auth: Arc<AuthConfig>,
    /// Requests already served, when replay protection is on.
    pub replay: Option<Arc<ReplayGuard>>,
    /// Recently read access keys.
    pub keys: Arc<KeyCache>,
    /// Limits on connections and request time.
    pub limits: ConnectionLimits,
    /// Whether `/metrics` is served on the API's listener.
    pub metrics_on_api: bool,
}

impl std::ops::Deref for SharedState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
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
            auth_clock: Arc::clone(&clock),
            app: App::new(store, clock, catalog, &settings.mail),
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
            limits: settings.server.limits(),
            metrics_on_api: settings.metrics.enabled && settings.metrics.listen.is_none(),
        }))
    }

    /// This state with signatures checked against `clock`.
    pub fn with_auth_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        Arc::make_mut(&mut self.0).auth_clock = clock;
        self
    }
}
