//! The envelope's sentences, in Korean and English: one per way a request can fail.

use scpfm_api_types::error::ErrorItem;

use super::{ApiError, AuthFailure, Conflict, FieldHint, Resource, Unreadable};
use crate::i18n::{field_error, Lang};

impl ApiError {
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
