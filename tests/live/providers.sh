#!/usr/bin/env bash
# Live smoke test against the real providers (needs the internet and keys; not part of CI).
# For each provider whose keys are in the environment, runs tickwired following it on a free
# loopback port and waits up to 60 s for one quote over SSE; a provider without keys is
# skipped, and says so.
#   APCA_API_KEY_ID=... APCA_API_SECRET_KEY=... FINNHUB_TOKEN=... bash tests/live/providers.sh [TICKWIRED]
# Alpaca follows its always-on test stream (FAKEPACA), so it works outside market hours;
# Finnhub's free stream only trades while the US market is open.
set -uo pipefail
tickwired=${1:-build/backend/app/tickwired}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

try() {  # name, upstream, symbol
  local name=$1 upstream=$2 symbol=$3
  "$tickwired" --upstream "$upstream" --port 0 --port-file "$work/$name.port" \
    >"$work/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
  local port; port=$(cat "$work/$name.port" 2>/dev/null)
  if [ -n "$port" ] && timeout 60 curl -sN "http://127.0.0.1:$port/v1/stream?symbols=$symbol" \
      | grep -m1 -q '^event: quote\|"last"'; then
    echo "$name: OK, a live quote for $symbol arrived"
  else
    echo "$name: FAILED, no quote for $symbol within 60 s; its log:"; tail -20 "$work/$name.log"
    status=1
  fi
  kill "$pid"; wait "$pid" 2>/dev/null
}

if [ -n "${APCA_API_KEY_ID:-}" ] && [ -n "${APCA_API_SECRET_KEY:-}" ]; then
  try alpaca alpaca://test FAKEPACA
else
  echo "alpaca: SKIPPED (APCA_API_KEY_ID and APCA_API_SECRET_KEY are not set)"
fi
if [ -n "${FINNHUB_TOKEN:-}" ]; then
  try finnhub finnhub:// AAPL
else
  echo "finnhub: SKIPPED (FINNHUB_TOKEN is not set)"
fi
exit $status
