//! Cost and usage on the demo organisation: every closed month's `MONTHLY` net cost equals its
//! bills to the last won, `DAILY` and `HOURLY` sum to it, no grouping changes a total, and
//! adjustments and planned compute land where the bills put them; the forecast's shape.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use scpfm_api_types::bill::BillListQuery;
use scpfm_api_types::common::Amount;
use scpfm_api_types::cost::{CostAndUsageQuery, CostForecastQuery, CostPeriod, Metrics};
use scpfm_client::Client;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{all_bills, demo_account, next_marker, seed_demo, TestApp};

pub const CLOSED: [(&str, &str, &str); 3] = [
    ("2026-08", "2026-08-01", "2026-08-31"),
    ("2026-09", "2026-09-01", "2026-09-30"),
    ("2026-10", "2026-10-01", "2026-10-31"),
];

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn pair(amount: &Option<Amount>) -> (Decimal, Decimal) {
    let amount = amount.as_ref().expect("the metric was asked for");
    (dec(&amount.krw), dec(&amount.usd))
}

fn add(a: (Decimal, Decimal), b: (Decimal, Decimal)) -> (Decimal, Decimal) {
    (a.0 + b.0, a.1 + b.1)
}

const ZERO: (Decimal, Decimal) = (Decimal::ZERO, Decimal::ZERO);

/// The sum of `amounts` of every bill of `month` the client sees.
pub async fn bill_total(client: &Client, month: &str) -> (Decimal, Decimal) {
    let query = BillListQuery {
        bill_year_month: Some(month.into()),
        ..Default::default()
    };
    all_bills(client, &query, 1000)
        .await
        .iter()
        .map(|bill| (dec(&bill.amounts.krw), dec(&bill.amounts.usd)))
        .fold(ZERO, add)
}

/// Every page of a query merged: each period with every group.
async fn cost(
    client: &Client,
    granularity: &str,
    (start, end): (&str, &str),
    group_by: &[&str],
) -> Vec<CostPeriod> {
    let mut marker = None;
    let mut merged: Vec<CostPeriod> = Vec::new();
    loop {
        let page = client
            .cost_and_usage(&CostAndUsageQuery {
                start_date: Some(start.into()),
                end_date: Some(end.into()),
                granularity: Some(granularity.into()),
                group_by: (!group_by.is_empty())
                    .then(|| group_by.iter().map(|g| (*g).to_owned()).collect()),
                metrics: Some(vec![
                    "NET_COST".into(),
                    "LIST_COST".into(),
                    "DISCOUNT".into(),
                    "USAGE_QUANTITY".into(),
                ]),
                limit: Some(7),
                marker: marker.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        if merged.is_empty() {
            merged = page.results;
        } else {
            for (period, more) in merged.iter_mut().zip(page.results) {
                assert_eq!(period.total, more.total, "every page has the same totals");
                period.groups.extend(more.groups);
            }
        }
        marker = next_marker(&page.links);
        if marker.is_none() {
            return merged;
        }
    }
}

fn net(metrics: &Metrics) -> (Decimal, Decimal) {
    pair(&metrics.net_cost)
}

fn total_of(periods: &[CostPeriod]) -> (Decimal, Decimal) {
    periods.iter().map(|p| net(&p.total)).fold(ZERO, add)
}

async fn cost_and_usage_reconciles_with_the_bills(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let payer = app.client(&demo_account(&accounts, "demo-payer"));
    for (month, first, last) in CLOSED {
        let bills = bill_total(&payer, month).await;
        assert!(bills.0 > Decimal::ZERO, "{month} has bills");
        let monthly = cost(&payer, "MONTHLY", (first, last), &[]).await;
        assert_eq!(monthly.len(), 1);
        let total = &monthly[0].total;
        assert_eq!(net(total), bills, "{month}: MONTHLY NET_COST = its bills");
        let (list, discount) = (pair(&total.list_cost), pair(&total.discount));
        assert_eq!((list.0 - discount.0, list.1 - discount.1), bills);
        let daily = cost(&payer, "DAILY", (first, last), &[]).await;
        assert!(daily.len() >= 28);
        assert_eq!(total_of(&daily), bills, "{month}: DAILY sums to MONTHLY");
        for group_by in [
            &["SERVICE_CATEGORY"][..],
            &["TAG:team"],
            &["ACCOUNT", "OFFERING"],
            &["RESOURCE"],
            &["REGION", "TAG:env"],
            &["CONTRACT"],
        ] {
            let grouped = cost(&payer, "DAILY", (first, last), group_by).await;
            assert_eq!(total_of(&grouped), bills, "{month} by {group_by:?}");
            for period in &grouped {
                let groups = period
                    .groups
                    .iter()
                    .map(|g| net(&g.metrics))
                    .fold(ZERO, add);
                assert_eq!(
                    groups,
                    net(&period.total),
                    "{month} {group_by:?}: groups = total"
                );
            }
        }
    }
    // A window cutting months: MONTHLY reads the daily rollup for the partial months.
    let window = ("2026-09-15", "2026-10-10");
    let monthly = cost(&payer, "MONTHLY", window, &["SERVICE_CATEGORY"]).await;
    let daily = cost(&payer, "DAILY", window, &[]).await;
    assert_eq!(monthly.len(), 2);
    assert_eq!(total_of(&monthly), total_of(&daily));
    // Resources are paged by their cost over the window (months less their days outside it).
    let window = ("2026-09-03", "2026-10-30");
    let by_resource = cost(&payer, "DAILY", window, &["RESOURCE"]).await;
    let daily = cost(&payer, "DAILY", window, &[]).await;
    assert_eq!(total_of(&by_resource), total_of(&daily));
    for period in &by_resource {
        let groups = period
            .groups
            .iter()
            .map(|g| net(&g.metrics))
            .fold(ZERO, add);
        assert_eq!(groups, net(&period.total));
    }
    // HOURLY sums to DAILY (discounts land on the month's first hour, as on its first day).
    for day in ["2026-10-01", "2026-10-02"] {
        let hourly = cost(&payer, "HOURLY", (day, day), &["SERVICE_CATEGORY"]).await;
        let daily = cost(&payer, "DAILY", (day, day), &[]).await;
        assert_eq!(hourly.len(), 24);
        assert_eq!(total_of(&hourly), total_of(&daily), "{day}");
    }
    // The open month: what the bills hold so far.
    let november = cost(&payer, "MONTHLY", ("2026-11-01", "2026-11-30"), &[]).await;
    assert_eq!(net(&november[0].total), bill_total(&payer, "2026-11").await);
}

async fn groups_say_where_the_cost_is(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let payer = app.client(&demo_account(&accounts, "demo-payer"));
    let window = ("2026-10-01", "2026-10-31");
    let by_offering = cost(&payer, "MONTHLY", window, &["OFFERING"]).await;
    let offerings: BTreeMap<String, (Decimal, Decimal)> = by_offering[0]
        .groups
        .iter()
        .map(|g| (g.keys[0].clone(), net(&g.metrics)))
        .collect();
    assert!(
        offerings.contains_key("PP"),
        "planned compute hours: {offerings:?}"
    );
    assert!(offerings.contains_key("PG"), "{offerings:?}");
    let by_team = cost(&payer, "MONTHLY", window, &["TAG:team"]).await;
    let teams: Vec<&str> = by_team[0]
        .groups
        .iter()
        .map(|g| g.keys[0].as_str())
        .collect();
    for team in ["web", "data", "platform", ""] {
        assert!(teams.contains(&team), "team {team:?} in {teams:?}");
    }
    let nets: Vec<Decimal> = by_team[0]
        .groups
        .iter()
        .map(|g| net(&g.metrics).0)
        .collect();
    assert!(
        nets.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {nets:?}"
    );
    // A member sees only itself; filters narrow.
    let dev = app.client(&demo_account(&accounts, "demo-dev"));
    let own = cost(&dev, "MONTHLY", window, &["ACCOUNT"]).await;
    assert_eq!(own[0].groups.len(), 1);
    assert_eq!(net(&own[0].total), bill_total(&dev, "2026-10").await);
    let web = payer
        .cost_and_usage(&CostAndUsageQuery {
            start_date: Some(window.0.into()),
            end_date: Some(window.1.into()),
            granularity: Some("MONTHLY".into()),
            tag: Some(vec!["team=web".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let web_group = by_team[0]
        .groups
        .iter()
        .find(|g| g.keys[0] == "web")
        .unwrap();
    assert_eq!(net(&web.results[0].total), net(&web_group.metrics));
    // Quantities keep their unit when one billing item is asked for.
    let hours = cost(&payer, "MONTHLY", window, &["BILLING_ITEM"]).await;
    let vm = hours[0]
        .groups
        .iter()
        .find(|g| g.keys[0] == "VIRTUAL_SERVER")
        .unwrap();
    assert_eq!(vm.metrics.usage_quantity.as_ref().unwrap().unit, "HOUR");
}

async fn the_forecast_predicts_the_month_with_an_interval(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let accounts = seed_demo(&app, false).await;
    let payer = app.client(&demo_account(&accounts, "demo-payer"));
    let answer = payer
        .cost_forecast(&CostForecastQuery {
            start_date: Some("2026-11-20".into()),
            end_date: Some("2026-12-31".into()),
            granularity: Some("MONTHLY".into()),
            group_by: Some(vec!["SERVICE_CATEGORY".into()]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(answer.results.len(), 2);
    assert_eq!(answer.currency, "KRW");
    for period in &answer.results {
        let (lower, mean, upper) = (
            dec(&period.total.lower),
            dec(&period.total.mean),
            dec(&period.total.upper),
        );
        assert!(
            lower <= mean && mean <= upper && mean > Decimal::ZERO,
            "{period:?}"
        );
        assert!(!period.groups.is_empty());
    }
    // December (31 days) forecasts more than the 11 days left of November.
    let november = dec(&answer.results[0].total.mean);
    let december = dec(&answer.results[1].total.mean);
    assert!(december > november * Decimal::TWO, "{november} {december}");
    // Near the daily run-rate of the last weeks.
    let history = cost(&payer, "DAILY", ("2026-11-06", "2026-11-19"), &[]).await;
    let per_day = total_of(&history).0 / Decimal::from(14);
    let ratio = december / (per_day * Decimal::from(31));
    assert!(
        ratio > Decimal::new(7, 1) && ratio < Decimal::new(13, 1),
        "{ratio}"
    );
}

backend_tests!(
    cost_and_usage_reconciles_with_the_bills,
    groups_say_where_the_cost_is,
    the_forecast_predicts_the_month_with_an_interval,
);
