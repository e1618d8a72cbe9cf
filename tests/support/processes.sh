# Sourced by the shell tests that start processes. Every process they start goes into `pids`
# and is stopped by its PID when the script exits, also on failure (never by name). A script
# with more to clean up sets its own EXIT trap and calls stop_started from it.
pids=()
stop_started() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_started EXIT

free_port() {  # a loopback port free right now
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_redis() {  # LOG: a private redis-server (no persistence) on a free loopback port, in
  # redis_port once it answers
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$1" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.05
  done
  echo "redis-server did not answer; its log:"; tail -n 20 "$1"; return 1
}

start_kafka() {  # MOCK_CLUSTER LOG: librdkafka's mock cluster (3 brokers, the cache tier's topics)
  # on loopback ports it picks, in kafka_bootstrap once it listens
  local boot="$2.bootstrap"
  rm -f "$boot"
  "$1" --bootstrap-file "$boot" --topic tickwire.quotes:12 --topic tickwire.demand:12 \
    --topic tickwire.bars:12 \
    --topic tickwire.state:1 --topic tickwire.nodes:1 --topic tickwire.exclusive:1 >"$2" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$boot" ] && break; sleep 0.05; done
  [ -s "$boot" ] || { echo "kafka-mock-cluster did not start; its log:"; tail -n 20 "$2"; return 1; }
  kafka_bootstrap=$(cat "$boot")
}

wait_for_file() {  # path, what: waits up to 15 s for the file to be non-empty; if it stays
  # empty, prints the tail of the logs in $out and exits 1
  for _ in $(seq 1 300); do [ -s "$1" ] && return 0; sleep 0.05; done
  echo "$2 did not come; logs:"; tail -n 20 "$out"/*.log; exit 1
}

start_node() {  # name, args...: a fleet node, $tickwired with $cache and --node-id name, its log
  # in $out/<name>.log, its port in $out/<name>.port (waited for); its PID in pid_<name> (dashes
  # as underscores)
  local name=$1; shift
  "$tickwired" --port-file "$out/$name.port" "$cache" --node-id "$name" "$@" \
    >"$out/$name.log" 2>&1 &
  pids+=($!)
  printf -v "pid_${name//-/_}" '%s' "$!"
  wait_for_file "$out/$name.port" "$name"
}
