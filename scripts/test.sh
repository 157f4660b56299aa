#!/usr/bin/env bash
# Runs every test of scpfm: formatting and lints, unit and property tests, the API and CLI
# integration tests on SQLite and PostgreSQL, and the Python SDK compatibility test.
#
# Needs: the Rust toolchain, python3, and a PostgreSQL server at TEST_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/postgres, trust auth; each test uses a schema
# of its own and drops it). The Python SDK (scpv2-sdk) is installed into target/sdk-venv on
# first use. SCPFM_SKIP_LINT=1 skips fmt/clippy; SCPFM_TEST_SKIP_POSTGRES=1 and
# SCPFM_TEST_SKIP_SDK=1 skip those suites on a machine without them.
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

if [ "${SCPFM_TEST_SKIP_SDK:-0}" != 1 ]; then
  venv=target/sdk-venv
  if ! "$venv/bin/python" -c 'import scpv2' 2>/dev/null; then
    echo "== installing the Python SDK (scpv2-sdk) into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check scpv2-sdk==0.2.3
  fi
  export SCPFM_TEST_PYTHON=$PWD/$venv/bin/python
fi

if [ "${SCPFM_SKIP_LINT:-0}" != 1 ]; then
  echo "== cargo fmt --check"
  cargo fmt --all -- --check
  echo "== cargo clippy --all-targets -- -D warnings"
  cargo clippy --workspace --all-targets --quiet -- -D warnings
fi

echo "== cargo test (SQLite and PostgreSQL at ${TEST_DATABASE_URL%%\?*})"
cargo test --workspace
