//! The frame of the OpenAPI document: its info, tags and security scheme. The operations come
//! from the route table (`routes::document`, served at `/openapi.json`).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's frame: the operations come from the route table.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "scpfm — SCP Financial Management",
        description = "BillingPlan, Budget, CostExplorer and Pricing, wire-compatible with Samsung Cloud \
                       Platform's documented API. Every /v1 request carries the SCP Open API signature headers.",
        license(name = "Apache-2.0")
    ),
    components(schemas(scpfm_api_types::error::ErrorResponse, scpfm_api_types::error::ErrorItem)),
    modifiers(&SignatureHeaders),
    tags(
        (name = "BillingPlan", description = "Planned compute contracts (billingplan 1.0)"),
        (name = "Budget", description = "Account budgets (budget 1.0)"),
        (name = "Pricing", description = "The price catalogue (pricing 1.0)"),
        (name = "CostExplorer", description = "Usage, bills and payments (costexplorer 1.0)"),
        (name = "Admin", description = "scpfm's operator API (not part of SCP): usage ingestion and bill adjustments"),
        (name = "Operations", description = "Health and readiness"),
    )
)]
pub struct ApiDoc;

/// Declares the signature headers as the security scheme of signed operations.
struct SignatureHeaders;

impl Modify for SignatureHeaders {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "scp_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Scp-Signature",
                "Base64(HMAC-SHA256(secret, method + url + Scp-Timestamp + Scp-Accesskey + Scp-AccountId + \
                 Scp-ClientType)), sent with Scp-Accesskey, Scp-Timestamp (Unix ms) and Scp-ClientType: Openapi",
            ))),
        );
    }
}
