//! Account budgets: what a budget is, which values are valid, and how settings change.
//!
//! A budget watches the cost of one account: each month from `start_month` (`MONTHLY`) or
//! cumulated from `start_month` (`OVERALL`). Notification settings say who gets mail at which
//! thresholds; prevention settings say at which threshold new resource creation is blocked.

use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::email::EmailAddress;
use crate::ids::{AccountId, BudgetId};
use crate::month::YearMonth;
use crate::validation::{check_text, FieldError, Problem, ValidationErrors};

mod sort;

pub use sort::BudgetSortField;

/// Maps an enum to its wire codes once, with `as_str`, `FromStr` and a field-aware parser.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in documentation order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            /// Parses a wire code, naming `field` in the error.
            pub fn parse(field: &str, text: &str) -> Result<Self, FieldError> {
                text.parse().map_err(|_| {
                    FieldError::with_given(
                        field,
                        Problem::NotOneOf {
                            allowed: Self::ALL.iter().map(|v| v.as_str().to_owned()).collect(),
                        },
                        text,
                    )
                })
            }
        }

        impl FromStr for $name {
            type Err = ();

            fn from_str(text: &str) -> Result<Self, ()> {
                match text {
                    $($code => Ok(Self::$variant),)+
                    _ => Err(()),
                }
            }
        }
    };
}

wire_enum!(
    /// How the budget's cost is accumulated.
    BudgetUnit {
        /// The amount applies to each month from the start month; cost resets every month.
        Monthly = "MONTHLY",
        /// The amount applies to the total cost from the start month on.
        Overall = "OVERALL",
    }
);

wire_enum!(
    /// What a budget measures. SCP documents only `COST`.
    BudgetType {
        /// Cost in KRW after discounts.
        Cost = "COST",
    }
);

wire_enum!(
    /// How often threshold mail is sent while the cost stays above a threshold.
    SendPeriod {
        /// Once per threshold per budget period.
        First = "FIRST",
        /// Once a day (KST) while above.
        Daily = "DAILY",
        /// Recorded, never mailed.
        None = "NONE",
    }
);

/// A usage percentage at which a budget acts: 70, 80, 90 or 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Threshold(u8);

impl Threshold {
    /// Every accepted percentage.
    pub const ALLOWED: [u8; 4] = [70, 80, 90, 100];

    /// The documented default threshold, 80 %.
    pub const DEFAULT: Self = Self(80);

    /// Validates a percentage, naming `field` in the error.
    pub fn parse(field: &str, percent: i64) -> Result<Self, FieldError> {
        Self::ALLOWED
            .iter()
            .find(|allowed| i64::from(**allowed) == percent)
            .map(|allowed| Self(*allowed))
            .ok_or_else(|| {
                FieldError::with_given(
                    field,
                    Problem::NotOneOf {
                        allowed: Self::ALLOWED.iter().map(u8::to_string).collect(),
                    },
                    percent.to_string(),
                )
            })
    }

    /// The percentage.
    pub fn percent(self) -> u8 {
        self.0
    }
}

/// A budget name: 1–20 characters (SCP's rule), not blank; unique per account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BudgetName(String);

impl BudgetName {
    /// Longest name, in characters (SCP's user guide: up to 20).
    pub const MAX_CHARS: usize = 20;

    /// Longest name a stored budget can have: budgets created before the 20-character rule
    /// kept names of up to 64.
    pub const MAX_STORED_CHARS: usize = 64;

    /// The characters SCP's user guide allows in a budget name, in words.
    pub const ALLOWED: &'static str =
        "Korean, English letters, digits, spaces and the symbols + = . , @ - _";

    /// Validates a name: 1–20 characters of Korean, English letters, digits, spaces and
    /// `+=.,@-_`, as SCP's user guide says.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        check_text("name", text, Self::MAX_CHARS)?;
        if !text.chars().all(Self::allowed_char) {
            return Err(FieldError::with_given(
                "name",
                Problem::InvalidCharacters {
                    allowed: Self::ALLOWED,
                },
                text,
            ));
        }
        Ok(Self(text.to_owned()))
    }

    fn allowed_char(c: char) -> bool {
        c.is_ascii_alphanumeric()
            || " +=.,@-_".contains(c)
            || matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
    }

    /// The name as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name folded for case-insensitive search (Unicode lowercase).
    pub fn folded(&self) -> String {
        fold_for_search(&self.0)
    }
}

/// Folds text for case-insensitive comparison, the same way for stored names and queries.
pub fn fold_for_search(text: &str) -> String {
    text.to_lowercase()
}

/// A budget amount: a positive whole number of KRW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BudgetAmount(i64);

impl BudgetAmount {
    /// Validates an amount.
    pub fn parse(amount: i64) -> Result<Self, FieldError> {
        if amount > 0 {
            Ok(Self(amount))
        } else {
            Err(FieldError::with_given(
                "amount",
                Problem::NotPositive,
                amount.to_string(),
            ))
        }
    }

    /// The amount in KRW.
    pub fn krw(self) -> i64 {
        self.0
    }
}

/// Most receivers one list may hold.
pub const MAX_RECEIVERS: usize = 100;

/// Validates receiver addresses: each a valid address, at most [`MAX_RECEIVERS`], repeats dropped.
pub fn parse_receivers(
    field: &str,
    addresses: &[String],
) -> Result<Vec<EmailAddress>, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if addresses.len() > MAX_RECEIVERS {
        errors.push(FieldError::new(
            field,
            Problem::TooManyItems { max: MAX_RECEIVERS },
        ));
        return Err(errors);
    }
    let mut receivers: Vec<EmailAddress> = Vec::with_capacity(addresses.len());
    for (idx, address) in addresses.iter().enumerate() {
        if let Some(email) = errors.check(EmailAddress::parse(&format!("{field}[{idx}]"), address))
        {
            if !receivers.contains(&email) {
                receivers.push(email);
            }
        }
    }
    errors.finish().map(|()| receivers)
}

/// Validates thresholds: each one of 70/80/90/100; returned sorted without repeats.
pub fn parse_thresholds(field: &str, percents: &[i64]) -> Result<Vec<Threshold>, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut thresholds: Vec<Threshold> = percents
        .iter()
        .enumerate()
        .filter_map(|(idx, percent)| {
            errors.check(Threshold::parse(&format!("{field}[{idx}]"), *percent))
        })
        .collect();
    errors.finish()?;
    thresholds.sort_unstable();
    thresholds.dedup();
    Ok(thresholds)
}

/// Who gets threshold mail, when, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSettings {
    /// Whether threshold mail is on.
    pub enabled: bool,
    /// How often mail repeats while above a threshold.
    pub send_period: SendPeriod,
    /// Mail receivers.
    pub receivers: Vec<EmailAddress>,
    /// Percentages that trigger mail, ascending.
    pub thresholds: Vec<Threshold>,
}

/// Notification settings as a client wrote them; a field left out is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationPatch {
    /// `is_use_notification`.
    pub enabled: Option<bool>,
    /// `notification_send_period`.
    pub send_period: Option<SendPeriod>,
    /// `receivers`.
    pub receivers: Option<Vec<EmailAddress>>,
    /// `thresholds`.
    pub thresholds: Option<Vec<Threshold>>,
}

impl NotificationSettings {
    /// A budget created without notification settings sends no mail.
    pub fn off() -> Self {
        Self {
            enabled: false,
            send_period: SendPeriod::First,
            receivers: Vec::new(),
            thresholds: Vec::new(),
        }
    }

    /// The documented defaults for fields a given settings object leaves out:
    /// on, `FIRST`, thresholds `[80]`, no receivers.
    pub fn documented_defaults() -> Self {
        Self {
            enabled: true,
            send_period: SendPeriod::First,
            receivers: Vec::new(),
            thresholds: vec![Threshold::DEFAULT],
        }
    }

    /// These settings with `patch` applied; the result must be usable when enabled.
    pub fn apply(&self, patch: NotificationPatch) -> Result<Self, ValidationErrors> {
        let settings = Self {
            enabled: patch.enabled.unwrap_or(self.enabled),
            send_period: patch.send_period.unwrap_or(self.send_period),
            receivers: patch.receivers.unwrap_or_else(|| self.receivers.clone()),
            thresholds: patch.thresholds.unwrap_or_else(|| self.thresholds.clone()),
        };
        let mut errors = ValidationErrors::default();
        if settings.enabled {
            let required_when_on = |field: &str| {
                FieldError::new(
                    field,
                    Problem::RequiredWhen {
                        other_field: "notifications.is_use_notification",
                        other_value: "true".into(),
                    },
                )
            };
            if settings.receivers.is_empty() {
                errors.push(required_when_on("notifications.receivers"));
            }
            if settings.thresholds.is_empty() {
                errors.push(required_when_on("notifications.thresholds"));
            }
        }
        errors.finish().map(|()| settings)
    }
}

/// At which threshold new resource creation is blocked, and who is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreventionSettings {
    /// Whether creation prevention is on.
    pub enabled: bool,
    /// Mail receivers told when prevention starts.
    pub receivers: Vec<EmailAddress>,
    /// Percentage at which creation is blocked.
    pub threshold: Threshold,
}

/// Prevention settings as a client wrote them; a field left out is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreventionPatch {
    /// `is_use_prevention`.
    pub enabled: Option<bool>,
    /// `receivers`.
    pub receivers: Option<Vec<EmailAddress>>,
    /// `threshold`.
    pub threshold: Option<Threshold>,
}

impl PreventionSettings {
    /// A budget created without prevention settings never blocks creation.
    pub fn off() -> Self {
        Self {
            enabled: false,
            receivers: Vec::new(),
            threshold: Threshold::DEFAULT,
        }
    }

    /// The documented defaults for fields a given settings object leaves out: on, 80 %.
    pub fn documented_defaults() -> Self {
        Self {
            enabled: true,
            receivers: Vec::new(),
            threshold: Threshold::DEFAULT,
        }
    }

    /// These settings with `patch` applied.
    pub fn apply(&self, patch: PreventionPatch) -> Self {
        Self {
            enabled: patch.enabled.unwrap_or(self.enabled),
            receivers: patch.receivers.unwrap_or_else(|| self.receivers.clone()),
            threshold: patch.threshold.unwrap_or(self.threshold),
        }
    }
}

/// The fields every create and set request carries, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetCore {
    /// Unique name within the account.
    pub name: BudgetName,
    /// Monthly or overall.
    pub unit: BudgetUnit,
    /// First month the budget applies to.
    pub start_month: YearMonth,
    /// Amount in KRW.
    pub amount: BudgetAmount,
}

/// A budget to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBudget {
    /// Name, unit, start month and amount.
    pub core: BudgetCore,
    /// Threshold mail.
    pub notifications: NotificationSettings,
    /// Creation prevention.
    pub prevention: PreventionSettings,
}

impl NewBudget {
    /// Builds a new budget; settings objects the request left out are off, fields a given
    /// object leaves out take the documented defaults.
    pub fn new(
        core: BudgetCore,
        notifications: Option<NotificationPatch>,
        prevention: Option<PreventionPatch>,
    ) -> Result<Self, ValidationErrors> {
        let notifications = match notifications {
            Some(patch) => NotificationSettings::documented_defaults().apply(patch)?,
            None => NotificationSettings::off(),
        };
        let prevention = match prevention {
            Some(patch) => PreventionSettings::documented_defaults().apply(patch),
            None => PreventionSettings::off(),
        };
        Ok(Self {
            core,
            notifications,
            prevention,
        })
    }
}

/// A stored budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// Budget id.
    pub id: BudgetId,
    /// Owning account.
    pub account_id: AccountId,
    /// Name, unit, start month and amount.
    pub core: BudgetCore,
    /// Always `COST`.
    pub budget_type: BudgetType,
    /// Threshold mail.
    pub notifications: NotificationSettings,
    /// Creation prevention.
    pub prevention: PreventionSettings,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Who created it (the access key's user).
    pub created_by: String,
    /// When it last changed.
    pub modified_at: DateTime<Utc>,
    /// Who last changed it.
    pub modified_by: String,
}

impl Budget {
    /// The settings after a set request: the core fields are replaced; a settings object the
    /// request left out is kept, and fields a given object leaves out keep their values.
    pub fn changed(
        &self,
        core: BudgetCore,
        notifications: Option<NotificationPatch>,
        prevention: Option<PreventionPatch>,
    ) -> Result<NewBudget, ValidationErrors> {
        let notifications = match notifications {
            Some(patch) => self.notifications.apply(patch)?,
            None => self.notifications.clone(),
        };
        let prevention = match prevention {
            Some(patch) => self.prevention.apply(patch),
            None => self.prevention.clone(),
        };
        Ok(NewBudget {
            core,
            notifications,
            prevention,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_follow_scps_user_guide() {
        for ok in ["팀 예산+dev_1.2@x-y", "a", "ABC = 1,000", &"n".repeat(20)] {
            assert!(BudgetName::parse(ok).is_ok(), "{ok}");
        }
        for (wrong, problem) in [
            ("n".repeat(21), Problem::TooLong { max: 20 }),
            (
                "50% off".into(),
                Problem::InvalidCharacters {
                    allowed: BudgetName::ALLOWED,
                },
            ),
            (
                "a/b".into(),
                Problem::InvalidCharacters {
                    allowed: BudgetName::ALLOWED,
                },
            ),
            (
                "日本".into(),
                Problem::InvalidCharacters {
                    allowed: BudgetName::ALLOWED,
                },
            ),
        ] {
            assert_eq!(
                BudgetName::parse(&wrong).map_err(|e| e.problem),
                Err(problem),
                "{wrong}"
            );
        }
    }

    use super::*;

    fn core() -> BudgetCore {
        BudgetCore {
            name: BudgetName::parse("test_budget").unwrap(),
            unit: BudgetUnit::Monthly,
            start_month: "2026-01".parse().unwrap(),
            amount: BudgetAmount::parse(1_000_000).unwrap(),
        }
    }

    fn email(text: &str) -> EmailAddress {
        EmailAddress::parse("r", text).unwrap()
    }

    #[test]
    fn wire_codes_parse_exactly() {
        assert_eq!(
            BudgetUnit::parse("unit", "OVERALL"),
            Ok(BudgetUnit::Overall)
        );
        let error = BudgetUnit::parse("unit", "monthly").unwrap_err();
        assert_eq!(
            error.problem,
            Problem::NotOneOf {
                allowed: vec!["MONTHLY".into(), "OVERALL".into()]
            }
        );
        assert_eq!(SendPeriod::parse("p", "DAILY"), Ok(SendPeriod::Daily));
        assert!(SendPeriod::parse("p", "WEEKLY").is_err());
    }

    #[test]
    fn thresholds_are_limited_to_documented_percentages() {
        assert_eq!(
            parse_thresholds("t", &[100, 70, 70]).unwrap(),
            vec![Threshold(70), Threshold(100)]
        );
        let errors = parse_thresholds("t", &[75, 80, 0]).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["t[0]", "t[2]"]);
    }

    #[test]
    fn amounts_must_be_positive() {
        assert!(BudgetAmount::parse(1).is_ok());
        assert_eq!(
            BudgetAmount::parse(0).unwrap_err().problem,
            Problem::NotPositive
        );
        assert_eq!(
            BudgetAmount::parse(-5).unwrap_err().problem,
            Problem::NotPositive
        );
    }

    #[test]
    fn receivers_are_validated_each_and_repeats_dropped() {
        let receivers =
            parse_receivers("r", &["a@b.co".into(), "a@b.co".into(), "c@d.co".into()]).unwrap();
        assert_eq!(receivers, vec![email("a@b.co"), email("c@d.co")]);
        let errors = parse_receivers("r", &["ok@b.co".into(), "bad".into()]).unwrap_err();
        assert_eq!(errors.0[0].field, "r[1]");
        let too_many: Vec<String> = (0..=MAX_RECEIVERS).map(|i| format!("u{i}@b.co")).collect();
        assert!(parse_receivers("r", &too_many).is_err());
    }

    #[test]
    fn a_budget_without_settings_objects_has_both_off() {
        let budget = NewBudget::new(core(), None, None).unwrap();
        assert!(!budget.notifications.enabled);
        assert!(!budget.prevention.enabled);
    }

    #[test]
    fn given_objects_take_documented_defaults_for_missing_fields() {
        let budget = NewBudget::new(
            core(),
            Some(NotificationPatch {
                receivers: Some(vec![email("a@b.co")]),
                ..Default::default()
            }),
            Some(PreventionPatch::default()),
        )
        .unwrap();
        assert!(budget.notifications.enabled);
        assert_eq!(budget.notifications.send_period, SendPeriod::First);
        assert_eq!(budget.notifications.thresholds, vec![Threshold::DEFAULT]);
        assert!(budget.prevention.enabled);
        assert_eq!(budget.prevention.threshold, Threshold::DEFAULT);
    }

    #[test]
    fn enabled_notifications_need_receivers_and_thresholds() {
        let errors = NewBudget::new(
            core(),
            Some(NotificationPatch {
                thresholds: Some(vec![]),
                ..Default::default()
            }),
            None,
        )
        .unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["notifications.receivers", "notifications.thresholds"]
        );
        let off = NewBudget::new(
            core(),
            Some(NotificationPatch {
                enabled: Some(false),
                ..Default::default()
            }),
            None,
        );
        assert!(off.is_ok());
    }

    #[test]
    fn set_keeps_settings_the_request_leaves_out() {
        let created = NewBudget::new(
            core(),
            Some(NotificationPatch {
                receivers: Some(vec![email("a@b.co")]),
                thresholds: Some(vec![Threshold(90)]),
                ..Default::default()
            }),
            None,
        )
        .unwrap();
        let budget = Budget {
            id: BudgetId::from_bytes([1; 16]),
            account_id: AccountId::from_bytes([2; 16]),
            core: created.core,
            budget_type: BudgetType::Cost,
            notifications: created.notifications,
            prevention: created.prevention,
            created_at: DateTime::UNIX_EPOCH,
            created_by: "u".into(),
            modified_at: DateTime::UNIX_EPOCH,
            modified_by: "u".into(),
        };
        let mut new_core = core();
        new_core.amount = BudgetAmount::parse(5).unwrap();
        let changed = budget
            .changed(
                new_core,
                Some(NotificationPatch {
                    send_period: Some(SendPeriod::Daily),
                    ..Default::default()
                }),
                None,
            )
            .unwrap();
        assert_eq!(changed.core.amount.krw(), 5);
        assert_eq!(changed.notifications.send_period, SendPeriod::Daily);
        assert_eq!(changed.notifications.thresholds, vec![Threshold(90)]);
        assert_eq!(changed.notifications.receivers, vec![email("a@b.co")]);
        assert_eq!(changed.prevention, budget.prevention);
    }

    #[test]
    fn names_are_folded_for_search() {
        assert_eq!(
            BudgetName::parse("My Budget").unwrap().folded(),
            "my budget"
        );
        assert_eq!(fold_for_search("ÉCOLE 예산"), "école 예산");
    }
}
