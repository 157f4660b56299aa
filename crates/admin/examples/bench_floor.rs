//! The benchmark floor: an axum server with one empty handler, on the same runtime setup as
//! `scpfm serve`. `bench/http/run.sh` loads it exactly like the real server.

use axum::routing::get;
use axum::Router;

/// The same allocator as `scpfm`, so the floor differs only by the work a request does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18181".into());
    let app = Router::new().fallback(get(|| async { "{}" }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
