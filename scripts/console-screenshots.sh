#!/usr/bin/env bash
# Screenshots of every console page into docs/console/ (1280×800, the dashboard also at
# 390 px): starts `scpfm serve --demo` on a fresh database in a temporary directory, signs in
# as demo-dev in headless Chromium (Debian's chromium + chromium-driver), and prints the
# dashboard's first-visit draw time and transfer size. Rerun it after changing the console.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/docs/console}
cargo build -q -p scpfm-admin --bin scpfm --example console_screenshots
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$work" && exec "$OLDPWD/target/debug/scpfm" serve --demo --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
target/debug/examples/console_screenshots "http://127.0.0.1:$port" SCPFMDEMODEV00000001 \
  demo-dev-secret-key-not-for-production00 "$OUT"
echo "screenshots in $OUT"
