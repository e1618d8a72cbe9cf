// tickwire-e2e: the desktop app (the same startup as the shipped `tickwire`, through run_app)
// plus the scripted end-to-end run: --e2e-report and its options start the E2eDriver. Test
// code, built only with BUILD_TESTING and never installed.
#include <QCommandLineParser>

#include "app_main.hpp"
#include "e2e_driver.hpp"
#include "alert_driver.hpp"
#include "trust_driver.hpp"

using tickwire::desktop::AppController;
using tickwire::desktop::E2eDriver;
using tickwire::desktop::AlertDriver;
using tickwire::desktop::TrustDriver;

int main(int argc, char** argv) {
  const QCommandLineOption report("e2e-report", "Run the end-to-end script and write its "
                                                "report here, then quit.", "FILE");
  const QCommandLineOption shots("screenshot-dir", "With --e2e-report: save screenshots here.",
                                 "DIR");
  const QCommandLineOption load("e2e-symbols", "With --e2e-report: symbols in the load test.",
                                "N", "200");
  const QCommandLineOption nodes("e2e-nodes", "With --e2e-report: nodes the operator screen must "
                                              "list before it is captured.", "N", "1");
  const QCommandLineOption failover("e2e-failover", "With --e2e-report: the failover script "
                                                    "(e2e_driver.hpp) instead of the usual one, "
                                                    "with FILE as the kill signal.", "FILE");
  const QCommandLineOption trust("e2e-trust", "With --e2e-report: the trust script "
                                              "(trust_driver.hpp), meeting the test's script "
                                              "through files in DIR.", "DIR");
  const QCommandLineOption alerts("e2e-alerts", "With --e2e-report: the alerts script "
                                               "(alert_driver.hpp).");
  const QCommandLineOption tray("e2e-tray", "With --e2e-alerts: close the window to the tray "
                                            "before the alert fires.");
  tickwire::desktop::AppHooks hooks;
  hooks.addOptions = [&](QCommandLineParser& cli) {
    cli.addOptions({report, shots, load, nodes, failover, trust, alerts, tray});
  };
  hooks.started = [&](const QCommandLineParser& cli, AppController& app,
                      QQuickWindow& window) -> std::unique_ptr<QObject> {
    if (!cli.isSet(report)) return nullptr;  // without a report to write it is the plain app
    if (cli.isSet(alerts)) {
      return std::make_unique<AlertDriver>(
          app, window, AlertDriver::Options{cli.value(report), {}, cli.value(shots)},
          cli.isSet(tray));
    }
    if (cli.isSet(trust)) {
      return std::make_unique<TrustDriver>(
          app, window, TrustDriver::Options{cli.value(report), cli.value(trust), cli.value(shots)});
    }
    return std::make_unique<E2eDriver>(
        app, window,
        E2eDriver::Options{cli.value(report), cli.value(shots), cli.value(load).toInt(), 90,
                           cli.value(nodes).toInt(), cli.value(failover)});
  };
  return tickwire::desktop::run_app(argc, argv, hooks);
}
