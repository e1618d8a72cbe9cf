// The WebSocket transport: GET /v1/ws with Qt WebSockets. Symbol changes go to the server as
// subscribe/unsubscribe messages on the open connection; a lost connection reconnects with
// backoff and subscribes again. The token goes in the upgrade request's Authorization header;
// a refused upgrade, a `forbidden` or token error message, or an `expired` status stops it
// (Refused), as an untrusted certificate does.
#pragma once

#include <QElapsedTimer>
#include <QTimer>
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
  int heartbeatMs() const override { return kPingMs; }

 private:
  // The client pings this often; every answer (a pong, a message) counts as the server alive.
  // Nothing for kDeadAfterMs (three of the server's 15 s heartbeats, as SSE waits) and the
  // connection is taken as dead: closed and tried again.
  static constexpr int kPingMs = 5000;
  static constexpr int kDeadAfterMs = 45000;
  void onPingTimer();
  void attempt() override;
  void onMessage(const QString& text);
  void lost(const QString& why);
  void refuse(const AccessProblem& problem);
  void send(const char* action, const QStringList& symbols);

  QWebSocket socket_;
  QTimer ping_;
  QElapsedTimer heard_;  // since the server was last heard from
  ServerAccess server_;
  QStringList symbols_;  // what we want
  QList<QSslError> tlsErrors_;  // of the current attempt's handshake; never ignored
};

}  // namespace tickwire::desktop
