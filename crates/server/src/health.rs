//! `/healthz` (the process answers) and `/readyz` (the database answers too).

use crate::json::Json;
use axum::extract::State;
use http::StatusCode;
use scpfm_api_types::health::HealthResponse;

use crate::state::AppState;

/// Liveness: 200 while the process serves requests.
#[utoipa::path(get, path = "/healthz", tag = "Operations", responses((status = 200, body = HealthResponse)))]
pub async fn healthz() -> Json<HealthResponse> {
    Json(HealthResponse {
        status: "ok".into(),
        reason: None,
    })
}

/// Readiness: 200 when the database answers, 503 otherwise.
#[utoipa::path(get, path = "/readyz", tag = "Operations",
    responses((status = 200, body = HealthResponse), (status = 503, body = HealthResponse)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<HealthResponse>) {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(HealthResponse {
                status: "ok".into(),
                reason: None,
            }),
        ),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(HealthResponse {
                    status: "unavailable".into(),
                    reason: Some("database unavailable".into()),
                }),
            )
        }
    }
}
