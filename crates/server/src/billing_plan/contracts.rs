//! Planned compute contracts: Create Request Planned Computes, Get Planned Compute,
//! ListPlannedComputes and Change Request Planned Compute.

use crate::json::Json;
use axum::extract::{Path, State};
use rust_decimal::Decimal;
use scpfm_api_types::billing_plan::{
    PlannedComputeChangeRequest, PlannedComputeCreateRequest, PlannedComputeListQuery,
    PlannedComputeListResponse, PlannedComputeResponse,
};
use scpfm_api_types::error::ErrorResponse;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::listing::{parse_sort, PageRequest, SortDirection, SortKey};
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_domain::planned_compute::{
    apply, quote_cancellation, start_date_for_order, CancellationFee, ChangeAction, ContractState,
    PlannedCompute, PlannedComputeSortField, Term,
};
use scpfm_domain::validation::{check_text, FieldError, Problem, ValidationErrors};
use scpfm_store::bills::BillCharge;
use scpfm_store::planned_computes::PlannedComputeFilter;

use super::{check_contract_type, check_os, check_server_type, check_service, contract_dto};
use crate::error::{ApiError, Conflict, Resource};
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::state::AppState;
use crate::wire::date_param;

/// Most tags a contract may carry, and their key and value lengths.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;
/// Default page size.
const DEFAULT_LIMIT: u32 = 20;

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

/// One contract of the caller's account.
#[utoipa::path(
    get,
    path = "/v1/planned-computes/{planned_compute_id}",
    operation_id = "GetPlannedCompute",
    tag = "BillingPlan",
    description = "Get planned compute.",
    params(("planned_compute_id" = String, Path, description = "Planned Compute Id", example = "5f3688a192094ddeb0c94166a3e88935")),
    responses(
        (status = 200, description = "OK", body = PlannedComputeResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 404, description = "Not Found", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn get_planned_compute(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    let contract = find(&state, &caller, &id).await?;
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(&state.catalog, &contract),
    }))
}

async fn find(state: &AppState, caller: &Caller, id: &str) -> Result<PlannedCompute, ApiError> {
    state
        .store
        .get_planned_compute(&caller.account_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound {
            resource: Resource::PlannedCompute,
            id: id.to_owned(),
        })
}

/// The caller's contracts, filtered, sorted, one 1-based `page` of `limit` at a time.
#[utoipa::path(
    get,
    path = "/v1/planned-computes",
    operation_id = "ListPlannedComputes",
    tag = "BillingPlan",
    description = "Get planned compute list.",
    params(PlannedComputeListQuery),
    responses(
        (status = 200, description = "OK", body = PlannedComputeListResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_planned_computes(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PlannedComputeListQuery>,
) -> Result<Json<PlannedComputeListResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let page = query.page.unwrap_or(1);
    let page_request = errors.check(
        PageRequest::new(query.page, query.limit, 1, DEFAULT_LIMIT).map_err(|mut error| {
            if error.field == "size" {
                error.field = "limit".into();
            }
            error
        }),
    );
    let from = date_param(&mut errors, "start_date", &query.start_date);
    let until = date_param(&mut errors, "end_date", &query.end_date);
    let list = |values: &Option<Vec<String>>| -> Vec<String> {
        values
            .iter()
            .flatten()
            .filter(|v| !v.is_empty())
            .cloned()
            .collect()
    };
    let mut checked = |values: Vec<String>, check: &dyn Fn(&str) -> Result<String, FieldError>| {
        values
            .iter()
            .filter_map(|value| errors.check(check(value)))
            .collect::<Vec<String>>()
    };
    let contract_types = checked(list(&query.contract_type), &|v| {
        check_contract_type(catalog, "contract_type", v)
    });
    let next_contract_types = checked(list(&query.next_contract_type), &|v| {
        check_contract_type(catalog, "next_contract_type", v)
    });
    let service_ids = checked(list(&query.service_id), &|v| {
        check_service(catalog, "service_id", v)
    });
    let os_types = checked(list(&query.os_type), &|v| {
        check_os(catalog, "os_type", v).map(|os| os.id.clone())
    });
    let states: Vec<ContractState> = list(&query.state)
        .iter()
        .filter_map(|text| {
            errors.check(text.parse::<ContractState>().map_err(|()| {
                FieldError::with_given(
                    "state",
                    Problem::NotOneOf {
                        allowed: ContractState::ALL.map(|s| s.as_str().to_owned()).to_vec(),
                    },
                    text,
                )
            }))
        })
        .collect();
    let contract_id = query.contract_id.clone().filter(|id| !id.is_empty());
    if let Some(contract) = &contract_id {
        if scpfm_domain::planned_compute::contract_seq(contract).is_none() {
            errors.push(FieldError::with_given(
                "contract_id",
                Problem::InvalidFormat {
                    expected: "C followed by 9 digits",
                },
                contract,
            ));
        }
    }
    let sort = match query.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
        None => Some(vec![SortKey {
            field: PlannedComputeSortField::CreatedAt,
            direction: SortDirection::Desc,
        }]),
        Some(text) => errors.check(parse_sort::<PlannedComputeSortField>("sort", text)),
    };
    let (Some(page_request), Some(sort)) = (page_request, sort) else {
        return Err(errors.into());
    };
    errors.finish()?;
    let filter = PlannedComputeFilter {
        from,
        until,
        server_type: query.server_type.clone().filter(|s| !s.is_empty()),
        contract_id,
        contract_types,
        next_contract_types,
        service_ids,
        os_types,
        states,
        created_by: query.created_by.clone().filter(|s| !s.is_empty()),
        modified_by: query.modified_by.clone().filter(|s| !s.is_empty()),
    };
    let (items, total) = state
        .store
        .list_planned_computes(&caller.account_id, &filter, &sort, page_request)
        .await?;
    Ok(Json(PlannedComputeListResponse {
        planned_computes: items.iter().map(|c| contract_dto(catalog, c)).collect(),
        total_pages: crate::wire::count(page_request.total_pages(total)),
        total_count: crate::wire::count(total),
        current_page: page,
    }))
}

/// What cancelling `contract` at `now` costs, and the charge it puts on the current KST
/// month's bill (none when there is no fee).
pub(crate) fn cancellation_charge(
    catalog: &Catalog,
    contract: &PlannedCompute,
    now: chrono::DateTime<chrono::Utc>,
) -> (CancellationFee, Option<BillCharge>) {
    let fee = quote_cancellation(catalog, contract, now);
    let charge = (fee.fee_krw > Decimal::ZERO).then(|| {
        let month = YearMonth::of(kst_date(now));
        BillCharge::for_contract(
            catalog,
            contract,
            month,
            ChargeComponent::CancellationFee,
            fee.fee_krw,
        )
    });
    (fee, charge)
}

/// Parses the change request into an action, with every problem named.
fn parse_action(
    state: &AppState,
    request: &PlannedComputeChangeRequest,
) -> Result<ChangeAction, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let action = errors.required("action", request.action.as_deref());
    let contract_type = |errors: &mut ValidationErrors, action: &str| match request
        .contract_type
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        None => {
            errors.push(FieldError::new(
                "contract_type",
                Problem::RequiredWhen {
                    other_field: "action",
                    other_value: action.to_owned(),
                },
            ));
            None
        }
        Some(code) => errors.check(check_contract_type(catalog, "contract_type", code)),
    };
    let parsed = match action {
        None => None,
        Some("EXTEND_APPLY") => {
            contract_type(&mut errors, "EXTEND_APPLY").map(ChangeAction::ExtendApply)
        }
        Some("EXTEND_CHANGE") => {
            contract_type(&mut errors, "EXTEND_CHANGE").map(ChangeAction::ExtendChange)
        }
        Some("EXTEND_CANCEL") => Some(ChangeAction::ExtendCancel),
        Some("CONTRACT_CANCEL") => Some(ChangeAction::ContractCancel),
        Some("SERVER_TYPE_CHANGE") => {
            match request.server_type.as_deref().filter(|s| !s.is_empty()) {
                None => {
                    errors.push(FieldError::new(
                        "server_type",
                        Problem::RequiredWhen {
                            other_field: "action",
                            other_value: "SERVER_TYPE_CHANGE".into(),
                        },
                    ));
                    None
                }
                Some(server) => errors
                    .check(check_server_type(catalog, "server_type", server, None))
                    .map(ChangeAction::ServerTypeChange),
            }
        }
        Some(other @ ("CHANGE_START_DATE" | "CREATE_PLAN")) => {
            errors.push(FieldError::with_given(
                "action",
                Problem::InvalidFormat {
                    expected: "an action scpfm supports: CHANGE_START_DATE and CREATE_PLAN are console-internal \
                               in SCP and not offered (contracts start the day after the order)",
                },
                other,
            ));
            None
        }
        Some(other) => {
            errors.push(FieldError::with_given(
                "action",
                Problem::NotOneOf {
                    allowed: [
                        "EXTEND_APPLY",
                        "EXTEND_CHANGE",
                        "EXTEND_CANCEL",
                        "SERVER_TYPE_CHANGE",
                        "CONTRACT_CANCEL",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                },
                other,
            ));
            None
        }
    };
    errors.finish()?;
    parsed.ok_or_else(|| ApiError::Internal("a checked action did not parse".into()))
}

/// Applies a change action; one that does not fit the contract's state is a 409 naming
/// the reason. A cancellation charges its fee to the current month's bill.
#[utoipa::path(
    put,
    path = "/v1/planned-computes/{planned_compute_id}",
    operation_id = "ChangeRequestPlannedCompute",
    tag = "BillingPlan",
    description = "Change action request planned compute.",
    params(("planned_compute_id" = String, Path, description = "Planned Compute Id", example = "5f3688a192094ddeb0c94166a3e88935")),
    request_body = PlannedComputeChangeRequest,
    responses(
        (status = 200, description = "OK", body = PlannedComputeResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 404, description = "Not Found", body = ErrorResponse),
        (status = 409, description = "The action does not fit the contract's state", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn change_planned_compute(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PlannedComputeChangeRequest>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    let action = parse_action(&state, &request)?;
    let contract = find(&state, &caller, &id).await?;
    let now = state.clock.now();
    let changed =
        apply(&contract, &action, &state.catalog, now, &caller.user_name).map_err(|refusal| {
            ApiError::Conflict(Conflict::ContractAction {
                action: action.name(),
                refusal,
            })
        })?;
    let mut charge = None;
    let detail = match &action {
        ChangeAction::ContractCancel => {
            let (fee, fee_charge) = cancellation_charge(&state.catalog, &contract, now);
            charge = fee_charge;
            serde_json::json!({
                "cancellation_fee": fee.fee_krw.to_string(),
                "bill_year_month": fee.bill_month.to_string(),
                "charged_to": charge.as_ref().map(|charge| charge.month.to_string()),
                "same_day_cancel": fee.same_day_cancel,
            })
        }
        ChangeAction::ExtendApply(code) | ChangeAction::ExtendChange(code) => {
            serde_json::json!({ "contract_type": code })
        }
        ChangeAction::ServerTypeChange(server) => {
            serde_json::json!({ "from": contract.server_type, "to": server })
        }
        ChangeAction::ExtendCancel => serde_json::json!({}),
    };
    state
        .store
        .update_planned_compute(
            &changed,
            action.name(),
            &detail.to_string(),
            charge
                .as_ref()
                .map(|charge| (state.catalog.as_ref(), charge)),
        )
        .await?;
    tracing::info!(planned_compute.id = %changed.id, action = action.name(), "planned compute changed");
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(&state.catalog, &changed),
    }))
}
