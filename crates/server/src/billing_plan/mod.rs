//! BillingPlan service: planned compute contracts (`/v1/planned-computes*`) and the catalogue
//! they are ordered from.

mod catalog;
mod change;
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
use scpfm_domain::catalog::Catalog;
use scpfm_domain::planned_compute::{srn, ContractState, PlannedCompute};

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
        id: contract.id.to_string(),
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
        contract_type: catalog
            .contract_type_name(&contract.term.contract_type)
            .to_owned(),
        next_contract_type: next
            .map(|term| catalog.contract_type_name(&term.contract_type).to_owned()),
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
