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

const ADJUSTMENTS: &[AdjustmentSpec] = &[
    AdjustmentSpec {
        account: "demo-payer",
        months_back: 0,
        component: "msp_discount",
        percent: Some("5"),
        amount: None,
        billing_item_id: None,
        description: "MSP partner discount",
    },
    AdjustmentSpec {
        account: "demo-payer",
        months_back: 1,
        component: "msp_discount",
        percent: Some("5"),
        amount: None,
        billing_item_id: None,
        description: "MSP partner discount",
    },
    AdjustmentSpec {
        account: "demo-payer",
        months_back: 2,
        component: "msp_discount",
        percent: Some("5"),
        amount: None,
        billing_item_id: None,
        description: "MSP partner discount",
    },
    AdjustmentSpec {
        account: "demo-payer",
        months_back: 3,
        component: "msp_discount",
        percent: Some("5"),
        amount: None,
        billing_item_id: None,
        description: "MSP partner discount",
    },
    AdjustmentSpec {
        account: "demo-dev",
        months_back: 3,
        component: "new_business_discount",
        percent: Some("10"),
        amount: None,
        billing_item_id: None,
        description: "New business launch",
    },
    AdjustmentSpec {
        account: "demo-dev",
        months_back: 2,
        component: "account_credit",
        percent: None,
        amount: Some("150000"),
        billing_item_id: None,
        description: "Promotional credit",
    },
    AdjustmentSpec {
        account: "demo-prod",
        months_back: 1,
        component: "sla_discount",
        percent: Some("20"),
        amount: None,
        billing_item_id: Some("BLOCK_STORAGE"),
        description: "SLA credit for the storage incident",
    },
    AdjustmentSpec {
        account: "demo-prod",
        months_back: 1,
        component: "edp",
        percent: Some("3"),
        amount: None,
        billing_item_id: None,
        description: "Enterprise discount program",
    },
    AdjustmentSpec {
        account: "demo-prod",
        months_back: 0,
        component: "project_credit",
        percent: None,
        amount: Some("50000"),
        billing_item_id: None,
        description: "Project credit",
    },
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
