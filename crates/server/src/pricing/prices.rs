//! ListReportPrice: `GET /v1/reports/prices`.

use std::cmp::Ordering;

use crate::json::Json;
use axum::extract::State;
use scpfm_api_types::error::ErrorResponse;
use scpfm_api_types::pricing::{
    PriceListQuery, PriceRangeDto, ReportPriceDto, ReportPriceResponse,
};
use scpfm_domain::catalog::{Offering, Price, PriceSortField};
use scpfm_domain::listing::{parse_sort, PageRequest, SortDirection, SortKey};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use crate::error::ApiError;
use crate::extract::{ApiQuery, Caller};
use crate::state::AppState;
use scpfm_domain::decimal_text::fixed;

/// Price ranges carry 8 decimals, as the Pricing API's examples do.
const RANGE_SCALE: u32 = 8;

/// Lists the catalogue's prices, filtered by billing item and offering, one page at a time.
#[utoipa::path(
    get,
    path = "/v1/reports/prices",
    operation_id = "ListReportPrice",
    tag = "Pricing",
    description = "Get prices with optional filtering by billing_item_id and offering.",
    params(PriceListQuery),
    responses(
        (status = 200, description = "OK", body = ReportPriceResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn list_prices(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<PriceListQuery>,
) -> Result<Json<ReportPriceResponse>, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let page = errors.check(PageRequest::new(query.page, query.size, 0, 20));
    let sort = match query.sort.as_deref().filter(|sort| !sort.trim().is_empty()) {
        Some(sort) => errors.check(parse_sort::<PriceSortField>("sort", sort)),
        None => Some(vec![SortKey {
            field: PriceSortField::BillingItemId,
            direction: SortDirection::Asc,
        }]),
    };
    let offering = query
        .offering
        .as_deref()
        .filter(|text| !text.is_empty())
        .and_then(|text| {
            errors.check(text.parse::<Offering>().map_err(|()| {
                FieldError::with_given(
                    "offering",
                    Problem::NotOneOf {
                        allowed: Offering::ALL
                            .iter()
                            .map(|o| o.as_str().to_owned())
                            .collect(),
                    },
                    text,
                )
            }))
        });
    let billing_item = query
        .billing_item_id
        .as_deref()
        .filter(|text| !text.is_empty());
    if let Some(id) = billing_item {
        if catalog.billing_item(id).is_none() {
            errors.push(FieldError::with_given(
                "billing_item_id",
                Problem::NotOneOf {
                    allowed: catalog
                        .billing_items
                        .iter()
                        .map(|item| item.id.clone())
                        .collect(),
                },
                id,
            ));
        }
    }
    let (Some(page), Some(sort)) = (page, sort) else {
        return Err(errors.into());
    };
    errors.finish()?;

    let mut matching: Vec<&Price> = catalog
        .prices
        .iter()
        .filter(|price| billing_item.is_none_or(|id| price.billing_item_id == id))
        .filter(|price| offering.is_none_or(|offering| price.offering == offering))
        .collect();
    matching.sort_by(|left, right| compare(left, right, &sort));
    let total = u64::try_from(matching.len()).unwrap_or(u64::MAX);
    let start = usize::try_from(page.offset())
        .unwrap_or(usize::MAX)
        .min(matching.len());
    let end = start
        .saturating_add(page.size() as usize)
        .min(matching.len());
    Ok(Json(ReportPriceResponse {
        count: crate::wire::count(total),
        page: i64::from(page.index()),
        prices: matching[start..end]
            .iter()
            .map(|price| report_price(price))
            .collect(),
        size: i64::from(page.size()),
        sort: Some(sort.iter().map(|key| key.to_wire()).collect()),
        total_pages: crate::wire::count(page.total_pages(total)),
    }))
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
