#include "feed_client.hpp"

#include <QUrlQuery>
#include <cmath>

#include "tickwire/clock.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::desktop {

namespace {
constexpr int kOfflineAfterFailures = 4;
}

FeedClient::FeedClient(QuoteBook& book, QObject* parent) : QObject(parent), book_(book) {
  // The server sends a heartbeat every 15 s; three missed ones mean the link is dead.
  stream_.setIdleTimeoutMs(45000);
  connect(&stream_, &SseStream::event, this, &FeedClient::onEvent);
  connect(&stream_, &SseStream::stateChanged, this, [this] {
    if (stream_.state() == SseStream::State::Connected) failures_ = 0;
    if (stream_.state() == SseStream::State::Waiting) ++failures_;
    Q_EMIT statusChanged();
  });
  resubscribe_.setSingleShot(true);
  resubscribe_.setInterval(150);
  connect(&resubscribe_, &QTimer::timeout, this, [this] { restart(false); });
  tick_.setInterval(250);
  connect(&tick_, &QTimer::timeout, this, [this] {
    if (stream_.state() == SseStream::State::Waiting) Q_EMIT statusChanged();
    const double p50 = latency_.percentile(50), p99 = latency_.percentile(99);
    if (p50 != p50_ || p99 != p99_) {
      p50_ = p50;
      p99_ = p99;
      Q_EMIT latencyChanged();
    }
  });
  tick_.start();
}

void FeedClient::setServer(const QUrl& base) {
  base_ = base;
  latency_.clear();
  restart(false);
  Q_EMIT statusChanged();
}

void FeedClient::setSymbols(const QStringList& symbols) {
  QStringList unique = symbols;
  unique.removeDuplicates();
  if (QSet<QString>(unique.begin(), unique.end()) == QSet<QString>(symbols_.begin(), symbols_.end())) {
    return;
  }
  symbols_ = unique;
  resubscribe_.start();
}

void FeedClient::restart(bool resume) {
  if (!base_.isValid() || symbols_.isEmpty()) {
    stream_.close();
    Q_EMIT statusChanged();
    return;
  }
  QUrl url = base_;
  url.setPath(base_.path() + QStringLiteral("/v1/stream"));
  QUrlQuery query;
  query.addQueryItem(QStringLiteral("symbols"), symbols_.join(QLatin1Char(',')));
  url.setQuery(query);
  // A changed symbol set needs a full snapshot; only a dropped link resumes (SseStream does that).
  stream_.open(url, resume);
}

QString FeedClient::state() const {
  switch (stream_.state()) {
    case SseStream::State::Connected: return QStringLiteral("connected");
    case SseStream::State::Connecting: return QStringLiteral("connecting");
    case SseStream::State::Waiting:
      return failures_ >= kOfflineAfterFailures ? QStringLiteral("offline")
                                                : QStringLiteral("reconnecting");
    case SseStream::State::Idle: break;
  }
  return QStringLiteral("offline");
}

int FeedClient::reconnectIn() const {
  return static_cast<int>(std::ceil(stream_.retryInMs() / 1000.0));
}

void FeedClient::onEvent(const QString& type, const QByteArray& data) {
  const std::string_view text(data.constData(), static_cast<std::size_t>(data.size()));
  const auto now = unix_micros_now();
  auto take = [&](const Quote& q) {
    ++received_;
    // Only a tick that directly follows the one held measures the path's latency: a first
    // quote, or one after a gap, carries the time of a tick we never saw the moment of.
    const auto* held = book_.find(QString::fromStdString(q.symbol));
    if (held && q.seq == held->quote.seq + 1) {
      latency_.add(static_cast<double>(now - q.ts) / 1000.0);
    }
    book_.apply(q);
  };
  if (type == QLatin1String("quote")) {
    if (auto q = decode_quote(text)) take(*q);
  } else if (type == QLatin1String("snapshot")) {
    if (auto quotes = decode_snapshot(text)) {
      for (const auto& q : *quotes) {
        ++received_;
        book_.apply(q);  // snapshot quotes may be old: they are state, not latency samples
      }
    }
  }
}

}  // namespace tickwire::desktop
