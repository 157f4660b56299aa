//! Measures the cost of point reads through the store (SQLite), alone and from two threads.
//! `cargo run --release -p scpfm-store --example read_cost -- sqlite:/tmp/x.db ACCESS_KEY`

use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let store = scpfm_store::Store::open(&args[1]).await?;
    let key = args[2].clone();
    let rounds = 200_000u32;
    for threads in [1u32, 2] {
        let started = Instant::now();
        let tasks: Vec<_> = (0..threads)
            .map(|_| {
                let (store, key) = (store.clone(), key.clone());
                tokio::spawn(async move {
                    for _ in 0..rounds {
                        store.find_access_key(&key).await.map(|_| ()).unwrap_or(());
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await?;
        }
        println!(
            "{threads} thread(s): {:?} per read",
            started.elapsed() / (rounds * threads)
        );
    }
    let account: scpfm_domain::ids::AccountId = args[3].parse()?;
    let budget_id = args[4].clone();
    let started = Instant::now();
    for _ in 0..rounds {
        store.get_budget(&account, &budget_id).await?;
    }
    println!("get_budget: {:?} per read", started.elapsed() / rounds);
    Ok(())
}
