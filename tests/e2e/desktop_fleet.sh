#!/usr/bin/env bash
# The desktop operator view against a scale-out fleet: redis-server on a free loopback port (or,
# with --kafka, librdkafka's mock Kafka cluster), one exchange, two dispatchers and two frontends
# (tickwired --role ...), and the app under Xvfb (its test-only build, tickwire-e2e) pointed at
# one frontend with --backend. It must list all five nodes by tier (over Kafka, the frontends
# with their consumer lag). Every process started here is stopped by its PID on exit, also on
# failure. With --update-docs the operator screenshot goes to docs/screenshots/
# (operator-fleet.png, or operator-fleet-kafka.png).
set -euo pipefail
usage="usage: desktop_fleet.sh path/to/tickwired path/to/tickwire-e2e output-dir [--kafka path/to/kafka-mock-cluster] [--update-docs]"
tickwired=${1:?$usage}
tickwire_e2e=${2:?path to tickwire-e2e}
out=${3:?output dir}
shift 3
mock_cluster="" update_docs=""
while [ $# -gt 0 ]; do
  case $1 in
    --kafka) mock_cluster=${2:?$usage}; shift 2 ;;
    --update-docs) update_docs=1; shift ;;
    *) echo "$usage"; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"

. "$here/../support/processes.sh"

if [ -n "$mock_cluster" ]; then
  start_kafka "$mock_cluster" "$out/kafka.log"
  cache="--cache=kafka://$kafka_bootstrap"
  shot=operator-fleet-kafka.png
else
  start_redis "$out/redis.log"  # on a free port: redis-server cannot report one it picked
  cache="--cache=redis://127.0.0.1:$redis_port"
  shot=operator-fleet.png
fi

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
/usr/bin/python3 "$here/check_fleet_report.py" "$out/report.json" ${mock_cluster:+--kafka}

if [ -n "$update_docs" ]; then
  cp "$out/screenshots/operator.png" "$repo/docs/screenshots/$shot"
  echo "updated docs/screenshots/$shot"
fi
