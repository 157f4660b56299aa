//! `scpfm export focus`: a closed billing period as FOCUS CSV (gzip when the file ends in
//! `.gz`), with a progress bar — the same rows as `GET /v1/exports/focus`.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use scpfm_app::cost_analysis::focus::export;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::code::Code as _;
use scpfm_domain::focus::FocusVersion;
use scpfm_domain::month::YearMonth;
use scpfm_store::Store;

/// What to export.
pub struct FocusExportArgs<'a> {
    /// `YYYY-MM`, closed.
    pub billing_period: &'a str,
    /// One account (id or name; a payer brings its members), else every account.
    pub account: Option<&'a str>,
    /// `1.2` or `1.0`.
    pub version: &'a str,
    /// The file to write.
    pub out: &'a Path,
}

/// Writes the export to `args.out`.
pub async fn focus(
    store: &Store,
    catalog: &Catalog,
    args: FocusExportArgs<'_>,
) -> anyhow::Result<()> {
    let month = YearMonth::parse_field("--billing-period", args.billing_period)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let version = FocusVersion::parse_field("--focus-version", args.version)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let accounts = match args.account {
        Some(wanted) => {
            let account = store
                .find_account(wanted)
                .await?
                .with_context(|| format!("no account {wanted}"))?;
            let mut ids = vec![account.id.clone()];
            ids.extend(store.member_account_ids(&account.id).await?);
            ids
        }
        None => store
            .list_accounts()
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect(),
    };
    let closed = scpfm_app::cost_analysis::focus::closed_periods(store)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    if !closed.contains(&month) {
        let list: Vec<String> = closed.iter().map(ToString::to_string).collect();
        anyhow::bail!(
            "{month} is not a closed billing period (only closed months are exported); closed: {}",
            if list.is_empty() {
                "none yet".to_owned()
            } else {
                list.join(", ")
            }
        );
    }
    let file = export(store, catalog, &accounts, month, version)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let out = std::fs::File::create(args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let gzip = args.out.extension().is_some_and(|ext| ext == "gz");
    let sink: Box<dyn Write> = if gzip {
        Box::new(flate2::write::GzEncoder::new(
            out,
            flate2::Compression::default(),
        ))
    } else {
        Box::new(std::io::BufWriter::new(out))
    };
    let mut writer = csv::Writer::from_writer(sink);
    writer.write_record(&file.columns)?;
    let bar = ProgressBar::new(file.rows.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let billed = scpfm_app::cost_analysis::focus::column_sum(&file, "BilledCost");
    for row in &file.rows {
        writer.write_record(row)?;
        bar.inc(1);
    }
    writer.flush()?;
    drop(writer);
    bar.finish_and_clear();
    println!(
        "wrote {} FOCUS {} rows of {month} to {} (BilledCost {} KRW)",
        file.rows.len(),
        version.code(),
        args.out.display(),
        billed.map_or_else(|| "?".into(), |sum| sum.to_string()),
    );
    Ok(())
}
