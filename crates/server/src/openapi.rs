//! The frame of the OpenAPI document: its info, tags and security scheme, and the error
//! responses operations share ([`BadRequest`], [`Unauthorized`]…, each SCP's error envelope).
//! The operations come from the route table (`routes::document`, served at `/openapi.json`).

use std::collections::BTreeMap;

use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi};

/// An error response: `description`, with SCP's error envelope as its body.
fn error_response(status: &str, description: &str) -> BTreeMap<String, RefOr<Response>> {
    let body = ContentBuilder::new()
        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            "ErrorResponse",
        ))))
        .build();
    let response = ResponseBuilder::new()
        .description(description)
        .content("application/json", body)
        .build();
    BTreeMap::from([(status.to_owned(), RefOr::T(response))])
}

/// Declares a unit type per shared error response.
macro_rules! error_responses {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $description:literal;)+) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                error_response($status, $description)
            }
        }
    )+};
}

error_responses! {
    /// 400: a value breaks the documented rules, or the request cannot be read.
    BadRequest => "400", "Bad Request";
    /// 401: the signature, key or timestamp is refused.
    Unauthorized => "401", "Unauthorized";
    /// 403: another account, or an action the key may not take.
    Forbidden => "403", "Forbidden";
    /// 404: the caller's account has no such resource.
    NotFound => "404", "Not Found";
    /// 409: the write conflicts with stored state.
    Conflict => "409", "Conflict";
    /// 403 on the admin API: the key is not an admin key.
    AdminOnly => "403", "Not an admin access key";
}

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
