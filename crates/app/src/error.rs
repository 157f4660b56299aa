//! Why a use case failed, in the use cases' own words: the HTTP layer maps it to its error
//! envelope in one `From` impl, and the admin commands print it as a sentence.

use scpfm_domain::validation::{FieldError, ValidationErrors};
use scpfm_store::StoreError;

/// Every way a use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that breaks the documented rules, one item per problem.
    #[error("{} invalid value(s): {}", .0.0.len(), describe(.0))]
    Invalid(ValidationErrors),
    /// A budget's creation prevention is active for the account.
    #[error(
        "budget {budget_name} ({budget_id}) prevents creating resources: the period's cost is \
         {percent} % of its amount, at or over the {threshold} % threshold"
    )]
    CreationPrevented {
        /// The budget.
        budget_id: String,
        /// Its name.
        budget_name: String,
        /// The period's cost as a percentage of the amount.
        percent: String,
        /// The prevention threshold.
        threshold: u8,
    },
    /// The store failed or refused the write.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or an unexpected failure.
    #[error("{0}")]
    Internal(String),
}

impl From<ValidationErrors> for AppError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        Self::Invalid(ValidationErrors::single(error))
    }
}

/// The first problems of `errors`, for a log line or a terminal.
fn describe(errors: &ValidationErrors) -> String {
    errors
        .0
        .iter()
        .take(3)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
