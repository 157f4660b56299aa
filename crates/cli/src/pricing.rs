//! `scpcli pricing …`. SCP's CLI reference lost the command words of the three Pricing
//! commands (it prints only `scpcli pricing`); scpfm uses the words below (docs/CLI.md).

use clap::{Args, Subcommand};
use scpfm_api_types::pricing::{
    BillingItemIdsResponse, OfferingResponse, PriceListQuery, ReportPriceResponse,
};
use scpfm_client::{Call, Client, ClientError};

use crate::output::OutputFormat;
use crate::output::{list_table, print_json};

/// `scpcli pricing …`.
#[derive(Debug, Args)]
pub struct PricingCommand {
    /// The resource.
    #[command(subcommand)]
    pub resource: PricingResource,
}

/// Pricing resources.
#[derive(Debug, Subcommand)]
pub enum PricingResource {
    /// Billing items.
    Billing {
        /// `item ids list`.
        #[command(subcommand)]
        resource: BillingResource,
    },
    /// Offering types.
    Offerings {
        /// `list`.
        #[command(subcommand)]
        operation: ListOnly,
    },
    /// Price reports.
    Report {
        /// `prices list`.
        #[command(subcommand)]
        resource: ReportResource,
    },
}

/// `billing item …`.
#[derive(Debug, Subcommand)]
pub enum BillingResource {
    /// Billing items.
    Item {
        /// `ids list`.
        #[command(subcommand)]
        resource: ItemResource,
    },
}

/// `item ids …`.
#[derive(Debug, Subcommand)]
pub enum ItemResource {
    /// Billing item ids.
    Ids {
        /// `list`.
        #[command(subcommand)]
        operation: ListOnly,
    },
}

/// A resource whose only verb is `list`.
#[derive(Debug, Subcommand)]
pub enum ListOnly {
    /// Get billing item ID list. / Get offering list.
    List,
}

/// `report prices …`.
#[derive(Debug, Subcommand)]
pub enum ReportResource {
    /// Prices.
    Prices {
        /// `list`.
        #[command(subcommand)]
        operation: PricesOperation,
    },
}

/// `report prices list`.
#[derive(Debug, Subcommand)]
pub enum PricesOperation {
    /// Get prices with optional filtering by billing_item_id and offering.
    List(PriceListArgs),
}

/// ListReportPrice flags.
#[derive(Debug, Args)]
pub struct PriceListArgs {
    /// Paging and order.
    #[command(flatten)]
    pub pages: crate::page_flags::PageFlags,
    /// Filter by billing item ID
    #[arg(long = "billing_item_id", value_name = "VALUE")]
    pub billing_item_id: Option<String>,
    /// Filter by offering type (PS/PP/PG)
    #[arg(long, value_name = "VALUE")]
    pub offering: Option<String>,
}

enum Operation {
    BillingItemIds,
    Offerings,
    Prices,
}

/// Runs a pricing command.
pub async fn run(
    command: PricingCommand,
    client: &Client,
    output: OutputFormat,
) -> Result<(), ClientError> {
    let (operation, call): (Operation, Call<'static>) = match command.resource {
        PricingResource::Billing { .. } => (
            Operation::BillingItemIds,
            Client::list_billing_item_ids_call(),
        ),
        PricingResource::Offerings { .. } => (Operation::Offerings, Client::list_offerings_call()),
        PricingResource::Report {
            resource:
                ReportResource::Prices {
                    operation: PricesOperation::List(args),
                },
        } => (
            Operation::Prices,
            Client::list_prices_call(&PriceListQuery {
                size: args.pages.size,
                page: args.pages.page,
                sort: args.pages.sort,
                billing_item_id: args.billing_item_id,
                offering: args.offering,
            })?,
        ),
    };
    let response = client.send(call).await?.error_for_status()?;
    if output == OutputFormat::Json {
        return print_json(&response);
    }
    match operation {
        Operation::BillingItemIds => {
            let ids: BillingItemIdsResponse = response.json()?;
            let rows = ids.billing_item_ids.into_iter().map(|id| [id]).collect();
            println!("{}", list_table(["BILLING ITEM ID"], rows));
        }
        Operation::Offerings => {
            let offerings: OfferingResponse = response.json()?;
            let rows = offerings
                .offerings
                .into_iter()
                .map(|offering| [offering])
                .collect();
            println!("{}", list_table(["OFFERING"], rows));
        }
        Operation::Prices => print_prices(&response.json()?),
    }
    Ok(())
}

fn print_prices(page: &ReportPriceResponse) {
    let rows = page
        .prices
        .iter()
        .map(|price| {
            let attributes: Vec<String> = price
                .attributes
                .iter()
                .map(|(key, value)| format!("{key}={value}"))
                .collect();
            let tiers: Vec<String> = price
                .prices
                .iter()
                .map(|tier| {
                    let start = tier
                        .range_start
                        .as_deref()
                        .map_or("-∞".to_owned(), trim_zeros);
                    let end = tier.range_end.as_deref().map_or("∞".to_owned(), trim_zeros);
                    let base = if trim_zeros(&tier.base_price) == "0" {
                        String::new()
                    } else {
                        format!(" + {} base", trim_zeros(&tier.base_price))
                    };
                    format!("{start}–{end}: {}{base}", trim_zeros(&tier.unit_price))
                })
                .collect();
            [
                price.billing_item_id.clone(),
                price.offering.clone(),
                attributes.join(" "),
                format!("KRW/{}", price.price_unit),
                tiers.join("\n"),
                format!(
                    "{} {} @{}",
                    price.price_model, price.rounding_rule, price.rounding_position
                ),
            ]
        })
        .collect();
    println!(
        "{}",
        list_table(
            [
                "BILLING ITEM",
                "OFFERING",
                "ATTRIBUTES",
                "UNIT",
                "PRICE (RANGE: UNIT PRICE)",
                "MODEL / ROUNDING"
            ],
            rows
        )
    );
    println!(
        "count: {}  page: {}  size: {}  total_pages: {}  sort: {}",
        page.count,
        page.page,
        page.size,
        page.total_pages,
        page.sort
            .as_deref()
            .map(|sort| sort.join(", "))
            .unwrap_or_default()
    );
}

/// `22.60000000` → `22.6`; `0.00000000` → `0`.
fn trim_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_lose_trailing_zeros_in_tables() {
        assert_eq!(trim_zeros("22.60000000"), "22.6");
        assert_eq!(trim_zeros("0.00000000"), "0");
        assert_eq!(trim_zeros("1024"), "1024");
    }
}
