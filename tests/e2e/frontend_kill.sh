#!/usr/bin/env bash
# A frontend killed with -9 while the desktop app and curl clients are attached (issue 18's
# fault suite). A fleet over a real Redis on loopback: an exchange, a dispatcher, and frontend-1
# on a port of its own with --reuse-port. The app (tickwire-e2e under Xvfb, its failover
# script) and three `curl -N` streams attach to it; then frontend-2 starts on the same port and
# frontend-1 is killed with SIGKILL. Expected, and checked by check_failover.py:
#   - the app notices, reconnects to the survivor by itself (same URL), and every row moves
#     again within 10 s, with no symbol's seq going backwards;
#   - each curl stream ends when its server dies (no hang), its seq per symbol only increasing
#     and nothing sent twice; a curl started after the kill gets a snapshot at once whose seqs
#     are at or past the last each old stream saw (never older data).
# Every process started here is stopped by its PID on exit, also on failure.
set -euo pipefail
tickwired=${1:?usage: frontend_kill.sh path/to/tickwired path/to/tickwire-e2e output-dir}
tickwire_e2e=${2:?path to tickwire-e2e}
out=${3:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out"

. "$here/../support/processes.sh"

start_redis "$out/redis.log"
cache="--cache=redis://127.0.0.1:$redis_port"

start() {  # name, args...: a node with a 1 s lease (start_node)
  local name=$1; shift
  start_node "$name" --lease 1 "$@"
}
start exchange-1 --role exchange --port 0
start dispatch-1 --role dispatch --port 0 "--upstream=http://127.0.0.1:$(cat "$out/exchange-1.port")"
port=$(free_port)
start frontend-1 --role frontend --port "$port" --reuse-port
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done

# Attached to frontend-1, the only one listening yet.
symbols=AAPL,MSFT,NVDA,AMZN
for i in 1 2 3; do
  curl -sN "$url/v1/stream?symbols=$symbols" >"$out/curl-$i.sse" 2>"$out/curl-$i.err" &
  pids+=($!)
  printf -v "curl_$i" '%s' "$!"
done
xvfb-run -a -s "-screen 0 1400x900x24" \
  "$tickwire_e2e" --settings "$out/settings.ini" --e2e-report "$out/report.json" \
  --e2e-failover "$out/killed" --backend "$url" >"$out/app.log" 2>&1 &
app=$!
pids+=($app)
wait_for_file "$out/killed.ready" "the app's live rows"

start frontend-2 --role frontend --port "$port" --reuse-port
sleep 1  # both serve the port now; the clients are all on frontend-1
kill -9 "$pid_frontend_1"
date +%s%3N >"$out/killed"
echo "frontend-1 killed with SIGKILL"

# Each curl stream must end with its server, not hang.
for i in 1 2 3; do
  pid_var="curl_$i"
  for _ in $(seq 1 100); do kill -0 "${!pid_var}" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "${!pid_var}" 2>/dev/null; then echo "curl $i still hangs 5 s after the kill"; exit 1; fi
done
# A curl started now reaches the survivor and gets a snapshot at once.
curl -sN --max-time 2 "$url/v1/stream?symbols=$symbols" >"$out/curl-after.sse" 2>/dev/null || true

status=0
wait "$app" || status=$?
if [ "$status" -ne 0 ]; then
  echo "tickwire-e2e exited with $status; log:"; tail -40 "$out/app.log"
  [ -f "$out/report.json" ] && cat "$out/report.json"
  exit 1
fi
/usr/bin/python3 "$here/check_failover.py" "$out"
