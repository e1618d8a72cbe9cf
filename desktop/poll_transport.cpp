#include "poll_transport.hpp"

#include <QNetworkReply>
#include <QUrlQuery>

#include "tickwire/quote_json.hpp"

namespace tickwire::desktop {

namespace {
constexpr int kWaitSeconds = 20;  // the server answers at once when something changed
}

PollTransport::PollTransport(QObject* parent) : RetryingTransport(parent) {}

PollTransport::~PollTransport() {
  blockSignals(true);
  close();
}

void PollTransport::open(const ServerAccess& server, const QStringList& symbols) {
  close();
  if (server.trust() != server_.trust()) nam_.clearConnectionCache();  // see ServerAccess::trust
  server_ = server;
  symbols_ = symbols;
  cursor_.clear();  // a new symbol set starts from a full answer
  begin();
}

int PollTransport::heartbeatMs() const { return kWaitSeconds * 1000; }

void PollTransport::close() {
  stop();
  if (reply_) {
    reply_->disconnect(this);
    reply_->abort();
    reply_->deleteLater();
  }
}

void PollTransport::attempt() {
  QUrlQuery query{{QStringLiteral("symbols"), symbols_.join(QLatin1Char(','))},
                  {QStringLiteral("wait"), QString::number(kWaitSeconds)}};
  if (!cursor_.isEmpty()) query.addQueryItem(QStringLiteral("since"), cursor_);
  QNetworkRequest req = server_.request(QStringLiteral("/v1/quotes"), query);
  req.setTransferTimeout((kWaitSeconds + 10) * 1000);
  tlsErrors_.clear();
  reply_ = nam_.get(req);
  connect(reply_, &QNetworkReply::sslErrors, this,
          [this](const QList<QSslError>& errors) { tlsErrors_ = errors; });
  connect(reply_, &QNetworkReply::finished, this, [this, reply = reply_.data()] {
    reply->deleteLater();
    if (reply != reply_) return;
    reply_ = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::SslHandshakeFailedError && !tlsErrors_.isEmpty()) {
      return refused(AccessProblem::fromTls(tlsErrors_));
    }
    const QByteArray body = reply->readAll();
    if (auto problem = AccessProblem::fromHttp(status, body)) return refused(problem);
    if (reply->error() != QNetworkReply::NoError || status != 200) {
      return failed(status ? tr("HTTP %1").arg(status) : reply->errorString());
    }
    auto answer =
        decode_poll_answer(std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
    if (!answer) return failed(tr("unreadable answer"));
    const bool first = cursor_.isEmpty();
    cursor_ = QString::fromStdString(answer->cursor);
    succeeded();
    Q_EMIT alive();
    if (!answer->quotes.empty() || first) Q_EMIT quotes(answer->quotes, first);
    Q_EMIT dataStale(answer->stale);
    // Every answer lists what is unavailable now: what left the list is carried again.
    QSet<QString> now;
    for (const auto& u : answer->unavailable) {
      const auto symbol = QString::fromStdString(u.symbol);
      now.insert(symbol);
      if (!unavailable_.contains(symbol)) Q_EMIT symbolStatus(symbol, QString::fromStdString(u.reason));
    }
    for (const auto& symbol : std::as_const(unavailable_)) {
      if (!now.contains(symbol)) Q_EMIT symbolStatus(symbol, QString());
    }
    unavailable_ = std::move(now);
    if (!answer->unknown.empty()) {
      QStringList list;
      for (const auto& s : answer->unknown) list << QString::fromStdString(s);
      Q_EMIT unknownSymbols(list);
    }
    attempt();  // the next long-poll at once
  });
}

}  // namespace tickwire::desktop
