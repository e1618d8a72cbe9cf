"""The soak's sampler (tests/bench/soak.sh): every --interval seconds, one CSV row of the server's
resident memory (VmRSS from /proc/PID/status), its open file descriptors (entries of
/proc/PID/fd) and its client connections (tickwired's `tickwire_frontend_connections` gauges
from /metrics, per transport), until it is sent SIGTERM or the server is gone. Each row is
flushed at once, so a run stopped early still leaves what it saw."""
import argparse
import os
import signal
import sys
import time
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--pid", type=int, required=True, help="tickwired's process id")
ap.add_argument("--port", type=int, required=True, help="its port on 127.0.0.1 (for /metrics)")
ap.add_argument("--out", required=True, help="the CSV file to write")
ap.add_argument("--interval", type=float, default=2.0)
args = ap.parse_args()

stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def gauges(port):
    """tickwired's connection gauges and accept counters; None for a scrape that failed (the
    server is busy: the row still has RSS and fds)."""
    want = {
        'tickwire_frontend_connections{transport="sse"}': "conn_sse",
        'tickwire_frontend_connections{transport="websocket"}': "conn_ws",
        "tickwire_frontend_accepted_connections_total": "accepted",
        'tickwire_frontend_accept_errors_total{reason="fd_limit"}': "fd_limit",
    }
    out = dict.fromkeys(want.values())
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                name, _, value = line.rpartition(" ")
                if name in want:
                    out[want[name]] = int(float(value))
    except OSError:
        pass
    return out


with open(args.out, "w", buffering=1) as csv:
    csv.write("unix_s,rss_kib,fds,conn_sse,conn_ws,accepted,fd_limit\n")
    next_at = time.time()
    while not stop:
        try:
            rss = rss_kib(args.pid)
            fds = len(os.listdir(f"/proc/{args.pid}/fd"))
        except FileNotFoundError:
            break  # the server is gone
        g = gauges(args.port)
        cell = lambda v: "" if v is None else str(v)
        csv.write(f"{time.time():.1f},{rss},{fds},{cell(g['conn_sse'])},{cell(g['conn_ws'])},"
                  f"{cell(g['accepted'])},{cell(g['fd_limit'])}\n")
        next_at += args.interval
        time.sleep(max(0.0, next_at - time.time()))
sys.exit(0)
