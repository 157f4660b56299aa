//! The catalogue's rules, case by case.

use super::model::*;
use super::*;
use crate::component::ChargeComponent;
use crate::rating::UsageUnit;
use rust_decimal::Decimal;

fn price(
    item: &str,
    offering: &str,
    attributes: &[(&str, &str)],
    tiers: Vec<(&str, Option<&str>, &str)>,
) -> PriceSource {
    PriceSource {
        billing_item: item.into(),
        offering: offering.into(),
        attributes: attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        price_model: if tiers.len() > 1 {
            "TIERED".into()
        } else {
            "FLAT".into()
        },
        price_unit: "HOUR".into(),
        currency: "KRW".into(),
        proration_rule: "PRORATION".into(),
        rounding_rule: "HALF_UP".into(),
        rounding_position: 3,
        tiers: tiers
            .into_iter()
            .map(|(start, end, unit)| {
                (
                    start.to_owned(),
                    end.map(str::to_owned),
                    unit.to_owned(),
                    "0".to_owned(),
                )
            })
            .collect(),
    }
}

fn source() -> CatalogSource {
    CatalogSource {
        version: "test".into(),
        published: "2026-11-01".into(),
        default_usd_rate: "1380".into(),
        usd_rates: vec![("2026-10".into(), "1400".into())],
        regions: vec![("kr-west1".into(), "Korea West 1".into())],
        services: vec![Service {
            id: "VIRTUAL_SERVER".into(),
            display_name: "Virtual Server".into(),
            category: "COMPUTE".into(),
            planned_compute: true,
        }],
        server_types: vec![ServerType {
            id: "s1v1m2".into(),
            service_id: "VIRTUAL_SERVER".into(),
            family: "s1".into(),
            core: 1,
            memory_gb: 2,
            gpu_name: None,
            description: String::new(),
        }],
        os_types: vec![OsType {
            id: "OPEN_SOURCE".into(),
            value: "opensource".into(),
            display_name: "Open Source".into(),
            services: vec!["VIRTUAL_SERVER".into()],
        }],
        contract_types: vec![("01".into(), "1-year".into(), 1, "30".into())],
        billing_items: vec![(
            BillingItem {
                id: "VIRTUAL_SERVER".into(),
                display_name: "Virtual Server".into(),
                service_id: "VIRTUAL_SERVER".into(),
                category: "COMPUTE".into(),
                ccbs_product_code: "PD00013862".into(),
                usage_unit: UsageUnit::Hour,
                bill_component: ChargeComponent::Asset,
            },
            "HOUR".into(),
            "asset".into(),
        )],
        prices: vec![price(
            "VIRTUAL_SERVER",
            "PG",
            &[("server_type", "s1v1m2"), ("os_type", "OPEN_SOURCE")],
            vec![("0", None, "22.60")],
        )],
    }
}

#[test]
fn a_consistent_catalogue_builds_and_derives_planned_compute_prices() {
    let catalog = Catalog::build(source()).unwrap();
    let attributes = |key: &str| match key {
        "server_type" => Some("s1v1m2"),
        "os_type" => Some("OPEN_SOURCE"),
        "contract_type" => Some("01"),
        _ => None,
    };
    let pg = catalog
        .price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, attributes)
        .unwrap();
    assert_eq!(
        pg.id,
        "VIRTUAL_SERVER:PG:os_type=OPEN_SOURCE,server_type=s1v1m2"
    );
    let pp = catalog
        .price_for("VIRTUAL_SERVER", Offering::PlannedCompute, attributes)
        .unwrap();
    assert!(pp.derived);
    assert_eq!(
        pp.rule.tiers.as_slice()[0].unit_price,
        "15.82".parse().unwrap()
    ); // 22.60 × 0.70
    assert_eq!(
        catalog.usd_rate("2026-10".parse().unwrap()).krw_per_usd(),
        Decimal::from(1400)
    );
    assert_eq!(
        catalog.usd_rate("2026-11".parse().unwrap()).krw_per_usd(),
        Decimal::from(1380)
    );
}

#[test]
fn lookups_explain_what_is_missing() {
    let catalog = Catalog::build(source()).unwrap();
    let none = |_: &str| None;
    assert!(matches!(
        catalog.price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, none),
        Err(PriceLookupError::MissingAttribute { .. })
    ));
    let other = |key: &str| {
        if key == "server_type" {
            Some("x9")
        } else {
            Some("OPEN_SOURCE")
        }
    };
    assert!(matches!(
        catalog.price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, other),
        Err(PriceLookupError::NoMatch { .. })
    ));
    assert!(matches!(
        catalog.price_for("NOPE", Offering::PayAsYouGo, none),
        Err(PriceLookupError::UnknownBillingItem(_))
    ));
    assert!(matches!(
        catalog.price_for("VIRTUAL_SERVER", Offering::Subscription, none),
        Err(PriceLookupError::NoPrices { .. })
    ));
}

#[test]
fn every_inconsistency_is_reported() {
    let mut broken = source();
    broken.services.push(broken.services[0].clone());
    broken.server_types[0].service_id = "NOPE".into();
    broken.default_usd_rate = "0".into();
    broken.prices.push(price(
        "VIRTUAL_SERVER",
        "PG",
        &[("server_type", "s1v1m2")],
        vec![("0", Some("5"), "1"), ("6", None, "1")],
    ));
    broken
        .prices
        .push(price("MISSING", "XX", &[], vec![("0", None, "1")]));
    broken.prices.push(price(
        "VIRTUAL_SERVER",
        "PG",
        &[("server_type", "s9"), ("os_type", "OPEN_SOURCE")],
        vec![("0", None, "1")],
    ));
    broken.prices[0].rounding_position = 8;
    let issues = Catalog::build(broken).unwrap_err();
    let text: Vec<String> = issues.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|line| line.contains(needle));
    assert!(has("services[VIRTUAL_SERVER]: defined twice"), "{text:#?}");
    assert!(has("unknown service NOPE"), "{text:#?}");
    assert!(has("default_usd_rate: must be positive"), "{text:#?}");
    assert!(has("leave a gap"), "{text:#?}");
    assert!(has("unknown billing item \"MISSING\""), "{text:#?}");
    assert!(has("unknown offering \"XX\""), "{text:#?}");
    assert!(has("unknown server_type \"s9\""), "{text:#?}");
    assert!(has("rounding_position must be 0..=3"), "{text:#?}");
}

#[test]
fn every_server_type_and_os_needs_a_pay_as_you_go_price() {
    let mut incomplete = source();
    let mut bigger = incomplete.server_types[0].clone();
    bigger.id = "s1v2m4".into();
    incomplete.server_types.push(bigger);
    let issues = Catalog::build(incomplete).unwrap_err();
    assert_eq!(
        issues.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["billing_items[VIRTUAL_SERVER]: no PG price for server_type s1v2m4 with os_type OPEN_SOURCE"]
    );
}

#[test]
fn prices_of_one_table_share_their_attribute_keys() {
    let mut mixed = source();
    mixed.prices.push(price(
        "VIRTUAL_SERVER",
        "PG",
        &[("region", "kr-west1")],
        vec![("0", None, "1")],
    ));
    let issues = Catalog::build(mixed).unwrap_err();
    assert!(
        issues
            .iter()
            .any(|issue| issue.message.contains("keyed by the same attributes")),
        "{issues:#?}"
    );
}
