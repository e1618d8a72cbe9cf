#include "ws_transport.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "tickwire/quote_json.hpp"

namespace tickwire::desktop {

WsTransport::WsTransport(QObject* parent) : RetryingTransport(parent) {
  connect(&socket_, &QWebSocket::connected, this, [this] {
    succeeded();
    send("subscribe", symbols_);
  });
  connect(&socket_, &QWebSocket::textMessageReceived, this, &WsTransport::onMessage);
  connect(&socket_, &QWebSocket::disconnected, this, [this] {
    lost(socket_.errorString().isEmpty() ? tr("connection closed") : socket_.errorString());
  });
  // A refused handshake reports an error without a prompt `disconnected` (Qt 6.4's signal is
  // still named error; errorOccurred came in 6.5).
  connect(&socket_, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
          [this](QAbstractSocket::SocketError) { lost(socket_.errorString()); });
}

WsTransport::~WsTransport() {
  blockSignals(true);  // a destructor reports nothing
  close();
}

void WsTransport::open(const QUrl& base, const QStringList& symbols) {
  close();
  base_ = base;
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
  stop();
  socket_.abort();
}

void WsTransport::attempt() {
  QUrl url = base_;
  url.setScheme(base_.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                         : QStringLiteral("ws"));
  url.setPath(base_.path() + QStringLiteral("/v1/ws"));
  socket_.open(url);
}

void WsTransport::lost(const QString& why) {
  if (state() == State::Idle || state() == State::Waiting) return;
  socket_.abort();
  failed(why);
}

void WsTransport::send(const char* action, const QStringList& symbols) {
  if (symbols.isEmpty()) return;
  const QJsonObject msg{{QStringLiteral("action"), QString::fromLatin1(action)},
                        {QStringLiteral("symbols"), QJsonArray::fromStringList(symbols)}};
  socket_.sendTextMessage(QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
}

void WsTransport::onMessage(const QString& text) {
  const QByteArray utf8 = text.toUtf8();
  auto m = decode_ws_message(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
  if (!m) return;
  if (m->type == "quote") Q_EMIT quotes(m->quotes, false);
  else if (m->type == "snapshot") Q_EMIT quotes(m->quotes, true);
  else if (m->type == "error") setLastError(QString::fromStdString(m->error + ": " + m->detail));
  else if (m->type == "status") Q_EMIT dataStale(m->state == "stale");
}

}  // namespace tickwire::desktop
