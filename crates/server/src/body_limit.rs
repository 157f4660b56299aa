//! How large a request body may be: one rule for the extractors, the authentication layer
//! (which reads the body of a refused request, and of every request when replay protection
//! is on) and the router.

/// Largest body of an SCP operation (a budget, a planned compute order): far above any real
/// request, small enough that no client can make the server buffer much.
pub const API_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Largest admin request body: 10,000 usage records of a few hundred bytes each, with room.
pub const ADMIN_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The limit of the operation at `path`.
pub fn for_path(path: &str) -> usize {
    if path.starts_with("/v1/admin/") {
        ADMIN_BODY_LIMIT
    } else {
        API_BODY_LIMIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_routes_take_larger_bodies() {
        assert_eq!(for_path("/v1/admin/usage-records"), ADMIN_BODY_LIMIT);
        assert_eq!(for_path("/v1/budgets/account"), API_BODY_LIMIT);
    }
}
