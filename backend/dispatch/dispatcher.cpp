#include "dispatch/dispatcher.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "dispatch/rendezvous.hpp"
#include "net/http_get.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::dispatch {

namespace asio = boost::asio;

namespace {
std::string stream_target(const std::string& prefix, const std::vector<std::string>& symbols) {
  // Symbols are [A-Z0-9.-] only: nothing to percent-encode.
  std::string t = prefix + "/v1/stream?symbols=";
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i) t += ',';
    t += symbols[i];
  }
  return t;
}
}  // namespace

Dispatcher::Dispatcher(asio::any_io_executor ex, cache::DispatchSide& cache,
                       ops::Registry& metrics, Configuration config)
    : ex_(ex),
      cache_(cache),
      config_(std::move(config)),
      reconcile_timer_(ex),
      directory_timer_(ex),
      upstream_symbols_(metrics.gauge("tickwire_dispatch_upstream_symbols",
                                      "Symbols this process subscribes upstream")),
      upstream_connections_(metrics.gauge("tickwire_dispatch_upstream_connections",
                                          "Upstream SSE connections (subscription groups)")),
      reconnects_(metrics.counter("tickwire_dispatch_upstream_reconnects_total",
                                  "Upstream connections lost or refused, each followed by a "
                                  "reconnect with backoff")),
      seq_gaps_(metrics.counter("tickwire_dispatch_seq_gaps_total",
                                "Quotes whose seq skipped ahead of the last one seen")),
      missed_ticks_(metrics.counter("tickwire_dispatch_missed_ticks_total",
                                    "Sum of the seq numbers skipped in those gaps")),
      quotes_in_(metrics.counter("tickwire_dispatch_quotes_total",
                                 "Quotes received from upstream")),
      stale_(metrics.counter("tickwire_dispatch_stale_quotes_total",
                             "Upstream quotes dropped as duplicates or older than held")),
      bad_events_(metrics.counter("tickwire_dispatch_bad_events_total",
                                  "Upstream events that did not decode as quotes")),
      resubscribes_(metrics.counter("tickwire_dispatch_resubscribes_total",
                                    "Groups reconnected with a smaller symbol list")) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::start() {
  cache_.join_dispatchers(config_.id, [this](const std::vector<std::string>& members) {
    asio::post(ex_, [this, members] { on_members(members); });
  });
  cache_.watch_demand([this](const cache::DemandChange& change) {
    asio::post(ex_, [this, change] { on_demand(change); });
  });
  asio::post(ex_, [this] { load_directory(); });
  spdlog::info("dispatch {}: upstream {}", config_.id, config_.upstream.str());
}

void Dispatcher::stop() {
  cache_.leave_dispatchers(config_.id);
  asio::post(ex_, [this] {
    stopped_ = true;
    reconcile_timer_.cancel();
    directory_timer_.cancel();
    for (auto& [id, g] : groups_) g.client->stop();
    groups_.clear();
    group_of_.clear();
    upstream_symbols_.set(0);
    upstream_connections_.set(0);
  });
}

void Dispatcher::on_demand(const cache::DemandChange& change) {
  for (const auto& s : change.added) demanded_.insert(s);
  for (const auto& s : change.removed) demanded_.erase(s);
  schedule_reconcile();
}

void Dispatcher::on_members(std::vector<std::string> members) {
  members_ = std::move(members);
  schedule_reconcile();
}

void Dispatcher::schedule_reconcile() {
  if (reconcile_pending_ || stopped_) return;
  reconcile_pending_ = true;
  reconcile_timer_.expires_after(config_.batch_delay);
  reconcile_timer_.async_wait([this](boost::system::error_code ec) {
    reconcile_pending_ = false;
    if (!ec && !stopped_) reconcile();
  });
}

void Dispatcher::reconcile() {
  // What we should hold: demanded symbols this dispatcher owns.
  std::set<std::string> wanted;
  for (const auto& s : demanded_) {
    if (rendezvous_owner(s, members_) == config_.id) wanted.insert(s);
  }

  // Removals, group by group.
  std::map<std::uint64_t, std::vector<std::string>> leaving;
  for (const auto& [symbol, gid] : group_of_) {
    if (!wanted.contains(symbol)) leaving[gid].push_back(symbol);
  }
  for (auto& [gid, symbols] : leaving) {
    auto& g = groups_.at(gid);
    for (const auto& s : symbols) {
      group_of_.erase(s);
      sequences_.forget(s);
      std::erase(g.symbols, s);
    }
    const auto resume_from = g.client->last_event_id();
    g.client->stop();
    auto rest = std::move(g.symbols);
    groups_.erase(gid);
    if (!rest.empty()) {
      resubscribes_.inc();
      open_group(std::move(rest), resume_from);
    }
  }

  // Additions go to new groups: streams already open stay untouched.
  std::vector<std::string> batch;
  for (const auto& s : wanted) {
    if (group_of_.contains(s)) continue;
    batch.push_back(s);
    if (batch.size() == config_.group_size) open_group(std::exchange(batch, {}), {});
  }
  if (!batch.empty()) open_group(std::move(batch), {});

  upstream_symbols_.set(static_cast<std::int64_t>(group_of_.size()));
  upstream_connections_.set(static_cast<std::int64_t>(groups_.size()));
}

void Dispatcher::open_group(std::vector<std::string> symbols, const std::string& resume_from) {
  const auto gid = next_group_++;
  net::SseClient::Configuration cc;
  cc.host = config_.upstream.host;
  cc.port = config_.upstream.port;
  cc.target = stream_target(config_.upstream.path_prefix, symbols);
  cc.idle_timeout = config_.idle_timeout;
  cc.backoff_max = config_.backoff_max;
  net::SseClient::Callbacks cb;
  cb.on_event = [this, gid](const sse::Event& e) { on_event(gid, e); };
  cb.on_connected = [this, gid] {
    if (auto it = groups_.find(gid); it != groups_.end()) it->second.connected = true;
  };
  cb.on_disconnected = [this, gid](const std::string& why) {
    const auto it = groups_.find(gid);
    if (it == groups_.end()) return;
    reconnects_.inc();
    // One line per loss; a feed that stays down logs once per backoff round, at most every 5 s.
    spdlog::warn("dispatch: upstream group {} ({} symbols) {}; reconnecting", gid,
                 it->second.symbols.size(), why);
    it->second.connected = false;
  };
  for (const auto& s : symbols) group_of_[s] = gid;
  auto client = std::make_shared<net::SseClient>(ex_, std::move(cc), std::move(cb));
  groups_[gid] = Group{std::move(symbols), client, false};
  client->start(resume_from);
}

void Dispatcher::on_event(std::uint64_t group_id, const sse::Event& event) {
  if (!groups_.contains(group_id)) return;  // a group replaced a moment ago
  std::string error;
  if (event.type == "quote") {
    if (auto q = decode_quote(event.data, &error)) return accept(*q);
  } else if (event.type == "snapshot") {
    if (auto quotes = decode_snapshot(event.data, &error)) {
      for (const auto& q : *quotes) accept(q);
      return;
    }
  } else {
    return;  // other event types are not ours to read (SSE lets servers add them)
  }
  bad_events_.inc();
  spdlog::debug("dispatch: bad upstream {} event: {}", event.type, error);
}

void Dispatcher::accept(const Quote& q) {
  quotes_in_.inc();
  if (!group_of_.contains(q.symbol)) return;  // not (or no longer) ours
  const auto r = sequences_.accept(q.symbol, q.seq);
  if (r.verdict == SequenceTracker::Verdict::stale) {
    stale_.inc();
    return;
  }
  if (r.verdict == SequenceTracker::Verdict::gap) {
    seq_gaps_.inc();
    missed_ticks_.inc(r.missed);
  }
  // Encoded here, once: every tier after this one passes these bytes on as they are.
  cache_.publish(EncodedQuote::encode(q));
}

void Dispatcher::load_directory() {
  if (stopped_) return;
  net::http_get(ex_, config_.upstream.host, config_.upstream.port,
                config_.upstream.path_prefix + "/v1/symbols", std::chrono::seconds(10),
                64 * 1024 * 1024, [this](net::HttpGetResult r) {
                  if (stopped_) return;
                  std::string error = r.error;
                  if (error.empty() && r.status != 200) {
                    error = "status " + std::to_string(r.status);
                  }
                  if (error.empty()) {
                    if (auto dir = SymbolDirectory::from_json(r.body, &error)) {
                      spdlog::info("dispatch: loaded {} symbols from upstream", dir->size());
                      cache_.set_directory(std::make_shared<SymbolDirectory>(std::move(*dir)));
                      return;
                    }
                  }
                  spdlog::warn("dispatch: symbol directory not loaded ({}); retrying in 2 s",
                               error);
                  directory_timer_.expires_after(std::chrono::seconds(2));
                  directory_timer_.async_wait([this](boost::system::error_code ec) {
                    if (!ec) load_directory();
                  });
                });
}

}  // namespace tickwire::dispatch
