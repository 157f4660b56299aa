//! ListUsages: `GET /v1/usages`.

use axum::extract::{OriginalUri, State};
use axum::Json;
use chrono::NaiveDate;
use http::HeaderMap;
use scpfm_api_types::common::Amount;
use scpfm_api_types::error::ErrorResponse;
use scpfm_api_types::usage::{UsageListQuery, UsageListResponse, UsageResponse};
use scpfm_api_types::wire_time::{usage_date, TIMEZONE};
use scpfm_domain::listing::{parse_sort, SortDirection, SortKey};
use scpfm_domain::usage::{kst_midnight, StoredUsage, UsageSortField};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::usage::UsageQuery;

use super::visible_accounts;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::links::{base_url, page_links};
use crate::state::AppState;
use crate::wire::fixed;

/// Usage amounts carry 10 decimals on the wire.
const AMOUNT_SCALE: u32 = 10;
/// Default and largest page size.
const DEFAULT_LIMIT: i64 = 20;
const MAX_LIMIT: i64 = 1000;

/// Lists rated usage of the caller's account (and its organisation's members, for a payer),
/// filtered, in `usage_date` or `created_at` order, one `limit`/`marker` page at a time.
#[utoipa::path(
    get,
    path = "/v1/usages",
    operation_id = "ListUsages",
    tag = "CostExplorer",
    description = "Get usage list.",
    params(UsageListQuery),
    responses(
        (status = 200, description = "OK", body = UsageListResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 403, description = "Forbidden", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_usages(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<UsageListQuery>,
) -> Result<Json<UsageListResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::with_given(
            "limit",
            Problem::OutOfRange {
                min: 1,
                max: MAX_LIMIT,
            },
            limit.to_string(),
        ));
    }
    let date = |errors: &mut ValidationErrors, field: &str, text: &Option<String>| {
        text.as_deref()
            .filter(|text| !text.is_empty())
            .and_then(|text| {
                let parsed = (text.len() == 10)
                    .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
                    .flatten();
                if parsed.is_none() {
                    errors.push(FieldError::with_given(
                        field,
                        Problem::InvalidFormat {
                            expected: "YYYY-MM-DD",
                        },
                        text,
                    ));
                }
                parsed
            })
    };
    let start_date = date(&mut errors, "start_date", &query.start_date);
    let end_date = date(&mut errors, "end_date", &query.end_date);
    if let (Some(start), Some(end)) = (start_date, end_date) {
        if end < start {
            errors.push(FieldError::with_given(
                "end_date",
                Problem::InvalidFormat {
                    expected: "a date on or after start_date",
                },
                end.to_string(),
            ));
        }
    }
    let with_count = match query
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
    let sort = match query.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
        None => Some(SortKey {
            field: UsageSortField::UsageDate,
            direction: SortDirection::Asc,
        }),
        Some(text) => errors
            .check(parse_sort::<UsageSortField>("sort", text))
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
    let categories: Vec<String> = {
        let mut known: Vec<String> = catalog
            .billing_items
            .iter()
            .map(|item| item.category.clone())
            .collect();
        known.sort();
        known.dedup();
        known
    };
    let one_of = |errors: &mut ValidationErrors,
                  field: &str,
                  given: &Option<Vec<String>>,
                  allowed: &[String]|
     -> Vec<String> {
        let values: Vec<String> = given
            .iter()
            .flatten()
            .filter(|value| !value.is_empty())
            .cloned()
            .collect();
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
    };
    let service_categories = one_of(
        &mut errors,
        "service_category",
        &query.service_category,
        &categories,
    );
    let item_ids: Vec<String> = catalog
        .billing_items
        .iter()
        .map(|item| item.id.clone())
        .collect();
    let billing_items = one_of(
        &mut errors,
        "billing_item_id",
        &query.billing_item_id,
        &item_ids,
    );
    let region_ids: Vec<String> = catalog
        .regions
        .iter()
        .map(|region| region.id.clone())
        .collect();
    let regions = one_of(&mut errors, "region", &query.region, &region_ids);
    let order_statuses: Vec<String> = query
        .order_status
        .iter()
        .flatten()
        .filter(|value| !value.is_empty())
        .cloned()
        .collect();
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
    let contract_id = query.contract_id.clone().filter(|id| !id.is_empty());
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
    let requested_accounts: Vec<String> = query
        .account_id
        .iter()
        .flatten()
        .filter(|id| !id.is_empty())
        .cloned()
        .collect();
    for account in &requested_accounts {
        if account.parse::<scpfm_domain::ids::AccountId>().is_err() {
            errors.push(FieldError::with_given(
                "account_id",
                Problem::InvalidFormat {
                    expected: "32 lowercase hexadecimal characters",
                },
                account,
            ));
        }
    }
    let marker = query.marker.clone().filter(|marker| !marker.is_empty());
    if let Some(marker) = &marker {
        if !(marker.len() == 32
            && marker
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        {
            errors.push(FieldError::with_given(
                "marker",
                Problem::InvalidFormat {
                    expected: "the id of a usage",
                },
                marker,
            ));
        }
    }
    let Some(sort) = sort else {
        return Err(errors.into());
    };
    errors.finish()?;

    let accounts = visible_accounts(&state, &caller, &requested_accounts).await?;
    let usage_query = UsageQuery {
        accounts,
        from: start_date.map(kst_midnight),
        until: end_date.and_then(|end| end.succ_opt()).map(kst_midnight),
        service_categories,
        billing_items,
        resource_name: query.resource_name.clone().filter(|name| !name.is_empty()),
        regions,
        contract_id,
        order_statuses,
    };
    let limit = u32::try_from(limit).unwrap_or(20);
    let page = state
        .store
        .list_usages(
            &usage_query,
            sort.field,
            sort.direction,
            marker.as_deref(),
            limit,
        )
        .await?
        .ok_or_else(|| {
            ApiError::from(FieldError::with_given(
                "marker",
                Problem::InvalidFormat {
                    expected: "the id of a usage in this listing",
                },
                marker.clone().unwrap_or_default(),
            ))
        })?;
    let count = if with_count {
        Some(i64::try_from(state.store.count_usages(&usage_query).await?).unwrap_or(i64::MAX))
    } else {
        None
    };
    let next_marker = page
        .more
        .then(|| page.items.last().map(|usage| usage.id.clone()))
        .flatten();
    let base = base_url(&state, &headers, &uri);
    Ok(Json(UsageListResponse {
        timezone: TIMEZONE.to_owned(),
        count,
        links: page_links(&base, &uri, next_marker.as_deref()),
        usages: page.items.iter().map(usage_response).collect(),
    }))
}

fn usage_response(stored: &StoredUsage) -> UsageResponse {
    let usage = &stored.record;
    UsageResponse {
        id: stored.id.clone(),
        account_id: usage.account_id.to_string(),
        service_category: usage.service_category.clone(),
        billing_item_id: usage.billing_item_id.clone(),
        ccbs_product_code: usage.ccbs_product_code.clone(),
        resource_id: usage.resource_id.clone(),
        contract_id: usage.contract_id.clone(),
        order_status: usage.order_status.clone(),
        usage_date: usage_date(usage.period_start),
        amounts: Amount {
            krw: fixed(usage.amount.krw, AMOUNT_SCALE),
            usd: fixed(usage.amount.usd, AMOUNT_SCALE),
        },
        status_code: usage.status_code,
        resource_name: usage.resource_name.clone(),
        region: usage.region.clone(),
        quantity: usage.quantity.normalize().to_string(),
        unit: usage.unit.as_str().to_owned(),
    }
}
