//! ListBills: `GET /v1/bills`.

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::bill::{BillListQuery, BillListResponse, BillResponse};
use scpfm_domain::bill::{BillLine, BillSortField, BillState};
use scpfm_domain::catalog::Catalog;
use scpfm_domain::code::Code as _;
use scpfm_domain::listing::SortKey;
use scpfm_domain::month::YearMonth;
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::bills::BillQuery;

use super::filters::{raw_filters, Filters};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::links::PageLinks;
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::state::AppState;
use crate::wire::amount;

/// Lists bill lines of the caller's account (and its organisation's members, for a payer),
/// filtered, in `bill_year_month` or `created_at` order, one `limit`/`marker` page at a time.
#[utoipa::path(get, path = "/v1/bills", operation_id = "ListBills",
    description = "Get bill list.",
    params(BillListQuery),
    responses((status = 200, description = "OK", body = BillListResponse), BadRequest, Unauthorized, Forbidden))]
pub async fn list_bills(
    State(state): State<AppState>,
    caller: Caller,
    links: PageLinks,
    ApiQuery(query): ApiQuery<BillListQuery>,
) -> Result<Json<BillListResponse>, ApiError> {
    let (filters, mut bill_query) = parse_query(&state.catalog, &query)?;
    bill_query.accounts = filters.accounts(&state, &caller).await?;
    let (sort, marker) = (filters.sort, filters.marker.as_deref());
    let page = state
        .store
        .list_bills(
            &bill_query,
            sort.field,
            sort.direction,
            marker,
            filters.limit,
        )
        .await?
        .ok_or_else(|| filters.unknown_marker("the id of a bill in this listing"))?;
    let count = filters.count(state.store.count_bills(&bill_query)).await?;
    Ok(Json(BillListResponse {
        count,
        links: links.to(page.next_marker(|line| &line.id)),
        bills: page.items.iter().map(bill_response).collect(),
    }))
}

/// The listing's filters and its bill query (for no account yet), every parameter checked.
fn parse_query(
    catalog: &Catalog,
    query: &BillListQuery,
) -> Result<(Filters<BillSortField>, BillQuery), ApiError> {
    let mut errors = ValidationErrors::default();
    let default_sort = SortKey::asc(BillSortField::BillYearMonth);
    let raw = raw_filters!(query);
    let filters = Filters::parse(catalog, raw, default_sort, "the id of a bill", &mut errors);
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
    let state = query.bill_state.as_deref().filter(|text| !text.is_empty());
    let state = state.and_then(|text| errors.check(BillState::parse_field("bill_state", text)));
    let Some(filters) = filters else {
        return Err(errors.into());
    };
    errors.finish()?;
    let bill_query = BillQuery {
        accounts: Vec::new(),
        from,
        until,
        month: bill_month,
        state,
        resources: filters.resources.clone(),
    };
    Ok((filters, bill_query))
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
