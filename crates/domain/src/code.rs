//! Closed sets of wire codes (`ACTIVE`, `PG`, `BILLED`…): every enum a client names by a code
//! reads it the same way, and refuses an unknown one with the list of codes it accepts.

use crate::validation::{FieldError, Problem};

/// An enum with one wire code per value.
pub trait Code: Sized + Copy + 'static {
    /// Every value, in the documented order.
    fn all() -> &'static [Self];

    /// Its wire code.
    fn code(self) -> &'static str;

    /// The value `text` names exactly.
    fn from_code(text: &str) -> Option<Self> {
        Self::all()
            .iter()
            .copied()
            .find(|value| value.code() == text)
    }

    /// The value `text` names, or the problem for `field` listing every code.
    fn parse_field(field: &str, text: &str) -> Result<Self, FieldError> {
        Self::from_code(text).ok_or_else(|| {
            FieldError::with_given(
                field,
                Problem::NotOneOf {
                    allowed: Self::all().iter().map(|v| v.code().to_owned()).collect(),
                },
                text,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bill::BillState;
    use crate::catalog::Offering;
    use crate::planned_compute::ContractState;

    #[test]
    fn codes_round_trip_and_unknown_ones_list_the_allowed() {
        for state in ContractState::all() {
            assert_eq!(ContractState::from_code(state.code()), Some(*state));
        }
        assert_eq!(Offering::from_code("PP"), Some(Offering::PlannedCompute));
        let error = BillState::parse_field("bill_state", "PAID").unwrap_err();
        assert_eq!(error.field, "bill_state");
        assert_eq!(
            error.problem,
            Problem::NotOneOf {
                allowed: vec!["USED".into(), "BILLED".into()]
            }
        );
    }
}
