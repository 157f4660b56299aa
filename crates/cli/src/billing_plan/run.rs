//! Runs a BillingPlan command: the call its words name, then the answer as JSON or a table.

use scpfm_api_types::billing_plan::{
    CancellationFeeRequest, CoveredResourceQuery, OneOrMany, PlannedComputeChangeRequest,
    PlannedComputeCreateRequest, ServerTypeQuery, ServiceQuery,
};
use scpfm_client::{Call, Client, ClientError};

use super::tables::{print_table, Table};
use super::*;
use crate::output::{print_json, OutputFormat};

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
    print_table(table, &response)
}
