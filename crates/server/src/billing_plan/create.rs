//! Create Request Planned Computes: `POST /v1/planned-computes` → 200.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{PlannedComputeCreateRequest, PlannedComputeResponse};
use scpfm_api_types::error::ErrorResponse;
use scpfm_app::contracts::{order, Order};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::validation::{check_text, FieldError, Problem, ValidationErrors};

use super::contract_dto;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Caller, NoQuery};
use crate::openapi::{BadRequest, Unauthorized};
use crate::state::AppState;

/// Most tags a contract may carry, and their key and value lengths.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

/// Orders a planned compute contract for the caller's account. It starts the next day (KST).
#[utoipa::path(post, path = "/v1/planned-computes", operation_id = "CreateRequestPlannedComputes",
    description = "Create request planned compute.",
    request_body = PlannedComputeCreateRequest,
    responses((status = 200, description = "OK", body = PlannedComputeResponse), (status = 403, description = "Forbidden: another account, or budget prevention", body = ErrorResponse), BadRequest, Unauthorized))]
pub async fn create_planned_compute(
    _query: ApiQuery<NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<PlannedComputeCreateRequest>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    if let Some(account) = request.account_id.as_deref().filter(|id| !id.is_empty()) {
        if account != caller.account_id.as_str() {
            return Err(ApiError::AccountMismatch {
                account_id: account.to_owned(),
            });
        }
    }
    let checked = parse_order(&state.catalog, request)?;
    let stored = order(&state, &caller.account_id, &caller.user_name, checked).await?;
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(&state.catalog, &stored),
    }))
}

/// The order, every field checked against the catalogue and every problem named.
fn parse_order(
    catalog: &Catalog,
    request: PlannedComputeCreateRequest,
) -> Result<Order<'_>, ApiError> {
    let mut errors = ValidationErrors::default();
    let service = errors
        .required("service_id", request.service_id.as_deref())
        .and_then(|id| errors.check(catalog.require_planned_service("service_id", id)));
    let server_type = errors
        .required("server_type", request.server_type.as_deref())
        .and_then(|id| {
            let service = service.map(|service| service.id.as_str());
            errors.check(catalog.require_server_type("server_type", id, service))
        });
    let os = errors
        .required("os_type", request.os_type.as_deref())
        .and_then(|text| errors.check(catalog.require_os("os_type", text)));
    if let (Some(os), Some(service)) = (os, service) {
        errors.check(catalog.require_os_of("os_type", os, &service.id));
    }
    let contract_type = errors
        .required("contract_type", request.contract_type.as_deref())
        .and_then(|code| errors.check(catalog.require_contract_type("contract_type", code)));
    let tags = parse_tags(&mut errors, request.tag.unwrap_or_default());
    let (Some(service), Some(server_type), Some(os), Some(contract_type)) =
        (service, server_type, os, contract_type)
    else {
        return Err(errors.into());
    };
    errors.finish()?;
    Ok(Order {
        service_id: service.id.clone(),
        server_type: server_type.id.clone(),
        os_type: os.id.clone(),
        contract_type,
        tags,
    })
}

/// The tags as key and value, each checked for count and length.
fn parse_tags(
    errors: &mut ValidationErrors,
    tags: Vec<scpfm_api_types::billing_plan::TagDto>,
) -> Vec<(String, Option<String>)> {
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new(
            "tag",
            Problem::TooManyItems { max: MAX_TAGS },
        ));
    }
    for (idx, tag) in tags.iter().enumerate() {
        errors.check(check_text(
            &format!("tag[{idx}].key"),
            &tag.key,
            MAX_TAG_KEY,
        ));
        if tag
            .value
            .as_deref()
            .is_some_and(|value| value.chars().count() > MAX_TAG_VALUE)
        {
            errors.push(FieldError::new(
                format!("tag[{idx}].value"),
                Problem::TooLong { max: MAX_TAG_VALUE },
            ));
        }
    }
    tags.into_iter().map(|tag| (tag.key, tag.value)).collect()
}
