#include "alert_driver.hpp"

#include <QDir>
#include <QJsonArray>
#include <QQuickItem>
#include <QScreen>
#include <cmath>

namespace tickwire::desktop {

namespace {
const QString kSymbol = QStringLiteral("NVDA");
}  // namespace

AlertDriver::AlertDriver(AppController& app, QQuickWindow& window, Options options,
                         bool viaTray)
    : ScriptDriver(app, window, std::move(options)) {
  auto& book = app_.book();
  auto* alerts = app_.alerts();

  steps_.push_back({"quotes of the alert's symbol",
                    [this] {
                      app_.settings()->setDarkTheme(false);
                      app_.setPage(0);
                      app_.watchlist()->addSymbol(kSymbol);  // false when it is there already
                    },
                    [&book] { return book.find(kSymbol) != nullptr && book.find(kSymbol)->ticks > 1; }});

  steps_.push_back({"Ctrl+5 opens the Alerts screen",
                    [this] { key(Qt::Key_5, Qt::ControlModifier); },
                    [this] { return app_.page() == 4; }});

  steps_.push_back({"two alerts typed into the form",
                    [this, &book] {
                      const double last = book.find(kSymbol)->quote.last;
                      report_["last_when_set"] = last;
                      typeAlert(0, std::floor(last * 100 + 1) / 100);  // at or above
                      typeAlert(1, std::ceil(last * 100 - 1) / 100);   // at or below
                    },
                    [this, alerts] {
                      if (alerts->rowCount() != 2) return false;
                      QJsonArray made;
                      for (int i = 0; i < 2; ++i) {
                        made.append(alerts->data(alerts->index(i), AlertBook::DescriptionRole).toString());
                      }
                      report_["alerts_made"] = made;
                      report_["form_error"] = text("alertError");
                      return true;
                    }});

  if (viaTray) {
    steps_.push_back({"a tray to close to", [] {}, [this] { return app_.tray()->available(); }});
    steps_.push_back({"the window closes to the tray",
                      [this] { window_.close(); },
                      [this] {
                        report_["hidden_in_tray"] =
                            !window_.isVisible() && app_.tray()->holdingWindow();
                        return !window_.isVisible();
                      }});
  }

  steps_.push_back({"an alert fires",
                    [] {},
                    [this, alerts] {
                      if (alerts->firedCount() < 1 || app_.notifier()->lastDelivery().isEmpty()) {
                        return false;
                      }
                      QJsonArray fired;
                      for (int i = 0; i < alerts->rowCount(); ++i) {
                        if (alerts->data(alerts->index(i), AlertBook::StateRole).toString() == "fired") {
                          fired.append(alerts->data(alerts->index(i), AlertBook::DescriptionRole).toString());
                        }
                      }
                      report_["fired"] = fired;
                      report_["delivery"] = app_.notifier()->lastDelivery();
                      report_["row_highlighted"] = alerts->alerted(kSymbol);
                      report_["alerts_tab"] = text("alertsTab");
                      report_["window_visible_when_fired"] = window_.isVisible();
                      if (window_.isVisible()) grab(QStringLiteral("alerts"));
                      quietSince_ = nowMs();
                      return true;
                    }});

  steps_.push_back({"nothing fires twice",
                    [] {},
                    [this, alerts] {
                      if (nowMs() - quietSince_ < 2000) return false;
                      report_["fired_count_after_2s"] = alerts->firedCount();
                      // The tray's message is on the screen, not in the (hidden) window.
                      if (!window_.isVisible() && !options_.screenshots.isEmpty()) {
                        QDir().mkpath(options_.screenshots);
                        window_.screen()->grabWindow(0).save(
                            QDir(options_.screenshots).filePath("tray-notification.png"));
                      }
                      QJsonArray fired;  // the other alert may have fired meanwhile
                      for (int i = 0; i < alerts->rowCount(); ++i) {
                        if (alerts->data(alerts->index(i), AlertBook::StateRole).toString() == "fired") {
                          fired.append(alerts->data(alerts->index(i), AlertBook::DescriptionRole).toString());
                        }
                      }
                      report_["fired"] = fired;
                      return true;
                    }});

  begin();
}

void AlertDriver::typeAlert(int kindIndex, double level) {
  if (auto* kind = item("alertKind")) kind->setProperty("currentIndex", kindIndex);
  if (auto* symbol = qobject_cast<QQuickItem*>(item("alertSymbol"))) {
    symbol->forceActiveFocus();
    key(Qt::Key_A, Qt::ControlModifier);
    type(kSymbol);
  }
  if (auto* field = qobject_cast<QQuickItem*>(item("alertLevel"))) {
    field->forceActiveFocus();
    key(Qt::Key_A, Qt::ControlModifier);
    type(QString::number(level, 'f', 2));
    key(Qt::Key_Return);  // the form's Enter adds the alert
  }
}

}  // namespace tickwire::desktop
