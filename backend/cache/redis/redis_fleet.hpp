// Fleet metrics over Redis: every `interval` this node stores its metrics document under a lease
// (tw:node:<id>, tw:nodes), and, when asked to, reads every live node's document, so any
// frontend's operator endpoints show the whole fleet. /metrics stays per process.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "cache/fleet_view.hpp"
#include "cache/redis/redis_link.hpp"

namespace tickwire::cache::redis {

class RedisFleet final : public FleetView {
 public:
  struct Configuration {
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds ttl{5000};  // a node missing this long leaves the list
    bool read = false;                    // frontends read the fleet; other roles only report
  };

  // `document` runs on the link's thread and returns this node's metrics document.
  RedisFleet(Link& link, std::function<std::string()> document, Configuration config);

  void start();
  void stop();

  std::vector<std::string> nodes() const override;

 private:
  void tick();
  void arm();

  Link& link_;
  std::function<std::string()> document_;
  Configuration config_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  bool reading_ = false;

  mutable std::mutex mu_;
  std::vector<std::string> nodes_;
};

}  // namespace tickwire::cache::redis
