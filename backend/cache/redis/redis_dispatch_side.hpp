// The cache tier as a dispatcher sees it, over Redis:
//   - publish(): a Lua script stores the quote as its symbol's latest unless Redis holds a newer
//     seq, and publishes it on the symbol's channel, in one step;
//   - demand: the union of the live frontends' demand sets, read every `demand_poll` and at once
//     when a frontend announces a change;
//   - membership: this dispatcher's lease in tw:dispatchers, renewed every lease/3; the live
//     members are re-read then and whenever one announces a change.
// While Redis is away quotes are kept here (the latest per symbol) and published when it is back,
// and the last known demand and membership stay in force: nothing is torn down for an outage.
// The exclusive lease (hold_exclusive) is a key with a server-side expiry, renewed by its holder
// every lease/6 and claimed by the others as often; a holder that cannot confirm it for 2/3 of a
// lease gives it up before it could lapse in Redis. After a reconnect only the holder re-claims
// at once; the others wait a lease period, so a Redis that restarted empty goes back to the
// holder rather than to whoever asks first.
// After a reconnect, demand removals wait one lease period, so a Redis that restarted empty does
// not make the dispatchers drop every subscription before the frontends re-registered.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/cache_tier.hpp"
#include "cache/redis/redis_link.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::redis {

class RedisDispatchSide final : public DispatchSide {
 public:
  struct Configuration {
    std::chrono::milliseconds lease{3000};
    std::chrono::milliseconds demand_poll{500};
    std::size_t max_pending = 20'000;  // quotes in flight before quotes wait here (conflated)
    // How long a quote may wait for others to share its call to Redis. Zero: the quotes of one
    // loop turn go together (no added latency; at a steady trickle that is one quote per call).
    std::chrono::microseconds publish_window{0};
  };

  // Register before link.start().
  RedisDispatchSide(Link& link, ops::Registry& metrics, Configuration config);
  ~RedisDispatchSide() override;

  void start();
  // Ends the timers. The lease itself is given up by leave_dispatchers() (the Dispatcher calls
  // it on stop), before the link stops.
  void stop();

  void publish(const EncodedQuote& q) override;
  void watch_rejections(std::function<void(const Rejection&)> watcher) override;
  void watch_demand(std::function<void(const DemandChange&)> watcher) override;
  void join_dispatchers(const std::string& dispatcher_id,
                        std::function<void(const std::vector<std::string>&)> watcher) override;
  void leave_dispatchers(const std::string& dispatcher_id) override;
  void hold_exclusive(const std::string& name, const std::string& holder,
                      std::function<void(bool held)> watcher) override;
  void release_exclusive(const std::string& name) override;
  void set_directory(std::shared_ptr<const SymbolDirectory> directory) override;
  void set_symbol_status(const SymbolStatus& status) override;
  void store_bars(const std::string& symbol, std::vector<Bar> bars) override;

 private:
  void send_symbol_status(const std::string& symbol, const std::string& reason);
  void on_ready();
  void queue_quote(const EncodedQuote& q);
  void send_batch();
  void report_rejection(const std::string& symbol, const Reply& r);
  void flush_dirty();
  // Marks the symbol to be sent again later, unless its latest quote is already waiting in
  // batch_ (a second copy would only be refused as stale). For the rare paths: scans batch_.
  void resend_later(const std::string& symbol);
  void poll_demand();
  void arm_demand_timer();
  void renew_lease();
  void arm_lease_timer();
  void read_members();
  void store_directory();
  void send_bars();
  void claim_exclusive();
  void arm_exclusive_timer();
  void set_exclusive_held(bool held, const char* why);

  Link& link_;
  Configuration config_;
  boost::asio::steady_timer demand_timer_;
  boost::asio::steady_timer lease_timer_;
  boost::asio::steady_timer exclusive_timer_;
  boost::asio::steady_timer batch_timer_;  // publish_window
  bool stopped_ = false;
  bool ever_ready_ = false;

  // Link thread only.
  std::unordered_map<std::string, EncodedQuote> latest_;  // of the symbols this dispatcher published
  std::unordered_set<std::string> dirty_;          // latest_ entries Redis has not seen yet
  // Quotes to publish in the next call (one per loop turn, at most kQuotesPerCall), and quotes
  // sent and not yet answered (bounded by max_pending: past it, quotes wait in dirty_).
  static constexpr std::size_t kQuotesPerCall = 256;
  std::vector<EncodedQuote> batch_;
  bool batch_posted_ = false;
  std::size_t in_flight_ = 0;
  // Symbol statuses this dispatcher set, by symbol: unavailable ones are stored again after a
  // reconnect (Redis may have restarted empty); an available one ("") until Redis took it.
  std::unordered_map<std::string, std::string> statuses_;
  std::function<void(const DemandChange&)> demand_watcher_;
  std::function<void(const Rejection&)> rejection_watcher_;
  bool demand_known_ = false;
  bool demand_in_flight_ = false;
  bool demand_again_ = false;
  std::set<std::string> demanded_;
  std::chrono::steady_clock::time_point removals_after_;
  std::string dispatcher_id_;
  std::function<void(const std::vector<std::string>&)> members_watcher_;
  std::vector<std::string> members_;
  bool members_known_ = false;
  bool members_in_flight_ = false;
  struct Exclusive {
    std::string name;
    std::string holder;
    std::function<void(bool)> watcher;
    bool held = false;
    bool in_flight = false;
    std::chrono::steady_clock::time_point confirmed;  // when the last good claim was sent
  };
  std::unique_ptr<Exclusive> exclusive_;
  std::chrono::steady_clock::time_point claims_after_;
  std::string directory_json_;  // as stored in Redis (again after a Redis restart)
  // Bars Redis has not taken yet, by symbol (each within MinuteBars' window), sent one bounded
  // call at a time; kept while Redis is away and sent when it is back.
  std::unordered_map<std::string, std::deque<Bar>> unsent_bars_;
  bool bars_in_flight_ = false;

  ops::Counter& published_;
  ops::Counter& publish_calls_;
  ops::Counter& stale_;
  ops::Counter& deferred_;
  ops::Counter& lease_lapses_;
  ops::Gauge& demanded_gauge_;
  ops::Gauge& members_gauge_;
  ops::Counter& exclusive_lost_;
  ops::Counter& bar_store_failures_;
};

}  // namespace tickwire::cache::redis
