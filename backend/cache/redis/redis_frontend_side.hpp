// The cache tier as a frontend sees it, over Redis:
//   - demand: this frontend's set tw:demand:<id>, kept under a lease in tw:frontends renewed
//     every lease/3 (a frontend that dies stops renewing, and its demand expires with the lease);
//     the linger after the last client left is kept here, as EmbeddedCache keeps it;
//   - quotes: one pub/sub channel per demanded symbol, so only what this frontend needs arrives
//     (with the symbol's status changes); once a channel's subscription is confirmed the
//     symbol's latest quote and status are read, so nothing published in between is missed
//     (the hub drops whichever copy is older);
//   - the symbol directory, stored by a dispatcher;
//   - health: stale while the link is down; after it is back the whole demand is registered
//     again (Redis may have restarted empty) and every channel resubscribed and re-read.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cache/cache_tier.hpp"
#include "cache/demand_table.hpp"
#include "cache/redis/redis_link.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::redis {

class RedisFrontendSide final : public FrontendSide {
 public:
  struct Configuration {
    std::chrono::milliseconds lease{3000};
    std::chrono::milliseconds demand_linger{30'000};
    std::chrono::milliseconds linger_check{250};
  };

  // Register before link.start().
  RedisFrontendSide(Link& link, ops::Registry& metrics, Configuration config);
  ~RedisFrontendSide() override;

  void start();
  void stop();  // ends the timers; detach_frontend() gives the lease back

  void attach_frontend(const std::string& frontend_id, Sinks sinks) override;
  void detach_frontend(const std::string& frontend_id) override;
  void add_demand(const std::string& frontend_id, const std::vector<std::string>& symbols) override;
  void release_demand(const std::string& frontend_id,
                      const std::vector<std::string>& symbols) override;
  std::shared_ptr<const SymbolDirectory> directory() const override;
  void read_bars(const std::string& symbol, BarsReply done) override;
  void watch_health(const std::string& frontend_id,
                    std::function<void(bool live)> watcher) override;

 private:
  void detach_now(const std::string& frontend_id);
  void on_ready();
  void on_lost();
  void on_message(const std::string& channel, const std::string& payload);
  void on_quote(std::string symbol, std::string_view envelope);
  void on_status(const std::string& symbol, std::string_view reason);
  void on_subscribed(const std::string& channel);
  void fetch_latest(const std::vector<std::string>& symbols);
  void register_demand();
  void renew_lease();
  void arm_timer();
  void expire_lingering();
  void load_directory();
  void set_health(bool live);

  Link& link_;
  Configuration config_;
  boost::asio::steady_timer timer_;  // linger checks and lease renewals
  std::chrono::steady_clock::time_point next_renewal_;
  std::chrono::steady_clock::time_point next_directory_try_;
  bool stopped_ = false;

  // Link thread only.
  std::string frontend_id_;
  Sinks sinks_;
  DemandTable demand_;
  std::map<std::string, std::function<void(bool)>> health_watchers_;  // by frontend id
  bool live_ = false;
  bool directory_loading_ = false;
  std::string directory_json_;  // as last loaded, to skip parsing an unchanged one

  mutable std::mutex directory_mu_;
  std::shared_ptr<const SymbolDirectory> directory_;

  std::atomic<std::int64_t> demanded_count_{0};
  ops::Counter& received_;
  ops::Counter& bad_messages_;
  ops::Counter& lease_lapses_;
  ops::Registry::CallbackHandle demanded_gauge_;
};

}  // namespace tickwire::cache::redis
