#!/usr/bin/env python3
"""Checks desktop_alerts.sh's results: the app's report (alert_driver.hpp) against the Notify
calls the test's notification service logged and the monitor saw on the session bus.

usage: check_alerts.py OUT_DIR          the run with the notification service
       check_alerts.py OUT_DIR --tray   the run without one, the window closed to a tray
"""
import json
import sys
from pathlib import Path


def verdict(failures, passed):
    """Prints the failures, or that the checks passed; the exit status."""
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(passed)
    return 0


def check_tray(out, report):
    """The window was closed to the tray; the alert still fired and went out from the tray."""
    failures = []

    def need(cond, what):
        if not cond:
            failures.append(what)

    need(report.get("ok") is True, f"the script did not finish: {report.get('error')}")
    need(report.get("hidden_in_tray") is True, "closing the window did not hide it in the tray")
    need(len(report.get("fired", [])) >= 1, "no alert fired while the window was in the tray")
    need(report.get("window_visible_when_fired") is False,
         "the window was visible when the alert fired")
    need(report.get("delivery") == "tray",
         f"the notification went {report.get('delivery')!r}, not to the tray icon")
    need(report.get("row_highlighted") is True, "the watchlist row is not highlighted")
    shot = out / "screenshots" / "tray-notification.png"
    need(shot.exists() and shot.stat().st_size > 5_000, "no screenshot of the tray's message")
    print(f"tray run: hidden in the tray: {report.get('hidden_in_tray')}; fired: "
          f"{report.get('fired')}; delivered to: {report.get('delivery')}")
    return verdict(failures, "tray alert checks passed")


def main(out, tray=False):
    out = Path(out)
    report = json.loads((out / "report.json").read_text())
    if tray:
        return check_tray(out, report)
    log = out / "notifications.jsonl"
    notes = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    monitor = (out / "monitor.log").read_text() if (out / "monitor.log").exists() else ""
    failures = []

    def need(cond, what):
        if not cond:
            failures.append(what)

    need(report.get("ok") is True, f"the script did not finish: {report.get('error')}")
    made = report.get("alerts_made", [])
    need(len(made) == 2 and made[0].startswith("NVDA above") and made[1].startswith("NVDA below"),
         f"the form did not make the two alerts: {made} ({report.get('form_error')})")
    fired = report.get("fired", [])
    need(len(fired) >= 1, "no alert fired")
    need(report.get("delivery") == "desktop",
         f"the notification went {report.get('delivery')!r}, not to the desktop's service")
    need(report.get("row_highlighted") is True, "the watchlist row is not highlighted")
    need(str(report.get("alerts_tab", "")).startswith("Alerts (1)") or
         str(report.get("alerts_tab", "")).startswith("Alerts (2)"),
         f"the Alerts tab does not count the fired alert: {report.get('alerts_tab')}")
    # One notification per firing, none twice, and each names what fired.
    need(len(notes) == report.get("fired_count_after_2s"),
         f"{len(notes)} notification(s) for {report.get('fired_count_after_2s')} fired alert(s)")
    for n in notes:
        need(n.get("app_name") == "Tickwire" and n.get("app_icon") == "tickwire",
             f"not the app's name and icon: {n}")
        need(n.get("summary") in fired, f"a notification for an alert that did not fire: {n}")
        need("NVDA is at" in n.get("body", ""), f"the body does not say the price: {n}")
        # The sound is off by default: the notification asks for silence.
        need(n.get("suppress_sound") is True and not n.get("sound_name"),
             f"a notification asked for a sound the user did not choose: {n}")
    need(monitor.count("member=Notify") == len(notes),
         f"the monitor saw {monitor.count('member=Notify')} Notify call(s), the service {len(notes)}")

    print(f"alerts made: {made}; fired: {fired}; delivered to: {report.get('delivery')}; "
          f"notifications: {[n.get('summary') for n in notes]}; Notify calls on the bus: "
          f"{monitor.count('member=Notify')}")
    return verdict(failures, "alert checks passed")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], "--tray" in sys.argv[2:]))
