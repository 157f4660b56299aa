//! The fields the budget list can be sorted by.

use crate::listing::SortField;

/// Fields the budget list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetSortField {
    /// Creation time.
    CreatedAt,
    /// Last change time.
    ModifiedAt,
    /// Name (code point order).
    Name,
    /// Amount.
    Amount,
    /// Start month.
    StartMonth,
    /// Unit.
    Unit,
    /// Budget id.
    Id,
}

impl SortField for BudgetSortField {
    const FIELDS: &'static [(&'static str, Self)] = &[
        ("created_at", Self::CreatedAt),
        ("modified_at", Self::ModifiedAt),
        ("name", Self::Name),
        ("amount", Self::Amount),
        ("start_month", Self::StartMonth),
        ("unit", Self::Unit),
        ("id", Self::Id),
    ];
}
