//! Reading the catalogue file (TOML) into a validated [`Catalog`].
//!
//! The file format is documented in `docs/PRICING.md`; `catalog/scp-catalog.toml` is built
//! into the binary as the default. Price groups share fields: `rows` lists FLAT prices by
//! attribute values, `tiers` describes one price. `[price_defaults]` fills fields a group
//! leaves out.

use std::collections::BTreeMap;
use std::path::Path;

use scpfm_domain::catalog::{
    BillingItem, Catalog, CatalogIssue, CatalogSource, OsType, PriceSource, ServerType, Service,
};
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::rating::UsageUnit;
use serde::Deserialize;

/// The catalogue shipped with scpfm (`catalog/scp-catalog.toml`).
pub const BUILT_IN: &str = include_str!("../../../catalog/scp-catalog.toml");

/// Why a catalogue could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file cannot be read.
    #[error("cannot read the catalogue {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The IO error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has fields of the wrong shape.
    #[error("the catalogue is not valid TOML: {0}")]
    Syntax(String),
    /// The catalogue is inconsistent; every problem is listed.
    #[error("the catalogue has {} problem(s):\n  {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Invalid(Vec<CatalogIssue>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCatalog {
    version: String,
    published: String,
    default_usd_rate: String,
    #[serde(default)]
    usd_rates: BTreeMap<String, String>,
    #[serde(default)]
    price_defaults: PriceDefaults,
    #[serde(default)]
    regions: Vec<FileRegion>,
    #[serde(default)]
    services: Vec<FileService>,
    #[serde(default)]
    server_types: Vec<FileServerType>,
    #[serde(default)]
    os_types: Vec<FileOsType>,
    #[serde(default)]
    contract_types: Vec<FileContractType>,
    #[serde(default)]
    billing_items: Vec<FileBillingItem>,
    #[serde(default)]
    prices: Vec<FilePriceGroup>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceDefaults {
    currency: Option<String>,
    price_model: Option<String>,
    proration_rule: Option<String>,
    rounding_rule: Option<String>,
    rounding_position: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRegion {
    id: String,
    display_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileService {
    id: String,
    display_name: String,
    category: String,
    #[serde(default)]
    planned_compute: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServerType {
    id: String,
    service: String,
    family: String,
    core: u32,
    memory_gb: u32,
    gpu_name: Option<String>,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOsType {
    id: String,
    value: String,
    display_name: String,
    services: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileContractType {
    code: String,
    display_name: String,
    years: u32,
    discount_percent: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBillingItem {
    id: String,
    service: String,
    display_name: String,
    category: String,
    ccbs_product_code: String,
    usage_unit: String,
    /// `asset` (the default), `operation`, `option` or `support_plan`.
    bill_component: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePriceGroup {
    billing_item: String,
    offering: String,
    price_unit: String,
    currency: Option<String>,
    price_model: Option<String>,
    proration_rule: Option<String>,
    rounding_rule: Option<String>,
    rounding_position: Option<i64>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    tiers: Option<Vec<FileTier>>,
    rows: Option<Vec<BTreeMap<String, String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTier {
    range_start: String,
    range_end: Option<String>,
    unit_price: String,
    #[serde(default = "zero")]
    base_price: String,
}

fn zero() -> String {
    "0".into()
}

/// Parses catalogue text into its unvalidated source form.
pub fn parse(text: &str) -> Result<CatalogSource, CatalogError> {
    let file: FileCatalog =
        toml::from_str(text).map_err(|error| CatalogError::Syntax(error.to_string()))?;
    let defaults = &file.price_defaults;
    let mut prices = Vec::new();
    for group in &file.prices {
        let base = PriceSource {
            billing_item: group.billing_item.clone(),
            offering: group.offering.clone(),
            attributes: group.attributes.clone(),
            price_model: pick(&group.price_model, &defaults.price_model, "FLAT"),
            price_unit: group.price_unit.clone(),
            currency: pick(&group.currency, &defaults.currency, "KRW"),
            proration_rule: pick(&group.proration_rule, &defaults.proration_rule, "PRORATION"),
            rounding_rule: pick(&group.rounding_rule, &defaults.rounding_rule, "HALF_UP"),
            rounding_position: group
                .rounding_position
                .or(defaults.rounding_position)
                .unwrap_or(3),
            tiers: Vec::new(),
        };
        match (&group.tiers, &group.rows) {
            (Some(tiers), None) => prices.push(PriceSource {
                tiers: tiers
                    .iter()
                    .map(|tier| {
                        (
                            tier.range_start.clone(),
                            tier.range_end.clone(),
                            tier.unit_price.clone(),
                            tier.base_price.clone(),
                        )
                    })
                    .collect(),
                ..base
            }),
            (None, Some(rows)) => {
                for row in rows {
                    let mut attributes = base.attributes.clone();
                    let mut unit_price = String::new();
                    let mut base_price = zero();
                    for (key, value) in row {
                        match key.as_str() {
                            "unit_price" => unit_price = value.clone(),
                            "base_price" => base_price = value.clone(),
                            _ => {
                                attributes.insert(key.clone(), value.clone());
                            }
                        }
                    }
                    prices.push(PriceSource {
                        attributes,
                        tiers: vec![("0".into(), None, unit_price, base_price)],
                        ..base.clone()
                    });
                }
            }
            _ => {
                return Err(CatalogError::Syntax(format!(
                    "the {} {} price group needs exactly one of `tiers` or `rows`",
                    group.billing_item, group.offering
                )))
            }
        }
    }
    Ok(CatalogSource {
        version: file.version,
        published: file.published,
        default_usd_rate: file.default_usd_rate,
        usd_rates: file.usd_rates.into_iter().collect(),
        regions: file
            .regions
            .into_iter()
            .map(|region| (region.id, region.display_name))
            .collect(),
        services: file
            .services
            .into_iter()
            .map(|service| Service {
                id: service.id,
                display_name: service.display_name,
                category: service.category,
                planned_compute: service.planned_compute,
            })
            .collect(),
        server_types: file
            .server_types
            .into_iter()
            .map(|server_type| ServerType {
                id: server_type.id,
                service_id: server_type.service,
                family: server_type.family,
                core: server_type.core,
                memory_gb: server_type.memory_gb,
                gpu_name: server_type.gpu_name,
                description: server_type.description,
            })
            .collect(),
        os_types: file
            .os_types
            .into_iter()
            .map(|os| OsType {
                id: os.id,
                value: os.value,
                display_name: os.display_name,
                services: os.services,
            })
            .collect(),
        contract_types: file
            .contract_types
            .into_iter()
            .map(|contract| {
                (
                    contract.code,
                    contract.display_name,
                    contract.years,
                    contract.discount_percent,
                )
            })
            .collect(),
        billing_items: file
            .billing_items
            .into_iter()
            .map(|item| {
                (
                    BillingItem {
                        id: item.id,
                        display_name: item.display_name,
                        service_id: item.service,
                        category: item.category,
                        ccbs_product_code: item.ccbs_product_code,
                        // Replaced by the parsed values when the catalogue is built.
                        usage_unit: UsageUnit::Count,
                        bill_component: ChargeComponent::Asset,
                    },
                    item.usage_unit,
                    item.bill_component.unwrap_or_else(|| "asset".to_owned()),
                )
            })
            .collect(),
        prices,
    })
}

fn pick(own: &Option<String>, default: &Option<String>, fallback: &str) -> String {
    own.clone()
        .or_else(|| default.clone())
        .unwrap_or_else(|| fallback.to_owned())
}

/// Parses and validates catalogue text.
pub fn from_text(text: &str) -> Result<Catalog, CatalogError> {
    Catalog::build(parse(text)?).map_err(CatalogError::Invalid)
}

/// Loads the catalogue at `path`, or the built-in one.
pub fn load(path: Option<&Path>) -> Result<Catalog, CatalogError> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Read {
                path: path.display().to_string(),
                source,
            })?;
            from_text(&text)
        }
        None => from_text(BUILT_IN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scpfm_domain::catalog::Offering;

    #[test]
    fn the_built_in_catalogue_is_consistent() {
        let catalog = from_text(BUILT_IN).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(catalog.version, "2026.11");
        let listed = catalog.prices.iter().filter(|price| !price.derived).count();
        let derived = catalog.prices.iter().filter(|price| price.derived).count();
        // 32 virtual server and 6 GPU PG prices, each with three contract types.
        assert_eq!(derived, (32 + 6) * 3);
        assert!(listed > 40);
        let vm = catalog
            .price_for("VIRTUAL_SERVER", Offering::PayAsYouGo, |key| match key {
                "server_type" => Some("s1v1m2"),
                "os_type" => Some("OPEN_SOURCE"),
                _ => None,
            })
            .unwrap();
        assert_eq!(vm.rule.tiers.as_slice()[0].unit_price.to_string(), "22.60");
    }

    #[test]
    fn syntax_and_consistency_problems_are_reported() {
        assert!(matches!(
            from_text("version = "),
            Err(CatalogError::Syntax(_))
        ));
        let broken = BUILT_IN.replace(
            "range_start = \"51200\", range_end = \"512000\"",
            "range_start = \"60000\", range_end = \"512000\"",
        );
        match from_text(&broken) {
            Err(CatalogError::Invalid(issues)) => {
                assert!(issues.iter().any(|issue| issue.message.contains("gap")))
            }
            other => panic!("expected a gap to be reported, got {other:?}"),
        }
        let unknown_field = BUILT_IN.replace(
            "planned_compute = true",
            "planned_compute = true\ncolour = \"red\"",
        );
        assert!(matches!(
            from_text(&unknown_field),
            Err(CatalogError::Syntax(_))
        ));
    }
}
