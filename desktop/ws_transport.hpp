// The WebSocket transport: GET /v1/ws with Qt WebSockets. Symbol changes go to the server as
// subscribe/unsubscribe messages on the open connection; a lost connection reconnects with
// backoff and subscribes again. The token goes in the upgrade request's Authorization header;
// a refused upgrade, a `forbidden` or token error message, or an `expired` status stops it
// (Refused), as an untrusted certificate does.
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
  void open(const ServerAccess& server, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override;
  void close() override;

 private:
  void attempt() override;
  void onMessage(const QString& text);
  void lost(const QString& why);
  void refuse(const AccessProblem& problem);
  void send(const char* action, const QStringList& symbols);

  QWebSocket socket_;
  ServerAccess server_;
  QStringList symbols_;  // what we want
  QList<QSslError> tlsErrors_;  // of the current attempt's handshake; never ignored
};

}  // namespace tickwire::desktop
