//! ListOffering: `GET /v1/reports/offerings`.

use crate::json::Json;
use scpfm_api_types::pricing::OfferingResponse;
use scpfm_domain::catalog::Offering;

use crate::extract::Caller;
use crate::openapi::Unauthorized;

/// The offering types: PS (subscription), PP (planned compute), PG (pay as you go).
#[utoipa::path(get, path = "/v1/reports/offerings", operation_id = "ListOffering",
    description = "Get offering list.",
    responses((status = 200, description = "OK", body = OfferingResponse), Unauthorized))]
pub async fn list_offerings(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    _caller: Caller,
) -> Json<OfferingResponse> {
    Json(OfferingResponse {
        offerings: Offering::ALL
            .iter()
            .map(|offering| offering.as_str().to_owned())
            .collect(),
    })
}
