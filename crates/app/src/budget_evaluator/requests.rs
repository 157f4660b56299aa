//! Accounts whose budgets are due an evaluation: requested by ingestion, budget writes and
//! adjustments, taken by the evaluator (`budget_evaluator::spawn_worker`).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use scpfm_domain::ids::AccountId;
use tokio::sync::Notify;

/// Accounts whose budgets are due an evaluation, and the signal that there are some. Cheap to
/// clone; requests made while the evaluator is busy are kept, never lost.
#[derive(Clone, Default)]
pub struct EvaluationRequests {
    inner: Arc<Requests>,
}

#[derive(Default)]
struct Requests {
    pending: Mutex<BTreeSet<AccountId>>,
    ready: Notify,
}

impl EvaluationRequests {
    /// Asks for the budgets of `accounts` to be evaluated soon.
    pub fn request(&self, accounts: impl IntoIterator<Item = AccountId>) {
        let mut added = false;
        if let Ok(mut pending) = self.inner.pending.lock() {
            for account in accounts {
                added |= pending.insert(account);
            }
        }
        if added {
            self.inner.ready.notify_one();
        }
    }

    /// Takes every pending account.
    pub fn take(&self) -> Vec<AccountId> {
        self.inner
            .pending
            .lock()
            .map(|mut pending| std::mem::take(&mut *pending).into_iter().collect())
            .unwrap_or_default()
    }

    /// Completes when accounts are pending (or were requested since the last wait).
    pub async fn ready(&self) {
        self.inner.ready.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_coalesced_until_taken() {
        let requests = EvaluationRequests::default();
        let a = AccountId::from_bytes([1; 16]);
        let b = AccountId::from_bytes([2; 16]);
        requests.request([a.clone(), b.clone()]);
        requests.request([a.clone()]);
        assert_eq!(requests.take(), vec![a, b]);
        assert!(requests.take().is_empty());
    }
}
