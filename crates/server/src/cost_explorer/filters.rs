//! What ListUsages and ListBills share: the resource filters (accounts, service category,
//! billing item, resource name, region, contract, order status), `limit` + `marker` paging,
//! `with_count` and a one-key `sort`, each checked with every problem reported at once.

use scpfm_domain::catalog::Catalog;
use scpfm_domain::ids::AccountId;
use scpfm_domain::listing::{parse_sort, SortField, SortKey};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::filters::ResourceFilter;

use super::visible_accounts;
use crate::error::ApiError;
use crate::extract::Caller;
use crate::state::AppState;

/// Default and largest page size.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 1000;

/// The shared query parameters, as sent.
pub struct RawFilters<'a> {
    pub account_id: &'a Option<Vec<String>>,
    pub service_category: &'a Option<Vec<String>>,
    pub billing_item_id: &'a Option<Vec<String>>,
    pub resource_name: &'a Option<String>,
    pub region: &'a Option<Vec<String>>,
    pub contract_id: &'a Option<String>,
    pub order_status: &'a Option<Vec<String>>,
    pub limit: Option<i64>,
    pub marker: &'a Option<String>,
    pub with_count: &'a Option<String>,
    pub sort: &'a Option<String>,
}

/// The shared parameters of a query type whose fields carry the wire names (ListUsages'
/// and ListBills' queries both do).
macro_rules! raw_filters {
    ($query:expr) => {
        $crate::cost_explorer::filters::RawFilters {
            account_id: &$query.account_id,
            service_category: &$query.service_category,
            billing_item_id: &$query.billing_item_id,
            resource_name: &$query.resource_name,
            region: &$query.region,
            contract_id: &$query.contract_id,
            order_status: &$query.order_status,
            limit: $query.limit,
            marker: &$query.marker,
            with_count: &$query.with_count,
            sort: &$query.sort,
        }
    };
}
pub(crate) use raw_filters;

/// The shared query parameters, checked.
pub struct Filters<F> {
    /// Accounts named by `account_id` (checked against the caller's by [`Self::accounts`]).
    requested_accounts: Vec<String>,
    /// Service category, billing item, resource, region, contract, order status.
    pub resources: ResourceFilter,
    pub limit: u32,
    pub marker: Option<String>,
    pub with_count: bool,
    pub sort: SortKey<F>,
}

pub(super) fn one_of(
    errors: &mut ValidationErrors,
    field: &str,
    given: &Option<Vec<String>>,
    allowed: &[String],
) -> Vec<String> {
    let values = crate::paging::values(given);
    for value in &values {
        if !allowed.contains(value) {
            errors.push(FieldError::with_given(
                field,
                Problem::NotOneOf {
                    allowed: allowed.to_vec(),
                },
                value,
            ));
        }
    }
    values
}

/// A hex id of 32 characters, or a problem with `field`.
pub(super) fn check_hex(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    expected: &'static str,
) {
    if !(value.len() == 32
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
    {
        errors.push(FieldError::with_given(
            field,
            Problem::InvalidFormat { expected },
            value,
        ));
    }
}

impl<F: SortField> Filters<F> {
    /// Checks the shared parameters against the catalogue; `default_sort` applies when
    /// `sort` is absent, `marker_of` names what a marker is the id of.
    pub fn parse(
        catalog: &Catalog,
        raw: RawFilters<'_>,
        default_sort: SortKey<F>,
        marker_of: &'static str,
        errors: &mut ValidationErrors,
    ) -> Option<Self> {
        let limit = crate::paging::page_size(errors, "limit", raw.limit, DEFAULT_LIMIT, MAX_LIMIT);
        let with_count = match raw
            .with_count
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("") | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                errors.push(FieldError::with_given(
                    "with_count",
                    Problem::NotOneOf {
                        allowed: vec!["true".into(), "false".into()],
                    },
                    other,
                ));
                false
            }
        };
        let sort = match raw.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
            None => Some(default_sort),
            Some(text) => errors
                .check(parse_sort::<F>("sort", text))
                .and_then(|keys| match keys.as_slice() {
                    [only] => Some(*only),
                    _ => {
                        errors.push(FieldError::with_given(
                            "sort",
                            Problem::TooManyItems { max: 1 },
                            text,
                        ));
                        None
                    }
                }),
        };
        let mut categories: Vec<String> = catalog
            .billing_items
            .iter()
            .map(|item| item.category.clone())
            .collect();
        categories.sort();
        categories.dedup();
        let service_categories = one_of(
            errors,
            "service_category",
            raw.service_category,
            &categories,
        );
        let item_ids: Vec<String> = catalog
            .billing_items
            .iter()
            .map(|item| item.id.clone())
            .collect();
        let billing_items = one_of(errors, "billing_item_id", raw.billing_item_id, &item_ids);
        let region_ids: Vec<String> = catalog
            .regions
            .iter()
            .map(|region| region.id.clone())
            .collect();
        let regions = one_of(errors, "region", raw.region, &region_ids);
        let order_statuses = crate::paging::values(raw.order_status);
        for status in &order_statuses {
            if !(status.len() == 2 && status.bytes().all(|b| b.is_ascii_digit())) {
                errors.push(FieldError::with_given(
                    "order_status",
                    Problem::InvalidFormat {
                        expected: "two digits, e.g. 04",
                    },
                    status,
                ));
            }
        }
        let contract_id = raw.contract_id.clone().filter(|id| !id.is_empty());
        if let Some(contract) = &contract_id {
            if !(contract.len() == 10
                && contract.starts_with('C')
                && contract[1..].bytes().all(|b| b.is_ascii_digit()))
            {
                errors.push(FieldError::with_given(
                    "contract_id",
                    Problem::InvalidFormat {
                        expected: "C followed by 9 digits",
                    },
                    contract,
                ));
            }
        }
        let requested_accounts = crate::paging::values(raw.account_id);
        for account in &requested_accounts {
            check_hex(
                errors,
                "account_id",
                account,
                "32 lowercase hexadecimal characters",
            );
        }
        let marker = raw.marker.clone().filter(|marker| !marker.is_empty());
        if let Some(marker) = &marker {
            check_hex(errors, "marker", marker, marker_of);
        }
        Some(Self {
            requested_accounts,
            resources: ResourceFilter {
                service_categories,
                billing_items,
                resource_name: raw.resource_name.clone().filter(|name| !name.is_empty()),
                regions,
                contract_id,
                order_statuses,
            },
            limit,
            marker,
            with_count,
            sort: sort?,
        })
    }

    /// The accounts the listing covers: the caller's (and its members', for a payer),
    /// narrowed to `account_id` when given.
    pub async fn accounts(
        &self,
        state: &AppState,
        caller: &Caller,
    ) -> Result<Vec<AccountId>, ApiError> {
        visible_accounts(state, caller, &self.requested_accounts).await
    }

    /// The listing's total when `with_count` asked for it: `count` is awaited only then.
    pub async fn count(
        &self,
        count: impl std::future::Future<Output = Result<u64, scpfm_store::StoreError>>,
    ) -> Result<Option<i64>, ApiError> {
        Ok(match self.with_count {
            true => Some(crate::wire::count(count.await?)),
            false => None,
        })
    }

    /// The 400 for a marker that is not an item of this listing.
    pub fn unknown_marker(&self, marker_of: &'static str) -> ApiError {
        ApiError::from(FieldError::with_given(
            "marker",
            Problem::InvalidFormat {
                expected: marker_of,
            },
            self.marker.clone().unwrap_or_default(),
        ))
    }
}
