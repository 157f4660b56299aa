//! The language of error messages: Korean or English, from `Accept-Language`.

use http::HeaderMap;
use scpfm_domain::validation::{FieldError, Problem};

/// A language scpfm writes messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (`en-US`), the default.
    #[default]
    En,
    /// Korean (`ko-KR`).
    Ko,
}

impl Lang {
    /// The best supported language of an `Accept-Language` header (`ko-KR`,
    /// `ko-KR,ko;q=0.9,en;q=0.8`, `en-US`…); English when none is supported.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::from_header_value(headers.get(http::header::ACCEPT_LANGUAGE))
    }

    /// The same, from the `Accept-Language` header's value (if the request had one).
    pub fn from_header_value(value: Option<&http::HeaderValue>) -> Self {
        value
            .and_then(|value| value.to_str().ok())
            .map(Self::from_accept_language)
            .unwrap_or_default()
    }

    /// Parses an `Accept-Language` value, honouring q-values.
    pub fn from_accept_language(value: &str) -> Self {
        let mut best: Option<(Lang, u16)> = None;
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|piece| piece.trim().strip_prefix("q="))
                .map_or(1000, parse_quality);
            let lang = if tag == "ko" || tag.starts_with("ko-") {
                Lang::Ko
            } else if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else {
                continue;
            };
            if quality > 0 && best.is_none_or(|(_, known)| quality > known) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }

    /// Picks the text for this language.
    pub fn pick(self, english: String, korean: String) -> String {
        match self {
            Self::En => english,
            Self::Ko => korean,
        }
    }
}

/// A q-value in thousandths (`0.8` → 800); malformed values count as 0.
fn parse_quality(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return 0,
    };
    let digits: String = fraction.chars().take(3).collect();
    let padded = format!("{digits:0<3}");
    whole
        .saturating_add(padded.parse::<u16>().unwrap_or(0))
        .min(1000)
}

/// Korean name of a JSON type as [`Problem::WrongType`] writes it.
fn korean_type(expected: &str) -> String {
    expected
        .replace("array of strings", "문자열 배열")
        .replace("array of integers", "정수 배열")
        .replace("integer", "정수")
        .replace("string", "문자열")
        .replace("boolean", "불리언(true/false)")
        .replace("object", "객체")
        .replace("array", "배열")
}

/// A sentence describing one field problem, in `lang`.
pub fn field_error(lang: Lang, error: &FieldError) -> String {
    let field = &error.field;
    let sentence = match (&error.problem, lang) {
        (Problem::Required, Lang::En) => format!("{field} is required"),
        (Problem::Required, Lang::Ko) => format!("{field} 값은 필수입니다"),
        (Problem::Blank, Lang::En) => format!("{field} must not be blank"),
        (Problem::Blank, Lang::Ko) => format!("{field} 값은 비어 있을 수 없습니다"),
        (Problem::TooLong { max }, Lang::En) => {
            format!("{field} must be at most {max} characters long")
        }
        (Problem::TooLong { max }, Lang::Ko) => {
            format!("{field} 값은 최대 {max}자까지 입력할 수 있습니다")
        }
        (Problem::ControlCharacter, Lang::En) => {
            format!("{field} must not contain control characters")
        }
        (Problem::ControlCharacter, Lang::Ko) => {
            format!("{field} 값에는 제어 문자를 사용할 수 없습니다")
        }
        (Problem::InvalidCharacters { allowed }, Lang::En) => {
            format!("{field} may hold only {allowed}")
        }
        (Problem::InvalidCharacters { .. }, Lang::Ko) => {
            format!("{field} 값에는 한글, 영문, 숫자, 공백과 특수문자 +=.,@-_만 쓸 수 있습니다")
        }
        (Problem::NotOneOf { allowed }, Lang::En) => {
            format!("{field} must be one of {}", allowed.join(", "))
        }
        (Problem::NotOneOf { allowed }, Lang::Ko) => {
            format!("{field} 값은 {} 중 하나여야 합니다", allowed.join(", "))
        }
        (Problem::NotPositive, Lang::En) => format!("{field} must be a positive integer"),
        (Problem::NotPositive, Lang::Ko) => format!("{field} 값은 양의 정수여야 합니다"),
        (Problem::OutOfRange { min, max }, Lang::En) => {
            format!("{field} must be between {min} and {max}")
        }
        (Problem::OutOfRange { min, max }, Lang::Ko) => {
            format!("{field} 값은 {min} 이상 {max} 이하여야 합니다")
        }
        (Problem::InvalidFormat { expected }, Lang::En) => {
            format!("{field} must be written as {expected}")
        }
        (Problem::InvalidFormat { expected }, Lang::Ko) => {
            format!("{field} 값은 {expected} 형식이어야 합니다")
        }
        (Problem::InvalidEmail, Lang::En) => format!("{field} must be a valid e-mail address"),
        (Problem::InvalidEmail, Lang::Ko) => format!("{field} 값은 올바른 이메일 주소여야 합니다"),
        (Problem::EmptyList, Lang::En) => format!("{field} must hold at least one item"),
        (Problem::EmptyList, Lang::Ko) => format!("{field} 값에는 항목이 하나 이상 있어야 합니다"),
        (Problem::TooManyItems { max }, Lang::En) => {
            format!("{field} must hold at most {max} items")
        }
        (Problem::TooManyItems { max }, Lang::Ko) => {
            format!("{field} 값에는 항목을 최대 {max}개까지 넣을 수 있습니다")
        }
        (Problem::MonthClosed { month }, Lang::En) => format!(
            "{field} falls in {month}, which is closed: its bills are final; send usage of an open month"
        ),
        (Problem::MonthClosed { month }, Lang::Ko) => format!(
            "{field} 값이 마감된 {month}에 속합니다. 청구가 확정되었으니 열린 월의 사용량을 보내세요"
        ),
        (Problem::Repeated, Lang::En) => format!("{field} must not name the same value twice"),
        (Problem::Repeated, Lang::Ko) => format!("{field} 값에 같은 항목을 두 번 넣을 수 없습니다"),
        (Problem::WrongType { expected }, Lang::En) => format!("{field} must be {expected}"),
        (Problem::WrongType { expected }, Lang::Ko) => {
            format!("{field} 값은 {} 형식이어야 합니다", korean_type(expected))
        }
        (Problem::MoreProblems { count }, Lang::En) => {
            format!("{count} more problem(s) were found and are not listed")
        }
        (Problem::MoreProblems { count }, Lang::Ko) => {
            format!("나열되지 않은 문제가 {count}개 더 있습니다")
        }
        (
            Problem::RequiredWhen {
                other_field,
                other_value,
            },
            Lang::En,
        ) => {
            format!("{field} is required when {other_field} is {other_value}")
        }
        (
            Problem::RequiredWhen {
                other_field,
                other_value,
            },
            Lang::Ko,
        ) => {
            format!("{other_field} 값이 {other_value}이면 {field} 값은 필수입니다")
        }
    };
    match (&error.given, lang) {
        (Some(given), Lang::En) => format!("{sentence} (got {given:?})"),
        (Some(given), Lang::Ko) => format!("{sentence} (입력값: {given:?})"),
        (None, _) => sentence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Lang::from_accept_language("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_accept_language("en-US"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("ko-KR,ko;q=0.9,en-US;q=0.8"),
            Lang::Ko
        );
        assert_eq!(Lang::from_accept_language("en;q=0.5, ko;q=0.9"), Lang::Ko);
        assert_eq!(Lang::from_accept_language("fr-FR, ko;q=0.1"), Lang::Ko);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::En);
        assert_eq!(Lang::from_accept_language("ko;q=0"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }

    #[test]
    fn field_errors_name_the_field_and_the_value() {
        let error = FieldError::with_given(
            "unit",
            Problem::NotOneOf {
                allowed: vec!["MONTHLY".into(), "OVERALL".into()],
            },
            "weekly",
        );
        assert_eq!(
            field_error(Lang::En, &error),
            "unit must be one of MONTHLY, OVERALL (got \"weekly\")"
        );
        assert_eq!(
            field_error(Lang::Ko, &error),
            "unit 값은 MONTHLY, OVERALL 중 하나여야 합니다 (입력값: \"weekly\")"
        );
    }

    #[test]
    fn wrong_types_are_named_in_korean() {
        let error = FieldError::new(
            "amount",
            Problem::WrongType {
                expected: "integer",
            },
        );
        assert_eq!(
            field_error(Lang::Ko, &error),
            "amount 값은 정수 형식이어야 합니다"
        );
    }
}
