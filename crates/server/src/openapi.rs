//! `/openapi.json`: the OpenAPI document, generated from the handlers and wire types.

use crate::json::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{admin, billing_plan, budgets, cost_explorer, health, pricing};

/// The API of every service scpfm serves.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "scpfm — SCP Financial Management",
        description = "BillingPlan, Budget, CostExplorer and Pricing, wire-compatible with Samsung Cloud \
                       Platform's documented API. Every /v1 request carries the SCP Open API signature headers.",
        license(name = "Apache-2.0")
    ),
    paths(
        budgets::create_budget,
        budgets::list_budgets,
        budgets::get_budget,
        budgets::update_budget,
        budgets::delete_budget,
        budgets::get_budget_status,
        budgets::list_budget_status,
        budgets::check_creation,
        billing_plan::list_planned_computes,
        billing_plan::create_planned_compute,
        billing_plan::get_planned_compute,
        billing_plan::change_planned_compute,
        billing_plan::get_cancellation_fee,
        billing_plan::list_covered_resources,
        billing_plan::list_contract_types,
        billing_plan::list_os_types,
        billing_plan::list_server_types,
        billing_plan::list_service_types,
        pricing::list_billing_item_ids,
        pricing::list_offerings,
        pricing::list_prices,
        cost_explorer::list_bills,
        cost_explorer::get_payment_monthly,
        cost_explorer::list_usages,
        admin::ingest_usage_records,
        admin::load_bill_adjustments,
        health::healthz,
        health::readyz,
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

/// Serves the document.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
