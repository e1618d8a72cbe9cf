#!/usr/bin/env python3
"""Checks the report of desktop_trust.sh (the app's trust script, trust_driver.hpp).

usage: check_trust.py REPORT HEARTBEAT_S LEASE_S
"""
import json
import sys

# A dead node must leave the operator view within its lease (the bar): its metrics
# document expires three reports (0.3 x lease) after its last one, the frontend reads the fleet
# at every report and streams it once a second (backend/app/node.cpp).


def main(path, heartbeat_s, lease_s):
    r = json.load(open(path))
    failures = []

    def need(cond, what):
        if not cond:
            failures.append(what)

    need(r.get("ok") is True, f"the script did not finish: {r.get('error')}")
    u = r.get("unknown_in_list", {})
    need(u.get("unknown_row_reason") == "unknown_symbol",
         f"the unlisted symbol's row does not say so: {u}")
    need(u.get("others_ticking") is True, "the other rows did not tick next to an unknown symbol")
    need(str(u.get("badge", "")).startswith("Live"), f"badge not live meanwhile: {u.get('badge')}")

    t = r.get("typed_unknown", {})
    need(t.get("added") is False, "an unknown symbol typed in the add field was added")
    need("MICRO" in str(t.get("error_shown", "")), f"no message for it: {t}")

    a = r.get("arrow_pick", {})
    need(str(a.get("picked", "")).startswith("NFL"), f"the arrow-key pick was not taken: {a}")

    n = r.get("no_data", {})
    limit_ms = 2 * heartbeat_s * 1000
    need(str(n.get("badge", "")).startswith("No data for"), f"no 'No data' badge: {n}")
    need(0 < n.get("ms_after_pause", 10**9) <= limit_ms,
         f"'No data' came {n.get('ms_after_pause')} ms after the pause; limit {limit_ms} ms "
         f"(2 heartbeat intervals)")
    need("ms_after_resume" in r.get("live_again", {}), "the badge did not go back to Live")

    g = r.get("node_gone", {})
    gone_limit_ms = lease_s * 1000
    need(0 < g.get("ms_after_kill", 10**9) <= gone_limit_ms,
         f"the killed node left the operator view {g.get('ms_after_kill')} ms after the kill; "
         f"limit {gone_limit_ms:.0f} ms (its lease)")

    summary = (f"unknown row: {u.get('unknown_row_reason')}; typed MICRO: "
               f"'{t.get('error_shown')}'; arrow pick: {a.get('picked')}; "
               f"no data after {n.get('ms_after_pause')} ms (heartbeat {heartbeat_s} s); "
               f"live again {r.get('live_again', {}).get('ms_after_resume')} ms after SIGCONT; "
               f"node gone {g.get('ms_after_kill')} ms after the kill (lease {lease_s} s)")
    print(summary)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("trust checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3])))
