// The dispatch tier: turns demand into upstream subscriptions. It follows the cache tier's
// demanded symbols, keeps those it owns (rendezvous hashing over the live dispatchers), and holds
// them upstream over SSE in groups of up to `group_size` symbols per connection:
//   - newly demanded symbols open a new group, so existing streams are never touched;
//   - a symbol that loses demand leaves its group, which reconnects with the rest and
//     Last-Event-ID, so the other symbols resume without losing an update;
//   - a dropped group reconnects with backoff and resumes the same way.
// Every quote is checked against the symbol's last seq (gaps counted, stale ones dropped) and
// published to the cache tier. Also loads the upstream symbol directory into the cache tier.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/cache_tier.hpp"
#include "dispatch/sequence_tracker.hpp"
#include "net/sse_client.hpp"
#include "net/upstream_url.hpp"
#include "ops/metrics.hpp"

namespace tickwire::dispatch {

class Dispatcher {
 public:
  struct Configuration {
    std::string id;  // unique in the fleet
    net::UpstreamUrl upstream;
    std::size_t group_size = 100;
    std::chrono::milliseconds batch_delay{20};  // demand changes are applied together
    std::chrono::seconds idle_timeout{45};      // silence that counts as a dead upstream stream
    std::chrono::milliseconds backoff_max{5000};
  };

  // `ex` must be a single-threaded executor (a one-thread io_context or a strand).
  Dispatcher(boost::asio::any_io_executor ex, cache::DispatchSide& cache, ops::Registry& metrics,
             Configuration config);
  ~Dispatcher();

  void start();
  void stop();  // thread-safe; ends every upstream stream

 private:
  struct Group {
    std::vector<std::string> symbols;
    std::shared_ptr<net::SseClient> client;
    bool connected = false;
  };

  void on_demand(const cache::DemandChange& change);
  void on_members(std::vector<std::string> members);
  void schedule_reconcile();
  void reconcile();
  void open_group(std::vector<std::string> symbols, const std::string& resume_from);
  void on_event(std::uint64_t group_id, const sse::Event& event);
  void accept(const Quote& q);
  void load_directory();

  boost::asio::any_io_executor ex_;
  cache::DispatchSide& cache_;
  Configuration config_;
  boost::asio::steady_timer reconcile_timer_;
  boost::asio::steady_timer directory_timer_;
  bool reconcile_pending_ = false;
  bool stopped_ = false;

  std::set<std::string> demanded_;
  std::vector<std::string> members_;
  std::unordered_map<std::string, std::uint64_t> group_of_;  // subscribed symbol -> group
  std::map<std::uint64_t, Group> groups_;
  std::uint64_t next_group_ = 1;
  SequenceTracker sequences_;

  ops::Gauge& upstream_symbols_;
  ops::Gauge& upstream_connections_;
  ops::Counter& reconnects_;
  ops::Counter& seq_gaps_;
  ops::Counter& missed_ticks_;
  ops::Counter& quotes_in_;
  ops::Counter& stale_;
  ops::Counter& bad_events_;
  ops::Counter& resubscribes_;
};

}  // namespace tickwire::dispatch
