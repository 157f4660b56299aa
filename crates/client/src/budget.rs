//! Budget service calls.

use reqwest::Method;
use scpfm_api_types::budget::{
    BudgetAccountPageResponse, BudgetAccountShowResponse, BudgetCreateRequest, BudgetListQuery,
    BudgetSetRequest,
};

use scpfm_api_types::budget_status::{
    BudgetStatusListResponse, BudgetStatusResponse, CreationCheckQuery, CreationCheckResponse,
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

    /// The call of scpfm's ShowAccountBudgetStatus.
    pub fn budget_status_call(budget_id: &str) -> Call<'static> {
        Call {
            service: SERVICE,
            method: Method::GET,
            path: format!("{}/status", budget_path(budget_id)),
            query: String::new(),
            body: None,
        }
    }

    /// The call of scpfm's ListAccountBudgetStatus.
    pub fn budget_statuses_call() -> Call<'static> {
        Call {
            service: SERVICE,
            method: Method::GET,
            path: "/v1/budgets/status".into(),
            query: String::new(),
            body: None,
        }
    }

    /// The call of scpfm's CheckResourceCreation.
    pub fn creation_check_call(query: &CreationCheckQuery) -> Result<Call<'static>, ClientError> {
        Ok(Call {
            service: SERVICE,
            method: Method::GET,
            path: "/v1/budgets/creation-check".into(),
            query: Self::encode_query(query)?,
            body: None,
        })
    }

    /// Where one budget stands (scpfm extension).
    pub async fn budget_status(
        &self,
        budget_id: &str,
    ) -> Result<BudgetStatusResponse, ClientError> {
        self.call(Self::budget_status_call(budget_id)).await
    }

    /// Where every budget of the account stands (scpfm extension).
    pub async fn budget_statuses(&self) -> Result<BudgetStatusListResponse, ClientError> {
        self.call(Self::budget_statuses_call()).await
    }

    /// Whether the account may create a resource of a service now (scpfm extension).
    pub async fn creation_check(
        &self,
        query: &CreationCheckQuery,
    ) -> Result<CreationCheckResponse, ClientError> {
        self.call(Self::creation_check_call(query)?).await
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
