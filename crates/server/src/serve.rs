//! Running the server: bind, accept within limits, serve, and stop gracefully on
//! SIGTERM/SIGINT.
//!
//! The accept loop is ours (not `axum::serve`) for the limits a public server needs
//! (`[server]`, see [`scpfm_config::ConnectionLimits`]): at most `max_connections` open connections (past
//! that, new ones wait in the kernel's backlog until one closes), and a connection that does
//! not complete a request's headers within `header_read_timeout_seconds` — whether it is
//! idle between keep-alive requests or sending its headers a byte at a time — is closed. So
//! idle or half-open floods cost a bounded number of descriptors for a bounded time, and a
//! signed request waiting behind them is served. The request timeout bounds reading a body
//! (`extract::ApiBytes`).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

use crate::state::AppState;

/// Serves `app` (the API's router, and whatever is mounted beside it, such as the console)
/// with `state`'s limits on `listener` until `shutdown` completes, then lets in-flight
/// requests finish for at most `grace`. Each request carries its peer's address
/// (`ConnectInfo<SocketAddr>`).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    app: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let limits = state.limits;
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    // HTTP/1.1 only: SCP's clients speak it, and hyper's header-read timer then runs from the
    // first moment a connection is open (protocol detection for cleartext HTTP/2 would wait
    // for a silent connection's first bytes without one). TLS and HTTP/2 end at a proxy.
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of descriptors or a connection reset before accept: wait a little
                // rather than spin.
                tracing::warn!(error = %error, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone().map_request(
            move |request: http::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            },
        ));
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        let open = state.metrics.open_connection();
        tokio::spawn(async move {
            let _ = connection.await;
            drop(open);
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            tracing::warn!(
                grace_seconds = grace.as_secs(),
                "grace period over, closing remaining connections"
            );
        }
    }
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Serves `/metrics` alone on a listener of its own, in the background.
pub fn spawn_metrics_listener(listener: TcpListener, state: AppState) {
    let metrics_app = crate::app::metrics_app(state);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, metrics_app).await {
            tracing::warn!(error = %error, "the metrics listener stopped");
        }
    });
}

/// A server running in the background (tests, benchmarks).
pub struct RunningServer {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningServer {
    /// Starts serving `state` (the API alone) on an ephemeral loopback port.
    pub async fn start(state: AppState) -> std::io::Result<Self> {
        let app = crate::app(state.clone());
        Self::start_router(state, app).await
    }

    /// Starts serving `app` with `state`'s limits on an ephemeral loopback port.
    pub async fn start_router(state: AppState, app: axum::Router) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(serve(
            listener,
            state,
            app,
            shutdown,
            Duration::from_secs(5),
        ));
        Ok(Self {
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
