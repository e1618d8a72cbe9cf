#include "cache/redis/redis_frontend_side.hpp"

#include <boost/asio/post.hpp>
#include <algorithm>
#include <future>
#include <spdlog/spdlog.h>

#include "cache/redis/pubsub_message.hpp"
#include "cache/redis/redis_keys.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::cache::redis {

namespace asio = boost::asio;

namespace {
std::vector<std::string> channels_of(const std::vector<std::string>& symbols) {
  std::vector<std::string> out;
  out.reserve(symbols.size());
  for (const auto& s : symbols) out.push_back(keys::quote_channel(s));
  return out;
}
}  // namespace

RedisFrontendSide::RedisFrontendSide(Link& link, ops::Registry& metrics, Configuration config)
    : link_(link),
      config_(config),
      timer_(link.executor()),
      demand_(config.demand_linger),
      received_(metrics.counter("tickwire_cache_fanout_total",
                                "Quote deliveries from the cache to frontends")),
      bad_messages_(metrics.counter("tickwire_cache_bad_messages_total",
                                    "Pub/sub messages or stored quotes that did not decode")),
      lease_lapses_(metrics.counter("tickwire_cache_lease_lapses_total",
                                    "Times this node's lease had expired when it renewed it")) {
  demanded_gauge_ = metrics.gauge_callback(
      "tickwire_cache_demanded_symbols", "Symbols this frontend demands (including lingering)", {},
      [this] { return static_cast<double>(demanded_count_.load()); });
  link_.on_ready([this] { on_ready(); });
  link_.on_lost([this] { on_lost(); });
  link_.on_message([this](const std::string& c, const std::string& p) { on_message(c, p); });
  link_.on_subscribed([this](const std::string& c) { on_subscribed(c); });
}

RedisFrontendSide::~RedisFrontendSide() = default;

void RedisFrontendSide::start() {
  asio::post(link_.executor(), [this] {
    link_.subscribe({keys::directory_changed});
    arm_timer();
  });
}

void RedisFrontendSide::stop() {
  asio::post(link_.executor(), [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void RedisFrontendSide::set_health(bool live) {
  if (live == live_) return;
  live_ = live;
  for (auto& [id, w] : health_watchers_) w(live);
}

void RedisFrontendSide::read_bars(const std::string& symbol, BarsReply done) {
  asio::post(link_.executor(), [this, symbol, done = std::move(done)]() mutable {
    auto shared = std::make_shared<BarsReply>(std::move(done));
    const bool sent = link_.command({"HVALS", keys::bars(symbol)}, [shared](const Reply& r) {
      if (r.kind != Reply::Kind::array) return (*shared)(std::nullopt);
      std::vector<Bar> bars;
      bars.reserve(r.elements.size());
      for (const auto& e : r.elements) {
        // A value another version wrote, or one damaged in Redis, is skipped, not served.
        if (auto b = decode_bar(e.str)) bars.push_back(*b);
      }
      std::sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.t < b.t; });
      (*shared)(std::move(bars));
    });
    if (!sent) (*shared)(std::nullopt);
  });
}

void RedisFrontendSide::watch_health(const std::string& frontend_id,
                                     std::function<void(bool live)> watcher) {
  asio::post(link_.executor(), [this, frontend_id, watcher = std::move(watcher)]() mutable {
    watcher(live_);
    health_watchers_[frontend_id] = std::move(watcher);
  });
}

void RedisFrontendSide::on_ready() {
  if (stopped_) return;
  register_demand();
  load_directory();
  // Channels the subscriber connection kept across a command-side outage did not lose
  // messages, but the dispatchers may not have been able to publish: read the latest again.
  std::vector<std::string> confirmed;
  for (const auto& s : demand_.demanded_symbols()) {
    if (link_.confirmed(keys::quote_channel(s))) confirmed.push_back(s);
  }
  fetch_latest(confirmed);
  set_health(true);
}

void RedisFrontendSide::on_lost() { set_health(false); }

void RedisFrontendSide::attach_frontend(const std::string& frontend_id, Sinks sinks) {
  asio::post(link_.executor(), [this, frontend_id, sinks = std::move(sinks)]() mutable {
    frontend_id_ = frontend_id;
    sinks_ = std::move(sinks);
    register_demand();
  });
}

void RedisFrontendSide::detach_frontend(const std::string& frontend_id) {
  // Synchronous (the caller may be destroyed next): run on the link's thread and wait, bounded;
  // if that thread no longer runs, nothing can call the frontend back anyway.
  if (link_.executor().running_in_this_thread()) return detach_now(frontend_id);
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  asio::post(link_.executor(), [this, frontend_id, done] {
    detach_now(frontend_id);
    done->set_value();
  });
  finished.wait_for(std::chrono::seconds(2));
}

void RedisFrontendSide::detach_now(const std::string& frontend_id) {
  health_watchers_.erase(frontend_id);
  {
    if (frontend_id != frontend_id_) return;
    if (link_.ready()) {
      // Give the demand back at once rather than letting the lease run out.
      link_.command({"ZREM", keys::frontends, frontend_id});
      link_.command({"DEL", keys::demand(frontend_id)});
      link_.command({"PUBLISH", keys::demand_changed, frontend_id});
    }
    link_.unsubscribe(channels_of(demand_.demanded_symbols()));
    demand_.release_frontend(frontend_id, DemandTable::Clock::now());
    demand_ = DemandTable(config_.demand_linger);
    demanded_count_ = 0;
    sinks_ = Sinks{};
    frontend_id_.clear();
  }
}

void RedisFrontendSide::register_demand() {
  if (frontend_id_.empty() || !link_.ready()) return;
  // The whole set in one step (Redis may have restarted empty), then the lease, then the news.
  std::vector<std::string> all = demand_.demanded_symbols();
  link_.eval(scripts::replace_set, {keys::demand(frontend_id_)}, all);
  renew_lease();
  link_.command({"PUBLISH", keys::demand_changed, frontend_id_});
}

void RedisFrontendSide::renew_lease() {
  if (frontend_id_.empty() || !link_.ready()) return;
  next_renewal_ = std::chrono::steady_clock::now() + config_.lease / 3;
  link_.eval(scripts::renew_lease, {keys::frontends, keys::demand(frontend_id_)},
             {frontend_id_, std::to_string(config_.lease.count()), keys::demand_changed},
             [this](const Reply& r) {
               if (r.kind != Reply::Kind::integer || r.integer != 1) return;
               // The lease had run out (this process stalled, or Redis lost it): the
               // dispatchers may have dropped our demand. Write it all again.
               if (stopped_) return;
               lease_lapses_.inc();
               std::vector<std::string> all = demand_.demanded_symbols();
               link_.eval(scripts::replace_set, {keys::demand(frontend_id_)}, all);
               link_.command({"PUBLISH", keys::demand_changed, frontend_id_});
             });
}

void RedisFrontendSide::add_demand(const std::string& frontend_id,
                                   const std::vector<std::string>& symbols) {
  asio::post(link_.executor(), [this, frontend_id, symbols] {
    if (frontend_id != frontend_id_ || stopped_) return;
    std::vector<std::string> fresh, known;
    for (const auto& s : symbols) {
      if (demand_.add(frontend_id, s)) {
        fresh.push_back(s);
      } else if (link_.confirmed(keys::quote_channel(s))) {
        known.push_back(s);
      }
    }
    demanded_count_ = static_cast<std::int64_t>(demand_.size());
    fetch_latest(known);
    if (fresh.empty()) return;
    // Their latest quotes are read once the subscriptions are confirmed (on_subscribed).
    link_.subscribe(channels_of(fresh));
    if (!link_.ready()) return;  // registered with everything else when the link is back
    std::vector<std::string> args{"SADD", keys::demand(frontend_id_)};
    args.insert(args.end(), fresh.begin(), fresh.end());
    link_.command(args);
    link_.command({"PUBLISH", keys::demand_changed, frontend_id_});
  });
}

void RedisFrontendSide::release_demand(const std::string& frontend_id,
                                       const std::vector<std::string>& symbols) {
  asio::post(link_.executor(), [this, frontend_id, symbols] {
    if (frontend_id != frontend_id_) return;
    const auto now = DemandTable::Clock::now();
    for (const auto& s : symbols) demand_.release(frontend_id, s, now);
  });
}

void RedisFrontendSide::arm_timer() {
  timer_.expires_after(config_.linger_check);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    expire_lingering();
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_renewal_) renew_lease();
    if (!directory() && now >= next_directory_try_) load_directory();
    arm_timer();
  });
}

void RedisFrontendSide::expire_lingering() {
  const auto gone = demand_.expire(DemandTable::Clock::now());
  if (gone.empty()) return;
  demanded_count_ = static_cast<std::int64_t>(demand_.size());
  link_.unsubscribe(channels_of(gone));
  if (!link_.ready() || frontend_id_.empty()) return;
  std::vector<std::string> args{"SREM", keys::demand(frontend_id_)};
  args.insert(args.end(), gone.begin(), gone.end());
  link_.command(args);
  link_.command({"PUBLISH", keys::demand_changed, frontend_id_});
}

void RedisFrontendSide::on_subscribed(const std::string& channel) {
  const auto symbol = quote_channel_symbol(channel);
  if (symbol && demand_.demanded(*symbol)) fetch_latest({*symbol});
}

void RedisFrontendSide::fetch_latest(const std::vector<std::string>& symbols) {
  for (const auto& s : symbols) {
    link_.command({"HMGET", keys::quote(s), "json", "unavailable"}, [this, s](const Reply& r) {
      if (r.kind != Reply::Kind::array || r.elements.size() != 2) return;
      if (r.elements[0].kind == Reply::Kind::string) on_quote(s, r.elements[0].str);
      if (r.elements[1].kind == Reply::Kind::string) on_status(s, r.elements[1].str);
    });
  }
}

void RedisFrontendSide::on_message(const std::string& channel, const std::string& payload) {
  auto symbol = quote_channel_symbol(channel);
  if (!symbol) {
    if (channel == keys::directory_changed) load_directory();
    return;
  }
  if (const auto reason = read_status_payload(payload)) return on_status(*symbol, *reason);
  on_quote(std::move(*symbol), payload);
}

void RedisFrontendSide::on_status(const std::string& symbol, std::string_view reason) {
  if (!sinks_.symbol_status || !demand_.demanded(symbol)) return;
  sinks_.symbol_status(SymbolStatus{symbol, std::string(reason)});
}

void RedisFrontendSide::on_quote(std::string symbol, std::string_view envelope) {
  if (!sinks_.quote || !demand_.demanded(symbol)) return;
  // The JSON bytes go on as the dispatcher encoded them: read the envelope's header, no DOM.
  auto q = from_envelope(std::move(symbol), envelope);
  if (!q) {
    bad_messages_.inc();
    spdlog::debug("redis frontend: a quote message is not an envelope: {}",
                  envelope.substr(0, 200));
    return;
  }
  received_.inc();
  sinks_.quote(*q);
}

void RedisFrontendSide::load_directory() {
  if (directory_loading_ || !link_.ready()) return;
  next_directory_try_ = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  directory_loading_ = link_.command({"GET", keys::directory}, [this](const Reply& r) {
    directory_loading_ = false;
    if (r.kind != Reply::Kind::string || r.str == directory_json_) return;
    std::string error;
    auto dir = SymbolDirectory::from_json(r.str, &error);
    if (!dir) {
      bad_messages_.inc();
      spdlog::error("redis frontend: stored symbol directory does not decode: {}", error);
      return;
    }
    spdlog::info("redis frontend: symbol directory loaded ({} symbols)", dir->size());
    directory_json_ = r.str;
    std::lock_guard lock(directory_mu_);
    directory_ = std::make_shared<SymbolDirectory>(std::move(*dir));
  });
}

std::shared_ptr<const SymbolDirectory> RedisFrontendSide::directory() const {
  std::lock_guard lock(directory_mu_);
  return directory_;
}

}  // namespace tickwire::cache::redis
