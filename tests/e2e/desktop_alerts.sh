#!/usr/bin/env bash
# A price alert fires a desktop notification (issue 16, point 2). On a session bus of its own
# (dbus-run-session), the test starts a notification service (fake-notifications: it owns
# org.freedesktop.Notifications and logs each Notify call) and dbus-monitor on the bus; then
# the app (tickwire-e2e under Xvfb, bundled backend, its alerts script: alert_driver.hpp)
# types two alerts a cent either side of NVDA's price into the Alerts screen and waits for one
# to fire. check_alerts.py compares the app's report with what the service and the monitor
# saw. Every process started here is stopped by its PID on exit; the bus ends with the session.
# Then a second run on the same bus without the notification service, on an X server with a
# tray host (trayer): the window is closed to the tray before the alert fires, and the alert
# must still fire and go out as the tray icon's message (check_alerts.py --tray).
# With --update-docs the Alerts screen's screenshot goes to docs/screenshots/alerts.png and the
# screen with the tray's message to docs/screenshots/tray-notification.png.
set -euo pipefail
tickwire_e2e=${1:?usage: desktop_alerts.sh path/to/tickwire-e2e path/to/fake-notifications output-dir}
fake=${2:?path to fake-notifications}
out=${3:?output dir}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${TICKWIRE_ALERTS_BUS:-}" ]; then
  rm -rf "$out" && mkdir -p "$out"
  exec env TICKWIRE_ALERTS_BUS=1 dbus-run-session -- bash "$0" "$@"
fi

. "$here/../support/processes.sh"
"$fake" "$out/notifications.jsonl" >"$out/fake-notifications.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^ready$' "$out/fake-notifications.log" && break; sleep 0.05; done
grep -q '^ready$' "$out/fake-notifications.log" || { cat "$out/fake-notifications.log"; exit 1; }
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications'" \
  >"$out/monitor.log" 2>&1 &
pids+=($!)
sleep 0.2  # the monitor is on the bus before the app

. "$here/run_app.sh"
run_app "$out" "$tickwire_e2e" --e2e-alerts
/usr/bin/python3 "$here/check_alerts.py" "$out"

# The second run: no notification service (stopped by its PID), a tray host on the X server.
stop_started
pids=()
tray=$out/tray
mkdir -p "$tray"
status=0
xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
  trayer --edge top --align right --widthtype request --height 24 >"$1/trayer.log" 2>&1 &
  host=$!
  "$2" --settings "$1/settings.ini" --e2e-report "$1/report.json"     --screenshot-dir "$1/screenshots" --e2e-alerts --e2e-tray >"$1/app.log" 2>&1
  status=$?
  kill "$host" 2>/dev/null; wait "$host" 2>/dev/null
  exit $status' tray-run "$tray" "$tickwire_e2e" || status=$?
if [ "$status" -ne 0 ]; then
  echo "tickwire-e2e (tray run) exited with $status; log:"; tail -40 "$tray/app.log"
  exit 1
fi
/usr/bin/python3 "$here/check_alerts.py" "$tray" --tray

if [ "${4:-}" = "--update-docs" ]; then
  cp "$out/screenshots/alerts.png" "$here/../../docs/screenshots/alerts.png"
  cp "$tray/screenshots/tray-notification.png" "$here/../../docs/screenshots/tray-notification.png"
  echo "updated docs/screenshots/alerts.png and tray-notification.png"
fi
