//! Budget service calls.

use reqwest::Method;
use scpfm_api_types::budget::{
    BudgetAccountPageResponse, BudgetAccountShowResponse, BudgetCreateRequest, BudgetListQuery,
    BudgetSetRequest,
};

use crate::{Call, Client, ClientError};

const SERVICE: &str = "budget";
const COLLECTION: &str = "/v1/budgets/account";

/// The path of one budget, with the id percent-encoded.
pub fn budget_path(budget_id: &str) -> String {
    format!(
        "{COLLECTION}/{}",
        scpfm_signing::encode_query_component(budget_id)
    )
}

impl Client {
    /// The call of CreateAccountBudget.
    pub fn create_budget_call(request: &BudgetCreateRequest) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::POST,
            path: COLLECTION.into(),
            query: String::new(),
            body: Some(Self::encode_body(request)?),
        })
    }

    /// The call of ListAccountBudgets.
    pub fn list_budgets_call(query: &BudgetListQuery) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::GET,
            path: COLLECTION.into(),
            query: Self::encode_query(query)?,
            body: None,
        })
    }

    /// The call of ShowAccountBudget.
    pub fn show_budget_call(budget_id: &str) -> Call<'static> {
        Call {
            service: SERVICE,
            method: Method::GET,
            path: budget_path(budget_id),
            query: String::new(),
            body: None,
        }
    }

    /// The call of SetAccountBudget.
    pub fn set_budget_call(
        budget_id: &str,
        request: &BudgetSetRequest,
    ) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::PUT,
            path: budget_path(budget_id),
            query: String::new(),
            body: Some(Self::encode_body(request)?),
        })
    }

    /// The call of DeleteAccountBudget.
    pub fn delete_budget_call(budget_id: &str) -> Call<'static> {
        Call {
            service: SERVICE,
            method: Method::DELETE,
            path: budget_path(budget_id),
            query: String::new(),
            body: None,
        }
    }

    /// CreateAccountBudget (201).
    pub async fn create_budget(
        &self,
        request: &BudgetCreateRequest,
    ) -> Result<BudgetAccountShowResponse, ClientError> {
        self.call(Self::create_budget_call(request)?).await
    }

    /// ListAccountBudgets.
    pub async fn list_budgets(
        &self,
        query: &BudgetListQuery,
    ) -> Result<BudgetAccountPageResponse, ClientError> {
        self.call(Self::list_budgets_call(query)?).await
    }

    /// ShowAccountBudget (201, as documented).
    pub async fn show_budget(
        &self,
        budget_id: &str,
    ) -> Result<BudgetAccountShowResponse, ClientError> {
        self.call(Self::show_budget_call(budget_id)).await
    }

    /// SetAccountBudget.
    pub async fn set_budget(
        &self,
        budget_id: &str,
        request: &BudgetSetRequest,
    ) -> Result<BudgetAccountShowResponse, ClientError> {
        self.call(Self::set_budget_call(budget_id, request)?).await
    }

    /// DeleteAccountBudget (204).
    pub async fn delete_budget(&self, budget_id: &str) -> Result<(), ClientError> {
        self.send(Self::delete_budget_call(budget_id))
            .await?
            .error_for_status()
            .map(|_| ())
    }
}
