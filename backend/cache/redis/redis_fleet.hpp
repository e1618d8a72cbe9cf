// Fleet metrics over Redis: every `interval` this node stores its metrics document under a lease
// (tw:node:<id>, tw:nodes), and, when asked to, reads every live node's document, so any
// frontend's operator endpoints show the whole fleet. /metrics stays per process.
// A frontend reads the fleet only while someone watches it (an operator endpoint asked within
// `watch_window`): 59 frontends each reading 61 documents a second kept redis-server at 17% of a
// core and sent 80 MB/s with no one looking, and starved it on a loaded machine.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "cache/fleet_view.hpp"
#include "cache/redis/redis_link.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::redis {

class RedisFleet final : public FleetView {
 public:
  struct Configuration {
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds ttl{5000};  // a node missing this long leaves the list
    bool read = false;                    // frontends read the fleet; other roles only report
    std::chrono::milliseconds watch_window{5000};  // read for this long after the last ask
  };

  // `document` runs on the link's thread and returns this node's metrics document.
  RedisFleet(Link& link, ops::Registry& metrics, std::function<std::string()> document,
             Configuration config);

  void start();
  void stop();

  Nodes nodes() override;
  void read_nodes(std::function<void(Nodes)> done) override;

 private:
  using Clock = std::chrono::steady_clock;
  void tick();
  void arm();
  void read();                        // on the link's thread
  void answer_waiters(const Nodes& nodes);
  Nodes cached() const;  // nodes_ unless older than the lease
  Nodes cached_locked(Clock::time_point now) const;  // the same, mu_ held
  bool watched(Clock::time_point now) const;

  Link& link_;
  // tickwire_cache_fleet_reads_total, on nodes that read (frontends) only: a cache metric on the
  // exchange would give it a cache card in the operator view.
  ops::Counter* reads_;
  std::function<std::string()> document_;
  Configuration config_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  bool reading_ = false;

  mutable std::mutex mu_;  // nodes_, read_at_, asked_at_
  Nodes nodes_;
  Clock::time_point read_at_{};            // when nodes_ was read
  Clock::time_point asked_at_{};           // when an operator endpoint last asked
  std::vector<std::function<void(Nodes)>> waiters_;  // read_nodes; link thread only
};

}  // namespace tickwire::cache::redis
