//! The catalogue planned compute is ordered from: ListServiceType, ListServerType,
//! List OS System and List Contract Type.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::billing_plan::{
    ContractTypeDto, ContractTypeListResponse, OsTypeDto, OsTypeListResponse, ProductListResponse,
    ProductResponse, ServerTypeDto, ServerTypeListResponse, ServerTypeQuery, ServiceQuery,
};
use scpfm_domain::catalog::ServerType;
use scpfm_domain::planned_compute::is_scale_up;
use scpfm_domain::validation::ValidationErrors;

use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Unauthorized};
use crate::paging::given;
use crate::state::AppState;

/// The services planned compute covers.
#[utoipa::path(get, path = "/v1/planned-computes/service-types", operation_id = "ListServiceType",
    description = "Get Service Type List",
    responses((status = 200, description = "OK", body = ProductListResponse), Unauthorized))]
pub async fn list_service_types(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    _caller: Caller,
) -> Json<ProductListResponse> {
    Json(ProductListResponse {
        services: state
            .catalog
            .services
            .iter()
            .filter(|service| service.planned_compute)
            .map(|service| ProductResponse {
                service_id: service.id.clone(),
                display_name: service.display_name.clone(),
            })
            .collect(),
    })
}

/// Server types of planned compute services; with `current_server_type`, `scale_up_yn`
/// says which are larger (the targets of SERVER_TYPE_CHANGE).
#[utoipa::path(get, path = "/v1/planned-computes/server-types", operation_id = "ListServerType",
    description = "Get Server Type List",
    params(ServerTypeQuery),
    responses((status = 200, description = "OK", body = ServerTypeListResponse), BadRequest, Unauthorized))]
pub async fn list_server_types(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ServerTypeQuery>,
) -> Result<Json<ServerTypeListResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let service = given(&query.service_id)
        .and_then(|id| errors.check(catalog.require_planned_service("service_id", id)));
    let os = given(&query.os_type).and_then(|os| errors.check(catalog.require_os("os_type", os)));
    let current = given(&query.current_server_type).and_then(|id| {
        let of = service.map(|service| service.id.as_str());
        errors.check(catalog.require_server_type("current_server_type", id, of))
    });
    errors.finish()?;
    let planned = |server: &&ServerType| {
        catalog
            .service(&server.service_id)
            .is_some_and(|service| service.planned_compute)
    };
    let server_types = catalog
        .server_types
        .iter()
        .filter(planned)
        .filter(|server| service.is_none_or(|service| server.service_id == service.id))
        .filter(|server| os.is_none_or(|os| os.services.contains(&server.service_id)))
        .map(|server| server_type_dto(server, current))
        .collect();
    Ok(Json(ServerTypeListResponse { server_types }))
}

/// A server type on the wire; `scale_up_yn` says whether it is a scale-up of `current`.
fn server_type_dto(server: &ServerType, current: Option<&ServerType>) -> ServerTypeDto {
    ServerTypeDto {
        server_type: server.id.clone(),
        server_type_description: server.description.clone(),
        instance_type: server.family.clone(),
        core: server.core.to_string(),
        memory_gb: server.memory_gb.to_string(),
        gpu_name: server.gpu_name.clone(),
        scale_up_yn: current.is_none_or(|current| is_scale_up(current, server)),
    }
}

/// OS types (of a service).
#[utoipa::path(get, path = "/v1/planned-computes/os-types", operation_id = "ListOsSystem",
    description = "Get Os System List.",
    params(("service_id" = Option<String>, Query, description = "Service Id", example = "VIRTUAL_SERVER")),
    responses((status = 200, description = "OK", body = OsTypeListResponse), BadRequest, Unauthorized))]
pub async fn list_os_types(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ServiceQuery>,
) -> Result<Json<OsTypeListResponse>, ApiError> {
    let catalog = &state.catalog;
    let service = given(&query.service_id)
        .map(|id| {
            catalog
                .require_planned_service("service_id", id)
                .map(|s| s.id.clone())
        })
        .transpose()?;
    let os_types = catalog
        .os_types
        .iter()
        .filter(|os| service.as_ref().is_none_or(|id| os.services.contains(id)))
        .map(|os| OsTypeDto {
            os_type_id: os.id.clone(),
            display_name: os.display_name.clone(),
            os_type_value: os.value.clone(),
        })
        .collect();
    Ok(Json(OsTypeListResponse { os_types }))
}

/// Contract terms: for a new contract and for a renewal (every planned compute service and
/// server type offers all of them).
#[utoipa::path(get, path = "/v1/planned-computes/contract-types", operation_id = "ListContractType",
    description = "Get Contract Type List.",
    params(ServiceQuery),
    responses((status = 200, description = "OK", body = ContractTypeListResponse), BadRequest, Unauthorized))]
pub async fn list_contract_types(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ServiceQuery>,
) -> Result<Json<ContractTypeListResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let service = given(&query.service_id).and_then(|id| {
        errors.check(
            catalog
                .require_planned_service("service_id", id)
                .map(|s| s.id.clone()),
        )
    });
    if let Some(server) = given(&query.server_type) {
        errors.check(
            catalog
                .require_server_type("server_type", server, service.as_deref())
                .map(|s| s.id.clone()),
        );
    }
    errors.finish()?;
    let types: Vec<ContractTypeDto> = catalog
        .contract_types
        .iter()
        .map(|contract| ContractTypeDto {
            code: contract.code.clone(),
            display_name: contract.display_name.clone(),
        })
        .collect();
    Ok(Json(ContractTypeListResponse {
        contract_types: types.clone(),
        extension_types: types,
    }))
}
