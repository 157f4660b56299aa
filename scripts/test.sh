#!/usr/bin/env bash
# Runs every test of scpfm: formatting and lints, unit and property tests, the API and CLI
# integration tests on SQLite and PostgreSQL, and the Python SDK and official Go SDK
# compatibility tests.
#
# Needs: the Rust toolchain, python3, and PostgreSQL: the server at TEST_DATABASE_URL, else
# one answering on 127.0.0.1:5432 (trust auth), else a private cluster this script starts
# from the installed PostgreSQL binaries (initdb into target/pg-test, stopped at the end).
# Each test uses a schema of its own and drops it. The Python SDK (scpv2-sdk) is installed
# into target/sdk-venv on first use. The Go SDK test needs Go >= 1.22 (`go`, or Debian's
# golang-1.23-go from bookworm-backports; .ci/run installs it) and builds offline against
# ../shared/reference/scp-go-sdk. SCPFM_SKIP_LINT=1 skips fmt/clippy;
# SCPFM_TEST_SKIP_POSTGRES=1, SCPFM_TEST_SKIP_SDK=1 and SCPFM_TEST_SKIP_GO=1 skip those suites
# on a machine without them. FinOps Foundation's focus-validator 1.0.0 is installed into
# target/focus-venv on first use (SCPFM_TEST_SKIP_FOCUS=1 skips it). The console's browser
# test drives Debian's headless `chromium` through `chromedriver` (.ci/run installs both;
# SCPFM_TEST_SKIP_BROWSER=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

# A private PostgreSQL cluster when none answers: initdb/pg_ctl from PATH or Debian's
# /usr/lib/postgresql/*/bin. Without them: `apt-get install postgresql` (Debian/Ubuntu),
# or point TEST_DATABASE_URL at a server.
start_private_postgres() {
  local bin="" candidate
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    bin=$(dirname "$(command -v initdb)")
  else
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
      [ -x "$candidate/initdb" ] && bin=$candidate && break
    done
  fi
  if [ -z "$bin" ]; then
    echo "no PostgreSQL answers on 127.0.0.1:5432 and none is installed: run 'apt-get install postgresql'" >&2
    echo "(Debian/Ubuntu), set TEST_DATABASE_URL, or SCPFM_TEST_SKIP_POSTGRES=1 to skip those tests" >&2
    exit 2
  fi
  local dir=$PWD/target/pg-test port=55432
  pg_bin=$bin pg_data=$dir/data pg_as=()
  # PostgreSQL refuses to run as root: run it as the postgres user when there is one.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "running as root needs a postgres user for the private cluster" >&2; exit 2; }
    pg_as=(runuser -u postgres --)
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  [ ${#pg_as[@]} -eq 0 ] || chown postgres "$dir"
  echo "== starting a private PostgreSQL ($bin) in $dir on port $port"
  "${pg_as[@]}" "$bin/initdb" -D "$pg_data" -U postgres -A trust >/dev/null
  "${pg_as[@]}" "$bin/pg_ctl" -D "$pg_data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  trap '"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null 2>&1 || true' EXIT
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

if [ -z "${TEST_DATABASE_URL:-}" ] && [ "${SCPFM_TEST_SKIP_POSTGRES:-0}" != 1 ]; then
  if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  else
    start_private_postgres
  fi
fi

if [ "${SCPFM_TEST_SKIP_SDK:-0}" != 1 ]; then
  venv=target/sdk-venv
  if ! "$venv/bin/python" -c 'import scpv2' 2>/dev/null; then
    echo "== installing the Python SDK (scpv2-sdk) into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check scpv2-sdk==0.2.3
  fi
  export SCPFM_TEST_PYTHON=$PWD/$venv/bin/python
fi

if [ "${SCPFM_TEST_SKIP_FOCUS:-0}" != 1 ]; then
  # The FinOps Foundation's FOCUS validator (FOCUS 1.0 rules); newer multimethod releases
  # break its import, hence the pin.
  focus_venv=target/focus-venv
  if ! "$focus_venv/bin/python" -c 'import focus_validator' 2>/dev/null; then
    echo "== installing focus-validator into $focus_venv"
    python3 -m venv "$focus_venv"
    "$focus_venv/bin/pip" install --quiet --disable-pip-version-check \
      focus-validator==1.0.0 multimethod==1.11.2
  fi
  export SCPFM_TEST_FOCUS_VALIDATOR=$PWD/$focus_venv/bin/focus-validator
  # It reads its currency list relative to its package's parent directory.
  SCPFM_TEST_FOCUS_PACKAGES=$("$focus_venv/bin/python" -c \
    'import focus_validator, os; print(os.path.dirname(os.path.dirname(focus_validator.__file__)))')
  export SCPFM_TEST_FOCUS_PACKAGES
fi

if [ "${SCPFM_SKIP_LINT:-0}" != 1 ]; then
  echo "== cargo fmt --check"
  cargo fmt --all -- --check
  echo "== cargo clippy --all-targets -- -D warnings"
  cargo clippy --workspace --all-targets --quiet -- -D warnings
  echo "== scripts/shape.sh (file and handler lengths)"
  ./scripts/shape.sh
fi

echo "== cargo test (SQLite and PostgreSQL at ${TEST_DATABASE_URL:-none})"
cargo test --workspace --no-fail-fast
