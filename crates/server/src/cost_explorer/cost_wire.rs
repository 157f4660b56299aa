//! Cost analysis answers in their wire form: periods in KST, amounts as `{"krw", "usd"}`
//! with three decimals, quantities with their unit, only the metrics asked for.

use rust_decimal::Decimal;
use scpfm_api_types::cost::{
    CostAndUsageResponse, CostForecastResponse, CostGroup, CostPeriod, ForecastGroup,
    ForecastPeriod, Metrics, Prediction, Quantity,
};
use scpfm_app::cost_analysis::forecast::{ForecastPeriod as Forecast, ForecastRequest};
use scpfm_app::cost_analysis::{CostAnswer, CostRequest, GroupSums, Period};
use scpfm_domain::code::Code as _;
use scpfm_domain::cost::{from_milli, from_nano, Metric};
use scpfm_domain::decimal_text::fixed;
use scpfm_domain::forecast::Prediction as Predicted;
use scpfm_domain::money::DualAmount;
use scpfm_domain::month::kst;

use crate::links::PageLinks;
use crate::wire::amount;

/// The forecast's method, in one line (`docs/FORECAST.md` has the whole).
const METHOD: &str = "weekday factors and a least-squares trend over the last 56 days; \
    80% interval from the fit's residuals";

fn instant(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&kst())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn dual(pair: [i64; 2]) -> DualAmount {
    DualAmount {
        krw: from_milli(pair[0]),
        usd: from_milli(pair[1]),
    }
}

fn metrics(sums: &GroupSums, asked: &[Metric]) -> Metrics {
    let f = &sums.figures;
    let list = [
        f.usage[0] + f.idle[0] + f.fee[0],
        f.usage[1] + f.idle[1] + f.fee[1],
    ];
    let net = [list[0] - f.discount[0], list[1] - f.discount[1]];
    let mut out = Metrics::default();
    for metric in asked {
        match metric {
            Metric::ListCost => out.list_cost = Some(amount(dual(list))),
            Metric::Discount => out.discount = Some(amount(dual(f.discount))),
            Metric::NetCost => out.net_cost = Some(amount(dual(net))),
            Metric::UsageQuantity => {
                out.usage_quantity = Some(Quantity {
                    amount: from_nano(i128::from(f.quantity_nano)).to_string(),
                    unit: sums.unit.clone().unwrap_or_else(|| "MIXED".into()),
                })
            }
        }
    }
    out
}

fn period_bounds(period: &Period) -> (String, String) {
    (instant(period.start), instant(period.end))
}

/// The wire form of a cost and usage answer.
pub fn answer_response(
    request: &CostRequest,
    asked: &[Metric],
    answer: &CostAnswer,
    links: &PageLinks,
) -> CostAndUsageResponse {
    let next = answer.next_offset.map(|offset| offset.to_string());
    CostAndUsageResponse {
        granularity: request.granularity.code().to_owned(),
        group_by: request.query.group_by.iter().map(|d| d.name()).collect(),
        count: crate::wire::count(answer.group_count),
        links: links.to(next.as_deref()),
        results: answer
            .periods
            .iter()
            .map(|period| {
                let (period_start, period_end) = period_bounds(&period.period);
                CostPeriod {
                    period_start,
                    period_end,
                    groups: period
                        .groups
                        .iter()
                        .map(|group| CostGroup {
                            keys: group.keys.clone(),
                            metrics: metrics(group, asked),
                        })
                        .collect(),
                    total: metrics(&period.total, asked),
                }
            })
            .collect(),
    }
}

fn prediction(value: &Predicted) -> Prediction {
    let text = |amount: Decimal| fixed(amount, 3);
    Prediction {
        mean: text(value.mean),
        lower: text(value.lower),
        upper: text(value.upper),
    }
}

/// The wire form of a forecast.
pub fn forecast_response(request: &ForecastRequest, periods: &[Forecast]) -> CostForecastResponse {
    CostForecastResponse {
        granularity: request.granularity.code().to_owned(),
        group_by: request.query.group_by.iter().map(|d| d.name()).collect(),
        currency: "KRW".into(),
        method: METHOD.into(),
        results: periods
            .iter()
            .map(|period| {
                let (period_start, period_end) = period_bounds(&period.period);
                ForecastPeriod {
                    period_start,
                    period_end,
                    groups: period
                        .groups
                        .iter()
                        .map(|(keys, value)| ForecastGroup {
                            keys: keys.clone(),
                            net_cost: prediction(value),
                        })
                        .collect(),
                    total: prediction(&period.total),
                }
            })
            .collect(),
    }
}
