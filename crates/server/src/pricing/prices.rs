//! ListReportPrice: `GET /v1/reports/prices`.

use std::cmp::Ordering;

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::pricing::{
    PriceListQuery, PriceRangeDto, ReportPriceDto, ReportPriceResponse,
};
use scpfm_domain::catalog::{Catalog, Offering, Price, PriceSortField};
use scpfm_domain::code::Code as _;
use scpfm_domain::listing::{PageRequest, SortDirection, SortKey};
use scpfm_domain::validation::ValidationErrors;

use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::openapi::{BadRequest, Unauthorized};
use crate::paging;
use crate::state::AppState;
use scpfm_domain::decimal_text::fixed;

/// Price ranges carry 8 decimals, as the Pricing API's examples do.
const RANGE_SCALE: u32 = 8;
/// Default page size.
const DEFAULT_SIZE: u32 = 20;
/// By billing item.
const DEFAULT_SORT: SortKey<PriceSortField> = SortKey::asc(PriceSortField::BillingItemId);

/// Lists the catalogue's prices, filtered by billing item and offering, one page at a time.
#[utoipa::path(get, path = "/v1/reports/prices", operation_id = "ListReportPrice",
    description = "Get prices with optional filtering by billing_item_id and offering.",
    params(PriceListQuery),
    responses((status = 200, description = "OK", body = ReportPriceResponse), BadRequest, Unauthorized))]
pub async fn list_prices(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<PriceListQuery>,
) -> Result<Json<ReportPriceResponse>, ApiError> {
    let ask = parse_query(&state.catalog, &query)?;
    let mut matching: Vec<&Price> = state
        .catalog
        .prices
        .iter()
        .filter(|price| {
            ask.billing_item
                .is_none_or(|id| price.billing_item_id == id)
        })
        .filter(|price| {
            ask.offering
                .is_none_or(|offering| price.offering == offering)
        })
        .collect();
    matching.sort_by(|left, right| compare(left, right, &ask.sort));
    let total = u64::try_from(matching.len()).unwrap_or(u64::MAX);
    let page = ask.page;
    Ok(Json(ReportPriceResponse {
        count: crate::wire::count(total),
        page: i64::from(page.index()),
        prices: page
            .slice(&matching)
            .iter()
            .map(|p| report_price(p))
            .collect(),
        size: i64::from(page.size()),
        sort: Some(ask.sort.iter().map(|key| key.to_wire()).collect()),
        total_pages: crate::wire::count(page.total_pages(total)),
    }))
}

/// What ListReportPrice asks for.
struct PriceAsk<'q> {
    page: PageRequest,
    sort: Vec<SortKey<PriceSortField>>,
    billing_item: Option<&'q str>,
    offering: Option<Offering>,
}

/// The page, order and filters asked for, every parameter checked.
fn parse_query<'q>(catalog: &Catalog, query: &'q PriceListQuery) -> Result<PriceAsk<'q>, ApiError> {
    let mut errors = ValidationErrors::default();
    let page = paging::zero_based(&mut errors, query.page, query.size, DEFAULT_SIZE);
    let sort = paging::sort_or(&mut errors, &query.sort, vec![DEFAULT_SORT]);
    let offering = query.offering.as_deref().filter(|text| !text.is_empty());
    let offering = offering.and_then(|text| errors.check(Offering::parse_field("offering", text)));
    let billing_item = query
        .billing_item_id
        .as_deref()
        .filter(|text| !text.is_empty());
    if let Some(id) = billing_item {
        errors.check(catalog.require_billing_item("billing_item_id", id));
    }
    let (Some(page), Some(sort)) = (page, sort) else {
        return Err(errors.into());
    };
    errors.finish()?;
    Ok(PriceAsk {
        page,
        sort,
        billing_item,
        offering,
    })
}

/// Orders by the requested keys, then by price id so the order is total.
fn compare(left: &Price, right: &Price, sort: &[SortKey<PriceSortField>]) -> Ordering {
    for key in sort {
        let ordering = match key.field {
            PriceSortField::CreatedAt => left.created_at.cmp(&right.created_at),
            PriceSortField::BillingItemId => left.billing_item_id.cmp(&right.billing_item_id),
            PriceSortField::Offering => left.offering.as_str().cmp(right.offering.as_str()),
            PriceSortField::PriceUnit => left.rule.unit.as_str().cmp(right.rule.unit.as_str()),
            PriceSortField::PriceModel => left.rule.model.as_str().cmp(right.rule.model.as_str()),
        };
        let ordering = match key.direction {
            SortDirection::Asc => ordering,
            SortDirection::Desc => ordering.reverse(),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    left.id.cmp(&right.id)
}

fn report_price(price: &Price) -> ReportPriceDto {
    ReportPriceDto {
        attributes: price.attributes.clone(),
        billing_item_id: price.billing_item_id.clone(),
        currency_code: price.currency_code.clone(),
        offering: price.offering.as_str().to_owned(),
        price_model: price.rule.model.as_str().to_owned(),
        price_unit: price.rule.unit.as_str().to_owned(),
        prices: price
            .rule
            .tiers
            .as_slice()
            .iter()
            .map(|tier| PriceRangeDto {
                base_price: fixed(tier.base_price, RANGE_SCALE),
                range_end: tier.end.map(|end| fixed(end, RANGE_SCALE)),
                range_start: Some(fixed(tier.start, RANGE_SCALE)),
                unit_price: fixed(tier.unit_price, RANGE_SCALE),
            })
            .collect(),
        proration_rule: price.rule.proration.as_str().to_owned(),
        rounding_position: i64::from(price.rule.rounding.position()),
        rounding_rule: price.rule.rounding.rule().as_str().to_owned(),
    }
}
