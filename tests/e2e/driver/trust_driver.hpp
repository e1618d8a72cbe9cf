// The "trust" script of the desktop e2e tests (issue 16, point 1), run against a fleet that
// tests/e2e/desktop_trust.sh starts and disturbs. In order, each step waiting (at most 40 s)
// for what the user would see:
//   1. a list saved with a symbol the server no longer lists (ZZZZ) keeps its other rows
//      ticking, and that row says it is not listed;
//   2. "micro" typed in the add field and Enter: refused at entry with a message, no row added;
//   3. "nfl" typed, ↓ then Enter: the highlighted suggestion is added;
//   4. the frontend paused with SIGSTOP: the badge says "No data for N s" (time measured from
//      the pause), and "Live" again after SIGCONT;
//   5. a dispatcher killed with -9: its card leaves the operator view (time measured from the
//      kill).
// The shell script and the driver meet through files in `dir`: the driver writes
// <step>.ready, the script acts and writes <step>.done holding the Unix time in ms it acted.
// What it saw goes to the JSON report that check_trust.py reads. Test code: only in
// tickwire-e2e.
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QQuickWindow>
#include <QTimer>
#include <functional>
#include <vector>

#include "app_controller.hpp"

namespace tickwire::desktop {

class TrustDriver : public QObject {
  Q_OBJECT
 public:
  struct Options {
    QString report;
    QString dir;          // where the script and the driver exchange their files
    QString screenshots;  // folder; empty: none
  };
  TrustDriver(AppController& app, QQuickWindow& window, Options options);

 private:
  // One step: `start` runs once, then `done` is polled every 50 ms until it holds.
  struct Step {
    const char* name;
    std::function<void()> start;
    std::function<bool()> done;
  };
  void run(std::size_t at);
  void finish(bool ok, const QString& why);

  // What the user sees, read from the real items.
  QString text(const char* objectName) const;
  bool listed(const QString& symbol) const;
  void type(const QString& keys);
  void key(Qt::Key k);
  void grab(const QString& name);
  // The handshake with the script: writes <step>.ready; `acted` reads <step>.done (Unix ms).
  void signal(const QString& step) const;
  qint64 acted(const QString& step) const;

  AppController& app_;
  QQuickWindow& window_;
  Options options_;
  std::vector<Step> steps_;
  QElapsedTimer stepClock_;
  QElapsedTimer runClock_;
  QString lastBadge_;
  QStringList badges_;
  QJsonObject report_;
  QHash<QString, int> ticksBefore_;
  QString picked_;
  int attemptsBefore_ = 0;
  int ticksAtReconnect_ = -1;
};

}  // namespace tickwire::desktop
