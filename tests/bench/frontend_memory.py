#!/usr/bin/env python3
"""One JSON line: the memory of a fleet's frontends now, summed, from each one's own /metrics
(tickwired --admin-port):

  resident_bytes     tickwire_process_resident_bytes (what the kernel counts as RSS)
  heap_in_use_bytes  tickwire_heap_bytes{state="in_use"}: what the program has allocated
  heap_free_bytes    tickwire_heap_bytes{state="free"}: freed, kept mapped by the allocator
  heap_trims         tickwire_heap_trims_total: times the heap trimmer gave free heap back
  heap_trimmed_bytes tickwire_heap_trimmed_bytes_total: the resident memory those trims gave back
  connections        tickwire_frontend_connections, every transport
  scraped            how many frontends answered (one that did not is left out of the sums)

Used by run_suite.sh's machine-wide hold, once before the clients connect and once while they are
all held: the growth per held connection says how much of the RSS is the connections' own state
and how much is heap the allocator keeps after connections that closed.

  frontend_memory.py PORT [PORT ...]
"""
import concurrent.futures
import json
import sys
import urllib.request

FIELDS = {
    "tickwire_process_resident_bytes": "resident_bytes",
    'tickwire_heap_bytes{state="in_use"}': "heap_in_use_bytes",
    'tickwire_heap_bytes{state="free"}': "heap_free_bytes",
    "tickwire_heap_trims_total": "heap_trims",
    "tickwire_heap_trimmed_bytes_total": "heap_trimmed_bytes",
}


def scrape(port):
    """The fields above for the frontend on 127.0.0.1:port; None if it did not answer in time
    (a frontend among sixty on two busy cores may take a while)."""
    out = dict.fromkeys(FIELDS.values(), 0.0)
    out["connections"] = 0.0
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=60) as r:
            text = r.read().decode()
    except OSError as e:
        print(f"frontend_memory.py: port {port}: {e}", file=sys.stderr)
        return None
    for line in text.splitlines():
        name, _, value = line.rpartition(" ")
        if name in FIELDS:
            out[FIELDS[name]] = float(value)
        elif name.startswith("tickwire_frontend_connections{"):
            out["connections"] += float(value)
    return out


ports = [int(p) for p in sys.argv[1:]]
with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
    readings = list(pool.map(scrape, ports))
answered = [r for r in readings if r is not None]
total = {k: sum(r[k] for r in answered) for k in (*FIELDS.values(), "connections")}
total["scraped"] = len(answered)
total["frontends"] = len(ports)
print(json.dumps(total))
