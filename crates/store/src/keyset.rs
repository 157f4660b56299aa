//! Keyset paging, shared by the usage and bill listings: pages ordered by `(key, seq)` (or by
//! `seq` alone, storage order) resume after the marker's values, so a page costs an index
//! range read wherever it starts — never an OFFSET.

use scpfm_domain::listing::SortDirection;

use crate::db::{SqlBuilder, Value};

/// How a listing pages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyset<'q> {
    /// The sort key's column (unprefixed); `None` orders by `seq` alone.
    pub key: Option<&'static str>,
    /// Ascending or descending, key and `seq` alike.
    pub direction: SortDirection,
    /// The marker's key value (ignored without a key) and `seq`.
    pub after: Option<(Value<'q>, i64)>,
    /// Rows to read: one more than the page shows, to tell whether more follow.
    pub rows: i64,
}

impl<'q> Keyset<'q> {
    /// ` AND …`: the rows after the marker, columns named with `prefix` (`r.` or none).
    pub fn after_marker(&self, prefix: &str, sql: &mut SqlBuilder<'q>) {
        let Some((value, seq)) = self.after else {
            return;
        };
        let comparison = match self.direction {
            SortDirection::Asc => ">",
            SortDirection::Desc => "<",
        };
        match self.key {
            Some(key) => {
                // (key, seq) after the marker's, written so that the first condition alone
                // bounds the index range and the second only sifts the marker's key value.
                sql.push(&format!(" AND {prefix}{key} {comparison}= "));
                sql.param(value);
                sql.push(&format!(" AND ({prefix}{key} {comparison} "));
                sql.param(value);
                sql.push(&format!(" OR {prefix}seq {comparison} "));
                sql.param(Value::Int(seq));
                sql.push(")");
            }
            None => {
                sql.push(&format!(" AND {prefix}seq {comparison} "));
                sql.param(Value::Int(seq));
            }
        }
    }

    /// ` ORDER BY … LIMIT rows`, columns named with `prefix`.
    pub fn order_limit(&self, prefix: &str, sql: &mut SqlBuilder<'q>) {
        let keyword = crate::ordering::keyword(self.direction);
        sql.push(&match self.key {
            Some(key) => {
                format!(" ORDER BY {prefix}{key} {keyword}, {prefix}seq {keyword} LIMIT ")
            }
            None => format!(" ORDER BY {prefix}seq {keyword} LIMIT "),
        });
        sql.param(Value::Int(self.rows));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_resume_after_the_marker_in_either_direction() {
        let keyset = Keyset {
            key: Some("period_start"),
            direction: SortDirection::Desc,
            after: Some((Value::Int(100), 7)),
            rows: 21,
        };
        let mut sql = SqlBuilder::default();
        keyset.after_marker("r.", &mut sql);
        keyset.order_limit("r.", &mut sql);
        assert_eq!(
            sql.sql,
            " AND r.period_start <= $1 AND (r.period_start < $2 OR r.seq < $3) \
             ORDER BY r.period_start DESC, r.seq DESC LIMIT $4"
        );
        let storage_order = Keyset {
            key: None,
            direction: SortDirection::Asc,
            after: Some((Value::Null, 7)),
            rows: 3,
        };
        let mut sql = SqlBuilder::default();
        storage_order.after_marker("", &mut sql);
        storage_order.order_limit("", &mut sql);
        assert_eq!(sql.sql, " AND seq > $1 ORDER BY seq ASC LIMIT $2");
    }
}
