#include "intraday_bars.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimeZone>
#include <QUrlQuery>
#include <algorithm>

#include "market_hours.hpp"
#include "tickwire/bar_json.hpp"

namespace tickwire::desktop {

IntradayBars::IntradayBars(QuoteBook& book, QObject* parent) : QObject(parent), book_(book) {
  connect(&book_, &QuoteBook::quoteChanged, this, &IntradayBars::onQuote);
  refresh_.setInterval(60'000);
  connect(&refresh_, &QTimer::timeout, this, &IntradayBars::reload);
  retry_.setSingleShot(true);
  retry_.setInterval(2000);
  connect(&retry_, &QTimer::timeout, this, &IntradayBars::reload);
  repaint_.setSingleShot(true);
  repaint_.setInterval(250);
  connect(&repaint_, &QTimer::timeout, this, [this] {
    ++revision_;
    Q_EMIT changed();
  });
}

void IntradayBars::setServer(const ServerAccess& server) {
  server_ = server;
  nam_.clearConnectionCache();  // the trust may have changed (see ServerAccess::trust)
  reload();
}

void IntradayBars::setSymbol(const QString& symbol) {
  if (symbol == symbol_) return;
  symbol_ = symbol;
  series_ = MinuteBars();
  if (const auto* entry = book_.find(symbol)) series_.add(entry->quote);  // shown before the load
  problem_.clear();
  Q_EMIT symbolChanged();
  bump();
  reload();
}

bool IntradayBars::multiDay() const {
  const auto& bars = series_.bars();
  return !bars.empty() && tradingDayStart(bars.front().t) != tradingDayStart(bars.back().t);
}

double IntradayBars::prevClose() const {
  const auto* entry = book_.find(symbol_);
  if (!entry || !entry->quote.has(Quote::kPrevClose)) return 0;
  return entry->quote.prev_close;
}

void IntradayBars::reload() {
  if (loading_) loading_->abort();
  retry_.stop();
  if (symbol_.isEmpty() || !server_.isValid()) {
    refresh_.stop();
    return;
  }
  refresh_.start();
  loading_ = nam_.get(server_.request(QStringLiteral("/v1/bars"),
                                      QUrlQuery{{"symbol", symbol_}, {"interval", "1m"}}));
  auto* reply = loading_.data();
  const QString asked = symbol_;
  Q_EMIT changed();
  connect(reply, &QNetworkReply::finished, this, [this, reply, asked] {
    reply->deleteLater();
    if (asked != symbol_ || reply->error() == QNetworkReply::OperationCanceledError) return;
    loading_ = nullptr;
    const QByteArray body = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
      std::string why;
      if (auto doc = decode_bars(std::string_view(body.constData(), body.size()), &why)) {
        series_.merge(doc->bars);  // bars made from the quotes seen here stay as they are
        problem_.clear();
        // None yet (the fleet subscribed the symbol a moment ago): they come within seconds.
        if (doc->bars.empty()) retry_.start();
      } else {
        problem_ = tr("The server's bars could not be read (%1)").arg(QString::fromStdString(why));
      }
    } else if (status != 0) {
      // The server's own words: "the server does not list ZZZZ", "the cache tier cannot be
      // read now; try again shortly", ...
      const auto detail = QJsonDocument::fromJson(body).object().value("detail").toString();
      problem_ = detail.isEmpty() ? tr("The server answered %1").arg(status) : detail;
      if (status == 503) retry_.start();
    } else {
      problem_ = tr("Bars could not be loaded: %1").arg(reply->errorString());
      retry_.start();
    }
    ++revision_;
    Q_EMIT changed();
  });
}

void IntradayBars::onQuote(const QString& symbol) {
  if (symbol != symbol_) return;
  const auto* entry = book_.find(symbol);
  if (!entry || !series_.add(entry->quote)) return;
  bump();
}

void IntradayBars::bump() {
  if (!repaint_.isActive()) repaint_.start();
}

qint64 IntradayBars::tradingDayStart(qint64 t) {
  const QDateTime local = MarketHours::inNewYork(QDateTime::fromSecsSinceEpoch(t, QTimeZone::utc()));
  QDateTime start(local.date(), QTime(4, 0), local.timeZone());
  if (local.time() < QTime(4, 0)) start = start.addDays(-1);
  return start.toSecsSinceEpoch();
}

std::pair<std::size_t, std::size_t> IntradayBars::shown(const std::deque<Bar>& bars,
                                                        bool fiveDays) {
  if (bars.empty() || fiveDays) return {0, bars.size()};
  const qint64 day = tradingDayStart(bars.back().t);
  const auto first = std::lower_bound(bars.begin(), bars.end(), day,
                                      [](const Bar& b, qint64 t) { return b.t < t; });
  return {static_cast<std::size_t>(first - bars.begin()), bars.size()};
}

}  // namespace tickwire::desktop
