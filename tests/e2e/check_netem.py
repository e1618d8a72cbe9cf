#!/usr/bin/env python3
"""Checks netem_loss.sh's capture: the SSE stream under loss and delay against a poll of the
latest quotes. usage: check_netem.py OUT_DIR"""
import json
import sys
from pathlib import Path

from check_failover import quotes


def main(out):
    out = Path(out)
    failures, seen, count = [], {}, 0
    for _, q in quotes(out / "stream.sse"):
        count += 1
        prev = seen.get(q["symbol"])
        if prev is not None and q["seq"] <= prev:
            failures.append(f"{q['symbol']} seq {q['seq']} after {prev}")
        seen[q["symbol"]] = q["seq"]
    latest = {q["symbol"]: q["seq"] for q in json.loads((out / "latest.json").read_text())["quotes"]}
    for symbol, seq in latest.items():
        if seen.get(symbol, 0) < seq:
            failures.append(f"{symbol}: the stream stopped at seq {seen.get(symbol)}, "
                            f"the server had {seq} 3 s before")
    qdisc = (out / "qdisc.txt").read_text().strip()
    print(f"{count} quotes over {qdisc or 'no qdisc'}; every symbol reached the polled latest")
    for line in failures:
        print("FAIL:", line)
    return 1 if failures or count < len(latest) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
