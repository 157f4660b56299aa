//! The catalogue as a validator: a value a client sent must name something the catalogue
//! holds, or it is a [`FieldError`] listing what it may be. Every operation checks against
//! these, so one id is refused in the same words everywhere.

use super::{BillingItem, Catalog, ContractType, OsType, Region, ServerType, Service};
use crate::validation::{FieldError, Problem};

/// The region a contract is placed in when the catalogue lists none.
pub const FALLBACK_REGION: &str = "kr-west1";

/// `text` as one of `allowed`, or the problem naming every allowed value.
fn one_of<'a, T>(
    field: &str,
    text: &str,
    mut candidates: impl Iterator<Item = &'a T> + Clone,
    matches: impl Fn(&T) -> bool,
    allowed: impl Fn(&'a T) -> Vec<String>,
) -> Result<&'a T, FieldError>
where
    T: 'a,
{
    let all = candidates.clone();
    candidates
        .find(|candidate| matches(candidate))
        .ok_or_else(|| {
            FieldError::with_given(
                field,
                Problem::NotOneOf {
                    allowed: all.flat_map(allowed).collect(),
                },
                text,
            )
        })
}

impl Catalog {
    /// The service `id` names, or a problem for `field`.
    pub fn require_service(&self, field: &str, id: &str) -> Result<&Service, FieldError> {
        one_of(
            field,
            id,
            self.services.iter(),
            |s| s.id == id,
            |s| vec![s.id.clone()],
        )
    }

    /// A service that offers planned compute, or a problem for `field`.
    pub fn require_planned_service(&self, field: &str, id: &str) -> Result<&Service, FieldError> {
        let planned = self.services.iter().filter(|s| s.planned_compute);
        one_of(field, id, planned, |s| s.id == id, |s| vec![s.id.clone()])
    }

    /// The region `id` names, or a problem for `field`.
    pub fn require_region(&self, field: &str, id: &str) -> Result<&Region, FieldError> {
        one_of(
            field,
            id,
            self.regions.iter(),
            |r| r.id == id,
            |r| vec![r.id.clone()],
        )
    }

    /// The billing item `id` names, or a problem for `field`.
    pub fn require_billing_item(&self, field: &str, id: &str) -> Result<&BillingItem, FieldError> {
        match self.billing_item(id) {
            Some(item) => Ok(item),
            None => Err(FieldError::with_given(
                field,
                Problem::NotOneOf {
                    allowed: self.billing_items.iter().map(|i| i.id.clone()).collect(),
                },
                id,
            )),
        }
    }

    /// An OS type by either spelling (`OPEN_SOURCE` or `opensource`), or a problem for `field`.
    pub fn require_os(&self, field: &str, text: &str) -> Result<&OsType, FieldError> {
        one_of(
            field,
            text,
            self.os_types.iter(),
            |os| os.id == text || os.value == text,
            |os| vec![os.id.clone()],
        )
        .map_err(|mut error| {
            // Both spellings are accepted, so both are listed: ids first, then values.
            if let Problem::NotOneOf { allowed } = &mut error.problem {
                allowed.extend(self.os_types.iter().map(|os| os.value.clone()));
            }
            error
        })
    }

    /// An OS type that runs on `service`, or a problem naming the ones that do.
    pub fn require_os_of(&self, field: &str, os: &OsType, service: &str) -> Result<(), FieldError> {
        if os.services.iter().any(|id| id == service) {
            return Ok(());
        }
        let fitting = self
            .os_types
            .iter()
            .filter(|os| os.services.iter().any(|id| id == service));
        Err(FieldError::with_given(
            field,
            Problem::NotOneOf {
                allowed: fitting.map(|os| os.id.clone()).collect(),
            },
            os.id.clone(),
        ))
    }

    /// A contract type by code, or a problem for `field`.
    pub fn require_contract_type(
        &self,
        field: &str,
        code: &str,
    ) -> Result<&ContractType, FieldError> {
        one_of(
            field,
            code,
            self.contract_types.iter(),
            |c| c.code == code,
            |c| vec![c.code.clone()],
        )
    }

    /// A server type (of `service`, when given), or a problem for `field`.
    pub fn require_server_type(
        &self,
        field: &str,
        id: &str,
        service: Option<&str>,
    ) -> Result<&ServerType, FieldError> {
        let of_service = self
            .server_types
            .iter()
            .filter(move |server| service.is_none_or(|service| server.service_id == service));
        one_of(
            field,
            id,
            of_service,
            |s| s.id == id,
            |s| vec![s.id.clone()],
        )
    }

    /// The region new contracts are placed in: the catalogue's first.
    pub fn home_region(&self) -> &str {
        self.regions
            .first()
            .map_or(FALLBACK_REGION, |region| region.id.as_str())
    }

    /// The display name of a contract type, or its code when the catalogue lacks it.
    pub fn contract_type_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.contract_types
            .iter()
            .find(|contract| contract.code == code)
            .map_or(code, |contract| contract.display_name.as_str())
    }
}
