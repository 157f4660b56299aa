//! `scpcli billingplan …`: the seeds' commands, word for word, plus
//! `list planned computes` for the list API the CLI reference lacks. This file is the
//! grammar (verbs, nouns, flags); `run` turns a command into its call and `tables` prints
//! the answer for people.

mod run;
mod tables;

pub use run::run;

use clap::{Args, Subcommand};
use scpfm_api_types::billing_plan::{PlannedComputeListQuery, TagDto};

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
