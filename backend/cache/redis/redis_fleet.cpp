#include "cache/redis/redis_fleet.hpp"

#include <boost/asio/post.hpp>

#include "cache/redis/redis_keys.hpp"

namespace tickwire::cache::redis {

namespace asio = boost::asio;

RedisFleet::RedisFleet(Link& link, std::function<std::string()> document, Configuration config)
    : link_(link), document_(std::move(document)), config_(config), timer_(link.executor()) {
  link_.on_ready([this] { tick(); });
}

void RedisFleet::start() {
  asio::post(link_.executor(), [this] { arm(); });
}

void RedisFleet::stop() {
  asio::post(link_.executor(), [this] {
    stopped_ = true;
    timer_.cancel();
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
  if (!config_.read || reading_) return;
  reading_ = link_.eval(scripts::fleet, {keys::nodes}, {keys::node_prefix}, [this](const Reply& r) {
    reading_ = false;
    if (r.kind != Reply::Kind::array) return;
    std::vector<std::string> docs;
    docs.reserve(r.elements.size());
    for (const auto& e : r.elements) docs.push_back(e.str);
    std::lock_guard lock(mu_);
    nodes_ = std::move(docs);
  });
}

std::vector<std::string> RedisFleet::nodes() const {
  std::lock_guard lock(mu_);
  return nodes_;
}

}  // namespace tickwire::cache::redis
