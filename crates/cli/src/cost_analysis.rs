//! `scpcli costexplorer cost and usage list`, `cost forecast show` and `focus export`:
//! scpfm's cost analysis. Tables draw the periods as rows and the groups as columns, with a
//! total column and a total row.

use std::collections::BTreeMap;

use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use scpfm_api_types::cost::{
    CostAndUsageQuery, CostAndUsageResponse, CostForecastQuery, CostForecastResponse,
    FocusExportQuery, Metrics,
};
use scpfm_client::{Client, ClientError};

use crate::output::{print_json, OutputFormat};

/// `scpcli costexplorer cost …`.
#[derive(Debug, Subcommand)]
pub enum CostOperation {
    /// Cost and usage.
    And {
        /// `usage`.
        #[command(subcommand)]
        what: AndWhat,
    },
    /// The forecast.
    Forecast {
        /// `show`.
        #[command(subcommand)]
        operation: ForecastOperation,
    },
}

/// `cost and …`.
#[derive(Debug, Subcommand)]
pub enum AndWhat {
    /// Usage.
    Usage {
        /// `list`.
        #[command(subcommand)]
        operation: CostUsageOperation,
    },
}

/// `cost and usage …`.
#[derive(Debug, Subcommand)]
pub enum CostUsageOperation {
    /// Get cost and usage by period and group.
    List(CostAndUsageArgs),
}

/// `cost forecast …`.
#[derive(Debug, Subcommand)]
pub enum ForecastOperation {
    /// Get the net cost forecast.
    Show(ForecastArgs),
}

/// `focus …`.
#[derive(Debug, Subcommand)]
pub enum FocusOperation {
    /// Export a closed billing period as FOCUS CSV.
    Export(FocusExportArgs),
}

/// The filters both cost commands take; lists repeat or take comma-separated values.
#[derive(Debug, Args)]
pub struct ScopeFlags {
    /// Start date (YYYY-MM-DD, KST)
    #[arg(long = "start_date", value_name = "VALUE")]
    pub start_date: Option<String>,
    /// End date (YYYY-MM-DD, KST, inclusive)
    #[arg(long = "end_date", value_name = "VALUE")]
    pub end_date: Option<String>,
    /// HOURLY, DAILY or MONTHLY
    #[arg(long, value_name = "VALUE")]
    pub granularity: Option<String>,
    /// Dimensions: ACCOUNT, SERVICE_CATEGORY, BILLING_ITEM, REGION, RESOURCE, OFFERING, CONTRACT, TAG:<key>
    #[arg(long = "group_by", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub group_by: Vec<String>,
    /// Account Id
    #[arg(long = "account_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub account_id: Vec<String>,
    /// Service Category
    #[arg(long = "service_category", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub service_category: Vec<String>,
    /// Billing Item Id
    #[arg(long = "billing_item_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub billing_item_id: Vec<String>,
    /// Region
    #[arg(long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub region: Vec<String>,
    /// Resource Id
    #[arg(long = "resource_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub resource_id: Vec<String>,
    /// Tag key=value
    #[arg(long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub tag: Vec<String>,
    /// Offering: PS, PP, PG
    #[arg(long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub offering: Vec<String>,
}

/// GetCostAndUsage flags.
#[derive(Debug, Args)]
pub struct CostAndUsageArgs {
    /// The window, dimensions and filters.
    #[command(flatten)]
    pub scope: ScopeFlags,
    /// LIST_COST, DISCOUNT, NET_COST, USAGE_QUANTITY (the table shows the first)
    #[arg(long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub metrics: Vec<String>,
    /// Groups per page
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub limit: Option<i64>,
    /// marker
    #[arg(long, value_name = "VALUE")]
    pub marker: Option<String>,
}

/// GetCostForecast flags.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// The window, dimension and filters.
    #[command(flatten)]
    pub scope: ScopeFlags,
}

/// ExportFocus flags.
#[derive(Debug, Args)]
pub struct FocusExportArgs {
    /// Billing period (YYYY-MM, closed)
    #[arg(long = "billing_period", value_name = "VALUE")]
    pub billing_period: Option<String>,
    /// FOCUS version: 1.2 (default) or 1.0
    #[arg(long = "focus_version", value_name = "VALUE")]
    pub focus_version: Option<String>,
    /// Account Id
    #[arg(long = "account_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub account_id: Vec<String>,
    /// The CSV file to write
    #[arg(long, value_name = "FILE")]
    pub file: std::path::PathBuf,
}

fn list(values: Vec<String>) -> Option<Vec<String>> {
    (!values.is_empty()).then_some(values)
}

/// A cost query from the flags.
macro_rules! scoped {
    ($scope:expr, $query:ident { $($field:ident: $value:expr),* $(,)? }) => {{
        let scope: ScopeFlags = $scope;
        $query {
            start_date: scope.start_date,
            end_date: scope.end_date,
            granularity: scope.granularity,
            group_by: list(scope.group_by),
            account_id: list(scope.account_id),
            service_category: list(scope.service_category),
            billing_item_id: list(scope.billing_item_id),
            region: list(scope.region),
            resource_id: list(scope.resource_id),
            tag: list(scope.tag),
            offering: list(scope.offering),
            $($field: $value,)*
        }
    }};
}

/// Runs `cost …`.
pub async fn run_cost(
    operation: CostOperation,
    client: &Client,
    output: OutputFormat,
) -> Result<(), ClientError> {
    match operation {
        CostOperation::And {
            what:
                AndWhat::Usage {
                    operation: CostUsageOperation::List(args),
                },
        } => {
            let query = scoped!(
                args.scope,
                CostAndUsageQuery {
                    metrics: list(args.metrics),
                    limit: args.limit,
                    marker: args.marker,
                }
            );
            let call = Client::cost_and_usage_call(&query)?;
            let response = client.send(call).await?.error_for_status()?;
            match output {
                OutputFormat::Json => print_json(&response),
                OutputFormat::Table => {
                    print_cost(&response.json()?);
                    Ok(())
                }
            }
        }
        CostOperation::Forecast {
            operation: ForecastOperation::Show(args),
        } => {
            let query = scoped!(args.scope, CostForecastQuery {});
            let call = Client::cost_forecast_call(&query)?;
            let response = client.send(call).await?.error_for_status()?;
            match output {
                OutputFormat::Json => print_json(&response),
                OutputFormat::Table => {
                    print_forecast(&response.json()?);
                    Ok(())
                }
            }
        }
    }
}

/// Runs `focus export`: writes the CSV to `--file`.
pub async fn run_focus(operation: FocusOperation, client: &Client) -> Result<(), ClientError> {
    let FocusOperation::Export(args) = operation;
    let query = FocusExportQuery {
        billing_period: args.billing_period,
        focus_version: args.focus_version,
        account_id: list(args.account_id),
    };
    let csv = client.export_focus(&query).await?;
    std::fs::write(&args.file, &csv).map_err(|error| {
        ClientError::Encode(format!("writing {}: {error}", args.file.display()))
    })?;
    let rows = csv
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
        .saturating_sub(1);
    eprintln!("wrote {rows} FOCUS rows to {}", args.file.display());
    Ok(())
}

/// The first metric present, as one number (KRW for money).
fn headline(metrics: &Metrics) -> Option<Decimal> {
    let text = metrics
        .net_cost
        .as_ref()
        .or(metrics.list_cost.as_ref())
        .or(metrics.discount.as_ref())
        .map(|amount| amount.krw.clone())
        .or_else(|| metrics.usage_quantity.as_ref().map(|q| q.amount.clone()))?;
    text.parse().ok()
}

fn cell(value: Option<Decimal>) -> String {
    value.map_or_else(|| "-".into(), |value| value.normalize().to_string())
}

/// Periods as rows, groups as columns, a total column and a total row.
fn print_cost(answer: &CostAndUsageResponse) {
    let mut columns: Vec<String> = Vec::new();
    for period in &answer.results {
        for group in &period.groups {
            let name = label(&group.keys);
            if !columns.contains(&name) {
                columns.push(name);
            }
        }
    }
    let mut header = vec!["PERIOD (KST)".to_owned()];
    header.extend(columns.iter().cloned());
    header.push("TOTAL".into());
    let mut sums: BTreeMap<usize, Decimal> = BTreeMap::new();
    let mut rows = Vec::new();
    for period in &answer.results {
        let mut row = vec![period.period_start.chars().take(16).collect::<String>()];
        for (idx, column) in columns.iter().enumerate() {
            let value = period
                .groups
                .iter()
                .find(|group| label(&group.keys) == *column)
                .and_then(|group| headline(&group.metrics));
            *sums.entry(idx).or_default() += value.unwrap_or_default();
            row.push(cell(value));
        }
        let total = headline(&period.total);
        *sums.entry(columns.len()).or_default() += total.unwrap_or_default();
        row.push(cell(total));
        rows.push(row);
    }
    let mut total_row = vec!["TOTAL".to_owned()];
    total_row.extend((0..=columns.len()).map(|idx| cell(sums.get(&idx).copied())));
    rows.push(total_row);
    println!("{}", table(header, rows));
    let next = answer.links.iter().find(|link| link.rel == "next");
    let footer = next
        .and_then(|link| link.href.split("marker=").nth(1))
        .map(|marker| {
            format!(
                "next: --marker {}",
                marker.split('&').next().unwrap_or(marker)
            )
        })
        .unwrap_or_else(|| "last page".into());
    println!("groups: {}  {footer}  amounts: KRW", answer.count);
}

fn print_forecast(answer: &CostForecastResponse) {
    let mut header = vec!["PERIOD (KST)".to_owned()];
    let mut columns: Vec<String> = Vec::new();
    for period in &answer.results {
        for (keys, _) in period.groups.iter().map(|g| (label(&g.keys), ())) {
            if !columns.contains(&keys) {
                columns.push(keys);
            }
        }
    }
    header.extend(columns.iter().cloned());
    header.extend(["TOTAL".into(), "80% INTERVAL".into()]);
    let rows = answer
        .results
        .iter()
        .map(|period| {
            let mut row = vec![period.period_start.chars().take(10).collect::<String>()];
            for column in &columns {
                let value = period
                    .groups
                    .iter()
                    .find(|group| label(&group.keys) == *column)
                    .and_then(|group| group.net_cost.mean.parse().ok());
                row.push(cell(value));
            }
            row.push(cell(period.total.mean.parse().ok()));
            row.push(format!(
                "{} – {}",
                cell(period.total.lower.parse().ok()),
                cell(period.total.upper.parse().ok())
            ));
            row
        })
        .collect();
    println!("{}", table(header, rows));
    println!("amounts: {}  method: {}", answer.currency, answer.method);
}

fn label(keys: &[String]) -> String {
    let parts: Vec<&str> = keys
        .iter()
        .map(|key| {
            if key.is_empty() {
                "(none)"
            } else {
                key.as_str()
            }
        })
        .collect();
    parts.join(" / ")
}

fn table(header: Vec<String>, rows: Vec<Vec<String>>) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::ASCII_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    table.set_header(header);
    for row in rows {
        table.add_row(row);
    }
    table
}
