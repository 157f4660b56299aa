//! Control characters (U+0000–U+001F, U+007F) are refused in every text a request carries:
//! JSON strings, query parameters and path segments. They have no place in a name, an id or
//! an e-mail address, PostgreSQL cannot store NUL in text at all, and a line break in a name
//! forges lines in logs and mail. Checked once here, for both engines.
//!
//! Raw control characters cannot reach us (HTTP forbids them in a URL, JSON inside strings):
//! they come escaped, as `%00` in a URL or `\u0000`, `\n`… in JSON, so the checks look for
//! the escapes and only then work out which field holds one.

/// Whether a percent-encoded text holds an encoded control character.
fn has_encoded_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(3).any(|window| {
        window[0] == b'%'
            && matches!(
                (window[1].to_ascii_uppercase(), window[2].to_ascii_uppercase()),
                (b'0' | b'1', b'0'..=b'9' | b'A'..=b'F') | (b'7', b'F')
            )
    })
}

/// The first query parameter (decoded name) whose name or value holds a control character.
pub fn in_query(query: &str) -> Option<String> {
    query
        .split('&')
        .find(|pair| has_encoded_control(pair))
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or(pair);
            let decoded: String = form_name(name);
            if has_encoded_control(name) || decoded.is_empty() {
                "query".to_owned()
            } else {
                decoded
            }
        })
}

/// A parameter name as a person reads it (`+` a space; other escapes kept as sent).
fn form_name(name: &str) -> String {
    name.replace('+', " ")
}

/// The first path parameter of `template` (e.g. `/v1/budgets/account/{budget_id}`) whose
/// segment in `path` holds a control character; `path` when no template segment matches.
pub fn in_path(template: Option<&str>, path: &str) -> Option<String> {
    if !has_encoded_control(path) {
        return None;
    }
    let named = template.and_then(|template| {
        template
            .split('/')
            .zip(path.split('/'))
            .find(|(_, segment)| has_encoded_control(segment))
            .and_then(|(name, _)| name.strip_prefix('{')?.strip_suffix('}').map(str::to_owned))
    });
    Some(named.unwrap_or_else(|| "path".to_owned()))
}

/// Whether a JSON text holds an escaped control character inside a string.
fn json_has_control(json: &[u8]) -> bool {
    let mut idx = 0;
    while idx < json.len() {
        if json[idx] == b'\\' {
            match json.get(idx + 1) {
                Some(b'n' | b'r' | b't' | b'b' | b'f') => return true,
                Some(b'u') => {
                    if let Some(hex) = json.get(idx + 2..idx + 6) {
                        let hex = hex.to_ascii_uppercase();
                        if [&b"000"[..], b"001", b"008", b"009"]
                            .iter()
                            .any(|prefix| hex.starts_with(prefix))
                            || hex == b"007F"
                        {
                            return true;
                        }
                    }
                }
                _ => {}
            }
            idx += 2;
        } else {
            idx += 1;
        }
    }
    false
}

/// The path (`notifications.receivers[0]`, or a key's own path) of the first string of a
/// JSON body holding a control character.
pub fn in_json(json: &[u8]) -> Option<String> {
    if !json_has_control(json) {
        return None;
    }
    // Rare: parse once more to name the field.
    let found = serde_json::Deserializer::from_slice(json)
        .into_iter::<serde_json::Value>()
        .filter_map(Result::ok)
        .find_map(|value| find_in_value(&value, String::new()));
    Some(found.unwrap_or_else(|| "body".to_owned()))
}

fn is_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

fn find_in_value(value: &serde_json::Value, path: String) -> Option<String> {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(text) => is_control(text).then(|| {
            if path.is_empty() {
                "body".to_owned()
            } else {
                path.clone()
            }
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(idx, item)| find_in_value(item, format!("{path}[{idx}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            if is_control(key) {
                Some(child(key.trim_matches(char::is_control)))
            } else {
                find_in_value(item, child(key))
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_control_characters_in_queries_name_their_parameter() {
        assert_eq!(
            in_query("search_name=a%00b").as_deref(),
            Some("search_name")
        );
        assert_eq!(
            in_query("size=1&created_by=%1f").as_deref(),
            Some("created_by")
        );
        assert_eq!(in_query("x=%7F").as_deref(), Some("x"));
        assert_eq!(in_query("search_name=%20caf%C3%A9"), None);
        assert_eq!(in_query("a=%2F%41"), None);
    }

    #[test]
    fn path_segments_name_their_parameter() {
        let template = Some("/v1/budgets/account/{budget_id}");
        assert_eq!(
            in_path(template, "/v1/budgets/account/ab%00").as_deref(),
            Some("budget_id")
        );
        assert_eq!(in_path(template, "/v1/budgets/account/abc"), None);
        assert_eq!(in_path(None, "/x/%0a").as_deref(), Some("path"));
    }

    #[test]
    fn json_strings_with_control_escapes_are_found_with_their_path() {
        assert_eq!(in_json(br#"{"name":"a\u0000"}"#).as_deref(), Some("name"));
        assert_eq!(
            in_json(br#"{"notifications":{"receivers":["ok@x.co","a\nb@x.co"]}}"#).as_deref(),
            Some("notifications.receivers[1]")
        );
        assert_eq!(in_json(br#"{"name":"back\\slash \\n"}"#), None);
        assert_eq!(in_json(br#"{"name":"caf\u00e9 \u0041"}"#), None);
        assert_eq!(
            in_json(b"{\"a\":1}\n{\"record_id\":\"x\\t\"}").as_deref(),
            Some("record_id")
        );
    }
}
