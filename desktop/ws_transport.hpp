// The WebSocket transport: GET /v1/ws with Qt WebSockets. Symbol changes go to the server as
// subscribe/unsubscribe messages on the open connection; a lost connection reconnects with
// Backoff and subscribes again.
#pragma once

#include <QTimer>
#include <QWebSocket>

#include "backoff.hpp"
#include "quote_transport.hpp"

namespace tickwire::desktop {

class WsTransport final : public QuoteTransport {
  Q_OBJECT
 public:
  explicit WsTransport(QObject* parent = nullptr);
  ~WsTransport() override;
  QString name() const override { return QStringLiteral("WebSocket"); }
  void open(const QUrl& base, const QStringList& symbols) override;
  void setSymbols(const QStringList& symbols) override;
  void close() override;
  State state() const override { return state_; }
  int retryInMs() const override { return retry_.isActive() ? retry_.remainingTime() : 0; }
  QString lastError() const override { return lastError_; }
  int failures() const override { return failures_; }
  bool everConnected() const override { return everConnected_; }

 private:
  void connectNow();
  void onMessage(const QString& text);
  void fail(const QString& why);
  void send(const char* action, const QStringList& symbols);
  void setState(State s);

  QWebSocket socket_;
  QUrl base_;
  QStringList symbols_;  // what we want
  QTimer retry_;
  Backoff backoff_;
  State state_ = State::Idle;
  QString lastError_;
  int failures_ = 0;
  bool everConnected_ = false;
};

}  // namespace tickwire::desktop
