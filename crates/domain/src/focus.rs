//! The FinOps Open Cost and Usage Specification (FOCUS): how scpfm's cost becomes FOCUS rows,
//! in version 1.2 (the default) or 1.0.
//!
//! One [`CostLine`] — an account's cost of one day and cost key (resource, billing item,
//! region, offering, contract, tags) — gives up to four rows, one per kind of charge:
//! - **usage** (`ChargeCategory` Usage): rated usage; covered planned compute hours (PP) carry
//!   the contract as a used commitment discount (`PricingCategory` Committed);
//! - **idle** (Usage): contract hours that covered nothing — the unused commitment;
//! - **fee** (Adjustment, One-Time): a cancellation fee;
//! - **credit** (Credit): the account-month's discounts, savings and credits on the line,
//!   as a negative `BilledCost`/`EffectiveCost` with zero `ListCost`/`ContractedCost`.
//!
//! So the `BilledCost` of a billing period sums to the month's bills (`amounts`) exactly.
//! SCP's service categories map to FOCUS's by [`SERVICE_CATEGORIES`] (documented in
//! `docs/FOCUS.md`). Amounts are KRW (the bills' currency), with three decimals.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalog::Catalog;
use crate::month::{kst_midnight, YearMonth};
use crate::tags::TagSet;

/// A FOCUS version scpfm writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusVersion {
    /// FOCUS 1.0 (what the FinOps Foundation's focus-validator 1.0.0 checks).
    V1_0,
    /// FOCUS 1.2.
    V1_2,
}

impl crate::code::Code for FocusVersion {
    fn all() -> &'static [Self] {
        &[Self::V1_2, Self::V1_0]
    }

    fn code(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V1_2 => "1.2",
        }
    }
}

/// SCP service categories and the FOCUS `ServiceCategory` each maps to (anything else:
/// `Other`).
pub const SERVICE_CATEGORIES: [(&str, &str); 12] = [
    ("COMPUTE", "Compute"),
    ("CONTAINER", "Compute"),
    ("STORAGE", "Storage"),
    ("DATABASE", "Databases"),
    ("NETWORKING", "Networking"),
    ("MANAGEMENT", "Management and Governance"),
    ("SECURITY", "Security"),
    ("ANALYTICS", "Analytics"),
    ("AI_ML", "AI and Machine Learning"),
    ("APPLICATION_SERVICE", "Integration"),
    ("DEVELOPER_TOOLS", "Developer Tools"),
    ("MEDIA", "Media"),
];

/// The FOCUS `ServiceCategory` of an SCP service category.
pub fn service_category(scp: &str) -> &'static str {
    SERVICE_CATEGORIES
        .iter()
        .find(|(name, _)| *name == scp)
        .map_or("Other", |(_, focus)| focus)
}

/// Who issues the bills and provides the services.
pub const PROVIDER: &str = "Samsung Cloud Platform";

/// An account's cost of one day and cost key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    /// The account that used it.
    pub account_id: String,
    /// Its name.
    pub account_name: String,
    /// The account billed: its payer for a member, else itself.
    pub billing_account_id: String,
    /// That account's name.
    pub billing_account_name: String,
    /// The KST day.
    pub day: NaiveDate,
    /// Resource id.
    pub resource_id: String,
    /// Resource name.
    pub resource_name: String,
    /// Billing item.
    pub billing_item_id: String,
    /// SCP service category.
    pub service_category: String,
    /// Region.
    pub region: String,
    /// Offering code (PG, PP, PS; empty when unknown).
    pub offering: String,
    /// Planned compute contract (empty for none).
    pub contract_id: String,
    /// Tags.
    pub tags: TagSet,
    /// Usage unit code (empty for charges that are not usage).
    pub unit: String,
    /// Usage quantity.
    pub quantity: Decimal,
    /// Rated usage (KRW).
    pub usage: Decimal,
    /// Unused planned compute hours: how many…
    pub idle_hours: Decimal,
    /// …and their charge (KRW).
    pub idle: Decimal,
    /// Other charges that are not usage (KRW).
    pub fee: Decimal,
    /// Discounts (KRW, positive).
    pub discount: Decimal,
}

/// One FOCUS row, every column as text (empty for null), in [`columns`] order.
pub type FocusRow = Vec<String>;

const COLUMNS_1_2: [&str; 47] = [
    "AvailabilityZone",
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingAccountType",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "CommitmentDiscountCategory",
    "CommitmentDiscountId",
    "CommitmentDiscountName",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountStatus",
    "CommitmentDiscountType",
    "CommitmentDiscountUnit",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingCurrency",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "RegionName",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "SkuId",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
];

/// Columns FOCUS 1.2 has and 1.0 lacks.
const ONLY_1_2: [&str; 4] = [
    "BillingAccountType",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountUnit",
    "PricingCurrency",
];

/// The names focus-validator 1.0.0's rule set still uses for five 1.0 columns (the
/// specification's pre-release names); a 1.0 file carries both, so the specification's
/// readers and the validator each find theirs.
const VALIDATOR_1_0_ALIASES: [(&str, &str); 5] = [
    ("ChargeCategory", "ChargeType"),
    ("InvoiceIssuerName", "InvoiceIssuer"),
    ("ProviderName", "Provider"),
    ("PublisherName", "Publisher"),
    ("ResourceId", "ResourceID"),
];

/// The columns of `version`, in file order.
pub fn columns(version: FocusVersion) -> Vec<&'static str> {
    match version {
        FocusVersion::V1_2 => COLUMNS_1_2.to_vec(),
        FocusVersion::V1_0 => {
            let mut columns: Vec<&str> = COLUMNS_1_2
                .iter()
                .copied()
                .filter(|column| !ONLY_1_2.contains(column))
                .collect();
            columns.extend(VALIDATOR_1_0_ALIASES.iter().map(|(_, alias)| *alias));
            columns
        }
    }
}

/// A UTC instant as FOCUS writes it.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The billing period (the KST month) as UTC instants.
pub fn billing_period(month: YearMonth) -> (String, String) {
    (
        instant(kst_midnight(month.first_day())),
        instant(kst_midnight(month.next().first_day())),
    )
}

fn money(amount: Decimal) -> String {
    amount.round_dp(3).to_string()
}

fn quantity(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// FOCUS's unit name for an SCP usage unit.
pub fn pricing_unit(unit: &str) -> &'static str {
    match unit {
        "HOUR" => "Hours",
        "GB_HOUR" => "GB-Hours",
        "GB" => "GB",
        "COUNT" => "Count",
        "MONTH" => "Months",
        _ => "",
    }
}

/// The kinds of row one line gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Usage,
    Idle,
    Fee,
    Credit,
}

/// The FOCUS rows of `line`, for `version`, in [`columns`] order.
pub fn rows(catalog: &Catalog, line: &CostLine, version: FocusVersion) -> Vec<FocusRow> {
    let mut out = Vec::new();
    let kinds = [
        (
            Kind::Usage,
            !line.usage.is_zero() || !line.quantity.is_zero(),
        ),
        (Kind::Idle, !line.idle.is_zero()),
        (Kind::Fee, !line.fee.is_zero()),
        (Kind::Credit, !line.discount.is_zero()),
    ];
    for (kind, present) in kinds {
        if present {
            let values = row_values(catalog, line, kind);
            out.push(
                columns(version)
                    .iter()
                    .map(|column| value_of(&values, column))
                    .collect(),
            );
        }
    }
    out
}

/// One row's values by column name.
type Values = Vec<(&'static str, String)>;

fn value_of(values: &Values, column: &str) -> String {
    let column = VALIDATOR_1_0_ALIASES
        .iter()
        .find(|(_, alias)| *alias == column)
        .map_or(column, |(name, _)| name);
    values
        .iter()
        .find(|(name, _)| *name == column)
        .map(|(_, value)| value.clone())
        .unwrap_or_default()
}

fn row_values(catalog: &Catalog, line: &CostLine, kind: Kind) -> Values {
    let month = YearMonth::of(line.day);
    let (period_start, period_end) = billing_period(month);
    let item = catalog.billing_item(&line.billing_item_id);
    let service_name = item
        .and_then(|item| catalog.service(&item.service_id))
        .map_or_else(
            || line.billing_item_id.clone(),
            |service| service.display_name.clone(),
        );
    let item_name = item.map_or(line.billing_item_id.as_str(), |item| {
        item.display_name.as_str()
    });
    let committed = line.offering == "PP" && !line.contract_id.is_empty();
    let (billed, list) = match kind {
        Kind::Usage => (line.usage, line.usage),
        Kind::Idle => (line.idle, line.idle),
        Kind::Fee => (line.fee, line.fee),
        Kind::Credit => (-line.discount, Decimal::ZERO),
    };
    let (category, frequency, description) = match kind {
        Kind::Usage => (
            "Usage",
            if line.offering == "PS" {
                "Recurring"
            } else {
                "Usage-Based"
            },
            format!("{item_name} usage ({})", offering_name(&line.offering)),
        ),
        Kind::Idle => (
            "Usage",
            "Recurring",
            format!("{item_name} planned compute hours that covered no usage"),
        ),
        Kind::Fee => (
            "Adjustment",
            "One-Time",
            format!("{item_name} planned compute cancellation fee"),
        ),
        Kind::Credit => (
            "Credit",
            "Recurring",
            format!("{item_name} discounts, savings and credits of {month}"),
        ),
    };
    let usage_row = kind == Kind::Usage;
    let unit = pricing_unit(&line.unit);
    let priced = match kind {
        Kind::Usage => Some((line.usage, line.quantity)),
        Kind::Idle => Some((line.idle, line.idle_hours)),
        _ => None,
    };
    let unit_price = priced
        .filter(|(_, qty)| !qty.is_zero())
        .map(|(amount, qty)| {
            (amount / qty)
                .round_dp_with_strategy(9, RoundingStrategy::MidpointNearestEven)
                .normalize()
                .to_string()
        });
    let commitment = (committed && matches!(kind, Kind::Usage | Kind::Idle)).then(|| {
        if kind == Kind::Idle {
            "Unused"
        } else {
            "Used"
        }
    });
    let text = |value: &str| value.to_owned();
    let start = kst_midnight(line.day);
    let end = kst_midnight(line.day.succ_opt().unwrap_or(line.day));
    let mut values: Values = vec![
        ("BilledCost", money(billed)),
        ("BillingAccountId", text(&line.billing_account_id)),
        ("BillingAccountName", text(&line.billing_account_name)),
        ("BillingAccountType", text("Billing Account")),
        ("BillingCurrency", text("KRW")),
        ("BillingPeriodEnd", period_end),
        ("BillingPeriodStart", period_start),
        ("ChargeCategory", text(category)),
        ("ChargeDescription", description),
        ("ChargeFrequency", text(frequency)),
        ("ChargePeriodEnd", instant(end)),
        ("ChargePeriodStart", instant(start)),
        ("ContractedCost", money(list)),
        ("EffectiveCost", money(billed)),
        ("InvoiceIssuerName", text(PROVIDER)),
        ("ListCost", money(list)),
        ("ProviderName", text(PROVIDER)),
        ("PublisherName", text(PROVIDER)),
        ("RegionId", text(&line.region)),
        ("RegionName", text(&line.region)),
        ("ResourceId", text(&line.resource_id)),
        ("ResourceName", text(&line.resource_name)),
        (
            "ServiceCategory",
            text(service_category(&line.service_category)),
        ),
        ("ServiceName", service_name),
        ("SkuId", text(&line.billing_item_id)),
        (
            "SkuPriceId",
            format!("{}:{}", line.billing_item_id, line.offering),
        ),
        ("SubAccountId", text(&line.account_id)),
        ("SubAccountName", text(&line.account_name)),
        ("Tags", tags_json(&line.tags)),
    ];
    if usage_row {
        let quantity = quantity(line.quantity);
        values.extend([
            ("ConsumedQuantity", quantity.clone()),
            ("ConsumedUnit", text(unit)),
            ("PricingQuantity", quantity),
            ("PricingUnit", text(unit)),
        ]);
    }
    if kind == Kind::Idle {
        // Unused commitment: priced by the hour, nothing consumed.
        values.extend([
            ("PricingQuantity", quantity(line.idle_hours)),
            ("PricingUnit", text("Hours")),
        ]);
    }
    if let Some(price) = unit_price {
        values.push(("ListUnitPrice", price.clone()));
        values.push(("ContractedUnitPrice", price));
    }
    if matches!(kind, Kind::Usage | Kind::Idle) {
        let pricing = if committed { "Committed" } else { "Standard" };
        values.extend([
            ("PricingCategory", text(pricing)),
            ("PricingCurrency", text("KRW")),
            ("ResourceType", text(item_name)),
        ]);
    }
    if let Some(status) = commitment {
        values.extend([
            ("CommitmentDiscountCategory", text("Usage")),
            ("CommitmentDiscountId", text(&line.contract_id)),
            ("CommitmentDiscountName", text(&line.contract_id)),
            ("CommitmentDiscountStatus", text(status)),
            ("CommitmentDiscountType", text("Planned Compute")),
        ]);
        let hours = if usage_row {
            line.quantity
        } else {
            line.idle_hours
        };
        values.push(("CommitmentDiscountQuantity", quantity(hours)));
        values.push(("CommitmentDiscountUnit", text("Hours")));
    }
    values
}

fn offering_name(code: &str) -> &'static str {
    match code {
        "PG" => "pay as you go",
        "PP" => "planned compute",
        "PS" => "subscription",
        _ => "usage",
    }
}

/// Tags as a JSON object. Tag keys and values hold only letters, digits, spaces and
/// `_ . : / = + - @` (see [`crate::tags`]), nothing JSON must escape.
pub fn tags_json(tags: &TagSet) -> String {
    let pairs: Vec<String> = tags
        .iter()
        .map(|(key, value)| format!("\"{key}\":\"{value}\""))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::ExchangeRate;

    fn line() -> CostLine {
        CostLine {
            account_id: "a".into(),
            account_name: "web".into(),
            billing_account_id: "p".into(),
            billing_account_name: "payer".into(),
            day: "2026-10-05".parse().unwrap(),
            resource_id: "vm-1".into(),
            resource_name: "vm one".into(),
            billing_item_id: "VIRTUAL_SERVER".into(),
            service_category: "COMPUTE".into(),
            region: "kr-west1".into(),
            offering: "PP".into(),
            contract_id: "c-1".into(),
            tags: TagSet::from_stored([("team".into(), "web".into())]),
            unit: "HOUR".into(),
            quantity: Decimal::from(24),
            usage: Decimal::new(2_400_500, 3),
            idle_hours: Decimal::ZERO,
            idle: Decimal::ZERO,
            fee: Decimal::ZERO,
            discount: Decimal::new(100, 0),
        }
    }

    fn column(version: FocusVersion, row: &FocusRow, name: &str) -> String {
        let idx = columns(version).iter().position(|c| *c == name).unwrap();
        row[idx].clone()
    }

    #[test]
    fn a_line_gives_a_usage_row_and_a_credit_row_that_sum_to_its_net() {
        let catalog = Catalog::without_prices(ExchangeRate::new(Decimal::from(1400)).unwrap());
        let version = FocusVersion::V1_2;
        let rows = rows(&catalog, &line(), version);
        assert_eq!(rows.len(), 2);
        let billed: Decimal = rows
            .iter()
            .map(|row| {
                column(version, row, "BilledCost")
                    .parse::<Decimal>()
                    .unwrap()
            })
            .sum();
        assert_eq!(billed, Decimal::new(2_300_500, 3));
        assert_eq!(
            column(version, &rows[0], "CommitmentDiscountStatus"),
            "Used"
        );
        assert_eq!(column(version, &rows[0], "PricingCategory"), "Committed");
        assert_eq!(column(version, &rows[1], "ChargeCategory"), "Credit");
        assert_eq!(column(version, &rows[1], "ListCost"), "0");
        assert_eq!(column(version, &rows[0], "Tags"), "{\"team\":\"web\"}");
        assert_eq!(
            column(version, &rows[0], "ChargePeriodStart"),
            "2026-10-04T15:00:00Z"
        );
        assert_eq!(
            column(version, &rows[0], "BillingPeriodStart"),
            "2026-09-30T15:00:00Z"
        );
    }

    #[test]
    fn version_1_0_carries_the_validators_names_beside_the_specifications() {
        let columns = columns(FocusVersion::V1_0);
        assert!(columns.contains(&"ResourceId") && columns.contains(&"ResourceID"));
        assert!(!columns.contains(&"CommitmentDiscountQuantity"));
        let catalog = Catalog::without_prices(ExchangeRate::new(Decimal::from(1400)).unwrap());
        let rows = rows(&catalog, &line(), FocusVersion::V1_0);
        assert_eq!(
            column(FocusVersion::V1_0, &rows[0], "ResourceID"),
            column(FocusVersion::V1_0, &rows[0], "ResourceId")
        );
    }

    #[test]
    fn categories_map_and_default_to_other() {
        assert_eq!(service_category("DATABASE"), "Databases");
        assert_eq!(service_category("SOMETHING"), "Other");
    }
}
