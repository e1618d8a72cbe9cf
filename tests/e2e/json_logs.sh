#!/usr/bin/env bash
# tickwired --log-format json as a log shipper reads it: every line on stderr is one JSON object
# with time, level, node, role and message (the startup lines, the shutdown lines), and the text
# format stays the default. tickwired is stopped by its PID whatever happens.
set -euo pipefail
tickwired=${1:?usage: json_logs.sh path/to/tickwired}
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

run() {  # log file, args...: start, wait until it listens, stop with SIGTERM, wait for the exit
  local log=$1; shift
  rm -f "$work/port"
  "$tickwired" --port 0 --port-file "$work/port" --exchange-symbols 50 "$@" 2>"$log" &
  pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { echo "tickwired did not start:"; cat "$log"; exit 1; }
  kill -TERM "$pid"
  wait "$pid" || { echo "tickwired exited with $?:"; cat "$log"; exit 1; }
  pid=
}

run "$work/json.log" --log-format json --node-id json-node-1
/usr/bin/python3 - "$work/json.log" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) >= 3, f"expected the start and stop lines, got {lines!r}"
for line in lines:
    event = json.loads(line)  # raises on anything that is not one JSON object per line
    for key in ("time", "level", "node", "role", "message", "pid", "thread"):
        assert key in event, f"{key} missing in {line}"
    assert event["node"] == "json-node-1" and event["role"] == "all", line
messages = [json.loads(l)["message"] for l in lines]
assert any(m.startswith("frontend listening on http://127.0.0.1:") for m in messages), messages
assert "stopped" in messages, messages
print(f"{len(lines)} JSON lines, e.g. {lines[0]}")
PY

run "$work/text.log"
if grep -q '^{' "$work/text.log"; then echo "the default format is not text:"; cat "$work/text.log"; exit 1; fi
grep -q ' info .*frontend listening on' "$work/text.log" || { echo "no text line:"; cat "$work/text.log"; exit 1; }

# An unknown format is refused before anything starts, naming the option.
status=0
out=$("$tickwired" --log-format xml --check 2>&1) || status=$?
[ "$status" -ne 0 ] && grep -q -- '--log-format' <<<"$out" || { echo "--log-format xml: exit $status: $out"; exit 1; }
echo "text is the default; --log-format xml refused: $out"
