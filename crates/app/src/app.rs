//! What every use case shares: the store, the clock, the catalogue and the signals between
//! the jobs. Built once per process; cheap to clone (every field is shared).

use std::sync::Arc;

use scpfm_config::MailSettings;
use scpfm_domain::catalog::Catalog;
use scpfm_store::Store;
use tokio::sync::Notify;

use crate::budget_evaluator::requests::EvaluationRequests;
use crate::clock::Clock;
use crate::mail::Composer;
use crate::metrics::Metrics;

/// The use cases' context.
#[derive(Clone)]
pub struct App {
    /// Persistence.
    pub store: Store,
    /// The source of "now" for everything billed, evaluated and stored.
    pub clock: Arc<dyn Clock>,
    /// The price catalogue.
    pub catalog: Arc<Catalog>,
    /// Accounts whose budgets are due an evaluation.
    pub evaluations: EvaluationRequests,
    /// Signals the mail sender that mail was queued.
    pub mail_due: Arc<Notify>,
    /// How notification mail is written.
    pub composer: Arc<Composer>,
    /// This process's name in leases and mail claims (unique per process).
    pub instance: Arc<str>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
}

impl App {
    /// The context of one process.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        catalog: Arc<Catalog>,
        mail: &MailSettings,
    ) -> Self {
        Self {
            store,
            clock,
            catalog,
            evaluations: EvaluationRequests::default(),
            mail_due: Arc::new(Notify::new()),
            composer: Arc::new(Composer::new(mail.language, &mail.from)),
            instance: instance_name().into(),
            metrics: Arc::new(Metrics::default()),
        }
    }
}

/// A name for this process, unique among replicas: host-independent, so the process id and
/// a random part.
pub fn instance_name() -> String {
    format!("scpfm-{}-{:08x}", std::process::id(), rand::random::<u32>())
}
