//! Bills: a month's bill lines (every page of `ListBills`) with every amount category the API
//! returns, totals per category, and the month as CSV (exact decimals) or Excel.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::{Datelike, Months};
use scpfm_api_types::bill::{BillListQuery, BillListResponse, BillResponse};
use serde::Deserialize;

use super::cost::today;
use super::{api_problem, download, render_answer, Chrome, Signed};
use crate::api::{next_marker, ApiFailure};
use crate::bill_lines::{category, MonthBills, CATEGORIES};
use crate::format::{decimal, won};
use crate::Console;

/// `?month=YYYY-MM` (default: this month).
#[derive(Debug, Default, Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
}

/// Reads every line of `month`.
pub async fn month_bills(signed: &Signed, month: &str) -> Result<MonthBills, ApiFailure> {
    let mut lines = Vec::new();
    let mut marker = None;
    loop {
        let query = BillListQuery {
            start_year_month: Some(month.to_owned()),
            end_year_month: Some(month.to_owned()),
            limit: Some(1000),
            marker: marker.take(),
            ..BillListQuery::default()
        };
        let page: BillListResponse = signed.api.get("/v1/bills", &query).await?;
        let done = page.bills.is_empty();
        lines.extend(page.bills);
        marker = next_marker(&page.links);
        if marker.is_none() || done {
            break;
        }
    }
    let totals = (0..CATEGORIES.len())
        .map(|idx| {
            lines
                .iter()
                .map(|bill| decimal(&category(bill, idx).krw))
                .sum()
        })
        .collect();
    let total_usd = lines.iter().map(|bill| decimal(&bill.amounts.usd)).sum();
    Ok(MonthBills {
        month: month.to_owned(),
        lines,
        totals,
        total_usd,
    })
}

#[derive(Template)]
#[template(path = "bills.html")]
struct BillsPage {
    chrome: Chrome,
    bills: MonthBills,
    months: Vec<String>,
    categories: &'static [&'static str],
}

impl BillsPage {
    fn krw(&self, bill: &BillResponse, idx: impl std::borrow::Borrow<usize>) -> String {
        won(decimal(&category(bill, idx).krw))
    }

    fn total(&self, idx: impl std::borrow::Borrow<usize>) -> String {
        won(self
            .bills
            .totals
            .get(*idx.borrow())
            .copied()
            .unwrap_or_default())
    }

    fn total_usd(&self) -> String {
        crate::format::usd(self.bills.total_usd)
    }
}

fn month_of(console: &Console, query: &MonthQuery) -> String {
    match query.month.trim() {
        "" => today(console).format("%Y-%m").to_string(),
        month => month.to_owned(),
    }
}

/// `GET /console/bills?month=YYYY-MM`.
pub async fn page(
    axum::extract::State(console): axum::extract::State<Console>,
    signed: Signed,
    Query(query): Query<MonthQuery>,
) -> Response {
    let month = month_of(&console, &query);
    let lang = signed.lang;
    let this = today(&console)
        .with_day(1)
        .unwrap_or_else(|| today(&console));
    let months = (0..13)
        .filter_map(|back| this.checked_sub_months(Months::new(back)))
        .map(|m| m.format("%Y-%m").to_string())
        .collect();
    let title = format!("{} · {month}", lang.t("nav.bills"));
    let answer = month_bills(&signed, &month).await;
    render_answer(lang, answer, |bills| BillsPage {
        chrome: signed.chrome("nav.bills", &title),
        bills,
        months,
        categories: CATEGORIES,
    })
}

/// `GET /console/bills.csv?month=…`: every line, every category, exact decimals.
pub async fn csv(
    axum::extract::State(console): axum::extract::State<Console>,
    signed: Signed,
    Query(query): Query<MonthQuery>,
) -> Response {
    let month = month_of(&console, &query);
    let file = (format!("bills-{month}.csv"), "text/csv; charset=utf-8");
    month_file(&signed, &month, file, crate::xlsx::bills_csv).await
}

/// `GET /console/bills.xlsx?month=…`.
pub async fn xlsx(
    axum::extract::State(console): axum::extract::State<Console>,
    signed: Signed,
    Query(query): Query<MonthQuery>,
) -> Response {
    let month = month_of(&console, &query);
    let kind = crate::xlsx::CONTENT_TYPE;
    month_file(
        &signed,
        &month,
        (format!("bills-{month}.xlsx"), kind),
        crate::xlsx::bills_xlsx,
    )
    .await
}

/// The month's bills written by `write` as a download named `name`, of type `kind`.
async fn month_file(
    signed: &Signed,
    month: &str,
    (name, kind): (String, &str),
    write: fn(&MonthBills) -> Result<Vec<u8>, String>,
) -> Response {
    match month_bills(signed, month).await {
        Ok(bills) => match write(&bills) {
            Ok(body) => download(kind, &name, body),
            Err(why) => api_problem(signed.lang, &ApiFailure::Broken(why)),
        },
        Err(failure) => api_problem(signed.lang, &failure),
    }
}
