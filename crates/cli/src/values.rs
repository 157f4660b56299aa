//! Parsers for flag values written the way SCP's CLI documentation writes them.

/// Parses a boolean in its usual spellings: `True`/`False` (SCP's documentation), `true`,
/// `false`, `1`, `0`, `yes`, `no` (any case).
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!(
            "expected True or False (or true/false, 1/0, yes/no), got {text:?}"
        )),
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
            ("1", true),
            ("0", false),
            ("yes", true),
            ("No", false),
        ] {
            assert_eq!(parse_bool(text), Ok(value));
        }
        for wrong in ["y", "on", "2", "", "truth"] {
            assert!(parse_bool(wrong).is_err(), "{wrong}");
        }
    }
}
