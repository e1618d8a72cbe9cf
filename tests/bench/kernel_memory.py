#!/usr/bin/env python3
"""One JSON line: what the kernel holds for sockets now, and the limits that bound how many.

Used by run_suite.sh's machine-wide hold (1,000,000 SSE clients): read once before the clients
connect and once while they are all held, the difference per connection is the kernel's cost of
one loopback connection (two sockets: the client's and the server's). Reads /proc only.

  sockstat: /proc/net/sockstat's TCP line (sockets in use, and `mem`, pages of socket buffers)
  slab_kib: /proc/meminfo's Slab (every slab cache: socket, inode, dentry, file, epoll item...)
  caches:   bytes held by the slab caches a socket uses (/proc/slabinfo; needs root)
  cpu:      /proc/stat's machine-wide jiffies (user, nice, system, idle, iowait, irq, softirq,
            steal): two readings give how busy the cores were between them
  loadavg:  /proc/loadavg's 1, 5 and 15 minute load averages
  commands: CPU seconds (user + system) so far of every live process, summed by command name:
            two readings give which programs the cores ran between them (processes started in
            between count from 0; ones that ended are missing)
  tcp:      counters of the kernel's TCP (this network namespace's /proc/net/netstat and snmp):
            memory pressure, pruned or dropped receive queues, full accept queues, timeouts
            and retransmissions; two readings give what happened between them
  limits:   file-max, nr_open, this process's open-file cap, the ephemeral port range,
            somaxconn, tcp_mem, the established-connection table's size, and whether
            connection tracking is counting
"""
import json
import os
import resource

CACHES = ("TCP", "sock_inode_cache", "dentry", "filp", "eventpoll_epi", "eventpoll_pwq",
          "request_sock_TCP", "tcp_bind_bucket", "skbuff_head_cache")


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def sockstat():
    out = {}
    for line in (read("/proc/net/sockstat") or "").splitlines():
        if line.startswith("TCP:"):
            fields = line.split()[1:]
            out = {fields[i]: int(fields[i + 1]) for i in range(0, len(fields) - 1, 2)}
    return out


def meminfo_kib(key):
    for line in (read("/proc/meminfo") or "").splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return None


def caches():
    out = {}
    for line in (read("/proc/slabinfo") or "").splitlines()[2:]:
        f = line.split()
        if f and f[0] in CACHES:
            out[f[0]] = int(f[2]) * int(f[3])  # num_objs x objsize: what the cache holds
    return out


def ints(path):
    """The integers of a /proc/sys file; None where this namespace does not show it (tcp_mem,
    file-max... are the host's and hidden in a network namespace made for a run)."""
    text = read(path)
    return [int(v) for v in text.split()] if text else None


def first(path):
    values = ints(path)
    return values[0] if values else None


def limits():
    conntrack = first("/proc/sys/net/netfilter/nf_conntrack_count")
    return {
        "file_max": first("/proc/sys/fs/file-max"),
        "nr_open": first("/proc/sys/fs/nr_open"),
        "nofile_per_process": resource.getrlimit(resource.RLIMIT_NOFILE)[1],
        "ip_local_port_range": ints("/proc/sys/net/ipv4/ip_local_port_range"),
        "somaxconn": first("/proc/sys/net/core/somaxconn"),
        # Buckets of the established-connection table this namespace uses (negative: the
        # host's, shared); None before Linux 6.1.
        "tcp_ehash_entries": first("/proc/sys/net/ipv4/tcp_ehash_entries"),
        "tcp_mem_pages": ints("/proc/sys/net/ipv4/tcp_mem"),
        "conntrack_count": conntrack,
        "conntrack_max": first("/proc/sys/net/netfilter/nf_conntrack_max") if conntrack is not None else None,
        "mem_total_kib": meminfo_kib("MemTotal"),
    }


def cpu_jiffies():
    line = (read("/proc/stat") or "").splitlines()[:1]
    return [int(v) for v in line[0].split()[1:9]] if line and line[0].startswith("cpu ") else None


TCP_COUNTERS = ("TCPMemoryPressures", "TCPAbortOnMemory", "PruneCalled", "RcvPruned", "TCPRcvQDrop",
                "TCPBacklogDrop", "ListenOverflows", "ListenDrops", "TCPTimeouts", "RetransSegs")


def tcp_counters():
    """The TCP counters named above, from the `Header: names` / `Header: values` line pairs."""
    found = {}
    for path in ("/proc/net/netstat", "/proc/net/snmp"):
        lines = (read(path) or "").splitlines()
        for names, values in zip(lines[::2], lines[1::2]):
            for name, value in zip(names.split()[1:], values.split()[1:]):
                if name in TCP_COUNTERS and name not in found:
                    found[name] = int(value)
    return found


def cpu_by_command():
    hz = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        text = read(f"/proc/{pid}/stat")
        if not text or ")" not in text:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / hz
    return out


def loadavg():
    text = read("/proc/loadavg")
    return [float(v) for v in text.split()[:3]] if text else None


print(json.dumps({"sockstat": sockstat(), "cpu": cpu_jiffies(), "loadavg": loadavg(), "tcp": tcp_counters(), "commands": cpu_by_command(), "slab_kib": meminfo_kib("Slab"),
                  "mem_available_kib": meminfo_kib("MemAvailable"), "caches": caches(),
                  "limits": limits()}))
