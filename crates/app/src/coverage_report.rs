//! The planned compute coverage report (`ListPlannedComputeCoveredResource`): what an
//! account's contracts of one (service, server type, OS) covered between two KST dates — the
//! covered hours per resource and contract, each contract's idle hours, and the totals.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use scpfm_domain::bill::AMOUNT_SCALE;
use scpfm_domain::contract_charges::{idle_charge, idle_hours};
use scpfm_domain::coverage::{CoverageContract, CoverageSortField};
use scpfm_domain::ids::AccountId;
use scpfm_domain::listing::{PageRequest, SortDirection, SortKey};
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::{kst_midnight, YearMonth};
use scpfm_domain::planned_compute::{
    billing_item_of, contract_seq, hourly_price, PlannedCompute, PlannedComputeSortField,
};
use scpfm_store::planned_computes::PlannedComputeFilter;

use crate::{App, AppError};

/// What the report is about; every id checked against the catalogue.
#[derive(Debug, Clone)]
pub struct CoverageAsk {
    /// The service (one that offers planned compute).
    pub service_id: String,
    /// The server type.
    pub server_type: String,
    /// The OS type id.
    pub os_type: String,
    /// The first day (KST).
    pub start: NaiveDate,
    /// The last day (KST), inclusive.
    pub end: NaiveDate,
}

/// One row: a resource's covered hours under a contract, or a contract's idle hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    /// The contract number.
    pub contract_id: String,
    /// The resource covered; `None` on a contract's idle row.
    pub resource_name: Option<String>,
    /// Covered hours (0 on an idle row).
    pub used_hours: i64,
    /// The contract's PP price per hour.
    pub unit_price: DualAmount,
    /// What the covered hours cost.
    pub used: DualAmount,
    /// What the contract's idle hours cost.
    pub idle: DualAmount,
    /// When the contract was ordered.
    pub ordered_at: DateTime<Utc>,
}

/// The report.
#[derive(Debug, Clone)]
pub struct CoverageReport {
    /// The contracts whose terms overlap the window, by contract number.
    pub contracts: Vec<PlannedCompute>,
    /// Covered and idle rows, contract by contract.
    pub rows: Vec<CoverageRow>,
    /// Usage no contract covered.
    pub uncovered: DualAmount,
    /// What the covered hours cost.
    pub used: DualAmount,
    /// What the idle hours cost.
    pub idle: DualAmount,
}

/// The report of `account`'s contracts for `ask`.
pub async fn coverage_report(
    app: &App,
    account: &AccountId,
    ask: &CoverageAsk,
) -> Result<CoverageReport, AppError> {
    let from = kst_midnight(ask.start);
    let until = kst_midnight(ask.end) + Duration::days(1);
    let contracts = contracts_in_window(app, account, ask, from, until).await?;
    let item = billing_item_of(&app.catalog, &ask.service_id)
        .ok_or_else(|| AppError::Internal(format!("no billing item for {}", ask.service_id)))?;
    let attributes = [
        ("server_type", ask.server_type.as_str()),
        ("os_type", ask.os_type.as_str()),
    ];
    let facts = app
        .store
        .coverage_facts(account, &item.id, &attributes, from, until)
        .await?;
    let rate = app.catalog.usd_rate(YearMonth::of(ask.start));
    let dual = |krw| DualAmount::from_krw(krw, rate, AMOUNT_SCALE);
    let mut report = CoverageReport {
        contracts: Vec::new(),
        rows: Vec::new(),
        uncovered: facts.uncovered,
        used: DualAmount::ZERO,
        idle: DualAmount::ZERO,
    };
    for contract in &contracts {
        let unit_price = dual(hourly_price(&app.catalog, contract).unwrap_or_default());
        let row = |resource_name, used_hours, used, idle| CoverageRow {
            contract_id: contract.contract_id.clone(),
            resource_name,
            used_hours,
            unit_price,
            used,
            idle,
            ordered_at: contract.created_at,
        };
        for ((resource, contract_id), (hours, cost)) in &facts.covered {
            if contract_id == &contract.contract_id {
                report.used += *cost;
                let name = Some(resource.clone());
                report.rows.push(row(name, *hours, *cost, DualAmount::ZERO));
            }
        }
        let covered = contract_seq(&contract.contract_id)
            .and_then(|seq| facts.covered_hours.get(&seq).copied())
            .unwrap_or(0);
        let idle = idle_hours(contract, from, until, covered);
        if idle > 0 {
            let cost = dual(idle_charge(&app.catalog, contract, idle).unwrap_or_default());
            report.idle += cost;
            report.rows.push(row(None, 0, DualAmount::ZERO, cost));
        }
    }
    report.contracts = contracts;
    Ok(report)
}

/// The account's contracts of the asked group whose terms overlap `[from, until)`.
async fn contracts_in_window(
    app: &App,
    account: &AccountId,
    ask: &CoverageAsk,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<PlannedCompute>, AppError> {
    let filter = PlannedComputeFilter {
        server_type: Some(ask.server_type.clone()),
        service_ids: vec![ask.service_id.clone()],
        os_types: vec![ask.os_type.clone()],
        ..PlannedComputeFilter::default()
    };
    let order = [SortKey::asc(PlannedComputeSortField::ContractId)];
    let max = PageRequest::MAX_SIZE;
    let page = PageRequest::new(Some(1), Some(i64::from(max)), 1, max)?;
    let (contracts, _) = app
        .store
        .list_planned_computes(account, &filter, &order, page)
        .await?;
    Ok(contracts
        .into_iter()
        .filter(|contract| {
            contract_seq(&contract.contract_id).is_some_and(|seq| {
                CoverageContract::of(contract, seq).hours_within(from, until) > 0
            })
        })
        .collect())
}

/// Sorts rows in the order asked for (stable: by contract, then resource, otherwise).
pub fn sort_rows(rows: &mut [CoverageRow], sort: &[SortKey<CoverageSortField>]) {
    rows.sort_by(|a, b| {
        sort.iter()
            .map(|key| {
                let order = match key.field {
                    CoverageSortField::ContractId => a.contract_id.cmp(&b.contract_id),
                    CoverageSortField::ResourceName => a.resource_name.cmp(&b.resource_name),
                    CoverageSortField::UsedTime => a.used_hours.cmp(&b.used_hours),
                };
                match key.direction {
                    SortDirection::Asc => order,
                    SortDirection::Desc => order.reverse(),
                }
            })
            .find(|order| order.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
}
