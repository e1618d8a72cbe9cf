"""The "One million connections" section of docs/benchmarks.md, its two rows in the page's first
table and its two rows in the Targets table, from run_suite.sh's hold-machine result. Used by
render_benchmarks.py both when the suite writes the whole page and when run_suite.sh
--update-million measures this run alone and rewrites only these parts (the run takes the
machine for about ten minutes and its figures do not depend on the rest of the suite's)."""
import os

from page_common import commit_cell, fmt, lat_cell, machine_cell

SUMMARY_PREFIX = "| hold, machine-wide:"
TARGET_PREFIXES = ("| hold: >= 250,000 ", "| hold: 1,000,000 ")
HEADING = "## One million connections"


def ehash_note(entries):
    if entries is None:
        return "the established-connection table's size unknown (Linux before 6.1)"
    if entries < 0:
        return f"the host's established-connection table ({-entries:,} buckets)"
    return (f"an established-connection table of {entries:,} buckets, the run's own (a network "
            f"namespace made for it)")


def pages(values):
    return "/".join(f"{v:,}" for v in values or [])


def tcp_mem_note(lim):
    """net.ipv4.tcp_mem as the run had it, and as the machine had it before if the run raised it."""
    note = f"net.ipv4.tcp_mem {pages(lim['tcp_mem_pages'])} pages"
    before = lim.get("tcp_mem_pages_before_run")
    if before and before != lim["tcp_mem_pages"]:
        note += (f" (raised for the run from the boot default {pages(before)}, sized from the "
                 f"memory: what all TCP sockets together may hold in buffers)")
    return note


def cores_cell(c):
    """A machine_cpu phase: how busy the cores were and where the time went."""
    return (f"{c['busy']:.0%} busy over {c['seconds'] / (os.cpu_count() or 1):,.0f} s (user "
            f"{c['user']:.0%}, system {c['system']:.0%}, softirq {c['softirq']:.0%})")


TCP_NAMES = (("TCPMemoryPressures", "entered memory pressure"), ("TCPAbortOnMemory", "aborted for memory"),
             ("PruneCalled", "receive queues pruned"), ("TCPRcvQDrop", "segments dropped at a full receive queue"),
             ("ListenOverflows", "accept-queue overflows"), ("TCPTimeouts", "retransmission timeouts"),
             ("RetransSegs", "segments retransmitted"))


def tcp_trouble(r):
    """The kernel's TCP counters that grew from before the first connection to the window's
    middle (kernel_memory.py, in the run's namespace): {name: growth}; None if not read."""
    b, h = (r.get("kernel_before") or {}).get("tcp"), (r.get("kernel_held") or {}).get("tcp")
    if not (b and h):
        return None
    return {name: h.get(name, 0) - b.get(name, 0) for name, _ in TCP_NAMES}


def busiest_programs(r, n=6):
    """The commands that took the most CPU between the two kernel readings: [(name, seconds)]."""
    b, h = (r.get("kernel_before") or {}).get("commands"), (r.get("kernel_held") or {}).get("commands")
    if not (b and h):
        return []
    grew = {name: v - b.get(name, 0) for name, v in h.items()}
    return sorted(((k, v) for k, v in grew.items() if v >= 1), key=lambda kv: -kv[1])[:n]


def cpu_bound(r):
    """Why a machine-wide hold that fell short was CPU-bound, as a sentence of its figures; None
    when it held every client, or when the cores were not all busy in both phases (then the
    figures on the page say what else it was)."""
    mc = r.get("machine_cpu") or {}
    phases = [mc.get("connecting") or {}, mc.get("window") or {}]
    if r["held"] >= r["connections"] or any((c.get("busy") or 0) < 0.95 for c in phases):
        return None
    busy = machine_busy(r) or {}
    trouble = tcp_trouble(r) or {}
    progs = busiest_programs(r, 4)
    busiest = ("; the busiest programs were " + ", ".join(f"{n} ({v:,.0f} CPU-s)" for n, v in progs)
               if progs else "")
    return (f"Both cores were {phases[0]['busy']:.0%} busy while the clients connected and "
            f"{phases[1]['busy']:.0%} in the window, {phases[1]['system'] + phases[1]['softirq']:.0%} "
            f"of it in the kernel (system and softirq), at a load average of {busy.get('load', 0):.0f}"
            f"{busiest}. Memory was not the limit ({busy.get('available_gib', 0):.1f} GiB still available), "
            f"nor the kernel's TCP memory (entered pressure {trouble.get('TCPMemoryPressures', 0):,} "
            f"times)")


def machine_busy(r):
    """How busy the machine's cores were between the two kernel readings (/proc/stat), the load
    average at the second and the memory still available then; None if not read."""
    b, h = r.get("kernel_before") or {}, r.get("kernel_held") or {}
    if not (b.get("cpu") and h.get("cpu") and h.get("loadavg")):
        return None
    d = [y - x for x, y in zip(b["cpu"], h["cpu"])]
    total = sum(d)
    if total <= 0:
        return None
    idle = d[3] + d[4]  # idle, iowait
    return {"busy": 1 - idle / total, "load": h["loadavg"][0], "cores": os.cpu_count(),
            "available_gib": h.get("mem_available_kib", 0) / 2**20}


def kernel_per_connection(r):
    """What the kernel grew by while every client was held, per connection (two sockets, the
    client's and the server's, both on this machine): total slab, and per slab cache."""
    b, h = r.get("kernel_before"), r.get("kernel_held")
    if not (b and h):
        return None
    pairs = (h["sockstat"]["inuse"] - b["sockstat"]["inuse"]) / 2
    if pairs <= 0:
        return None
    caches = {k: (h["caches"].get(k, 0) - b["caches"].get(k, 0)) / pairs for k in h["caches"]}
    return {"pairs": pairs, "slab": (h["slab_kib"] - b["slab_kib"]) * 1024 / pairs,
            "sockmem_pages": h["sockstat"].get("mem", 0), "caches": caches}


def memory_per_connection(r):
    """The frontends' memory growth from before the clients connected to the window's middle,
    per connection they held then (frontend_memory.py, from each frontend's /metrics): resident,
    heap in use and heap free; None if not read, or if a frontend did not answer either time."""
    b, h = r.get("memory_before"), r.get("memory_held")
    if not (b and h) or b["scraped"] < b["frontends"] or h["scraped"] < h["frontends"]:
        return None
    conns = h["connections"] - b["connections"]
    if conns <= 0:
        return None
    grew = {k: (h[k] - b[k]) / conns for k in ("resident_bytes", "heap_in_use_bytes", "heap_free_bytes")}
    grew["connections"] = h["connections"]
    # The heap trimmer's work over the run (absent from results made before it existed).
    if "heap_trims" in h:
        grew["trims"] = h["heap_trims"] - b["heap_trims"]
        grew["trimmed_bytes"] = h["heap_trimmed_bytes"] - b["heap_trimmed_bytes"]
    return grew


def summary_rows(t):
    """The run's two rows in the page's first table (Tickwire | nchan | ratio)."""
    return [f"{SUMMARY_PREFIX} SSE clients held ({t['server_processes']} frontend processes "
            f"on one port, over Redis; see One million connections) | {fmt(t['held'])} of "
            f"{fmt(t['connections'])} | n/a (2 workers x 19,900 files) | |",
            f"{SUMMARY_PREFIX} server RSS per connection (all frontends) | "
            f"{fmt(t['rss_bytes_per_connection'])} B | | |"]


def section_lines(t, apart=None):
    """The section (ending with a blank line). `apart`: page_common.measured_at() of a run made
    on its own (--update-million), said at the section's start; None when it is the suite's."""
    k = kernel_per_connection(t)
    lim = t.get("limits")
    out = []
    p = out.append
    p(HEADING)
    p("")
    if apart:
        p(f"Measured by `bash tests/bench/run_suite.sh --update-million` at commit "
          f"{commit_cell(apart)}, {apart['date']}, on {machine_cell(apart)}, apart from the rest "
          f"of this page.")
        p("")
    p(f"{fmt(t['connections'])} SSE clients, each on 1 of 1,000 symbols, held by "
      f"{t['server_processes']} `tickwired --role frontend --threads 1` processes sharing one "
      f"port (SO_REUSEPORT) over Redis, `--heartbeat {t.get('heartbeat_s', 15)}`, with one "
      f"dispatcher and the exchange simulator ticking {t['rate']} times a second, at `nice -10` "
      f"with redis-server (the shared services); the generator's {t['workers']} worker processes connect from "
      f"64 loopback source addresses. One process may hold 20,000 files on this machine, hence "
      f"the process counts.")
    p("")
    if lim:
        ports = lim["ip_local_port_range"]
        p(f"System limits, read before the run: fs.file-max {lim['file_max']:,} (the run needs "
          f"two files per connection, one per side); fs.nr_open {lim['nr_open']:,}; open files per "
          f"process {lim['nofile_per_process']:,}; ephemeral ports {ports[0]:,}-{ports[1]:,} "
          f"({ports[1] - ports[0] + 1:,} per source address and destination, so "
          f"{(ports[1] - ports[0] + 1) * 64:,} over 64 source addresses); net.core.somaxconn "
          f"{lim['somaxconn']:,} (each frontend has its own accept queue); "
          f"{ehash_note(lim.get('tcp_ehash_entries'))}; {tcp_mem_note(lim)}; connection tracking "
          f"{'not counting loopback (0 entries)' if lim['conntrack_count'] == 0 else str(lim['conntrack_count']) + ' entries of ' + str(lim['conntrack_max'])}; "
          f"{lim['mem_total_kib'] / 2**20:.0f} GiB of memory.")
        p("")
    p("| figure | value |")
    p("|---|---|")
    p(f"| connections held at the window's start / end | {fmt(t['held_at_start'])} / {fmt(t['held'])} "
      f"of {fmt(t['connections'])} |")
    cs = t.get("connect_all_s")
    p(f"| time to connect them all (the generator ramps at a set rate; every answer received) | "
      f"{fmt(cs, 1) + ' s' if cs is not None else 'not all connected'} |")
    p(f"| server RSS per connection (growth of all frontends' RSS over the run / connections held) | "
      f"{fmt(t['rss_bytes_per_connection'])} B ({fmt(t['server_rss_growth_kib'] / 1024)} MiB in all) |")
    m = memory_per_connection(t)
    if m:
        p(f"| the frontends' memory per connection in the window's middle (growth since before the "
          f"clients connected, from each frontend's /metrics, over the {fmt(m['connections'])} "
          f"connections they held then): resident / heap in use / heap freed and kept by the "
          f"allocator | {fmt(m['resident_bytes'])} B / {fmt(m['heap_in_use_bytes'])} B / "
          f"{fmt(m['heap_free_bytes'])} B |")
    if m and "trims" in m:
        p(f"| the frontends' heap trims (malloc_trim once the free heap grew by 16 MiB) and the "
          f"resident memory they gave back, from before the clients connected to the window's "
          f"middle | {fmt(m['trims'])}; {fmt(m['trimmed_bytes'] / 2**20, 1)} MiB |")
    if k:
        named = ", ".join(f"{name} {v:,.0f} B" for name, v in sorted(k["caches"].items(), key=lambda kv: -kv[1])
                          if v >= 1)
        p(f"| kernel slab per connection (client and server socket; /proc/meminfo Slab while all "
          f"were held, less before) | {fmt(k['slab'])} B; of which {named} |")
        per_conn = k["sockmem_pages"] * 4096 / k["pairs"]
        why = ("idle sockets keep no buffers" if per_conn < 64 else
               "data queued in the sockets: sent and not yet read, or not yet acknowledged")
        p(f"| kernel socket buffer memory while held (/proc/net/sockstat TCP mem) | "
          f"{fmt(k['sockmem_pages'])} pages ({fmt(k['sockmem_pages'] * 4096 / 2**20, 1)} MiB, "
          f"{per_conn:,.0f} B per connection): {why} |")
    p(f"| clients that received at least one quote in the {t['seconds']:.0f} s window | "
      f"{fmt(t['clients_with_quotes'])} of {fmt(t['held'])} (the simulator picks symbols Zipf-like: popular ones tick more) |")
    p(f"| deliveries in the window: per second, latency p50 / p99 | {fmt(t['deliveries_per_s'])}/s, "
      f"{lat_cell(t)} |")
    e = t["errors"]
    p(f"| errors: connect / http / closed by the server / lost before an answer | "
      f"{e['connect']:,} / {e['http']:,} / {e['closed_by_server']:,} / {e['lost_before_answer']:,} |")
    mc = t.get("machine_cpu") or {}
    if (mc.get("connecting") or {}).get("busy") is not None:
        p(f"| the machine's {os.cpu_count()} cores while the clients connected (the ramp and the "
          f"warm-up) | {cores_cell(mc['connecting'])} |")
    if (mc.get("window") or {}).get("busy") is not None:
        w = mc["window"]
        p(f"| the machine's cores in the window; of its {w['seconds']:,.0f} core-seconds, the "
          f"frontends' and the generator's | {cores_cell(w)}; frontends {t['server_cpu_s']:,.1f} s, "
          f"generator {t['generator_cpu_s']:,.1f} s |")
    busy = machine_busy(t)
    if busy:
        p(f"| load average (1 min) and memory still available in the window's middle | "
          f"{busy['load']:.0f}; {busy['available_gib']:.1f} GiB |")
    trouble = tcp_trouble(t)
    if trouble is not None:
        p("| the kernel's TCP from before the first connection to the window's middle (this "
          "namespace's counters) | " + ", ".join(f"{label} {trouble[name]:,}" for name, label in TCP_NAMES) + " |")
    progs = busiest_programs(t)
    if progs:
        p("| the busiest programs from before the first connection to the window's middle "
          "(CPU-seconds by command name, /proc) | " + ", ".join(f"{n} {v:,.0f} s" for n, v in progs) + " |")
    p("")
    if m:
        p(f"Server memory: of the frontends' resident growth per connection, "
          f"{fmt(m['heap_in_use_bytes'])} B is heap in use, the connections' own state (the session, "
          f"its outbox and socket, the symbol table's entry), and {fmt(m['heap_free_bytes'])} B is heap "
          f"freed and kept by the allocator: memory of what has ended, such as the HTTP sessions of "
          f"the clients closed before they sent their request (lost before an answer, above).")
        p("")
    reason = cpu_bound(t)
    if reason:
        p(f"Out of reach on this machine: the limit is CPU, not memory or a system limit. {reason}. "
          f"The generator fell behind: clients that had not sent their request within the "
          f"frontends' request timeout were closed (lost before an answer), and those still "
          f"connecting when the window opened were not held.")
        p("")
    return out


def target_rows(t):
    """The run's two rows in the Targets table."""
    v = t["rss_bytes_per_connection"]
    met = t["held"] >= 1000000 and v <= 2048
    mc = t.get("machine_cpu") or {}
    if met:
        verdict = "yes"
    elif cpu_bound(t):
        memory = "RSS within the bound; " if v <= 2048 else ""
        verdict = (f"no: {memory}1,000,000 out of reach on this machine, CPU-bound (cores "
                   f"{mc['connecting']['busy']:.0%} busy while connecting, {mc['window']['busy']:.0%} "
                   f"in the window; One million connections)")
    else:
        verdict = "no"
    return [f"{TARGET_PREFIXES[0]}concurrent SSE clients on this machine (several frontends) | "
            f"{t['held']:,} in {t['server_processes']} processes | {'yes' if t['held'] >= 250000 else 'no'} |",
            f"{TARGET_PREFIXES[1]}idle SSE clients held on this machine with <= 2,048 B server RSS "
            f"each | {t['held']:,} held, {v:,.0f} B each | {verdict} |"]


def _replace_rows(lines, prefixes, rows, after):
    """`lines` with the rows starting with one of `prefixes` replaced by `rows`, where the first
    of them was; without any, `rows` go after the first line starting with `after`."""
    at = next((i for i, l in enumerate(lines) if l.startswith(prefixes)), None)
    if at is None:
        at = next(i for i, l in enumerate(lines) if l.startswith(after)) + 1
    rest = [l for l in lines[at:] if not l.startswith(prefixes)]
    return lines[:at] + rows + rest


def update_page(page, t, apart):
    """`page` (docs/benchmarks.md's lines) with this run's parts replaced by those of `t`, measured
    on its own (`apart`, page_common.measured_at()): the section goes where it was, or before
    the Soak or Targets section; the rows where they were, or at the hold rows."""
    lines = list(page)
    if HEADING in lines:
        start = lines.index(HEADING)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines = lines[:start] + section_lines(t, apart) + lines[end:]
    else:
        at = lines.index("## Soak") if "## Soak" in lines else lines.index("## Targets")
        lines = lines[:at] + section_lines(t, apart) + lines[at:]
    lines = _replace_rows(lines, (SUMMARY_PREFIX,), summary_rows(t), "| hold: server RSS per idle connection")
    return _replace_rows(lines, TARGET_PREFIXES, target_rows(t), "| hold: <= 4 KB RSS")
