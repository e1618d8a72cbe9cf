#include "cache/redis/redis_fleet.hpp"

#include <boost/asio/post.hpp>

#include "cache/redis/redis_keys.hpp"

namespace tickwire::cache::redis {

namespace asio = boost::asio;

RedisFleet::RedisFleet(Link& link, ops::Registry& metrics, std::function<std::string()> document,
                       Configuration config)
    : link_(link),
      reads_(config.read ? &metrics.counter("tickwire_cache_fleet_reads_total",
                                            "Reads of every node's metrics document for the "
                                            "operator endpoints (only while one is watched)")
                         : nullptr),
      document_(std::move(document)),
      config_(config),
      timer_(link.executor()) {
  link_.on_ready([this] { tick(); });
}

void RedisFleet::start() {
  asio::post(link_.executor(), [this] { arm(); });
}

void RedisFleet::stop() {
  asio::post(link_.executor(), [this] {
    stopped_ = true;
    timer_.cancel();
    answer_waiters(Nodes{});  // every read_nodes is answered exactly once
    if (link_.ready()) {
      link_.command({"ZREM", keys::nodes, link_.node_id()});
      link_.command({"DEL", keys::node(link_.node_id())});
    }
  });
}

void RedisFleet::arm() {
  timer_.expires_after(config_.interval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    tick();
    arm();
  });
}

void RedisFleet::tick() {
  if (stopped_ || !link_.ready()) return;
  link_.eval(scripts::report_node, {keys::nodes},
             {link_.node_id(), document_(), std::to_string(config_.ttl.count()), keys::node_prefix});
  if (config_.read && watched(Clock::now())) read();
}

bool RedisFleet::watched(Clock::time_point now) const {
  std::lock_guard lock(mu_);
  return asked_at_ != Clock::time_point{} && now - asked_at_ < config_.watch_window;
}

void RedisFleet::read() {
  if (reading_) return;
  if (stopped_ || !link_.ready()) return answer_waiters(cached());
  if (reads_) reads_->inc();
  reading_ = link_.eval(scripts::fleet, {keys::nodes}, {keys::node_prefix}, [this](const Reply& r) {
    reading_ = false;
    if (r.kind != Reply::Kind::array) return answer_waiters(cached());
    Nodes docs;
    docs.reserve(r.elements.size());
    for (const auto& e : r.elements) docs.push_back(e.str);
    {
      std::lock_guard lock(mu_);
      nodes_ = docs;
      read_at_ = Clock::now();
    }
    answer_waiters(docs);
  });
  if (!reading_) answer_waiters(cached());
}

void RedisFleet::answer_waiters(const Nodes& nodes) {
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& done : waiters) done(nodes);
}

RedisFleet::Nodes RedisFleet::cached() const {
  std::lock_guard lock(mu_);
  return cached_locked(Clock::now());
}

RedisFleet::Nodes RedisFleet::cached_locked(Clock::time_point now) const {
  // Never older than a node's lease: a list read long ago may hold nodes gone since.
  return now - read_at_ <= config_.ttl ? nodes_ : Nodes{};
}

RedisFleet::Nodes RedisFleet::nodes() {
  const auto now = Clock::now();
  bool lapsed = false;
  Nodes out;
  {
    std::lock_guard lock(mu_);
    lapsed = asked_at_ == Clock::time_point{} || now - asked_at_ >= config_.watch_window;
    asked_at_ = now;
    out = cached_locked(now);
  }
  // Not read while nobody asked: start now rather than at the next report.
  if (lapsed && config_.read) asio::post(link_.executor(), [this] { read(); });
  return out;
}

void RedisFleet::read_nodes(std::function<void(Nodes)> done) {
  {
    std::lock_guard lock(mu_);
    asked_at_ = Clock::now();
  }
  asio::post(link_.executor(), [this, done = std::move(done)]() mutable {
    {
      std::lock_guard lock(mu_);
      if (Clock::now() - read_at_ <= config_.interval) {
        auto fresh = nodes_;
        return done(std::move(fresh));  // read at the last report: fresh enough
      }
    }
    waiters_.push_back(std::move(done));
    read();
  });
}

}  // namespace tickwire::cache::redis
