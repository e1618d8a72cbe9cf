#include "ws_transport.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "tickwire/quote_json.hpp"

namespace tickwire::desktop {

WsTransport::WsTransport(QObject* parent) : RetryingTransport(parent) {
  connect(&socket_, &QWebSocket::connected, this, [this] {
    succeeded();
    heard_.start();
    ping_.start();
    send("subscribe", symbols_);
  });
  connect(&socket_, &QWebSocket::textMessageReceived, this, &WsTransport::onMessage);
  connect(&socket_, &QWebSocket::pong, this, [this] {
    heard_.start();
    Q_EMIT alive();
  });
  ping_.setInterval(kPingMs);
  connect(&ping_, &QTimer::timeout, this, &WsTransport::onPingTimer);
  connect(&socket_, &QWebSocket::disconnected, this, [this] {
    lost(socket_.errorString().isEmpty() ? tr("connection closed") : socket_.errorString());
  });
  // A refused handshake reports an error without a prompt `disconnected` (Qt 6.4's signal is
  // still named error; errorOccurred came in 6.5).
  connect(&socket_, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
          [this](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::SslHandshakeFailedError && !tlsErrors_.isEmpty()) {
              return refuse(AccessProblem::fromTls(tlsErrors_));
            }
            // Qt 6.4 does not hand out a refused upgrade's status or body, only this text
            // ("... Unhandled http status code: 401 (Unauthorized)."): the status is read from
            // it, and the message is then a generic one.
            static const QRegularExpression refusedUpgrade(
                QStringLiteral("status code: (40[13])\\b"));
            const auto m = refusedUpgrade.match(socket_.errorString());
            if (m.hasMatch()) return refuse(AccessProblem::fromHttp(m.captured(1).toInt(), {}));
            lost(socket_.errorString());
          });
  connect(&socket_, &QWebSocket::sslErrors, this,
          [this](const QList<QSslError>& errors) { tlsErrors_ = errors; });
}

WsTransport::~WsTransport() {
  blockSignals(true);  // a destructor reports nothing
  close();
}

void WsTransport::open(const ServerAccess& server, const QStringList& symbols) {
  close();
  server_ = server;
  symbols_ = symbols;
  begin();
}

void WsTransport::setSymbols(const QStringList& symbols) {
  if (state() != State::Connected) {
    symbols_ = symbols;
    return;  // the next connection subscribes to them
  }
  QStringList gone, added;
  for (const auto& s : symbols_) {
    if (!symbols.contains(s)) gone << s;
  }
  for (const auto& s : symbols) {
    if (!symbols_.contains(s)) added << s;
  }
  symbols_ = symbols;
  if (!gone.isEmpty()) send("unsubscribe", gone);
  if (!added.isEmpty()) send("subscribe", added);
}

void WsTransport::close() {
  ping_.stop();
  stop();
  socket_.abort();
}

void WsTransport::onPingTimer() {
  if (state() != State::Connected) return ping_.stop();
  if (heard_.isValid() && heard_.elapsed() > kDeadAfterMs) {
    return lost(tr("no answer from the server for %1 s").arg(kDeadAfterMs / 1000));
  }
  socket_.ping();
}

void WsTransport::attempt() {
  tlsErrors_.clear();
  server_.prepare(socket_);
  socket_.open(server_.webSocketRequest(QStringLiteral("/v1/ws")));
}

void WsTransport::lost(const QString& why) {
  ping_.stop();
  if (state() == State::Idle || state() == State::Waiting || state() == State::Refused) return;
  socket_.abort();
  failed(why);
}

void WsTransport::refuse(const AccessProblem& problem) {
  if (state() == State::Idle || state() == State::Refused) return;
  refused(problem);  // first: the abort's `disconnected` then finds nothing to retry
  socket_.abort();
}

void WsTransport::send(const char* action, const QStringList& symbols) {
  if (symbols.isEmpty()) return;
  const QJsonObject msg{{QStringLiteral("action"), QString::fromLatin1(action)},
                        {QStringLiteral("symbols"), QJsonArray::fromStringList(symbols)}};
  socket_.sendTextMessage(QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
}

void WsTransport::onMessage(const QString& text) {
  heard_.start();
  Q_EMIT alive();
  const QByteArray utf8 = text.toUtf8();
  auto m = decode_ws_message(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
  if (!m) {
    const std::string_view raw(utf8.constData(), static_cast<std::size_t>(utf8.size()));
    if (auto st = decode_symbol_status(raw)) {
      return Q_EMIT symbolStatus(QString::fromStdString(st->symbol),
                                 QString::fromStdString(st->reason));
    }
    // The shared codec knows the states live and stale; the server's word that the token's exp
    // passed comes just before it closes the connection.
    const auto o = QJsonDocument::fromJson(utf8).object();
    if (o.value(QLatin1String("type")).toString() == QLatin1String("status") &&
        o.value(QLatin1String("state")).toString() == QLatin1String("expired")) {
      refuse(AccessProblem::expired());
    }
    return;
  }
  if (m->type == "quote") {
    Q_EMIT quotes(m->quotes, false);
  } else if (m->type == "snapshot") {
    Q_EMIT quotes(m->quotes, true);
  } else if (m->type == "error") {
    // A symbol the token is not entitled to: the connection would stay for the others, but SSE
    // and polling refuse such a request whole, and the user is told the same on every
    // transport (it resumes when the symbols or the token change).
    if (auto problem = AccessProblem::fromError(utf8)) return refuse(problem);
    if (m->error == "unknown_symbol") {
      // The others are subscribed; the rows of these say they are not listed.
      QStringList list;
      for (const auto& s : m->symbols) list << QString::fromStdString(s);
      return Q_EMIT unknownSymbols(list);
    }
    setLastError(QString::fromStdString(m->error + ": " + m->detail));
  } else if (m->type == "status") {
    Q_EMIT dataStale(m->state == "stale");
  }
}

}  // namespace tickwire::desktop
