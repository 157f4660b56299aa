//! SCP's official Go SDK (v1.0.2, unchanged, from `shared/reference/scp-go-sdk`) drives every
//! BillingPlan operation it has, and the Budget wire rules through its shared client code,
//! against the real server (`tests/go-sdk/main.go`).
//!
//! Needs a Go toolchain ≥ 1.22 (`go` on PATH, `/usr/lib/go-1.23/bin/go`, or `SCPFM_TEST_GO`;
//! `.ci/run` installs Debian's `golang-1.23-go` from bookworm-backports). It builds offline
//! (`GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local`). Set `SCPFM_TEST_SKIP_GO=1` to skip it on
//! a machine without Go.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use scpfm_app::clock::SystemClock;
use scpfm_config::Settings;
use scpfm_testkit::{backend_tests, Backend};

use crate::helpers::TestApp;

fn go() -> String {
    if let Ok(go) = std::env::var("SCPFM_TEST_GO") {
        return go;
    }
    let backports = "/usr/lib/go-1.23/bin/go";
    if std::path::Path::new(backports).exists() {
        backports.into()
    } else {
        "go".into()
    }
}

/// Builds the test program once per test process; the path of the binary.
fn program() -> &'static PathBuf {
    static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let target = root.join("target");
        let binary = target.join("go-sdk-test");
        let output = Command::new(go())
            .args(["build", "-o"])
            .arg(&binary)
            .arg(".")
            .current_dir(root.join("tests/go-sdk"))
            .env("GOFLAGS", "-mod=mod")
            .env("GOPROXY", "off")
            .env("GOTOOLCHAIN", "local")
            .env("GOCACHE", target.join("go-cache"))
            .env("GOPATH", target.join("go-path"))
            .output()
            .expect("a Go toolchain runs; set SCPFM_TEST_GO or SCPFM_TEST_SKIP_GO=1");
        assert!(
            output.status.success(),
            "building tests/go-sdk failed (Go >= 1.22 and ../shared/reference/scp-go-sdk needed):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        binary
    })
}

async fn the_official_go_sdk_calls_every_billingplan_operation(backend: Backend) {
    if std::env::var("SCPFM_TEST_SKIP_GO").is_ok_and(|v| v == "1") {
        eprintln!("SCPFM_TEST_SKIP_GO is set: the Go SDK test is skipped");
        return;
    }
    let binary = tokio::task::spawn_blocking(|| program().clone())
        .await
        .unwrap();
    // The SDK signs with the real time, so this server runs on the system clock.
    let app = TestApp::spawn_with(backend, Settings::default(), Some(SystemClock)).await;
    let account = app.account("go-sdk").await;
    let url = app.url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(binary)
            .env("SCPFM_ENDPOINT", url)
            .env("SCP_ACCESS_KEY", &account.access_key)
            .env("SCP_SECRET_KEY", &account.secret_key)
            .env("SCP_ACCOUNT_ID", &account.id)
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Go SDK program failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stdout.contains("succeeded"), "{stdout}");
}

backend_tests!(the_official_go_sdk_calls_every_billingplan_operation);
