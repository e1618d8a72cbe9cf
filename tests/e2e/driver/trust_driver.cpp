#include "trust_driver.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QQuickItem>
#include <QTest>

namespace tickwire::desktop {

namespace {
constexpr int kStepTimeoutMs = 40'000;
const QStringList kListed = {QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("NVDA")};
const QString kUnlisted = QStringLiteral("ZZZZ");
const QString kGoneNode = QStringLiteral("dispatch-2");
qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }
}  // namespace

TrustDriver::TrustDriver(AppController& app, QQuickWindow& window, Options options)
    : app_(app), window_(window), options_(std::move(options)) {
  auto* wl = app_.watchlist();
  auto& book = app_.book();
  const auto feed = [this] { return app_.feed(); };

  steps_.push_back(
      {"unknown symbol in a saved list",
       [this, wl] {
         app_.settings()->setDarkTheme(false);
         app_.setPage(0);
         // As a list saved while the symbol was still listed: it is loaded, not typed.
         wl->addList(QStringLiteral("Trust"));
         for (const auto& s : kListed) wl->addSymbol(s);
         wl->addSymbol(kUnlisted);
       },
       [this, wl, &book, feed] {
         // The server's symbol list has come too: the add field checks against it next.
         if (feed()->state() != QLatin1String("connected") || !book.hasNames() ||
             book.unavailableReason(kUnlisted) != QLatin1String("unknown_symbol")) {
           return false;
         }
         // Counted from the moment the unknown symbol was known to the server.
         for (const auto& s : kListed) {
           const auto* e = book.find(s);
           if (!ticksBefore_.contains(s)) ticksBefore_[s] = e ? e->ticks : 0;
           if (!e || e->ticks < ticksBefore_[s] + 2) return false;
         }
         QJsonObject r{{"unknown_row_reason", book.unavailableReason(kUnlisted)},
                       {"others_ticking", true},
                       {"rows", wl->rowCount()},
                       {"badge", text("badgeText")}};
         report_["unknown_in_list"] = r;
         grab(QStringLiteral("trust-unknown-row"));
         return wl->symbols().contains(kUnlisted);
       }});

  steps_.push_back({"an unknown symbol typed in the add field",
                    [this] {
                      auto* field = window_.findChild<QQuickItem*>("addField");
                      if (field) field->forceActiveFocus();
                      type(QStringLiteral("micro"));
                      key(Qt::Key_Return);
                    },
                    [this] {
                      const QString error = text("addError");
                      if (error.isEmpty()) return false;
                      report_["typed_unknown"] = QJsonObject{
                          {"error_shown", error}, {"added", listed(QStringLiteral("MICRO"))}};
                      grab(QStringLiteral("trust-refused-at-entry"));
                      return true;
                    }});

  steps_.push_back({"suggestions come for a prefix",
                    [this] {
                      key(Qt::Key_Escape);
                      QTest::keyClick(&window_, Qt::Key_A, Qt::ControlModifier);
                      type(QStringLiteral("nfl"));
                    },
                    [this] {
                      const auto results = app_.search()->results();
                      if (results.isEmpty()) return false;
                      picked_ = results.front().toMap().value("symbol").toString();
                      return picked_.startsWith(QLatin1String("NFL"));
                    }});

  steps_.push_back({"the highlighted suggestion is taken with the arrow keys",
                    [this] {
                      attemptsBefore_ = app_.feed()->connectionAttempts();
                      key(Qt::Key_Down);
                      key(Qt::Key_Return);
                    },
                    [this, &book] {
                      // Added, and streaming: the stream was reopened for the new symbol set
                      // and a quote of it came, before the next step pauses the server.
                      const auto* e = book.find(picked_);
                      if (!listed(picked_) || !e ||
                          app_.feed()->connectionAttempts() <= attemptsBefore_ ||
                          app_.feed()->state() != QLatin1String("connected")) {
                        ticksAtReconnect_ = -1;
                        return false;
                      }
                      if (ticksAtReconnect_ < 0) ticksAtReconnect_ = e->ticks;
                      if (e->ticks <= ticksAtReconnect_ ||
                          !text("badgeText").startsWith(QLatin1String("Live"))) {
                        return false;
                      }
                      report_["arrow_pick"] =
                          QJsonObject{{"picked", picked_}, {"error_shown", text("addError")}};
                      return true;
                    }});

  steps_.push_back({"the frontend pauses", [this] { signal(QStringLiteral("stop")); },
                    [this] { return acted(QStringLiteral("stop")) > 0; }});

  steps_.push_back({"the badge says there is no data",
                    [] {},
                    [this, feed] {
                      const QString badge = text("badgeText");
                      if (!badge.startsWith(QLatin1String("No data for"))) return false;
                      report_["no_data"] = QJsonObject{
                          {"ms_after_pause", nowMs() - acted(QStringLiteral("stop"))},
                          {"badge", badge},
                          {"silent_for_s", feed()->silentFor()},
                          {"state", feed()->state()}};
                      grab(QStringLiteral("trust-no-data"));
                      return true;
                    }});

  steps_.push_back({"the frontend resumes", [this] { signal(QStringLiteral("cont")); },
                    [this] { return acted(QStringLiteral("cont")) > 0; }});

  steps_.push_back({"the badge says live again",
                    [] {},
                    [this] {
                      const QString badge = text("badgeText");
                      if (!badge.startsWith(QLatin1String("Live"))) return false;
                      report_["live_again"] = QJsonObject{
                          {"ms_after_resume", nowMs() - acted(QStringLiteral("cont"))},
                          {"badge", badge}};
                      return true;
                    }});

  const auto lists = [this](const QString& node) {
    auto* ops = app_.operatorView();
    for (int i = 0; i < ops->rowCount(); ++i) {
      if (ops->data(ops->index(i), OperatorModel::NodeRole).toString() == node) return true;
    }
    return false;
  };
  steps_.push_back({"the operator view lists the dispatcher", [this] { app_.setPage(2); },
                    [lists] { return lists(kGoneNode); }});

  steps_.push_back({"the dispatcher is killed", [this] { signal(QStringLiteral("kill")); },
                    [this] { return acted(QStringLiteral("kill")) > 0; }});

  steps_.push_back({"its card leaves the operator view",
                    [] {},
                    [this, lists] {
                      if (lists(kGoneNode)) return false;
                      report_["node_gone"] = QJsonObject{
                          {"ms_after_kill", nowMs() - acted(QStringLiteral("kill"))},
                          {"nodes_left", app_.operatorView()->nodeCount()}};
                      grab(QStringLiteral("trust-operator-after-kill"));
                      return true;
                    }});

  runClock_.start();
  window_.requestActivate();  // key events go to the focused item of the active window
  QTimer::singleShot(0, this, [this] { run(0); });
}

void TrustDriver::run(std::size_t at) {
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

QString TrustDriver::text(const char* objectName) const {
  const auto* item = window_.findChild<QObject*>(QLatin1String(objectName));
  return item ? item->property("text").toString() : QString();
}

bool TrustDriver::listed(const QString& symbol) const {
  return app_.watchlist()->symbols().contains(symbol);
}

void TrustDriver::type(const QString& keys) {
  for (const QChar c : keys) QTest::keyClick(&window_, c.toLatin1());
}

void TrustDriver::key(Qt::Key k) { QTest::keyClick(&window_, k); }

void TrustDriver::grab(const QString& name) {
  if (options_.screenshots.isEmpty()) return;
  QDir().mkpath(options_.screenshots);
  window_.grabWindow().save(QDir(options_.screenshots).filePath(name + ".png"));
}

void TrustDriver::signal(const QString& step) const {
  QFile f(QDir(options_.dir).filePath(step + ".ready"));
  if (f.open(QIODevice::WriteOnly)) f.write("ready\n");
}

qint64 TrustDriver::acted(const QString& step) const {
  QFile f(QDir(options_.dir).filePath(step + ".done"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  return f.readAll().trimmed().toLongLong();
}

void TrustDriver::finish(bool ok, const QString& why) {
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
