//! What the cost and usage query and its forecast share: the window (dates, granularity),
//! the dimensions and the filters, every parameter checked and every problem reported.

use chrono::NaiveDate;
use scpfm_domain::catalog::{Catalog, Offering};
use scpfm_domain::code::Code as _;
use scpfm_domain::cost::{check_window, Dimension, Granularity};
use scpfm_domain::usage::MAX_ID_CHARS;
use scpfm_domain::validation::{check_text, FieldError, Problem, ValidationErrors};
use scpfm_store::cost::query::CostQuery;

use super::filters::{check_hex, one_of};
use crate::wire::date_param;

/// The filters and dimensions of a query, as received.
pub struct RawScope<'a> {
    pub group_by: &'a Option<Vec<String>>,
    pub account_id: &'a Option<Vec<String>>,
    pub service_category: &'a Option<Vec<String>>,
    pub billing_item_id: &'a Option<Vec<String>>,
    pub region: &'a Option<Vec<String>>,
    pub resource_id: &'a Option<Vec<String>>,
    pub tag: &'a Option<Vec<String>>,
    pub offering: &'a Option<Vec<String>>,
}

/// Builds a [`RawScope`] from a query with those fields.
macro_rules! raw_scope {
    ($query:expr) => {
        $crate::cost_explorer::cost_params::RawScope {
            group_by: &$query.group_by,
            account_id: &$query.account_id,
            service_category: &$query.service_category,
            billing_item_id: &$query.billing_item_id,
            region: &$query.region,
            resource_id: &$query.resource_id,
            tag: &$query.tag,
            offering: &$query.offering,
        }
    };
}
pub(crate) use raw_scope;

/// The query (for no account yet) and the accounts named by `account_id`.
pub fn parse_scope(
    catalog: &Catalog,
    raw: RawScope<'_>,
    max_group_by: usize,
    errors: &mut ValidationErrors,
) -> (CostQuery, Vec<String>) {
    let names = crate::paging::values(raw.group_by);
    let mut group_by: Vec<Dimension> = Vec::new();
    if names.len() > max_group_by {
        errors.push(FieldError::with_given(
            "group_by",
            Problem::TooManyItems { max: max_group_by },
            names.join(","),
        ));
    }
    for name in &names {
        if let Some(dimension) = errors.check(Dimension::parse_field("group_by", name)) {
            if group_by.contains(&dimension) {
                errors.push(FieldError::with_given("group_by", Problem::Repeated, name));
            }
            group_by.push(dimension);
        }
    }
    let mut categories: Vec<String> = catalog
        .billing_items
        .iter()
        .map(|item| item.category.clone())
        .collect();
    categories.sort();
    categories.dedup();
    let items: Vec<String> = catalog
        .billing_items
        .iter()
        .map(|item| item.id.clone())
        .collect();
    let regions: Vec<String> = catalog
        .regions
        .iter()
        .map(|region| region.id.clone())
        .collect();
    let accounts = crate::paging::values(raw.account_id);
    for account in &accounts {
        check_hex(
            errors,
            "account_id",
            account,
            "32 lowercase hexadecimal characters",
        );
    }
    let resources = crate::paging::values(raw.resource_id);
    for resource in &resources {
        errors.check(check_text("resource_id", resource, MAX_ID_CHARS));
    }
    let offerings = crate::paging::values(raw.offering);
    for offering in &offerings {
        errors.check(Offering::parse_field("offering", offering));
    }
    let tags = crate::paging::values(raw.tag)
        .iter()
        .filter_map(|tag| errors.check(scpfm_domain::tags::parse_filter("tag", tag)))
        .collect();
    let query = CostQuery {
        accounts: Vec::new(),
        group_by,
        service_categories: one_of(
            errors,
            "service_category",
            raw.service_category,
            &categories,
        ),
        billing_items: one_of(errors, "billing_item_id", raw.billing_item_id, &items),
        regions: one_of(errors, "region", raw.region, &regions),
        resources,
        offerings,
        tags,
    };
    (query, accounts)
}

/// The granularity (one of `allowed`) and the inclusive window, checked.
pub fn parse_window(
    errors: &mut ValidationErrors,
    granularity: &Option<String>,
    allowed: &[Granularity],
    start: &Option<String>,
    end: &Option<String>,
) -> Option<(Granularity, NaiveDate, NaiveDate)> {
    let required = |errors: &mut ValidationErrors, field: &str, given: &Option<String>| {
        if crate::paging::given(given).is_none() {
            errors.push(FieldError::new(field, Problem::Required));
        }
    };
    required(errors, "start_date", start);
    required(errors, "end_date", end);
    required(errors, "granularity", granularity);
    let start = date_param(errors, "start_date", start);
    let end = date_param(errors, "end_date", end);
    let granularity = crate::paging::given(granularity).and_then(|text| {
        match errors.check(Granularity::parse_field("granularity", text)) {
            Some(value) if allowed.contains(&value) => Some(value),
            Some(_) => {
                let allowed = allowed.iter().map(|g| g.code().to_owned()).collect();
                errors.push(FieldError::with_given(
                    "granularity",
                    Problem::NotOneOf { allowed },
                    text,
                ));
                None
            }
            None => None,
        }
    })?;
    let (start, end) = (start?, end?);
    errors.check(check_window(granularity, start, end))?;
    Some((granularity, start, end))
}
