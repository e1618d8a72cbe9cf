#include "app_main.hpp"

#include <QCommandLineParser>
#include <QApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QtQml/qqmlextensionplugin.h>

#include "app_controller.hpp"
#include "scene_graph_backend.hpp"

// The QML modules are static libraries: their plugins are imported here, in the translation unit
// every executable pulls in through run_app, rather than in each main().
Q_IMPORT_QML_PLUGIN(Tickwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Tickwire_UiPlugin)

namespace tickwire::desktop {

int run_app(int argc, char** argv, const AppHooks& hooks) {
  // A QApplication, not a QGuiApplication: the tray icon (QSystemTrayIcon) is a Widgets class.
  QApplication app(argc, argv);
  QGuiApplication::setApplicationName(QStringLiteral("Tickwire"));
  QGuiApplication::setOrganizationName(QStringLiteral("Tickwire"));
  QGuiApplication::setApplicationVersion(QStringLiteral(TICKWIRE_VERSION));
  // The launcher entry the package installs (tickwire.desktop): lets Wayland compositors match
  // the window to it, for its icon and name.
  QGuiApplication::setDesktopFileName(QStringLiteral("tickwire"));

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("Tickwire desktop: live watchlists and portfolio"));
  cli.addHelpOption();
  cli.addVersionOption();
  const QCommandLineOption backend("backend", "Connect to this frontend (http(s)://host:port) "
                                              "instead of the bundled backend; the CA file "
                                              "and tokens come from the settings.", "URL");
  const QCommandLineOption settings("settings", "Settings file (default: the user's; also "
                                                "TICKWIRE_SETTINGS).", "FILE");
  cli.addOptions({backend, settings});
  if (hooks.addOptions) hooks.addOptions(cli);
  cli.process(app);

  QString settingsPath = cli.value(settings);
  if (settingsPath.isEmpty()) settingsPath = qEnvironmentVariable("TICKWIRE_SETTINGS");
  QUrl remote;
  if (cli.isSet(backend)) {
    remote = QUrl(cli.value(backend));
    const bool web = remote.scheme() == QLatin1String("http") ||
                     remote.scheme() == QLatin1String("https");
    if (!remote.isValid() || !web || remote.host().isEmpty()) {
      qCritical("--backend must be an http://host:port or https://host:port URL");
      return 2;
    }
  }

  const auto scene_graph = choose_scene_graph();
  qInfo("rendering: %s scene graph (%s)", scene_graph.software ? "software" : "default",
        qUtf8Printable(scene_graph.why));

  QQuickStyle::setStyle(QStringLiteral("Fusion"));
  AppController controller(settingsPath, remote);

  QQmlApplicationEngine engine;
  engine.addImportPath(QStringLiteral("qrc:/"));
  engine.setInitialProperties({{QStringLiteral("app"), QVariant::fromValue(&controller)}});
  engine.load(QUrl(QStringLiteral("qrc:/Tickwire/Ui/Main.qml")));
  if (engine.rootObjects().isEmpty()) return 1;
  auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().constFirst());

  // Declared after the controller and the engine, so destroyed before them.
  std::unique_ptr<QObject> extension;
  if (hooks.started && window) extension = hooks.started(cli, controller, *window);
  return QApplication::exec();
}

}  // namespace tickwire::desktop
