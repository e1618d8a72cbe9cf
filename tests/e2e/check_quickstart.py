"""Checks for curl_quickstart.sh: the stream, the symbol list and /metrics."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def events(text):
    """Minimal SSE reading for a server we know uses LF line ends and one data line."""
    for block in text.split("\n\n"):
        fields = {}
        for line in block.split("\n"):
            if line and not line.startswith(":") and ":" in line:
                key, value = line.split(":", 1)
                fields[key] = value[1:] if value.startswith(" ") else value
        if "data" in fields:
            yield fields.get("event", "message"), fields["data"]


def check_stream(path):
    evs = list(events(open(path).read()))
    assert evs, "no events received"
    kind, data = evs[0]
    assert kind == "snapshot", f"first event is {kind}, not snapshot"
    last = {q["symbol"]: q["seq"] for q in json.loads(data)["quotes"]}
    counts = {"AAPL": 0, "MSFT": 0}
    for kind, data in evs[1:]:
        assert kind == "quote", kind
        q = json.loads(data)
        for key in ("symbol", "seq", "ts", "last", "bid", "ask"):
            assert key in q, f"quote without {key}: {q}"
        assert q["seq"] > last.get(q["symbol"], 0), f"seq did not increase: {q}"
        last[q["symbol"]] = q["seq"]
        counts[q["symbol"]] += 1
    assert all(n > 0 for n in counts.values()), f"quote events per symbol: {counts}"
    print(f"stream: snapshot + {len(evs) - 1} quote events {counts}, seq increasing")


def check_symbols(path):
    listed = json.load(open(path))["symbols"]
    assert len(listed) >= 5000, len(listed)
    names = {s["symbol"]: s["name"] for s in listed}
    assert names.get("AAPL") == "Apple Inc.", names.get("AAPL")
    print(f"symbols: {len(listed)} listed, AAPL = {names['AAPL']}")


REQUIRED = [
    "tickwire_frontend_connections", "tickwire_frontend_quotes_sent_total",
    "tickwire_frontend_quotes_conflated_total", "tickwire_frontend_disconnects_total",
    "tickwire_frontend_rejected_requests_total", "tickwire_cache_demanded_symbols",
    "tickwire_dispatch_upstream_symbols", "tickwire_dispatch_upstream_reconnects_total",
    "tickwire_dispatch_seq_gaps_total", "tickwire_exchange_subscriptions",
    "tickwire_exchange_subscribed_symbols", "tickwire_quote_latency_seconds",
]


def check_metrics(path):
    samples = {}
    families = list(text_string_to_metric_families(open(path).read()))
    for family in families:
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    # The client library drops the _total suffix from counter family names; samples keep it.
    missing = [m for m in REQUIRED
               if m not in samples and m + "_count" not in samples]
    assert not missing, f"missing metrics: {missing}"
    transports = {s.labels.get("transport") for s in samples["tickwire_frontend_connections"]}
    assert "sse" in transports, transports
    print(f"metrics: {len(families)} families parse as Prometheus text, all required present")


if __name__ == "__main__":
    check_stream(sys.argv[1])
    check_symbols(sys.argv[2])
    check_metrics(sys.argv[3])
