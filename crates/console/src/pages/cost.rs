//! Cost analysis: a date range, a granularity, up to two group-bys (tags included), filters,
//! a metric and a currency — all in the URL, so a view can be shared — answered by
//! `GetCostAndUsage`; drawn as stacked bars (the eight largest groups, the rest as one) over
//! the table of every group of the page with its totals; the CSV is exactly that table.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use scpfm_api_types::cost::{CostAndUsageQuery, CostAndUsageResponse, Metrics};
use serde::{Deserialize, Serialize};

use super::{api_problem, comma_list, download, render, Chrome, Signed};
use crate::api::{next_marker, query_string, ApiFailure};
use crate::chart::{stacked_bars, Series, Unit};
use crate::format::{decimal, kst, kst_date, usd, won};
use crate::Console;

/// The dimensions offered (besides `TAG`, which takes a key).
pub const DIMENSIONS: &[&str] = &[
    "SERVICE_CATEGORY",
    "ACCOUNT",
    "BILLING_ITEM",
    "REGION",
    "RESOURCE",
    "OFFERING",
    "CONTRACT",
    "TAG",
];

/// Groups drawn in the chart; the rest are drawn as one.
const CHART_GROUPS: usize = 8;
/// Groups per page of the table.
const PAGE: i64 = 50;

/// The view, as the URL carries it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct View {
    /// First KST day (default: the month before last's first day).
    pub start: String,
    /// Last KST day (default: today).
    pub end: String,
    /// `DAILY` (default), `MONTHLY` or `HOURLY`.
    pub granularity: String,
    /// First dimension.
    pub group1: String,
    /// Its tag key, when it is `TAG`.
    pub tag1: String,
    /// Second dimension.
    pub group2: String,
    /// Its tag key.
    pub tag2: String,
    /// `NET_COST` (default), `LIST_COST` or `DISCOUNT`.
    pub metric: String,
    /// `KRW` (default) or `USD`.
    pub currency: String,
    /// Filters, comma-separated.
    pub service_category: String,
    /// Regions.
    pub region: String,
    /// Billing items.
    pub billing_item_id: String,
    /// Resources.
    pub resource_id: String,
    /// Tags (`key=value`).
    pub tag: String,
    /// Offerings.
    pub offering: String,
    /// Accounts.
    pub account_id: String,
    /// The page of groups.
    pub marker: String,
}

fn dimension(group: &str, tag: &str) -> Option<String> {
    match group.trim() {
        "" => None,
        "TAG" => Some(format!("TAG:{}", tag.trim())),
        other => Some(other.to_owned()),
    }
}

impl View {
    /// The defaults filled in, for `today` (KST).
    pub fn settled(mut self, today: NaiveDate) -> Self {
        if self.start.is_empty() {
            let first = today.with_day(1).unwrap_or(today);
            let back = first - Duration::days(1);
            self.start = back.with_day(1).unwrap_or(back).to_string();
        }
        if self.end.is_empty() {
            self.end = today.to_string();
        }
        if self.granularity.is_empty() {
            self.granularity = "DAILY".into();
        }
        if self.metric.is_empty() {
            self.metric = "NET_COST".into();
        }
        if self.currency != "USD" {
            self.currency = "KRW".into();
        }
        self
    }

    /// The API's query for this view.
    pub fn query(&self) -> CostAndUsageQuery {
        let group_by: Vec<String> = [
            dimension(&self.group1, &self.tag1),
            dimension(&self.group2, &self.tag2),
        ]
        .into_iter()
        .flatten()
        .collect();
        CostAndUsageQuery {
            start_date: Some(self.start.clone()),
            end_date: Some(self.end.clone()),
            granularity: Some(self.granularity.clone()),
            group_by: (!group_by.is_empty()).then_some(group_by),
            metrics: Some(vec![self.metric.clone()]),
            account_id: comma_list(&self.account_id),
            service_category: comma_list(&self.service_category),
            billing_item_id: comma_list(&self.billing_item_id),
            region: comma_list(&self.region),
            resource_id: comma_list(&self.resource_id),
            tag: comma_list(&self.tag),
            offering: comma_list(&self.offering),
            limit: Some(PAGE),
            marker: (!self.marker.is_empty()).then(|| self.marker.clone()),
        }
    }
}

/// The metric of `metrics` the view shows, in its currency.
pub fn value(metrics: &Metrics, metric: &str, currency: &str) -> Decimal {
    let amount = match metric {
        "LIST_COST" => metrics.list_cost.as_ref(),
        "DISCOUNT" => metrics.discount.as_ref(),
        _ => metrics.net_cost.as_ref(),
    };
    amount.map_or(Decimal::ZERO, |amount| match currency {
        "USD" => decimal(&amount.usd),
        _ => decimal(&amount.krw),
    })
}

/// A period's label: `2026-10`, `10-05` or `10-05 13:00`.
pub fn period_label(granularity: &str, start: &str) -> String {
    match (granularity, kst_date(start)) {
        ("MONTHLY", Some(date)) => date.format("%Y-%m").to_string(),
        ("DAILY", Some(date)) => date.format("%m-%d").to_string(),
        _ => kst(start).get(5..).unwrap_or_default().to_owned(),
    }
}

/// The answer as a table: groups (rows) × periods (columns), totals.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Period labels.
    pub periods: Vec<String>,
    /// Each group: its name and a value per period, and its total.
    pub rows: Vec<(String, Vec<Decimal>, Decimal)>,
    /// Each period's total (every group, not only the page's) and the grand total.
    pub totals: (Vec<Decimal>, Decimal),
}

/// Reads `answer` as a table of `metric` in `currency`.
pub fn table(answer: &CostAndUsageResponse, metric: &str, currency: &str) -> Table {
    let periods: Vec<String> = answer
        .results
        .iter()
        .map(|period| period_label(&answer.granularity, &period.period_start))
        .collect();
    let mut rows: Vec<(String, Vec<Decimal>, Decimal)> = Vec::new();
    for (idx, period) in answer.results.iter().enumerate() {
        for (row, group) in period.groups.iter().enumerate() {
            if rows.len() <= row {
                let name = group
                    .keys
                    .iter()
                    .map(|k| if k.is_empty() { "(none)" } else { k })
                    .collect::<Vec<_>>()
                    .join(" / ");
                rows.push((name, vec![Decimal::ZERO; periods.len()], Decimal::ZERO));
            }
            let cell = value(&group.metrics, metric, currency);
            rows[row].1[idx] = cell;
            rows[row].2 += cell;
        }
    }
    let column: Vec<Decimal> = answer
        .results
        .iter()
        .map(|period| value(&period.total, metric, currency))
        .collect();
    let grand = column.iter().sum();
    Table {
        periods,
        rows,
        totals: (column, grand),
    }
}

/// The chart of a table: the largest groups stacked, the rest as one; no groups: the totals.
pub fn chart(caption: &str, table: &Table, others: &str, total: &str) -> String {
    let series: Vec<Series> = if table.rows.is_empty() {
        vec![Series {
            name: total.to_owned(),
            values: table.totals.0.iter().copied().map(Some).collect(),
        }]
    } else {
        let mut series: Vec<Series> = table
            .rows
            .iter()
            .take(CHART_GROUPS)
            .map(|(name, values, _)| Series {
                name: name.clone(),
                values: values.iter().copied().map(Some).collect(),
            })
            .collect();
        let shown: Vec<Decimal> = (0..table.periods.len())
            .map(|idx| series.iter().filter_map(|s| s.values[idx]).sum())
            .collect();
        let rest: Vec<Option<Decimal>> = table
            .totals
            .0
            .iter()
            .zip(shown)
            .map(|(total, shown)| Some(*total - shown))
            .collect();
        if rest.iter().flatten().any(|value| !value.is_zero()) {
            series.push(Series {
                name: others.to_owned(),
                values: rest,
            });
        }
        series
    };
    stacked_bars(caption, &table.periods, &series, Unit::Won)
}

#[derive(Template)]
#[template(path = "cost.html")]
struct CostPage {
    chrome: Chrome,
    view: View,
    dimensions: &'static [&'static str],
    chart: String,
    table: Table,
    group_count: i64,
    next: Option<String>,
    csv_link: String,
    problem: Option<String>,
}

impl CostPage {
    fn money(&self, value: &Decimal) -> String {
        match self.view.currency.as_str() {
            "USD" => usd(*value),
            _ => won(*value),
        }
    }
}

async fn answer(signed: &Signed, view: &View) -> Result<CostAndUsageResponse, ApiFailure> {
    signed.api.get("/v1/cost-and-usage", &view.query()).await
}

/// `GET /console/cost`.
pub async fn page(
    axum::extract::State(console): axum::extract::State<Console>,
    signed: Signed,
    Query(view): Query<View>,
) -> Response {
    let view = view.settled(today(&console));
    let lang = signed.lang;
    let mut page = CostPage {
        chrome: signed.chrome("nav.cost", lang.t("nav.cost")),
        csv_link: format!("/console/cost.csv?{}", query_string(&view)),
        view,
        dimensions: DIMENSIONS,
        chart: String::new(),
        table: Table::default(),
        group_count: 0,
        next: None,
        problem: None,
    };
    match answer(&signed, &page.view).await {
        Ok(answer) => {
            page.table = table(&answer, &page.view.metric, &page.view.currency);
            page.chart = chart(lang.t("nav.cost"), &page.table, "Others", lang.t("total"));
            page.group_count = answer.count;
            page.next = next_marker(&answer.links).map(|marker| {
                let next = View {
                    marker,
                    ..page.view.clone()
                };
                format!("/console/cost?{}", query_string(&next))
            });
        }
        Err(failure @ ApiFailure::Refused { .. }) => page.problem = Some(failure.detail()),
        Err(failure) => return api_problem(lang, &failure),
    }
    render(lang, &page)
}

/// `GET /console/cost.csv`: the table shown, exact decimals.
pub async fn csv(
    axum::extract::State(console): axum::extract::State<Console>,
    signed: Signed,
    Query(view): Query<View>,
) -> Response {
    let view = view.settled(today(&console));
    let answer = match answer(&signed, &view).await {
        Ok(answer) => answer,
        Err(failure) => return api_problem(signed.lang, &failure),
    };
    let table = table(&answer, &view.metric, &view.currency);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["group".to_owned()];
    header.extend(table.periods.iter().cloned());
    header.push("total".into());
    let mut rows = vec![header];
    for (name, values, total) in &table.rows {
        let mut row = vec![name.clone()];
        row.extend(values.iter().map(Decimal::to_string));
        row.push(total.to_string());
        rows.push(row);
    }
    let mut totals = vec!["TOTAL".to_owned()];
    totals.extend(table.totals.0.iter().map(Decimal::to_string));
    totals.push(table.totals.1.to_string());
    rows.push(totals);
    for row in rows {
        if out.write_record(&row).is_err() {
            return api_problem(signed.lang, &ApiFailure::Broken("writing CSV".into()));
        }
    }
    let body = out.into_inner().unwrap_or_default();
    let name = format!(
        "cost-{}-{}-{}.csv",
        view.start,
        view.end,
        view.metric.to_lowercase()
    );
    download("text/csv; charset=utf-8", &name, body)
}

/// Today in KST, by the server's clock.
pub fn today(console: &Console) -> NaiveDate {
    scpfm_domain::month::kst_date(console.state.clock.now())
}
