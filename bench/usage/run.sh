#!/usr/bin/env bash
# Usage benchmarks, through the real binaries:
#
#   bench/usage/run.sh ingest   # `scpfm import usage` of RECORDS (1,000,000) generated hourly
#                               # VM records into an empty SQLite file and an empty PostgreSQL
#                               # database: records/s rated, de-duplicated and persisted; then
#                               # the engine's floor on the same file (bench/lib.sh `floor`)
#   bench/usage/run.sh list     # ListUsages over HTTP with signing (wrk, pre-signed requests)
#                               # over LIST_RECORDS (10,000,000) stored records: p50/p99
#   bench/usage/run.sh import-write
#                               # SQLite: API writes (create + delete a budget every 20 ms,
#                               # examples/write_probe.rs) against a running server while
#                               # `scpfm import usage` stores RECORDS: their p50/p99/max, with
#                               # the import's records/s; then the same writes without an import
#
# Environment: RECORDS, LIST_RECORDS, ENGINES ("sqlite postgres"), LIST_ENGINES ("sqlite"),
# BENCH_POSTGRES_URL (a server where the database scpfm_bench may be dropped and created;
# default postgres://postgres@127.0.0.1:5432/postgres), BENCH_NO_BUILD, DURATION, CONNECTION_LEVELS ("64 8":
# saturated throughput, then latency at 8 clients), THREADS.
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE=${1:-ingest}
RECORDS=${RECORDS:-1000000}
LIST_RECORDS=${LIST_RECORDS:-10000000}
ENGINES=${ENGINES:-sqlite postgres}
LIST_ENGINES=${LIST_ENGINES:-sqlite}
export CONNECTION_LEVELS=${CONNECTION_LEVELS:-64 8}
MONTH=2026-10

# BENCH_NO_BUILD=1 reuses the release binaries already built (e.g. to alternate two builds).
[ "${BENCH_NO_BUILD:-0}" = 1 ] || cargo build --release -q -p scpfm-admin -p scpfm-cli --bin scpfm --bin scpcli \
  --example usage_gen --example presign --example write_probe
work=$(mktemp -d "${TMPDIR:-/tmp}/scpfm-usage-bench.XXXXXX")
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

source bench/lib.sh

ingest() {
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores: import of $RECORDS records into an empty database, then the engine's floor on the same file"
  for engine in $ENGINES; do
    local url
    url=$(fresh_database "$engine")
    generate "$url" "$RECORDS" "$MONTH"
    printf '%-9s ' "$engine"
    "$scpfm" --database-url "$url" import usage "$work/usage.csv" | tail -1
    printf '%-9s floor (plain rows, one index): %s\n' "$engine" "$(floor "$engine")"
    rm -f "$work/usage.csv"
  done
}

import_write() {
  local url
  url=$(fresh_database sqlite)
  generate "$url" "$RECORDS" "$MONTH"
  start_server "$url"
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores: API writes during an import of $RECORDS records (SQLite)"
  rm -f "$work/stop"
  target/release/examples/write_probe "http://127.0.0.1:$PORT" "$access_key" "$secret_key" "$work/stop" \
    >"$work/probe.txt" &
  local probe=$!
  sleep 1
  printf 'import:   '
  "$scpfm" --database-url "$url" import usage "$work/usage.csv" | tail -1
  touch "$work/stop"
  wait "$probe"
  printf 'during:   %s\n' "$(cat "$work/probe.txt")"
  rm -f "$work/stop"
  target/release/examples/write_probe "http://127.0.0.1:$PORT" "$access_key" "$secret_key" "$work/stop" \
    >"$work/probe.txt" &
  probe=$!
  sleep 10
  touch "$work/stop"
  wait "$probe"
  printf 'idle:     %s\n' "$(cat "$work/probe.txt")"
  stop_server
  rm -f "$work/usage.csv"
}

list() {
  for engine in $LIST_ENGINES; do
    local url marker
    url=$(fresh_database "$engine")
    echo "# $engine: storing $LIST_RECORDS records (the bench account holds half)"
    import "$url" "$LIST_RECORDS" "$MONTH"
    start_server "$url"
    marker=$(bench_scpcli costexplorer usages list --start_date 2026-10-20 --limit 1 |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["usages"][0]["id"])')
    wrk_cases "$engine" <<EOF
first page (20)|/v1/usages?limit=20
one day (20)|/v1/usages?start_date=2026-10-15&end_date=2026-10-15&limit=20
mid-month marker (20)|/v1/usages?limit=20&marker=$marker
newest first (created_at:desc, 20)|/v1/usages?limit=20&sort=created_at:desc
page of 100|/v1/usages?limit=100
EOF
    stop_server
  done
}

case $MODE in
  import-write) import_write ;;
  ingest) ingest ;;
  list) list ;;
  *) echo "usage: $0 ingest|list|import-write" >&2; exit 2 ;;
esac
