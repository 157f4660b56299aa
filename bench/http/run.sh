#!/usr/bin/env bash
# Load benchmark: ShowAccountBudget and ListAccountBudgets through the real server (signature
# check, replay guard and SQLite read included), against the floor of an empty axum handler
# loaded the same way. Every request carries its own pre-signed signature (presign.rs), so
# the replay guard accepts each one; wrk runs the same Lua script against the floor.
#
#   bench/http/run.sh                 # 64 connections, 2 wrk threads, 10 s per case
#   DURATION=30 CONNECTIONS=128 bench/http/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
REQUESTS=${REQUESTS:-1200000}
PORT=${PORT:-18180}
FLOOR_PORT=${FLOOR_PORT:-18181}
LOG_LEVEL=${LOG_LEVEL:-warn}

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }
cargo build --release -q -p scpfm-server -p scpfm-cli --bin scpfm --bin scpcli --example bench_floor --example presign

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

export DATABASE_URL="sqlite:$work/bench.db"
target/release/scpfm account create --name bench >/dev/null
key_json=$(target/release/scpfm key create --account bench --json)
access_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_key"])' "$key_json")
secret_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["secret_key"])' "$key_json")

RUST_LOG=$LOG_LEVEL target/release/scpfm serve --listen "127.0.0.1:$PORT" 2>"$work/server.log" &
pids+=($!)
target/release/examples/bench_floor "127.0.0.1:$FLOOR_PORT" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

export SCP_ACCESS_KEY=$access_key SCP_SECRET_KEY=$secret_key SCP_ENDPOINT_URL="http://127.0.0.1:$PORT"
for idx in $(seq -w 1 50); do
  target/release/scpcli budget account budget create --name "bench-budget-$idx" --unit MONTHLY \
    --start_month 2026-01 --amount "$((10#$idx * 100000))" --is_use_notification True --thresholds 80,100 \
    --notifications_receivers "owner$idx@example.com" >/dev/null
done
budget_id=$(target/release/scpcli budget account budget list --budget_name bench-budget-25 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["budgets"][0]["id"])')

run_case() { # name port path
  local name=$1 port=$2 path=$3
  target/release/examples/presign "http://127.0.0.1:$port$path" "$access_key" "$secret_key" "$REQUESTS" >"$work/signed.txt"
  local result
  result=$(SIGNED_FILE="$work/signed.txt" TARGET_PATH="$path" ACCESS_KEY="$access_key" WRK_THREADS="$THREADS" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signed.lua "http://127.0.0.1:$port" |
    grep '^RESULT')
  printf '%-22s %s\n' "$name" "${result#RESULT }"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, RUST_LOG=$LOG_LEVEL"
run_case "floor (empty handler)" "$FLOOR_PORT" "/v1/budgets/account/$budget_id"
run_case "show-budget" "$PORT" "/v1/budgets/account/$budget_id"
run_case "list-budgets (20/50)" "$PORT" "/v1/budgets/account"
if grep -q ' ERROR ' "$work/server.log"; then
  echo "server logged errors:" >&2
  grep ' ERROR ' "$work/server.log" | head >&2
fi
