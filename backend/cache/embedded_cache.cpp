#include "cache/embedded_cache.hpp"

#include <boost/asio/post.hpp>
#include <boost/container/small_vector.hpp>
#include <optional>
#include <thread>

namespace tickwire::cache {

EmbeddedCache::EmbeddedCache(boost::asio::any_io_executor ex, ops::Registry& metrics,
                             Configuration config)
    : config_(config),
      linger_timer_(ex),
      demand_(config.demand_linger),
      quotes_in_(metrics.counter("tickwire_cache_quotes_total", "Quotes published to the cache")),
      fanout_(metrics.counter("tickwire_cache_fanout_total",
                              "Quote deliveries from the cache to frontends")),
      stale_(metrics.counter("tickwire_cache_stale_quotes_total",
                             "Quotes dropped because the cache held a newer seq")) {
  auto locked = [this](auto fn) {
    return [this, fn] {
      std::lock_guard lock(mu_);
      return static_cast<double>(fn());
    };
  };
  demanded_gauge_ = metrics.gauge_callback(
      "tickwire_cache_demanded_symbols", "Symbols some frontend demands (including lingering)",
      {}, locked([this] { return demand_.size(); }));
  lingering_gauge_ = metrics.gauge_callback(
      "tickwire_cache_lingering_symbols", "Demanded symbols no frontend holds, waiting to expire",
      {}, locked([this] { return demand_.lingering(); }));
  latest_gauge_ = metrics.gauge_callback("tickwire_cache_symbols",
                                         "Symbols with a latest quote held", {},
                                         locked([this] { return latest_.size(); }));
}

EmbeddedCache::~EmbeddedCache() = default;

void EmbeddedCache::start() {
  boost::asio::post(linger_timer_.get_executor(), [this] { arm_linger_timer(); });
}

void EmbeddedCache::stop() {
  boost::asio::post(linger_timer_.get_executor(), [this] {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    linger_timer_.cancel();
  });
}

void EmbeddedCache::arm_linger_timer() {
  linger_timer_.expires_after(config_.linger_check);
  linger_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      DemandChange change;
      change.removed = demand_.expire(DemandTable::Clock::now());
      if (!change.removed.empty()) notify_demand(change);
    }
    arm_linger_timer();
  });
}

void EmbeddedCache::call(Attached& a, const EncodedQuote& q) {
  // Dekker-style with detach_frontend(): either it sees this call active and waits for it, or
  // this call sees the frontend detached and skips it (both atomics are sequentially consistent).
  a.active.fetch_add(1);
  if (!a.detached.load()) a.sinks.quote(q);
  a.active.fetch_sub(1);
}

void EmbeddedCache::call(Attached& a, const SymbolStatus& s) {
  a.active.fetch_add(1);
  if (!a.detached.load() && a.sinks.symbol_status) a.sinks.symbol_status(s);
  a.active.fetch_sub(1);
}

template <typename Out>
void EmbeddedCache::holders_of(const std::string& symbol, Out& out) const {
  const auto* holders = demand_.holders(symbol);
  if (!holders) return;
  for (const auto& fe : *holders) {
    if (const auto f = frontends_.find(fe); f != frontends_.end()) out.push_back(f->second);
  }
}

void EmbeddedCache::publish(const EncodedQuote& q) {
  quotes_in_.inc();
  boost::container::small_vector<std::shared_ptr<Attached>, 2> targets;
  std::optional<Rejection> rejected;
  {
    std::lock_guard lock(mu_);
    auto [it, inserted] = latest_.try_emplace(q.symbol, q);
    if (!inserted && it->second.seq >= q.seq) {
      stale_.inc();
      rejected = Rejection{q.symbol, it->second.seq, it->second.ts};
    } else {
      if (!inserted) it->second = q;
      // A quote means the upstream carries the symbol (the hubs clear it on this quote).
      if (!unavailable_.empty()) unavailable_.erase(q.symbol);
      holders_of(q.symbol, targets);
    }
  }
  if (rejected) {
    if (rejection_watcher_) rejection_watcher_(*rejected);
    return;
  }
  // Two publishers racing on one symbol may reach a sink out of order; the hub keeps the newer
  // seq and counts the older as stale, so nothing goes backwards.
  for (const auto& a : targets) {
    call(*a, q);
    fanout_.inc();
  }
}

void EmbeddedCache::watch_rejections(std::function<void(const Rejection&)> watcher) {
  rejection_watcher_ = std::move(watcher);
}

void EmbeddedCache::watch_demand(std::function<void(const DemandChange&)> watcher) {
  std::lock_guard lock(mu_);
  DemandChange now;
  now.added = demand_.demanded_symbols();
  watcher(now);
  demand_watchers_.push_back(std::move(watcher));
}

void EmbeddedCache::join_dispatchers(const std::string& dispatcher_id,
                                     std::function<void(const std::vector<std::string>&)> watcher) {
  std::lock_guard lock(mu_);
  dispatchers_[dispatcher_id] = std::move(watcher);
  notify_members();
}

void EmbeddedCache::leave_dispatchers(const std::string& dispatcher_id) {
  std::lock_guard lock(mu_);
  dispatchers_.erase(dispatcher_id);
  notify_members();
}

void EmbeddedCache::notify_members() {
  std::vector<std::string> ids;
  for (const auto& [id, w] : dispatchers_) ids.push_back(id);
  for (const auto& [id, w] : dispatchers_) w(ids);
}

void EmbeddedCache::set_directory(std::shared_ptr<const SymbolDirectory> directory) {
  const std::lock_guard lock(directory_mu_);
  directory_ = std::move(directory);
}

void EmbeddedCache::set_symbol_status(const SymbolStatus& status) {
  boost::container::small_vector<std::shared_ptr<Attached>, 2> targets;
  {
    std::lock_guard lock(mu_);
    if (status.available()) {
      if (unavailable_.erase(status.symbol) == 0) return;
    } else {
      auto [it, inserted] = unavailable_.try_emplace(status.symbol, status.reason);
      if (!inserted && it->second == status.reason) return;  // no change
      it->second = status.reason;
    }
    holders_of(status.symbol, targets);
  }
  for (const auto& a : targets) call(*a, status);
}

void EmbeddedCache::store_bars(const std::string& symbol, std::vector<Bar> bars) {
  std::lock_guard lock(mu_);
  if (!demand_.demanded(symbol)) return;  // released meanwhile: its bars went with it
  replace_bars(bars_[symbol], bars);
}

void EmbeddedCache::read_bars(const std::string& symbol, BarsReply done) {
  std::vector<Bar> copy;
  {
    std::lock_guard lock(mu_);
    if (const auto it = bars_.find(symbol); it != bars_.end()) {
      copy.assign(it->second.begin(), it->second.end());
    }
  }
  done(std::move(copy));
}

void EmbeddedCache::attach_frontend(const std::string& frontend_id, Sinks sinks) {
  std::lock_guard lock(mu_);
  frontends_[frontend_id] = std::make_shared<Attached>(std::move(sinks));
}

void EmbeddedCache::detach_frontend(const std::string& frontend_id) {
  std::shared_ptr<Attached> gone;
  {
    std::lock_guard lock(mu_);
    if (const auto it = frontends_.find(frontend_id); it != frontends_.end()) {
      gone = std::move(it->second);
      frontends_.erase(it);
    }
    demand_.release_frontend(frontend_id, DemandTable::Clock::now());
  }
  if (!gone) return;
  gone->detached.store(true);
  while (gone->active.load() > 0) std::this_thread::yield();  // a call out is finishing
}

void EmbeddedCache::add_demand(const std::string& frontend_id,
                               const std::vector<std::string>& symbols) {
  std::shared_ptr<Attached> sink;
  std::vector<EncodedQuote> held;
  std::vector<SymbolStatus> statuses;
  {
    std::lock_guard lock(mu_);
    DemandChange change;
    if (const auto it = frontends_.find(frontend_id); it != frontends_.end()) sink = it->second;
    for (const auto& s : symbols) {
      if (demand_.add(frontend_id, s)) change.added.push_back(s);
      if (!sink) continue;
      if (const auto q = latest_.find(s); q != latest_.end()) held.push_back(q->second);
      if (const auto u = unavailable_.find(s); u != unavailable_.end()) {
        statuses.push_back(SymbolStatus{s, u->second});
      }
    }
    if (!change.added.empty()) notify_demand(change);
  }
  // The snapshot goes out after the lock: a newer quote published meanwhile may reach the sink
  // first, and the hub then drops this older one by its seq.
  for (const auto& q : held) call(*sink, q);
  for (const auto& st : statuses) call(*sink, st);
}

void EmbeddedCache::release_demand(const std::string& frontend_id,
                                   const std::vector<std::string>& symbols) {
  std::lock_guard lock(mu_);
  const auto now = DemandTable::Clock::now();
  for (const auto& s : symbols) demand_.release(frontend_id, s, now);
}

std::shared_ptr<const SymbolDirectory> EmbeddedCache::directory() const {
  const std::lock_guard lock(directory_mu_);
  return directory_;
}

void EmbeddedCache::notify_demand(const DemandChange& change) {
  for (const auto& s : change.removed) bars_.erase(s);  // memory follows demand
  for (const auto& w : demand_watchers_) w(change);
}

}  // namespace tickwire::cache
