//! Screenshots of every console page at 1280×800 (and the dashboard at 390 px wide) from a
//! running server, through headless Chromium — `scripts/console-screenshots.sh` starts the
//! demo and runs this. Also measures the dashboard as a first visit: the time until it is
//! fully drawn (load event, charts included) and the bytes transferred.
//!
//! `console_screenshots URL ACCESS_KEY SECRET_KEY OUT_DIR`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

#[path = "../tests/browser/driver.rs"]
mod driver;

use std::path::PathBuf;

use fantoccini::Locator;

/// (file name, path, width, height).
const SHOTS: &[(&str, &str, u32, u32)] = &[
    ("dashboard", "/console/", 1280, 800),
    ("dashboard-390", "/console/", 390, 844),
    ("cost-by-service", "/console/cost?granularity=DAILY&group1=SERVICE_CATEGORY", 1280, 800),
    ("cost-by-team", "/console/cost?granularity=MONTHLY&start=2026-06-01&end=2026-11-21&group1=TAG&tag1=team&group2=SERVICE_CATEGORY", 1280, 800),
    ("bills", "/console/bills?month=2026-10", 1280, 800),
    ("usage", "/console/usage", 1280, 800),
    ("payments", "/console/payments", 1280, 800),
    ("budgets", "/console/budgets", 1280, 800),
    ("budget-new", "/console/budgets/new", 1280, 800),
    ("planned-compute", "/console/planned-compute", 1280, 800),
    ("pricing", "/console/pricing", 1280, 800),
    ("focus", "/console/focus", 1280, 800),
];

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, access_key, secret_key, out] = args.as_slice() else {
        eprintln!("usage: console_screenshots URL ACCESS_KEY SECRET_KEY OUT_DIR");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let chromedriver = driver::chromedriver().await;
    let chromium = driver::Chromium::start(&chromedriver, downloads.path(), (1280, 800)).await;
    let client = &chromium.client;

    client
        .goto(&format!("{url}/console/sign-in"))
        .await
        .unwrap();
    std::fs::write(out.join("sign-in.png"), client.screenshot().await.unwrap()).unwrap();
    client
        .find(Locator::Css("#access_key"))
        .await
        .unwrap()
        .send_keys(access_key)
        .await
        .unwrap();
    client
        .find(Locator::Css("#secret_key"))
        .await
        .unwrap()
        .send_keys(secret_key)
        .await
        .unwrap();
    client
        .find(Locator::Css("#sign-in-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("#year-chart"))
        .await
        .unwrap();

    // The dashboard as a first visit: the page after sign-in, in a new browser profile.
    let timing = client
        .execute(
            "var t = performance.getEntriesByType('navigation')[0]; \
             var bytes = performance.getEntriesByType('resource').reduce(function (s, r) { return s + r.transferSize; }, t.transferSize); \
             return [t.loadEventEnd - t.startTime, bytes, performance.getEntriesByType('resource').length + 1];",
            vec![],
        )
        .await
        .unwrap();
    println!("dashboard, first visit after sign-in: drawn (load event) in {:.0} ms, {} bytes in {} requests", timing[0].as_f64().unwrap_or(0.0), timing[1], timing[2]);

    let mut links = Vec::new();
    for (name, path, width, height) in SHOTS {
        client.set_window_size(*width, *height).await.unwrap();
        client.goto(&format!("{url}{path}")).await.unwrap();
        std::fs::write(
            out.join(format!("{name}.png")),
            client.screenshot().await.unwrap(),
        )
        .unwrap();
        if *name == "budgets" {
            if let Ok(link) = client.find(Locator::Css("#budgets-table tbody a")).await {
                links.push(("budget", link.attr("href").await.unwrap().unwrap()));
            }
        }
        if *name == "planned-compute" {
            if let Ok(link) = client.find(Locator::Css("#planned-table tbody a")).await {
                links.push((
                    "planned-compute-contract",
                    link.attr("href").await.unwrap().unwrap(),
                ));
            }
        }
        println!("{name}: {path}");
    }
    client.set_window_size(1280, 800).await.unwrap();
    for (name, path) in links {
        client.goto(&format!("{url}{path}")).await.unwrap();
        std::fs::write(
            out.join(format!("{name}.png")),
            client.screenshot().await.unwrap(),
        )
        .unwrap();
        println!("{name}: {path}");
    }
    chromium.close().await;
}
