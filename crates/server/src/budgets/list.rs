//! ListAccountBudgets: `GET /v1/budgets/account` → 200.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::budget::{BudgetAccountPageResponse, BudgetAccountUnit, BudgetListQuery};
use scpfm_domain::budget::BudgetName;
use scpfm_domain::budget::BudgetSortField;
use scpfm_domain::listing::{PageRequest, SortKey};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::budgets::BudgetFilter;

use super::detail;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::paging;
use crate::state::AppState;

/// Default page size.
const DEFAULT_SIZE: u32 = 20;
/// Order when the request names none: newest first.
const DEFAULT_SORT: SortKey<BudgetSortField> = SortKey::desc(BudgetSortField::CreatedAt);

/// Lists the caller's budgets, one page at a time (`page` from 0).
#[utoipa::path(get, path = "/v1/budgets/account", operation_id = "ListAccountBudgets",
    description = "get account budgets list",
    params(BudgetListQuery),
    responses((status = 200, description = "OK", body = BudgetAccountPageResponse), BadRequest, Unauthorized, Forbidden))]
pub async fn list_budgets(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<BudgetListQuery>,
) -> Result<Json<BudgetAccountPageResponse>, ApiError> {
    let (filter, sort, page) = parse_query(&query)?;
    let (budgets, total) = state
        .store
        .list_budgets(&caller.account_id, &filter, &sort, page)
        .await?;
    Ok(Json(BudgetAccountPageResponse {
        budgets: budgets
            .iter()
            .map(|budget| BudgetAccountUnit::from(detail(budget)))
            .collect(),
        count: crate::wire::count(total),
        page: i64::from(page.index()),
        size: i64::from(page.size()),
        sort: Some(sort.iter().map(|key| key.to_wire()).collect()),
    }))
}

/// The filter, order and page asked for, every parameter checked.
fn parse_query(
    query: &BudgetListQuery,
) -> Result<(BudgetFilter, Vec<SortKey<BudgetSortField>>, PageRequest), ApiError> {
    let mut errors = ValidationErrors::default();
    let page = paging::zero_based(&mut errors, query.page, query.size, DEFAULT_SIZE);
    let sort = paging::sort_or(&mut errors, &query.sort, vec![DEFAULT_SORT]);
    let name_contains = errors
        .check(name_filter("search_name", &query.search_name))
        .flatten();
    let name_equals = errors
        .check(name_filter("budget_name", &query.budget_name))
        .flatten();
    errors.clone().finish()?;
    let (Some(page), Some(sort)) = (page, sort) else {
        return Err(errors.into());
    };
    let filter = BudgetFilter {
        name_contains,
        name_equals,
    };
    Ok((filter, sort, page))
}

/// A name filter: empty is none; longer than any stored name could be is refused (it can
/// match nothing, and a long `LIKE` pattern is work for the database, not for the client).
fn name_filter(field: &str, text: &Option<String>) -> Result<Option<String>, FieldError> {
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > BudgetName::MAX_STORED_CHARS => Err(FieldError::new(
            field,
            Problem::TooLong {
                max: BudgetName::MAX_STORED_CHARS,
            },
        )),
        Some(text) => Ok(Some(text.to_owned())),
    }
}
