"""Checks the PromQL of every panel of the Grafana dashboard with Prometheus's own parser:
Grafana's variables are replaced by values they take ($__rate_interval by 1m, $instance by .*),
each query becomes a recording rule, and `promtool check rules` parses them all. Also checks
what Grafana needs to import the file: unique panel ids, a grid position and a query per
panel. Usage: dashboard_queries.py DASHBOARD.json"""
import json
import os
import subprocess
import sys
import tempfile

VARIABLES = {"$__rate_interval": "1m", "$instance": ".*", "${datasource}": ""}


def panels(dashboard):
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        dashboard = json.load(f)
    problems, rules, ids = [], [], set()
    for panel in panels(dashboard):
        title = panel.get("title", "?")
        if panel.get("id") in ids:
            problems.append(f"panel {title}: id {panel.get('id')} used twice")
        ids.add(panel.get("id"))
        if "gridPos" not in panel:
            problems.append(f"panel {title}: no gridPos")
        if panel["type"] == "row":
            continue
        if not panel.get("targets"):
            problems.append(f"panel {title}: no query")
        for target in panel.get("targets", []):
            expr = target["expr"]
            for name, value in VARIABLES.items():
                expr = expr.replace(name, value)
            rules.append({"record": f"dashboard:query_{len(rules)}", "expr": expr,
                          "labels": {"panel": title}})
    if len(rules) < 20:
        problems.append(f"only {len(rules)} queries: is this the Tickwire dashboard?")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as out:
        # JSON is YAML: no YAML library needed to write the rule file.
        json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, out)
    try:
        check = subprocess.run(["promtool", "check", "rules", out.name],
                               capture_output=True, text=True)
    finally:
        os.unlink(out.name)
    if check.returncode != 0:
        problems.append("promtool rejects a query:\n" + check.stdout + check.stderr)
    for problem in problems:
        print(problem)
    print(f"{len(rules)} queries in {len(ids)} panels parsed by promtool")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
