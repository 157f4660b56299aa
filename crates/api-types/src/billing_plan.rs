//! BillingPlan: planned compute contracts and their catalogue.

use serde::{Deserialize, Serialize};

use crate::common::Amount;

/// A service planned compute can cover (ProductResponse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductResponse {
    /// Service Id.
    pub service_id: String,
    /// Display Name.
    pub display_name: String,
}

/// Response of ListServiceType (ProductListResponse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductListResponse {
    /// Services.
    pub services: Vec<ProductResponse>,
}

/// Query of ListServerType.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ServerTypeQuery {
    /// Service Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The current server type: `scale_up_yn` says whether each type is larger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_server_type: Option<String>,
    /// OS Type (either spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<String>,
}

/// A server type (ServerTypeDTO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerTypeDto {
    /// Server Type.
    pub server_type: String,
    /// Server Type Description.
    pub server_type_description: String,
    /// Instance Type (family).
    pub instance_type: String,
    /// Instance Core.
    pub core: String,
    /// Instance Memory GB.
    pub memory_gb: String,
    /// Gpu Model Name.
    pub gpu_name: Option<String>,
    /// True when larger than `current_server_type` (true for all without it).
    pub scale_up_yn: bool,
}

/// Response of ListServerType.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerTypeListResponse {
    /// Server types.
    pub server_types: Vec<ServerTypeDto>,
}

/// Query of List OS System and List Contract Type (`server_type` for the latter only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ServiceQuery {
    /// Service Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// Server Type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<String>,
}

/// An OS type (OSTypeDTO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OsTypeDto {
    /// OS Type id, e.g. `OPEN_SOURCE`.
    pub os_type_id: String,
    /// Display Name.
    pub display_name: String,
    /// The other spelling, e.g. `opensource`.
    pub os_type_value: String,
}

/// Response of List OS System.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OsTypeListResponse {
    /// OS types.
    pub os_types: Vec<OsTypeDto>,
}

/// A contract type (ContractTypeDTO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractTypeDto {
    /// Contract Code.
    pub code: String,
    /// Display Name.
    pub display_name: String,
}

/// Response of List Contract Type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractTypeListResponse {
    /// Terms a new contract may take.
    pub contract_types: Vec<ContractTypeDto>,
    /// Terms a renewal may take.
    pub extension_types: Vec<ContractTypeDto>,
}

/// A tag (TagDTO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagDto {
    /// Tag Key.
    pub key: String,
    /// Tag Value.
    #[serde(default)]
    pub value: Option<String>,
}

/// Body of Create Request Planned Computes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlannedComputeCreateRequest {
    /// Account Id: the caller's, if sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Service Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// Service Name (informative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Server Type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<String>,
    /// OS Type: `OPEN_SOURCE` or `opensource` (either spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<String>,
    /// Contract Type: `01`, `03` or `05`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Vec<TagDto>>,
}

/// Body of Change Request Planned Compute.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlannedComputeChangeRequest {
    /// EXTEND_APPLY, EXTEND_CHANGE, EXTEND_CANCEL, SERVER_TYPE_CHANGE or CONTRACT_CANCEL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Required for EXTEND_APPLY and EXTEND_CHANGE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<String>,
    /// Required for SERVER_TYPE_CHANGE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<String>,
}

/// A contract (PlannedComputeDTO). Timestamps `YYYY-MM-DDTHH:MM:SS` (KST).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedComputeDto {
    /// Start date of the current term (YYYY-MM-dd).
    pub start_date: String,
    /// End date of the current term (YYYY-MM-dd).
    pub end_date: String,
    /// Planned Compute Id.
    pub id: String,
    /// Contract Id.
    pub contract_id: String,
    /// Account Id.
    pub account_id: String,
    /// Region.
    pub region: String,
    /// Service Id.
    pub service_id: String,
    /// Service Name.
    pub service_name: String,
    /// OS Type.
    pub os_type: String,
    /// OS Name.
    pub os_name: String,
    /// Server Type.
    pub server_type: String,
    /// Server Type Description: family, cores, memory, GPU.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub server_type_description: serde_json::Value,
    /// SRN.
    pub srn: String,
    /// Resource Type.
    pub resource_type: String,
    /// Contract Type (display name, e.g. `1-year`).
    pub contract_type: String,
    /// Next Contract Type (display name), when a renewal is applied.
    pub next_contract_type: Option<String>,
    /// First contract's start date.
    pub first_contract_start_at: String,
    /// Renewal start date.
    pub next_start_date: Option<String>,
    /// Renewal end date.
    pub next_end_date: Option<String>,
    /// ACTIVE, EXPIRED or TERMINATED.
    pub state: String,
    /// `Y` once terminated.
    pub delete_yn: String,
    /// The resource it covered most recently.
    pub resource_name: Option<String>,
    /// Created date.
    pub created_at: String,
    /// Created by.
    pub created_by: String,
    /// Modified date.
    pub modified_at: String,
    /// Modified by.
    pub modified_by: String,
}

/// Response of Create, Get and Change (PlannedComputeResponse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedComputeResponse {
    /// The contract.
    pub planned_compute: PlannedComputeDto,
}

/// Query of ListPlannedComputes. Array parameters repeat their name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PlannedComputeListQuery {
    /// Page size (default 20, at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Page, 1-based (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<i64>,
    /// In force on or after this date (YYYY-MM-dd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// In force on or before this date (YYYY-MM-dd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Server Type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<String>,
    /// Contract Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// Contract Type (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_type: Option<Vec<String>>,
    /// Next Contract Type (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_contract_type: Option<Vec<String>>,
    /// Service Id (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Vec<String>>,
    /// OS Type (repeatable, either spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<Vec<String>>,
    /// Planned Compute State (repeatable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Vec<String>>,
    /// Created by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Modified by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// `field:asc|desc[,…]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

/// Response of ListPlannedComputes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedComputeListResponse {
    /// This page.
    pub planned_computes: Vec<PlannedComputeDto>,
    /// Pages of `limit`.
    pub total_pages: i64,
    /// Matches over all pages.
    pub total_count: i64,
    /// This page (1-based).
    pub current_page: i64,
}

/// Body of GetCancellationFee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancellationFeeRequest {
    /// Region (informative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Planned Compute Id: one id or an array of ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_compute_id: Option<OneOrMany>,
}

/// A string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Several.
    Many(Vec<String>),
}

/// A currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Currency {
    /// Currency code.
    pub code: String,
    /// Currency Symbol.
    pub symbol: String,
}

/// Response of GetCancellationFee: the fee of cancelling now, summed over the ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancellationFeeResponse {
    /// The month whose bill carries the fee.
    pub bill_year_month: String,
    /// The fee in KRW with its USD equivalent (an Amount, as SCP's official Go SDK and
    /// OpenAPI document type it).
    pub cancellation_fee: Amount,
    /// KRW.
    pub currency: Currency,
    /// True when every contract was ordered today (no fee).
    pub same_day_cancel: bool,
}

/// Query of List Planned Compute Covered Resource (every parameter required).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CoveredResourceQuery {
    /// Service Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// OS Type (either spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<String>,
    /// Server Type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_type: Option<String>,
    /// Start date (YYYY-MM-dd, KST), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// End date (YYYY-MM-dd, KST), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Order of the rows: `contract_id`, `resource_name` or `used_time`, `:asc` or `:desc`
    /// (the official OpenAPI document's parameter; default: by contract, then resource).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

/// The amounts of a resource group (ResourceGroupTotalAmountDTO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceGroupTotalAmountDto {
    /// Usage no contract covered (PG).
    pub no_contract_used: Amount,
    /// Usage contracts covered (PP).
    pub used: Amount,
    /// Contract hours that covered nothing (PP).
    pub non_applied: Amount,
    /// The three together.
    pub total: Amount,
}

/// One row of the coverage (ResourceUsedAmountDTO): a resource a contract covered, or a
/// contract's idle hours (`resource_name` null, `used_time` 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceUsedAmountDto {
    /// Resource Name.
    pub resource_name: Option<String>,
    /// Covered hours.
    pub used_time: i64,
    /// The contract's PP price per hour.
    pub unit_price: Amount,
    /// What the covered hours cost.
    pub used_amount: Amount,
    /// What the contract's idle hours cost.
    pub non_applied_amount: Amount,
    /// When the contract was ordered.
    pub request_at: String,
}

/// Response of List Planned Compute Covered Resource (PlannedComputeResourceListResponse).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedComputeResourceListResponse {
    /// The service.
    pub service: ProductResponse,
    /// Server Type.
    pub server_type: String,
    /// Server Type Description: family, cores, memory, GPU.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub server_type_description: serde_json::Value,
    /// The OS type.
    pub os: OsTypeDto,
    /// Contracts of this service, server type and OS.
    pub order_count: i64,
    /// Totals.
    pub amount: ResourceGroupTotalAmountDto,
    /// Rows.
    pub coverages: Vec<ResourceUsedAmountDto>,
}
