#!/usr/bin/env bash
# Load benchmark: ShowAccountBudget and ListAccountBudgets through the real server (signature
# check, replay guard and SQLite read included), against the floor of an empty axum handler
# loaded the same way. Every request carries its own pre-signed signature (presign.rs), so
# the replay guard accepts each one; wrk runs the same Lua script against the floor.
#
# The machine's speed drifts by tens of percent within minutes, so the three targets are
# loaded in ROUNDS rounds (floor, show-budget, list-budgets, then again), each round with an
# access key of its own (a signature is accepted once), and the script ends with the median
# over the rounds of each target's requests/s and p99, and of show-budget's share of the
# floor in the same round.
#
#   bench/http/run.sh                 # 64 connections, 2 wrk threads, 10 s per case, 5 rounds
#   DURATION=30 CONNECTIONS=128 ROUNDS=3 bench/http/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
REQUESTS=${REQUESTS:-1200000}
PORT=${PORT:-18180}
FLOOR_PORT=${FLOOR_PORT:-18181}
LOG_LEVEL=${LOG_LEVEL:-warn}

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }
# BENCH_NO_BUILD=1 reuses the release binaries already built (e.g. to alternate two builds).
[ "${BENCH_NO_BUILD:-0}" = 1 ] || cargo build --release -q -p scpfm-admin -p scpfm-cli --bin scpfm --bin scpcli --example bench_floor --example presign

scpfm=${SCPFM:-target/release/scpfm} # SCPFM=path/to/scpfm benchmarks another build
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

export DATABASE_URL="sqlite:$work/bench.db"
"$scpfm" account create --name bench >/dev/null
round_keys=() # "access_key secret_key", one per round
for _ in $(seq "$ROUNDS"); do
  round_keys+=("$("$scpfm" key create --account bench --json |
    python3 -c 'import json,sys; key = json.load(sys.stdin); print(key["access_key"], key["secret_key"])')")
done
read -r access_key secret_key <<<"${round_keys[0]}"

RUST_LOG=$LOG_LEVEL "$scpfm" serve --listen "127.0.0.1:$PORT" 2>"$work/server.log" &
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

run_case() { # name port path (signed with $access_key and $secret_key)
  local name=$1 port=$2 path=$3
  target/release/examples/presign "http://127.0.0.1:$port$path" "$access_key" "$secret_key" "$REQUESTS" >"$work/signed.txt"
  local result
  result=$(SIGNED_FILE="$work/signed.txt" TARGET_PATH="$path" ACCESS_KEY="$access_key" WRK_THREADS="$THREADS" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signed.lua "http://127.0.0.1:$port" |
    grep '^RESULT')
  printf '%-22s %s\n' "$name" "${result#RESULT }" | tee -a "$work/results.txt"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, RUST_LOG=$LOG_LEVEL, $ROUNDS rounds"
for round in $(seq "$ROUNDS"); do
  read -r access_key secret_key <<<"${round_keys[round - 1]}"
  echo "# round $round"
  run_case "floor (empty handler)" "$FLOOR_PORT" "/v1/budgets/account/$budget_id"
  run_case "show-budget" "$PORT" "/v1/budgets/account/$budget_id"
  run_case "list-budgets (20/50)" "$PORT" "/v1/budgets/account"
done
echo "# median of $ROUNDS rounds"
python3 - "$work/results.txt" <<'PYTHON'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, fields = re.match(r"(.*?)\s+(requests=.*)", line).groups()
    values = dict(field.split("=") for field in fields.split())
    runs.setdefault(name, []).append((float(values["rps"]), float(values["p99_ms"])))
floor = runs["floor (empty handler)"]
for name, results in runs.items():
    rps = statistics.median(result[0] for result in results)
    p99 = statistics.median(result[1] for result in results)
    line = f"{name:<22} rps={rps:.0f} p99_ms={p99:.3f}"
    if name == "show-budget":
        share = statistics.median(100 * own[0] / base[0] for own, base in zip(results, floor))
        line += f" share_of_floor={share:.1f}%"
    print(line)
PYTHON
if grep -q ' ERROR ' "$work/server.log"; then
  echo "server logged errors:" >&2
  grep ' ERROR ' "$work/server.log" | head >&2
fi
