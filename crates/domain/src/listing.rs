//! Listing rules shared by every list operation: sort keys and page requests.

use crate::validation::{FieldError, Problem};

/// Direction of one sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

impl SortDirection {
    /// The wire spelling, `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}

/// A field a list can be sorted by; each list operation whitelists its own.
pub trait SortField: Copy + Eq + 'static {
    /// Every accepted wire name with its field, in documentation order.
    const FIELDS: &'static [(&'static str, Self)];

    /// The wire name of this field.
    fn name(self) -> &'static str {
        Self::FIELDS
            .iter()
            .find(|(_, field)| *field == self)
            .map(|(name, _)| *name)
            .unwrap_or_else(|| unreachable!("every sort field is listed in FIELDS"))
    }
}

/// One `field:direction` sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey<F> {
    /// What to sort by.
    pub field: F,
    /// Which way.
    pub direction: SortDirection,
}

impl<F> SortKey<F> {
    /// Ascending by `field`.
    pub const fn asc(field: F) -> Self {
        Self {
            field,
            direction: SortDirection::Asc,
        }
    }

    /// Descending by `field`.
    pub const fn desc(field: F) -> Self {
        Self {
            field,
            direction: SortDirection::Desc,
        }
    }
}

impl<F: SortField> SortKey<F> {
    /// The wire form, `field:asc` or `field:desc`.
    pub fn to_wire(self) -> String {
        format!("{}:{}", self.field.name(), self.direction.as_str())
    }
}

/// Parses `field:asc|desc[,field:asc|desc…]`; a key without direction sorts ascending.
///
/// Unknown fields, unknown directions and repeated fields are refused, never ignored.
///
/// ```
/// use scpfm_domain::listing::{parse_sort, SortField, SortDirection};
///
/// #[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// enum Field { Name, CreatedAt }
/// impl SortField for Field {
///     const FIELDS: &'static [(&'static str, Self)] =
///         &[("name", Field::Name), ("created_at", Field::CreatedAt)];
/// }
///
/// let keys = parse_sort::<Field>("sort", "created_at:desc,name").unwrap();
/// assert_eq!(keys[0].field, Field::CreatedAt);
/// assert_eq!(keys[1].direction, SortDirection::Asc);
/// assert!(parse_sort::<Field>("sort", "price:asc").is_err());
/// ```
pub fn parse_sort<F: SortField>(field: &str, text: &str) -> Result<Vec<SortKey<F>>, FieldError> {
    let mut keys: Vec<SortKey<F>> = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (name, direction) = match part.split_once(':') {
            Some((name, direction)) => (name.trim(), Some(direction.trim())),
            None => (part, None),
        };
        let sort_field = F::FIELDS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, sort_field)| *sort_field)
            .ok_or_else(|| {
                FieldError::with_given(
                    field,
                    Problem::NotOneOf {
                        allowed: F::FIELDS
                            .iter()
                            .map(|(name, _)| (*name).to_owned())
                            .collect(),
                    },
                    name,
                )
            })?;
        let direction = match direction.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => SortDirection::Asc,
            Some("desc") => SortDirection::Desc,
            Some(_) => {
                return Err(FieldError::with_given(
                    field,
                    Problem::NotOneOf {
                        allowed: vec!["asc".into(), "desc".into()],
                    },
                    part,
                ))
            }
        };
        if keys.iter().any(|key| key.field == sort_field) {
            return Err(FieldError::with_given(field, Problem::Repeated, name));
        }
        keys.push(SortKey {
            field: sort_field,
            direction,
        });
    }
    Ok(keys)
}

/// A page size (`size`, `limit`) as a client asked for it: at least 1 (else a problem named
/// `field`); more than `max` is served as `max`, so a client asking for "everything" (SCP's
/// Terraform provider asks for `size=2147483647`) gets the largest page, and the response's
/// total tells it whether more remain.
pub fn page_size(
    field: &str,
    size: Option<i64>,
    default: u32,
    max: u32,
) -> Result<u32, FieldError> {
    let size = size.unwrap_or(i64::from(default));
    if size < 1 {
        return Err(FieldError::with_given(
            field,
            Problem::OutOfRange {
                min: 1,
                max: i64::from(max),
            },
            size.to_string(),
        ));
    }
    Ok(u32::try_from(size).map_or(max, |size| size.min(max)))
}

/// A page of a `page`/`size` list, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    size: u32,
}

impl PageRequest {
    /// Largest page size any list accepts.
    pub const MAX_SIZE: u32 = 1000;
    /// Largest page number accepted (keeps offsets far from overflow).
    pub const MAX_PAGE: u32 = 10_000_000;

    /// Validates a page number counted from `first` (0 or 1) and a size ([`page_size`]).
    pub fn new(
        page: Option<i64>,
        size: Option<i64>,
        first: u32,
        default_size: u32,
    ) -> Result<Self, FieldError> {
        let size = page_size("size", size, default_size, Self::MAX_SIZE)?;
        let page = page.unwrap_or(i64::from(first));
        let max_page = i64::from(Self::MAX_PAGE) + i64::from(first);
        if !(i64::from(first)..=max_page).contains(&page) {
            return Err(FieldError::with_given(
                "page",
                Problem::OutOfRange {
                    min: i64::from(first),
                    max: max_page,
                },
                page.to_string(),
            ));
        }
        let index = u32::try_from(page - i64::from(first)).unwrap_or(Self::MAX_PAGE);
        Ok(Self { page: index, size })
    }

    /// The page index counted from 0.
    pub fn index(self) -> u32 {
        self.page
    }

    /// Items per page.
    pub fn size(self) -> u32 {
        self.size
    }

    /// Items to skip before this page.
    pub fn offset(self) -> u64 {
        u64::from(self.page) * u64::from(self.size)
    }

    /// Number of pages needed for `total` items.
    pub fn total_pages(self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.size))
    }

    /// This page of `items` (empty past the end).
    pub fn slice<T>(self, items: &[T]) -> &[T] {
        let start = usize::try_from(self.offset())
            .unwrap_or(usize::MAX)
            .min(items.len());
        let end = start.saturating_add(self.size() as usize).min(items.len());
        &items[start..end]
    }
}

/// One page of a `limit`/`marker` listing (CostExplorer's bills and usages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerPage<T> {
    /// The items, at most `limit`.
    pub items: Vec<T>,
    /// True when more items follow.
    pub more: bool,
}

impl<T> MarkerPage<T> {
    /// The page of up to `limit + 1` rows read: the extra row only says that more follow.
    pub fn from_rows(mut rows: Vec<T>, limit: u32) -> Self {
        let limit = limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        Self { items: rows, more }
    }

    /// The next page's marker: the last item's id, when more follow.
    pub fn next_marker<'a>(&'a self, id: impl Fn(&'a T) -> &'a str) -> Option<&'a str> {
        self.items.last().filter(|_| self.more).map(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Field {
        Name,
        Amount,
    }

    impl SortField for Field {
        const FIELDS: &'static [(&'static str, Self)] =
            &[("name", Field::Name), ("amount", Field::Amount)];
    }

    #[test]
    fn sort_keys_parse_in_order_with_directions() {
        let keys = parse_sort::<Field>("sort", "amount:DESC, name:asc").unwrap();
        assert_eq!(
            keys,
            vec![
                SortKey {
                    field: Field::Amount,
                    direction: SortDirection::Desc
                },
                SortKey {
                    field: Field::Name,
                    direction: SortDirection::Asc
                },
            ]
        );
        assert_eq!(keys[0].to_wire(), "amount:desc");
    }

    #[test]
    fn unknown_fields_directions_and_repeats_are_refused() {
        let unknown = parse_sort::<Field>("sort", "price:asc").unwrap_err();
        assert!(matches!(unknown.problem, Problem::NotOneOf { .. }));
        assert_eq!(unknown.given.as_deref(), Some("price"));
        assert!(parse_sort::<Field>("sort", "name:up").is_err());
        assert!(parse_sort::<Field>("sort", "name,name:desc").is_err());
        assert!(parse_sort::<Field>("sort", "").is_err());
        assert!(parse_sort::<Field>("sort", "name,").is_err());
    }

    #[test]
    fn pages_are_validated_against_their_first_index() {
        let zero_based = PageRequest::new(Some(2), Some(20), 0, 20).unwrap();
        assert_eq!((zero_based.index(), zero_based.offset()), (2, 40));
        let one_based = PageRequest::new(Some(1), None, 1, 20).unwrap();
        assert_eq!((one_based.index(), one_based.size()), (0, 20));
        let everything = PageRequest::new(Some(0), Some(2_147_483_647), 0, 20).unwrap();
        assert_eq!(everything.size(), PageRequest::MAX_SIZE);
        for wrong in [0, -1] {
            assert!(PageRequest::new(None, Some(wrong), 0, 20).is_err());
        }
        assert!(PageRequest::new(Some(0), None, 1, 20).is_err());
        assert!(PageRequest::new(Some(-1), None, 0, 20).is_err());
        assert!(PageRequest::new(None, Some(0), 0, 20).is_err());
        // Over the maximum: served as the largest page (issue 18).
        assert_eq!(
            PageRequest::new(None, Some(1001), 0, 20).unwrap().size(),
            1000
        );
        assert_eq!(
            PageRequest::new(None, Some(20), 0, 20)
                .unwrap()
                .total_pages(41),
            3
        );
    }

    #[test]
    fn a_marker_page_keeps_limit_rows_and_names_the_next_marker() {
        let page = MarkerPage::from_rows(vec!["a", "b", "c"], 2);
        assert_eq!(page.items, ["a", "b"]);
        assert_eq!(page.next_marker(|item| item), Some("b"));
        let last = MarkerPage::from_rows(vec!["a", "b"], 2);
        assert!(!last.more);
        assert_eq!(last.next_marker(|item| item), None);
    }
}
