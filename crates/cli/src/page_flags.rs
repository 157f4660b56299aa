//! The paging flags the page/size listing commands share.

/// The `size`, `page` and `sort` flags of a 0-based page listing (Budget, Pricing).
#[derive(Debug, clap::Args)]
pub struct PageFlags {
    /// size
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub size: Option<i64>,
    /// page
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub page: Option<i64>,
    /// sort
    #[arg(long, value_name = "VALUE")]
    pub sort: Option<String>,
}
