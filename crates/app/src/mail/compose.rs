//! The text of budget notification mail, in Korean and English: budget name, period, amount,
//! cost, percentage, threshold, and (for threshold mail) the month-end forecast.
//!
//! Composition is pure: the same notice always yields the same mail, and each recipient's
//! `Message-ID` is derived from the budget, the notice key and the address, so every attempt
//! to send a mail — by any replica, after any restart — carries the same id.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use scpfm_api_types::display::group_thousands as grouped;
use scpfm_api_types::wire_time::budget_timestamp;
use scpfm_domain::budget::{Budget, BudgetUnit};
use scpfm_domain::budget_eval::{percent_of, BudgetPeriod, Evaluation, Notice, NoticeKind};
use scpfm_store::budget_evaluations::OutgoingMail;

use scpfm_config::MailLanguage;
use scpfm_domain::decimal_text::fixed;

/// What a mail reports.
#[derive(Debug, Clone, Copy)]
pub struct MailFacts<'a> {
    /// The budget.
    pub budget: &'a Budget,
    /// The period measured.
    pub period: &'a BudgetPeriod,
    /// Its standing.
    pub evaluation: &'a Evaluation,
    /// The forecast cost at the end of the month, when there is one.
    pub forecast: Option<Decimal>,
    /// The notification.
    pub notice: &'a Notice,
    /// When it was decided.
    pub now: DateTime<Utc>,
}

/// How mail is written.
#[derive(Debug, Clone)]
pub struct Composer {
    /// Which languages.
    pub language: MailLanguage,
    /// The domain of `Message-ID`s.
    pub domain: String,
}

impl Composer {
    /// A composer for mail from `from` (`Name <address>` or an address).
    pub fn new(language: MailLanguage, from: &str) -> Self {
        let address = from
            .rsplit_once('<')
            .map_or(from, |(_, rest)| rest.trim_end_matches('>'));
        let domain = address
            .rsplit_once('@')
            .map(|(_, domain)| domain.trim())
            .filter(|domain| !domain.is_empty())
            .unwrap_or("scpfm.localhost");
        Self {
            language,
            domain: domain.to_owned(),
        }
    }

    /// One mail per receiver of the notice (none for a notice that is only recorded).
    pub fn mails(&self, facts: &MailFacts<'_>) -> Vec<OutgoingMail> {
        if facts.notice.receivers.is_empty() {
            return Vec::new();
        }
        let (subject, body) = self.compose(facts);
        facts
            .notice
            .receivers
            .iter()
            .map(|receiver| OutgoingMail {
                recipient: receiver.as_str().to_owned(),
                subject: subject.clone(),
                body: body.clone(),
                message_id: self.message_id(facts, receiver.as_str()),
            })
            .collect()
    }

    /// The subject and body.
    pub fn compose(&self, facts: &MailFacts<'_>) -> (String, String) {
        let text = Text::of(facts);
        match self.language {
            MailLanguage::Korean => (text.subject_ko(), text.body_ko()),
            MailLanguage::English => (text.subject_en(), text.body_en()),
            MailLanguage::Both => (
                format!("{} / {}", text.subject_ko(), text.subject_en()),
                format!(
                    "{}\n\n----------------------------------------\n\n{}",
                    text.body_ko(),
                    text.body_en()
                ),
            ),
        }
    }

    fn message_id(&self, facts: &MailFacts<'_>, recipient: &str) -> String {
        let name = format!(
            "{}/{}/{}",
            facts.budget.id,
            facts.notice.key,
            recipient.to_ascii_lowercase()
        );
        let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, name.as_bytes());
        format!("<{}@{}>", id.simple(), self.domain)
    }
}

/// The values a mail shows, formatted once.
struct Text {
    kind: NoticeKind,
    name: String,
    id: String,
    account: String,
    unit: BudgetUnit,
    period: String,
    amount: String,
    cost: String,
    percent: String,
    threshold: u8,
    forecast: Option<(String, String)>,
    month: String,
    evaluated: String,
}

impl Text {
    fn of(facts: &MailFacts<'_>) -> Self {
        let budget = facts.budget;
        let period = match facts.period.unit {
            BudgetUnit::Monthly => facts.period.current.to_string(),
            BudgetUnit::Overall => format!("{} ~ {}", facts.period.first, facts.period.current),
        };
        let forecast = facts.forecast.map(|forecast| {
            (
                grouped(&fixed(forecast, 0)),
                fixed(percent_of(forecast, budget.core.amount.krw()), 2),
            )
        });
        Self {
            kind: facts.notice.kind,
            name: budget.core.name.as_str().to_owned(),
            id: budget.id.to_string(),
            account: budget.account_id.to_string(),
            unit: budget.core.unit,
            period,
            amount: grouped(&budget.core.amount.krw().to_string()),
            cost: grouped(&fixed(facts.evaluation.cost, 3)),
            percent: fixed(facts.evaluation.percent, 2),
            threshold: facts.notice.threshold,
            forecast,
            month: facts.period.current.to_string(),
            evaluated: budget_timestamp(facts.now).replace('T', " "),
        }
    }

    fn prevention(&self) -> bool {
        self.kind == NoticeKind::Prevention
    }

    fn subject_en(&self) -> String {
        if self.prevention() {
            format!(
                "Resource creation prevented: budget {} reached {} % ({})",
                self.name, self.threshold, self.period
            )
        } else {
            format!(
                "Budget alert: {} reached {} % of its amount ({})",
                self.name, self.threshold, self.period
            )
        }
    }

    fn subject_ko(&self) -> String {
        if self.prevention() {
            format!(
                "[신규 생성 방지] 예산 {} 사용률 {}% 도달 ({})",
                self.name, self.threshold, self.period
            )
        } else {
            format!(
                "[예산 알림] 예산 {} 사용률 {}% 도달 ({})",
                self.name, self.threshold, self.period
            )
        }
    }

    fn body_en(&self) -> String {
        let unit = match self.unit {
            BudgetUnit::Monthly => "monthly",
            BudgetUnit::Overall => "overall, since its start month",
        };
        let mut body = if self.prevention() {
            format!(
                "The cost of budget \"{}\" has reached its creation prevention threshold of {} %.\n\
                 New resources of the Compute and Database services can no longer be created in \
                 this account during this period. To lift it, raise the budget amount, turn \
                 creation prevention off, or wait for the next period.\n\n",
                self.name, self.threshold
            )
        } else {
            format!(
                "The cost of budget \"{}\" has reached {} % of its amount.\n\n",
                self.name, self.threshold
            )
        };
        let mut rows = vec![
            ("Budget", format!("{} ({})", self.name, self.id)),
            ("Account", self.account.clone()),
            ("Period", format!("{} ({unit})", self.period)),
            ("Amount", format!("{} KRW", self.amount)),
            ("Cost", format!("{} KRW", self.cost)),
            ("Used", format!("{} %", self.percent)),
            ("Threshold", format!("{} %", self.threshold)),
        ];
        if let (false, Some((cost, percent))) = (self.prevention(), &self.forecast) {
            rows.push((
                "Forecast",
                format!("{cost} KRW by the end of {} ({percent} %)", self.month),
            ));
        }
        rows.push(("Evaluated", format!("{} KST", self.evaluated)));
        body.push_str(&table(&rows));
        body.push_str(
            "\nYou receive this mail as a receiver of this budget's notifications in scpfm.\n",
        );
        body
    }

    fn body_ko(&self) -> String {
        let unit = match self.unit {
            BudgetUnit::Monthly => "월별",
            BudgetUnit::Overall => "전체, 시작 월부터 누적",
        };
        let mut body = if self.prevention() {
            format!(
                "예산 \"{}\"의 비용이 신규 생성 방지 임계값 {}%에 도달했습니다.\n\
                 이번 기간 동안 이 계정에서는 Compute 및 Database 서비스의 신규 자원을 생성할 수 \
                 없습니다. 해제하려면 예산 금액을 늘리거나, 신규 생성 방지를 끄거나, 다음 기간을 \
                 기다리십시오.\n\n",
                self.name, self.threshold
            )
        } else {
            format!(
                "예산 \"{}\"의 비용이 예산 금액의 {}%에 도달했습니다.\n\n",
                self.name, self.threshold
            )
        };
        let mut rows = vec![
            ("예산", format!("{} ({})", self.name, self.id)),
            ("계정", self.account.clone()),
            ("기간", format!("{} ({unit})", self.period)),
            ("예산 금액", format!("{} KRW", self.amount)),
            ("비용", format!("{} KRW", self.cost)),
            ("사용률", format!("{}%", self.percent)),
            ("임계값", format!("{}%", self.threshold)),
        ];
        if let (false, Some((cost, percent))) = (self.prevention(), &self.forecast) {
            rows.push((
                "예상 비용",
                format!("{} 말까지 {cost} KRW ({percent}%)", self.month),
            ));
        }
        rows.push(("평가 시각", format!("{} KST", self.evaluated)));
        body.push_str(&table(&rows));
        body.push_str("\n이 메일은 scpfm 예산 알림 수신자에게 발송되었습니다.\n");
        body
    }
}

/// Label and value rows, values aligned in a monospaced font (Hangul is two columns wide).
fn table(rows: &[(&str, String)]) -> String {
    use unicode_width::UnicodeWidthStr as _;
    let width = rows
        .iter()
        .map(|(label, _)| label.width())
        .max()
        .unwrap_or(0);
    rows.iter()
        .map(|(label, value)| {
            let pad = width - label.width();
            format!("  {label}{}  {value}\n", " ".repeat(pad))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scpfm_domain::budget::{
        BudgetAmount, BudgetCore, BudgetName, BudgetType, NotificationSettings, PreventionSettings,
        SendPeriod, Threshold,
    };
    use scpfm_domain::budget_eval::{current_period, evaluate};
    use scpfm_domain::email::EmailAddress;
    use scpfm_domain::ids::{AccountId, BudgetId};

    fn budget() -> Budget {
        let receivers = vec![
            EmailAddress::parse("r", "lead@example.com").unwrap(),
            EmailAddress::parse("r", "finance@example.com").unwrap(),
        ];
        Budget {
            id: BudgetId::from_bytes([3; 16]),
            account_id: AccountId::from_bytes([1; 16]),
            core: BudgetCore {
                name: BudgetName::parse("team-budget").unwrap(),
                unit: BudgetUnit::Monthly,
                start_month: "2026-01".parse().unwrap(),
                amount: BudgetAmount::parse(1_000_000).unwrap(),
            },
            budget_type: BudgetType::Cost,
            notifications: NotificationSettings {
                enabled: true,
                send_period: SendPeriod::First,
                receivers: receivers.clone(),
                thresholds: vec![Threshold::parse("t", 80).unwrap()],
            },
            prevention: PreventionSettings {
                enabled: true,
                receivers,
                threshold: Threshold::parse("t", 90).unwrap(),
            },
            created_at: DateTime::UNIX_EPOCH,
            created_by: "t".into(),
            modified_at: DateTime::UNIX_EPOCH,
            modified_by: "t".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-20T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn notice(kind: NoticeKind, threshold: u8) -> Notice {
        Notice {
            kind,
            key: format!("first/2026-11/{threshold}"),
            threshold,
            receivers: budget().notifications.receivers,
        }
    }

    fn mails(language: MailLanguage, notice: &Notice) -> Vec<OutgoingMail> {
        let budget = budget();
        let period = current_period(&budget, "2026-11".parse().unwrap()).unwrap();
        let evaluation = evaluate(&budget, Decimal::new(812_345_123, 3));
        Composer::new(language, "scpfm <budgets@alerts.example.com>").mails(&MailFacts {
            budget: &budget,
            period: &period,
            evaluation: &evaluation,
            forecast: Some(Decimal::from(1_250_000)),
            notice,
            now: now(),
        })
    }

    #[test]
    fn threshold_mail_names_every_fact_in_both_languages() {
        let mails = mails(MailLanguage::Both, &notice(NoticeKind::Threshold, 80));
        assert_eq!(mails.len(), 2);
        let mail = &mails[0];
        assert_eq!(mail.recipient, "lead@example.com");
        assert_eq!(
            mail.subject,
            "[예산 알림] 예산 team-budget 사용률 80% 도달 (2026-11) / \
             Budget alert: team-budget reached 80 % of its amount (2026-11)"
        );
        for fact in [
            "team-budget",
            "2026-11 (monthly)",
            "2026-11 (월별)",
            "1,000,000 KRW",
            "812,345.123 KRW",
            "81.23 %",
            "81.23%",
            "Threshold  80 %",
            "1,250,000 KRW by the end of 2026-11 (125.00 %)",
            "2026-11-20 12:00:00 KST",
            "예산 금액",
        ] {
            assert!(
                mail.body.contains(fact),
                "{fact:?} missing from:\n{}",
                mail.body
            );
        }
    }

    #[test]
    fn prevention_mail_says_how_to_lift_it() {
        let mails = mails(MailLanguage::English, &notice(NoticeKind::Prevention, 90));
        let mail = &mails[0];
        assert!(mail
            .subject
            .starts_with("Resource creation prevented: budget team-budget"));
        assert!(mail.body.contains("raise the budget amount"));
        assert!(!mail.body.contains("Forecast"));
        let korean = mails_ko();
        assert!(korean[0].body.contains("예산 금액을 늘리거나"));
    }

    fn mails_ko() -> Vec<OutgoingMail> {
        mails(MailLanguage::Korean, &notice(NoticeKind::Prevention, 90))
    }

    #[test]
    fn message_ids_are_stable_per_notice_and_recipient() {
        let first = mails(MailLanguage::Both, &notice(NoticeKind::Threshold, 80));
        let again = mails(MailLanguage::Both, &notice(NoticeKind::Threshold, 80));
        assert_eq!(first[0].message_id, again[0].message_id);
        assert_ne!(first[0].message_id, first[1].message_id);
        assert!(first[0].message_id.ends_with("@alerts.example.com>"));
        let other = mails(MailLanguage::Both, &notice(NoticeKind::Threshold, 90));
        assert_ne!(first[0].message_id, other[0].message_id);
    }

    #[test]
    fn recorded_notices_make_no_mail() {
        let mut silent = notice(NoticeKind::Recorded, 80);
        silent.receivers.clear();
        assert!(mails(MailLanguage::Both, &silent).is_empty());
    }
}
