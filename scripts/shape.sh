#!/usr/bin/env bash
# The house's shape rules (ARCHITECTURE.md), checked by the test command:
#   - no source file under crates/*/src longer than 500 lines, its unit-test module excluded;
#   - no request handler (a function under `#[utoipa::path]`) longer than 40 lines.
# Prints every breach and exits 1 when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_FILE=${MAX_FILE:-500}
MAX_HANDLER=${MAX_HANDLER:-40}
status=0

while IFS= read -r file; do
  lines=$(awk '/^#\[cfg\(test\)\]/ { exit } { n++ } END { print n + 0 }' "$file")
  if [ "$lines" -gt "$MAX_FILE" ]; then
    echo "$file: $lines lines before its tests (at most $MAX_FILE)"
    status=1
  fi
done < <(find crates/*/src -name '*.rs' | sort)

# A handler runs from its `pub async fn` after a `#[utoipa::path` to the `}` closing it in
# column 0.
while IFS= read -r breach; do
  echo "$breach"
  status=1
done < <(awk -v max="$MAX_HANDLER" '
  FNR == 1 { documented = 0; start = 0 }
  /^#\[utoipa::path/ { documented = 1 }
  documented && /^pub (async )?fn / { start = FNR; name = $0; sub(/\(.*/, "", name) }
  start && /^}/ {
    length_ = FNR - start + 1
    if (length_ > max) printf "%s:%d: %s is %d lines (at most %d)\n", FILENAME, start, name, length_, max
    start = 0; documented = 0
  }
' $(grep -rl '#\[utoipa::path' crates/*/src))

exit "$status"
