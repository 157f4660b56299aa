//! The one error type of the API: what can go wrong, its status and stable code, and every
//! mapping from library errors to HTTP.
//!
//! Handlers return [`ApiError`]. Its `IntoResponse` only sets the status and attaches the
//! error to the response; [`render::render_errors`], which knows the request's language and
//! id, writes the body `{"errors":[{code,title,detail,status,field,request_id}]}` (the
//! sentences are in [`messages`]) and logs server-side failures once.

mod messages;
mod render;

pub use render::render_errors;

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use scpfm_app::contracts::ChangeError;
use scpfm_app::AppError;
use scpfm_domain::validation::{FieldError, ValidationErrors};
use scpfm_store::StoreError;

/// Why a request could not be authenticated (always 401).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    /// A required `Scp-*` header is missing or empty.
    MissingHeader(&'static str),
    /// `Scp-Timestamp` is not Unix milliseconds.
    InvalidTimestamp,
    /// `Scp-Timestamp` is outside the accepted window around the server clock.
    StaleTimestamp {
        /// How far the timestamp is from the server clock, in seconds.
        skew_seconds: i64,
        /// The accepted distance, in seconds.
        window_seconds: i64,
    },
    /// No access key has this id.
    UnknownKey,
    /// The access key is disabled.
    DisabledKey,
    /// The signature does not match the request.
    SignatureMismatch,
    /// The same signature was already used inside the window.
    Replayed,
}

/// What a 404 could not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// An account budget.
    Budget,
    /// A planned compute contract.
    PlannedCompute,
}

/// Why a write conflicts with stored state (409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The account already has a budget with this name.
    DuplicateBudgetName(String),
    /// A uniqueness rule without a more specific explanation.
    Duplicate,
    /// The month is closed: its bills are final.
    MonthClosed(scpfm_domain::month::YearMonth),
    /// A change action that does not fit the contract's state.
    ContractAction {
        /// The action.
        action: &'static str,
        /// Why not.
        refusal: scpfm_domain::planned_compute::Refusal,
    },
}

/// How a request body or query string failed to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The operation needs a JSON body and none was sent.
    EmptyBody,
    /// The body is not JSON at all.
    NotJson(String),
    /// A value has the wrong JSON type.
    WrongType {
        /// The field path, e.g. `notifications.thresholds[0]`.
        field: String,
        /// What it should be, e.g. `an integer`.
        expected: String,
    },
    /// A field or query parameter the operation does not define.
    UnknownField {
        /// Its path, e.g. `notifcations` or `notifications.treshold`.
        field: String,
        /// The nearest known name, or where the field belongs.
        hint: Option<FieldHint>,
    },
    /// Text holding a control character (NUL, a line break in a name…).
    ControlCharacter {
        /// The field or parameter.
        field: String,
    },
    /// A query parameter cannot be read as its type.
    BadQueryValue {
        /// The parameter.
        field: String,
        /// What it should be.
        expected: String,
    },
}

/// What a client probably meant by an unknown field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldHint {
    /// A known name at the same place, a few letters away.
    DidYouMean(String),
    /// The field is known, inside this object.
    BelongsIn(String),
}

/// Every way a request can fail.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// Values that break the documented rules (400), one item per problem.
    Invalid(ValidationErrors),
    /// A body or query that cannot be read (400).
    Unreadable(Unreadable),
    /// `Scp-Api-Version` names another service or version (400).
    UnsupportedApiVersion {
        /// What the client sent.
        given: String,
        /// The service owning the path.
        service: &'static str,
    },
    /// Authentication failed (401).
    Unauthenticated(AuthFailure),
    /// The operation needs an admin access key (403).
    AdminOnly,
    /// The key's account may not see this account's data (403).
    AccountNotVisible {
        /// The account asked for.
        account_id: String,
    },
    /// The request body is larger than the operation accepts (413).
    PayloadTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The request took longer than the server's request timeout (408).
    RequestTimeout {
        /// The timeout, in seconds.
        seconds: u64,
    },
    /// The request holds more items than one request may (400).
    TooManyItems {
        /// Items sent.
        sent: usize,
        /// Items allowed.
        max: usize,
    },
    /// The key is valid but `Scp-AccountId` names another account (403).
    AccountMismatch {
        /// The account the client named.
        account_id: String,
    },
    /// A budget's creation prevention is active for the caller's account (403).
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
    /// The caller's account has no such resource (404).
    NotFound {
        /// What was looked for.
        resource: Resource,
        /// The id asked for.
        id: String,
    },
    /// No operation at this path (404).
    RouteNotFound {
        /// Method of the request.
        method: String,
        /// Path of the request.
        path: String,
    },
    /// The path exists but not with this method (405).
    MethodNotAllowed,
    /// The write conflicts with stored state (409).
    Conflict(Conflict),
    /// The database is down or overloaded (503); the detail is logged, not sent.
    Unavailable(String),
    /// A bug or an unexpected failure (500); the detail is logged, not sent.
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(_)
            | Self::Unreadable(_)
            | Self::UnsupportedApiVersion { .. }
            | Self::TooManyItems { .. } => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::AccountMismatch { .. }
            | Self::AdminOnly
            | Self::AccountNotVisible { .. }
            | Self::CreationPrevented { .. } => StatusCode::FORBIDDEN,
            Self::NotFound { .. } | Self::RouteNotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "INVALID_PARAMETER",
            Self::Unreadable(Unreadable::UnknownField { .. }) => "UNKNOWN_FIELD",
            Self::Unreadable(_) => "INVALID_REQUEST",
            Self::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Self::RequestTimeout { .. } => "REQUEST_TIMEOUT",
            Self::UnsupportedApiVersion { .. } => "UNSUPPORTED_API_VERSION",
            Self::Unauthenticated(failure) => match failure {
                AuthFailure::MissingHeader(_) => "MISSING_AUTH_HEADER",
                AuthFailure::InvalidTimestamp => "INVALID_TIMESTAMP",
                AuthFailure::StaleTimestamp { .. } => "EXPIRED_TIMESTAMP",
                AuthFailure::UnknownKey => "UNKNOWN_ACCESS_KEY",
                AuthFailure::DisabledKey => "DISABLED_ACCESS_KEY",
                AuthFailure::SignatureMismatch => "SIGNATURE_MISMATCH",
                AuthFailure::Replayed => "REPLAYED_SIGNATURE",
            },
            Self::AccountMismatch { .. } | Self::AdminOnly | Self::AccountNotVisible { .. } => {
                "FORBIDDEN"
            }
            Self::CreationPrevented { .. } => "CREATION_PREVENTED",
            Self::TooManyItems { .. } => "TOO_MANY_ITEMS",
            Self::NotFound { .. } | Self::RouteNotFound { .. } => "NOT_FOUND",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::Conflict(Conflict::DuplicateBudgetName(_)) => "DUPLICATE_NAME",
            Self::Conflict(Conflict::Duplicate) => "CONFLICT",
            Self::Conflict(Conflict::MonthClosed(_)) => "MONTH_CLOSED",
            Self::Conflict(Conflict::ContractAction { .. }) => "INVALID_STATE",
            Self::Unavailable(_) => "SERVICE_UNAVAILABLE",
            Self::Internal(_) => "INTERNAL_ERROR",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Invalid(errors)
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        Self::Invalid(ValidationErrors::single(error))
    }
}

/// The one mapping from the use cases' errors to the API's.
impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid(errors) => Self::Invalid(errors),
            AppError::CreationPrevented {
                budget_id,
                budget_name,
                percent,
                threshold,
            } => Self::CreationPrevented {
                budget_id,
                budget_name,
                percent,
                threshold,
            },
            AppError::Store(error) => error.into(),
            AppError::Internal(detail) => Self::Internal(detail),
        }
    }
}

impl From<ChangeError> for ApiError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Refused { action, refusal } => {
                Self::Conflict(Conflict::ContractAction { action, refusal })
            }
            ChangeError::App(error) => error.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(_) => Self::Conflict(Conflict::Duplicate),
            StoreError::MonthClosed(month) => Self::Conflict(Conflict::MonthClosed(month)),
            StoreError::Unavailable(detail) => Self::Unavailable(detail),
            other => Self::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use scpfm_domain::validation::Problem;

    #[test]
    fn validation_errors_become_one_item_per_field() {
        let error = ApiError::Invalid(ValidationErrors(vec![
            FieldError::new("name", Problem::Required),
            FieldError::new("amount", Problem::NotPositive),
        ]));
        let items = error.items(Lang::En, Some("rid"));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].field.as_deref(), Some("name"));
        assert_eq!(items[0].detail, "name is required");
        assert_eq!(items[1].status, 400);
        assert_eq!(items[1].title, "Bad Request");
        assert_eq!(items[1].request_id.as_deref(), Some("rid"));
    }

    #[test]
    fn store_failures_map_to_their_statuses() {
        assert_eq!(
            ApiError::from(StoreError::Unavailable("x".into())).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            ApiError::from(StoreError::Conflict("x".into())).status(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            ApiError::from(StoreError::Query("x".into())).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn internal_details_are_never_sent() {
        let items = ApiError::Internal("secret stack".into()).items(Lang::Ko, None);
        assert!(!items[0].detail.contains("secret stack"));
    }
}
