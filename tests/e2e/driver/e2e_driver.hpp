// Drives the running app for the end-to-end test and the documentation screenshots: waits for
// live quotes, grabs the window in each screen and theme, then loads a 200-symbol list and
// measures frame intervals and event-loop lag, and writes what it saw (from the models' state)
// to a JSON report. With `failover` set it runs the failover script instead: once every row is
// live it writes `<failover>.ready`, waits for the test to create `<failover>` (after it killed
// the frontend the app is connected to), and reports how long the app took to notice and to
// have every row moving again, and whether any symbol's seq went backwards. Test code: built only into tickwire-e2e (main.cpp here), never into the
// shipped tickwire, and started only with --e2e-report.
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QQuickWindow>
#include <QTimer>
#include <functional>
#include <vector>

#include "app_controller.hpp"

namespace tickwire::desktop {

class E2eDriver : public QObject {
  Q_OBJECT
 public:
  struct Options {
    QString report;
    QString screenshots;  // folder; empty: no screenshots
    int loadSymbols = 200;
    int timeoutSeconds = 60;
    int operatorNodes = 1;  // the operator screen is captured once it lists this many nodes
    QString failover;       // not empty: the failover script (above) instead of the usual one
  };
  E2eDriver(AppController& app, QQuickWindow& window, Options options);

 private:
  void step();
  void failoverStep();
  void waitFor(std::function<bool()> cond, std::function<void()> then, const char* what);
  void after(int ms, std::function<void()> then);
  void grab(const QString& name);
  void reportOperatorRows();
  void startLoadTest();
  // A Yahoo Finance portfolio export dropped on the window (a real drag-and-drop event through
  // Qt Quick to Main.qml's DropArea), with one bad line: what it imported is reported.
  void dropCsv(std::function<void()> then);
  void finish(bool ok, const QString& why);
  int rowsWithTicks(int min) const;

  AppController& app_;
  QQuickWindow& window_;
  Options options_;
  QNetworkAccessManager nam_;
  QElapsedTimer clock_;
  QJsonObject report_;
  QStringList shots_;
  std::vector<double> frames_, lags_;
  qint64 lastFrameNs_ = -1;
  bool measuring_ = false;
  QTimer lagTimer_;
  QElapsedTimer lagClock_;
};

}  // namespace tickwire::desktop
