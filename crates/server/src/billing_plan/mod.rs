//! BillingPlan service: planned compute contracts (`/v1/planned-computes*`) and the catalogue
//! they are ordered from.

mod catalog;
pub(crate) mod change;
mod coverage;
mod create;
mod fees;
mod get;
mod list;

pub use catalog::{
    __path_list_contract_types, __path_list_os_types, __path_list_server_types,
    __path_list_service_types, list_contract_types, list_os_types, list_server_types,
    list_service_types,
};
pub use change::{__path_change_planned_compute, change_planned_compute};
pub use coverage::{__path_list_covered_resources, list_covered_resources};
pub use create::{__path_create_planned_compute, create_planned_compute};
pub use fees::{__path_get_cancellation_fee, get_cancellation_fee};
pub use get::{__path_get_planned_compute, get_planned_compute};
pub use list::{__path_list_planned_computes, list_planned_computes};

use scpfm_api_types::billing_plan::PlannedComputeDto;
use scpfm_api_types::wire_time::planned_compute_timestamp;
use scpfm_domain::catalog::{Catalog, OsType};
use scpfm_domain::planned_compute::{srn, ContractState, PlannedCompute};
use scpfm_domain::validation::{FieldError, Problem};

/// Services planned compute covers, by id.
fn planned_service_ids(catalog: &Catalog) -> Vec<String> {
    catalog
        .services
        .iter()
        .filter(|service| service.planned_compute)
        .map(|service| service.id.clone())
        .collect()
}

/// A planned compute service id, or a 400 problem for `field`.
fn check_service(catalog: &Catalog, field: &str, text: &str) -> Result<String, FieldError> {
    let allowed = planned_service_ids(catalog);
    if allowed.iter().any(|id| id == text) {
        Ok(text.to_owned())
    } else {
        Err(FieldError::with_given(
            field,
            Problem::NotOneOf { allowed },
            text,
        ))
    }
}

/// An OS type by either spelling (`OPEN_SOURCE` or `opensource`), or a 400 problem.
fn check_os<'a>(catalog: &'a Catalog, field: &str, text: &str) -> Result<&'a OsType, FieldError> {
    catalog
        .os_types
        .iter()
        .find(|os| os.id == text || os.value == text)
        .ok_or_else(|| {
            let mut allowed: Vec<String> =
                catalog.os_types.iter().map(|os| os.id.clone()).collect();
            allowed.extend(catalog.os_types.iter().map(|os| os.value.clone()));
            FieldError::with_given(field, Problem::NotOneOf { allowed }, text)
        })
}

/// A contract type code, or a 400 problem.
fn check_contract_type(catalog: &Catalog, field: &str, text: &str) -> Result<String, FieldError> {
    if catalog
        .contract_types
        .iter()
        .any(|contract| contract.code == text)
    {
        Ok(text.to_owned())
    } else {
        Err(FieldError::with_given(
            field,
            Problem::NotOneOf {
                allowed: catalog
                    .contract_types
                    .iter()
                    .map(|c| c.code.clone())
                    .collect(),
            },
            text,
        ))
    }
}

/// A server type (of `service`, when given), or a 400 problem.
fn check_server_type(
    catalog: &Catalog,
    field: &str,
    text: &str,
    service: Option<&str>,
) -> Result<String, FieldError> {
    let allowed: Vec<String> = catalog
        .server_types
        .iter()
        .filter(|server| service.is_none_or(|service| server.service_id == service))
        .map(|server| server.id.clone())
        .collect();
    if allowed.iter().any(|id| id == text) {
        Ok(text.to_owned())
    } else {
        Err(FieldError::with_given(
            field,
            Problem::NotOneOf { allowed },
            text,
        ))
    }
}

fn contract_display(catalog: &Catalog, code: &str) -> String {
    catalog
        .contract_types
        .iter()
        .find(|contract| contract.code == code)
        .map_or_else(|| code.to_owned(), |contract| contract.display_name.clone())
}

/// The wire form of a contract.
fn contract_dto(catalog: &Catalog, contract: &PlannedCompute) -> PlannedComputeDto {
    let service_name = catalog.service(&contract.service_id).map_or_else(
        || contract.service_id.clone(),
        |service| service.display_name.clone(),
    );
    let os_name = catalog
        .os_types
        .iter()
        .find(|os| os.id == contract.os_type)
        .map_or_else(|| contract.os_type.clone(), |os| os.display_name.clone());
    let description = catalog
        .server_types
        .iter()
        .find(|server| server.id == contract.server_type)
        .map_or(serde_json::json!({}), |server| {
            serde_json::json!({
                "instance_type": server.family,
                "core": server.core.to_string(),
                "memory_gb": server.memory_gb.to_string(),
                "gpu_name": server.gpu_name,
            })
        });
    let next = contract.next.as_ref();
    PlannedComputeDto {
        start_date: contract.term.start_date.to_string(),
        end_date: contract.term.end_date.to_string(),
        id: contract.id.clone(),
        contract_id: contract.contract_id.clone(),
        account_id: contract.account_id.to_string(),
        region: contract.region.clone(),
        service_id: contract.service_id.clone(),
        service_name,
        os_type: contract.os_type.clone(),
        os_name,
        server_type: contract.server_type.clone(),
        server_type_description: description,
        srn: srn(&contract.account_id, &contract.region, &contract.id),
        resource_type: "instance".into(),
        contract_type: contract_display(catalog, &contract.term.contract_type),
        next_contract_type: next.map(|term| contract_display(catalog, &term.contract_type)),
        first_contract_start_at: contract.first_contract_start.to_string(),
        next_start_date: next.map(|term| term.start_date.to_string()),
        next_end_date: next.map(|term| term.end_date.to_string()),
        state: contract.state.as_str().to_owned(),
        delete_yn: if contract.state == ContractState::Terminated {
            "Y"
        } else {
            "N"
        }
        .to_owned(),
        resource_name: contract.resource_name.clone(),
        created_at: planned_compute_timestamp(contract.created_at),
        created_by: contract.created_by.clone(),
        modified_at: planned_compute_timestamp(contract.modified_at),
        modified_by: contract.modified_by.clone(),
    }
}
