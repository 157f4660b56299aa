//! BillingPlan calls: planned compute contracts and their catalogue.

use reqwest::Method;
use scpfm_api_types::billing_plan::{
    CancellationFeeRequest, CancellationFeeResponse, ContractTypeListResponse,
    CoveredResourceQuery, OsTypeListResponse, PlannedComputeChangeRequest,
    PlannedComputeCreateRequest, PlannedComputeListQuery, PlannedComputeListResponse,
    PlannedComputeResourceListResponse, PlannedComputeResponse, ProductListResponse,
    ServerTypeListResponse, ServerTypeQuery, ServiceQuery,
};

use crate::{Call, Client, ClientError};

const SERVICE: &str = "billingplan";

fn get(path: String, query: String) -> Call<'static> {
    Call {
        service: SERVICE,
        method: Method::GET,
        path,
        query,
        body: None,
    }
}

impl Client {
    /// ListServiceType.
    pub fn list_service_types_call() -> Call<'static> {
        get("/v1/planned-computes/service-types".into(), String::new())
    }

    /// ListServerType.
    pub fn list_server_types_call(query: &ServerTypeQuery) -> Result<Call<'static>, ClientError> {
        Ok(get(
            "/v1/planned-computes/server-types".into(),
            Self::encode_query(query)?,
        ))
    }

    /// List OS System.
    pub fn list_os_types_call(query: &ServiceQuery) -> Result<Call<'static>, ClientError> {
        Ok(get(
            "/v1/planned-computes/os-types".into(),
            Self::encode_query(query)?,
        ))
    }

    /// List Contract Type.
    pub fn list_contract_types_call(query: &ServiceQuery) -> Result<Call<'static>, ClientError> {
        Ok(get(
            "/v1/planned-computes/contract-types".into(),
            Self::encode_query(query)?,
        ))
    }

    /// List Planned Compute Covered Resource.
    pub fn list_covered_resources_call(
        query: &CoveredResourceQuery,
    ) -> Result<Call<'static>, ClientError> {
        Ok(get(
            "/v1/planned-computes/instances".into(),
            Self::encode_query(query)?,
        ))
    }

    /// List Planned Compute Covered Resource.
    pub async fn list_covered_resources(
        &self,
        query: &CoveredResourceQuery,
    ) -> Result<PlannedComputeResourceListResponse, ClientError> {
        self.call(Self::list_covered_resources_call(query)?).await
    }

    /// ListPlannedComputes.
    pub fn list_planned_computes_call(
        query: &PlannedComputeListQuery,
    ) -> Result<Call<'static>, ClientError> {
        Ok(get(
            "/v1/planned-computes".into(),
            Self::encode_query(query)?,
        ))
    }

    /// Get Planned Compute.
    pub fn get_planned_compute_call(id: &str) -> Call<'static> {
        get(format!("/v1/planned-computes/{id}"), String::new())
    }

    /// Create Request Planned Computes.
    pub fn create_planned_compute_call(
        request: &PlannedComputeCreateRequest,
    ) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::POST,
            path: "/v1/planned-computes".into(),
            query: String::new(),
            body: Some(Self::encode_body(request)?),
        })
    }

    /// Change Request Planned Compute.
    pub fn change_planned_compute_call(
        id: &str,
        request: &PlannedComputeChangeRequest,
    ) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::PUT,
            path: format!("/v1/planned-computes/{id}"),
            query: String::new(),
            body: Some(Self::encode_body(request)?),
        })
    }

    /// GetCancellationFee.
    pub fn cancellation_fee_call(
        request: &CancellationFeeRequest,
    ) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::POST,
            path: "/v1/planned-computes/cancellation-fee".into(),
            query: String::new(),
            body: Some(Self::encode_body(request)?),
        })
    }

    /// ListServiceType.
    pub async fn list_service_types(&self) -> Result<ProductListResponse, ClientError> {
        self.call(Self::list_service_types_call()).await
    }

    /// ListServerType.
    pub async fn list_server_types(
        &self,
        query: &ServerTypeQuery,
    ) -> Result<ServerTypeListResponse, ClientError> {
        self.call(Self::list_server_types_call(query)?).await
    }

    /// List OS System.
    pub async fn list_os_types(
        &self,
        query: &ServiceQuery,
    ) -> Result<OsTypeListResponse, ClientError> {
        self.call(Self::list_os_types_call(query)?).await
    }

    /// List Contract Type.
    pub async fn list_contract_types(
        &self,
        query: &ServiceQuery,
    ) -> Result<ContractTypeListResponse, ClientError> {
        self.call(Self::list_contract_types_call(query)?).await
    }

    /// ListPlannedComputes.
    pub async fn list_planned_computes(
        &self,
        query: &PlannedComputeListQuery,
    ) -> Result<PlannedComputeListResponse, ClientError> {
        self.call(Self::list_planned_computes_call(query)?).await
    }

    /// Get Planned Compute.
    pub async fn get_planned_compute(
        &self,
        id: &str,
    ) -> Result<PlannedComputeResponse, ClientError> {
        self.call(Self::get_planned_compute_call(id)).await
    }

    /// Create Request Planned Computes.
    pub async fn create_planned_compute(
        &self,
        request: &PlannedComputeCreateRequest,
    ) -> Result<PlannedComputeResponse, ClientError> {
        self.call(Self::create_planned_compute_call(request)?).await
    }

    /// Change Request Planned Compute.
    pub async fn change_planned_compute(
        &self,
        id: &str,
        request: &PlannedComputeChangeRequest,
    ) -> Result<PlannedComputeResponse, ClientError> {
        self.call(Self::change_planned_compute_call(id, request)?)
            .await
    }

    /// GetCancellationFee.
    pub async fn cancellation_fee(
        &self,
        request: &CancellationFeeRequest,
    ) -> Result<CancellationFeeResponse, ClientError> {
        self.call(Self::cancellation_fee_call(request)?).await
    }
}
