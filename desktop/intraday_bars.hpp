// The detail chart's data: one symbol's one-minute bars, loaded from the server's GET /v1/bars
// and kept current by folding in the quotes the QuoteBook receives (the same MinuteBars the
// backend builds them with), so the chart moves with every tick without asking the server
// again. It reloads once a minute to pick up minutes the app did not see (it was not following
// the symbol, or was disconnected). A server that is not ready, not reachable, or has no bars
// yet is asked again after 2 s.
//
// Which bars a range shows: "1D" is the newest bar's trading day in New York time, from 04:00
// (pre-market) on; "5D" is every bar kept (the server keeps 24 hours), offered only when the
// bars span more than one trading day.
#pragma once

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <utility>

#include "quote_book.hpp"
#include "server_access.hpp"
#include "tickwire/minute_bars.hpp"

namespace tickwire::desktop {

class IntradayBars : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(QString symbol READ symbol WRITE setSymbol NOTIFY symbolChanged)
  // Empty while the bars are fine; otherwise why they could not be loaded, for the chart.
  Q_PROPERTY(QString problem READ problem NOTIFY changed)
  Q_PROPERTY(bool loading READ loading NOTIFY changed)
  Q_PROPERTY(int revision READ revision NOTIFY changed)
  Q_PROPERTY(int count READ count NOTIFY changed)
  Q_PROPERTY(bool multiDay READ multiDay NOTIFY changed)
  Q_PROPERTY(double prevClose READ prevClose NOTIFY changed)

 public:
  explicit IntradayBars(QuoteBook& book, QObject* parent = nullptr);
  void setServer(const ServerAccess& server);

  QString symbol() const { return symbol_; }
  void setSymbol(const QString& symbol);
  QString problem() const { return problem_; }
  bool loading() const { return loading_ != nullptr; }
  int revision() const { return revision_; }
  int count() const { return static_cast<int>(series_.bars().size()); }
  bool multiDay() const;
  double prevClose() const;
  const MinuteBars& series() const { return series_; }
  Q_INVOKABLE void reload();

  // The [first, last) indices of `bars` a range shows ("1D" or "5D", see above).
  static std::pair<std::size_t, std::size_t> shown(const std::deque<Bar>& bars, bool fiveDays);
  // The start of the trading day (04:00 New York time) that `t` (Unix seconds) falls in.
  static qint64 tradingDayStart(qint64 t);

 Q_SIGNALS:
  void symbolChanged();
  void changed();

 private:
  void onQuote(const QString& symbol);
  void bump();

  QuoteBook& book_;
  QNetworkAccessManager nam_;
  ServerAccess server_;
  QString symbol_;
  MinuteBars series_;
  QString problem_;
  QPointer<QNetworkReply> loading_;
  int revision_ = 0;
  QTimer refresh_;
  QTimer retry_;    // after an answer that may change soon (503, no connection)
  QTimer repaint_;  // ticks are folded in at once, and shown at most 4 times a second
};

}  // namespace tickwire::desktop
