#include "cache/redis/redis_dispatch_side.hpp"

#include <boost/asio/post.hpp>
#include <algorithm>
#include <charconv>
#include <spdlog/spdlog.h>

#include "cache/redis/pubsub_message.hpp"
#include "cache/redis/redis_keys.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::cache::redis {

namespace asio = boost::asio;

RedisDispatchSide::RedisDispatchSide(Link& link, ops::Registry& metrics, Configuration config)
    : link_(link),
      config_(config),
      demand_timer_(link.executor()),
      lease_timer_(link.executor()),
      exclusive_timer_(link.executor()),
      batch_timer_(link.executor()),
      published_(metrics.counter("tickwire_cache_quotes_total", "Quotes published to the cache")),
      publish_calls_(metrics.counter("tickwire_cache_publish_calls_total",
                                     "Calls to Redis that carried quotes (quotes per call: "
                                     "tickwire_cache_quotes_total over this)")),
      stale_(metrics.counter("tickwire_cache_stale_quotes_total",
                             "Quotes dropped because the cache held a newer seq")),
      deferred_(metrics.counter(
          "tickwire_cache_deferred_quotes_total",
          "Quotes held back while Redis was away or busy (the latest per symbol is sent later)")),
      lease_lapses_(metrics.counter("tickwire_cache_lease_lapses_total",
                                    "Times this node's lease had expired when it renewed it")),
      demanded_gauge_(metrics.gauge("tickwire_cache_fleet_demanded_symbols",
                                    "Symbols the live frontends demand, as this dispatcher last "
                                    "read them")),
      members_gauge_(metrics.gauge("tickwire_dispatch_live_dispatchers",
                                   "Dispatchers with a live lease, as this one last saw")),
      exclusive_lost_(metrics.counter("tickwire_cache_exclusive_lease_lost_total",
                                      "Times this node gave up an exclusive lease it held "
                                      "(taken by another node, or not confirmed in time)")),
      bar_store_failures_(metrics.counter("tickwire_cache_bar_store_failures_total",
                                          "Stores of one-minute bars Redis refused or lost with "
                                          "its connection (the bars are sent again)")) {
  link_.on_ready([this] { on_ready(); });
  link_.on_message([this](const std::string& channel, const std::string&) {
    if (stopped_) return;
    if (channel == keys::demand_changed) poll_demand();
    if (channel == keys::dispatchers_changed) read_members();
    if (channel == keys::exclusive_changed) claim_exclusive();
  });
}

RedisDispatchSide::~RedisDispatchSide() = default;

void RedisDispatchSide::start() {
  asio::post(link_.executor(), [this] {
    link_.subscribe({keys::demand_changed, keys::dispatchers_changed, keys::exclusive_changed});
    arm_demand_timer();
  });
}

void RedisDispatchSide::stop() {
  asio::post(link_.executor(), [this] {
    stopped_ = true;
    demand_timer_.cancel();
    lease_timer_.cancel();
    exclusive_timer_.cancel();
    // What waits for the publish window goes now, ahead of the link's own shutdown (posted
    // after this), not from the cancelled timer's handler, which could run after it.
    if (batch_posted_ && config_.publish_window.count() > 0) {
      batch_posted_ = false;
      send_batch();
    }
    batch_timer_.cancel();
  });
}

void RedisDispatchSide::on_ready() {
  if (stopped_) return;
  const auto now = std::chrono::steady_clock::now();
  claims_after_ = ever_ready_ ? now + config_.lease : now;
  ever_ready_ = true;
  claim_exclusive();
  removals_after_ = std::chrono::steady_clock::now() + config_.lease;
  if (!dispatcher_id_.empty()) renew_lease();
  store_directory();
  // Redis may have restarted empty: give it every latest quote this dispatcher holds.
  for (const auto& [symbol, q] : latest_) resend_later(symbol);
  flush_dirty();
  for (const auto& [symbol, reason] : statuses_) send_symbol_status(symbol, reason);
  send_bars();
  poll_demand();
}

void RedisDispatchSide::publish(const EncodedQuote& q) {
  asio::post(link_.executor(), [this, q] {
    auto [it, inserted] = latest_.try_emplace(q.symbol, q);
    if (!inserted) {
      if (it->second.seq >= q.seq) return stale_.inc();
      it->second = q;
    }
    // The stored quote clears the symbol's status in Redis (publish_quotes).
    if (!statuses_.empty()) statuses_.erase(q.symbol);
    if (!link_.ready() || in_flight_ >= config_.max_pending) {
      // Kept as the symbol's latest and sent once Redis can take it; an older quote it
      // replaces here is conflated, as a slow client's would be.
      deferred_.inc();
      dirty_.insert(q.symbol);
      return;
    }
    if (!dirty_.empty()) {
      // Held-back quotes go first, each symbol's latest once (this one among them).
      dirty_.insert(q.symbol);
      return flush_dirty();
    }
    queue_quote(q);
  });
}

void RedisDispatchSide::queue_quote(const EncodedQuote& q) {
  // Every quote goes, in order (no conflation here: clients count what they miss by seq); the
  // quotes of one loop turn, or of one publish_window, go in one call.
  batch_.push_back(q);
  if (batch_.size() >= kQuotesPerCall) return send_batch();
  if (batch_posted_) return;
  batch_posted_ = true;
  if (config_.publish_window.count() == 0) {
    asio::post(link_.executor(), [this] {
      batch_posted_ = false;
      send_batch();
    });
    return;
  }
  batch_timer_.expires_after(config_.publish_window);
  batch_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // stop() sent what waited
    batch_posted_ = false;
    send_batch();
  });
}

void RedisDispatchSide::send_batch() {
  if (batch_.empty()) return;
  auto quotes = std::make_shared<std::vector<EncodedQuote>>(std::move(batch_));
  batch_.clear();
  std::vector<std::string> keys, args;
  keys.reserve(quotes->size());
  args.reserve(4 * quotes->size());
  for (const auto& q : *quotes) {
    keys.push_back(keys::quote(q.symbol));
    args.push_back(std::to_string(q.seq));
    args.push_back(to_envelope(q));
    args.push_back(keys::quote_channel(q.symbol));
    args.push_back(std::to_string(q.ts));
  }
  in_flight_ += quotes->size();
  const bool sent = link_.eval(scripts::publish_quotes, keys, args, [this, quotes](const Reply& r) {
    in_flight_ -= quotes->size();
    const bool answered = r.kind == Reply::Kind::array && r.elements.size() == quotes->size();
    for (std::size_t i = 0; i < quotes->size(); ++i) {
      const auto& symbol = (*quotes)[i].symbol;
      if (!answered) {
        resend_later(symbol);  // lost with the connection or refused: send again later
      } else if (const auto& e = r.elements[i]; e.kind == Reply::Kind::integer && e.integer == 1) {
        published_.inc();
      } else if (e.kind == Reply::Kind::array) {
        stale_.inc();
        report_rejection(symbol, e);
      } else {
        resend_later(symbol);
      }
    }
    if (!dirty_.empty() && link_.ready() && in_flight_ < config_.max_pending / 2) flush_dirty();
  });
  if (!sent) {
    in_flight_ -= quotes->size();
    for (const auto& q : *quotes) dirty_.insert(q.symbol);
    return;
  }
  publish_calls_.inc();
}

void RedisDispatchSide::report_rejection(const std::string& symbol, const Reply& r) {
  Rejection rejection{symbol};
  auto number = [](const Reply& e, auto& out) {
    const auto& s = e.str;
    return e.kind == Reply::Kind::string &&
           std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc();
  };
  if (r.elements.size() != 2 || !number(r.elements[0], rejection.held_seq) ||
      !number(r.elements[1], rejection.held_ts)) {
    spdlog::warn("redis: publish_quotes answered {} elements for {}; expected the held seq and ts",
                 r.elements.size(), symbol);
    return;
  }
  if (rejection_watcher_) rejection_watcher_(rejection);
}

void RedisDispatchSide::resend_later(const std::string& symbol) {
  const auto it = latest_.find(symbol);
  if (it != latest_.end() && std::any_of(batch_.begin(), batch_.end(), [&](const EncodedQuote& q) {
        return q.seq == it->second.seq && q.symbol == symbol;
      })) {
    return;
  }
  dirty_.insert(symbol);
}

void RedisDispatchSide::flush_dirty() {
  if (!link_.ready()) return;
  auto dirty = std::move(dirty_);
  dirty_.clear();
  for (const auto& symbol : dirty) {
    if (const auto it = latest_.find(symbol); it != latest_.end()) queue_quote(it->second);
  }
}

void RedisDispatchSide::watch_rejections(std::function<void(const Rejection&)> watcher) {
  asio::post(link_.executor(),
             [this, watcher = std::move(watcher)]() mutable { rejection_watcher_ = std::move(watcher); });
}

void RedisDispatchSide::watch_demand(std::function<void(const DemandChange&)> watcher) {
  asio::post(link_.executor(), [this, watcher = std::move(watcher)]() mutable {
    demand_watcher_ = std::move(watcher);
    if (demand_known_) {
      DemandChange now;
      now.added.assign(demanded_.begin(), demanded_.end());
      demand_watcher_(now);
    }
    poll_demand();
  });
}

void RedisDispatchSide::arm_demand_timer() {
  demand_timer_.expires_after(config_.demand_poll);
  demand_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    poll_demand();
    arm_demand_timer();
  });
}

void RedisDispatchSide::poll_demand() {
  if (stopped_ || !link_.ready()) return;
  if (demand_in_flight_) {
    demand_again_ = true;  // a change announced while reading: read once more after this
    return;
  }
  demand_in_flight_ = link_.eval(
      scripts::demand_union, {keys::frontends}, {keys::demand_prefix}, [this](const Reply& r) {
        demand_in_flight_ = false;
        if (stopped_) return;
        if (r.kind == Reply::Kind::array) {
          std::set<std::string> now;
          for (const auto& e : r.elements) now.insert(e.str);
          DemandChange change;
          for (const auto& s : now) {
            if (!demanded_.contains(s)) change.added.push_back(s);
          }
          const bool removals_allowed = std::chrono::steady_clock::now() >= removals_after_;
          for (const auto& s : demanded_) {
            if (now.contains(s)) continue;
            if (removals_allowed) {
              change.removed.push_back(s);
            } else {
              now.insert(s);  // kept until the frontends had a lease period to re-register
            }
          }
          for (const auto& s : change.removed) {
            latest_.erase(s);
            dirty_.erase(s);
          }
          demanded_ = std::move(now);
          demanded_gauge_.set(static_cast<std::int64_t>(demanded_.size()));
          const bool first = !demand_known_;
          demand_known_ = true;
          if (demand_watcher_ && (first || !change.added.empty() || !change.removed.empty())) {
            demand_watcher_(change);
          }
        }
        if (std::exchange(demand_again_, false)) poll_demand();
      });
}

void RedisDispatchSide::join_dispatchers(
    const std::string& dispatcher_id,
    std::function<void(const std::vector<std::string>&)> watcher) {
  asio::post(link_.executor(), [this, dispatcher_id, watcher = std::move(watcher)]() mutable {
    dispatcher_id_ = dispatcher_id;
    members_watcher_ = std::move(watcher);
    // Told once Redis has answered: until then this dispatcher owns nothing, so it never
    // subscribes a symbol another dispatcher holds.
    renew_lease();
    arm_lease_timer();
  });
}

void RedisDispatchSide::arm_lease_timer() {
  lease_timer_.expires_after(config_.lease / 3);
  lease_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    renew_lease();
    arm_lease_timer();
  });
}

void RedisDispatchSide::renew_lease() {
  if (stopped_ || dispatcher_id_.empty() || !link_.ready()) return;
  link_.eval(scripts::renew_lease, {keys::dispatchers, ""},
             {dispatcher_id_, std::to_string(config_.lease.count()), keys::dispatchers_changed},
             [this](const Reply& r) {
               if (r.kind == Reply::Kind::integer && r.integer == 0 && !members_known_) {
                 // Our very first registration found the id alive: this process restarted
                 // within the lease (harmless), or two dispatchers share the id and would both
                 // subscribe the same symbols (not harmless).
                 spdlog::warn("dispatch {}: this id already held a live lease (a restart within "
                              "the lease, or another dispatcher with the same --node-id: give "
                              "each its own)",
                              dispatcher_id_);
               }
               if (r.kind == Reply::Kind::integer && r.integer == 1 && members_known_) {
                 lease_lapses_.inc();
                 spdlog::warn("dispatch {}: lease had lapsed (Redis restarted, or this process "
                              "stalled); registered again",
                              dispatcher_id_);
               }
               read_members();
             });
}

void RedisDispatchSide::read_members() {
  if (stopped_ || !link_.ready() || members_in_flight_ || dispatcher_id_.empty()) return;
  members_in_flight_ = link_.eval(
      scripts::live_members, {keys::dispatchers}, {keys::dispatchers_changed},
      [this](const Reply& r) {
        members_in_flight_ = false;
        if (stopped_ || r.kind != Reply::Kind::array) return;
        std::vector<std::string> members;
        for (const auto& e : r.elements) members.push_back(e.str);
        // Our own renewal may still be on its way after a Redis restart: never leave ourselves
        // out (the lease is renewed in the same pipeline, just later).
        if (std::find(members.begin(), members.end(), dispatcher_id_) == members.end()) {
          members.push_back(dispatcher_id_);
        }
        std::sort(members.begin(), members.end());
        if (members_known_ && members == members_) return;
        if (members_known_) {
          spdlog::info("dispatch {}: {} live dispatchers (was {})", dispatcher_id_,
                       members.size(), members_.size());
        }
        members_ = std::move(members);
        members_known_ = true;
        members_gauge_.set(static_cast<std::int64_t>(members_.size()));
        if (members_watcher_) members_watcher_(members_);
      });
}

void RedisDispatchSide::leave_dispatchers(const std::string& dispatcher_id) {
  asio::post(link_.executor(), [this, dispatcher_id] {
    if (dispatcher_id_ != dispatcher_id) return;
    lease_timer_.cancel();
    members_watcher_ = nullptr;
    dispatcher_id_.clear();
    if (!link_.ready()) return;  // the lease runs out by itself
    link_.command({"ZREM", keys::dispatchers, dispatcher_id});
    link_.command({"PUBLISH", keys::dispatchers_changed, dispatcher_id});
  });
}

void RedisDispatchSide::hold_exclusive(const std::string& name, const std::string& holder,
                                       std::function<void(bool held)> watcher) {
  asio::post(link_.executor(), [this, name, holder, watcher = std::move(watcher)]() mutable {
    exclusive_ = std::make_unique<Exclusive>();
    exclusive_->name = name;
    exclusive_->holder = holder;
    exclusive_->watcher = std::move(watcher);
    claim_exclusive();
    arm_exclusive_timer();
  });
}

void RedisDispatchSide::arm_exclusive_timer() {
  exclusive_timer_.expires_after(config_.lease / 6);
  exclusive_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_ || !exclusive_) return;
    claim_exclusive();
    arm_exclusive_timer();
  });
}

void RedisDispatchSide::set_exclusive_held(bool held, const char* why) {
  auto& x = *exclusive_;
  if (x.held == held) return;
  x.held = held;
  if (!held) {
    exclusive_lost_.inc();
    spdlog::warn("{}: gave up the exclusive lease {} ({})", x.holder, x.name, why);
  }
  x.watcher(held);
}

void RedisDispatchSide::claim_exclusive() {
  if (stopped_ || !exclusive_) return;
  auto& x = *exclusive_;
  const auto now = std::chrono::steady_clock::now();
  if (x.held && now - x.confirmed >= config_.lease * 2 / 3) {
    // Past this point the key may lapse in Redis and another node take it: stop first.
    set_exclusive_held(false, "not confirmed by Redis for 2/3 of the lease");
  }
  if (!link_.ready() || x.in_flight || (!x.held && now < claims_after_)) return;
  x.in_flight = link_.eval(
      scripts::claim_exclusive, {keys::exclusive(x.name)},
      {x.holder, std::to_string(config_.lease.count())}, [this, sent = now](const Reply& r) {
        if (!exclusive_) return;
        exclusive_->in_flight = false;
        if (stopped_ || r.kind != Reply::Kind::integer) return;  // lost: the timer retries
        if (r.integer == 0) return set_exclusive_held(false, "another node holds it");
        exclusive_->confirmed = sent;
        set_exclusive_held(true, "");
      });
}

void RedisDispatchSide::release_exclusive(const std::string& name) {
  asio::post(link_.executor(), [this, name] {
    if (!exclusive_ || exclusive_->name != name) return;
    exclusive_timer_.cancel();
    const auto holder = exclusive_->holder;
    exclusive_.reset();
    if (!link_.ready()) return;  // it lapses by itself
    link_.eval(scripts::release_exclusive, {keys::exclusive(name)}, {holder});
    link_.command({"PUBLISH", keys::exclusive_changed, holder});  // others claim it at once
  });
}

void RedisDispatchSide::set_directory(std::shared_ptr<const SymbolDirectory> directory) {
  asio::post(link_.executor(), [this, directory = std::move(directory)] {
    std::vector<const SymbolInfo*> all;
    all.reserve(directory->all().size());
    for (const auto& s : directory->all()) all.push_back(&s);
    directory_json_ = directory->to_json(all);
    store_directory();
  });
}

void RedisDispatchSide::set_symbol_status(const SymbolStatus& status) {
  asio::post(link_.executor(), [this, status] {
    statuses_[status.symbol] = status.reason;
    send_symbol_status(status.symbol, status.reason);
  });
}

void RedisDispatchSide::send_symbol_status(const std::string& symbol, const std::string& reason) {
  if (!link_.ready()) return;  // sent from on_ready()
  link_.eval(scripts::symbol_status, {keys::quote(symbol)},
             {reason, keys::quote_channel(symbol), status_payload(reason)},
             [this, symbol, reason](const Reply& r) {
               if (r.kind != Reply::Kind::integer || !reason.empty()) return;
               // Redis took the "available": nothing to store again after a reconnect.
               if (const auto it = statuses_.find(symbol); it != statuses_.end() &&
                                                            it->second.empty()) {
                 statuses_.erase(it);
               }
             });
}

void RedisDispatchSide::store_bars(const std::string& symbol, std::vector<Bar> bars) {
  asio::post(link_.executor(), [this, symbol, bars = std::move(bars)] {
    if (stopped_) return;
    replace_bars(unsent_bars_[symbol], bars);
    send_bars();
  });
}

void RedisDispatchSide::send_bars() {
  if (bars_in_flight_ || unsent_bars_.empty() || !link_.ready()) return;
  // At most kBarsPerBatch bars at a time, the next batch when Redis has answered: quotes
  // published meanwhile wait behind one batch at most (a backfill of a thousand symbols is
  // hundreds of thousands of bars). Each symbol's bars go in one plain HSET, then one small
  // script renews the expiries and trims what outgrew the window (trim_bars says why the bars
  // do not go through Lua).
  constexpr std::size_t kBarsPerBatch = 1'000;
  struct Batch {
    std::unordered_map<std::string, std::deque<Bar>> bars;
    std::string failure;  // the first error Redis gave, if any
  };
  auto batch = std::make_shared<Batch>();
  std::size_t count = 0;
  for (auto it = unsent_bars_.begin(); it != unsent_bars_.end() && count < kBarsPerBatch;) {
    count += it->second.size();
    batch->bars.insert(unsent_bars_.extract(it++));
  }
  auto finish = [this, batch](const std::string& failure) {
    bars_in_flight_ = false;
    if (stopped_) return;
    if (failure.empty()) return send_bars();
    bar_store_failures_.inc();
    spdlog::warn("redis: storing the bars of {} symbol(s) failed ({}); sending them again later",
                 batch->bars.size(), failure);
    // Sent bars that did not arrive go back under the ones stored since (which are newer); sent
    // again with the next store, or from on_ready() once Redis is back.
    for (auto& [symbol, bars] : batch->bars) {
      auto& newer = unsent_bars_[symbol];
      replace_bars(bars, std::vector<Bar>(newer.begin(), newer.end()));
      newer = std::move(bars);
    }
  };
  bars_in_flight_ = true;
  std::vector<std::string> keys;
  std::vector<std::string> trim_args{std::to_string(24 * 60 * 60),
                                     std::to_string(MinuteBars::kMaxBars)};
  keys.reserve(batch->bars.size());
  for (const auto& [symbol, bars] : batch->bars) {
    std::vector<std::string> hset{"HSET", keys::bars(symbol)};
    hset.reserve(2 + 2 * bars.size());
    for (const auto& b : bars) {
      hset.push_back(std::to_string(b.t));
      append_bar_json(hset.emplace_back(), b);
    }
    const bool sent = link_.command(hset, [batch](const Reply& r) {
      if (!r.ok() && batch->failure.empty()) batch->failure = r.str.empty() ? "error" : r.str;
    });
    if (!sent) return finish("not connected");
    keys.push_back(keys::bars(symbol));
    trim_args.push_back(std::to_string(bars.back().t - MinuteBars::kWindow + 60));
  }
  // Answered after every HSET above (one connection, replies in order): the batch's outcome.
  const bool sent = link_.eval(scripts::trim_bars, keys, trim_args, [batch, finish](const Reply& r) {
    std::string failure = batch->failure;
    if (failure.empty() && !r.ok()) failure = r.str.empty() ? "error" : r.str;
    finish(failure);
  });
  if (!sent) finish("not connected");
}

void RedisDispatchSide::store_directory() {
  if (directory_json_.empty() || !link_.ready()) return;
  link_.command({"SET", keys::directory, directory_json_});
  link_.command({"PUBLISH", keys::directory_changed, dispatcher_id_});
}

}  // namespace tickwire::cache::redis
