//! The handler kit for listings: SCP's three paging styles, the `sort` parameter and
//! multi-valued filters, read the same way by every list operation (the third style,
//! `limit`/`marker`, is CostExplorer's `Filters` with [`crate::links::PageLinks`]).

use scpfm_domain::listing::{parse_sort, PageRequest, SortField, SortKey};
use scpfm_domain::validation::ValidationErrors;

/// `page`/`size`, pages counted from 0 (Budget, Pricing).
pub fn zero_based(
    errors: &mut ValidationErrors,
    page: Option<i64>,
    size: Option<i64>,
    default_size: u32,
) -> Option<PageRequest> {
    errors.check(PageRequest::new(page, size, 0, default_size))
}

/// `page`/`limit`, pages counted from 1 (BillingPlan); a bad size is named `limit`.
pub fn one_based(
    errors: &mut ValidationErrors,
    page: Option<i64>,
    limit: Option<i64>,
    default_limit: u32,
) -> Option<PageRequest> {
    errors.check(
        PageRequest::new(page, limit, 1, default_limit).map_err(|mut error| {
            if error.field == "size" {
                error.field = "limit".into();
            }
            error
        }),
    )
}

/// A page size parameter (`limit`, `size`): `default` when absent, at most `max`.
pub fn page_size(
    errors: &mut ValidationErrors,
    field: &str,
    given: Option<i64>,
    default: u32,
    max: u32,
) -> u32 {
    let size = scpfm_domain::listing::page_size(field, given, default, max);
    errors.check(size).unwrap_or(default)
}

/// The `sort` parameter's keys, or `default` when it is absent or blank.
pub fn sort_or<F: SortField>(
    errors: &mut ValidationErrors,
    text: &Option<String>,
    default: Vec<SortKey<F>>,
) -> Option<Vec<SortKey<F>>> {
    match text.as_deref().filter(|text| !text.trim().is_empty()) {
        Some(text) => errors.check(parse_sort::<F>("sort", text)),
        None => Some(default),
    }
}

/// The non-empty values of a repeated parameter.
pub fn values(given: &Option<Vec<String>>) -> Vec<String> {
    given
        .iter()
        .flatten()
        .filter(|value| !value.is_empty())
        .cloned()
        .collect()
}

/// A single-valued text parameter, `None` when absent or empty.
pub fn given(given: &Option<String>) -> Option<&str> {
    given.as_deref().filter(|value| !value.is_empty())
}

/// [`given`], owned.
pub fn text(given: &Option<String>) -> Option<String> {
    self::given(given).map(str::to_owned)
}
