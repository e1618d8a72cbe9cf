#!/usr/bin/env bash
# The README's walk-through as a user does it: start tickwired, watch quotes with curl -N, list
# symbols, scrape /metrics. Checks are in check_quickstart.py. tickwired is stopped by its PID
# whatever happens.
set -euo pipefail
tickwired=${1:?usage: curl_quickstart.sh path/to/tickwired}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
"$tickwired" --port 0 --port-file "$work/port" >"$work/tickwired.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done

# curl -N for three seconds, as the README shows (timeout ends it: exit 124 is expected).
timeout 3 curl -sN "$base/v1/stream?symbols=AAPL,MSFT" >"$work/stream" || [ $? -eq 124 ]
curl -sf "$base/v1/symbols" >"$work/symbols"
curl -sf "$base/metrics" >"$work/metrics"

# Debian's interpreter, where python3-prometheus-client is installed.
/usr/bin/python3 "$here/check_quickstart.py" "$work/stream" "$work/symbols" "$work/metrics"
