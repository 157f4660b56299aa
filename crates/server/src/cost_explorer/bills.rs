//! ListBills: `GET /v1/bills`.

use crate::json::Json;
use axum::extract::{OriginalUri, State};
use http::HeaderMap;
use scpfm_api_types::bill::{BillListQuery, BillListResponse, BillResponse};
use scpfm_api_types::error::ErrorResponse;
use scpfm_domain::bill::{BillLine, BillSortField, BillState};
use scpfm_domain::listing::{SortDirection, SortKey};
use scpfm_domain::month::YearMonth;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::bills::BillQuery;

use super::filters::{raw_filters, Filters};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::links::{base_url, page_links};
use crate::state::AppState;
use crate::wire::amount;

/// Lists bill lines of the caller's account (and its organisation's members, for a payer),
/// filtered, in `bill_year_month` or `created_at` order, one `limit`/`marker` page at a time.
#[utoipa::path(
    get,
    path = "/v1/bills",
    operation_id = "ListBills",
    tag = "CostExplorer",
    description = "Get bill list.",
    params(BillListQuery),
    responses(
        (status = 200, description = "OK", body = BillListResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 403, description = "Forbidden", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_bills(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    ApiQuery(query): ApiQuery<BillListQuery>,
) -> Result<Json<BillListResponse>, ApiError> {
    let mut errors = ValidationErrors::default();
    let raw = raw_filters!(query);
    let default_sort = SortKey {
        field: BillSortField::BillYearMonth,
        direction: SortDirection::Asc,
    };
    let filters = Filters::parse(
        &state.catalog,
        raw,
        default_sort,
        "the id of a bill",
        &mut errors,
    );
    let mut month = |field: &str, text: &Option<String>| {
        text.as_deref()
            .filter(|text| !text.is_empty())
            .and_then(|text| errors.check(YearMonth::parse_field(field, text)))
    };
    let from = month("start_year_month", &query.start_year_month);
    let until = month("end_year_month", &query.end_year_month);
    let bill_month = month("bill_year_month", &query.bill_year_month);
    if let (Some(from), Some(until)) = (from, until) {
        if until < from {
            errors.push(FieldError::with_given(
                "end_year_month",
                Problem::InvalidFormat {
                    expected: "a month on or after start_year_month",
                },
                until.to_string(),
            ));
        }
    }
    let state_filter = query
        .bill_state
        .as_deref()
        .filter(|text| !text.is_empty())
        .and_then(|text| match text.parse::<BillState>() {
            Ok(bill_state) => Some(bill_state),
            Err(()) => {
                errors.push(FieldError::with_given(
                    "bill_state",
                    Problem::NotOneOf {
                        allowed: BillState::ALL.map(|s| s.as_str().to_owned()).to_vec(),
                    },
                    text,
                ));
                None
            }
        });
    let Some(filters) = filters else {
        return Err(errors.into());
    };
    errors.finish()?;

    let bill_query = BillQuery {
        accounts: filters.accounts(&state, &caller).await?,
        from,
        until,
        month: bill_month,
        state: state_filter,
        resources: filters.resources.clone(),
    };
    let page = state
        .store
        .list_bills(
            &bill_query,
            filters.sort.field,
            filters.sort.direction,
            filters.marker.as_deref(),
            filters.limit,
        )
        .await?
        .ok_or_else(|| filters.unknown_marker("the id of a bill in this listing"))?;
    let count = if filters.with_count {
        Some(crate::wire::count(
            state.store.count_bills(&bill_query).await?,
        ))
    } else {
        None
    };
    let next_marker = page
        .more
        .then(|| page.items.last().map(|line| line.id.clone()))
        .flatten();
    let base = base_url(&state, &headers, &uri);
    Ok(Json(BillListResponse {
        count,
        links: page_links(&base, &uri, next_marker.as_deref()),
        bills: page.items.iter().map(bill_response).collect(),
    }))
}

fn bill_response(line: &BillLine) -> BillResponse {
    use scpfm_domain::component::{ChargeComponent as C, DiscountComponent as D};
    let charges = &line.charges;
    let charge = |component: C| amount(charges.charge(component));
    let discount = |component: D| amount(charges.discount(component));
    BillResponse {
        amounts: amount(charges.net()),
        discount_amounts: amount(charges.discount_total()),
        asset: charge(C::Asset),
        operation: charge(C::Operation),
        option: charge(C::Option),
        support_plan: charge(C::SupportPlan),
        cancellation_fee: charge(C::CancellationFee),
        planned_compute: charge(C::PlannedCompute),
        msp_discount: discount(D::MspDiscount),
        new_business_discount: discount(D::NewBusinessDiscount),
        sales_discount: discount(D::SalesDiscount),
        sla_discount: discount(D::SlaDiscount),
        reseller_discount: discount(D::ResellerDiscount),
        account_cost_savings: discount(D::AccountCostSavings),
        project_cost_savings: discount(D::ProjectCostSavings),
        account_credit: discount(D::AccountCredit),
        project_credit: discount(D::ProjectCredit),
        edp: discount(D::Edp),
        id: line.id.clone(),
        account_id: line.account_id.to_string(),
        service_category: line.service_category.clone(),
        billing_item_id: line.billing_item_id.clone(),
        resource_id: line.resource_id.clone(),
        resource_name: line.resource_name.clone(),
        region: line.region.clone(),
        contract_id: line.contract_id.clone(),
        order_status: line.order_status.clone(),
        bill_year_month: line.month.to_string(),
        bill_state: line.state.as_str().to_owned(),
    }
}
