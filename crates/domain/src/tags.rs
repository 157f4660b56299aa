//! Tags: `key=value` labels on usage records and planned computes, by which cost is grouped
//! and filtered (`TAG:team`, `tag=team=web`).
//!
//! SCP's rules, as its console enforces them: at most 50 tags per resource, keys of 1–128
//! and values of 0–256 characters, letters (any script), digits, spaces and `_ . : / = + - @`.
//! scpfm keeps `=` out of keys and `;` out of both, so the CSV form `team=web;env=prod` is
//! unambiguous. A [`TagSet`] is kept sorted by key, each key once: its canonical text is
//! the same whatever order the tags came in, so equal sets are stored once.

use std::collections::BTreeMap;

use crate::validation::{FieldError, Problem, ValidationErrors};

/// Most tags one record or contract carries.
pub const MAX_TAGS: usize = 50;
/// Most characters of a tag key.
pub const MAX_KEY_CHARS: usize = 128;
/// Most characters of a tag value.
pub const MAX_VALUE_CHARS: usize = 256;

const ALLOWED: &str = "letters, digits, spaces and _ . : / = + - @ (no = in keys)";

/// Validated tags, sorted by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagSet(Vec<(String, String)>);

fn allowed_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == ' ' || "_.:/=+-@".contains(ch)
}

/// Checks one key (1–128 allowed characters, no `=`).
pub fn check_key(field: &str, key: &str) -> Result<(), FieldError> {
    if key.trim().is_empty() {
        return Err(FieldError::new(field, Problem::Blank));
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(FieldError::with_given(
            field,
            Problem::TooLong { max: MAX_KEY_CHARS },
            key,
        ));
    }
    if !key.chars().all(|ch| allowed_char(ch) && ch != '=') {
        return Err(FieldError::with_given(
            field,
            Problem::InvalidCharacters { allowed: ALLOWED },
            key,
        ));
    }
    Ok(())
}

/// Checks one value (0–256 allowed characters).
pub fn check_value(field: &str, value: &str) -> Result<(), FieldError> {
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(FieldError::with_given(
            field,
            Problem::TooLong {
                max: MAX_VALUE_CHARS,
            },
            value,
        ));
    }
    if !value.chars().all(allowed_char) {
        return Err(FieldError::with_given(
            field,
            Problem::InvalidCharacters { allowed: ALLOWED },
            value,
        ));
    }
    Ok(())
}

impl TagSet {
    /// No tags.
    pub const EMPTY: Self = Self(Vec::new());

    /// Checks `tags` (a map: each key once) — count, key and value — naming problems
    /// `field.key`.
    pub fn from_map(field: &str, tags: BTreeMap<String, String>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if tags.len() > MAX_TAGS {
            errors.push(FieldError::new(
                field,
                Problem::TooManyItems { max: MAX_TAGS },
            ));
        }
        for (key, value) in &tags {
            errors.check(check_key(field, key));
            errors.check(check_value(&format!("{field}.{key}"), value));
        }
        errors.finish()?;
        Ok(Self(tags.into_iter().collect()))
    }

    /// Tags as stored: trusted (checked when they were received).
    pub fn from_stored(tags: impl IntoIterator<Item = (String, String)>) -> Self {
        let map: BTreeMap<String, String> = tags.into_iter().collect();
        Self(map.into_iter().collect())
    }

    /// The tags, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    /// The tags as stored pairs, by key.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// True without tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `key`, if tagged.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(known, _)| known.as_str().cmp(key))
            .ok()
            .map(|idx| self.0[idx].1.as_str())
    }

    /// The canonical text: `key=value` pairs by key, joined by `;` (empty without tags).
    pub fn canonical(&self) -> String {
        let mut text = String::new();
        for (idx, (key, value)) in self.0.iter().enumerate() {
            if idx > 0 {
                text.push(';');
            }
            text.push_str(key);
            text.push('=');
            text.push_str(value);
        }
        text
    }
}

/// Reads the CSV form `team=web;env=prod` into a map (an empty text is no tags). Fails on a
/// pair without `=` or a key given twice, saying which.
pub fn parse_list(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut tags = BTreeMap::new();
    for pair in text
        .split(';')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
    {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(format!("tag `{pair}` is not key=value"));
        };
        let key = key.trim().to_owned();
        if tags.insert(key.clone(), value.trim().to_owned()).is_some() {
            return Err(format!("tag key `{key}` is given twice"));
        }
    }
    Ok(tags)
}

/// A tag filter, `key=value`: checked like a tag.
pub fn parse_filter(field: &str, text: &str) -> Result<(String, String), FieldError> {
    let Some((key, value)) = text.split_once('=') else {
        return Err(FieldError::with_given(
            field,
            Problem::InvalidFormat {
                expected: "key=value (e.g. team=web)",
            },
            text,
        ));
    };
    check_key(field, key)?;
    check_value(field, value)?;
    Ok((key.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn canonical_text_is_sorted_whatever_the_input_order() {
        let tags = TagSet::from_map("tags", parse_list("team=web; env=prod").unwrap()).unwrap();
        assert_eq!(tags.canonical(), "env=prod;team=web");
        assert_eq!(tags.get("team"), Some("web"));
        assert_eq!(tags.get("owner"), None);
        assert_eq!(TagSet::EMPTY.canonical(), "");
    }

    #[test]
    fn lists_refuse_pairs_without_equals_and_repeated_keys() {
        assert!(parse_list("team").unwrap_err().contains("team"));
        assert!(parse_list("a=1;a=2").unwrap_err().contains("twice"));
        assert_eq!(parse_list("").unwrap(), BTreeMap::new());
        assert_eq!(parse_list("url=a=b").unwrap(), map(&[("url", "a=b")]));
    }

    #[test]
    fn keys_values_and_counts_are_bounded() {
        assert!(TagSet::from_map("tags", map(&[("", "x")])).is_err());
        assert!(TagSet::from_map("tags", map(&[("a;b", "x")])).is_err());
        assert!(TagSet::from_map("tags", map(&[("k", "a\nb")])).is_err());
        let long = "k".repeat(MAX_KEY_CHARS + 1);
        assert!(TagSet::from_map("tags", map(&[(&long, "x")])).is_err());
        let many: BTreeMap<String, String> = (0..=MAX_TAGS)
            .map(|i| (format!("k{i}"), "v".into()))
            .collect();
        assert!(TagSet::from_map("tags", many).is_err());
        assert!(TagSet::from_map("tags", map(&[("팀", "웹 서비스")])).is_ok());
    }

    #[test]
    fn filters_need_equals() {
        assert_eq!(
            parse_filter("tag", "team=web").unwrap(),
            ("team".into(), "web".into())
        );
        assert!(parse_filter("tag", "team").is_err());
        assert!(parse_filter("tag", "=web").is_err());
    }
}
