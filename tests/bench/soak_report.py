"""The soak's verdict and plot (tests/bench/soak.sh): from the sampler's CSV and the two
tickwire-bench results (SSE and WebSocket), the figures and the three checks of issue 18 into a
JSON file, and RSS and connections over time into an SVG.

- RSS flat: the highest RSS after the warm-up (the window's first --warmup-s seconds of churn)
  against the RSS at its end; met under 5%.
- fds returned: the server's open fds once every client has closed and the upstream
  connections for their symbols have lingered out (--demand-linger), against before the first.
- No quote lost uncounted: per transport, every quote a client missed (a seq gap, from its
  snapshot until it closed) must be one the server counted as conflated or missed (its
  counters for that transport, read after the window with the feed paused). The server may
  count more than the clients saw: quotes conflated for a slow reader whose next quote it had
  not read yet, or for a connection the churn closed before it read it; so the check is
  clients <= server, and the difference is reported.

The plot uses matplotlib (Debian's python3-matplotlib, installed by packaging/install-deps.sh
--bench): a well-kept library rather than hand-written SVG."""
import argparse
import csv
import json
import os
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from page_common import measured_at  # noqa: E402

ap = argparse.ArgumentParser()
for a in ("--samples", "--sse", "--websocket", "--json", "--plot", "--load", "--repo"):
    ap.add_argument(a, required=True)
for a in ("--fds-before", "--fds-after", "--fds-clients-gone", "--fds-returned-s", "--clients",
          "--symbols", "--churn"):
    ap.add_argument(a, type=int, required=True)
for a in ("--clients-start", "--clients-end", "--warmup-s", "--window-s", "--tick-rate",
          "--slow-fraction"):
    ap.add_argument(a, type=float, required=True)
ap.add_argument("--plot-png", help="also this PNG")
# Re-reporting a saved run (build/soak) after the report itself changed: the run's own commit
# and date, not those of the re-report.
ap.add_argument("--commit", help="the commit measured (default: HEAD, checked for changes)")
ap.add_argument("--date", help="when it was measured (default: now)")
args = ap.parse_args()


def last_json_line(path):
    with open(path) as f:
        return json.loads([l for l in f.read().splitlines() if l.startswith("{")][-1])


runs = {"sse": last_json_line(args.sse), "websocket": last_json_line(args.websocket)}
rows = []
with open(args.samples) as f:
    for r in csv.DictReader(f):
        rows.append({k: (float(v) if v != "" else None) for k, v in r.items()})

window_start = min(r["window_unix_s"][0] for r in runs.values())
window_end = max(r["window_unix_s"][1] for r in runs.values())
warm_end = window_start + args.warmup_s


def conns(s):
    return None if s["conn_sse"] is None or s["conn_ws"] is None else s["conn_sse"] + s["conn_ws"]


after = [s for s in rows if warm_end <= s["unix_s"] <= window_end]
in_window = [s for s in rows if window_start <= s["unix_s"] <= window_end]
if not after:
    raise SystemExit("soak_report: no sample after the warm-up (window too short?)")
rss_warm = after[0]["rss_kib"]
rss_peak = max(s["rss_kib"] for s in after)
rss_end = after[-1]["rss_kib"]
growth_pct = 100.0 * (rss_peak - rss_warm) / rss_warm
held = [conns(s) for s in in_window if conns(s) is not None]
# RSS flat means something only while the workload is there: the check also needs the server to
# have held at least 95% of the clients at every sample after the warm-up (the second full run,
# on a machine at load 12-20, held as few as 8,887 and passed on RSS alone).
held_after = [conns(s) for s in after if conns(s) is not None]
workload_held = bool(held_after) and min(held_after) >= 0.95 * args.clients

quotes = {}
for t, r in runs.items():
    m = r["missed"]
    server = m.get("server")
    quotes[t] = {
        "clients_missed": m["clients"],
        "fast_clients_missed": m["fast_clients"],
        "slow_clients_missed": m["slow_clients"],
        "server_counted": server,
        "server_conflated": m.get("server_conflated"),
        "server_missed": m.get("server_missed"),
        "lost_uncounted": None if server is None else max(0, m["clients"] - round(server)),
        "counted_not_seen": None if server is None else max(0, round(server) - m["clients"]),
    }
clients_of = {t: {
    "connections": r["connections"], "held_at_start": r["held_at_start"], "held_at_end": r["held"],
    "churn_closed": r["churn"]["closed"], "churn_opened": r["churn"]["opened"],
    "answers": r["connected"], "deliveries_per_s": r["deliveries_per_s"],
    "latency_ms_fast": {"p50": r["latency_us"]["p50"] / 1e3, "p99": r["latency_us"]["p99"] / 1e3},
    "latency_ms_slow_p50": r["slow_latency_us"]["p50"] / 1e3,
    "errors": r["errors"],
} for t, r in runs.items()}

repo = args.repo
# The tree measured (page_common.measured_at), unless the commit was given.
tree = None if args.commit else measured_at(repo)
commit = args.commit or tree["commit"]
dirty = bool(tree and tree["dirty"])
lost = [q["lost_uncounted"] for q in quotes.values()]
result = {
    "commit": commit,
    "uncommitted_changes": bool(dirty),
    "date": args.date or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "load_average": args.load,
    "workload": {"clients": args.clients, "sse": runs["sse"]["connections"],
                 "websocket": runs["websocket"]["connections"], "symbols_per_client": args.symbols,
                 "slow_fraction": args.slow_fraction, "churn_per_s": args.churn,
                 "tick_rate": args.tick_rate, "window_s": window_end - window_start,
                 "warmup_s": args.warmup_s},
    "rss_kib": {"idle": rows[0]["rss_kib"], "at_warmup_end": rss_warm, "peak_after_warmup": rss_peak,
                "at_window_end": rss_end, "growth_after_warmup_pct": growth_pct},
    "connections": {"min_in_window": min(held) if held else None,
                    "min_after_warmup": min(held_after) if held_after else None,
                    "max_in_window": max(held) if held else None,
                    "accepted": rows[-1]["accepted"], "fd_limit_accept_errors": rows[-1]["fd_limit"]},
    "fds": {"before_clients": args.fds_before, "peak": int(max(s["fds"] for s in rows)),
            "clients_gone": args.fds_clients_gone,  # the client sockets closed, upstream still held
            "after_clients": args.fds_after, "returned_after_s": args.fds_returned_s},
    "quotes": quotes,
    "clients": clients_of,
    "met": {"workload_held": workload_held, "rss_flat": growth_pct < 5.0 and workload_held, "fds_returned": args.fds_after <= args.fds_before,
            "no_quote_lost_uncounted": all(v == 0 for v in lost)},
}
with open(args.json, "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")

import matplotlib  # noqa: E402  (only the plot needs it)

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "tickwire-soak"  # stable ids: a rerun diffs only its data
import matplotlib.pyplot as plt  # noqa: E402

t0 = args.clients_start
x = [(s["unix_s"] - t0) / 60 for s in rows]
fig, ax = plt.subplots(figsize=(9, 4.5))
ax.plot(x, [s["rss_kib"] / 1024 for s in rows], color="tab:red", label="server RSS (MiB)")
ax.set_xlabel("minutes since the first client")
ax.set_ylabel("RSS (MiB)", color="tab:red")
ax.set_ylim(bottom=0)
ax2 = ax.twinx()
pts = [(xi, conns(s)) for xi, s in zip(x, rows) if conns(s) is not None]
ax2.plot([p[0] for p in pts], [p[1] for p in pts], color="tab:blue", label="connections (SSE + WebSocket)")
ax2.plot(x, [s["fds"] for s in rows], color="tab:gray", linestyle=":", label="server open fds")
ax2.set_ylabel("connections, fds", color="tab:blue")
ax2.set_ylim(bottom=0)
ax.axvspan((window_start - t0) / 60, (warm_end - t0) / 60, color="0.9", label="warm-up (churn on)")
ax.axvline((window_end - t0) / 60, color="0.5", linestyle="--", label="churn and window end")
lines = ax.get_legend_handles_labels()
lines2 = ax2.get_legend_handles_labels()
ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="lower center", fontsize=8, ncol=3)
ax.set_title(f"Soak: {args.clients:,} clients, {args.churn}/s churn, 10% slow, "
             f"{args.tick_rate:,.0f} ticks/s (commit {commit}); RSS growth after warm-up "
             f"{growth_pct:.1f}%", fontsize=9)
fig.tight_layout()
fig.savefig(args.plot, metadata={"Date": None})
if args.plot_png:  # for a quick look where no SVG viewer is at hand
    fig.savefig(args.plot_png, dpi=80)
print(json.dumps(result["met"]), f"RSS growth {growth_pct:.2f}%, fds {args.fds_before} -> {args.fds_after},",
      "lost uncounted", lost)
