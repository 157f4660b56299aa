//! Parsers for flag values written the way SCP's CLI documentation writes them.

/// Parses a boolean: `True`, `False`, `true`, `false` (any case).
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("expected True or False, got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_accept_python_and_json_spellings() {
        for (text, value) in [
            ("True", true),
            ("true", true),
            ("TRUE", true),
            ("False", false),
            ("false", false),
        ] {
            assert_eq!(parse_bool(text), Ok(value));
        }
        assert!(parse_bool("yes").is_err());
        assert!(parse_bool("1").is_err());
    }
}
