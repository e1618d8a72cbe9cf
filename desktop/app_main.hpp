// The desktop app's startup, shared by the shipped `tickwire` (desktop/main.cpp) and the
// test-only `tickwire-e2e` (tests/e2e/driver/), so that both start exactly the same app and
// the product binary carries no test options or test code.
#pragma once

#include <QObject>
#include <functional>
#include <memory>

class QCommandLineParser;
class QQuickWindow;

namespace tickwire::desktop {

class AppController;

// What a caller adds to the app: command-line options, and an object started once the main
// window is loaded. run_app owns that object and destroys it before the controller and the
// window it was given, so it may keep references to both.
struct AppHooks {
  std::function<void(QCommandLineParser&)> addOptions;
  std::function<std::unique_ptr<QObject>(const QCommandLineParser&, AppController&, QQuickWindow&)>
      started;
};

// Parses the command line, builds the controller and the QML engine, shows Main.qml and runs
// the event loop; returns the exit code for main().
int run_app(int argc, char** argv, const AppHooks& hooks = {});

}  // namespace tickwire::desktop
