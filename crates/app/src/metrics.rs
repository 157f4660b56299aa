//! Prometheus metrics (`/metrics`, OpenMetrics text): what an operator watches.
//!
//! - `scpfm_http_requests_total{method,route,status}` and
//!   `scpfm_http_request_duration_seconds{method,route}` (a histogram), by route template, so
//!   ids never become labels;
//! - `scpfm_http_open_connections`;
//! - `scpfm_usage_records_received_total`, `scpfm_usage_records_stored_total` and
//!   `scpfm_usage_ingest_duration_seconds` (the ingestion rate is `rate(…stored_total[1m])`);
//! - `scpfm_budget_evaluations_total`;
//! - at each scrape: `scpfm_mail_outbox{state}` and `scpfm_db_connections{state}` with
//!   `scpfm_db_connections_max`.
//!
//! No label holds an account, a key or anything a request sent besides its method.

use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct StateLabels {
    state: String,
}

fn latency_histogram() -> Histogram {
    // 100 µs … ~6.5 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 17))
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    open_connections: Gauge,
    records_received: Counter,
    records_stored: Counter,
    ingest_duration: Histogram,
    budget_evaluations: Counter,
    mail_outbox: Family<StateLabels, Gauge>,
    db_connections: Family<StateLabels, Gauge>,
    db_connections_max: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("scpfm");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's headers to its response",
            latency.clone(),
        );
        let open_connections = Gauge::default();
        registry.register(
            "http_open_connections",
            "HTTP connections open",
            open_connections.clone(),
        );
        let records_received = Counter::default();
        registry.register(
            "usage_records_received",
            "Usage records received by the ingestion API",
            records_received.clone(),
        );
        let records_stored = Counter::default();
        registry.register(
            "usage_records_stored",
            "Usage records stored (new) by the ingestion API",
            records_stored.clone(),
        );
        let ingest_duration = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        registry.register(
            "usage_ingest_duration_seconds",
            "Time an ingestion request took to rate and store its records",
            ingest_duration.clone(),
        );
        let budget_evaluations = Counter::default();
        registry.register(
            "budget_evaluations",
            "Budgets evaluated against their period's cost",
            budget_evaluations.clone(),
        );
        let mail_outbox = Family::<StateLabels, Gauge>::default();
        registry.register(
            "mail_outbox",
            "Notification mails in the outbox, by state",
            mail_outbox.clone(),
        );
        let db_connections = Family::<StateLabels, Gauge>::default();
        registry.register(
            "db_connections",
            "Database connections: open, idle and requests waiting for one",
            db_connections.clone(),
        );
        let db_connections_max = Gauge::default();
        registry.register(
            "db_connections_max",
            "Most database connections the pool opens",
            db_connections_max.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            open_connections,
            records_received,
            records_stored,
            ingest_duration,
            budget_evaluations,
            mail_outbox,
            db_connections,
            db_connections_max,
        }
    }
}

/// Counts a connection as open until dropped.
pub struct OpenConnection(Gauge);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// A connection opened; it counts until the guard is dropped.
    pub fn open_connection(&self) -> OpenConnection {
        self.open_connections.inc();
        OpenConnection(self.open_connections.clone())
    }

    /// An ingestion request: records received and stored, and how long it took.
    pub fn ingested(&self, received: usize, stored: usize, took: Duration) {
        self.records_received.inc_by(received as u64);
        self.records_stored.inc_by(stored as u64);
        self.ingest_duration.observe(took.as_secs_f64());
    }

    /// Budgets evaluated.
    pub fn budgets_evaluated(&self, count: usize) {
        self.budget_evaluations.inc_by(count as u64);
    }

    /// A request answered. `method` and `route` are static (the route table's templates are
    /// interned once), so counting a request allocates nothing.
    pub fn request(&self, method: &'static str, route: &'static str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { method, route })
            .observe(took.as_secs_f64());
    }
}

impl Metrics {
    /// The metrics as OpenMetrics text, with the figures read at scrape time set first: mail
    /// by outbox state and the database pool.
    pub fn render(
        &self,
        outbox: &[(String, u64)],
        pool: scpfm_store::db::PoolStatus,
    ) -> Result<String, std::fmt::Error> {
        for (mail_state, count) in outbox {
            self.mail_outbox
                .get_or_create(&StateLabels {
                    state: mail_state.clone(),
                })
                .set(i64::try_from(*count).unwrap_or(i64::MAX));
        }
        for (name, value) in [
            ("open", pool.open),
            ("idle", pool.idle),
            ("waiting", pool.waiting),
        ] {
            self.db_connections
                .get_or_create(&StateLabels { state: name.into() })
                .set(i64::try_from(value).unwrap_or(i64::MAX));
        }
        self.db_connections_max
            .set(i64::try_from(pool.max).unwrap_or(i64::MAX));
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}
