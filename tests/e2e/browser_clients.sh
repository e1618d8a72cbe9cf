#!/usr/bin/env bash
# A real browser against tickwired: Debian's chromium, headless, loads a page served from
# another loopback origin that opens an EventSource and a WebSocket to tickwired (CORS
# included) and reports, by fetching /report from its own server, once quotes came through
# both. Nothing is downloaded at test time. Every process started here is stopped by PID or by
# the process group it was started in.
set -euo pipefail
tickwired=${1:?usage: browser_clients.sh path/to/tickwired}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$tickwired" --port 0 --port-file "$work/api.port" >"$work/tickwired.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/api.port" ] && break; sleep 0.1; done
api="127.0.0.1:$(cat "$work/api.port")"
for _ in $(seq 100); do curl -sf "http://$api/readyz" >/dev/null && break; sleep 0.1; done

# The page's own origin: a static server on a free port (python picks it, then reports it).
mkdir -p "$work/site" && cp "$here/browser_page.html" "$work/site/index.html"
setsid /usr/bin/python3 -u -c '
import http.server, socketserver, sys, functools
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
with socketserver.TCPServer(("127.0.0.1", 0), handler) as s:
    print("PORT", s.server_address[1], flush=True)
    s.serve_forever()
' "$work/site" >"$work/site.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q '^PORT' "$work/site.log" 2>/dev/null && break; sleep 0.1; done
site=$(awk '/^PORT/ {print $2}' "$work/site.log")

# TMPDIR: chromium makes a folder of its own there, removed with $work.
TMPDIR="$work" setsid chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" "http://127.0.0.1:$site/index.html?api=$api" \
  >"$work/chromium.log" 2>&1 &
pids+=($!)

for _ in $(seq 300); do
  if line=$(grep -o 'GET /report?[^ ]*' "$work/site.log"); then
    echo "browser: $line"
    exit 0
  fi
  sleep 0.1
done
echo "no report from the browser within 30 s"
echo "--- page server"; tail -20 "$work/site.log"
echo "--- chromium"; tail -20 "$work/chromium.log"
exit 1
