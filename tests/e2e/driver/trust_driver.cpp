#include "trust_driver.hpp"

#include <QQuickItem>

namespace tickwire::desktop {

namespace {
const QStringList kListed = {QStringLiteral("AAPL"), QStringLiteral("MSFT"), QStringLiteral("NVDA")};
const QString kUnlisted = QStringLiteral("ZZZZ");
const QString kGoneNode = QStringLiteral("dispatch-2");
}  // namespace

TrustDriver::TrustDriver(AppController& app, QQuickWindow& window, Options options)
    : ScriptDriver(app, window, std::move(options)) {
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
                      key(Qt::Key_A, Qt::ControlModifier);
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

  begin();
}

}  // namespace tickwire::desktop
