//! Checking and loading bill adjustments (admin API and `scpfm import adjustments`).

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use scpfm_api_types::bill::AdjustmentInput;
use scpfm_domain::bill::{Adjustment, AdjustmentValue, AMOUNT_SCALE};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::component::DiscountComponent;
use scpfm_domain::month::YearMonth;
use scpfm_domain::validation::{check_text, FieldError, Problem, ValidationErrors};
use scpfm_store::bills::AdjustmentOutcome;
use scpfm_store::Store;

use crate::error::AppError;
use crate::ingest::{Source, MAX_REPORTED_PROBLEMS};

/// Largest percentage scale and id/description lengths.
const PERCENT_SCALE: u32 = 4;
const MAX_ID: usize = 128;
const MAX_DESCRIPTION: usize = 256;

fn decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim()).ok()
}

/// Checks one adjustment; problems are named with the item's position.
fn check(
    catalog: &Catalog,
    source: Source,
    input: AdjustmentInput,
    errors: &mut ValidationErrors,
) -> Option<Adjustment> {
    let prefix = source.prefix();
    let before = errors.0.len();
    let field = |name: &str| format!("{prefix}{name}");
    let required = |errors: &mut ValidationErrors, name: &str, value: Option<String>| {
        if value.is_none() {
            errors.push(FieldError::new(field(name), Problem::Required));
        }
        value
    };
    let adjustment_id = required(errors, "adjustment_id", input.adjustment_id)
        .and_then(|id| errors.check(check_text(&field("adjustment_id"), &id, MAX_ID).map(|()| id)));
    let account_id = required(errors, "account_id", input.account_id).and_then(|id| {
        let parsed = id.parse().ok();
        if parsed.is_none() {
            errors.push(FieldError::with_given(
                field("account_id"),
                Problem::InvalidFormat {
                    expected: "32 lowercase hexadecimal characters",
                },
                id,
            ));
        }
        parsed
    });
    let month = required(errors, "month", input.month)
        .and_then(|text| errors.check(YearMonth::parse_field(&field("month"), &text)));
    let component = required(errors, "component", input.component).and_then(|text| {
        let parsed = text.parse::<DiscountComponent>().ok();
        if parsed.is_none() {
            errors.push(FieldError::with_given(
                field("component"),
                Problem::NotOneOf {
                    allowed: DiscountComponent::ALL
                        .iter()
                        .map(|c| c.as_str().to_owned())
                        .collect(),
                },
                text,
            ));
        }
        parsed
    });
    let value = match (input.percent, input.amount) {
        (Some(percent), None) => match decimal(&percent.0) {
            Some(value)
                if value > Decimal::ZERO
                    && value <= Decimal::ONE_HUNDRED
                    && value.scale() <= PERCENT_SCALE =>
            {
                Some(AdjustmentValue::Percent(value))
            }
            _ => {
                errors.push(FieldError::with_given(
                    field("percent"),
                    Problem::InvalidFormat {
                        expected:
                            "a decimal greater than 0 and at most 100, with at most 4 decimals",
                    },
                    percent.0,
                ));
                None
            }
        },
        (None, Some(amount)) => match decimal(&amount.0) {
            Some(value) if value > Decimal::ZERO && value.scale() <= AMOUNT_SCALE => {
                Some(AdjustmentValue::Fixed(value))
            }
            _ => {
                errors.push(FieldError::with_given(
                    field("amount"),
                    Problem::InvalidFormat {
                        expected: "a positive KRW decimal with at most 3 decimals",
                    },
                    amount.0,
                ));
                None
            }
        },
        _ => {
            errors.push(FieldError::new(
                field("percent"),
                Problem::InvalidFormat {
                    expected: "exactly one of percent and amount",
                },
            ));
            None
        }
    };
    let billing_item_id = input.billing_item_id.filter(|id| !id.is_empty());
    if let Some(item) = &billing_item_id {
        errors.check(catalog.require_billing_item(&field("billing_item_id"), item));
    }
    let description = input.description.unwrap_or_default();
    if description.chars().count() > MAX_DESCRIPTION {
        errors.push(FieldError::new(
            field("description"),
            Problem::TooLong {
                max: MAX_DESCRIPTION,
            },
        ));
    }
    if errors.0.len() > before {
        return None;
    }
    Some(Adjustment {
        adjustment_id: adjustment_id?,
        account_id: account_id?,
        month: month?,
        component: component?,
        value: value?,
        billing_item_id,
        description,
    })
}

/// Checks every adjustment (catalogue, accounts, open months) and stores them in one
/// transaction; a 400 naming at most [`MAX_REPORTED_PROBLEMS`] problems if any is bad.
pub async fn load_adjustments(
    store: &Store,
    catalog: &Catalog,
    items: Vec<(Source, AdjustmentInput)>,
    now: DateTime<Utc>,
) -> Result<AdjustmentOutcome, AppError> {
    let mut errors = ValidationErrors::default();
    let mut checked = Vec::with_capacity(items.len());
    for (source, input) in items {
        if let Some(adjustment) = check(catalog, source, input, &mut errors) {
            checked.push((source, adjustment));
        }
    }
    let accounts: Vec<&str> = checked.iter().map(|(_, a)| a.account_id.as_str()).collect();
    let known = store.existing_account_ids(&accounts).await?;
    let mut months: Vec<YearMonth> = checked.iter().map(|(_, a)| a.month).collect();
    months.sort();
    months.dedup();
    let closed = store.closed_months(&months).await?;
    for (source, adjustment) in &checked {
        if !known.contains(adjustment.account_id.as_str()) {
            errors.push(FieldError::with_given(
                format!("{}account_id", source.prefix()),
                Problem::InvalidFormat {
                    expected: "the id of an existing account",
                },
                adjustment.account_id.as_str(),
            ));
        }
        if closed.contains(&adjustment.month) {
            errors.push(FieldError::with_given(
                format!("{}month", source.prefix()),
                Problem::MonthClosed {
                    month: adjustment.month.to_string(),
                },
                adjustment.month.to_string(),
            ));
        }
    }
    errors.truncated(MAX_REPORTED_PROBLEMS).finish()?;
    let adjustments: Vec<Adjustment> = checked.into_iter().map(|(_, a)| a).collect();
    Ok(store.add_adjustments(catalog, &adjustments, now).await?)
}
