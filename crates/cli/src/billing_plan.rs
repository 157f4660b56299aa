//! `scpcli billingplan …`: the seeds' commands, word for word, plus
//! `list planned computes` for the list API the CLI reference lacks.

use clap::{Args, Subcommand};
use scpfm_api_types::billing_plan::{
    CancellationFeeRequest, CoveredResourceQuery, OneOrMany, PlannedComputeChangeRequest,
    PlannedComputeCreateRequest, PlannedComputeDto, PlannedComputeListQuery,
    PlannedComputeListResponse, PlannedComputeResponse, ServerTypeQuery, ServiceQuery, TagDto,
};
use scpfm_client::{Call, Client, ClientError};

use crate::output::OutputFormat;
use crate::output::{key_value_table, list_table, print_json};

/// `scpcli billingplan …`.
#[derive(Debug, Args)]
pub struct BillingPlanCommand {
    /// The verb.
    #[command(subcommand)]
    pub verb: Verb,
}

/// Verbs.
#[derive(Debug, Subcommand)]
pub enum Verb {
    /// `set planned compute`.
    Set {
        /// `planned compute`.
        #[command(subcommand)]
        noun: SetNoun,
    },
    /// `create planned computes`.
    Create {
        /// `planned computes`.
        #[command(subcommand)]
        noun: CreateNoun,
    },
    /// `get planned computes`, `get cancellation fee`.
    Get {
        /// What to get.
        #[command(subcommand)]
        noun: GetNoun,
    },
    /// `list planned compute …`, `list os types`, `list planned computes`.
    List {
        /// What to list.
        #[command(subcommand)]
        noun: ListNoun,
    },
}

/// `set …`.
#[derive(Debug, Subcommand)]
pub enum SetNoun {
    /// `planned compute`.
    Planned {
        /// `compute`.
        #[command(subcommand)]
        word: SetPlanned,
    },
}

/// `set planned …`.
#[derive(Debug, Subcommand)]
pub enum SetPlanned {
    /// Change action request planned compute.
    Compute(ChangeArgs),
}

/// `create …`.
#[derive(Debug, Subcommand)]
pub enum CreateNoun {
    /// `planned computes`.
    Planned {
        /// `computes`.
        #[command(subcommand)]
        word: CreatePlanned,
    },
}

/// `create planned …`.
#[derive(Debug, Subcommand)]
pub enum CreatePlanned {
    /// Create request planned compute.
    Computes(CreateArgs),
}

/// `get …`.
#[derive(Debug, Subcommand)]
pub enum GetNoun {
    /// `planned computes`.
    Planned {
        /// `computes`.
        #[command(subcommand)]
        word: GetPlanned,
    },
    /// `cancellation fee`.
    Cancellation {
        /// `fee`.
        #[command(subcommand)]
        word: GetCancellation,
    },
}

/// `get planned …`.
#[derive(Debug, Subcommand)]
pub enum GetPlanned {
    /// Get planned compute.
    Computes(IdArgs),
}

/// `get cancellation …`.
#[derive(Debug, Subcommand)]
pub enum GetCancellation {
    /// Get Cancellation Fee
    Fee(FeeArgs),
}

/// `list …`.
#[derive(Debug, Subcommand)]
pub enum ListNoun {
    /// `planned compute …`, `planned computes`.
    Planned {
        /// `compute …` or `computes`.
        #[command(subcommand)]
        word: ListPlanned,
    },
    /// `os types`.
    Os {
        /// `types`.
        #[command(subcommand)]
        word: ListOs,
    },
}

/// `list planned …`.
#[derive(Debug, Subcommand)]
pub enum ListPlanned {
    /// `compute contract types`, `compute server types`, `compute service types`.
    Compute {
        /// What.
        #[command(subcommand)]
        word: ListPlannedCompute,
    },
    /// Get planned compute list (scpfm: the list API the CLI reference lacks).
    Computes(Box<ListArgs>),
}

/// `list planned compute …`.
#[derive(Debug, Subcommand)]
pub enum ListPlannedCompute {
    /// `contract types`.
    Contract {
        /// `types`.
        #[command(subcommand)]
        word: ContractTypes,
    },
    /// `server types`.
    Server {
        /// `types`.
        #[command(subcommand)]
        word: ServerTypes,
    },
    /// `service types`.
    Service {
        /// `types`.
        #[command(subcommand)]
        word: ServiceTypes,
    },
    /// Get Planned Compute Covered Resource List.
    Instances(InstancesArgs),
}

/// List Planned Compute Covered Resource flags.
#[derive(Debug, Args)]
pub struct InstancesArgs {
    /// End date (YYYY-MM-dd)
    #[arg(long = "end_date", value_name = "VALUE")]
    pub end_date: String,
    /// Start date (YYYY-MM-dd)
    #[arg(long = "start_date", value_name = "VALUE")]
    pub start_date: String,
    /// Server Type
    #[arg(long = "server_type", value_name = "VALUE")]
    pub server_type: String,
    /// OS Type
    #[arg(long = "os_type", value_name = "VALUE")]
    pub os_type: String,
    /// Service Id
    #[arg(long = "service_id", value_name = "VALUE")]
    pub service_id: String,
}

/// `list planned compute contract …`.
#[derive(Debug, Subcommand)]
pub enum ContractTypes {
    /// Get Contract Type List.
    Types(ContractTypeArgs),
}

/// `list planned compute server …`.
#[derive(Debug, Subcommand)]
pub enum ServerTypes {
    /// Get Server Type List
    Types(ServerTypeArgs),
}

/// `list planned compute service …`.
#[derive(Debug, Subcommand)]
pub enum ServiceTypes {
    /// Get Service Type List
    Types,
}

/// `list os …`.
#[derive(Debug, Subcommand)]
pub enum ListOs {
    /// Get Os System List.
    Types(OsTypeArgs),
}

/// Change Request Planned Compute flags.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Planned Compute Id
    #[arg(long = "planned_compute_id", value_name = "VALUE")]
    pub planned_compute_id: String,
    /// Planned Compute change request action type
    #[arg(long, value_name = "VALUE")]
    pub action: Option<String>,
    /// Contract type is required in the case of EXTEND_APPLY or EXTEND_CHANGE
    #[arg(long = "contract_type", value_name = "VALUE")]
    pub contract_type: Option<String>,
    /// Server Type is required in the case of SERVER_TYPE_CHANGE
    #[arg(long = "server_type", value_name = "VALUE")]
    pub server_type: Option<String>,
}

/// Create Request Planned Computes flags.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Contract Type
    #[arg(long = "contract_type", value_name = "VALUE")]
    pub contract_type: String,
    /// OS Type
    #[arg(long = "os_type", value_name = "VALUE")]
    pub os_type: String,
    /// Server Type
    #[arg(long = "server_type", value_name = "VALUE")]
    pub server_type: String,
    /// Service Id
    #[arg(long = "service_id", value_name = "VALUE")]
    pub service_id: String,
    /// Service Name
    #[arg(long = "service_name", value_name = "VALUE")]
    pub service_name: Option<String>,
    /// Tag Form: '{"key": "key1", "value": "value1"}' or key1=value1; repeatable
    #[arg(long, value_name = "VALUE", value_parser = parse_tag)]
    pub tag: Vec<TagDto>,
}

/// Get Planned Compute flags.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// Planned Compute Id
    #[arg(long = "planned_compute_id", value_name = "VALUE")]
    pub planned_compute_id: String,
}

/// GetCancellationFee flags.
#[derive(Debug, Args)]
pub struct FeeArgs {
    /// Planned Compute Id (repeatable or comma-separated)
    #[arg(long = "planned_compute_id", value_name = "VALUE", value_delimiter = ',', num_args = 1.., required = true)]
    pub planned_compute_id: Vec<String>,
    /// Region
    #[arg(long, value_name = "VALUE")]
    pub region: Option<String>,
}

/// List Contract Type flags.
#[derive(Debug, Args)]
pub struct ContractTypeArgs {
    /// Service Id
    #[arg(long = "service_id", value_name = "VALUE")]
    pub service_id: Option<String>,
    /// Server Type
    #[arg(long = "server_type", value_name = "VALUE")]
    pub server_type: Option<String>,
}

/// ListServerType flags.
#[derive(Debug, Args)]
pub struct ServerTypeArgs {
    /// Service Id
    #[arg(long = "service_id", value_name = "VALUE")]
    pub service_id: Option<String>,
    /// Server Type
    #[arg(long = "current_server_type", value_name = "VALUE")]
    pub current_server_type: Option<String>,
    /// OS Type
    #[arg(long = "os_type", value_name = "VALUE")]
    pub os_type: Option<String>,
}

/// List OS System flags.
#[derive(Debug, Args)]
pub struct OsTypeArgs {
    /// Service Id
    #[arg(long = "service_id", value_name = "VALUE")]
    pub service_id: Option<String>,
}

/// ListPlannedComputes flags; array flags repeat or take comma-separated values.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// LIMIT
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub limit: Option<i64>,
    /// Page
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub page: Option<i64>,
    /// Start date (YYYY-MM-dd)
    #[arg(long = "start_date", value_name = "VALUE")]
    pub start_date: Option<String>,
    /// End date (YYYY-MM-dd)
    #[arg(long = "end_date", value_name = "VALUE")]
    pub end_date: Option<String>,
    /// Server Type
    #[arg(long = "server_type", value_name = "VALUE")]
    pub server_type: Option<String>,
    /// Contract Id
    #[arg(long = "contract_id", value_name = "VALUE")]
    pub contract_id: Option<String>,
    /// Contract Type
    #[arg(long = "contract_type", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub contract_type: Vec<String>,
    /// Next Contract Type
    #[arg(long = "next_contract_type", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub next_contract_type: Vec<String>,
    /// Service Id
    #[arg(long = "service_id", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub service_id: Vec<String>,
    /// OS Type
    #[arg(long = "os_type", value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub os_type: Vec<String>,
    /// Planned Compute State
    #[arg(long, value_name = "VALUE", value_delimiter = ',', num_args = 1..)]
    pub state: Vec<String>,
    /// Created by
    #[arg(long = "created_by", value_name = "VALUE")]
    pub created_by: Option<String>,
    /// Modified by
    #[arg(long = "modified_by", value_name = "VALUE")]
    pub modified_by: Option<String>,
    /// Sort
    #[arg(long, value_name = "VALUE")]
    pub sort: Option<String>,
}

/// A tag as the seeds write it (`{"key": "k", "value": "v"}`), or `k=v`.
fn parse_tag(text: &str) -> Result<TagDto, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|error| format!("not a tag object: {error}"));
    }
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(TagDto {
            key: key.to_owned(),
            value: Some(value.to_owned()),
        }),
        _ => Err(r#"expected {"key": "k", "value": "v"} or k=v"#.to_owned()),
    }
}

fn list(values: Vec<String>) -> Option<Vec<String>> {
    (!values.is_empty()).then_some(values)
}

fn list_query(args: ListArgs) -> PlannedComputeListQuery {
    PlannedComputeListQuery {
        limit: args.limit,
        page: args.page,
        start_date: args.start_date,
        end_date: args.end_date,
        server_type: args.server_type,
        contract_id: args.contract_id,
        contract_type: list(args.contract_type),
        next_contract_type: list(args.next_contract_type),
        service_id: list(args.service_id),
        os_type: list(args.os_type),
        state: list(args.state),
        created_by: args.created_by,
        modified_by: args.modified_by,
        sort: args.sort,
    }
}

/// How a response is shown as a table.
enum Table {
    Contract,
    Contracts,
    Services,
    ServerTypes,
    OsTypes,
    ContractTypes,
    Fee,
    Coverage,
}

/// Runs a BillingPlan command.
pub async fn run(
    command: BillingPlanCommand,
    client: &Client,
    output: OutputFormat,
) -> Result<(), ClientError> {
    let (table, call): (Table, Call<'static>) = match command.verb {
        Verb::Set {
            noun: SetNoun::Planned {
                word: SetPlanned::Compute(args),
            },
        } => (
            Table::Contract,
            Client::change_planned_compute_call(
                &args.planned_compute_id,
                &PlannedComputeChangeRequest {
                    action: args.action,
                    contract_type: args.contract_type,
                    server_type: args.server_type,
                },
            )?,
        ),
        Verb::Create {
            noun:
                CreateNoun::Planned {
                    word: CreatePlanned::Computes(args),
                },
        } => (
            Table::Contract,
            Client::create_planned_compute_call(&PlannedComputeCreateRequest {
                account_id: None,
                service_id: Some(args.service_id),
                service_name: args.service_name,
                server_type: Some(args.server_type),
                os_type: Some(args.os_type),
                contract_type: Some(args.contract_type),
                tag: (!args.tag.is_empty()).then_some(args.tag),
            })?,
        ),
        Verb::Get {
            noun: GetNoun::Planned {
                word: GetPlanned::Computes(args),
            },
        } => (
            Table::Contract,
            Client::get_planned_compute_call(&args.planned_compute_id),
        ),
        Verb::Get {
            noun:
                GetNoun::Cancellation {
                    word: GetCancellation::Fee(args),
                },
        } => (
            Table::Fee,
            Client::cancellation_fee_call(&CancellationFeeRequest {
                region: args.region,
                planned_compute_id: Some(OneOrMany::Many(args.planned_compute_id)),
            })?,
        ),
        Verb::List {
            noun: ListNoun::Os {
                word: ListOs::Types(args),
            },
        } => (
            Table::OsTypes,
            Client::list_os_types_call(&ServiceQuery {
                service_id: args.service_id,
                server_type: None,
            })?,
        ),
        Verb::List {
            noun:
                ListNoun::Planned {
                    word: ListPlanned::Computes(args),
                },
        } => (
            Table::Contracts,
            Client::list_planned_computes_call(&list_query(*args))?,
        ),
        Verb::List {
            noun:
                ListNoun::Planned {
                    word: ListPlanned::Compute { word },
                },
        } => match word {
            ListPlannedCompute::Contract {
                word: ContractTypes::Types(args),
            } => (
                Table::ContractTypes,
                Client::list_contract_types_call(&ServiceQuery {
                    service_id: args.service_id,
                    server_type: args.server_type,
                })?,
            ),
            ListPlannedCompute::Server {
                word: ServerTypes::Types(args),
            } => (
                Table::ServerTypes,
                Client::list_server_types_call(&ServerTypeQuery {
                    service_id: args.service_id,
                    current_server_type: args.current_server_type,
                    os_type: args.os_type,
                })?,
            ),
            ListPlannedCompute::Service {
                word: ServiceTypes::Types,
            } => (Table::Services, Client::list_service_types_call()),
            ListPlannedCompute::Instances(args) => (
                Table::Coverage,
                Client::list_covered_resources_call(&CoveredResourceQuery {
                    service_id: Some(args.service_id),
                    os_type: Some(args.os_type),
                    server_type: Some(args.server_type),
                    start_date: Some(args.start_date),
                    end_date: Some(args.end_date),
                    sort: None,
                })?,
            ),
        },
    };
    let response = client.send(call).await?.error_for_status()?;
    if output == OutputFormat::Json {
        return print_json(&response);
    }
    match table {
        Table::Contract => {
            let contract: PlannedComputeResponse = response.json()?;
            println!("{}", contract_table(&contract.planned_compute));
        }
        Table::Contracts => print_contracts(&response.json()?),
        Table::Services => {
            let services: scpfm_api_types::billing_plan::ProductListResponse = response.json()?;
            let rows = services
                .services
                .into_iter()
                .map(|s| [s.service_id, s.display_name])
                .collect();
            println!("{}", list_table(["SERVICE ID", "DISPLAY NAME"], rows));
        }
        Table::ServerTypes => {
            let types: scpfm_api_types::billing_plan::ServerTypeListResponse = response.json()?;
            let rows = types
                .server_types
                .into_iter()
                .map(|t| {
                    [
                        t.server_type,
                        t.instance_type,
                        t.core,
                        t.memory_gb,
                        t.gpu_name.unwrap_or_default(),
                        if t.scale_up_yn { "Y" } else { "N" }.to_owned(),
                    ]
                })
                .collect();
            println!(
                "{}",
                list_table(
                    [
                        "SERVER TYPE",
                        "FAMILY",
                        "CORE",
                        "MEMORY GB",
                        "GPU",
                        "SCALE UP"
                    ],
                    rows
                )
            );
        }
        Table::OsTypes => {
            let types: scpfm_api_types::billing_plan::OsTypeListResponse = response.json()?;
            let rows = types
                .os_types
                .into_iter()
                .map(|t| [t.os_type_id, t.os_type_value, t.display_name])
                .collect();
            println!(
                "{}",
                list_table(["OS TYPE ID", "VALUE", "DISPLAY NAME"], rows)
            );
        }
        Table::ContractTypes => {
            let types: scpfm_api_types::billing_plan::ContractTypeListResponse = response.json()?;
            let mut rows: Vec<[String; 3]> = types
                .contract_types
                .into_iter()
                .map(|t| ["contract".to_owned(), t.code, t.display_name])
                .collect();
            rows.extend(
                types
                    .extension_types
                    .into_iter()
                    .map(|t| ["extension".to_owned(), t.code, t.display_name]),
            );
            println!("{}", list_table(["FOR", "CODE", "DISPLAY NAME"], rows));
        }
        Table::Coverage => {
            let report: scpfm_api_types::billing_plan::PlannedComputeResourceListResponse =
                response.json()?;
            let rows = report
                .coverages
                .into_iter()
                .map(|row| {
                    [
                        row.resource_name
                            .unwrap_or_else(|| "(idle contract hours)".into()),
                        row.used_time.to_string(),
                        row.unit_price.krw,
                        row.used_amount.krw,
                        row.non_applied_amount.krw,
                        row.request_at,
                    ]
                })
                .collect();
            println!(
                "{}",
                list_table(
                    [
                        "RESOURCE",
                        "HOURS",
                        "UNIT PRICE",
                        "USED KRW",
                        "NON-APPLIED KRW",
                        "ORDERED"
                    ],
                    rows
                )
            );
            println!(
                "{} · no contract {} · used {} · non-applied {} · total {} KRW",
                match report.order_count {
                    1 => "1 contract".to_owned(),
                    count => format!("{count} contracts"),
                },
                report.amount.no_contract_used.krw,
                report.amount.used.krw,
                report.amount.non_applied.krw,
                report.amount.total.krw
            );
        }
        Table::Fee => {
            let fee: scpfm_api_types::billing_plan::CancellationFeeResponse = response.json()?;
            println!(
                "{}",
                key_value_table(vec![
                    ("bill_year_month", fee.bill_year_month),
                    (
                        "cancellation_fee",
                        format!("{} {}", fee.cancellation_fee.krw, fee.currency.code)
                    ),
                    ("cancellation_fee (USD)", fee.cancellation_fee.usd),
                    ("same_day_cancel", fee.same_day_cancel.to_string()),
                ])
            );
        }
    }
    Ok(())
}

fn contract_table(contract: &PlannedComputeDto) -> comfy_table::Table {
    let next = match (
        &contract.next_contract_type,
        &contract.next_start_date,
        &contract.next_end_date,
    ) {
        (Some(kind), Some(start), Some(end)) => format!("{kind} {start} – {end}"),
        _ => "-".into(),
    };
    key_value_table(vec![
        ("id", contract.id.clone()),
        ("contract_id", contract.contract_id.clone()),
        ("state", contract.state.clone()),
        (
            "service",
            format!("{} ({})", contract.service_name, contract.service_id),
        ),
        ("server_type", contract.server_type.clone()),
        (
            "os_type",
            format!("{} ({})", contract.os_name, contract.os_type),
        ),
        ("contract_type", contract.contract_type.clone()),
        (
            "term",
            format!("{} – {}", contract.start_date, contract.end_date),
        ),
        ("next term", next),
        (
            "first_contract_start_at",
            contract.first_contract_start_at.clone(),
        ),
        ("region", contract.region.clone()),
        ("srn", contract.srn.clone()),
        (
            "created",
            format!("{} by {}", contract.created_at, contract.created_by),
        ),
        (
            "modified",
            format!("{} by {}", contract.modified_at, contract.modified_by),
        ),
    ])
}

fn print_contracts(page: &PlannedComputeListResponse) {
    let rows = page
        .planned_computes
        .iter()
        .map(|c| {
            [
                c.contract_id.clone(),
                c.state.clone(),
                c.server_type.clone(),
                c.os_type.clone(),
                c.contract_type.clone(),
                format!("{} – {}", c.start_date, c.end_date),
                c.next_contract_type.clone().unwrap_or_else(|| "-".into()),
                c.id.clone(),
            ]
        })
        .collect();
    println!(
        "{}",
        list_table(
            [
                "CONTRACT",
                "STATE",
                "SERVER TYPE",
                "OS",
                "TERM",
                "DATES",
                "NEXT",
                "ID"
            ],
            rows
        )
    );
    println!(
        "page {} of {} ({} contracts)",
        page.current_page, page.total_pages, page.total_count
    );
}
