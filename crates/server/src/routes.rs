//! The one route table: every operation, the handler that serves it, and the service whose
//! `Scp-Api-Version` applies. The router, the OpenAPI document (`/openapi.json`) and the
//! version check are all derived from it (utoipa-axum's `routes!` registers a handler with
//! axum and its `#[utoipa::path]` with the document in one step), so no second list can drift.

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api_version::Service;
use crate::state::AppState;
use crate::{admin, billing_plan, budgets, cost_explorer, health, openapi, pricing};

/// Every signed operation, grouped by service (each group checks `Scp-Api-Version`).
pub fn signed() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(service(
            Service::Budget,
            OpenApiRouter::new()
                .routes(routes!(budgets::list_budgets, budgets::create_budget))
                .routes(routes!(
                    budgets::get_budget,
                    budgets::update_budget,
                    budgets::delete_budget
                ))
                .routes(routes!(budgets::get_budget_status))
                .routes(routes!(budgets::list_budget_status))
                .routes(routes!(budgets::check_creation)),
        ))
        .merge(service(
            Service::BillingPlan,
            OpenApiRouter::new()
                .routes(routes!(
                    billing_plan::list_planned_computes,
                    billing_plan::create_planned_compute
                ))
                .routes(routes!(billing_plan::list_service_types))
                .routes(routes!(billing_plan::list_server_types))
                .routes(routes!(billing_plan::list_os_types))
                .routes(routes!(billing_plan::list_covered_resources))
                .routes(routes!(billing_plan::list_contract_types))
                .routes(routes!(billing_plan::get_cancellation_fee))
                .routes(routes!(
                    billing_plan::get_planned_compute,
                    billing_plan::change_planned_compute
                )),
        ))
        .merge(service(
            Service::CostExplorer,
            OpenApiRouter::new()
                .routes(routes!(cost_explorer::list_bills))
                .routes(routes!(cost_explorer::get_payment_monthly))
                .routes(routes!(cost_explorer::list_usages))
                .routes(routes!(cost_explorer::get_cost_and_usage))
                .routes(routes!(cost_explorer::get_cost_forecast))
                .routes(routes!(cost_explorer::export_focus)),
        ))
        .merge(service(
            Service::Pricing,
            OpenApiRouter::new()
                .routes(routes!(pricing::list_billing_item_ids))
                .routes(routes!(pricing::list_offerings))
                .routes(routes!(pricing::list_prices)),
        ))
        .merge(signed_operations(
            // scpfm's operator API: no SCP service, larger bodies.
            OpenApiRouter::new()
                .routes(routes!(admin::ingest_usage_records))
                .routes(routes!(admin::load_bill_adjustments))
                .layer(DefaultBodyLimit::max(crate::body_limit::ADMIN_BODY_LIMIT)),
            "Admin",
        ))
}

/// The operations that need no signature (documented; `/metrics` and `/openapi.json` are
/// added by the app).
pub fn unsigned() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
}

/// The whole table's OpenAPI document: the info, tags and security scheme of
/// [`openapi::ApiDoc`] with every operation of the table.
pub fn document() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(openapi::ApiDoc::openapi())
        .merge(signed())
        .merge(unsigned())
        .into_openapi()
}

/// The document, built once.
static DOCUMENT: std::sync::LazyLock<utoipa::openapi::OpenApi> = std::sync::LazyLock::new(document);

/// `GET /openapi.json`.
pub async fn openapi_json() -> crate::json::Json<&'static utoipa::openapi::OpenApi> {
    crate::json::Json(&DOCUMENT)
}

/// The routes of `service`, each checking `Scp-Api-Version` against it (after the signature:
/// an unauthenticated caller learns nothing about the API).
/// Its operations are tagged with the service and signed.
fn service(service: Service, routes: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    signed_operations(routes, service.tag()).route_layer(from_fn(
        move |request: Request, next: Next| async move {
            require_version(service, request, next).await
        },
    ))
}

/// `routes` with every operation documented under `tag` and as signed (the
/// `scp_signature` security scheme): the table, not each handler, says both.
fn signed_operations(mut routes: OpenApiRouter<AppState>, tag: &str) -> OpenApiRouter<AppState> {
    let paths = routes.get_openapi_mut().paths.paths.values_mut();
    for item in paths {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            operation.tags = Some(vec![tag.to_owned()]);
            let signature = SecurityRequirement::new("scp_signature", Vec::<String>::new());
            operation.security = Some(vec![signature]);
        }
    }
    routes
}

async fn require_version(service: Service, request: Request, next: Next) -> Response {
    match crate::api_version::check(request.headers(), service) {
        Ok(()) => next.run(request).await,
        Err(error) => crate::auth::refuse(request, error).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_table_is_in_the_document() {
        let document = document();
        let operations: usize = document
            .paths
            .paths
            .values()
            .map(|item| {
                [&item.get, &item.post, &item.put, &item.delete]
                    .iter()
                    .filter(|operation| operation.is_some())
                    .count()
            })
            .sum();
        // 8 Budget, 10 BillingPlan, 6 CostExplorer (3 of SCP's, 3 of cost analysis), 3
        // Pricing, 2 admin, 2 health.
        assert_eq!(operations, 31);
    }
}
