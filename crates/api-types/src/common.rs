//! Shapes several services share: money amounts and paging links.

use serde::{Deserialize, Serialize};

/// An amount in KRW with its USD equivalent, as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amount {
    /// KRW amount.
    #[cfg_attr(feature = "openapi", schema(example = "0.000"))]
    pub krw: String,
    /// USD amount.
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub usd: String,
}

/// A link of a `limit`/`marker` page: `self`, and `next` when more items follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    /// Absolute URL.
    pub href: String,
    /// `self` or `next`.
    pub rel: String,
}
