//! Usage calls: ListUsages and scpfm's admin ingestion.

use reqwest::Method;
use scpfm_api_types::usage::{
    UsageIngestResponse, UsageListQuery, UsageListResponse, UsageRecordInput,
};

use crate::{Call, Client, ClientError};

impl Client {
    /// The call of ListUsages.
    pub fn list_usages_call(query: &UsageListQuery) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: "costexplorer",
            method: Method::GET,
            path: "/v1/usages".into(),
            query: Self::encode_query(query)?,
            body: None,
        })
    }

    /// The call of the admin usage ingestion (a JSON array body).
    pub fn ingest_usage_call(records: &[UsageRecordInput]) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: "admin",
            method: Method::POST,
            path: "/v1/admin/usage-records".into(),
            query: String::new(),
            body: Some(Self::encode_body(&records)?),
        })
    }

    /// ListUsages.
    pub async fn list_usages(
        &self,
        query: &UsageListQuery,
    ) -> Result<UsageListResponse, ClientError> {
        self.call(Self::list_usages_call(query)?).await
    }

    /// Ingests usage records (admin keys only).
    pub async fn ingest_usage(
        &self,
        records: &[UsageRecordInput],
    ) -> Result<UsageIngestResponse, ClientError> {
        self.call(Self::ingest_usage_call(records)?).await
    }
}
