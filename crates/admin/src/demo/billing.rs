//! The demo organisation's bills: adjustments (discounts, savings, credits) in every month of
//! the usage history, past months closed, and payments — paid in full except the latest
//! closed month, where `demo-dev` has paid part and `demo-prod` nothing yet. Idempotent:
//! adjustments have fixed ids, months close once, and a payment is recorded only on a
//! payment record nothing was paid on.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use scpfm_api_types::bill::AdjustmentInput;
use scpfm_api_types::usage::DecimalText;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::ids::AccountId;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_store::Store;

use crate::demo::DemoAccount;
use scpfm_app::ingest::Source;
use scpfm_app::AppError;

/// What the demo billing seed did.
#[derive(Debug, Clone, Default)]
pub struct BillingSeed {
    /// Months closed now.
    pub closed: Vec<YearMonth>,
    /// Payments recorded now.
    pub payments: usize,
}

struct AdjustmentSpec {
    account: &'static str,
    /// Months before the current one (0: the current month).
    months_back: u32,
    component: &'static str,
    percent: Option<&'static str>,
    amount: Option<&'static str>,
    billing_item_id: Option<&'static str>,
    description: &'static str,
}

/// An adjustment of `percent` % of `account`'s lines, `months_back` months ago.
const fn percent(
    account: &'static str,
    months_back: u32,
    component: &'static str,
    percent: &'static str,
    description: &'static str,
) -> AdjustmentSpec {
    AdjustmentSpec {
        account,
        months_back,
        component,
        percent: Some(percent),
        amount: None,
        billing_item_id: None,
        description,
    }
}

/// An adjustment of a fixed KRW `amount`.
const fn amount(
    account: &'static str,
    months_back: u32,
    component: &'static str,
    amount: &'static str,
    description: &'static str,
) -> AdjustmentSpec {
    AdjustmentSpec {
        amount: Some(amount),
        percent: None,
        ..percent(account, months_back, component, "", description)
    }
}

const ADJUSTMENTS: &[AdjustmentSpec] = &[
    percent("demo-payer", 0, "msp_discount", "5", "MSP partner discount"),
    percent("demo-payer", 1, "msp_discount", "5", "MSP partner discount"),
    percent("demo-payer", 2, "msp_discount", "5", "MSP partner discount"),
    percent("demo-payer", 3, "msp_discount", "5", "MSP partner discount"),
    percent(
        "demo-dev",
        3,
        "new_business_discount",
        "10",
        "New business launch",
    ),
    amount(
        "demo-dev",
        2,
        "account_credit",
        "150000",
        "Promotional credit",
    ),
    AdjustmentSpec {
        billing_item_id: Some("BLOCK_STORAGE"),
        ..percent(
            "demo-prod",
            1,
            "sla_discount",
            "20",
            "SLA credit for the storage incident",
        )
    },
    percent("demo-prod", 1, "edp", "3", "Enterprise discount program"),
    amount("demo-prod", 0, "project_credit", "50000", "Project credit"),
];

fn account<'a>(accounts: &'a [DemoAccount], name: &str) -> Option<&'a AccountId> {
    accounts.iter().find(|a| a.name == name).map(|a| &a.id)
}

/// Seeds adjustments, closes past months and records payments.
pub async fn seed(
    store: &Store,
    catalog: &Catalog,
    accounts: &[DemoAccount],
    now: DateTime<Utc>,
) -> Result<BillingSeed, AppError> {
    let current = YearMonth::of(kst_date(now));
    let mut months = vec![current];
    for _ in 0..3 {
        let earlier = months.last().copied().unwrap_or(current).previous();
        months.push(earlier);
    }
    let closed = store.closed_months(&months).await?;
    let inputs: Vec<(Source, AdjustmentInput)> = ADJUSTMENTS
        .iter()
        .enumerate()
        .filter_map(|(idx, spec)| {
            let month = months[spec.months_back as usize];
            let account = account(accounts, spec.account)?;
            (!closed.contains(&month)).then(|| {
                let input = AdjustmentInput {
                    adjustment_id: Some(format!(
                        "demo-{month}-{}-{}",
                        spec.account, spec.component
                    )),
                    account_id: Some(account.to_string()),
                    month: Some(month.to_string()),
                    component: Some(spec.component.to_owned()),
                    percent: spec.percent.map(|p| DecimalText(p.to_owned())),
                    amount: spec.amount.map(|a| DecimalText(a.to_owned())),
                    billing_item_id: spec.billing_item_id.map(str::to_owned),
                    description: Some(spec.description.to_owned()),
                };
                (Source::Element(idx), input)
            })
        })
        .collect();
    scpfm_app::adjustments::load_adjustments(store, catalog, inputs, now).await?;

    let mut seeded = BillingSeed::default();
    for month in store.open_bill_months().await? {
        if month < current {
            store.close_month(catalog, month, now).await?;
            seeded.closed.push(month);
        }
    }
    let ids: Vec<AccountId> = accounts.iter().map(|a| a.id.clone()).collect();
    let (payments, _) = store.list_payments(&ids, 0, 1000).await?;
    let latest = payments.iter().map(|p| p.month).max();
    let today = kst_date(now);
    for payment in payments
        .iter()
        .filter(|p| p.paid.krw.is_zero() && !p.bill.krw.is_zero())
    {
        let name = accounts
            .iter()
            .find(|a| a.id == payment.account_id)
            .map_or("", |a| a.name);
        let amount = match (Some(payment.month) == latest, name) {
            (true, "demo-prod") => continue,
            (true, "demo-dev") => (payment.bill.krw * Decimal::new(6, 1)).round_dp(0),
            _ => payment.bill.krw,
        };
        let paid_on = (payment.month.next().first_day() + chrono::Days::new(24)).min(today);
        store
            .record_payment(&payment.account_id, payment.month, amount, paid_on, now)
            .await
            .map_err(|error| AppError::Internal(format!("recording a demo payment: {error}")))?;
        seeded.payments += 1;
    }
    Ok(seeded)
}
