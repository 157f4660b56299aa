//! How large a request body may be, and how a body is read: one rule for the extractors, the
//! authentication layer (which reads the body of a refused request, and of every request when
//! replay protection is on) and the router.
//!
//! A body over the limit is not simply dropped: closing a connection while the client is still
//! sending makes the kernel reset it, and the client then sees a broken pipe instead of the
//! 413. So what is left of a refused body is read and thrown away — up to [`DISCARD_LIMIT`]
//! bytes and [`DRAIN_TIMEOUT`] — before the answer goes out (nginx's "lingering close").

use std::time::Duration;

use axum::body::{Body, BodyDataStream, Bytes};
use futures_util::StreamExt;

/// Largest body of an SCP operation (a budget, a planned compute order): far above any real
/// request, small enough that no client can make the server buffer much.
pub const API_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Largest admin request body: 10,000 usage records of a few hundred bytes each, with room.
pub const ADMIN_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Most bytes of a refused body read and thrown away so that its sender can read the answer;
/// past it the connection closes.
pub const DISCARD_LIMIT: usize = 64 * 1024 * 1024;

/// Longest wait for the rest of a refused request's body.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a body could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// It is longer than the limit; what was left of it has been thrown away.
    #[error("the body is longer than the limit")]
    TooLarge,
    /// It did not arrive within the time given.
    #[error("the body did not arrive in time")]
    TimedOut,
    /// The connection failed while it was being sent.
    #[error("the body could not be read: {0}")]
    Broken(String),
}

/// Reads `body` whole when it is at most `limit` bytes and arrives within `timeout`. A longer
/// body is refused as soon as it passes the limit (or announces more in `Content-Length`,
/// `declared`), and the rest of it is discarded (see the module's doc) — outside `timeout`,
/// so a large body is answered 413, never 408.
pub async fn read(
    body: Body,
    limit: usize,
    declared: Option<u64>,
    timeout: Option<Duration>,
) -> Result<Bytes, ReadError> {
    let mut stream = body.into_data_stream();
    let within = read_within(&mut stream, limit, declared);
    let read = match timeout {
        Some(timeout) => tokio::time::timeout(timeout, within)
            .await
            .unwrap_or(Err(ReadError::TimedOut)),
        None => within.await,
    };
    if matches!(read, Err(ReadError::TooLarge)) {
        discard(stream).await;
    }
    read
}

async fn read_within(
    stream: &mut BodyDataStream,
    limit: usize,
    declared: Option<u64>,
) -> Result<Bytes, ReadError> {
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let capacity = declared.map_or(0, |length| usize::try_from(length).unwrap_or(limit));
    let mut bytes = Vec::with_capacity(capacity.min(limit));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| ReadError::Broken(error.to_string()))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
}

/// Reads and drops what is left of a body, within [`DISCARD_LIMIT`] and [`DRAIN_TIMEOUT`].
pub async fn discard(mut stream: BodyDataStream) {
    let drain = async {
        let mut left = DISCARD_LIMIT;
        while let Some(Ok(chunk)) = stream.next().await {
            let Some(rest) = left.checked_sub(chunk.len()) else {
                return;
            };
            left = rest;
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain).await;
}

/// The `Content-Length` a request announces, if it is a number.
pub fn declared_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

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

    fn chunked(parts: Vec<&'static [u8]>) -> Body {
        let chunks = parts
            .into_iter()
            .map(|part| Ok::<_, std::io::Error>(Bytes::from(part)));
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_read_whole() {
        let body = chunked(vec![b"abc", b"def"]);
        let bytes = read(body, 6, None, None).await.unwrap();
        assert_eq!(&bytes[..], b"abcdef");
    }

    #[tokio::test]
    async fn a_body_past_the_limit_is_refused_whatever_it_declares() {
        let body = chunked(vec![b"abc", b"def", b"g"]);
        assert!(matches!(
            read(body, 6, None, None).await,
            Err(ReadError::TooLarge)
        ));
        let body = chunked(vec![b"abc"]);
        assert!(matches!(
            read(body, 2, Some(3), None).await,
            Err(ReadError::TooLarge)
        ));
    }

    #[tokio::test]
    async fn the_rest_of_a_refused_body_is_read_before_the_answer() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let pulled = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&pulled);
        let chunks = futures_util::stream::iter(0..5).map(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(Bytes::from_static(b"xx"))
        });
        let result = read(Body::from_stream(chunks), 3, None, None).await;
        assert!(matches!(result, Err(ReadError::TooLarge)));
        assert_eq!(pulled.load(Ordering::SeqCst), 5);
    }
}
