"""The Soak section of docs/benchmarks.md and its rows in the Targets table, from
docs/bench-soak.json (written by tests/bench/soak.sh, which runs apart from the suite: 10 minutes
on its own). Used by render_benchmarks.py, both when the suite writes the whole page and when
soak.sh rewrites only these parts of it (--update-soak)."""
import json
import os

NOT_MEASURED = "not measured yet (`bash tests/bench/soak.sh`) | no |"


def load(repo):
    path = os.path.join(repo, "docs", "bench-soak.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def _yes(ok):
    return "yes" if ok else "no"


def section_lines(s):
    """The '## Soak' section (ending with a blank line); none without a soak result."""
    if not s:
        return []
    w, r, f, c, q = s["workload"], s["rss_kib"], s["fds"], s["connections"], s["quotes"]
    cl = s["clients"]
    out = ["## Soak", ""]
    out.append(
        f"Measured by `bash tests/bench/soak.sh` at commit {s['commit']}"
        f"{' (with uncommitted changes)' if s['uncommitted_changes'] else ''}, {s['date']}, apart "
        f"from the rest of this page (load average at its end: {', '.join(s['load_average'].split())} "
        f"over 1, 5 and 15 minutes; the machine's two cores are shared with the load generator "
        f"and with whatever else runs). {w['clients']:,} clients "
        f"({w['sse']:,} SSE and {w['websocket']:,} WebSocket, two `tickwire-bench` runs side by "
        f"side), {w['symbols_per_client']} of 1,000 symbols each, {w['slow_fraction']:.0%} slow "
        f"readers (1 KiB per second), {w['churn_per_s']} connections per second asked to be closed by the "
        f"clients and replaced at once, the simulator's default {w['tick_rate']:,.0f} ticks/s, "
        f"for {w['window_s'] / 60:.0f} minutes after the ramp. Warm-up: the first "
        f"{w['warmup_s']:.0f} s of churn; RSS growth is the highest RSS after it against the RSS "
        f"at the warm-up's end. tickwired runs with `--write-timeout 3600`, so slow readers stay connected.")
    out.append("")
    out.append("| figure | value |")
    out.append("|---|---|")
    out.append(f"| connections held during the window (server's gauges, min / max; min after the "
               f"warm-up) | {c['min_in_window']:,.0f} / {c['max_in_window']:,.0f}; "
               f"{c.get('min_after_warmup') or 0:,.0f} |")
    churned = cl["sse"]["churn_closed"] + cl["websocket"]["churn_closed"]
    out.append("| connections closed by the clients and replaced (SSE / WebSocket; per second) | "
               f"{cl['sse']['churn_closed']:,} / {cl['websocket']['churn_closed']:,}; "
               f"{churned / w['window_s']:.0f}/s |")
    out.append(f"| server RSS: idle / at the warm-up's end / highest after it / at the end | "
               f"{_mib(r['idle'])} / {_mib(r['at_warmup_end'])} / {_mib(r['peak_after_warmup'])} / "
               f"{_mib(r['at_window_end'])} |")
    out.append(f"| server RSS growth after the warm-up | {r['growth_after_warmup_pct']:.1f}% |")
    out.append(f"| server open fds: before the clients / highest / once they had closed / after "
               f"the upstream connections for their symbols lingered out | {f['before_clients']:,} / "
               f"{f['peak']:,} / {f['clients_gone']:,} / {f['after_clients']:,} "
               f"({f['returned_after_s']} s after the clients) |")
    fd_limit = c.get("fd_limit_accept_errors")
    out.append(f"| accepts refused for want of fds (`accept_errors_total{{reason=\"fd_limit\"}}`) | "
               f"{'-' if fd_limit is None else f'{fd_limit:,.0f}'} |")
    for t, name in (("sse", "SSE"), ("websocket", "WebSocket")):
        qt = q[t]
        server = "-" if qt["server_counted"] is None else f"{qt['server_counted']:,.0f}"
        out.append(f"| {name}: quotes clients missed (seq gaps; slow readers' among them) / counted "
                   f"by the server | {qt['clients_missed']:,} ({qt['slow_clients_missed']:,}) / "
                   f"{server} |")
        e = cl[t]["errors"]
        out.append(f"| {name}: fast readers' latency p50 / p99; errors (connect, http, closed by "
                   f"the server, lost before an answer) | {cl[t]['latency_ms_fast']['p50']:.1f} / "
                   f"{cl[t]['latency_ms_fast']['p99']:.1f} ms; {e['connect']}, {e['http']}, "
                   f"{e['closed_by_server']}, {e['lost_before_answer']} |")
    out.append("")
    ws_closed = cl["websocket"]["errors"]["closed_by_server"]
    if ws_closed:
        # Not checked connection by connection; the report does not read the idle_timeout
        # counter yet, so the likely reason is given as such.
        slow = round(w["websocket"] * w["slow_fraction"])
        out.append(
            f"Closed by the server, over WebSocket: {ws_closed:,} clients ({slow:,} of the "
            f"{w['websocket']:,} read slowly). The likely reason is the WebSocket idle timeout: a "
            f"client not heard from for 30 s (pinged after 15 s) is closed, and counted as "
            f"`disconnects_total{{transport=\"websocket\",reason=\"idle_timeout\"}}`. A slow "
            f"reader's pong can sit behind that much unread backlog"
            + ("; more clients than the slow ones were closed, so fast readers' pongs came late "
               "too, most likely the client and server starved of CPU on the loaded machine."
               if ws_closed > slow else "."))
        out.append("")
    out.append("The server may count more quotes than its clients saw missing: a gap shows only "
               "when the next quote of that symbol is read, so quotes conflated for a slow reader "
               "still behind, or for a connection the churn closed before it read on, are counted "
               "but never seen. A quote is lost uncounted only where the clients saw more gaps "
               "than the server counted.")
    out.append("")
    out.append("![The soak: server RSS, connections and open fds over time](soak.svg)")
    out.append("")
    return out


def target_rows(s):
    """The soak's rows of the Targets table."""
    if not s:
        return [f"| soak: server RSS growth after warm-up < 5% | {NOT_MEASURED}",
                f"| soak: fds returned after the clients leave | {NOT_MEASURED}",
                f"| soak: no quote lost uncounted | {NOT_MEASURED}"]
    w, r, f, q, met = s["workload"], s["rss_kib"], s["fds"], s["quotes"], s["met"]
    who = (f"{w['clients']:,} clients, {w['churn_per_s']}/s churn, {w['window_s'] / 60:.0f} min, "
           f"commit {s['commit']}")
    counts = ", ".join(f"{name} {q[t]['clients_missed']:,} / "
                       f"{'-' if q[t]['server_counted'] is None else format(q[t]['server_counted'], ',.0f')}"
                       for t, name in (("sse", "SSE"), ("websocket", "WebSocket")))
    return [
        f"| soak: server RSS growth after warm-up < 5% ({who}) | "
        f"{r['growth_after_warmup_pct']:.1f}% ({_mib(r['at_warmup_end'])} to at most "
        f"{_mib(r['peak_after_warmup'])})"
        + ("" if met.get("workload_held", True) else
           f", but with as few as {s['connections']['min_after_warmup']:,.0f} connections held "
           f"after the warm-up (the check needs 95% of the clients)")
        + f" | {_yes(met['rss_flat'])} |",
        f"| soak: fds returned after the clients leave | {f['before_clients']:,} before, "
        f"{f['after_clients']:,} after (highest {f['peak']:,}; {f['clients_gone']:,} until the "
        f"demand linger let the upstream go) | {_yes(met['fds_returned'])} |",
        f"| soak: no quote lost uncounted (per transport, the quotes clients missed are at most "
        f"those the server counted as conflated or missed; clients / server) | {counts} | "
        f"{_yes(met['no_quote_lost_uncounted'])} |",
    ]


def update_page(page, s):
    """`page` (docs/benchmarks.md's lines) with its Soak section and soak target rows replaced by
    those of `s`: the section goes before '## Targets', the rows at the end of that table."""
    lines = [l for l in page if not l.startswith("| soak:")]
    if "## Soak" in lines:  # drop the old section, up to the next heading
        start = lines.index("## Soak")
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines = lines[:start] + lines[end:]
    targets = lines.index("## Targets")
    lines = lines[:targets] + section_lines(s) + lines[targets:]
    at = lines.index("## Targets")
    while not lines[at].startswith("|"):
        at += 1
    while at < len(lines) and lines[at].startswith("|"):
        at += 1
    return lines[:at] + target_rows(s) + lines[at:]
