//! The community Python SDK (`scpv2-sdk`) calls the budget and planned compute operations.
//!
//! Needs `python3` with `scpv2-sdk` installed (the README's test command installs it). Set
//! `SCPFM_TEST_SKIP_SDK=1` to skip on a machine without Python.

use std::process::Command;

use scpfm_app::clock::SystemClock;
use scpfm_config::Settings;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::TestApp;

fn python() -> String {
    std::env::var("SCPFM_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

async fn the_python_sdk_calls_every_budget_operation(backend: Backend) {
    run_script(backend, "budget_sdk.py").await;
}

async fn the_python_sdk_calls_the_planned_compute_operations(backend: Backend) {
    run_script(backend, "planned_compute_sdk.py").await;
}

async fn run_script(backend: Backend, name: &str) {
    if std::env::var("SCPFM_TEST_SKIP_SDK").is_ok_and(|v| v == "1") {
        eprintln!("SCPFM_TEST_SKIP_SDK is set: the Python SDK test is skipped");
        return;
    }
    // The SDK signs with the real time, so this server runs on the system clock.
    let app = TestApp::spawn_with(backend, Settings::default(), Some(SystemClock)).await;
    let account = app.account("sdk").await;
    let script = format!("{}/../../tests/sdk/{name}", env!("CARGO_MANIFEST_DIR"));
    let url = app.url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python())
            .arg(script)
            .env("SCPFM_ENDPOINT", url)
            .env("SCP_ACCESS_KEY", &account.access_key)
            .env("SCP_SECRET_KEY", &account.secret_key)
            .output()
    })
    .await
    .unwrap()
    .expect("python3 runs; set SCPFM_TEST_PYTHON or SCPFM_TEST_SKIP_SDK=1");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SDK script failed (is scpv2-sdk installed? pip install scpv2-sdk)\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stdout.contains("succeeded"), "{stdout}");
}

backend_tests!(
    the_python_sdk_calls_every_budget_operation,
    the_python_sdk_calls_the_planned_compute_operations,
);
