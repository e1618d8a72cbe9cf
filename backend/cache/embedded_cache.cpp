#include "cache/embedded_cache.hpp"

#include <boost/asio/post.hpp>

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

void EmbeddedCache::publish(const Quote& q) {
  quotes_in_.inc();
  std::lock_guard lock(mu_);
  auto [it, inserted] = latest_.try_emplace(q.symbol, q);
  if (!inserted) {
    if (it->second.seq >= q.seq) {
      stale_.inc();
      return;
    }
    it->second = q;
  }
  const auto* holders = demand_.holders(q.symbol);
  if (!holders) return;
  for (const auto& fe : *holders) {
    if (const auto f = frontends_.find(fe); f != frontends_.end()) {
      f->second(q);
      fanout_.inc();
    }
  }
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
  std::lock_guard lock(mu_);
  directory_ = std::move(directory);
}

void EmbeddedCache::attach_frontend(const std::string& frontend_id, QuoteSink sink) {
  std::lock_guard lock(mu_);
  frontends_[frontend_id] = std::move(sink);
}

void EmbeddedCache::detach_frontend(const std::string& frontend_id) {
  std::lock_guard lock(mu_);
  frontends_.erase(frontend_id);
  demand_.release_frontend(frontend_id, DemandTable::Clock::now());
}

void EmbeddedCache::add_demand(const std::string& frontend_id,
                               const std::vector<std::string>& symbols) {
  std::lock_guard lock(mu_);
  DemandChange change;
  const auto sink = frontends_.find(frontend_id);
  for (const auto& s : symbols) {
    if (demand_.add(frontend_id, s)) change.added.push_back(s);
    if (sink == frontends_.end()) continue;
    if (const auto q = latest_.find(s); q != latest_.end()) sink->second(q->second);
  }
  if (!change.added.empty()) notify_demand(change);
}

void EmbeddedCache::release_demand(const std::string& frontend_id,
                                   const std::vector<std::string>& symbols) {
  std::lock_guard lock(mu_);
  const auto now = DemandTable::Clock::now();
  for (const auto& s : symbols) demand_.release(frontend_id, s, now);
}

std::shared_ptr<const SymbolDirectory> EmbeddedCache::directory() const {
  std::lock_guard lock(mu_);
  return directory_;
}

void EmbeddedCache::notify_demand(const DemandChange& change) {
  for (const auto& w : demand_watchers_) w(change);
}

}  // namespace tickwire::cache
