#!/usr/bin/env python3
"""Checks frontend_kill.sh's results: the app's failover report and the curl streams.

usage: check_failover.py OUT_DIR
"""
import json
import sys
from pathlib import Path

RECOVERY_LIMIT_MS = 10_000


def events(path):
    """(event type, data) pairs of an SSE capture; a cut-off last event is dropped."""
    text = path.read_text()
    blocks = text.split("\n\n")
    if not text.endswith("\n\n"):
        blocks = blocks[:-1]
    for block in blocks:
        kind, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            yield kind, "\n".join(data)


def quotes(path):
    for kind, data in events(path):
        if kind == "snapshot":
            yield from ((True, q) for q in json.loads(data)["quotes"])
        elif kind == "quote":
            yield False, json.loads(data)


def main(out):
    out = Path(out)
    failures = []
    report = json.loads((out / "report.json").read_text())
    f = report.get("failover")
    if not report.get("ok") or not f:
        failures.append(f"the app's failover script did not finish: {report}")
    else:
        print(f"app: noticed the kill after {f['noticed_ms']} ms, every row moving again after "
              f"{f['recovered_ms']} ms ({report['transport_before']} -> {f['transport_after']}, "
              f"{f['rows_advanced']}/{report['rows']} rows advanced)")
        if f["recovered_ms"] > RECOVERY_LIMIT_MS:
            failures.append(f"the app took {f['recovered_ms']} ms (limit {RECOVERY_LIMIT_MS})")
        if f["rows_advanced"] != report["rows"] or f["state_after"] != "connected":
            failures.append(f"the app did not recover every row: {f}")

    last_seen = {}
    for i in (1, 2, 3):
        path = out / f"curl-{i}.sse"
        seen = {}
        count = 0
        for in_snapshot, q in quotes(path):
            count += 1
            prev = seen.get(q["symbol"])
            if prev is not None and q["seq"] <= prev:
                failures.append(f"curl {i}: {q['symbol']} seq {q['seq']} after {prev}")
            seen[q["symbol"]] = q["seq"]
        if count < 4:
            failures.append(f"curl {i}: only {count} quotes before the kill")
        for s, seq in seen.items():
            last_seen[s] = max(last_seen.get(s, 0), seq)
        print(f"curl {i}: {count} quotes, stream ended with its server")

    after = list(events(out / "curl-after.sse"))
    snap = [json.loads(d)["quotes"] for k, d in after if k == "snapshot"]
    if not snap:
        failures.append("a curl started after the kill got no snapshot")
    else:
        for q in snap[0]:
            if q["seq"] < last_seen.get(q["symbol"], 0):
                failures.append(f"after the kill {q['symbol']} went back to seq {q['seq']} "
                                f"(seen {last_seen[q['symbol']]})")
        print(f"curl after the kill: snapshot of {len(snap[0])} symbols, none older than seen")

    for line in failures:
        print("FAIL:", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
