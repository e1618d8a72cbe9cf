#include "sse_transport.hpp"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include "tickwire/quote_json.hpp"

namespace tickwire::desktop {

namespace {
// The shared codec reads the states live and stale; the others are read here.
QString stateOf(const QByteArray& status) {
  return QJsonDocument::fromJson(status).object().value(QLatin1String("state")).toString();
}
}  // namespace

SseTransport::SseTransport(QObject* parent) : QuoteTransport(parent) {
  // The server sends a heartbeat every 15 s (unless it says otherwise in the snapshot); three
  // missed ones mean the link is dead.
  stream_.setIdleTimeoutMs(3 * kDefaultHeartbeatMs);
  connect(&stream_, &SseStream::received, this, &QuoteTransport::alive);
  connect(&stream_, &SseStream::event, this, [this](const QString& type, const QByteArray& data) {
    const std::string_view text(data.constData(), static_cast<std::size_t>(data.size()));
    if (type == QLatin1String("quote")) {
      if (auto q = decode_quote(text)) Q_EMIT quotes({*q}, false);
    } else if (type == QLatin1String("snapshot")) {
      if (auto qs = decode_snapshot(text)) Q_EMIT quotes(*qs, true);
      if (const auto s = decode_snapshot_heartbeat(text); s > 0 && s <= 3600) {
        heartbeatMs_ = static_cast<int>(s) * 1000;
        stream_.setIdleTimeoutMs(3 * heartbeatMs_);
      }
      if (const auto unknown = decode_unknown_symbols(text); !unknown.empty()) {
        QStringList list;
        for (const auto& s : unknown) list << QString::fromStdString(s);
        Q_EMIT unknownSymbols(list);
      }
    } else if (type == QLatin1String("status")) {
      if (auto live = decode_status_live(text)) {
        Q_EMIT dataStale(!*live);
      } else if (auto st = decode_symbol_status(text)) {
        Q_EMIT symbolStatus(QString::fromStdString(st->symbol), QString::fromStdString(st->reason));
      } else if (stateOf(data) == QLatin1String("expired")) {
        // The token's exp passed; the server ends the stream after this. Reconnecting with
        // the same token would only be refused.
        stream_.refuse(AccessProblem::expired());
      }
    }
  });
  connect(&stream_, &SseStream::stateChanged, this, [this] {
    if (stream_.state() == SseStream::State::Connected) {
      failures_ = 0;
      everConnected_ = true;
    }
    if (stream_.state() == SseStream::State::Waiting) ++failures_;
    Q_EMIT stateChanged();
  });
}

void SseTransport::open(const ServerAccess& server, const QStringList& symbols) {
  server_ = server;
  failures_ = 0;
  everConnected_ = false;
  // A changed symbol set needs a full snapshot; a dropped link resumes (SseStream does that).
  stream_.open(server.request(QStringLiteral("/v1/stream"),
                              QUrlQuery{{QStringLiteral("symbols"), symbols.join(QLatin1Char(','))}}),
               false);
}

QuoteTransport::State SseTransport::state() const {
  switch (stream_.state()) {
    case SseStream::State::Connected: return State::Connected;
    case SseStream::State::Connecting: return State::Connecting;
    case SseStream::State::Waiting: return State::Waiting;
    case SseStream::State::Refused: return State::Refused;
    case SseStream::State::Idle: break;
  }
  return State::Idle;
}

}  // namespace tickwire::desktop
