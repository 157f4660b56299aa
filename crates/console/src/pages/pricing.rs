//! Pricing: the catalogue (`ListReportPrice`) by billing item and offering, with its tiers,
//! filtered by billing item and offering, a page at a time.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use scpfm_api_types::pricing::{
    OfferingResponse, PriceListQuery, ReportPriceDto, ReportPriceResponse,
};
use serde::{Deserialize, Serialize};

use super::{api_problem, render, Chrome, Signed};
use crate::api::query_string;
use crate::format::{decimal, number};

/// The filters, as the URL carries them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PriceView {
    billing_item_id: String,
    offering: String,
    page: i64,
}

#[derive(Template)]
#[template(path = "pricing.html")]
struct PricingPage {
    chrome: Chrome,
    view: PriceView,
    offerings: Vec<String>,
    prices: Vec<ReportPriceDto>,
    count: i64,
    next: Option<String>,
}

impl PricingPage {
    fn price(&self, text: &str) -> String {
        number(decimal(text))
    }
}

/// `GET /console/pricing`.
pub async fn page(signed: Signed, Query(view): Query<PriceView>) -> Response {
    let query = PriceListQuery {
        size: Some(50),
        page: Some(view.page.max(0)),
        billing_item_id: (!view.billing_item_id.trim().is_empty())
            .then(|| view.billing_item_id.trim().to_owned()),
        offering: (!view.offering.is_empty()).then(|| view.offering.clone()),
        ..PriceListQuery::default()
    };
    let (prices, offerings) = tokio::join!(
        signed
            .api
            .get::<ReportPriceResponse, _>("/v1/reports/prices", &query),
        signed
            .api
            .get::<OfferingResponse, _>("/v1/reports/offerings", &()),
    );
    let (prices, offerings) = match (prices, offerings) {
        (Ok(prices), Ok(offerings)) => (prices, offerings.offerings),
        (Err(failure), _) | (_, Err(failure)) => return api_problem(signed.lang, &failure),
    };
    let next = (view.page + 1 < prices.total_pages).then(|| {
        let mut next = view.clone();
        next.page += 1;
        format!("/console/pricing?{}", query_string(&next))
    });
    let page = PricingPage {
        chrome: signed.chrome("nav.pricing", signed.lang.t("nav.pricing")),
        view,
        offerings,
        count: prices.count,
        prices: prices.prices,
        next,
    };
    render(signed.lang, &page)
}
