//! Pricing service calls.

use reqwest::Method;
use scpfm_api_types::pricing::{
    BillingItemIdsResponse, OfferingResponse, PriceListQuery, ReportPriceResponse,
};

use crate::{Call, Client, ClientError};

const SERVICE: &str = "pricing";

impl Client {
    /// The call of ListBillingItemIds.
    pub fn list_billing_item_ids_call() -> Call<'static> {
        Call {
            service: SERVICE,
            method: Method::GET,
            path: "/v1/reports/billing-item-ids".into(),
            query: String::new(),
            body: None,
        }
    }

    /// The call of ListOffering.
    pub fn list_offerings_call() -> Call<'static> {
        Call {
            service: SERVICE,
            method: Method::GET,
            path: "/v1/reports/offerings".into(),
            query: String::new(),
            body: None,
        }
    }

    /// The call of ListReportPrice.
    pub fn list_prices_call(query: &PriceListQuery) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::GET,
            path: "/v1/reports/prices".into(),
            query: Self::encode_query(query)?,
            body: None,
        })
    }

    /// ListBillingItemIds.
    pub async fn list_billing_item_ids(&self) -> Result<BillingItemIdsResponse, ClientError> {
        self.call(Self::list_billing_item_ids_call()).await
    }

    /// ListOffering.
    pub async fn list_offerings(&self) -> Result<OfferingResponse, ClientError> {
        self.call(Self::list_offerings_call()).await
    }

    /// ListReportPrice.
    pub async fn list_prices(
        &self,
        query: &PriceListQuery,
    ) -> Result<ReportPriceResponse, ClientError> {
        self.call(Self::list_prices_call(query)?).await
    }
}
