"""Assertions on the desktop e2e report taken against a five-node fleet: quotes arrived through
the fleet, and the operator screen lists every node under its tier. With --kafka, the fleet runs
over Kafka: every node's cache card says the cluster is connected, and the frontends' show their
consumer lag."""
import json
import os
import sys

report = json.load(open(sys.argv[1]))
assert report["ok"], report.get("error")
assert report["feed_state"] == "connected", report["feed_state"]
assert report["rows_with_quotes"] == report["rows"] >= 10, report

by_tier = {}
for row in report["operator_rows"]:
    by_tier.setdefault(row["tier"], set()).add(row["node"])
expected = {
    "exchange": {"exchange-1"},
    "dispatch": {"dispatch-1", "dispatch-2"},
    "frontend": {"frontend-1", "frontend-2"},
}
for tier, nodes in expected.items():
    assert by_tier.get(tier) == nodes, f"{tier}: {by_tier.get(tier)} != {nodes}"
# Over Redis or Kafka the shared tier is not a node of ours; the dispatchers and frontends show
# their side of it.
assert by_tier.get("cache") == {"dispatch-1", "dispatch-2", "frontend-1", "frontend-2"}, by_tier
if "--kafka" in sys.argv[2:]:
    for row in report["operator_rows"]:
        if row["tier"] != "cache":
            continue
        items = row["items"]
        assert items.get("Kafka") == "connected", row
        if row["node"].startswith("frontend"):
            lag = items.get("Consumer lag (records)")
            assert lag is not None and float(lag.replace(",", "")) >= 0, row
        else:
            assert float(items["Demand partitions owned"]) >= 0, row
    # Each dispatcher subscribes upstream exactly what its partitions demand.
    for row in report["operator_rows"]:
        if row["tier"] == "dispatch":
            assert row["items"]["Feed efficiency (upstream / demanded)"] in ("1.00", "-"), row

shot = [s for s in report["screenshots"] if os.path.basename(s) == "operator.png"]
assert shot and os.path.getsize(shot[0]) > 20_000, report["screenshots"]
print("desktop fleet: operator screen lists",
      ", ".join(f"{t}: {sorted(n)}" for t, n in sorted(by_tier.items())))
