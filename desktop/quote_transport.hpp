// How the feed client reaches a frontend: SSE, WebSocket or HTTP polling, one interface. A
// transport reconnects by itself; the FeedClient decides when to fall back to another one. A
// refusal no retry can cure (see AccessProblem) stops it in Refused, which is no reason to fall
// back: every transport would meet the same token and the same certificate.
#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <vector>

#include "access_problem.hpp"
#include "server_access.hpp"
#include "tickwire/quote.hpp"

namespace tickwire::desktop {

class QuoteTransport : public QObject {
  Q_OBJECT
 public:
  enum class State { Idle, Connecting, Connected, Waiting, Refused };

  using QObject::QObject;
  virtual QString name() const = 0;  // "SSE", "WebSocket", "Polling"
  // Starts following `symbols` at the frontend `server` reaches.
  virtual void open(const ServerAccess& server, const QStringList& symbols) = 0;
  // A new symbol set on an open transport (WebSocket changes it in place; others restart).
  virtual void setSymbols(const QStringList& symbols) = 0;
  virtual void close() = 0;
  virtual State state() const = 0;
  virtual int retryInMs() const = 0;
  virtual QString lastError() const = 0;
  // Consecutive failed attempts since the last successful connection.
  virtual int failures() const = 0;
  // Whether this transport ever connected since open().
  virtual bool everConnected() const = 0;
  // Why it is Refused.
  virtual AccessProblem problem() const = 0;
  // Connection attempts since construction, a counter: a refusal must not become a loop.
  virtual int attempts() const = 0;
  // The longest a healthy connection stays silent: the server's heartbeat interval (SSE), the
  // client's ping interval (WebSocket), the long-poll wait (polling). Silence well past it
  // means the server stopped answering though the connection is still up (see `alive`).
  virtual int heartbeatMs() const = 0;

 Q_SIGNALS:
  // Quotes as received; `snapshot` for the state sent on (re)subscribe.
  void quotes(const std::vector<tickwire::Quote>& quotes, bool snapshot);
  void stateChanged();
  // The server says its data is stale (its cache tier is unreachable) or live again.
  void dataStale(bool stale);
  // The upstream stopped carrying `symbol` (`reason`, a short code such as
  // "upstream_symbol_limit") or carries it again (empty reason).
  void symbolStatus(const QString& symbol, const QString& reason);
  // Requested symbols the server does not list: it serves the others without them.
  void unknownSymbols(const QStringList& symbols);
  // Something came from the server on the open connection: quotes, a heartbeat, a pong, a poll
  // answer. The FeedClient measures silence from the last one.
  void alive();
};

}  // namespace tickwire::desktop
