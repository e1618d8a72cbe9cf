#include "feed_client.hpp"

#include <QNetworkReply>
#include <cmath>

#include "poll_transport.hpp"
#include "sse_transport.hpp"
#include "tickwire/clock.hpp"
#include "ws_transport.hpp"

namespace tickwire::desktop {

namespace {
constexpr int kOfflineAfterFailures = 4;
constexpr int kTriesOnceConnected = 3;
}  // namespace

FeedClient::FeedClient(QuoteBook& book, QObject* parent) : QObject(parent), book_(book) {
  transports_.push_back(std::make_unique<SseTransport>());
  transports_.push_back(std::make_unique<WsTransport>());
  transports_.push_back(std::make_unique<PollTransport>());
  for (auto& t : transports_) {
    connect(t.get(), &QuoteTransport::stateChanged, this, &FeedClient::onTransportState);
    connect(t.get(), &QuoteTransport::quotes, this, &FeedClient::onQuotes);
    connect(t.get(), &QuoteTransport::symbolStatus, this,
            [this, from = t.get()](const QString& symbol, const QString& reason) {
              if (from == transports_[active_].get()) book_.setUnavailable(symbol, reason);
            });
    connect(t.get(), &QuoteTransport::unknownSymbols, this,
            [this, from = t.get()](const QStringList& symbols) {
              if (from != transports_[active_].get()) return;
              for (const auto& s : symbols) book_.setUnavailable(s, QStringLiteral("unknown_symbol"));
            });
    connect(t.get(), &QuoteTransport::alive, this, [this, from = t.get()] {
      if (from == transports_[active_].get()) heard_.start();
    });
    connect(t.get(), &QuoteTransport::dataStale, this, [this, from = t.get()](bool stale) {
      if (from != transports_[active_].get() || stale == stale_) return;
      stale_ = stale;
      Q_EMIT statusChanged();
    });
  }
  resubscribe_.setSingleShot(true);
  resubscribe_.setInterval(150);
  connect(&resubscribe_, &QTimer::timeout, this, [this] {
    if (active().state() == QuoteTransport::State::Refused) {
      // Other symbols may be entitled; a refused token stays refused whatever the symbols.
      const auto kind = active().problem().kind;
      if (kind == AccessProblem::Kind::Forbidden || kind == AccessProblem::Kind::BadRequest) start();
      return;
    }
    if (active().state() == QuoteTransport::State::Idle) return start();
    active().setSymbols(symbols_);
  });
  tick_.setInterval(250);
  connect(&tick_, &QTimer::timeout, this, &FeedClient::onTick);
  tick_.start();
}

void FeedClient::onTick() {
  bool status = active().state() == QuoteTransport::State::Waiting;  // the countdown moves
  // Connected and silent past the interval: the server (or the path to it) stopped, though the
  // connection is still up (a paused process, a dead NAT mapping). The transport's own idle
  // watchdog closes it later; until then the user is told at once.
  int silent = 0;
  if (active().state() == QuoteTransport::State::Connected && heard_.isValid() &&
      heard_.elapsed() > silenceLimitMs(active().heartbeatMs())) {
    silent = static_cast<int>(heard_.elapsed() / 1000);
  }
  if (silent != silentFor_) {
    silentFor_ = silent;
    status = true;
  }
  if (status) Q_EMIT statusChanged();
  const double p50 = latency_.percentile(50), p99 = latency_.percentile(99);
  const int age = lastSample_.isValid() ? static_cast<int>(lastSample_.elapsed() / 1000) : 0;
  if (p50 != p50_ || p99 != p99_ || age != latencyAge_) {
    p50_ = p50;
    p99_ = p99;
    latencyAge_ = age;
    Q_EMIT latencyChanged();
  }
}

FeedClient::~FeedClient() {
  for (auto& t : transports_) t->disconnect(this);  // transports close as they go
}

void FeedClient::setServer(const ServerAccess& server) {
  if (server.trust() != server_.trust()) nam_.clearConnectionCache();  // see ServerAccess::trust
  server_ = server;
  caProblem_ = server.secure() && !server.caProblem().isEmpty()
                   ? AccessProblem::badCaFile(server.caProblem())
                   : AccessProblem{};
  latency_.clear();
  lastSample_.invalidate();
  active().close();
  active_ = 0;  // a new server: try the preferred transport first
  failures_ = 0;
  server_seen_alive_ = false;
  start();
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

void FeedClient::start() {
  if (!server_.isValid() || symbols_.isEmpty() || caProblem_) {
    active().close();
    Q_EMIT statusChanged();
    return;
  }
  active().open(server_, symbols_);
}

AccessProblem FeedClient::refusal() const {
  if (caProblem_) return caProblem_;
  return active().state() == QuoteTransport::State::Refused ? active().problem() : AccessProblem{};
}

int FeedClient::connectionAttempts() const {
  int sum = 0;
  for (const auto& t : transports_) sum += t->attempts();
  return sum;
}

void FeedClient::onTransportState() {
  auto* t = qobject_cast<QuoteTransport*>(sender());
  if (t != transports_[active_].get()) return;  // a transport we left
  if (t->state() == QuoteTransport::State::Connected) {
    failures_ = 0;
    server_seen_alive_ = false;
    heard_.start();
  }
  // A new connection starts live; a stale server says so right after its snapshot.
  if (t->state() != QuoteTransport::State::Connected) stale_ = false;
  if (t->state() == QuoteTransport::State::Waiting) {
    ++failures_;
    if (!t->everConnected() || t->failures() >= kTriesOnceConnected) fallBackIfServerAnswers();
  }
  Q_EMIT statusChanged();
}

void FeedClient::fallBackIfServerAnswers() {
  if (probing_) return;
  probing_ = true;
  QNetworkRequest req = server_.request(QStringLiteral("/healthz"));
  req.setTransferTimeout(2000);
  auto* reply = nam_.get(req);
  const auto tried = active_;
  connect(reply, &QNetworkReply::finished, this, [this, reply, tried] {
    reply->deleteLater();
    probing_ = false;
    const bool alive = reply->error() == QNetworkReply::NoError &&
                       reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    if (tried != active_ || active().state() == QuoteTransport::State::Connected ||
        active().state() == QuoteTransport::State::Refused) {
      return;  // moved on, connected, or refused: a refusal is no reason to switch
    }
    if (!alive) {
      server_seen_alive_ = false;  // down: keep retrying this transport
      return;
    }
    if (!server_seen_alive_) {
      server_seen_alive_ = true;  // refused, or just came up: its next failure decides
      return;
    }
    server_seen_alive_ = false;
    active().close();
    active_ = (active_ + 1) % transports_.size();
    start();
    Q_EMIT statusChanged();
  });
}

QString FeedClient::state() const {
  if (const auto problem = refusal()) {
    if (problem.kind == AccessProblem::Kind::Untrusted) return QStringLiteral("untrusted");
    if (problem.kind == AccessProblem::Kind::BadRequest) return QStringLiteral("refused");
    return QStringLiteral("unauthorized");
  }
  switch (active().state()) {
    case QuoteTransport::State::Connected: return QStringLiteral("connected");
    case QuoteTransport::State::Connecting:
      return failures_ >= kOfflineAfterFailures ? QStringLiteral("offline")
                                                : QStringLiteral("connecting");
    case QuoteTransport::State::Waiting:
      return failures_ >= kOfflineAfterFailures ? QStringLiteral("offline")
                                                : QStringLiteral("reconnecting");
    case QuoteTransport::State::Refused:  // answered by refusal() above
    case QuoteTransport::State::Idle: break;
  }
  return QStringLiteral("offline");
}

QString FeedClient::transport() const { return active().name(); }

QString FeedClient::lastError() const {
  if (const auto problem = refusal()) return problem.message;  // for the user as it is
  for (const auto& t : transports_) {
    if (!t->lastError().isEmpty()) return t->name() + QStringLiteral(": ") + t->lastError();
  }
  return {};
}

int FeedClient::reconnectIn() const {
  return static_cast<int>(std::ceil(active().retryInMs() / 1000.0));
}

void FeedClient::onQuotes(const std::vector<Quote>& quotes, bool snapshot) {
  if (sender() != transports_[active_].get()) return;
  heard_.start();
  const auto now = unix_micros_now();
  for (const auto& q : quotes) {
    ++received_;
    // Only a tick that directly follows the one held measures the path's latency: a snapshot,
    // a first quote or one after a gap carries the time of a tick we did not see happen.
    const auto* held = book_.find(QString::fromStdString(q.symbol));
    if (!snapshot && held && q.seq == held->quote.seq + 1) {
      latency_.add(static_cast<double>(now - q.ts) / 1000.0);
      lastSample_.start();
    }
    book_.apply(q);
  }
}

}  // namespace tickwire::desktop
