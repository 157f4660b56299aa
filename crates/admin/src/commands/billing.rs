//! `scpfm month close`, `scpfm bills rebuild`, `scpfm payment record` and
//! `scpfm import adjustments`.

use std::path::Path;
use std::str::FromStr;

use anyhow::{bail, Context as _};
use rust_decimal::Decimal;
use scpfm_api_types::bill::AdjustmentInput;
use scpfm_domain::bill::{payment_state, AMOUNT_SCALE};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_store::bills::CloseOutcome;
use scpfm_store::payments::PaymentError;
use scpfm_store::Store;

use scpfm_app::clock::Clock;
use scpfm_app::month_close::close_month;
use scpfm_domain::decimal_text::fixed;
use scpfm_server::error::ApiError;
use scpfm_server::i18n::{field_error, Lang};

fn month(text: &str) -> anyhow::Result<YearMonth> {
    text.parse()
        .map_err(|_| anyhow::anyhow!("{text:?} is not a month: expected YYYY-MM, e.g. 2026-10"))
}

/// `scpfm month close MONTH`.
pub async fn close(
    store: &Store,
    catalog: &Catalog,
    clock: &dyn Clock,
    text: &str,
) -> anyhow::Result<()> {
    let month = month(text)?;
    match close_month(store, catalog, month, clock.now()).await? {
        CloseOutcome::Closed {
            lines,
            payments,
            total,
        } => println!(
            "closed {month}: {lines} bill lines are BILLED, {payments} payment records created, \
             {} KRW billed",
            fixed(total.krw, AMOUNT_SCALE)
        ),
        CloseOutcome::AlreadyClosed => println!("{month} was already closed; nothing changed"),
    }
    Ok(())
}

/// `scpfm bills rebuild MONTH`.
pub async fn rebuild(
    store: &Store,
    catalog: &Catalog,
    clock: &dyn Clock,
    text: &str,
) -> anyhow::Result<()> {
    let month = month(text)?;
    let started = std::time::Instant::now();
    let records = store
        .rebuild_bills(catalog, month, clock.now())
        .await
        .with_context(|| format!("rebuilding the bills of {month}"))?;
    println!(
        "rebuilt the bills of {month} from {records} usage records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `scpfm payment record`.
pub async fn record_payment(
    store: &Store,
    clock: &dyn Clock,
    account: &str,
    month_text: &str,
    amount: &str,
    date: Option<&str>,
) -> anyhow::Result<()> {
    let month = month(month_text)?;
    let amount = Decimal::from_str(amount.trim())
        .ok()
        .filter(|amount| *amount > Decimal::ZERO && amount.scale() <= AMOUNT_SCALE)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--amount {amount:?} must be a positive KRW amount with at most 3 decimals"
            )
        })?;
    let now = clock.now();
    let paid_on = match date {
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--date {text:?} must be YYYY-MM-DD"))?,
        None => kst_date(now),
    };
    let Some(found) = store.find_account(account).await? else {
        bail!("no account has the id or name {account:?}");
    };
    match store
        .record_payment(&found.id, month, amount, paid_on, now)
        .await
    {
        Ok(payment) => {
            let unpaid = payment.unpaid();
            println!(
                "recorded {} KRW for {} {month}: paid {} of {} KRW, unpaid {} KRW ({})",
                fixed(amount, AMOUNT_SCALE),
                found.name,
                fixed(payment.paid.krw, AMOUNT_SCALE),
                fixed(payment.bill.krw, AMOUNT_SCALE),
                fixed(unpaid.krw, AMOUNT_SCALE),
                payment_state(month, unpaid.krw, kst_date(now)).as_str()
            );
            Ok(())
        }
        Err(PaymentError::MoreThanOwed { unpaid }) => bail!(
            "{} KRW is more than the {} KRW {} still owes for {month}",
            fixed(amount, AMOUNT_SCALE),
            fixed(unpaid, AMOUNT_SCALE),
            found.name
        ),
        Err(error) => Err(error.into()),
    }
}

/// `scpfm import adjustments FILE`.
pub async fn import_adjustments(
    store: &Store,
    catalog: &Catalog,
    clock: &dyn Clock,
    file: &Path,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let outcome = async {
        let items = scpfm_server::admin::parse_body::<AdjustmentInput>(&bytes)?;
        let received = items.len();
        let outcome =
            scpfm_app::adjustments::load_adjustments(store, catalog, items, clock.now()).await?;
        Ok::<_, ApiError>((received, outcome))
    }
    .await;
    match outcome {
        Ok((received, outcome)) => {
            println!(
                "{}: {received} adjustments, {} stored, {} already stored",
                file.display(),
                outcome.stored,
                outcome.duplicates
            );
            Ok(())
        }
        Err(ApiError::Invalid(errors)) => {
            eprintln!(
                "{}: nothing was stored; fix these and load it again:",
                file.display()
            );
            for problem in &errors.0 {
                eprintln!("  {}", field_error(Lang::En, problem));
            }
            bail!("{} problem(s) in {}", errors.0.len(), file.display())
        }
        Err(error) => {
            let details: Vec<String> = error
                .items(Lang::En, None)
                .into_iter()
                .map(|item| item.detail)
                .collect();
            bail!("{}: {}", file.display(), details.join("; "))
        }
    }
}
