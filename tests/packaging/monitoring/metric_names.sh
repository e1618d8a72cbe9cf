#!/usr/bin/env bash
# Every metric name the Grafana dashboard and the alert rules (packaging/monitoring/) use is one
# tickwired really exports: run an all-in-one tickwired, then a small fleet over a real
# redis-server (exchange, dispatch, frontend: the dispatcher-only and Redis metrics exist only
# there), scrape each /metrics over loopback, and compare (metric_names.py). Every process
# started here is stopped by its PID on exit, also on failure.
set -euo pipefail
tickwired=${1:?usage: metric_names.sh path/to/tickwired}
here=$(cd "$(dirname "$0")" && pwd)
monitoring=$(cd "$here/../../../packaging/monitoring" && pwd)
work=$(mktemp -d)

. "$here/../../support/processes.sh"
trap 'stop_started; rm -rf "$work"' EXIT

fail() { echo "metric_names: $*"; tail -n 20 "$work"/*.log 2>/dev/null || true; exit 1; }

start() {  # name, args...: a tickwired on a free loopback port, waits until it listens
  local name=$1; shift
  "$tickwired" --port 0 --port-file "$work/$name.port" --node-id "$name" "$@" \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 200); do [ -s "$work/$name.port" ] && return 0; sleep 0.05; done
  fail "$name did not start"
}
url() { echo "http://127.0.0.1:$(cat "$work/$1.port")"; }
wait_ready() {  # name
  for _ in $(seq 1 200); do curl -sf "$(url "$1")/readyz" >/dev/null && return 0; sleep 0.05; done
  fail "$1 did not become ready"
}
scrape() {  # name: its /metrics once a client has had quotes (so every series is there)
  timeout 2 curl -sN "$(url "$1")/v1/stream?symbols=AAPL,MSFT" >/dev/null 2>&1 || true
  curl -sf "$(url "$1")/metrics" >"$work/$1.metrics" || fail "cannot scrape $1"
}

start all-in-one --role all
wait_ready all-in-one
scrape all-in-one

start_redis "$work/redis.log" || fail "redis-server did not start"
cache="--cache=redis://127.0.0.1:$redis_port"
start exchange --role exchange "$cache"
start dispatch --role dispatch "$cache" "--upstream=$(url exchange)"
start frontend --role frontend "$cache"
wait_ready frontend
scrape frontend
curl -sf "$(url dispatch)/metrics" >"$work/dispatch.metrics" || fail "cannot scrape dispatch"
curl -sf "$(url exchange)/metrics" >"$work/exchange.metrics" || fail "cannot scrape exchange"

/usr/bin/python3 "$here/metric_names.py" \
  --used "$monitoring/tickwire-dashboard.json" "$monitoring/tickwire-alerts.yml" \
  --scraped "$work"/*.metrics
