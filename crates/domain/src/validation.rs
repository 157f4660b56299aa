//! Structured validation failures: which field, what is wrong, and the value given.
//!
//! The domain never writes user-facing sentences; it reports a [`Problem`] per field and the
//! server renders it in the request's language. One rendering per problem kind serves every
//! field of every service.

use std::fmt;

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required value is missing (or null).
    Required,
    /// The text is empty or only whitespace.
    Blank,
    /// The text has more characters than allowed.
    TooLong {
        /// Largest allowed number of characters.
        max: usize,
    },
    /// The text contains a control character (newline, tab, NUL…).
    ControlCharacter,
    /// The text contains a character outside the allowed set.
    InvalidCharacters {
        /// The allowed set, in words (e.g. "Korean, English letters, digits, spaces and +=.,@-_").
        allowed: &'static str,
    },
    /// The value is not one of a fixed set.
    NotOneOf {
        /// Every accepted value, in documentation order.
        allowed: Vec<String>,
    },
    /// The number must be greater than zero.
    NotPositive,
    /// The number is outside an inclusive range.
    OutOfRange {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// The text does not follow a documented format.
    InvalidFormat {
        /// The expected format, as the documentation writes it (e.g. `YYYY-MM`).
        expected: &'static str,
    },
    /// The text is not a valid e-mail address.
    InvalidEmail,
    /// The list must hold at least one item.
    EmptyList,
    /// The list holds more items than allowed.
    TooManyItems {
        /// Largest allowed number of items.
        max: usize,
    },
    /// The same item appears twice where each may appear once.
    Repeated,
    /// The JSON value has the wrong type (e.g. a string where a number belongs).
    WrongType {
        /// What the field holds, in JSON terms (e.g. `integer`, `array of strings`).
        expected: &'static str,
    },
    /// More problems were found than are listed.
    MoreProblems {
        /// How many were left out.
        count: usize,
    },
    /// The value falls in a closed month, whose bills are final.
    MonthClosed {
        /// The month (`YYYY-MM`).
        month: String,
    },
    /// The value is required because another field has a given value.
    RequiredWhen {
        /// The other field, by its wire name.
        other_field: &'static str,
        /// The other field's value that makes this one required.
        other_value: String,
    },
}

/// One problem with one field, named by its wire path (e.g. `notifications.receivers[1]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Wire name or path of the field at fault.
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
    /// The value the client sent, when it helps to show it.
    pub given: Option<String>,
}

impl FieldError {
    /// A problem with `field`, without echoing the value.
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
            given: None,
        }
    }

    /// A problem with `field`, echoing the value the client sent.
    pub fn with_given(
        field: impl Into<String>,
        problem: Problem,
        given: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            problem,
            given: Some(given.into()),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}", self.field, self.problem)
    }
}

/// Every problem found in one request, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// `value`, or a "required" problem recorded for `field` when it is missing.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.push(FieldError::new(field, Problem::Required));
        }
        value
    }

    /// Errors holding exactly one problem.
    pub fn single(error: FieldError) -> Self {
        Self(vec![error])
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records a problem.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Keeps the value of a successful check, or records its problem and yields `None`.
    ///
    /// ```
    /// use scpfm_domain::validation::{FieldError, Problem, ValidationErrors};
    ///
    /// let mut errors = ValidationErrors::default();
    /// let ok: Option<u8> = errors.check(Ok(1));
    /// let bad: Option<u8> = errors.check(Err(FieldError::new("size", Problem::NotPositive)));
    /// assert_eq!((ok, bad), (Some(1), None));
    /// assert!(errors.finish().is_err());
    /// ```
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// Like [`check`](Self::check) for checks that can report several problems.
    pub fn check_all<T>(&mut self, result: Result<T, ValidationErrors>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(errors) => {
                self.0.extend(errors.0);
                None
            }
        }
    }

    /// Puts `prefix` (e.g. `records[3].`) before every field name.
    pub fn prefixed(mut self, prefix: &str) -> Self {
        for error in &mut self.0 {
            error.field.insert_str(0, prefix);
        }
        self
    }

    /// Keeps the first `limit` problems and notes how many were left out.
    pub fn truncated(mut self, limit: usize) -> Self {
        if self.0.len() > limit {
            let count = self.0.len() - limit;
            self.0.truncate(limit);
            self.0
                .push(FieldError::new("records", Problem::MoreProblems { count }));
        }
        self
    }

    /// `Ok(())` when nothing was found, else every problem.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(error: FieldError) -> Self {
        Self::single(error)
    }
}

/// Checks that `text` has 1..=`max` characters, is not blank and has no control characters.
pub fn check_text(field: &str, text: &str, max: usize) -> Result<(), FieldError> {
    if text.trim().is_empty() {
        return Err(FieldError::new(field, Problem::Blank));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(field, Problem::TooLong { max }));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(field, Problem::ControlCharacter));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules_count_characters_not_bytes() {
        let korean = "예".repeat(64);
        assert!(check_text("name", &korean, 64).is_ok());
        assert_eq!(
            check_text("name", &format!("{korean}예"), 64),
            Err(FieldError::new("name", Problem::TooLong { max: 64 }))
        );
    }

    #[test]
    fn blank_and_control_characters_are_refused() {
        assert_eq!(
            check_text("n", "  ", 10).map_err(|e| e.problem),
            Err(Problem::Blank)
        );
        assert_eq!(
            check_text("n", "", 10).map_err(|e| e.problem),
            Err(Problem::Blank)
        );
        assert_eq!(
            check_text("n", "a\nb", 10).map_err(|e| e.problem),
            Err(Problem::ControlCharacter)
        );
    }

    #[test]
    fn collector_keeps_every_problem_in_order() {
        let mut errors = ValidationErrors::default();
        errors.check::<()>(Err(FieldError::new("a", Problem::Required)));
        errors.check_all::<()>(Err(ValidationErrors(vec![
            FieldError::new("b", Problem::Blank),
            FieldError::new("c", Problem::EmptyList),
        ])));
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "c"]);
    }
}
