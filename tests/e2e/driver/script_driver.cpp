#include "script_driver.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QQuickItem>
#include <QTest>
#include <QTimer>
#include <memory>

namespace tickwire::desktop {

namespace {
constexpr int kStepTimeoutMs = 40'000;
}  // namespace

ScriptDriver::ScriptDriver(AppController& app, QQuickWindow& window, Options options)
    : app_(app), window_(window), options_(std::move(options)) {}

void ScriptDriver::begin() {
  runClock_.start();
  window_.requestActivate();  // key events go to the focused item of the active window
  QTimer::singleShot(0, this, [this] { run(0); });
}

qint64 ScriptDriver::nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QObject* ScriptDriver::item(const char* objectName) const {
  return window_.findChild<QObject*>(QLatin1String(objectName));
}

void ScriptDriver::run(std::size_t at) {
  if (at == steps_.size()) return finish(true, {});
  stepClock_.start();
  steps_[at].start();
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, at, poll] {
    // Every badge text the user could have read, with when (for a failure's story).
    const QString badge = text("badgeText");
    if (badge != lastBadge_) {
      lastBadge_ = badge;
      badges_.append(QStringLiteral("%1 ms: %2").arg(runClock_.elapsed()).arg(badge));
    }
    if (steps_[at].done()) {
      report_[QStringLiteral("step_%1_ms").arg(at + 1)] = stepClock_.elapsed();
      return run(at + 1);
    }
    if (stepClock_.elapsed() > kStepTimeoutMs) {
      return finish(false, QStringLiteral("step %1 (%2) timed out").arg(at + 1).arg(steps_[at].name));
    }
    QTimer::singleShot(50, this, *poll);
  };
  QTimer::singleShot(50, this, *poll);
}

QString ScriptDriver::text(const char* objectName) const {
  const auto* found = item(objectName);
  return found ? found->property("text").toString() : QString();
}

bool ScriptDriver::listed(const QString& symbol) const {
  return app_.watchlist()->symbols().contains(symbol);
}

void ScriptDriver::type(const QString& keys) {
  for (const QChar c : keys) QTest::keyClick(&window_, c.toLatin1());
}

void ScriptDriver::key(Qt::Key k, Qt::KeyboardModifiers modifiers) {
  QTest::keyClick(&window_, k, modifiers);
}

void ScriptDriver::grab(const QString& name) {
  if (options_.screenshots.isEmpty()) return;
  QDir().mkpath(options_.screenshots);
  window_.grabWindow().save(QDir(options_.screenshots).filePath(name + ".png"));
}

void ScriptDriver::signal(const QString& step) const {
  QFile f(QDir(options_.dir).filePath(step + ".ready"));
  if (f.open(QIODevice::WriteOnly)) f.write("ready\n");
}

qint64 ScriptDriver::acted(const QString& step) const {
  QFile f(QDir(options_.dir).filePath(step + ".done"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  return f.readAll().trimmed().toLongLong();
}

void ScriptDriver::finish(bool ok, const QString& why) {
  report_["ok"] = ok;
  report_["badges_seen"] = QJsonArray::fromStringList(badges_);
  if (!ok) {
    report_["error"] = why;
    report_["badge_at_end"] = text("badgeText");
    report_["add_error_at_end"] = text("addError");
  }
  QFile f(options_.report);
  if (f.open(QIODevice::WriteOnly)) f.write(QJsonDocument(report_).toJson());
  QCoreApplication::exit(ok ? 0 : 1);
}

}  // namespace tickwire::desktop
