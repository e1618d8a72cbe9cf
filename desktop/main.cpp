// tickwire: the desktop watchlist, portfolio and operator app. By default it bundles the whole
// backend in-process; --backend URL connects to a remote frontend instead.
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QtQml/qqmlextensionplugin.h>

#include "app_controller.hpp"
#include "e2e_driver.hpp"

Q_IMPORT_QML_PLUGIN(Tickwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tickwire_UiPlugin)

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  QGuiApplication::setApplicationName(QStringLiteral("Tickwire"));
  QGuiApplication::setOrganizationName(QStringLiteral("Tickwire"));
  QGuiApplication::setApplicationVersion(QStringLiteral(TICKWIRE_VERSION));

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("Tickwire desktop: live watchlists and portfolio"));
  cli.addHelpOption();
  cli.addVersionOption();
  const QCommandLineOption backend("backend", "Connect to this frontend (http://host:port) "
                                              "instead of the bundled backend.", "URL");
  const QCommandLineOption settings("settings", "Settings file (default: the user's; also "
                                                "TICKWIRE_SETTINGS).", "FILE");
  const QCommandLineOption report("e2e-report", "Run the end-to-end script and write its "
                                                "report here, then quit.", "FILE");
  const QCommandLineOption shots("screenshot-dir", "With --e2e-report: save screenshots here.",
                                 "DIR");
  const QCommandLineOption load("e2e-symbols", "With --e2e-report: symbols in the load test.",
                                "N", "200");
  const QCommandLineOption nodes("e2e-nodes", "With --e2e-report: nodes the operator screen must "
                                              "list before it is captured.", "N", "1");
  cli.addOptions({backend, settings, report, shots, load, nodes});
  cli.process(app);

  QString settingsPath = cli.value(settings);
  if (settingsPath.isEmpty()) settingsPath = qEnvironmentVariable("TICKWIRE_SETTINGS");
  QUrl remote;
  if (cli.isSet(backend)) {
    remote = QUrl(cli.value(backend));
    if (!remote.isValid() || remote.scheme() != QLatin1String("http") || remote.host().isEmpty()) {
      qCritical("--backend must be an http://host:port URL");
      return 2;
    }
  }

  QQuickStyle::setStyle(QStringLiteral("Fusion"));
  tickwire::desktop::AppController controller(settingsPath, remote);

  QQmlApplicationEngine engine;
  engine.addImportPath(QStringLiteral("qrc:/"));
  engine.setInitialProperties({{QStringLiteral("app"), QVariant::fromValue(&controller)}});
  engine.load(QUrl(QStringLiteral("qrc:/Tickwire/Ui/Main.qml")));
  if (engine.rootObjects().isEmpty()) return 1;
  auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());

  std::unique_ptr<tickwire::desktop::E2eDriver> driver;
  if (cli.isSet(report) && window) {
    driver = std::make_unique<tickwire::desktop::E2eDriver>(
        controller, *window,
        tickwire::desktop::E2eDriver::Options{cli.value(report), cli.value(shots),
                                              cli.value(load).toInt(), 90,
                                              cli.value(nodes).toInt()});
  }
  return QGuiApplication::exec();
}
