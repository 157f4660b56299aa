//! Create Request Planned Computes: `POST /v1/planned-computes` → 200.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{PlannedComputeCreateRequest, PlannedComputeResponse};
use scpfm_api_types::error::ErrorResponse;
use scpfm_domain::planned_compute::{start_date_for_order, ContractState, PlannedCompute, Term};
use scpfm_domain::validation::{check_text, FieldError, Problem, ValidationErrors};

use super::{check_contract_type, check_os, check_server_type, check_service, contract_dto};
use crate::error::ApiError;
use crate::extract::{ApiJson, Caller};
use crate::state::AppState;

/// Most tags a contract may carry, and their key and value lengths.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

/// Orders a planned compute contract for the caller's account. It starts the next day (KST).
#[utoipa::path(
    post,
    path = "/v1/planned-computes",
    operation_id = "CreateRequestPlannedComputes",
    tag = "BillingPlan",
    description = "Create request planned compute.",
    request_body = PlannedComputeCreateRequest,
    responses(
        (status = 200, description = "OK", body = PlannedComputeResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 403, description = "Forbidden: another account, or budget prevention", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn create_planned_compute(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<PlannedComputeCreateRequest>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    if let Some(account) = request.account_id.as_deref().filter(|id| !id.is_empty()) {
        if account != caller.account_id.as_str() {
            return Err(ApiError::AccountMismatch {
                account_id: account.to_owned(),
            });
        }
    }
    let service = errors
        .required("service_id", request.service_id.as_deref())
        .and_then(|id| errors.check(check_service(catalog, "service_id", id)));
    let server_type = errors
        .required("server_type", request.server_type.as_deref())
        .and_then(|id| {
            errors.check(check_server_type(
                catalog,
                "server_type",
                id,
                service.as_deref(),
            ))
        });
    let os = errors
        .required("os_type", request.os_type.as_deref())
        .and_then(|text| errors.check(check_os(catalog, "os_type", text)));
    if let (Some(os), Some(service)) = (os, &service) {
        if !os.services.contains(service) {
            errors.push(FieldError::with_given(
                "os_type",
                Problem::NotOneOf {
                    allowed: catalog
                        .os_types
                        .iter()
                        .filter(|os| os.services.contains(service))
                        .map(|os| os.id.clone())
                        .collect(),
                },
                os.id.clone(),
            ));
        }
    }
    let contract_type = errors
        .required("contract_type", request.contract_type.as_deref())
        .and_then(|code| errors.check(check_contract_type(catalog, "contract_type", code)));
    let tags = request.tag.clone().unwrap_or_default();
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
    let (Some(service), Some(server_type), Some(os), Some(contract_type)) =
        (service, server_type, os, contract_type)
    else {
        return Err(errors.into());
    };
    errors.finish()?;
    crate::prevention::ensure_creation_allowed(&state, &caller, &service).await?;

    let now = state.clock.now();
    let contract_kind = catalog
        .contract_types
        .iter()
        .find(|contract| contract.code == contract_type)
        .ok_or_else(|| ApiError::Internal("a checked contract type vanished".into()))?;
    let start = start_date_for_order(now);
    let region = catalog
        .regions
        .first()
        .map_or_else(|| "kr-west1".to_owned(), |region| region.id.clone());
    let contract = PlannedCompute {
        id: scpfm_domain::ids::BudgetId::from_bytes(uuid::Uuid::new_v4().into_bytes()).to_string(),
        contract_id: String::new(),
        account_id: caller.account_id.clone(),
        region,
        service_id: service,
        server_type,
        os_type: os.id.clone(),
        term: Term::starting(contract_kind, start),
        first_contract_start: start,
        next: None,
        state: ContractState::Active,
        tags: tags.into_iter().map(|tag| (tag.key, tag.value)).collect(),
        resource_name: None,
        created_at: now,
        created_by: caller.user_name.clone(),
        modified_at: now,
        modified_by: caller.user_name.clone(),
        cancelled_at: None,
    };
    let stored = state.store.create_planned_compute(&contract).await?;
    tracing::info!(planned_compute.id = %stored.id, contract_id = %stored.contract_id, "planned compute ordered");
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(catalog, &stored),
    }))
}
