//! `ORDER BY` and `LIMIT … OFFSET` for page/size listings: sort keys as SQL terms, each
//! listing naming the column of its fields.

use scpfm_domain::listing::{PageRequest, SortDirection, SortKey};

use crate::db::{SqlBuilder, Value};

/// SQL's keyword for `direction`.
pub(crate) fn keyword(direction: SortDirection) -> &'static str {
    match direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    }
}

/// `column DIRECTION` for each key, the column named by `column_of`.
pub(crate) fn terms<F: Copy>(
    sort: &[SortKey<F>],
    column_of: impl Fn(F) -> &'static str,
) -> Vec<String> {
    sort.iter()
        .map(|key| format!("{} {}", column_of(key.field), keyword(key.direction)))
        .collect()
}

/// Appends ` LIMIT size OFFSET offset` for `page`.
pub(crate) fn push_page(sql: &mut SqlBuilder<'_>, page: PageRequest) {
    sql.push(" LIMIT ");
    sql.param(Value::Int(i64::from(page.size())));
    sql.push(" OFFSET ");
    sql.param(Value::Int(offset(page)));
}

/// The rows `page` skips, as SQL's integer.
pub(crate) fn offset(page: PageRequest) -> i64 {
    i64::try_from(page.offset()).unwrap_or(i64::MAX)
}
