#!/usr/bin/env bash
# Cost analysis benchmarks, through the real binaries:
#
#   bench/cost/run.sh queries   # loads MONTHS (12) months of hourly usage of RESOURCES (2,000)
#                               # resources (17.5 M records), a month at a time, with
#                               # `scpfm import usage` (its records/s printed per month); after
#                               # a quarter of the months and after all of them, GetCostAndUsage
#                               # over HTTP with signing (wrk, pre-signed requests, 8
#                               # connections): MONTHLY over the year by SERVICE_CATEGORY, DAILY
#                               # over the last 90 loaded days by RESOURCE (first page of 20),
#                               # DAILY over a loaded month by TAG:team — p50/p99 and req/s
#   bench/cost/run.sh ingest    # the ingestion rate with the rollup kept: RECORDS (1,000,000)
#                               # records imported into an empty database by $SCPFM and by
#                               # $SCPFM_BEFORE (a build before the rollup) alternately, ROUNDS (2)
#                               # times each; DATA=cost imports a month of the queries' data
#                               # instead (RESOURCES resources, tagged: a build before the
#                               # rollup ignores the tags column)
#
# Environment: ENGINES ("sqlite postgres"), RESOURCES, MONTHS, RECORDS, ROUNDS, SCPFM,
# SCPFM_BEFORE, BENCH_POSTGRES_URL, BENCH_NO_BUILD, DURATION (10 s).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE=${1:-queries}
ENGINES=${ENGINES:-sqlite postgres}
RESOURCES=${RESOURCES:-2000}
MONTHS=${MONTHS:-12}
RECORDS=${RECORDS:-1000000}
ROUNDS=${ROUNDS:-2}
export CONNECTION_LEVELS=${CONNECTION_LEVELS:-8}
export REQUESTS=${REQUESTS:-200000}

[ "${BENCH_NO_BUILD:-0}" = 1 ] || cargo build --release -q -p scpfm-admin -p scpfm-cli --bin scpfm --bin scpcli \
  --example cost_gen --example usage_gen --example presign
work=$(mktemp -d "${TMPDIR:-/tmp}/scpfm-cost-bench.XXXXXX")
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

source bench/lib.sh

# The months loaded: the year before the current month (usage cannot end in the future).
months=()
for offset in $(seq "$MONTHS" -1 1); do months+=("$(date -u -d "$(date -u +%Y-%m-15) -$offset month" +%Y-%m)"); done

# month_end YYYY-MM: its last day.
month_end() { date -u -d "$1-01 +1 month -1 day" +%Y-%m-%d; }

# queries_over FIRST LAST ENGINE LABEL: the three cost queries over the loaded months FIRST..LAST.
queries_over() {
  local first=$1 last=$2 engine=$3 label=$4 end90 start90 month31
  end90=$(month_end "$last")
  start90=$(date -u -d "$end90 -89 day" +%Y-%m-%d)
  month31=$last
  start_server "$url"
  echo "# $label: $(rollup_rows "$engine")"
  wrk_cases "$engine" <<CASES
MONTHLY, ${#months[@]} months, by SERVICE_CATEGORY|/v1/cost-and-usage?start_date=${months[0]}-01&end_date=$(month_end "${months[-1]}")&granularity=MONTHLY&group_by=SERVICE_CATEGORY
DAILY, 90 days, by RESOURCE (20)|/v1/cost-and-usage?start_date=$start90&end_date=$end90&granularity=DAILY&group_by=RESOURCE&limit=20
DAILY, $month31, by TAG:team|/v1/cost-and-usage?start_date=$month31-01&end_date=$(month_end "$month31")&granularity=DAILY&group_by=TAG:team
CASES
  stop_server
}

# rollup_rows ENGINE: the sizes of the usage and rollup tables.
rollup_rows() {
  local sql="SELECT (SELECT COUNT(*) FROM usage_records) || ' records, ' || (SELECT COUNT(*) FROM cost_daily) || ' daily and ' || (SELECT COUNT(*) FROM cost_monthly) || ' monthly rollup rows'"
  case $1 in
    sqlite) sqlite3 "$work/bench.db" "$sql" ;;
    postgres) psql -qtA "$PG_URL" -c "$sql" ;;
  esac
}

queries() {
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores: $RESOURCES resources, hourly, ${months[0]}..${months[-1]}"
  for engine in $ENGINES; do
    url=$(fresh_database "$engine")
    local ids loaded=0 quarter=$(( ${#months[@]} / 4 ))
    ids=$(accounts "$url")
    for month in "${months[@]}"; do
      target/release/examples/cost_gen "$RESOURCES" "$month" "$ids" >"$work/usage.csv"
      printf '%-9s %s import: ' "$engine" "$month"
      "$scpfm" --database-url "$url" import usage "$work/usage.csv" | tail -1
      rm -f "$work/usage.csv"
      loaded=$((loaded + 1))
      if [ "$loaded" = "$quarter" ]; then
        queries_over "${months[0]}" "$month" "$engine" "a quarter of the data ($loaded months)"
      fi
    done
    queries_over "${months[0]}" "${months[-1]}" "$engine" "all of the data (${#months[@]} months)"
  done
}

ingest() {
  local before=${SCPFM_BEFORE:?set SCPFM_BEFORE to a build before the rollup}
  local after=$scpfm
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores: import of $RECORDS records into an empty database, alternating builds"
  for engine in $ENGINES; do
    for round in $(seq "$ROUNDS"); do
      for build in "$before" "$after"; do
        scpfm=$build
        local url
        url=$(fresh_database "$engine")
        if [ "${DATA:-plain}" = cost ]; then
          target/release/examples/cost_gen "$RESOURCES" "${months[-1]}" "$(accounts "$url")" >"$work/usage.csv"
        else
          generate "$url" "$RECORDS" "${months[-1]}"
        fi
        printf '%-9s round %s %-40s ' "$engine" "$round" "$(basename "$(dirname "$(dirname "$build")")")/$(basename "$build")"
        "$build" --database-url "$url" import usage "$work/usage.csv" | tail -1
        rm -f "$work/usage.csv"
      done
    done
  done
  scpfm=$after
}

case $MODE in
  queries) queries ;;
  ingest) ingest ;;
  *) echo "usage: $0 queries|ingest" >&2; exit 2 ;;
esac
