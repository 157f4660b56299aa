//! A budget's month-end forecast is the cost forecast model's (weekday-aware), not the
//! run-rate: an account that spends on weekdays only is forecast to spend nothing on the
//! month's remaining weekends.

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use scpfm_api_types::cost::CostAndUsageQuery;
use scpfm_domain::forecast::{Model, WINDOW_DAYS};
use scpfm_testkit::{backend_tests, Backend};
use serde_json::json;

use crate::helpers::{create_budget_from, vm_hour, TestApp};

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn a_budget_is_forecast_by_the_cost_model(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client(&app.admin("ops").await);
    let account = app.account("acme").await;
    let client = app.client(&account);
    // Today is Friday 2026-11-20, 12:00 KST: eight VM hours every weekday of the four weeks
    // before, four so far today.
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let mut records = Vec::new();
    for back in 1..=28 {
        let day = today - Duration::days(back);
        if day.weekday().number_from_monday() <= 5 {
            for hour in 0..8 {
                records.push(vm_hour(&account, "vm", &format!("{day}T{hour:02}:00:00")));
            }
        }
    }
    for hour in 0..4 {
        records.push(vm_hour(&account, "vm", &format!("{today}T{hour:02}:00:00")));
    }
    admin.ingest_usage(&records).await.unwrap();
    let id = create_budget_from(
        &client,
        json!({"name": "weekdays", "amount": 100000, "unit": "MONTHLY", "start_month": "2026-11",
               "notifications": {"is_use_notification": false},
               "prevention": {"is_use_prevention": false}}),
    )
    .await;
    let status = client.budget_status(&id).await.unwrap().status;

    // The model over the account's daily cost before today, as CostExplorer reads it.
    let first = today - Duration::days(WINDOW_DAYS as i64);
    let answer = client
        .cost_and_usage(&CostAndUsageQuery {
            start_date: Some(first.to_string()),
            end_date: Some(today.to_string()),
            granularity: Some("DAILY".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut daily: Vec<Decimal> = answer
        .results
        .iter()
        .map(|period| dec(&period.total.net_cost.as_ref().unwrap().krw))
        .collect();
    let today_so_far = daily.pop().unwrap();
    assert_eq!(daily.len(), WINDOW_DAYS);
    let rest = Model::fit(&daily, today)
        .still_to_come(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), today_so_far);
    let cost = dec(&status.cost);
    let expected = (cost + rest).round();
    assert_eq!(dec(status.forecast.as_deref().unwrap()), expected);

    // Not the run-rate (19.5 of 30 days passed): the weekends ahead cost nothing.
    let run_rate = (cost * Decimal::from(30) / Decimal::new(195, 1)).round();
    assert!(expected < run_rate, "{expected} vs run-rate {run_rate}");
    // Six weekdays and the rest of today remain: about 6.5 weekdays of 8 hours.
    let weekday = Decimal::new(1808, 1);
    assert!(
        (rest - weekday * Decimal::new(65, 1)).abs() < weekday,
        "{rest}"
    );
}

backend_tests!(a_budget_is_forecast_by_the_cost_model);
