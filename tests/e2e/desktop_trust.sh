#!/usr/bin/env bash
# Whether the desktop app's status can be trusted (issue 16, point 1), against a fleet over a
# real redis-server on loopback: an exchange, two dispatchers and a frontend started with
# --heartbeat 3 and --lease 2, and the app (tickwire-e2e under Xvfb, its trust script:
# tests/e2e/driver/trust_driver.hpp) pointed at the frontend. The script here does what the app
# cannot do to itself, each when the app asks (a <step>.ready file), writing the time it acted
# in <step>.done:
#   stop  SIGSTOP to the frontend (the connection stays open, nothing comes)
#   cont  SIGCONT to it
#   kill  SIGKILL to dispatch-2
# check_trust.py then reads the app's report. Every process started here is stopped by its PID
# on exit, also on failure (a paused frontend is resumed first, so that it can stop).
# With --update-docs two of its screenshots go to docs/screenshots/: add-refused.png (an
# unlisted symbol refused at entry) and no-data.png (the badge of a paused server).
set -euo pipefail
tickwired=${1:?usage: desktop_trust.sh path/to/tickwired path/to/tickwire-e2e output-dir}
tickwire_e2e=${2:?path to tickwire-e2e}
out=${3:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/steps"

. "$here/../support/processes.sh"
heartbeat=3
lease=2

pid_frontend=
cleanup() {
  [ -n "$pid_frontend" ] && kill -CONT "$pid_frontend" 2>/dev/null || true
  stop_started
}
trap cleanup EXIT

start_redis "$out/redis.log"
cache="--cache=redis://127.0.0.1:$redis_port"

start() {  # name, args...: a node on a free port with the test's lease (start_node)
  local name=$1; shift
  start_node "$name" --port 0 --lease "$lease" "$@"
}
start exchange-1 --role exchange
upstream="--upstream=http://127.0.0.1:$(cat "$out/exchange-1.port")"
start dispatch-1 --role dispatch "$upstream"
start dispatch-2 --role dispatch "$upstream"
start frontend --role frontend --heartbeat "$heartbeat"
url="http://127.0.0.1:$(cat "$out/frontend.port")"
for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done

xvfb-run -a -s "-screen 0 1400x900x24" \
  "$tickwire_e2e" --settings "$out/settings.ini" --e2e-report "$out/report.json" \
  --e2e-trust "$out/steps" --screenshot-dir "$out/screenshots" --backend "$url" \
  >"$out/app.log" 2>&1 &
app=$!
pids+=($app)

acted() {  # step: the time it was done, written whole (the app may read it at any moment)
  date +%s%3N >"$out/steps/$1.tmp" && mv "$out/steps/$1.tmp" "$out/steps/$1.done"
  echo "$1 done"
}
# Each step at most once, in the order the app asks for them; the app's own per-step timeouts
# bound the run, and `timeout` in ctest bounds this loop should the app hang.
done_steps=" "
while kill -0 "$app" 2>/dev/null; do
  for step in stop cont kill; do
    [ -f "$out/steps/$step.ready" ] || continue
    case $done_steps in *" $step "*) continue ;; esac
    case $step in
      stop) kill -STOP "$pid_frontend" ;;
      cont) kill -CONT "$pid_frontend" ;;
      kill) kill -9 "$pid_dispatch_2" ;;
    esac
    acted "$step"
    done_steps+="$step "
  done
  sleep 0.05
done

status=0
wait "$app" || status=$?
if [ "$status" -ne 0 ]; then
  echo "tickwire-e2e exited with $status; log:"; tail -40 "$out/app.log"
  [ -f "$out/report.json" ] && cat "$out/report.json"
  exit 1
fi
/usr/bin/python3 "$here/check_trust.py" "$out/report.json" "$heartbeat" "$lease"
if [ "${4:-}" = "--update-docs" ]; then
  cp "$out/screenshots/trust-refused-at-entry.png" "$here/../../docs/screenshots/add-refused.png"
  cp "$out/screenshots/trust-no-data.png" "$here/../../docs/screenshots/no-data.png"
  echo "updated docs/screenshots/add-refused.png and no-data.png"
fi
