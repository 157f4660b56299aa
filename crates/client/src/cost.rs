//! scpfm's cost analysis calls (CostExplorer service): cost and usage, the forecast and the
//! FOCUS export.

use reqwest::Method;
use scpfm_api_types::cost::{
    CostAndUsageQuery, CostAndUsageResponse, CostForecastQuery, CostForecastResponse,
    FocusExportQuery,
};

use crate::{Call, Client, ClientError};

fn get<Q: serde::Serialize>(path: &str, query: &Q) -> Result<Call<'static>, ClientError> {
    Ok(Call {
        service: "costexplorer",
        method: Method::GET,
        path: path.into(),
        query: Client::encode_query(query)?,
        body: None,
    })
}

impl Client {
    /// The call of GetCostAndUsage.
    pub fn cost_and_usage_call(query: &CostAndUsageQuery) -> Result<Call<'static>, ClientError> {
        get("/v1/cost-and-usage", query)
    }

    /// The call of GetCostForecast.
    pub fn cost_forecast_call(query: &CostForecastQuery) -> Result<Call<'static>, ClientError> {
        get("/v1/cost-and-usage/forecast", query)
    }

    /// GetCostAndUsage.
    pub async fn cost_and_usage(
        &self,
        query: &CostAndUsageQuery,
    ) -> Result<CostAndUsageResponse, ClientError> {
        self.call(Self::cost_and_usage_call(query)?).await
    }

    /// GetCostForecast.
    pub async fn cost_forecast(
        &self,
        query: &CostForecastQuery,
    ) -> Result<CostForecastResponse, ClientError> {
        self.call(Self::cost_forecast_call(query)?).await
    }

    /// ExportFocus: the CSV's bytes.
    pub async fn export_focus(&self, query: &FocusExportQuery) -> Result<Vec<u8>, ClientError> {
        Ok(self
            .send(get("/v1/exports/focus", query)?)
            .await?
            .error_for_status()?
            .body)
    }
}
