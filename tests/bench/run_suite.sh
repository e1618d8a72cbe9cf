#!/usr/bin/env bash
# The benchmark suite: Tickwire and nchan under the same workloads, one after the other, then
# docs/benchmarks.md written from the results (render_benchmarks.py). 16-20 minutes on 2 cores (952 s and 1,188 s in the last two full runs here).
#   bash tests/bench/run_suite.sh            # installs what is missing, builds, runs, writes docs
#   bash tests/bench/run_suite.sh --no-docs  # results only (build/bench/results.jsonl)
#   bash tests/bench/run_suite.sh --only fanout-ws,hold-ws  # those scenarios only; no docs (a
#       page from part of the suite would leave targets out); latency needs fanout with it
#   bash tests/bench/run_suite.sh --update-million  # hold-machine alone (about 10 minutes), then
#       only its parts of docs/benchmarks.md rewritten, stamped with their own commit and machine
#   TICKWIRE_BENCH_SCALE=0.04 bash tests/bench/run_suite.sh --only hold,hold-tls  # every
#       scenario with that share of its clients (at least 1): a quick check that it runs end
#       to end; no docs (the figures are not the suite's)
# Scenarios: hold hold-ws hold-tls hold-machine fanout fanout-ws fanout-tls fanout-fleet
# fanout-fleet-kafka fanout-fleet-wide fanout-fleet-window latency slow. fanout-fleet is fanout's 1,000/s run
# through a Redis fleet (2 dispatchers, redis-server, 2 frontends sharing the port), measured
# over all of those processes and each on its own; fanout-fleet-kafka the same through Kafka
# (librdkafka's mock cluster as the broker, its CPU reported apart: it is a test broker, not
# Kafka). After each fleet run one dispatcher is killed and the failover gap measured
# (failover_gap.py). fanout-fleet-wide: the all-in-one and the Redis fleet at 1,000 deliveries
# per quote instead of 100 (the fleet's cost is per quote). fanout-fleet-window: the Redis
# fleet's run with --publish-window 5.
# hold-tls and fanout-tls are hold and fanout's 1,000/s run over HTTPS (TLS 1.3, a P-256
# certificate made at run time in build/bench/), for what TLS costs against plain in one run.
# Every process it starts is stopped by its PID, also on failure. Loopback only.
# The soak (10 minutes, 19,000 clients with churn) is not part of the suite: tests/bench/soak.sh
# runs it on its own and writes the page's Soak section; this page keeps it when re-rendered.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
write_docs=1
update_million=0  # rewrite only the million-client run's parts of the page
only=""
while [ $# -gt 0 ]; do
  case $1 in
    --no-docs) write_docs=0 ;;
    --only) only=${2:?--only needs a comma-separated list of scenarios}; shift; write_docs=0 ;;
    --update-million) only=hold-machine; write_docs=0; update_million=1 ;;
    *) echo "usage: run_suite.sh [--no-docs] [--only scenario,...] [--update-million]" >&2; exit 2 ;;
  esac
  shift
done
want() {  # scenario: whether this run includes it
  [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]
}
for s in ${only//,/ }; do
  case $s in
    hold|hold-ws|hold-tls|hold-machine|fanout|fanout-ws|fanout-tls|fanout-fleet|fanout-fleet-kafka|fanout-fleet-wide|fanout-fleet-window|latency|slow) ;;
    *) echo "run_suite.sh: no scenario '$s'" >&2; exit 2 ;;
  esac
done
if want latency && ! want fanout; then
  echo "run_suite.sh: latency picks its rate from fanout's results; add fanout to --only" >&2; exit 2
fi
scale=${TICKWIRE_BENCH_SCALE:-1}
if ! [[ $scale =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] ||
   [ "$(awk -v s="$scale" 'BEGIN { print (s > 0 && s <= 1) }')" != 1 ]; then
  echo "run_suite.sh: TICKWIRE_BENCH_SCALE must be a number in (0, 1], not '$scale'" >&2; exit 2
fi
if [ "$(awk -v s="$scale" 'BEGIN { print (s < 1) }')" = 1 ]; then
  echo "run_suite.sh: clients scaled by $scale (TICKWIRE_BENCH_SCALE); no docs"
  write_docs=0 update_million=0
fi
scaled() {  # a scenario's client count, scaled
  awk -v n="$1" -v s="$scale" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }'
}

bash "$repo/packaging/install-deps.sh" --bench
cmake --preset default -S "$repo" >/dev/null
cmake --build "$repo/build" --target tickwired tickwire-bench kafka-mock-cluster
tickwired="$repo/build/backend/app/tickwired"
mock_cluster="$repo/build/tests/support/kafka-mock-cluster"
bench="$repo/build/tests/bench/tickwire-bench"
out="$repo/build/bench"
rm -rf "$out" && mkdir -p "$out"
results="$out/results.jsonl"

pids=()
fleet_pids=()
fleet_roles=()  # what each of fleet_pids is, in the same order
nchan_dirs=()
netns=""  # hold-machine's network namespace while it runs
tcp_mem_before=""  # the host's net.ipv4.tcp_mem while hold-machine has it raised
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$netns" ] || ip netns del "$netns" 2>/dev/null || true
  [ -z "$tcp_mem_before" ] || echo "$tcp_mem_before" >/proc/sys/net/ipv4/tcp_mem || true
  for d in "${nchan_dirs[@]}"; do bash "$here/nchan.sh" stop "$d" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_port() {  # file
  for _ in $(seq 1 200); do [ -s "$1" ] && return 0; sleep 0.05; done
  echo "no port in $1" >&2; exit 1
}

# A CA and a server certificate for 127.0.0.1 (P-256, as tests/support/test_certificates.cpp
# makes them), for the TLS scenarios; made at run time, never committed.
tls_ca="$out/tls-ca.pem"
make_certificates() {
  local p="$out/tls"
  (
    set -e
    exec 2>"$p-openssl.log"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -subj '/CN=Tickwire bench CA' -keyout "$p-ca-key.pem" -out "$tls_ca"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=localhost' \
      -keyout "$p-key.pem" -out "$p.csr"
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$p.ext"
    openssl x509 -req -in "$p.csr" -CA "$tls_ca" -CAkey "$p-ca-key.pem" -CAcreateserial -days 2 \
      -extfile "$p.ext" -out "$p-cert.pem"
  ) || { echo "openssl could not make the certificates; see $p-openssl.log" >&2; exit 1; }
}
if want hold-tls || want fanout-tls; then make_certificates; fi

exchange_symbols=1000  # the simulator's listings (fanout-fleet-wide lists fewer)
dispatch_extra=()      # more options for a fleet's dispatchers (fanout-fleet-window)
# Tickwire as the fan-out server: the exchange simulator in a process of its own (its CPU is
# the feed's, not Tickwire's), and tickwired (dispatch, embedded cache, frontend) following it.
start_tickwire() {  # name, tick rate, [tls]: HTTPS/WSS with the certificate above
  local name=$1 rate=$2 tls=() scheme=http curl_tls=()
  if [ "${3:-}" = tls ]; then
    tls=(--tls-cert "$out/tls-cert.pem" --tls-key "$out/tls-key.pem")
    scheme=https curl_tls=(--cacert "$tls_ca")
  fi
  "$tickwired" --role exchange --port 0 --port-file "$out/$name-exchange.port" \
    --exchange-symbols "$exchange_symbols" --exchange-rate "$rate" --log-level warn >"$out/$name-exchange.log" 2>&1 &
  exchange_pid=$!; pids+=("$exchange_pid")
  wait_port "$out/$name-exchange.port"
  exchange_port=$(cat "$out/$name-exchange.port")
  "$tickwired" --port 0 --port-file "$out/$name.port" --upstream "http://127.0.0.1:$exchange_port" \
    --write-timeout 3600 "${tls[@]}" --log-level warn >"$out/$name.log" 2>&1 &
  server_pid=$!; pids+=("$server_pid")
  wait_port "$out/$name.port"
  server_port=$(cat "$out/$name.port")
  for _ in $(seq 1 100); do
    curl -sf "${curl_tls[@]}" "$scheme://127.0.0.1:$server_port/readyz" >/dev/null && break
    sleep 0.05
  done
}
stop_tickwire() {
  kill "$server_pid" "$exchange_pid"; wait "$server_pid" "$exchange_pid" 2>/dev/null || true
}
# The same server as a fleet over a real redis-server: the exchange (not counted), 2 dispatchers
# and 2 frontends sharing one port (--reuse-port), each frontend with an admin port of its own
# for the accounting. Its CPU and memory are every one of those processes', redis-server's too.
# With `kafka` the shared tier is librdkafka's mock cluster instead (3 brokers in one process):
# its CPU is read apart (broker_pid), since a test broker's cost says nothing of a real Kafka's.
# Each frontend runs one shard thread (--threads 1): the two share this machine's two cores, as
# the all-in-one's two shards do; a frontend alone on a machine keeps the default, one per core.
start_fleet() {  # name, tick rate[, kafka]
  local name=$1 rate=$2 redis_port cache
  if [ "${3:-}" = kafka ]; then
    "$mock_cluster" --bootstrap-file "$out/$name-kafka.bootstrap" --topic tickwire.quotes:12 \
      --topic tickwire.demand:12 --topic tickwire.bars:12 --topic tickwire.state:1 \
      --topic tickwire.nodes:1 --topic tickwire.exclusive:1 >"$out/$name-kafka.log" 2>&1 &
    broker_pid=$!; pids+=("$broker_pid")
    wait_port "$out/$name-kafka.bootstrap"
    cache="--cache=kafka://$(cat "$out/$name-kafka.bootstrap")"
    fleet_pids=() fleet_roles=()
  else
    redis_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
      >"$out/$name-redis.log" 2>&1 &
    redis_pid=$!; pids+=("$redis_pid")
    fleet_redis_port=$redis_port
    for _ in $(seq 1 100); do [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break; sleep 0.05; done
    cache="--cache=redis://127.0.0.1:$redis_port"
    fleet_pids=("$redis_pid")
    fleet_roles=("redis-server")
  fi
  "$tickwired" --role exchange "$cache" --port 0 --port-file "$out/$name-exchange.port" \
    --exchange-symbols "$exchange_symbols" --exchange-rate "$rate" --log-level warn >"$out/$name-exchange.log" 2>&1 &
  exchange_pid=$!; pids+=("$exchange_pid")
  wait_port "$out/$name-exchange.port"
  exchange_port=$(cat "$out/$name-exchange.port")
  metrics_ports=()
  dispatch_ports=()
  for d in 1 2; do
    "$tickwired" --role dispatch "$cache" --node-id "dispatch-$d" --port 0 \
      --port-file "$out/$name-dispatch-$d.port" --upstream "http://127.0.0.1:$exchange_port" \
      --log-level warn "${dispatch_extra[@]}" >"$out/$name-dispatch-$d.log" 2>&1 &
    fleet_pids+=("$!"); pids+=("$!") fleet_roles+=("dispatch-$d")
    dispatch_pids[$d]=$!
    wait_port "$out/$name-dispatch-$d.port"
    dispatch_ports+=("$(cat "$out/$name-dispatch-$d.port")")
  done
  for port in "${dispatch_ports[@]}"; do  # ready: over Kafka, once the group assigned it its share
    for _ in $(seq 1 400); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.05; done
  done
  server_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  for f in 1 2; do
    "$tickwired" --role frontend "$cache" --node-id "frontend-$f" --port "$server_port" \
      --reuse-port --threads 1 --port-file "$out/$name-frontend-$f.port" --admin-port 0 \
      --admin-port-file "$out/$name-frontend-$f.admin" --write-timeout 3600 --log-level warn \
      >"$out/$name-frontend-$f.log" 2>&1 &
    fleet_pids+=("$!"); pids+=("$!") fleet_roles+=("frontend-$f")
    wait_port "$out/$name-frontend-$f.admin"
    metrics_ports+=(--metrics-port "$(cat "$out/$name-frontend-$f.admin")")
  done
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$server_port/readyz" >/dev/null && break; sleep 0.05; done
}
stop_fleet() {
  kill "${fleet_pids[@]}" "$exchange_pid" 2>/dev/null || true
  wait "${fleet_pids[@]}" "$exchange_pid" 2>/dev/null || true
  if [ -n "$broker_pid" ]; then kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; fi
  fleet_pids=() broker_pid=""
}
dispatch_pids=()
broker_pid=""
start_nchan() {  # name
  local dir="$out/$1-nchan"
  nchan_dirs+=("$dir")
  read -r server_port server_pid < <(bash "$here/nchan.sh" start "$dir")
}
stop_nchan() { bash "$here/nchan.sh" stop "$out/$1-nchan"; }

run() {  # scenario system rate extra-bench-args...
  local scenario=$1 system=$2 rate=$3
  shift 3
  local line feed=()
  # Tickwire's feed is paused after the window, so the quotes clients missed can be compared
  # exactly with the server's counts (nchan's publisher simply stops).
  [ "$system" = tickwire ] && feed=(--feed-pid "$exchange_pid")
  # A fleet's processes all count (fleet_pids), else the one server.
  local server=()
  if [ "${#fleet_pids[@]}" -gt 0 ]; then
    for p in "${fleet_pids[@]}"; do server+=(--server-pid "$p"); done
  else
    server=(--server-pid "$server_pid")
  fi
  line=$("$bench" --port "$server_port" "${server[@]}" --label "$scenario" "${feed[@]}" "$@" | tail -n 1)
  local extra="{\"scenario\":\"$scenario\",\"system\":\"$system\",\"rate\":$rate"
  if [ "$system" = tickwire ]; then
    # upstream subscriptions at the end of the run, for the `upstream` figure
    local subs
    subs=$(curl -s "http://127.0.0.1:$exchange_port/v1/subscriptions" | /usr/bin/python3 -c \
      'import json,sys; d=json.load(sys.stdin); print(d["total"])')
    extra="$extra,\"upstream_subscriptions\":$subs"
  fi
  echo "$line" | /usr/bin/python3 -c "
import json, sys
r = json.load(sys.stdin); r.update(json.loads('$extra}')); print(json.dumps(r))" >>"$results"
  tail -n 1 "$results" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print("%-10s %-8s rate %6s: held %6d, %8.0f deliveries/s, %8.0f per CPU-s, p50 %7.2f ms, p99 %7.2f ms, RSS/conn %6.0f B" % (
  r["scenario"], r["system"], r["rate"], r["held"], r["deliveries_per_s"], r["deliveries_per_cpu_s"],
  r["latency_us"]["p50"] / 1e3, r["latency_us"]["p99"] / 1e3, r["rss_bytes_per_connection"]))'
}

fanout_args=(--connections "$(scaled 10000)" --symbols 10 --universe 1000 --ramp 5000 --warmup 2
             --duration 5 --per-worker 5000)

# hold: idle connections (no ticks), as many as one process may hold here.
if want hold; then
  start_tickwire hold 0
  run hold tickwire 0 --connections "$(scaled 19000)" --symbols 1 --universe 1000 --ramp 5000 \
    --warmup 2 --duration 3 --per-worker 9500 --source-addresses 4
  stop_tickwire
fi
# The same over WebSocket (Tickwire only: the suite's nchan serves EventSource).
if want hold-ws; then
  start_tickwire hold-ws 0
  run hold-ws tickwire 0 --transport websocket --connections "$(scaled 19000)" --symbols 1 \
    --universe 1000 --ramp 5000 --warmup 2 --duration 3 --per-worker 9500 --source-addresses 4
  stop_tickwire
fi
# The same over TLS (HTTPS): the server's memory per idle TLS connection, beside plain hold's.
# Connected at 800/s, not 5,000/s: setting up a TLS connection (TLS 1.3 handshake included)
# cost the server ~0.6 ms of CPU here (plain: ~0.13 ms) and a client ~0.9 ms, so 800/s keeps
# the handshakes near one of the two cores, and every client is connected before the window.
# (Memory, not CPU, is the figure here; the set-up CPU is in server_cpu_before_window_s.)
if want hold-tls; then
  start_tickwire hold-tls 0 tls
  run hold-tls tickwire 0 --tls-ca "$tls_ca" --connections "$(scaled 19000)" --symbols 1 \
    --universe 1000 --ramp 800 --warmup 6 --duration 3 --per-worker 9500 --source-addresses 4
  stop_tickwire
fi
if want hold; then
  start_nchan hold
  run hold nchan 0 --target nchan --connections "$(scaled 19000)" --symbols 1 --universe 1000 \
    --ramp 5000 --warmup 2 --duration 3 --per-worker 9500 --source-addresses 4
  stop_nchan hold
fi

# hold, machine-wide (Tickwire only; nchan's 2 workers are capped at 2 x 19,900 files here):
# 250,000 idle clients over 16 frontend processes sharing one port over Redis, from 64
# loopback source addresses (with 16, connect() slowed down enough - the kernel searching
# ~15,000 used ports per address - that 10% were still unstarted when the window opened).
# The ramp alone is 25 s at 10,000/s; with 8 s of warm-up, runs on a slower day counted 1-2%
# of the clients as unheld because they were still connecting (every one got its snapshot
# later, none was refused): 15 s of warm-up leaves room for that.
# hold-machine: 1,000,000 SSE clients on this machine. One process may hold 20,000 files here,
# so the frontends are ~17,000 connections each on one port (SO_REUSEPORT) over Redis, and the
# generator's workers 18,000 each from 64 loopback source addresses (28,232 ports each).
# What two cores shared by ~60 frontends and ~60 generator workers sustain set the rest:
# - the clients connect at 3,000 a second: at 5,000 the workers fell 30 s behind sending their
#   requests and the frontends closed 48,000 of them (request timeout); at 20,000 the accept
#   queues overflowed;
# - the exchange ticks 10 times a second (a sample of the clients receives quotes while all are
#   held for 60 s) and the frontends send a heartbeat every 30 s, not 15: at 50 ticks a second
#   and 15 s, heartbeats and quotes were ~100,000 socket writes a second with every client held.
# The kernel's share is read before the clients connect and mid-window (kernel_memory.py), and
# the system limits with it.
hold_machine() {
  local rport fport fpids=() args=() conns frontends in_ns=()
  conns=$(scaled 1000000)
  # Two million sockets in the kernel's one established-connection table (262,144 buckets at
  # boot here) make every packet's lookup walk chains of eight: 16% of the CPU in a first run.
  # A network namespace made for the run gets a table of its own, sized for it
  # (net.ipv4.tcp_child_ehash_entries, Linux 6.1+); without one the run goes on in the host's.
  if [ "$(id -u)" = 0 ] && [ -w /proc/sys/net/ipv4/tcp_child_ehash_entries ]; then
    netns="tickwire-bench-$$"
    local before_child
    before_child=$(cat /proc/sys/net/ipv4/tcp_child_ehash_entries)
    echo 2097152 >/proc/sys/net/ipv4/tcp_child_ehash_entries
    if ip netns add "$netns" 2>/dev/null && ip netns exec "$netns" ip link set lo up; then
      in_ns=(ip netns exec "$netns")
    else
      echo "hold-machine: no network namespace; the host's connection table is used" >&2
      ip netns del "$netns" 2>/dev/null || true
      netns=""
    fi
    echo "$before_child" >/proc/sys/net/ipv4/tcp_child_ehash_entries
  fi
  # net.ipv4.tcp_mem (pages, machine-wide: no namespace has its own) bounds what all TCP sockets
  # together may hold in buffers; past its third value the kernel drops what it cannot queue.
  # The boot default here, sized from the memory (575,814 pages, 2.2 GiB), was passed in runs
  # that held ~820,000-850,000 clients: ~890,000 pages of quotes and heartbeats were queued for
  # generator workers that had fallen behind. Raised for the run to 4, 6 and 8 KiB per
  # connection (never lowered) so that a shortfall is not the kernel's, and put back after;
  # the kernel's counters in the row say whether pressure was reached anyway.
  if [ "$(id -u)" = 0 ] && [ -w /proc/sys/net/ipv4/tcp_mem ]; then
    tcp_mem_before=$(cat /proc/sys/net/ipv4/tcp_mem)
    read -r m0 m1 m2 <<<"$tcp_mem_before"
    echo "$(( m0 > conns ? m0 : conns )) $(( m1 > conns * 3 / 2 ? m1 : conns * 3 / 2 ))" \
         "$(( m2 > conns * 2 ? m2 : conns * 2 ))" >/proc/sys/net/ipv4/tcp_mem
  fi
  frontends=$(( (conns + 16999) / 17000 ))
  rport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # redis-server, the dispatcher and the exchange run at nice -10: the fleet's shared services,
  # which a deployment gives machines of their own. Here they share two cores with ~60 frontends
  # and ~60 generator workers; at equal weight redis-server got ~2% of the CPU while the clients
  # connected, answered no PING within 3 s, and every frontend's link flapped (a status event
  # to each of its clients at every flap).
  "${in_ns[@]}" nice -n -10 redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no >"$out/machine-redis.log" 2>&1 &
  local redis_pid=$!; pids+=("$redis_pid")
  for _ in $(seq 1 100); do [ "$("${in_ns[@]}" redis-cli -p "$rport" ping 2>/dev/null)" = PONG ] && break; sleep 0.05; done
  local cache="--cache=redis://127.0.0.1:$rport"
  "${in_ns[@]}" nice -n -10 "$tickwired" --role exchange --port 0 --port-file "$out/machine-exchange.port" "$cache" \
    --exchange-symbols 1000 --exchange-rate 10 --log-level warn >"$out/machine-exchange.log" 2>&1 &
  exchange_pid=$!; pids+=("$exchange_pid")
  wait_port "$out/machine-exchange.port"
  exchange_port=$(cat "$out/machine-exchange.port")
  "${in_ns[@]}" nice -n -10 "$tickwired" --role dispatch --port 0 --port-file "$out/machine-dispatch.port" "$cache" \
    --upstream "http://127.0.0.1:$exchange_port" --log-level warn >"$out/machine-dispatch.log" 2>&1 &
  local dispatch_pid=$!; pids+=("$dispatch_pid")
  wait_port "$out/machine-dispatch.port"
  fport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Each frontend also serves its own /metrics on an admin port: frontend_memory.py reads them.
  for i in $(seq 1 "$frontends"); do
    "${in_ns[@]}" "$tickwired" --role frontend --port "$fport" --reuse-port --threads 1 "$cache" --heartbeat 30 \
      --admin-port 0 --admin-port-file "$out/machine-frontend-$i.admin" \
      --node-id "machine-frontend-$i" --log-level warn >"$out/machine-frontend-$i.log" 2>&1 &
    fpids+=($!); pids+=($!); args+=(--server-pid "$!")
  done
  local admin_ports=()
  for i in $(seq 1 "$frontends"); do
    wait_port "$out/machine-frontend-$i.admin"
    admin_ports+=("$(cat "$out/machine-frontend-$i.admin")")
  done
  for _ in $(seq 1 200); do "${in_ns[@]}" curl -sf "http://127.0.0.1:$fport/readyz" >/dev/null && break; sleep 0.1; done
  server_port=$fport
  server_pid=${fpids[0]}
  local ramp=3000 warmup=60 duration=60
  /usr/bin/python3 "$here/kernel_memory.py" >"$out/machine-kernel-host.json"  # the host's limits
  "${in_ns[@]}" /usr/bin/python3 "$here/kernel_memory.py" >"$out/machine-kernel-before.json"
  "${in_ns[@]}" /usr/bin/python3 "$here/frontend_memory.py" "${admin_ports[@]}" >"$out/machine-memory-before.json"
  "${in_ns[@]}" "$bench" --port "$fport" "${args[@]}" --label hold-machine \
    --connections "$conns" --symbols 1 --universe 1000 --ramp "$ramp" --warmup "$warmup" \
    --duration "$duration" --per-worker 18000 --source-addresses 64 >"$out/machine-bench.txt" &
  local bench_pid=$!; pids+=("$bench_pid")
  # Mid-window: the ramp, the warm-up and half the window from the bench's start.
  sleep "$(awk -v c="$conns" -v r="$ramp" -v w="$warmup" -v d="$duration" 'BEGIN { print c / r + w + d / 2 }')"
  "${in_ns[@]}" /usr/bin/python3 "$here/kernel_memory.py" >"$out/machine-kernel-held.json"
  "${in_ns[@]}" /usr/bin/python3 "$here/frontend_memory.py" "${admin_ports[@]}" >"$out/machine-memory-held.json"
  wait "$bench_pid"
  tail -n 1 "$out/machine-bench.txt" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin); r.update({"scenario": "hold-machine", "system": "tickwire", "rate": 10, "heartbeat_s": 30})
r["kernel_before"] = json.load(open(sys.argv[1]))
r["kernel_held"] = json.load(open(sys.argv[2]))
r["memory_before"] = json.load(open(sys.argv[5]))
r["memory_held"] = json.load(open(sys.argv[6]))
# Limits as the host has them (a namespace hides some), with the table the run used.
r["limits"] = json.load(open(sys.argv[3]))["limits"]
r["limits"]["tcp_ehash_entries"] = r["kernel_before"]["limits"]["tcp_ehash_entries"]
# tcp_mem as the machine had it before the run raised it (empty: not raised).
r["limits"]["tcp_mem_pages_before_run"] = [int(v) for v in sys.argv[4].split()] or None
print(json.dumps(r))' "$out/machine-kernel-before.json" "$out/machine-kernel-held.json" \
    "$out/machine-kernel-host.json" "$tcp_mem_before" "$out/machine-memory-before.json" \
    "$out/machine-memory-held.json" >>"$results"
  tail -n 1 "$results" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
b, h = r["kernel_before"], r["kernel_held"]
pairs = (h["sockstat"]["inuse"] - b["sockstat"]["inuse"]) / 2
slab = (h["slab_kib"] - b["slab_kib"]) * 1024 / pairs if pairs > 0 else 0
print("hold-machine tickwire: held %d of %d over %d processes, RSS/conn %.0f B, kernel slab/conn %.0f B, "
      "all connected in %s s, %d clients got quotes" % (
  r["held"], r["connections"], r["server_processes"], r["rss_bytes_per_connection"], slab,
  r["connect_all_s"], r["clients_with_quotes"]))'
  kill "${fpids[@]}" "$dispatch_pid" "$exchange_pid"
  wait "${fpids[@]}" "$dispatch_pid" "$exchange_pid" 2>/dev/null || true
  kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
  if [ -n "$netns" ]; then ip netns del "$netns"; netns=""; fi
  if [ -n "$tcp_mem_before" ]; then echo "$tcp_mem_before" >/proc/sys/net/ipv4/tcp_mem; tcp_mem_before=""; fi
}

# fanout: 10,000 clients x 10 of 1,000 symbols at increasing tick rates (1,000/s too: on two
# cores shared with the generator, 2,000/s is already past what either system sustains).
want fanout && for rate in 1000 2000 10000 20000; do
  start_tickwire "fanout-$rate" "$rate"
  run fanout tickwire "$rate" "${fanout_args[@]}"
  stop_tickwire
  start_nchan "fanout-$rate"
  run fanout nchan "$rate" --target nchan --publish-rate "$rate" "${fanout_args[@]}"
  stop_nchan "fanout-$rate"
done

# The same fanout over WebSocket (Tickwire only: the suite's nchan serves EventSource), at the
# rates whose cost per delivery the targets compare with SSE's fanout at that rate; its
# 1,000/s run also gives the WebSocket latency target (the same workload as the latency run).
want fanout-ws && for rate in 1000 2000; do
  start_tickwire "fanout-ws-$rate" "$rate"
  run fanout-ws tickwire "$rate" --transport websocket "${fanout_args[@]}"
  stop_tickwire
done

# fanout over TLS (HTTPS), at 1,000 ticks/s only (to keep the suite short): deliveries per
# server CPU-second and latency against fanout's plain run at that rate. The same workload; the
# clients connect at 500/s (the handshakes share the cores with the ticks already flowing to the
# clients connected before them), with 5 s of warm-up after the ramp so that the window's CPU
# is delivery work, not handshakes (held_at_start says whether every client was in by then).
if want fanout-tls; then
  start_tickwire fanout-tls-1000 1000 tls
  # A long warm-up: with quotes already flowing to the first clients, the handshakes of the
  # last ones ran ~10 s behind a 500/s ramp (a 5 s warm-up opened the window with 7,909 of
  # 10,000 connected, so handshakes were measured as fan-out CPU).
  run fanout-tls tickwire 1000 --tls-ca "$tls_ca" --connections "$(scaled 10000)" --symbols 10 \
    --universe 1000 --ramp 500 --warmup 20 --duration 5 --per-worker 5000
  stop_tickwire
fi

# fanout through the Redis fleet at 1,000/s: the same workload and window as fanout's run at
# that rate, measured over every process of the fleet, accounted over both frontends.
# What the shared tier spends per quote: redis-server's CPU (INFO cpu), or the mock broker's
# (/proc), over the quotes the dispatchers stored (tickwire_dispatch_quotes_total), both read
# before and after the run.
fleet_counters() {  # prints "<shared tier cpu seconds> <quotes dispatched>"
  local cpu quotes=0 port
  if [ -n "$broker_pid" ]; then
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.6f", ($14 + $15) / hz }' "/proc/$broker_pid/stat")
  else
    cpu=$(redis-cli -p "$fleet_redis_port" INFO cpu | tr -d '\r' |
          awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.6f", s }')
  fi
  for port in "${dispatch_ports[@]}"; do
    quotes=$((quotes + $(curl -s "http://127.0.0.1:$port/metrics" |
      awk '/^tickwire_dispatch_quotes_total / { printf "%d", $2 }')))
  done
  echo "$cpu $quotes"
}
record_fleet_roles() {  # into the last row: which fleet process each PID of its CPU split is
  /usr/bin/python3 - "$results" "${fleet_pids[*]}" "${fleet_roles[*]}" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rows[-1]["fleet_roles"] = dict(zip(sys.argv[2].split(), sys.argv[3].split()))  # pid -> role
open(sys.argv[1], "w").write("".join(json.dumps(r) + "\n" for r in rows))
PY
}
run_on_fleet() {  # scenario, rate, the generator's arguments: run against the fleet started last
  local scenario=$1 rate=$2 dispatch_args=() port
  shift 2
  for port in "${dispatch_ports[@]}"; do dispatch_args+=(--dispatch-port "$port"); done
  run "$scenario" tickwire "$rate" "$@" "${metrics_ports[@]}" "${dispatch_args[@]}"
}
# The fleet's fanout run, then one dispatcher killed: the shared tier's CPU per quote and the
# failover gap go into the run's row.
fleet_run() {  # scenario, shared tier (redis or kafka)
  local scenario=$1 tier=$2 gap
  start_fleet "$scenario-1000" 1000 "$tier"
  read -r cpu0 quotes0 < <(fleet_counters)
  run_on_fleet "$scenario" 1000 "${fanout_args[@]}"
  read -r cpu1 quotes1 < <(fleet_counters)
  if [ "$tier" = redis ]; then
    # Where redis-server's time went, per command and script (for tuning; not on the page).
    redis-cli -p "$fleet_redis_port" INFO commandstats | tr -d '\r' >"$out/$scenario-commandstats.txt"
  fi
  gap=$(/usr/bin/python3 "$here/failover_gap.py" --frontend-port "$server_port" \
          --exchange-port "$exchange_port" --kill-pid "${dispatch_pids[1]}")
  record_fleet_roles
  /usr/bin/python3 - "$results" "$tier" "$cpu0" "$cpu1" "$quotes0" "$quotes1" "$gap" <<'PY'
import json, sys
path, tier = sys.argv[1], sys.argv[2]
cpu0, cpu1, q0, q1 = map(float, sys.argv[3:7])
rows = [json.loads(l) for l in open(path)]
rows[-1]["shared_tier"] = tier
rows[-1]["shared_tier_cpu_s"] = cpu1 - cpu0
rows[-1]["fleet_quotes"] = q1 - q0
rows[-1]["failover"] = json.loads(sys.argv[7])
open(path, "w").write("".join(json.dumps(r) + "\n" for r in rows))
PY
  stop_fleet
}
want fanout-fleet && fleet_run fanout-fleet redis
want fanout-fleet-kafka && fleet_run fanout-fleet-kafka kafka

# fanout-fleet-window: the Redis fleet's 1,000/s run again with --publish-window 5: each
# dispatcher's quotes wait up to 5 ms to share a call to Redis. What that saves per CPU-second
# and what it costs in latency (no failover here).
if want fanout-fleet-window; then
  dispatch_extra=(--publish-window 5)
  start_fleet fanout-fleet-window-1000 1000 redis
  run_on_fleet fanout-fleet-window 1000 "${fanout_args[@]}"
  record_fleet_roles
  stop_fleet
  dispatch_extra=()
fi

# fanout-fleet-wide: what the fleet's cost per quote weighs when each quote reaches more clients.
# The same 10,000 clients x 10 symbols and the same deliveries per second as fanout's 1,000/s
# run, from 100 listings at 100 ticks/s: 1,000 deliveries per quote instead of 100. The
# all-in-one first, then the Redis fleet (no failover here), each measured as above.
if want fanout-fleet-wide; then
  exchange_symbols=100
  wide_args=(--connections "$(scaled 10000)" --symbols 10 --universe 100 --ramp 5000 --warmup 2
             --duration 5 --per-worker 5000)
  start_tickwire fanout-wide-100 100
  run fanout-wide tickwire 100 "${wide_args[@]}"
  stop_tickwire
  start_fleet fanout-fleet-wide-100 100 redis
  run_on_fleet fanout-fleet-wide 100 "${wide_args[@]}"
  record_fleet_roles
  stop_fleet
  exchange_symbols=1000
fi

# latency: at half of each system's highest rate that kept up (deliveries >= 95% of what the
# rate implies, p99 <= 100 ms), or half the lowest rate when none did.
want latency && for system in tickwire nchan; do
  half=$(/usr/bin/python3 - "$results" "$system" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = [r["rate"] for r in rows if r["scenario"] == "fanout" and r["system"] == sys.argv[2]
      and r["deliveries_per_s"] >= 0.95 * r["rate"] * 10 / 1000 * r["connections"]
      and r["latency_us"]["p99"] <= 100_000]
low = min(r["rate"] for r in rows if r["scenario"] == "fanout" and r["system"] == sys.argv[2])
print(int((max(ok) if ok else low) / 2))
PY
)
  if [ "$system" = tickwire ]; then
    start_tickwire latency "$half"; run latency tickwire "$half" "${fanout_args[@]}"; stop_tickwire
    # The same over WebSocket, at the same rate: the two transports' latency side by side.
    start_tickwire latency-ws "$half"
    run latency-ws tickwire "$half" --transport websocket "${fanout_args[@]}"
    stop_tickwire
  else
    start_nchan latency; run latency nchan "$half" --target nchan --publish-rate "$half" "${fanout_args[@]}"
    stop_nchan latency
  fi
done

# slow: 10% of the clients read 1 KiB a second through a 4 KiB buffer, at 2,000 ticks/s.
if want slow; then
  start_tickwire slow 2000
  run slow tickwire 2000 "${fanout_args[@]}" --slow-fraction 0.1
  stop_tickwire
  start_nchan slow
  run slow nchan 2000 --target nchan --publish-rate 2000 "${fanout_args[@]}" --slow-fraction 0.1
  stop_nchan slow
fi

# Last: tearing down two million sockets and ~10 GB of kernel memory goes on for a while after
# the million-client run ends, and the fanout runs measured after it lost 10-30% per CPU-second.
want hold-machine && hold_machine

if [ "$write_docs" = 1 ]; then
  # Rendered aside and then moved, so the page's "uncommitted changes" check sees the tree as
  # it was measured, not the half-written page.
  /usr/bin/python3 "$here/render_benchmarks.py" "$results" "$repo" >"$out/benchmarks.md"
  mv "$out/benchmarks.md" "$repo/docs/benchmarks.md"
  echo "wrote docs/benchmarks.md"
fi
if [ "$update_million" = 1 ]; then
  /usr/bin/python3 "$here/render_benchmarks.py" --update-million "$results" "$repo/docs/benchmarks.md" "$repo"
  echo "wrote the One million connections parts of docs/benchmarks.md"
fi
