//! Pricing service: billing item ids, offerings, and the price list with its filters and pages.

use std::collections::HashSet;

use scpfm_api_types::pricing::PriceListQuery;
use scpfm_client::Client;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::{error_fields, expect_status, TestApp};

async fn billing_item_ids_and_offerings_come_from_the_catalogue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let ids = client
        .list_billing_item_ids()
        .await
        .unwrap()
        .billing_item_ids;
    assert!(ids.contains(&"VIRTUAL_SERVER".to_owned()) && ids.contains(&"SUPPORT_PLAN".to_owned()));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(
        client.list_offerings().await.unwrap().offerings,
        ["PS", "PP", "PG"]
    );
}

async fn the_price_list_pages_through_every_price_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let everything = client
        .list_prices(&PriceListQuery {
            size: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap();
    let total = everything.count;
    assert_eq!(total, everything.prices.len() as i64);
    assert!(total > 100, "the built-in catalogue lists {total} prices");
    for sort in [
        "billing_item_id:asc",
        "created_at:desc",
        "offering:desc,price_unit:asc",
        "price_model",
    ] {
        let mut seen = HashSet::new();
        let mut pages = 0;
        loop {
            let query = PriceListQuery {
                size: Some(17),
                page: Some(pages),
                sort: Some(sort.into()),
                ..Default::default()
            };
            let page = client.list_prices(&query).await.unwrap();
            assert_eq!((page.count, page.total_pages), (total, (total + 16) / 17));
            if page.prices.is_empty() {
                break;
            }
            for price in page.prices {
                let key = format!(
                    "{}:{}:{:?}",
                    price.billing_item_id, price.offering, price.attributes
                );
                assert!(seen.insert(key), "{sort}: a price appeared twice");
            }
            pages += 1;
        }
        assert_eq!(seen.len() as i64, total, "{sort}");
    }
}

async fn prices_filter_by_billing_item_and_offering(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    let query = PriceListQuery {
        billing_item_id: Some("VIRTUAL_SERVER".into()),
        offering: Some("PG".into()),
        size: Some(100),
        ..Default::default()
    };
    let page = client.list_prices(&query).await.unwrap();
    assert_eq!(page.count, 32, "8 server types × 4 OS types");
    let small = page
        .prices
        .iter()
        .find(|price| {
            price.attributes["server_type"] == "s1v1m2"
                && price.attributes["os_type"] == "OPEN_SOURCE"
        })
        .unwrap();
    assert_eq!(small.prices[0].unit_price, "22.60000000");
    assert_eq!(small.prices[0].range_start.as_deref(), Some("0.00000000"));
    assert_eq!(small.prices[0].range_end, None);
    assert_eq!(
        (small.price_unit.as_str(), small.currency_code.as_str()),
        ("HOUR", "KRW")
    );
    let planned = PriceListQuery {
        billing_item_id: Some("VIRTUAL_SERVER".into()),
        offering: Some("PP".into()),
        ..Default::default()
    };
    assert_eq!(
        client.list_prices(&planned).await.unwrap().count,
        96,
        "32 PG prices × 3 contract types"
    );
    let tiered = PriceListQuery {
        billing_item_id: Some("OBJECT_STORAGE".into()),
        ..Default::default()
    };
    let object = client.list_prices(&tiered).await.unwrap();
    assert_eq!(object.prices[0].price_model, "TIERED");
    assert_eq!(object.prices[0].prices.len(), 3);
    assert_eq!(
        object.prices[0].prices[1].range_start.as_deref(),
        Some("51200.00000000")
    );
}

async fn unknown_filters_and_sorts_are_400s(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = app.client(&app.account("acme").await);
    for (query, field) in [
        (
            PriceListQuery {
                offering: Some("PX".into()),
                ..Default::default()
            },
            "offering",
        ),
        (
            PriceListQuery {
                billing_item_id: Some("NOPE".into()),
                ..Default::default()
            },
            "billing_item_id",
        ),
        (
            PriceListQuery {
                sort: Some("unit_price:asc".into()),
                ..Default::default()
            },
            "sort",
        ),
        (
            PriceListQuery {
                size: Some(0),
                ..Default::default()
            },
            "size",
        ),
    ] {
        let response = expect_status(
            client
                .send(Client::list_prices_call(&query).unwrap())
                .await
                .unwrap(),
            400,
        );
        assert_eq!(error_fields(&response), [field]);
    }
}

backend_tests!(
    billing_item_ids_and_offerings_come_from_the_catalogue,
    the_price_list_pages_through_every_price_once,
    prices_filter_by_billing_item_and_offering,
    unknown_filters_and_sorts_are_400s,
);
