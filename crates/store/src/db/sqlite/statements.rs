//! SQLite statements: the SQL text in SQLite's numbered form (cached per thread), parameter
//! binding, prepared statements, rows read through [`Row`], and errors mapped to
//! [`StoreError`].
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode};

use super::super::{Row, RowMapper, Value};
use crate::StoreError;

thread_local! {
    /// SQL text as written (`$N`, PostgreSQL's form) → the same text with `?N`, SQLite's
    /// numbered form. Computed once per statement text and thread.
    static SQLITE_TEXT: RefCell<HashMap<String, Rc<str>, foldhash::fast::RandomState>> =
        RefCell::new(HashMap::default());
}

/// Most statement texts remembered per thread before the map is cleared.
const SQLITE_TEXT_CAPACITY: usize = 1024;

/// `sql` with every `$N` written `?N`.
///
/// SQLite reads `$N` as a *named* parameter and finds each name by a linear search while
/// parsing: a statement of n parameters takes n²/2 string comparisons to prepare (a large
/// batch INSERT pays it on every batch). `?N` is a plain index: parameter N is
/// bound at index N, the same numbering PostgreSQL uses.
fn sqlite_text(sql: &str) -> Rc<str> {
    SQLITE_TEXT.with(|cache| {
        if let Some(text) = cache.borrow().get(sql) {
            return Rc::clone(text);
        }
        let text: Rc<str> = numbered_parameters(sql).into();
        let mut cache = cache.borrow_mut();
        if cache.len() >= SQLITE_TEXT_CAPACITY {
            cache.clear();
        }
        cache.insert(sql.to_owned(), Rc::clone(&text));
        text
    })
}

/// `sql` with `$N` outside string literals written `?N`.
fn numbered_parameters(sql: &str) -> String {
    let mut bytes = sql.as_bytes().to_vec();
    let mut in_literal = false;
    for idx in 0..bytes.len() {
        match bytes[idx] {
            b'\'' => in_literal = !in_literal,
            b'$' if !in_literal && bytes.get(idx + 1).is_some_and(u8::is_ascii_digit) => {
                bytes[idx] = b'?';
            }
            _ => {}
        }
    }
    // One ASCII byte replaced by another: still the UTF-8 it was.
    String::from_utf8(bytes).unwrap_or_else(|_| sql.to_owned())
}

/// The cached statement of `sql` (written with `$N`).
fn statement<'c>(
    connection: &'c Connection,
    sql: &str,
) -> Result<rusqlite::CachedStatement<'c>, StoreError> {
    connection
        .prepare_cached(&sqlite_text(sql))
        .map_err(map_error)
}

/// Binds `params[N - 1]` to every parameter `?N` of `statement`.
fn bind(statement: &mut rusqlite::Statement<'_>, params: &[Value<'_>]) -> Result<(), StoreError> {
    bind_with(statement, params, &mut String::new())
}

/// [`bind`], writing decimals into `scratch` (SQLite copies bound text, so one buffer serves
/// every decimal of every run).
fn bind_with(
    statement: &mut rusqlite::Statement<'_>,
    params: &[Value<'_>],
    scratch: &mut String,
) -> Result<(), StoreError> {
    for index in 1..=statement.parameter_count() {
        let value = params
            .get(index - 1)
            .ok_or_else(|| StoreError::Query(format!("no value for parameter ${index}")))?;
        let bound = match value {
            Value::Decimal(number) => {
                use std::fmt::Write as _;
                scratch.clear();
                // Writing to a String cannot fail.
                let _ = write!(scratch, "{number}");
                statement.raw_bind_parameter(index, scratch.as_str())
            }
            other => statement.raw_bind_parameter(index, other),
        };
        bound.map_err(map_error)?;
    }
    Ok(())
}

/// Runs one statement.
pub fn execute(
    connection: &Connection,
    sql: &str,
    params: &[Value<'_>],
) -> Result<u64, StoreError> {
    let mut statement = statement(connection, sql)?;
    bind(&mut statement, params)?;
    let changed = statement.raw_execute().map_err(map_error)?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

/// A statement prepared and numbered once, run many times (bulk inserts).
pub struct Prepared<'c> {
    statement: rusqlite::CachedStatement<'c>,
    /// Decimals are written here and bound from it (SQLite copies bound text).
    scratch: String,
}

impl Prepared<'_> {
    /// Runs the statement with `params`.
    pub fn execute(&mut self, params: &[Value<'_>]) -> Result<u64, StoreError> {
        bind_with(&mut self.statement, params, &mut self.scratch)?;
        let changed = self.statement.raw_execute().map_err(map_error)?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }
}

/// Prepares `sql` for many runs.
pub fn prepare<'c>(connection: &'c Connection, sql: &str) -> Result<Prepared<'c>, StoreError> {
    Ok(Prepared {
        statement: statement(connection, sql)?,
        scratch: String::new(),
    })
}

/// Runs a query, mapping every row.
pub fn query_all<T>(
    connection: &Connection,
    sql: &str,
    params: &[Value<'_>],
    map: RowMapper<T>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = statement(connection, sql)?;
    bind(&mut statement, params)?;
    let mut rows = statement.raw_query();
    let mut values = Vec::new();
    while let Some(row) = rows.next().map_err(map_error)? {
        values.push(map(&SqliteRow(row))?);
    }
    Ok(values)
}

/// Runs a query, mapping the first row.
pub fn query_opt<T>(
    connection: &Connection,
    sql: &str,
    params: &[Value<'_>],
    map: RowMapper<T>,
) -> Result<Option<T>, StoreError> {
    let mut statement = statement(connection, sql)?;
    bind(&mut statement, params)?;
    let mut rows = statement.raw_query();
    match rows.next().map_err(map_error)? {
        Some(row) => Ok(Some(map(&SqliteRow(row))?)),
        None => Ok(None),
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Value::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::Int(number) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(number)),
            Value::Bool(flag) => {
                ToSqlOutput::Owned(rusqlite::types::Value::Integer(i64::from(flag)))
            }
            Value::Decimal(number) => {
                ToSqlOutput::Owned(rusqlite::types::Value::Text(number.to_string()))
            }
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
        })
    }
}

struct SqliteRow<'a>(&'a rusqlite::Row<'a>);

impl Row for SqliteRow<'_> {
    fn text(&self, idx: usize) -> Result<String, StoreError> {
        self.0.get(idx).map_err(map_error)
    }

    fn str(&self, idx: usize) -> Result<&str, StoreError> {
        self.0
            .get_ref(idx)
            .map_err(map_error)?
            .as_str()
            .map_err(|error| StoreError::Corrupt(format!("column {idx} is not text: {error}")))
    }

    fn opt_text(&self, idx: usize) -> Result<Option<String>, StoreError> {
        self.0.get(idx).map_err(map_error)
    }

    fn int(&self, idx: usize) -> Result<i64, StoreError> {
        self.0.get(idx).map_err(map_error)
    }

    fn opt_int(&self, idx: usize) -> Result<Option<i64>, StoreError> {
        self.0.get(idx).map_err(map_error)
    }

    fn boolean(&self, idx: usize) -> Result<bool, StoreError> {
        self.0.get(idx).map_err(map_error)
    }

    fn decimal(&self, idx: usize) -> Result<rust_decimal::Decimal, StoreError> {
        // Read in place: listing pages parse dozens of decimal columns per row.
        let value = self.0.get_ref(idx).map_err(map_error)?;
        let text = value.as_str().map_err(|error| {
            StoreError::Corrupt(format!("column {idx} is not decimal text: {error}"))
        })?;
        text.parse()
            .map_err(|_| StoreError::Corrupt(format!("column {idx} holds {text:?}, not a decimal")))
    }

    fn opt_decimal(&self, idx: usize) -> Result<Option<rust_decimal::Decimal>, StoreError> {
        match self.0.get_ref(idx).map_err(map_error)? {
            ValueRef::Null => Ok(None),
            _ => self.decimal(idx).map(Some),
        }
    }
}

/// Maps a rusqlite error onto the store's kinds.
pub fn map_error(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, detail) => match failure.code {
            ErrorCode::ConstraintViolation
                if failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || failure.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                StoreError::Conflict(detail.clone().unwrap_or_else(|| error.to_string()))
            }
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen => {
                StoreError::Unavailable(error.to_string())
            }
            _ => StoreError::Query(error.to_string()),
        },
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt(error.to_string()),
        _ => StoreError::Query(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_parameters_become_numbered_ones_outside_literals() {
        assert_eq!(
            numbered_parameters("SELECT $2, $1, $2, $10 FROM t WHERE a = '$1' AND b = 'é$'"),
            "SELECT ?2, ?1, ?2, ?10 FROM t WHERE a = '$1' AND b = 'é$'"
        );
        assert_eq!(numbered_parameters("SELECT '$x', $ 1"), "SELECT '$x', $ 1");
    }

    #[test]
    fn parameters_bind_by_number_whatever_their_order() {
        let connection = Connection::open_in_memory().unwrap();
        let (a, b, c): (i64, String, i64) = {
            let mut statement = statement(&connection, "SELECT $2, $3, $2 + $1").unwrap();
            bind(
                &mut statement,
                &[Value::Int(1), Value::Int(40), Value::Text("x")],
            )
            .unwrap();
            let mut rows = statement.raw_query();
            let row = rows.next().unwrap().unwrap();
            (
                row.get(0).unwrap(),
                row.get(1).unwrap(),
                row.get(2).unwrap(),
            )
        };
        assert_eq!((a, b.as_str(), c), (40, "x", 41));
        let mut statement = statement(&connection, "SELECT $1, $2").unwrap();
        assert!(bind(&mut statement, &[Value::Int(1)]).is_err());
    }
}
