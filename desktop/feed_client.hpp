// The desktop's quote feed: one stream from a Tickwire frontend for the symbols the app shows,
// decoded with the shared codec into the QuoteBook. It resubscribes when the symbol set changes,
// reconnects by itself, and measures its own end-to-end latency from the quotes' exchange
// timestamps. Its properties drive the connection badge.
#pragma once

#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include "latency_window.hpp"
#include "quote_book.hpp"
#include "sse_stream.hpp"

namespace tickwire::desktop {

class FeedClient : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(QString state READ state NOTIFY statusChanged)
  Q_PROPERTY(QString transport READ transport CONSTANT)
  Q_PROPERTY(QString server READ server NOTIFY statusChanged)
  Q_PROPERTY(int reconnectIn READ reconnectIn NOTIFY statusChanged)
  Q_PROPERTY(QString lastError READ lastError NOTIFY statusChanged)
  Q_PROPERTY(double latencyP50 READ latencyP50 NOTIFY latencyChanged)
  Q_PROPERTY(double latencyP99 READ latencyP99 NOTIFY latencyChanged)
  Q_PROPERTY(int quotesReceived READ quotesReceived NOTIFY latencyChanged)

 public:
  FeedClient(QuoteBook& book, QObject* parent = nullptr);

  // The frontend's base URL (http://host:port); restarts the stream.
  void setServer(const QUrl& base);
  // The symbols to follow; applied after a short pause so bursts of edits reconnect once.
  void setSymbols(const QStringList& symbols);
  QStringList symbols() const { return symbols_; }

  QString state() const;  // "connected", "connecting", "reconnecting" or "offline"
  QString transport() const { return QStringLiteral("SSE"); }
  QString server() const { return base_.toString(); }
  int reconnectIn() const;  // whole seconds until the next attempt
  QString lastError() const { return stream_.lastError(); }
  double latencyP50() const { return p50_; }
  double latencyP99() const { return p99_; }
  int quotesReceived() const { return received_; }

 Q_SIGNALS:
  void statusChanged();
  void latencyChanged();

 private:
  void restart(bool resume);
  void onEvent(const QString& type, const QByteArray& data);

  QuoteBook& book_;
  SseStream stream_;
  QUrl base_;
  QStringList symbols_;
  QTimer resubscribe_;
  QTimer tick_;  // refreshes the countdown and latency figures
  LatencyWindow latency_;
  double p50_ = 0, p99_ = 0;
  int received_ = 0;
  int failures_ = 0;  // consecutive failed attempts: several in a row means offline
};

}  // namespace tickwire::desktop
