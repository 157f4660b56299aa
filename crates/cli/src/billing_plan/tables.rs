//! BillingPlan answers as tables for people.

use scpfm_api_types::billing_plan::{
    PlannedComputeDto, PlannedComputeListResponse, PlannedComputeResponse,
};
use scpfm_client::{ClientError, RawResponse};

use crate::output::{key_value_table, list_table};

/// How a response is shown as a table.
pub(super) enum Table {
    Contract,
    Contracts,
    Services,
    ServerTypes,
    OsTypes,
    ContractTypes,
    Fee,
    Coverage,
}

/// Prints `response` as the table `table` names.
pub(super) fn print_table(table: Table, response: &RawResponse) -> Result<(), ClientError> {
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
