#!/usr/bin/env bash
# The console's server time per page on the demo data: `scpfm serve --demo` (release build) on
# a fresh SQLite database in a scratch directory, signed in as demo-dev (curl), then wrk on
# every page with the session cookie — p50/p99 latency and requests/s at CONNECTIONS (8).
# The session stays live: 30 idle minutes are far longer than the run.
#
#   bench/console/run.sh            # SCPFM=… another build, BENCH_NO_BUILD=1, DURATION (10 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "${BENCH_NO_BUILD:-0}" = 1 ] || cargo build --release -q -p scpfm-admin --bin scpfm
scpfm=${SCPFM:-$PWD/target/release/scpfm}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-18191}
work=$(mktemp -d "${TMPDIR:-/tmp}/scpfm-console-bench.XXXXXX")
(cd "$work" && exec "$scpfm" serve --demo --listen "127.0.0.1:$PORT" >"$work/serve.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 300); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
# Through the form: its token and the token's cookie.
csrf=$(curl -s -c "$work/jar" "$base/console/sign-in" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
cookie=$(curl -s -b "$work/jar" -o /dev/null -D - \
  -d "access_key=SCPFMDEMODEV00000001&secret_key=demo-dev-secret-key-not-for-production00&next=/console/&csrf=$csrf" \
  "$base/console/sign-in" | sed -n 's/^[Ss]et-[Cc]ookie: \(scpfm_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
budget=$(curl -s -H "Cookie: $cookie" "$base/console/budgets" | sed -n 's/.*data-budget="\([0-9a-f]*\)".*/\1/p' | head -1)
contract=$(curl -s -H "Cookie: $cookie" "$base/console/planned-compute" | sed -n 's/.*href="\/console\/planned-compute\/\([0-9a-f]*\)".*/\1/p' | head -1)
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s, $("$scpfm" --version 2>/dev/null || echo scpfm)"
for path in /console/ "/console/cost" "/console/cost?granularity=MONTHLY&start=2026-08-01&end=2026-11-21&group1=SERVICE_CATEGORY&group2=TAG&tag2=team" \
  "/console/bills?month=2026-10" "/console/bills.xlsx?month=2026-10" /console/usage /console/payments /console/budgets \
  "/console/budgets/$budget" /console/budgets/new /console/planned-compute "/console/planned-compute/$contract" \
  /console/pricing /console/focus /console/sign-in; do
  status=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "Cookie: $cookie" "$base$path")
  result=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: $cookie" "$base$path" |
    awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "rps=%s p50=%s p99=%s", rps, p50, p99}')
  printf '%-70s %s bytes=%s %s\n' "$path" "${status% *}" "${status#* }" "$result"
done
