//! Change Request Planned Compute: `PUT /v1/planned-computes/{planned_compute_id}` → 200.
//! A CONTRACT_CANCEL puts the cancellation charge on the bill (`scpfm_app::contracts`).

use crate::json::Json;
use axum::extract::{Path, State};
use scpfm_api_types::billing_plan::{PlannedComputeChangeRequest, PlannedComputeResponse};
use scpfm_api_types::error::ErrorResponse;
use scpfm_app::contracts::change;
use scpfm_domain::catalog::Catalog;
use scpfm_domain::planned_compute::{ActionArgument, ActionKind, ChangeAction, UnknownAction};
use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};

use super::contract_dto;
use super::get::find;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Caller, NoQuery};
use crate::openapi::{BadRequest, NotFound, Unauthorized};
use crate::state::AppState;

/// Applies a change action; one that does not fit the contract's state is a 409 naming
/// the reason. A cancellation charges its fee to the current month's bill.
#[utoipa::path(put, path = "/v1/planned-computes/{planned_compute_id}", operation_id = "ChangeRequestPlannedCompute",
    description = "Change action request planned compute.",
    params(("planned_compute_id" = String, Path, description = "Planned Compute Id", example = "5f3688a192094ddeb0c94166a3e88935")),
    request_body = PlannedComputeChangeRequest,
    responses((status = 200, description = "OK", body = PlannedComputeResponse), (status = 409, description = "The action does not fit the contract's state", body = ErrorResponse), BadRequest, Unauthorized, NotFound))]
pub async fn change_planned_compute(
    _query: ApiQuery<NoQuery>,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PlannedComputeChangeRequest>,
) -> Result<Json<PlannedComputeResponse>, ApiError> {
    let action = parse_action(&state.catalog, &request)?;
    let contract = find(&state, &caller, &id).await?;
    let changed = change(&state, &contract, &action, &caller.user_name).await?;
    Ok(Json(PlannedComputeResponse {
        planned_compute: contract_dto(&state.catalog, &changed),
    }))
}

/// Parses the change request into an action, with every problem named.
fn parse_action(
    catalog: &Catalog,
    request: &PlannedComputeChangeRequest,
) -> Result<ChangeAction, ApiError> {
    let mut errors = ValidationErrors::default();
    let kind = errors
        .required("action", request.action.as_deref())
        .and_then(|text| errors.check(parse_kind(text)));
    let argument = kind.and_then(|kind| {
        let (field, given) = match kind.argument()? {
            ActionArgument::ContractType => ("contract_type", request.contract_type.as_deref()),
            ActionArgument::ServerType => ("server_type", request.server_type.as_deref()),
        };
        let Some(text) = given.filter(|text| !text.is_empty()) else {
            errors.push(FieldError::new(
                field,
                Problem::RequiredWhen {
                    other_field: "action",
                    other_value: kind.name().to_owned(),
                },
            ));
            return None;
        };
        let known = match kind.argument()? {
            ActionArgument::ContractType => catalog
                .require_contract_type(field, text)
                .map(|contract| contract.code.clone()),
            ActionArgument::ServerType => catalog
                .require_server_type(field, text, None)
                .map(|server| server.id.clone()),
        };
        errors.check(known)
    });
    errors.finish()?;
    let kind = kind.ok_or_else(|| ApiError::Internal("a checked action did not parse".into()))?;
    Ok(kind.with(argument.unwrap_or_default()))
}

/// The action kind `text` names, or the problem with it.
fn parse_kind(text: &str) -> Result<ActionKind, FieldError> {
    text.parse::<ActionKind>().map_err(|unknown| match unknown {
        UnknownAction::ConsoleOnly => FieldError::with_given(
            "action",
            Problem::InvalidFormat {
                expected: "an action scpfm supports: CHANGE_START_DATE and CREATE_PLAN are console-internal \
                           in SCP and not offered (contracts start the day after the order)",
            },
            text,
        ),
        UnknownAction::Unknown => FieldError::with_given(
            "action",
            Problem::NotOneOf {
                allowed: ActionKind::ALL.map(|kind| kind.name().to_owned()).to_vec(),
            },
            text,
        ),
    })
}
