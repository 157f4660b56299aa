//! The experiment behind the store design: one axum route reading a row through sqlx's
//! SQLite driver, one through rusqlite inline, one empty. See docs/BENCHMARKS.md.
//! `cargo run --release` here, then `wrk -t2 -c64 -d8s --latency http://127.0.0.1:9999/{empty,sqlx,rusq}`.

use axum::{routing::get, Router, extract::State};
use std::sync::{Arc, Mutex};

#[derive(Clone)]
struct St { pool: sqlx::SqlitePool, conns: Arc<Vec<Mutex<rusqlite::Connection>>> , n: Arc<std::sync::atomic::AtomicUsize>}

#[tokio::main]
async fn main() {
    let path = "/tmp/driver-choice.sqlite";
    let _ = std::fs::remove_file(path);
    {
        let c = rusqlite::Connection::open(path).unwrap();
        c.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE b(id TEXT PRIMARY KEY, account TEXT, name TEXT, amount INTEGER, data TEXT);").unwrap();
        for i in 0..1000 { c.execute("INSERT INTO b VALUES (?1, 'acc', ?2, 100, '{}')", rusqlite::params![format!("id{i}"), format!("name{i}")]).unwrap(); }
    }
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(4).connect(&format!("sqlite://{path}")).await.unwrap();
    let conns = (0..8).map(|_| Mutex::new(rusqlite::Connection::open(path).unwrap())).collect();
    let st = St { pool, conns: Arc::new(conns), n: Arc::new(0.into()) };
    let app = Router::new()
        .route("/empty", get(|| async { "ok" }))
        .route("/sqlx", get(|State(s): State<St>| async move {
            let r: (String, i64) = sqlx::query_as("SELECT name, amount FROM b WHERE id = $1 AND account = $2").bind("id5").bind("acc").fetch_one(&s.pool).await.unwrap();
            format!("{}{}", r.0, r.1)
        }))
        .route("/rusq", get(|State(s): State<St>| async move {
            let i = s.n.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % s.conns.len();
            let c = s.conns[i].lock().unwrap();
            let mut st = c.prepare_cached("SELECT name, amount FROM b WHERE id = ?1 AND account = ?2").unwrap();
            let r: (String, i64) = st.query_row(rusqlite::params!["id5", "acc"], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            format!("{}{}", r.0, r.1)
        }))
        .with_state(st);
    let l = tokio::net::TcpListener::bind("127.0.0.1:9999").await.unwrap();
    axum::serve(l, app).await.unwrap();
}
