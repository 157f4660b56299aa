//! Liveness and readiness bodies (`/healthz`, `/readyz`).

use serde::{Deserialize, Serialize};

/// `{"status": "ok"}` or `{"status": "unavailable", "reason": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    /// `ok` when healthy.
    pub status: String,
    /// Why the server is not ready, when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
