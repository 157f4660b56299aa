//! The one error type of the API and the one envelope it is written in.
//!
//! Handlers return [`ApiError`]. Its `IntoResponse` only sets the status and attaches the
//! error to the response; the [`render_errors`] middleware, which knows the request's
//! language and id, writes the body `{"errors":[{code,title,detail,status,field,request_id}]}`
//! and logs server-side failures once. Every mapping from library errors to HTTP lives here.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use scpfm_api_types::error::{ErrorItem, ErrorResponse};
use scpfm_domain::validation::{FieldError, ValidationErrors};
use scpfm_store::StoreError;

use crate::i18n::{field_error, Lang};

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

    fn code(&self) -> &'static str {
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

    /// The envelope's items in `lang`.
    pub fn items(&self, lang: Lang, request_id: Option<&str>) -> Vec<ErrorItem> {
        let status = self.status();
        let item = |field: Option<String>, detail: String| ErrorItem {
            code: self.code().to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            detail,
            status: status.as_u16(),
            field,
            request_id: request_id.map(str::to_owned),
        };
        match self {
            Self::Invalid(errors) => errors
                .0
                .iter()
                .map(|error| item(Some(error.field.clone()), field_error(lang, error)))
                .collect(),
            Self::Unreadable(unreadable) => {
                let (field, detail) = unreadable_detail(lang, unreadable);
                vec![item(field, detail)]
            }
            other => vec![item(None, detail(lang, other))],
        }
    }
}

fn unreadable_detail(lang: Lang, unreadable: &Unreadable) -> (Option<String>, String) {
    match unreadable {
        Unreadable::EmptyBody => (
            None,
            lang.pick(
                "this operation needs a JSON request body".into(),
                "이 작업에는 JSON 요청 본문이 필요합니다".into(),
            ),
        ),
        Unreadable::NotJson(reason) => (
            None,
            lang.pick(
                format!("the request body is not valid JSON: {reason}"),
                format!("요청 본문이 올바른 JSON이 아닙니다: {reason}"),
            ),
        ),
        Unreadable::UnknownField { field, hint } => {
            let (en_hint, ko_hint) = match hint {
                Some(FieldHint::DidYouMean(name)) => (
                    format!("; did you mean `{name}`?"),
                    format!(". `{name}`을(를) 의도하셨나요?"),
                ),
                Some(FieldHint::BelongsIn(object)) => {
                    let last = field.rsplit('.').next().unwrap_or(field);
                    (
                        format!("; `{last}` belongs in `{object}`"),
                        format!(". `{last}`은(는) `{object}` 안에 써야 합니다"),
                    )
                }
                None => (String::new(), String::new()),
            };
            (
                Some(field.clone()),
                lang.pick(
                    format!("`{field}` is not a field of this operation{en_hint}"),
                    format!("`{field}`은(는) 이 작업의 필드가 아닙니다{ko_hint}"),
                ),
            )
        }
        Unreadable::ControlCharacter { field } => (
            Some(field.clone()),
            lang.pick(
                format!("{field} must not contain control characters"),
                format!("{field}에는 제어 문자를 쓸 수 없습니다"),
            ),
        ),
        Unreadable::WrongType { field, expected }
        | Unreadable::BadQueryValue { field, expected } => (
            Some(field.clone()),
            lang.pick(
                format!("{field} must be {expected}"),
                format!("{field} 값의 형식이 올바르지 않습니다 (필요한 형식: {expected})"),
            ),
        ),
    }
}

fn detail(lang: Lang, error: &ApiError) -> String {
    match error {
        ApiError::Invalid(_) | ApiError::Unreadable(_) => String::new(),
        ApiError::UnsupportedApiVersion { given, service } => lang.pick(
            format!("Scp-Api-Version {given:?} is not supported here; send \"{service} 1.0\" or leave it out"),
            format!("Scp-Api-Version {given:?}은(는) 지원하지 않습니다. \"{service} 1.0\"을 보내거나 생략하세요"),
        ),
        ApiError::Unauthenticated(failure) => auth_detail(lang, failure),
        ApiError::AdminOnly => lang.pick(
            "this operation needs an admin access key (scpfm key create --admin)".into(),
            "이 작업에는 관리자 액세스 키가 필요합니다 (scpfm key create --admin)".into(),
        ),
        ApiError::AccountNotVisible { account_id } => lang.pick(
            format!("account {account_id} is not this key's account or one of its organisation's members"),
            format!("계정 {account_id}은(는) 이 키의 계정이나 그 조직의 구성원 계정이 아닙니다"),
        ),
        ApiError::PayloadTooLarge { limit } => lang.pick(
            format!("the request body is larger than this operation accepts ({limit} bytes); send less per request"),
            format!("요청 본문이 이 작업의 최대 크기({limit}바이트)보다 큽니다. 요청당 더 적게 보내세요"),
        ),
        ApiError::RequestTimeout { seconds } => lang.pick(
            format!("the request was not completed within {seconds} s; send the body at once, or less per request"),
            format!("요청이 {seconds}초 안에 끝나지 않았습니다. 본문을 한 번에 보내거나 요청당 더 적게 보내세요"),
        ),
        ApiError::TooManyItems { sent, max } => lang.pick(
            format!("the request holds {sent} records; send at most {max} per request"),
            format!("요청에 레코드가 {sent}개 있습니다. 요청당 최대 {max}개까지 보내세요"),
        ),
        ApiError::AccountMismatch { account_id } => lang.pick(
            format!("the access key does not belong to account {account_id} named in Scp-AccountId"),
            format!("액세스 키가 Scp-AccountId의 계정 {account_id}에 속하지 않습니다"),
        ),
        ApiError::CreationPrevented {
            budget_id,
            budget_name,
            percent,
            threshold,
        } => lang.pick(
            format!(
                "creating resources is prevented by budget {budget_name:?} ({budget_id}): this period's cost is \
                 {percent} % of its amount and prevention starts at {threshold} %; raise the amount, turn \
                 prevention off, or wait for the next period"
            ),
            format!(
                "예산 {budget_name:?} ({budget_id})에 의해 자원 생성이 차단되었습니다. 이번 기간 비용이 금액의 \
                 {percent}%로 차단 기준 {threshold}%에 도달했습니다. 금액을 늘리거나 차단을 해제하거나 다음 기간을 기다리세요"
            ),
        ),
        ApiError::NotFound { resource, id } => match resource {
            Resource::Budget => lang.pick(
                format!("no budget with id {id:?} exists in this account"),
                format!("이 계정에 ID가 {id:?}인 예산이 없습니다"),
            ),
            Resource::PlannedCompute => lang.pick(
                format!("no planned compute with id {id:?} exists in this account"),
                format!("이 계정에 ID가 {id:?}인 Planned Compute가 없습니다"),
            ),
        },
        ApiError::RouteNotFound { method, path } => lang.pick(
            format!("no API operation answers {method} {path}"),
            format!("{method} {path}에 해당하는 API가 없습니다"),
        ),
        ApiError::MethodNotAllowed => lang.pick(
            "this path does not accept this HTTP method".into(),
            "이 경로는 이 HTTP 메서드를 지원하지 않습니다".into(),
        ),
        ApiError::Conflict(Conflict::DuplicateBudgetName(name)) => lang.pick(
            format!("a budget named {name:?} already exists in this account; choose another name"),
            format!("이 계정에 이름이 {name:?}인 예산이 이미 있습니다. 다른 이름을 사용하세요"),
        ),
        ApiError::Conflict(Conflict::Duplicate) => lang.pick(
            "the request conflicts with existing data".into(),
            "요청이 기존 데이터와 충돌합니다".into(),
        ),
        ApiError::Conflict(Conflict::ContractAction { action, refusal }) => {
            use scpfm_domain::planned_compute::Refusal;
            match refusal {
                Refusal::NotActive(state) => lang.pick(
                    format!("{action} is not possible: the contract is {state}; only ACTIVE contracts can change"),
                    format!("{action}을(를) 할 수 없습니다. 계약이 {state} 상태입니다. ACTIVE 계약만 변경할 수 있습니다"),
                ),
                Refusal::AlreadyExtended => lang.pick(
                    format!("{action} is not possible: the contract already has a renewal; use EXTEND_CHANGE or EXTEND_CANCEL"),
                    format!("{action}을(를) 할 수 없습니다. 이미 연장이 신청되어 있습니다. EXTEND_CHANGE 또는 EXTEND_CANCEL을 사용하세요"),
                ),
                Refusal::NotExtended => lang.pick(
                    format!("{action} is not possible: the contract has no renewal; apply one with EXTEND_APPLY"),
                    format!("{action}을(를) 할 수 없습니다. 신청된 연장이 없습니다. EXTEND_APPLY로 신청하세요"),
                ),
                Refusal::NotAScaleUp { from, to } => lang.pick(
                    format!("{action} is not possible: {to} is not larger than {from} in the same service (only scale-up is allowed)"),
                    format!("{action}을(를) 할 수 없습니다. {to}은(는) 같은 서비스에서 {from}보다 크지 않습니다 (scale-up만 가능)"),
                ),
                Refusal::Unchanged => lang.pick(
                    format!("{action} is not possible: the renewal already has this contract type"),
                    format!("{action}을(를) 할 수 없습니다. 연장 계약 유형이 이미 같습니다"),
                ),
            }
        }
        ApiError::Conflict(Conflict::MonthClosed(month)) => lang.pick(
            format!("{month} is closed: its bills are final and take no more usage or adjustments; send them for an open month"),
            format!("{month}은(는) 마감된 월입니다. 청구가 확정되어 사용량이나 조정을 더 받을 수 없습니다. 열린 월로 보내세요"),
        ),
        ApiError::Unavailable(_) => lang.pick(
            "the database is unavailable; retry shortly".into(),
            "데이터베이스를 사용할 수 없습니다. 잠시 후 다시 시도하세요".into(),
        ),
        ApiError::Internal(_) => lang.pick(
            "an internal error occurred; the request_id identifies it in the server log".into(),
            "내부 오류가 발생했습니다. request_id로 서버 로그에서 확인할 수 있습니다".into(),
        ),
    }
}

fn auth_detail(lang: Lang, failure: &AuthFailure) -> String {
    match failure {
        AuthFailure::MissingHeader(name) => lang.pick(
            format!("the {name} header is required"),
            format!("{name} 헤더가 필요합니다"),
        ),
        AuthFailure::InvalidTimestamp => lang.pick(
            "Scp-Timestamp must be the request time in Unix milliseconds".into(),
            "Scp-Timestamp는 Unix 밀리초 단위의 요청 시각이어야 합니다".into(),
        ),
        AuthFailure::StaleTimestamp { skew_seconds, window_seconds } => lang.pick(
            format!(
                "Scp-Timestamp is {skew_seconds} s away from the server clock; signatures are \
                 accepted within {window_seconds} s, so sign with the current time"
            ),
            format!(
                "Scp-Timestamp가 서버 시각과 {skew_seconds}초 차이 납니다. 서명은 {window_seconds}초 \
                 이내에만 유효하므로 현재 시각으로 서명하세요"
            ),
        ),
        AuthFailure::UnknownKey => lang.pick(
            "the access key in Scp-Accesskey is not known".into(),
            "Scp-Accesskey의 액세스 키를 찾을 수 없습니다".into(),
        ),
        AuthFailure::DisabledKey => lang.pick(
            "the access key in Scp-Accesskey is disabled".into(),
            "Scp-Accesskey의 액세스 키가 비활성화되었습니다".into(),
        ),
        AuthFailure::SignatureMismatch => lang.pick(
            "Scp-Signature does not match the request; sign method + URL + timestamp + access key \
             + account id + client type with the secret key (HMAC-SHA256, Base64)"
                .into(),
            "Scp-Signature가 요청과 일치하지 않습니다. 메서드 + URL + 타임스탬프 + 액세스 키 + 계정 ID + \
             클라이언트 유형을 시크릿 키로 서명하세요 (HMAC-SHA256, Base64)"
                .into(),
        ),
        AuthFailure::Replayed => lang.pick(
            "this request (signature and body) was already served; replay protection is on, so sign \
             every request with a fresh Scp-Timestamp"
                .into(),
            "이미 처리된 요청입니다 (서명과 본문이 같음). 재전송 방지가 켜져 있으므로 요청마다 새 \
             Scp-Timestamp로 서명하세요"
                .into(),
        ),
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

/// The request id header (set by the outermost layer).
const REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// Middleware: writes the envelope of every [`ApiError`] in the request's language.
pub async fn render_errors(request: Request, next: Next) -> Response {
    // Kept as they came (a reference count each): read only when there is an error to render.
    let language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let id = request.headers().get(REQUEST_ID).cloned();
    let mut response = next.run(request).await;
    let Some(error) = response.extensions_mut().remove::<ApiError>() else {
        return response;
    };
    let lang = Lang::from_header_value(language.as_ref());
    let request_id = id.as_ref().and_then(|value| value.to_str().ok());
    match &error {
        ApiError::Internal(detail) => {
            tracing::error!(error.detail = %detail, "request failed: {detail}")
        }
        ApiError::Unavailable(detail) => {
            tracing::warn!(error.detail = %detail, "database unavailable: {detail}")
        }
        other => tracing::debug!(error.code = other.code(), "request refused"),
    }
    let body = ErrorResponse {
        errors: error.items(lang, request_id),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"errors\":[]}".to_vec());
    *response.body_mut() = Body::from(bytes);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
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
