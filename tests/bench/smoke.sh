#!/usr/bin/env bash
# A small run of tickwire-bench against a real tickwired (part of the test command): a few
# hundred clients over two source addresses for a few seconds, over SSE and over WebSocket, plain
# and over TLS (--tls-ca). It asserts that deliveries arrive and latency is measured, not how
# fast: timing targets belong to run_suite.sh.
set -euo pipefail
tickwired=${1:?usage: smoke.sh path/to/tickwired path/to/tickwire-bench}
bench=${2:?path to tickwire-bench}
dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
wait_port() { for _ in $(seq 1 200); do [ -s "$1" ] && return 0; sleep 0.05; done; exit 1; }

# The exchange simulator in a process of its own, so the bench can pause the feed (--feed-pid)
# and compare the quotes its clients missed with the server's counts exactly.
"$tickwired" --role exchange --port 0 --port-file "$dir/exchange.port" --exchange-symbols 500 \
  --exchange-rate 2000 --log-level warn >"$dir/exchange.log" 2>&1 &
exchange=$!; pids+=("$exchange")
wait_port "$dir/exchange.port"
"$tickwired" --port 0 --port-file "$dir/port" --upstream "http://127.0.0.1:$(cat "$dir/exchange.port")" \
  --log-level warn >"$dir/tickwired.log" 2>&1 &
pid=$!; pids+=("$pid")
wait_port "$dir/port"
port=$(cat "$dir/port")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.05; done

# The same over HTTPS/WSS: a CA and a certificate for 127.0.0.1, and a second tickwired serving
# it, following the same exchange.
(
  set -e
  exec 2>"$dir/openssl.log"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj '/CN=Tickwire bench smoke CA' -keyout "$dir/ca-key.pem" -out "$dir/ca.pem"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=localhost' \
    -keyout "$dir/key.pem" -out "$dir/cert.csr"
  printf 'subjectAltName=IP:127.0.0.1\n' >"$dir/cert.ext"
  openssl x509 -req -in "$dir/cert.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -days 1 -extfile "$dir/cert.ext" -out "$dir/cert.pem"
) || { cat "$dir/openssl.log" >&2; exit 1; }
"$tickwired" --port 0 --port-file "$dir/tls.port" --upstream "http://127.0.0.1:$(cat "$dir/exchange.port")" \
  --tls-cert "$dir/cert.pem" --tls-key "$dir/key.pem" --log-level warn >"$dir/tickwired-tls.log" 2>&1 &
tls_pid=$!; pids+=("$tls_pid")
wait_port "$dir/tls.port"
tls_port=$(cat "$dir/tls.port")
for _ in $(seq 1 100); do
  curl -sf --cacert "$dir/ca.pem" "https://127.0.0.1:$tls_port/readyz" >/dev/null && break; sleep 0.05
done

for run in sse websocket sse-tls websocket-tls; do
  transport=${run%-tls} target=(--port "$port" --server-pid "$pid") tls=no
  if [ "$run" != "$transport" ]; then
    target=(--port "$tls_port" --server-pid "$tls_pid" --tls-ca "$dir/ca.pem") tls=yes
  fi
  "$bench" "${target[@]}" --transport "$transport" --connections 300 --symbols 10 --universe 500 \
    --ramp 1000 --warmup 1 --duration 3 --source-addresses 2 --per-worker 150 \
    --feed-pid "$exchange" --settle 0.5 --label "smoke-$run" | tee "$dir/out.txt"
  tail -n 1 "$dir/out.txt" | TLS=$tls /usr/bin/python3 -c '
import json, os, sys
r = json.load(sys.stdin)
assert r["held"] == 300, r
if os.environ["TLS"] == "yes":
    assert r["tls"]["version"] == "TLSv1.3", r["tls"]
else:
    assert r["tls"] is None, r["tls"]
assert r["workers"] == 2, r
e = r["errors"]
assert e["connect"] == e["tls"] == e["http"] == e["closed_by_server"] == e["lost_before_answer"] == 0, e
assert r["deliveries"] > 0 and r["deliveries_per_s"] > 0, r
lat = r["latency_us"]
assert lat["count"] == r["deliveries"], lat  # every delivery was timed
assert 0 < lat["p50"] <= lat["p99"] <= lat["max"], lat
assert r["server_cpu_s"] > 0 and r["server_rss_kib"] > 0, r
assert r["snapshot_quotes"] == 300 * 10, r["snapshot_quotes"]
# 300 connections at 1,000/s: all answered within the ramp and the warm-up.
assert r["connect_all_s"] is not None and 0 < r["connect_all_s"] < 1.3, r["connect_all_s"]
assert r["clients_with_quotes"] == 300, r["clients_with_quotes"]  # ~40 quotes/s each
m = r["missed"]  # every quote a client missed is one the server counted (the feed was paused)
assert m["feed_paused"] and m["clients"] == m["server"], m
print("bench smoke (%s%s): %d deliveries, p50 %.2f ms, p99 %.2f ms" % (
    r["transport"], " over TLS" if r["tls"] else "", r["deliveries"], lat["p50"] / 1e3, lat["p99"] / 1e3))
'
done
