"""The failover gap of a fleet: how long after one dispatcher is killed (kill -9) every symbol of
a sample is quoted again on a frontend, and how many upstream subscriptions the exchange held
meanwhile (the paid-feed ratio: subscriptions per distinct symbol, above 1.00 while two
dispatchers hold a symbol at once).

    failover_gap.py --frontend-port P --exchange-port E --kill-pid PID [--symbols 40] [--wait 30]

Prints one JSON object: gap_s (kill to the last symbol's first quote after it), the symbols'
median interval between quotes before the kill (the gap cannot be told apart from that), and
the highest ratio seen with how long it stayed above 1.00. Loopback only; stops by itself."""
import argparse
import json
import os
import signal
import socket
import statistics
import threading
import time
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--frontend-port", type=int, required=True)
ap.add_argument("--exchange-port", type=int, required=True)
ap.add_argument("--kill-pid", type=int, required=True)
ap.add_argument("--symbols", type=int, default=40)
ap.add_argument("--wait", type=float, default=30)
args = ap.parse_args()


def get_json(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return json.load(r)


listing = get_json(args.exchange_port, "/v1/symbols?limit=1000")
pool = [s["symbol"] for s in listing["symbols"]]
symbols = pool[: args.symbols]  # listed most traded first: they tick often enough to time

arrivals = {s: [] for s in symbols}
stop = threading.Event()


def follow():
    sock = socket.create_connection(("127.0.0.1", args.frontend_port), timeout=1)
    sock.sendall(f"GET /v1/stream?symbols={','.join(symbols)} HTTP/1.1\r\n"
                 f"Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    buf = b""
    while not stop.is_set():
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        now = time.monotonic()
        for line in lines:
            if line.startswith(b'data: {"symbol":'):
                sym = json.loads(line[6:])["symbol"]
                if sym in arrivals:
                    arrivals[sym].append(now)
    sock.close()


reader = threading.Thread(target=follow, daemon=True)
reader.start()
time.sleep(5)  # intervals before the kill
intervals = [b - a for v in arrivals.values() for a, b in zip(v, v[1:])]

ratios = []  # (time, subscriptions / distinct symbols)
def watch_subscriptions():
    while not stop.is_set():
        try:
            subs = get_json(args.exchange_port, "/v1/subscriptions")["subscriptions"]
            if subs:
                ratios.append((time.monotonic(), sum(subs.values()) / len(subs)))
        except OSError:
            pass
        time.sleep(0.05)


watcher = threading.Thread(target=watch_subscriptions, daemon=True)
watcher.start()
time.sleep(0.5)
killed_at = time.monotonic()
os.kill(args.kill_pid, signal.SIGKILL)
deadline = killed_at + args.wait
gap = None
while time.monotonic() < deadline:
    firsts = [next((t for t in v if t > killed_at), None) for v in arrivals.values()]
    if all(firsts):
        gap = max(firsts) - killed_at
        break
    time.sleep(0.05)
time.sleep(2)  # the ratio after the handover settles
stop.set()
above = [t for t, r in ratios if t >= killed_at and r > 1.0]
print(json.dumps({
    "symbols": len(symbols),
    "gap_s": gap,
    "median_interval_s": statistics.median(intervals) if intervals else None,
    "max_ratio": max((r for t, r in ratios if t >= killed_at), default=None),
    "ratio_above_1_s": (max(above) - min(above) + 0.05) if above else 0.0,
}))
