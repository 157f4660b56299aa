//! Change Request Planned Compute: `PUT /v1/planned-computes/{planned_compute_id}` → 200,
//! with the cancellation charge a CONTRACT_CANCEL puts on the bill.

use crate::json::Json;
use axum::extract::{Path, State};
use rust_decimal::Decimal;
use scpfm_api_types::billing_plan::{PlannedComputeChangeRequest, PlannedComputeResponse};
use scpfm_api_types::error::ErrorResponse;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::component::ChargeComponent;
use scpfm_domain::month::kst_date;
use scpfm_domain::month::YearMonth;
use scpfm_domain::planned_compute::{
    apply, quote_cancellation, CancellationFee, ChangeAction, PlannedCompute,
};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
use scpfm_store::bills::BillCharge;

use super::get::find;
use super::{check_contract_type, check_server_type, contract_dto};
use crate::error::{ApiError, Conflict};
use crate::extract::{ApiJson, Caller};
use crate::state::AppState;

/// What cancelling `contract` at `now` costs, and the charge it puts on the current KST
/// month's bill (none when there is no fee).
pub(crate) fn cancellation_charge(
    catalog: &Catalog,
    contract: &PlannedCompute,
    now: chrono::DateTime<chrono::Utc>,
) -> (CancellationFee, Option<BillCharge>) {
    let fee = quote_cancellation(catalog, contract, now);
    let charge = (fee.fee_krw > Decimal::ZERO).then(|| {
        let month = YearMonth::of(kst_date(now));
        BillCharge::for_contract(
            catalog,
            contract,
            month,
            ChargeComponent::CancellationFee,
            fee.fee_krw,
        )
    });
    (fee, charge)
}

/// Parses the change request into an action, with every problem named.
fn parse_action(
    state: &AppState,
    request: &PlannedComputeChangeRequest,
) -> Result<ChangeAction, ApiError> {
    let catalog = &state.catalog;
    let mut errors = ValidationErrors::default();
    let action = errors.required("action", request.action.as_deref());
    let contract_type = |errors: &mut ValidationErrors, action: &str| match request
        .contract_type
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        None => {
            errors.push(FieldError::new(
                "contract_type",
                Problem::RequiredWhen {
                    other_field: "action",
                    other_value: action.to_owned(),
                },
            ));
            None
        }
        Some(code) => errors.check(check_contract_type(catalog, "contract_type", code)),
    };
    let parsed = match action {
        None => None,
        Some("EXTEND_APPLY") => {
            contract_type(&mut errors, "EXTEND_APPLY").map(ChangeAction::ExtendApply)
        }
        Some("EXTEND_CHANGE") => {
            contract_type(&mut errors, "EXTEND_CHANGE").map(ChangeAction::ExtendChange)
        }
        Some("EXTEND_CANCEL") => Some(ChangeAction::ExtendCancel),
        Some("CONTRACT_CANCEL") => Some(ChangeAction::ContractCancel),
        Some("SERVER_TYPE_CHANGE") => {
            match request.server_type.as_deref().filter(|s| !s.is_empty()) {
                None => {
                    errors.push(FieldError::new(
                        "server_type",
                        Problem::RequiredWhen {
                            other_field: "action",
                            other_value: "SERVER_TYPE_CHANGE".into(),
                        },
                    ));
                    None
                }
                Some(server) => errors
                    .check(check_server_type(catalog, "server_type", server, None))
                    .map(ChangeAction::ServerTypeChange),
            }
        }
        Some(other @ ("CHANGE_START_DATE" | "CREATE_PLAN")) => {
            errors.push(FieldError::with_given(
                "action",
                Problem::InvalidFormat {
                    expected: "an action scpfm supports: CHANGE_START_DATE and CREATE_PLAN are console-internal \
                               in SCP and not offered (contracts start the day after the order)",
                },
                other,
            ));
            None
        }
        Some(other) => {
            errors.push(FieldError::with_given(
                "action",
                Problem::NotOneOf {
                    allowed: [
                        "EXTEND_APPLY",
                        "EXTEND_CHANGE",
                        "EXTEND_CANCEL",
                        "SERVER_TYPE_CHANGE",
                        "CONTRACT_CANCEL",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                },
                other,
            ));
            None
        }
    };
    errors.finish()?;
    parsed.ok_or_else(|| ApiError::Internal("a checked action did not parse".into()))
}

/// Applies a change action; one that does not fit the contract's state is a 409 naming
/// the reason. A cancellation charges its fee to the current month's bill.
#[utoipa::path(
    put,
    path = "/v1/planned-computes/{planned_compute_id}",
    operation_id = "ChangeRequestPlannedCompute",
    tag = "BillingPlan",
    description = "Change action request planned compute.",
    params(("planned_compute_id" = String, Path, description = "Planned Compute Id", example = "5f3688a192094ddeb0c94166a3e88935")),
    request_body = PlannedComputeChangeRequest,
    responses(
        (status = 200, description = "OK", body = PlannedComputeResponse),
        (status = 400, description = "Bad Request", body = ErrorResponse),
        (status = 401, description = "Unauthorized", body = ErrorResponse),
        (status = 404, description = "Not Found", body = ErrorResponse),
        (status = 409, description = "The action does not fit the contract's state", body = ErrorResponse),
    ),
    security(("scp_signature" = []))
)]
pub async fn change_planned_compute(
    _query: crate::extract::ApiQuery<crate::extract::NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PlannedComputeChangeRequest>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    let action = parse_action(&state, &request)?;
    let contract = find(&state, &caller, &id).await?;
    let now = state.clock.now();
    let changed =
        apply(&contract, &action, &state.catalog, now, &caller.user_name).map_err(|refusal| {
            ApiError::Conflict(Conflict::ContractAction {
                action: action.name(),
                refusal,
            })
        })?;
    let mut charge = None;
    let detail = match &action {
        ChangeAction::ContractCancel => {
            let (fee, fee_charge) = cancellation_charge(&state.catalog, &contract, now);
            charge = fee_charge;
            serde_json::json!({
                "cancellation_fee": fee.fee_krw.to_string(),
                "bill_year_month": fee.bill_month.to_string(),
                "charged_to": charge.as_ref().map(|charge| charge.month.to_string()),
                "same_day_cancel": fee.same_day_cancel,
            })
        }
        ChangeAction::ExtendApply(code) | ChangeAction::ExtendChange(code) => {
            serde_json::json!({ "contract_type": code })
        }
        ChangeAction::ServerTypeChange(server) => {
            serde_json::json!({ "from": contract.server_type, "to": server })
        }
        ChangeAction::ExtendCancel => serde_json::json!({}),
    };
    state
        .store
        .update_planned_compute(
            &changed,
            action.name(),
            &detail.to_string(),
            charge
                .as_ref()
                .map(|charge| (state.catalog.as_ref(), charge)),
        )
        .await?;
    tracing::info!(planned_compute.id = %changed.id, action = action.name(), "planned compute changed");
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(&state.catalog, &changed),
    }))
}
