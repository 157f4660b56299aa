//! CostExplorer bill and payment calls, and scpfm's admin adjustment load.

use reqwest::Method;
use scpfm_api_types::bill::{
    AdjustmentInput, AdjustmentLoadResponse, BillListQuery, BillListResponse,
    OrgPaymentMonthlyResponse, PaymentMonthlyQuery,
};

use crate::{Call, Client, ClientError};

impl Client {
    /// The call of ListBills.
    pub fn list_bills_call(query: &BillListQuery) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: "costexplorer",
            method: Method::GET,
            path: "/v1/bills".into(),
            query: Self::encode_query(query)?,
            body: None,
        })
    }

    /// The call of GetPaymentMonthly.
    pub fn payment_monthly_call(query: &PaymentMonthlyQuery) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: "costexplorer",
            method: Method::GET,
            path: "/v1/payments/monthly".into(),
            query: Self::encode_query(query)?,
            body: None,
        })
    }

    /// ListBills.
    pub async fn list_bills(&self, query: &BillListQuery) -> Result<BillListResponse, ClientError> {
        self.call(Self::list_bills_call(query)?).await
    }

    /// GetPaymentMonthly.
    pub async fn payment_monthly(
        &self,
        query: &PaymentMonthlyQuery,
    ) -> Result<OrgPaymentMonthlyResponse, ClientError> {
        self.call(Self::payment_monthly_call(query)?).await
    }

    /// Loads bill adjustments (admin keys only).
    pub async fn load_adjustments(
        &self,
        adjustments: &[AdjustmentInput],
    ) -> Result<AdjustmentLoadResponse, ClientError> {
        self.call(Call {
            service: "admin",
            method: Method::POST,
            path: "/v1/admin/bill-adjustments".into(),
            query: String::new(),
            body: Some(Self::encode_body(&adjustments)?),
        })
        .await
    }
}
