//! `scpcli costexplorer …`: usages (bills and payments follow).

use clap::{Args, Subcommand};
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse};
use scpfm_client::{Client, ClientError};

use crate::args::OutputFormat;
use crate::output::{list_table, print_json};

/// `scpcli costexplorer …`.
#[derive(Debug, Args)]
pub struct CostExplorerCommand {
    /// The resource.
    #[command(subcommand)]
    pub resource: CostExplorerResource,
}

/// CostExplorer resources.
#[derive(Debug, Subcommand)]
pub enum CostExplorerResource {
    /// Usage records.
    Usages {
        /// The operation.
        #[command(subcommand)]
        operation: UsagesOperation,
    },
}

/// Usage operations.
#[derive(Debug, Subcommand)]
pub enum UsagesOperation {
    /// Get usage list.
    List(UsageListArgs),
}

/// ListUsages flags; array flags repeat or take comma-separated values.
#[derive(Debug, Args)]
pub struct UsageListArgs {
    /// Start date (YYYY-MM-dd)
    #[arg(long = "start_date", value_name = "VALUE")]
    pub start_date: Option<String>,
    /// End date (YYYY-MM-dd)
    #[arg(long = "end_date", value_name = "VALUE")]
    pub end_date: Option<String>,
    /// with count
    #[arg(long = "with_count", value_name = "VALUE")]
    pub with_count: Option<String>,
    /// limit
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub limit: Option<i64>,
    /// marker
    #[arg(long, value_name = "VALUE")]
    pub marker: Option<String>,
    /// sort
    #[arg(long, value_name = "VALUE")]
    pub sort: Option<String>,
    /// Account Id
    #[arg(long = "account_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub account_id: Vec<String>,
    /// Service Category
    #[arg(long = "service_category", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub service_category: Vec<String>,
    /// Billing Item Id
    #[arg(long = "billing_item_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub billing_item_id: Vec<String>,
    /// Resource Name
    #[arg(long = "resource_name", value_name = "VALUE")]
    pub resource_name: Option<String>,
    /// Region
    #[arg(long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub region: Vec<String>,
    /// Contract Id
    #[arg(long = "contract_id", value_name = "VALUE")]
    pub contract_id: Option<String>,
    /// CCBS Order Status
    #[arg(long = "order_status", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub order_status: Vec<String>,
}

fn list(values: Vec<String>) -> Option<Vec<String>> {
    (!values.is_empty()).then_some(values)
}

/// Runs a CostExplorer command.
pub async fn run(
    command: CostExplorerCommand,
    client: &Client,
    output: OutputFormat,
) -> Result<(), ClientError> {
    let CostExplorerResource::Usages {
        operation: UsagesOperation::List(args),
    } = command.resource;
    let query = UsageListQuery {
        start_date: args.start_date,
        end_date: args.end_date,
        with_count: args.with_count,
        limit: args.limit,
        marker: args.marker,
        sort: args.sort,
        account_id: list(args.account_id),
        service_category: list(args.service_category),
        billing_item_id: list(args.billing_item_id),
        resource_name: args.resource_name,
        region: list(args.region),
        contract_id: args.contract_id,
        order_status: list(args.order_status),
    };
    let response = client
        .send(Client::list_usages_call(&query)?)
        .await?
        .error_for_status()?;
    match output {
        OutputFormat::Json => print_json(&response),
        OutputFormat::Table => {
            print_usages(&response.json()?);
            Ok(())
        }
    }
}

fn print_usages(page: &UsageListResponse) {
    let rows = page
        .usages
        .iter()
        .map(|usage| {
            [
                usage.usage_date.clone(),
                usage.resource_name.clone(),
                usage.billing_item_id.clone(),
                usage.region.clone(),
                format!("{} {}", usage.quantity, usage.unit),
                trim(&usage.amounts.krw),
                trim(&usage.amounts.usd),
                usage.id.clone(),
            ]
        })
        .collect();
    println!(
        "{}",
        list_table(
            [
                "USAGE DATE (KST)",
                "RESOURCE",
                "BILLING ITEM",
                "REGION",
                "QUANTITY",
                "KRW",
                "USD",
                "ID"
            ],
            rows
        )
    );
    let count = page
        .count
        .map(|count| format!("count: {count}  "))
        .unwrap_or_default();
    let next = page
        .links
        .iter()
        .find(|link| link.rel == "next")
        .and_then(|link| link.href.split("marker=").nth(1))
        .map(|marker| {
            format!(
                "next: --marker {}",
                marker.split('&').next().unwrap_or(marker)
            )
        })
        .unwrap_or_else(|| "last page".to_owned());
    println!("{count}timezone: {}  {next}", page.timezone);
}

/// `26.7000000000` → `26.7`.
fn trim(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}
