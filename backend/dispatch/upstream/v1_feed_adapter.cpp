#include "dispatch/upstream/v1_feed_adapter.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <string_view>

#include "net/http_get.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::dispatch {

namespace asio = boost::asio;

namespace {
// Event ids of the v1 contract are "EPOCH.N"; an id without that shape names no epoch (0).
std::uint64_t epoch_of(std::string_view id) {
  const auto dot = id.find('.');
  std::uint64_t epoch = 0;
  if (dot == std::string_view::npos) return 0;
  const auto r = std::from_chars(id.data(), id.data() + dot, epoch);
  return r.ec == std::errc() && r.ptr == id.data() + dot ? epoch : 0;
}

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

V1FeedAdapter::V1FeedAdapter(asio::any_io_executor ex, ops::Registry& metrics,
                             Configuration config)
    : ex_(ex),
      config_(std::move(config)),
      directory_timer_(ex),
      upstream_connections_(metrics.gauge("tickwire_dispatch_upstream_connections",
                                          "Upstream connections (v1: SSE subscription groups)")),
      reconnects_(metrics.counter("tickwire_dispatch_upstream_reconnects_total",
                                  "Upstream connections lost or refused, each followed by a "
                                  "reconnect with backoff")),
      epoch_changes_(metrics.counter("tickwire_dispatch_upstream_epoch_changes_total",
                                     "Upstream connections that saw the feed start a new life "
                                     "(a new epoch in its event ids: it restarted)")),
      bad_events_(metrics.counter("tickwire_dispatch_bad_events_total",
                                  "Upstream messages that could not be read (malformed, or not "
                                  "what the protocol allows there)")),
      resubscribes_(metrics.counter("tickwire_dispatch_resubscribes_total",
                                    "Groups reconnected with a smaller symbol list")),
      backfill_failures_(metrics.counter("tickwire_dispatch_backfill_failures_total",
                                         "Symbols whose bars could not be loaded from the "
                                         "provider's history (their chart starts later)")),
      backfill_pending_(metrics.gauge("tickwire_dispatch_backfill_pending",
                                      "Newly held symbols whose history is queued or being "
                                      "loaded from the upstream (v1 feed)")) {}

V1FeedAdapter::~V1FeedAdapter() = default;

void V1FeedAdapter::start(Events events) {
  events_ = std::move(events);
  load_directory();
}

void V1FeedAdapter::stop() {
  stopped_ = true;
  directory_timer_.cancel();
  for (auto& [id, g] : groups_) g.client->stop();
  groups_.clear();
  group_of_.clear();
  backfills_.clear();
  update_gauges();
}

void V1FeedAdapter::subscribe(const std::vector<std::string>& symbols) {
  if (stopped_) return;
  // New symbols go to new groups: streams already open stay untouched.
  std::vector<std::string> batch;
  for (const auto& s : symbols) {
    if (group_of_.contains(s)) continue;
    batch.push_back(s);
    if (batch.size() == config_.group_size) open_group(std::exchange(batch, {}), {});
  }
  if (!batch.empty()) open_group(std::move(batch), {});
  update_gauges();
}

void V1FeedAdapter::unsubscribe(const std::vector<std::string>& symbols) {
  if (stopped_) return;
  std::map<std::uint64_t, std::vector<std::string>> leaving;
  for (const auto& s : symbols) {
    if (const auto it = group_of_.find(s); it != group_of_.end()) leaving[it->second].push_back(s);
  }
  for (auto& [gid, gone] : leaving) {
    auto& g = groups_.at(gid);
    for (const auto& s : gone) {
      group_of_.erase(s);
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
  update_gauges();
}

void V1FeedAdapter::update_gauges() {
  upstream_connections_.set(static_cast<std::int64_t>(groups_.size()));
}

void V1FeedAdapter::open_group(std::vector<std::string> symbols, const std::string& resume_from) {
  const auto gid = next_group_++;
  net::SseClient::Configuration cc;
  cc.host = config_.url.host;
  cc.port = config_.url.port;
  cc.target = stream_target(config_.url.path_prefix, symbols);
  cc.idle_timeout = config_.idle_timeout;
  cc.backoff_max = config_.backoff_max;
  net::SseClient::Callbacks cb;
  cb.on_event = [this, gid](const sse::Event& e) { on_event(gid, e); };
  cb.on_disconnected = [this, gid](const std::string& why) {
    const auto it = groups_.find(gid);
    if (it == groups_.end()) return;
    reconnects_.inc();
    // One line per loss; a feed that stays down logs once per backoff round, at most every 5 s.
    spdlog::warn("dispatch: upstream group {} ({} symbols) {}; reconnecting", gid,
                 it->second.symbols.size(), why);
  };
  for (const auto& s : symbols) group_of_[s] = gid;
  auto client = std::make_shared<net::SseClient>(ex_, std::move(cc), std::move(cb));
  groups_[gid] = Group{std::move(symbols), client};
  client->start(resume_from);
}

void V1FeedAdapter::on_event(std::uint64_t group_id, const sse::Event& event) {
  const auto group = groups_.find(group_id);
  if (group == groups_.end()) return;  // a group replaced a moment ago
  if (event.type != "quote" && event.type != "snapshot") {
    return;  // other event types are not ours to read (SSE lets servers add them)
  }
  const auto epoch = epoch_of(event.id);
  std::string error;
  if (event.type == "quote") {
    if (auto q = decode_quote(event.data, &error)) {
      note_epoch(group->first, group->second, epoch);
      return accept(*q, epoch);
    }
  } else {
    if (auto quotes = decode_snapshot(event.data, &error)) {
      note_epoch(group->first, group->second, epoch);
      for (const auto& q : *quotes) accept(q, epoch);
      return;
    }
  }
  bad_events_.inc();
  spdlog::debug("dispatch: bad upstream {} event: {}", event.type, error);
}

void V1FeedAdapter::note_epoch(std::uint64_t group_id, Group& group, std::uint64_t epoch) {
  if (epoch == group.epoch) return;
  if (group.epoch != 0) {
    epoch_changes_.inc();
    spdlog::warn("dispatch: upstream group {} restarted (epoch {} -> {}); following its new "
                 "numbering",
                 group_id, group.epoch, epoch);
  }
  group.epoch = epoch;
}

void V1FeedAdapter::accept(const Quote& q, std::uint64_t epoch) {
  if (!group_of_.contains(q.symbol)) return;  // not (or no longer) ours
  events_.quote({q, epoch});
}

void V1FeedAdapter::backfill(const std::vector<std::string>& symbols, BarsFound found) {
  if (!has_bars_ || stopped_) return;
  for (const auto& s : symbols) backfills_.emplace_back(s, found);
  show_backfill_pending();
  while (backfills_running_ < kBackfillsAtOnce && !backfills_.empty()) next_backfill();
}

void V1FeedAdapter::show_backfill_pending() {
  backfill_pending_.set(static_cast<std::int64_t>(backfills_.size() + backfills_running_));
}

void V1FeedAdapter::next_backfill() {
  // Symbols let go of while they waited are not asked for.
  while (!backfills_.empty() && !group_of_.contains(backfills_.front().first)) {
    backfills_.pop_front();
  }
  if (backfills_.empty()) return show_backfill_pending();
  // Not a structured binding: clang before 16 cannot capture one in the lambda below.
  std::string symbol = std::move(backfills_.front().first);
  BarsFound found = std::move(backfills_.front().second);
  backfills_.pop_front();
  ++backfills_running_;
  net::http_get(
      ex_, config_.url.host, config_.url.port,
      config_.url.path_prefix + "/v1/bars?symbol=" + symbol + "&interval=1m",
      std::chrono::seconds(10), 1 << 20,
      [this, symbol, found = std::move(found)](net::HttpGetResult r) {
        if (stopped_) return;
        --backfills_running_;
        std::string why = r.error;
        if (why.empty() && r.status == 404 && r.body.find("unknown_symbol") == std::string::npos) {
          // A v1 feed from before /v1/bars: nothing to ask it.
          spdlog::info("dispatch: the upstream has no /v1/bars; charts start at the first quote");
          has_bars_ = false;
          backfills_.clear();
          backfill_pending_.set(0);
          return;
        }
        if (why.empty() && r.status != 200) why = "status " + std::to_string(r.status);
        if (why.empty()) {
          if (auto doc = decode_bars(r.body, &why); doc && doc->symbol == symbol) {
            if (!doc->bars.empty()) found(symbol, std::move(doc->bars));
          } else if (doc) {
            why = "bars of another symbol";
          }
        }
        if (!why.empty()) {
          backfill_failures_.inc();
          // Hundreds of symbols subscribed at once fail alike: a line per 5 s, the metric
          // counts them all.
          if (const auto now = std::chrono::steady_clock::now(); now >= next_backfill_log_) {
            next_backfill_log_ = now + std::chrono::seconds(5);
            spdlog::warn("dispatch: bars of {} not loaded from upstream ({})", symbol, why);
          }
        }
        show_backfill_pending();
        if (!backfills_.empty()) next_backfill();
      });
}

void V1FeedAdapter::load_directory() {
  if (stopped_) return;
  net::http_get(ex_, config_.url.host, config_.url.port, config_.url.path_prefix + "/v1/symbols",
                std::chrono::seconds(10), 64 * 1024 * 1024, [this](net::HttpGetResult r) {
                  if (stopped_) return;
                  std::string error = r.error;
                  if (error.empty() && r.status != 200) {
                    error = "status " + std::to_string(r.status);
                  }
                  if (error.empty()) {
                    if (auto dir = SymbolDirectory::from_json(r.body, &error)) {
                      spdlog::info("dispatch: loaded {} symbols from upstream", dir->size());
                      events_.directory(std::make_shared<SymbolDirectory>(std::move(*dir)));
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
