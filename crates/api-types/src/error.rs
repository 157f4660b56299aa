//! The error envelope every non-2xx response carries.

use serde::{Deserialize, Serialize};

/// `{"errors": [...]}`: one item per problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    /// The problems, at least one.
    pub errors: Vec<ErrorItem>,
}

/// One problem with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorItem {
    /// Stable machine-readable code, e.g. `INVALID_PARAMETER`.
    pub code: String,
    /// The HTTP reason phrase of `status`, e.g. `Bad Request`.
    pub title: String,
    /// A sentence a person can act on, in the request's language.
    pub detail: String,
    /// The HTTP status code.
    pub status: u16,
    /// The field at fault, by wire name or path, when one field is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The request id, also sent as the `x-request-id` response header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
