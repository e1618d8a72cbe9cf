#!/usr/bin/env bash
# The desktop operator view against a scale-out fleet: redis-server on a free loopback port, one
# exchange, two dispatchers and two frontends (tickwired --role ...), and the app under Xvfb (its
# test-only build, tickwire-e2e) pointed at one frontend with --backend. It must list all five
# nodes by tier. Every process started here is stopped by its PID on exit, also on failure.
# With --update-docs the operator screenshot goes to docs/screenshots/operator-fleet.png.
set -euo pipefail
tickwired=${1:?usage: desktop_fleet.sh path/to/tickwired path/to/tickwire-e2e output-dir [--update-docs]}
tickwire_e2e=${2:?path to tickwire-e2e}
out=${3:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"

. "$here/../support/processes.sh"

start_redis "$out/redis.log"  # on a free port: redis-server cannot report one it picked
cache="--cache=redis://127.0.0.1:$redis_port"

start() {  # name, args...: a node on a free port (start_node)
  local name=$1; shift
  start_node "$name" --port 0 "$@"
}
start exchange-1 --role exchange
upstream="--upstream=http://127.0.0.1:$(cat "$out/exchange-1.port")"
start dispatch-1 --role dispatch "$upstream"
start dispatch-2 --role dispatch "$upstream"
start frontend-1 --role frontend
start frontend-2 --role frontend
frontend="http://127.0.0.1:$(cat "$out/frontend-2.port")"
for _ in $(seq 1 100); do curl -sf "$frontend/readyz" >/dev/null && break; sleep 0.1; done

. "$here/run_app.sh"
run_app "$out" "$tickwire_e2e" --backend "$frontend" --e2e-symbols 0 --e2e-nodes 5
/usr/bin/python3 "$here/check_fleet_report.py" "$out/report.json"

if [ "${4:-}" = "--update-docs" ]; then
  cp "$out/screenshots/operator.png" "$repo/docs/screenshots/operator-fleet.png"
  echo "updated docs/screenshots/operator-fleet.png"
fi
