//! Cost analysis: the cost and usage of some accounts by period and group, from the daily
//! rollup ([`cost_and_usage`]); the forecast of the cost ahead ([`forecast`]); and the FOCUS
//! export ([`focus`]).
//!
//! Groups are ordered by their `NET_COST` over the whole window, largest first (ties by their
//! keys), and paged by `limit` and an offset (the marker). Grouping by `RESOURCE` first sums
//! the window by group alone, then reads the periods of only the page's resources.

/// The FOCUS export.
pub mod focus;
/// The forecast.
pub mod forecast;
mod periods;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use scpfm_domain::cost::{Dimension, Granularity};
use scpfm_store::cost::query::{CostCell, CostQuery};
use scpfm_store::cost::Figures;

use crate::{App, AppError};

pub use periods::Period;

/// A cost and usage question, checked.
#[derive(Debug, Clone)]
pub struct CostRequest {
    /// Accounts, dimensions and filters.
    pub query: CostQuery,
    /// How periods are cut.
    pub granularity: Granularity,
    /// First KST day.
    pub start: NaiveDate,
    /// Last KST day (inclusive).
    pub end: NaiveDate,
    /// Groups per page.
    pub limit: usize,
    /// Groups skipped (the marker).
    pub offset: usize,
}

/// Sums of one group (or a total) in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSums {
    /// The group's value per dimension (empty for a total).
    pub keys: Vec<String>,
    /// The sums.
    pub figures: Figures,
    /// The usage unit (`Some("")` without usage, `None` for several units).
    pub unit: Option<String>,
}

/// One period of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSums {
    /// The period.
    pub period: Period,
    /// The page's groups (ordered as the page is).
    pub groups: Vec<GroupSums>,
    /// The period's total over every group (not only the page's).
    pub total: GroupSums,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostAnswer {
    /// Every period of the window, in order.
    pub periods: Vec<PeriodSums>,
    /// Groups in the whole answer.
    pub group_count: usize,
    /// The offset of the next page, if there is one.
    pub next_offset: Option<usize>,
}

/// Net cost in KRW thousandths: what groups are ordered by.
pub fn net_krw(figures: &Figures) -> i64 {
    figures.usage[0] + figures.idle[0] + figures.fee[0] - figures.discount[0]
}

fn add(into: &mut GroupSums, figures: &Figures, unit: &Option<String>) -> Result<(), AppError> {
    into.figures.add(figures)?;
    into.unit = match (into.unit.take(), unit) {
        (Some(mine), Some(theirs)) if mine.is_empty() => Some(theirs.clone()),
        (Some(mine), Some(theirs)) if theirs.is_empty() || mine == *theirs => Some(mine),
        _ => None,
    };
    Ok(())
}

fn empty(keys: Vec<String>) -> GroupSums {
    GroupSums {
        keys,
        figures: Figures::default(),
        unit: Some(String::new()),
    }
}

/// Answers `request`.
pub async fn cost_and_usage(app: &App, request: &CostRequest) -> Result<CostAnswer, AppError> {
    let by_resource = request.query.group_by.contains(&Dimension::Resource);
    let mut query = request.query.clone();
    let (order, group_count, next_offset) = if by_resource {
        let parts = periods::by_months(app, &query, (request.start, request.end), true).await?;
        let (order, count, next) = page(totals_of(&parts)?, request)?;
        let idx = query
            .group_by
            .iter()
            .position(|d| *d == Dimension::Resource)
            .unwrap_or(0);
        let mut ids: Vec<String> = order.iter().map(|keys| keys[idx].clone()).collect();
        ids.sort();
        ids.dedup();
        query.resources = ids;
        (Some(order), count, next)
    } else {
        (None, 0, None)
    };
    let cells = periods::cells(app, &query, request).await?;
    let (order, group_count, next_offset) = match order {
        Some(order) => (order, group_count, next_offset),
        None => page(totals_of(&cells)?, request)?,
    };
    let wanted: HashSet<&[String]> = order.iter().map(Vec::as_slice).collect();
    // The periods' totals cover every group: read apart when the cells hold only the page's.
    let total_cells = if by_resource {
        let mut ungrouped = request.query.clone();
        ungrouped.group_by.clear();
        periods::cells(app, &ungrouped, request).await?
    } else {
        Vec::new()
    };
    let mut totals: HashMap<i64, GroupSums> = HashMap::new();
    for cell in if by_resource { &total_cells } else { &cells } {
        let total = totals
            .entry(cell.period)
            .or_insert_with(|| empty(Vec::new()));
        add(total, &cell.figures, &cell.unit)?;
    }
    let mut groups: HashMap<(i64, &[String]), GroupSums> = HashMap::new();
    for cell in &cells {
        if wanted.contains(cell.keys.as_slice()) {
            add(
                groups
                    .entry((cell.period, &cell.keys))
                    .or_insert_with(|| empty(cell.keys.clone())),
                &cell.figures,
                &cell.unit,
            )?;
        }
    }
    let periods = periods::all(request.granularity, request.start, request.end)
        .into_iter()
        .map(|period| PeriodSums {
            groups: order
                .iter()
                .map(|keys| {
                    groups
                        .remove(&(period.number, keys.as_slice()))
                        .unwrap_or_else(|| empty(keys.clone()))
                })
                .collect(),
            total: totals
                .remove(&period.number)
                .unwrap_or_else(|| empty(Vec::new())),
            period,
        })
        .collect();
    Ok(CostAnswer {
        periods,
        group_count,
        next_offset,
    })
}

/// Each group's sums over the whole window.
fn totals_of(cells: &[CostCell]) -> Result<Vec<CostCell>, AppError> {
    let mut totals: HashMap<&[String], CostCell> = HashMap::new();
    for cell in cells {
        totals
            .entry(&cell.keys)
            .or_insert_with(|| CostCell {
                period: 0,
                keys: cell.keys.clone(),
                figures: Figures::default(),
                unit: None,
            })
            .figures
            .add(&cell.figures)?;
    }
    Ok(totals.into_values().collect())
}

/// A page of groups: their keys in order, the number of groups and the next page's offset.
type Page = (Vec<Vec<String>>, usize, Option<usize>);

/// The page's groups, in order, the number of groups and the next page's offset.
fn page(mut whole: Vec<CostCell>, request: &CostRequest) -> Result<Page, AppError> {
    if request.query.group_by.is_empty() {
        return Ok((Vec::new(), 0, None));
    }
    whole.sort_by(|a, b| {
        net_krw(&b.figures)
            .cmp(&net_krw(&a.figures))
            .then_with(|| a.keys.cmp(&b.keys))
    });
    let count = whole.len();
    let end = request.offset.saturating_add(request.limit).min(count);
    let order = whole
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .map(|cell| cell.keys)
        .collect();
    Ok((order, count, (end < count).then_some(end)))
}
