"""What every part of docs/benchmarks.md formats the same way: numbers, ratios, latency cells,
and where a measurement was made (the machine and the commit). Used by render_benchmarks.py and
by the sections that can be measured apart from the suite (million_section.py)."""
import os
import platform
import subprocess
from datetime import datetime, timezone

# The files a benchmark run writes itself; a change to them does not make a measurement's tree
# differ from the commit it names.
GENERATED = ("docs/benchmarks.md", "docs/bench-soak.json", "docs/soak.svg")


def fmt(v, digits=0):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    return f"{v:,.{digits}f}"


def ratio(a, b, digits=2):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.{digits}f}x"


def lat_cell(r):
    return f"{r['latency_us']['p50']/1e3:.2f} / {r['latency_us']['p99']/1e3:.2f} ms"


def measured_at(repo):
    """The machine and the tree a run measured: {commit, dirty, date, cores, cpu, mem_gib, os}."""
    def git(*args):
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True).stdout
    dirty = [l for l in git("status", "--porcelain", "--untracked-files=no").splitlines()
             if not l.endswith(GENERATED)]
    os_name = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release")
                    if l.startswith("PRETTY_NAME=")), platform.system())
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "?")
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "dirty": bool(dirty),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "cpu": cpu,
            "mem_gib": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, "os": os_name}


def commit_cell(m):
    return f"{m['commit']}{' (with uncommitted changes)' if m['dirty'] else ''}"


def machine_cell(m):
    return f"{m['cores']} cores ({m['cpu']}), {m['mem_gib']:.0f} GiB, {m['os']}"
