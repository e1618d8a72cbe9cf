#!/usr/bin/env bash
# The peer for the benchmarks: nchan (nginx's pub/sub module, Debian's nginx and
# libnginx-mod-nchan) with a config of its own in a temp folder, on a free loopback port.
#   nchan.sh start DIR   -> prints "PORT PID" (the master's PID; its 2 workers are children)
#   nchan.sh stop DIR    -> stops that master and its workers by PID and waits for them
# Channels: POST /pub/<symbol> publishes; GET /sub/<sym1>,<sym2>,... subscribes to several
# channels at once as EventSource. One message buffered per channel (the latest quote).
set -euo pipefail
cmd=${1:?usage: nchan.sh start|stop DIR}
dir=${2:?usage: nchan.sh start|stop DIR}

case "$cmd" in
start)
  mkdir -p "$dir"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 2;
worker_rlimit_nofile 20000;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
daemon off;
events { worker_connections 19900; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  nchan_shared_memory_size 256M;
  server {
    listen 127.0.0.1:$port reuseport;
    location ~ ^/pub/(.+)$ {
      nchan_publisher;
      nchan_channel_id \$1;
      nchan_message_buffer_length 1;
      nchan_message_timeout 5m;
    }
    location ~ ^/sub/(.+)$ {
      nchan_subscriber eventsource;
      nchan_channel_id \$1;
      nchan_channel_id_split_delimiter ",";
      nchan_subscriber_first_message newest;
    }
  }
}
CONF
  /usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/stdout.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/master.pid"
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/pub/PING" -X POST -d '{}'; then
      echo "$port $pid"; exit 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "nchan did not start; see $dir/error.log" >&2
  cat "$dir/error.log" >&2 || true
  exit 1
  ;;
stop)
  pid=$(cat "$dir/master.pid")
  workers=$(pgrep -P "$pid" || true)  # the master's own children, by its PID
  # Fast shutdown: the workers drop their connections and exit, and the master waits for them.
  # (A graceful QUIT let a backlogged worker outlive its master and eat the next run's CPU.)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  for p in $pid $workers; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
  for p in $workers; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
  done
  exit 0
  ;;
*) echo "usage: nchan.sh start|stop DIR" >&2; exit 2 ;;
esac
