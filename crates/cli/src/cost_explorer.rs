//! `scpcli costexplorer …`: `bill list`, `payment monthly show` and `usages list`; the cost
//! analysis commands are in `cost_analysis`.

use clap::{Args, Subcommand};
use scpfm_api_types::bill::{
    BillListQuery, BillListResponse, OrgPaymentMonthlyResponse, PaymentMonthlyQuery,
};
use scpfm_api_types::common::Link;
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse};
use scpfm_client::{Call, Client, ClientError};
use serde::de::DeserializeOwned;

use crate::output::OutputFormat;
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
    /// Bills.
    Bill {
        /// The operation.
        #[command(subcommand)]
        operation: BillOperation,
    },
    /// Payments.
    Payment {
        /// The period.
        #[command(subcommand)]
        period: PaymentPeriod,
    },
    /// Usage records.
    Usages {
        /// The operation.
        #[command(subcommand)]
        operation: UsagesOperation,
    },
    /// Cost and usage by period and group, and its forecast (scpfm).
    Cost {
        /// The operation.
        #[command(subcommand)]
        operation: crate::cost_analysis::CostOperation,
    },
    /// FOCUS exports (scpfm).
    Focus {
        /// The operation.
        #[command(subcommand)]
        operation: crate::cost_analysis::FocusOperation,
    },
}

/// Bill operations.
#[derive(Debug, Subcommand)]
pub enum BillOperation {
    /// Get bill list.
    List(BillListArgs),
}

/// Payment periods.
#[derive(Debug, Subcommand)]
pub enum PaymentPeriod {
    /// Monthly payments.
    Monthly {
        /// The operation.
        #[command(subcommand)]
        operation: PaymentMonthlyOperation,
    },
}

/// Monthly payment operations.
#[derive(Debug, Subcommand)]
pub enum PaymentMonthlyOperation {
    /// Get payment monthly data.
    Show(PaymentMonthlyArgs),
}

/// Usage operations.
#[derive(Debug, Subcommand)]
pub enum UsagesOperation {
    /// Get usage list.
    List(UsageListArgs),
}

/// The flags ListBills and ListUsages share; array flags repeat or take comma-separated values.
#[derive(Debug, Args)]
pub struct ListFlags {
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

/// ListUsages flags.
#[derive(Debug, Args)]
pub struct UsageListArgs {
    /// Start date (YYYY-MM-dd)
    #[arg(long = "start_date", value_name = "VALUE")]
    pub start_date: Option<String>,
    /// End date (YYYY-MM-dd)
    #[arg(long = "end_date", value_name = "VALUE")]
    pub end_date: Option<String>,
    /// The shared list flags.
    #[command(flatten)]
    pub list: ListFlags,
}

/// ListBills flags.
#[derive(Debug, Args)]
pub struct BillListArgs {
    /// Start year-month (YYYY-mm)
    #[arg(long = "start_year_month", value_name = "VALUE")]
    pub start_year_month: Option<String>,
    /// End year-month (YYYY-mm)
    #[arg(long = "end_year_month", value_name = "VALUE")]
    pub end_year_month: Option<String>,
    /// The shared list flags.
    #[command(flatten)]
    pub list: ListFlags,
    /// Bill Date (YYYY-MM)
    #[arg(long = "bill_year_month", value_name = "VALUE")]
    pub bill_year_month: Option<String>,
    /// Billing State
    #[arg(long = "bill_state", value_name = "VALUE")]
    pub bill_state: Option<String>,
}

/// GetPaymentMonthly flags.
#[derive(Debug, Args)]
pub struct PaymentMonthlyArgs {
    /// Size
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub size: Option<i64>,
    /// Page
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub page: Option<i64>,
}

fn list(values: Vec<String>) -> Option<Vec<String>> {
    (!values.is_empty()).then_some(values)
}

/// A ListUsages or ListBills query: the shared [`ListFlags`] plus the operation's own fields.
macro_rules! with_list_flags {
    ($flags:expr, $query:ident { $($field:ident: $value:expr),* $(,)? }) => {{
        let flags: ListFlags = $flags;
        $query {
            with_count: flags.with_count,
            limit: flags.limit,
            marker: flags.marker,
            sort: flags.sort,
            account_id: list(flags.account_id),
            service_category: list(flags.service_category),
            billing_item_id: list(flags.billing_item_id),
            resource_name: flags.resource_name,
            region: list(flags.region),
            contract_id: flags.contract_id,
            order_status: list(flags.order_status),
            $($field: $value,)*
        }
    }};
}

/// Runs a CostExplorer command.
pub async fn run(
    command: CostExplorerCommand,
    client: &Client,
    output: OutputFormat,
) -> Result<(), ClientError> {
    match command.resource {
        CostExplorerResource::Cost { operation } => {
            crate::cost_analysis::run_cost(operation, client, output).await
        }
        CostExplorerResource::Focus { operation } => {
            crate::cost_analysis::run_focus(operation, client).await
        }
        CostExplorerResource::Usages {
            operation: UsagesOperation::List(args),
        } => {
            let query = with_list_flags!(
                args.list,
                UsageListQuery {
                    start_date: args.start_date,
                    end_date: args.end_date,
                }
            );
            show(
                client,
                Client::list_usages_call(&query)?,
                output,
                print_usages,
            )
            .await
        }
        CostExplorerResource::Bill {
            operation: BillOperation::List(args),
        } => {
            let query = with_list_flags!(
                args.list,
                BillListQuery {
                    start_year_month: args.start_year_month,
                    end_year_month: args.end_year_month,
                    bill_year_month: args.bill_year_month,
                    bill_state: args.bill_state,
                }
            );
            show(
                client,
                Client::list_bills_call(&query)?,
                output,
                print_bills,
            )
            .await
        }
        CostExplorerResource::Payment {
            period:
                PaymentPeriod::Monthly {
                    operation: PaymentMonthlyOperation::Show(args),
                },
        } => {
            let query = PaymentMonthlyQuery {
                size: args.size,
                page: args.page,
            };
            show(
                client,
                Client::payment_monthly_call(&query)?,
                output,
                print_payments,
            )
            .await
        }
    }
}

/// Sends a call and prints the server's JSON exactly, or a table of it.
async fn show<T: DeserializeOwned>(
    client: &Client,
    call: Call<'static>,
    output: OutputFormat,
    table: fn(&T),
) -> Result<(), ClientError> {
    let response = client.send(call).await?.error_for_status()?;
    match output {
        OutputFormat::Json => print_json(&response),
        OutputFormat::Table => {
            table(&response.json()?);
            Ok(())
        }
    }
}

/// The footer of a `limit`/`marker` page: the count when asked for, and the next marker.
fn page_footer(count: Option<i64>, links: &[Link]) -> String {
    let count = count
        .map(|count| format!("count: {count}  "))
        .unwrap_or_default();
    let next = links
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
    format!("{count}{next}")
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
    println!(
        "{}  timezone: {}",
        page_footer(page.count, &page.links),
        page.timezone
    );
}

fn print_bills(page: &BillListResponse) {
    let rows = page
        .bills
        .iter()
        .map(|bill| {
            let charges = bill.charges();
            let gross: rust_decimal::Decimal = charges
                .iter()
                .filter_map(|amount| amount.krw.parse::<rust_decimal::Decimal>().ok())
                .sum();
            [
                bill.bill_year_month.clone(),
                bill.bill_state.clone(),
                bill.resource_name.clone(),
                bill.billing_item_id.clone(),
                bill.region.clone(),
                trim(&format!("{gross:.3}")),
                trim(&bill.discount_amounts.krw),
                trim(&bill.amounts.krw),
                trim(&bill.amounts.usd),
                bill.id.clone(),
            ]
        })
        .collect();
    println!(
        "{}",
        list_table(
            [
                "MONTH",
                "STATE",
                "RESOURCE",
                "BILLING ITEM",
                "REGION",
                "CHARGES KRW",
                "DISCOUNTS KRW",
                "AMOUNT KRW",
                "AMOUNT USD",
                "ID"
            ],
            rows
        )
    );
    println!("{}", page_footer(page.count, &page.links));
}

fn print_payments(page: &OrgPaymentMonthlyResponse) {
    let rows = page
        .payments
        .iter()
        .map(|payment| {
            [
                payment.bill_year_month.clone(),
                payment.payer_account_name.clone(),
                payment.payer_account_type.clone(),
                payment.payment_state.clone(),
                trim(&payment.used_amount.krw),
                trim(&payment.bill_amount.krw),
                trim(&payment.paid_amount.krw),
                trim(&payment.unpaid_amount.krw),
                trim(&payment.accumulated_unpaid_amount.krw),
                payment.payment_date.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    println!(
        "{}",
        list_table(
            [
                "MONTH",
                "ACCOUNT",
                "TYPE",
                "STATE",
                "USED KRW",
                "BILL KRW",
                "PAID KRW",
                "UNPAID KRW",
                "ACCUMULATED UNPAID",
                "PAID ON"
            ],
            rows
        )
    );
    println!(
        "count: {}  page: {}  size: {}",
        page.count, page.page, page.size
    );
}

/// `26.7000000000` → `26.7`.
fn trim(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}
