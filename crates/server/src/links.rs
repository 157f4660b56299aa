//! Absolute links of `limit`/`marker` pages (`self`, `next`), and [`PageLinks`], the
//! extractor that gives a listing handler its links.

use axum::extract::{FromRequestParts, OriginalUri};
use http::request::Parts;
use http::{HeaderMap, Uri};
use scpfm_api_types::common::Link;

use crate::error::ApiError;
use crate::state::AppState;

/// Where a `limit`/`marker` listing was asked for: its absolute base URL and the request's
/// URI, to write the page's `self` and `next` links.
#[derive(Debug, Clone)]
pub struct PageLinks {
    base: String,
    uri: Uri,
}

impl PageLinks {
    /// `self`, and `next` with `next_marker` when more items follow.
    pub fn to(&self, next_marker: Option<&str>) -> Vec<Link> {
        page_links(&self.base, &self.uri, next_marker)
    }
}

impl FromRequestParts<AppState> for PageLinks {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |original| original.0.clone());
        Ok(Self {
            base: base_url(state, &parts.headers, &uri),
            uri,
        })
    }
}

/// `scheme://host` of this request: the configured public URL, else `Host` and `X-Forwarded-Proto`.
pub fn base_url(state: &AppState, headers: &HeaderMap, uri: &Uri) -> String {
    if let Some(public) = &state.auth.public_url {
        return public.clone();
    }
    let (scheme, host) = request_origin(headers, uri);
    format!("{scheme}://{host}")
}

/// `self` (the request as sent) and, when `next_marker` is set, `next` (the same request with
/// `marker` replaced).
pub fn page_links(base: &str, uri: &Uri, next_marker: Option<&str>) -> Vec<Link> {
    let path = uri.path();
    let query = uri.query().unwrap_or("");
    let self_href = if query.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?{query}")
    };
    let mut links = vec![Link {
        href: self_href,
        rel: "self".into(),
    }];
    if let Some(marker) = next_marker {
        let mut pairs: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("marker="))
            .collect();
        let marker_pair = format!("marker={}", scpfm_signing::encode_query_component(marker));
        pairs.push(&marker_pair);
        links.push(Link {
            href: format!("{base}{path}?{}", pairs.join("&")),
            rel: "next".into(),
        });
    }
    links
}

/// The scheme and host the client most likely sent the request to: forwarded ones first.
pub fn request_origin<'a>(headers: &'a HeaderMap, uri: &'a Uri) -> (&'a str, &'a str) {
    let first_value = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let host = first_value("x-forwarded-host")
        .or_else(|| first_value(http::header::HOST.as_str()))
        .or_else(|| uri.authority().map(|authority| authority.as_str()))
        .unwrap_or("localhost");
    let scheme = first_value("x-forwarded-proto").unwrap_or("http");
    (scheme, host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_replace_the_marker() {
        let uri: Uri = "/v1/usages?limit=2&marker=aaa&region=kr-west1"
            .parse()
            .unwrap();
        let links = page_links("http://h", &uri, Some("bbb"));
        assert_eq!(
            links[0].href,
            "http://h/v1/usages?limit=2&marker=aaa&region=kr-west1"
        );
        assert_eq!(
            links[1].href,
            "http://h/v1/usages?limit=2&region=kr-west1&marker=bbb"
        );
        assert_eq!(links[1].rel, "next");
        let last = page_links("http://h", &"/v1/usages".parse().unwrap(), None);
        assert_eq!(last.len(), 1);
    }
}
