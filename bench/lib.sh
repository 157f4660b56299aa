# Shared by the bench/*/run.sh scripts: fresh databases, accounts, a running server and wrk
# cases with pre-signed requests. Source it after setting `work` (a scratch directory) and
# `pids` (an array); it builds nothing itself.

scpfm=${SCPFM:-target/release/scpfm} # SCPFM=path/to/scpfm benchmarks another build
PG_ADMIN_URL=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PG_URL="${PG_ADMIN_URL%/*}/scpfm_bench"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
REQUESTS=${REQUESTS:-600000}
PORT=${PORT:-18190}

# fresh_database ENGINE: prints the URL of an empty database of ENGINE.
fresh_database() {
  case $1 in
    sqlite) rm -f "$work"/bench.db*; echo "sqlite:$work/bench.db" ;;
    postgres)
      command -v psql >/dev/null || { echo "psql is required for the PostgreSQL case" >&2; exit 2; }
      psql -q "$PG_ADMIN_URL" -c 'DROP DATABASE IF EXISTS scpfm_bench' -c 'CREATE DATABASE scpfm_bench' >&2
      echo "$PG_URL" ;;
    *) echo "unknown engine $1" >&2; exit 2 ;;
  esac
}

# accounts URL: creates two accounts, prints their ids comma-separated (the first is "bench").
accounts() {
  local url=$1 ids=()
  for name in bench other; do
    ids+=("$("$scpfm" --database-url "$url" account create --name "$name" --json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["account_id"])')")
  done
  (IFS=,; echo "${ids[*]}")
}

# generate URL COUNT MONTH: writes COUNT hourly VM records of MONTH for the accounts of URL
# (see crates/admin/examples/usage_gen.rs) to $work/usage.csv.
generate() {
  local url=$1 count=$2 month=$3 ids
  ids=$(accounts "$url")
  target/release/examples/usage_gen "$count" "$month" "$ids" >"$work/usage.csv"
  sync
}

# import URL COUNT MONTH: generates the records (`generate`) and imports them; prints the
# import's summary.
import() {
  generate "$@"
  "$scpfm" --database-url "$1" import usage "$work/usage.csv" | tail -1
  rm -f "$work/usage.csv"
}

# The floor's table: the file's eleven columns as plain text, one index.
FLOOR_TABLE="CREATE TABLE floor_rows (record_id TEXT, account_id TEXT, resource_id TEXT, \
resource_name TEXT, billing_item_id TEXT, region TEXT, period_start TEXT, period_end TEXT, \
quantity TEXT, unit TEXT, attributes TEXT); CREATE INDEX floor_by_record ON floor_rows (record_id);"

# floor ENGINE: rows/s of the engine's own bulk load of $work/usage.csv into a plain table
# with one index — the floor the ingestion target is a share of, measured on the same file at
# the same time: PostgreSQL's COPY (psql's \copy) into the bench database, SQLite's shell
# `.import` (prepared inserts in one transaction, WAL) into a file of its own.
floor() {
  local rows start end
  rows=$(($(wc -l <"$work/usage.csv") - 1))
  case $1 in
    postgres)
      psql -q "$PG_URL" -c "DROP TABLE IF EXISTS floor_rows" -c "$FLOOR_TABLE" >&2
      start=$(date +%s%N)
      psql -q "$PG_URL" -c "\\copy floor_rows FROM '$work/usage.csv' CSV HEADER" >&2
      end=$(date +%s%N)
      psql -q "$PG_URL" -c "DROP TABLE floor_rows" >&2 ;;
    sqlite)
      command -v sqlite3 >/dev/null || { echo "sqlite3 is required for the SQLite floor" >&2; exit 2; }
      rm -f "$work"/floor.db*
      sqlite3 "$work/floor.db" "PRAGMA journal_mode=WAL" "$FLOOR_TABLE" >/dev/null
      start=$(date +%s%N)
      sqlite3 "$work/floor.db" ".import --csv --skip 1 $work/usage.csv floor_rows"
      end=$(date +%s%N)
      rm -f "$work"/floor.db* ;;
  esac
  echo "$rows rows, $(( rows * 1000000000 / (end - start) )) rows/s"
}

# start_server URL: creates a key for "bench" (sets access_key, secret_key) and starts the
# server on PORT in the background.
start_server() {
  local url=$1 key_json
  key_json=$("$scpfm" --database-url "$url" key create --account bench --json)
  access_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_key"])' "$key_json")
  secret_key=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["secret_key"])' "$key_json")
  RUST_LOG=warn "$scpfm" --database-url "$url" serve --listen "127.0.0.1:$PORT" 2>"$work/server.log" &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
}

# scpcli ARGS…: scpcli as the bench account against the running server.
bench_scpcli() {
  SCP_ACCESS_KEY=$access_key SCP_SECRET_KEY=$secret_key SCP_ENDPOINT_URL="http://127.0.0.1:$PORT" \
    target/release/scpcli "$@"
}

# wrk_cases ENGINE: reads `name|path` lines on stdin and prints one result line per case, for
# each concurrency in CONNECTION_LEVELS (default: CONNECTIONS): saturated throughput at 64
# connections, service latency at a few.
wrk_cases() {
  local engine=$1 name path result connections cases=() round=0
  command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }
  while IFS= read -r line; do cases+=("$line"); done
  for connections in ${CONNECTION_LEVELS:-$CONNECTIONS}; do
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -t$THREADS -c$connections -d${DURATION}s"
    for line in "${cases[@]}"; do
      name=${line%%|*}
      path=${line#*|}
      # Each round signs later timestamps, so no round repeats another's signatures.
      target/release/examples/presign "http://127.0.0.1:$PORT$path" "$access_key" "$secret_key" "$REQUESTS" \
        $((round * 400000)) >"$work/signed.txt"
      result=$(SIGNED_FILE="$work/signed.txt" TARGET_PATH="$path" ACCESS_KEY="$access_key" WRK_THREADS="$THREADS" \
        wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --latency -s bench/http/signed.lua "http://127.0.0.1:$PORT" |
        grep '^RESULT')
      printf '%-9s c%-3s %-36s %s\n' "$engine" "$connections" "$name" "${result#RESULT }"
    done
    round=$((round + 1))
  done
}

# stop_server: stops the last server started and reports errors it logged.
stop_server() {
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
  if grep -q ' ERROR ' "$work/server.log"; then
    echo "server logged errors:" >&2
    grep ' ERROR ' "$work/server.log" | head >&2
  fi
}
