// The WebSocket transport: GET /v1/ws with Qt WebSockets. Symbol changes go to the server as
// subscribe/unsubscribe messages on the open connection; a lost connection reconnects with
// backoff and subscribes again.
#pragma once

#include <QWebSocket>

#include "retrying_transport.hpp"

namespace tickwire::desktop {

class WsTransport final : public RetryingTransport {
  Q_OBJECT
 public:
  explicit WsTransport(QObject* parent = nullptr);
  ~WsTransport() override;
  QString name() const override { return QStringLiteral("WebSocket"); }
  void open(const QUrl& base, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override;
  void close() override;

 private:
  void attempt() override;
  void onMessage(const QString& text);
  void lost(const QString& why);
  void send(const char* action, const QStringList& symbols);

  QWebSocket socket_;
  QUrl base_;
  QStringList symbols_;  // what we want
};

}  // namespace tickwire::desktop
