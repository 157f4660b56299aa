#!/usr/bin/env bash
# Bill benchmarks, through the real binaries:
#
#   bench/bills/run.sh rollup   # one month of 10,000 resources x 720 hours (7,200,000 usage
#                               # hours, September 2026) imported into an empty database (the
#                               # bills are rolled up as the import commits), then the month's
#                               # bills recomputed from scratch: `scpfm bills rebuild 2026-09`
#   bench/bills/run.sh coverage # the same month with 2,000 1-year contracts in force (500 of
#                               # each server type the generator writes): the import assigns
#                               # each server-hour to at most one contract and rates covered
#                               # hours at PP; the cost of coverage is the difference from rollup
#   bench/bills/run.sh list     # ListBills over HTTP with signing (wrk, pre-signed requests)
#                               # over a year of bills of 10,000 resources (120,000 lines, the
#                               # bench account holds half; 11 months closed): p50/p99
#
# Environment: ENGINES ("sqlite postgres"), ROLLUP_RESOURCES (10000), LIST_RESOURCES (10000),
# BENCH_POSTGRES_URL, DURATION, CONNECTIONS, CONNECTION_LEVELS ("64 8": saturated, then
# latency at 8 clients), THREADS (see bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE=${1:-rollup}
ENGINES=${ENGINES:-sqlite postgres}
ROLLUP_RESOURCES=${ROLLUP_RESOURCES:-10000}
LIST_RESOURCES=${LIST_RESOURCES:-10000}
export CONNECTION_LEVELS=${CONNECTION_LEVELS:-64 8}

cargo build --release -q -p scpfm-admin -p scpfm-cli --bin scpfm --bin scpcli \
  --example usage_gen --example presign --example contract_gen
work=$(mktemp -d "${TMPDIR:-/tmp}/scpfm-bills-bench.XXXXXX")
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

source bench/lib.sh

rollup() {
  local records=$((ROLLUP_RESOURCES * 720))
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores: $ROLLUP_RESOURCES resources x 720 hours = $records usage hours"
  for engine in $ENGINES; do
    local url
    url=$(fresh_database "$engine")
    printf '%-9s import with roll-up: ' "$engine"
    import "$url" "$records" 2026-09
    printf '%-9s ' "$engine"
    "$scpfm" --database-url "$url" bills rebuild 2026-09
  done
}

coverage() {
  local records=$((ROLLUP_RESOURCES * 720)) contracts=${CONTRACTS:-2000}
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores: $records usage hours, $contracts contracts"
  for engine in $ENGINES; do
    local url ids
    url=$(fresh_database "$engine")
    ids=$(accounts "$url")
    target/release/examples/contract_gen "$url" "${ids%%,*}" "$contracts" 2026-08-30 >/dev/null
    target/release/examples/usage_gen "$records" 2026-09 "$ids" >"$work/usage.csv"
    sync
    printf '%-9s import with coverage and roll-up: ' "$engine"
    "$scpfm" --database-url "$url" import usage "$work/usage.csv" | tail -1
    rm -f "$work/usage.csv"
  done
}

# monthly_usage ACCOUNTS: one record per resource and month, October 2025 to September 2026.
monthly_usage() {
  python3 - "$1" "$LIST_RESOURCES" <<'PY'
import sys, calendar
accounts, resources = sys.argv[1].split(","), int(sys.argv[2])
types = [("s1v1m2", "OPEN_SOURCE"), ("s1v2m4", "RHEL"), ("s1v4m8", "WINDOWS"), ("h1v2m16", "SLES")]
out = sys.stdout
out.write("record_id,account_id,resource_id,resource_name,billing_item_id,region,period_start,period_end,quantity,unit,attributes\n")
for year, month in [(2025, m) for m in (10, 11, 12)] + [(2026, m) for m in range(1, 10)]:
    hours = calendar.monthrange(year, month)[1] * 24
    nyear, nmonth = (year + 1, 1) if month == 12 else (year, month + 1)
    start, end = f"{year}-{month:02}-01T00:00:00+09:00", f"{nyear}-{nmonth:02}-01T00:00:00+09:00"
    for r in range(resources):
        server_type, os_type = types[r % len(types)]
        region = "kr-west1" if r % 3 else "kr-east1"
        out.write(f"m:{r}:{year}-{month},{accounts[r % len(accounts)]},vm-{r},bench-vm-{r},VIRTUAL_SERVER,{region},"
                  f"{start},{end},{hours},HOUR,server_type={server_type};os_type={os_type}\n")
PY
}

list() {
  for engine in $ENGINES; do
    local url ids marker
    url=$(fresh_database "$engine")
    ids=$(accounts "$url")
    monthly_usage "$ids" >"$work/monthly.csv"
    echo "# $engine: a year of bills for $LIST_RESOURCES resources"
    "$scpfm" --database-url "$url" import usage "$work/monthly.csv" | tail -1
    for month in 2025-10 2025-11 2025-12 2026-01 2026-02 2026-03 2026-04 2026-05 2026-06 2026-07 2026-08; do
      "$scpfm" --database-url "$url" month close "$month" >/dev/null
    done
    start_server "$url"
    marker=$(bench_scpcli costexplorer bill list --bill_year_month 2026-03 --limit 1 |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["bills"][0]["id"])')
    wrk_cases "$engine" <<EOF
first page (20)|/v1/bills?limit=20
one month (20)|/v1/bills?bill_year_month=2026-03&limit=20
mid-year marker (20)|/v1/bills?limit=20&marker=$marker
newest first (created_at:desc, 20)|/v1/bills?limit=20&sort=created_at:desc
quarter, east region (20)|/v1/bills?start_year_month=2026-01&end_year_month=2026-03&region=kr-east1&limit=20
open month, with_count (20)|/v1/bills?bill_state=USED&with_count=true&limit=20
page of 100|/v1/bills?limit=100
EOF
    stop_server
  done
}

case $MODE in
  rollup) rollup ;;
  coverage) coverage ;;
  list) list ;;
  *) echo "usage: $0 rollup|coverage|list" >&2; exit 2 ;;
esac
