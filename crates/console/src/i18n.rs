//! Korean and English: the language from the `scpfm_lang` cookie (the switch), else the
//! browser's `Accept-Language` read as the API reads it (`scpfm_server::i18n`, q-values
//! honoured, English when it names neither); every text of the console in both.

/// The console's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 한국어.
    Ko,
    /// English.
    En,
}

/// The language cookie's name.
pub const COOKIE: &str = "scpfm_lang";

impl Lang {
    /// From the cookie, else `Accept-Language` as the API reads it.
    pub fn pick(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(lang) = cookie.and_then(Self::parse) {
            return lang;
        }
        match accept_language.map(scpfm_server::i18n::Lang::from_accept_language) {
            Some(scpfm_server::i18n::Lang::Ko) => Self::Ko,
            _ => Self::En,
        }
    }

    /// `ko` or `en`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ko" => Some(Self::Ko),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// Its code (`lang` attribute, `Accept-Language`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Ko => "ko",
            Self::En => "en",
        }
    }

    /// The other language (the switch).
    pub fn other(self) -> Self {
        match self {
            Self::Ko => Self::En,
            Self::En => Self::Ko,
        }
    }

    /// The text of `key`; `?` when it has none (a test keeps that from happening).
    pub fn t(self, key: &str) -> &'static str {
        TEXTS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("?", |(_, en, ko)| match self {
                Self::En => en,
                Self::Ko => ko,
            })
    }
}

/// (key, English, Korean).
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("brand", "scpfm Financial Management", "scpfm 재무 관리"),
    ("lang.name", "English", "한국어"),
    ("lang.switch", "한국어", "English"),
    ("skip", "Skip to content", "본문으로 건너뛰기"),
    ("nav.dashboard", "Dashboard", "대시보드"),
    ("nav.cost", "Cost analysis", "비용 분석"),
    ("nav.bills", "Bills", "청구서"),
    ("nav.usage", "Usage", "사용량"),
    ("nav.payments", "Payments", "결제"),
    ("nav.budgets", "Budgets", "예산"),
    ("nav.planned", "Planned compute", "Planned Compute"),
    ("nav.pricing", "Pricing", "가격"),
    ("nav.focus", "FOCUS export", "FOCUS 내보내기"),
    ("account", "Account", "계정"),
    ("sign_in", "Sign in", "로그인"),
    ("sign_out", "Sign out", "로그아웃"),
    ("sign_in.lead", "Sign in with an access key and its secret key, as the API does.", "API와 같이 액세스 키와 시크릿 키로 로그인하세요."),
    ("access_key", "Access key", "액세스 키"),
    ("secret_key", "Secret key", "시크릿 키"),
    ("sign_in.wrong", "Wrong access key or secret key.", "액세스 키 또는 시크릿 키가 올바르지 않습니다."),
    ("sign_in.disabled", "This access key is disabled.", "이 액세스 키는 비활성화되어 있습니다."),
    ("sign_in.wait", "Too many failed sign-ins. Try again in a minute.", "로그인 실패가 너무 많습니다. 1분 후에 다시 시도하세요."),
    ("sign_in.expired", "Your session ended. Sign in again.", "세션이 만료되었습니다. 다시 로그인하세요."),
    ("mtd", "Month to date", "이번 달 누적"),
    ("forecast", "Forecast", "예측"),
    ("forecast.month_end", "Month-end forecast", "월말 예측"),
    ("forecast.band", "80% interval", "80% 구간"),
    ("last12", "Last 12 months by service category", "최근 12개월 서비스 분류별"),
    ("top.resources", "Top 5 resources this month", "이번 달 상위 5개 리소스"),
    ("top.accounts", "Top 5 accounts this month", "이번 달 상위 5개 계정"),
    ("budgets.all", "Budgets", "예산"),
    ("prevented", "Resource creation is prevented by a budget.", "예산에 의해 리소스 생성이 차단되어 있습니다."),
    ("empty.usage", "No usage yet: load some with `scpfm import usage FILE`.", "아직 사용량이 없습니다: `scpfm import usage FILE`로 불러오세요."),
    ("empty.budgets", "No budget yet: create one to watch the cost.", "아직 예산이 없습니다: 비용을 지켜볼 예산을 만드세요."),
    ("empty.bills", "No bill lines for this month.", "이 달의 청구 항목이 없습니다."),
    ("empty.planned", "No planned compute contract yet: create one with `scpcli billingplan planned compute create`.", "아직 Planned Compute 계약이 없습니다: `scpcli billingplan planned compute create`로 만드세요."),
    ("empty.rows", "Nothing matches.", "일치하는 항목이 없습니다."),
    ("total", "Total", "합계"),
    ("name", "Name", "이름"),
    ("amount", "Amount", "금액"),
    ("cost", "Cost", "비용"),
    ("percent", "Percent", "비율"),
    ("period", "Period", "기간"),
    ("thresholds", "Thresholds", "임계값"),
    ("state", "State", "상태"),
    ("start", "Start", "시작"),
    ("end", "End", "종료"),
    ("granularity", "Granularity", "단위"),
    ("group_by", "Group by", "그룹 기준"),
    ("then_by", "Then by", "다음 그룹 기준"),
    ("none", "None", "없음"),
    ("filters", "Filters", "필터"),
    ("apply", "Apply", "적용"),
    ("download.csv", "Download CSV", "CSV 다운로드"),
    ("download.xlsx", "Download Excel", "Excel 다운로드"),
    ("month", "Month", "월"),
    ("service_category", "Service category", "서비스 분류"),
    ("billing_item", "Billing item", "과금 항목"),
    ("region", "Region", "리전"),
    ("resource", "Resource", "리소스"),
    ("offering", "Offering", "오퍼링"),
    ("contract", "Contract", "계약"),
    ("tag", "Tag (key=value)", "태그 (key=value)"),
    ("tag_key", "Tag key", "태그 키"),
    ("net_cost", "Net cost", "순비용"),
    ("list_cost", "List cost", "정가 비용"),
    ("discount", "Discount", "할인"),
    ("quantity", "Quantity", "수량"),
    ("date", "Date", "일자"),
    ("paid", "Paid", "결제 완료"),
    ("unpaid", "Unpaid", "미결제"),
    ("overdue", "Overdue", "연체"),
    ("payment_date", "Payment date", "결제일"),
    ("budget.new", "Create budget", "예산 만들기"),
    ("budget.edit", "Edit", "수정"),
    ("budget.delete", "Delete", "삭제"),
    ("budget.delete.confirm", "Delete this budget? Its notification history goes with it.", "이 예산을 삭제할까요? 알림 기록도 함께 삭제됩니다."),
    ("budget.unit", "Unit", "단위"),
    ("budget.start_month", "Start month", "시작 월"),
    ("budget.notify", "Send notifications", "알림 보내기"),
    ("budget.send_period", "Send period", "발송 주기"),
    ("budget.receivers", "Receivers (comma-separated e-mail addresses)", "수신자 (쉼표로 구분한 이메일 주소)"),
    ("budget.thresholds", "Thresholds (%, comma-separated)", "임계값 (%, 쉼표로 구분)"),
    ("budget.prevent", "Prevent resource creation", "리소스 생성 차단"),
    ("budget.prevent_threshold", "Prevention threshold (%)", "차단 임계값 (%)"),
    ("budget.prevent_receivers", "Prevention receivers", "차단 알림 수신자"),
    ("budget.save", "Save", "저장"),
    ("budget.burnup", "Burn-up", "누적 비용"),
    ("budget.history", "Notification history", "알림 기록"),
    ("budget.no_history", "Nothing sent yet.", "아직 보낸 알림이 없습니다."),
    ("budget.kind", "Kind", "종류"),
    ("budget.to", "To", "수신자"),
    ("budget.mail", "Mail", "메일"),
    ("budget.errors", "The budget was not saved:", "예산이 저장되지 않았습니다:"),
    ("cancel", "Cancel", "취소"),
    ("confirm", "Confirm", "확인"),
    ("planned.term", "Term", "약정 기간"),
    ("planned.coverage", "Coverage and idle hours by month", "월별 적용 및 유휴 시간"),
    ("planned.covered", "Covered hours", "적용 시간"),
    ("planned.idle", "Idle hours", "유휴 시간"),
    ("planned.fee", "Cancellation fee now", "현재 해지 수수료"),
    ("planned.change", "Change", "변경"),
    ("planned.action", "Action", "작업"),
    ("planned.done", "The change was requested.", "변경이 요청되었습니다."),
    ("pricing.lead", "The price catalogue by billing item and offering, with tiers.", "과금 항목과 오퍼링별 가격표 (구간 포함)."),
    ("price", "Price", "가격"),
    ("unit", "Unit", "단위"),
    ("focus.lead", "Download a closed billing period as FOCUS CSV (FinOps Open Cost and Usage Specification).", "마감된 청구 기간을 FOCUS CSV로 내려받습니다."),
    ("focus.version", "FOCUS version", "FOCUS 버전"),
    ("focus.none", "No closed billing period yet: a month closes billing.close_after_hours after it ends, or with `scpfm month close YYYY-MM`.", "아직 마감된 청구 기간이 없습니다: 월이 끝나고 billing.close_after_hours가 지나면 마감되며, `scpfm month close YYYY-MM`으로 마감할 수도 있습니다."),
    ("download", "Download", "다운로드"),
    ("next", "Next page", "다음 페이지"),
    ("first", "First page", "첫 페이지"),
    ("not_found", "Not found", "찾을 수 없음"),
    ("not_found.lead", "There is nothing here for this account.", "이 계정에는 해당 항목이 없습니다."),
    ("forbidden", "Refused", "거부됨"),
    ("forbidden.csrf", "The form was stale or came from elsewhere. Reload the page and try again.", "양식이 오래되었거나 다른 곳에서 왔습니다. 페이지를 새로 고친 후 다시 시도하세요."),
    ("error", "Something went wrong", "문제가 발생했습니다"),
    ("back", "Back", "돌아가기"),
    ("rows", "rows", "행"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_then_the_browser_as_the_api_reads_it() {
        assert_eq!(Lang::pick(Some("en"), Some("ko-KR")), Lang::En);
        assert_eq!(Lang::pick(Some("ko"), None), Lang::Ko);
        assert_eq!(Lang::pick(None, Some("fr-FR, en-US;q=0.8")), Lang::En);
        assert_eq!(Lang::pick(None, Some("ko-KR,ko;q=0.9")), Lang::Ko);
        assert_eq!(
            Lang::pick(None, Some("en;q=0.5, ko;q=0.9")),
            Lang::Ko,
            "q-values"
        );
        assert_eq!(Lang::pick(Some("xx"), None), Lang::En, "the API's default");
    }

    #[test]
    fn every_key_is_written_once_in_both_languages() {
        let mut keys: Vec<&str> = TEXTS.iter().map(|(key, _, _)| *key).collect();
        keys.sort_unstable();
        let count = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), count, "a key is written twice");
        assert!(TEXTS
            .iter()
            .all(|(_, en, ko)| !en.is_empty() && !ko.is_empty()));
    }

    #[test]
    fn every_key_the_templates_use_exists() {
        for (name, source) in crate::templates_source() {
            for part in source.split("t(\"").skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                assert!(
                    TEXTS.iter().any(|(k, _, _)| *k == key),
                    "{name} uses `{key}`, which has no text"
                );
            }
        }
    }
}
