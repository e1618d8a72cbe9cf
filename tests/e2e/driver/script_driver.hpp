// The base of the desktop e2e scripts that drive the app as a user would (TrustDriver,
// AlertDriver): a list of steps run in order, each waiting (at most 40 s) for what the user
// would see; real key events into the window; what the items show read by objectName; a
// handshake with the test's shell script through files (the driver writes <step>.ready, the
// script acts and writes <step>.done holding the Unix time in ms it acted); and a JSON report
// of what was seen, with every text the connection badge showed. Test code: only in
// tickwire-e2e.
#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QQuickWindow>
#include <QStringList>
#include <functional>
#include <vector>

#include "app_controller.hpp"

namespace tickwire::desktop {

class ScriptDriver : public QObject {
  Q_OBJECT
 public:
  struct Options {
    QString report;
    QString dir;          // where the script and the driver exchange their files
    QString screenshots;  // folder; empty: none
  };

 protected:
  ScriptDriver(AppController& app, QQuickWindow& window, Options options);

  // One step: `start` runs once, then `done` is polled every 50 ms until it holds.
  struct Step {
    const char* name;
    std::function<void()> start;
    std::function<bool()> done;
  };
  // Runs the steps added so far, from the event loop (call at the end of the constructor).
  void begin();

  QString text(const char* objectName) const;
  QObject* item(const char* objectName) const;
  bool listed(const QString& symbol) const;
  void type(const QString& keys);
  void key(Qt::Key k, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
  void grab(const QString& name);
  void signal(const QString& step) const;
  qint64 acted(const QString& step) const;
  static qint64 nowMs();

  AppController& app_;
  QQuickWindow& window_;
  Options options_;
  std::vector<Step> steps_;
  QJsonObject report_;

 private:
  void run(std::size_t at);
  void finish(bool ok, const QString& why);

  QElapsedTimer stepClock_;
  QElapsedTimer runClock_;
  QString lastBadge_;
  QStringList badges_;
};

}  // namespace tickwire::desktop
