// The dispatch tier: turns demand into upstream subscriptions. It follows the cache tier's
// demanded symbols and decides which of them this process holds upstream; its UpstreamAdapter
// decides how (see upstream/upstream_adapter.hpp).
//
// Which symbols this process holds depends on the adapter's connection budget:
//   - no limit (the v1 contract): the demanded symbols it owns by rendezvous hashing over the
//     live dispatchers, so each symbol is held by exactly one of them;
//   - a budget of one connection per account (Alpaca, Finnhub): every demanded symbol, while
//     this dispatcher holds the provider's exclusive lease in the cache tier, and none
//     otherwise. Another dispatcher takes the lease within the lease period when it dies.
// Quotes from the adapter are renumbered onto Tickwire's own seq (SequenceMapper: strictly
// increasing per symbol through restarts of the upstream and failovers between dispatchers)
// and published to the cache tier, encoded once, here. Symbols the provider refuses are logged
// and counted.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/cache_tier.hpp"
#include "dispatch/bar_recorder.hpp"
#include "dispatch/sequence_mapper.hpp"
#include "dispatch/upstream/upstream_adapter.hpp"
#include "ops/metrics.hpp"

namespace tickwire::dispatch {

class Dispatcher {
 public:
  struct Configuration {
    std::string id;  // unique in the fleet
    std::chrono::milliseconds batch_delay{20};  // demand changes are applied together
    // How often changed bars go to the cache tier. Charts fold in live ticks themselves, so the
    // stored bars may lag a few seconds; over Redis each flush costs three commands per
    // changed symbol, half the quotes' own load at 1 s, a tenth at 5 s.
    std::chrono::milliseconds bar_flush{5000};
  };

  // `ex` must be a single-threaded executor (a one-thread io_context or a strand), the one the
  // adapter was made with.
  Dispatcher(boost::asio::any_io_executor ex, cache::DispatchSide& cache, ops::Registry& metrics,
             Configuration config, std::unique_ptr<UpstreamAdapter> upstream);
  ~Dispatcher();

  void start();
  void stop();  // thread-safe; ends every upstream connection

 private:
  bool exclusive() const { return upstream_->connection_budget() == 1; }
  void on_demand(const cache::DemandChange& change);
  void on_members(std::vector<std::string> members);
  void on_lease(bool held);
  void schedule_reconcile();
  void reconcile();
  void accept(const UpstreamQuote& uq);
  void on_rejected(const cache::Rejection& r);
  void arm_bar_flush();

  boost::asio::any_io_executor ex_;
  cache::DispatchSide& cache_;
  Configuration config_;
  std::unique_ptr<UpstreamAdapter> upstream_;
  boost::asio::steady_timer reconcile_timer_;
  boost::asio::steady_timer bar_timer_;
  bool reconcile_pending_ = false;
  bool stopped_ = false;

  std::set<std::string> demanded_;
  std::vector<std::string> members_;
  bool lease_held_ = false;         // exclusive adapters only
  std::set<std::string> held_;      // subscribed through the adapter
  SequenceMapper sequences_;
  std::unordered_map<std::string, Quote> latest_;  // of each held symbol, as published
  BarRecorder bars_;                                // of each held symbol
  std::chrono::steady_clock::time_point next_new_life_log_{};  // logs limited to one per 5 s
  std::chrono::steady_clock::time_point next_rebase_log_{};

  ops::Gauge& upstream_symbols_;
  ops::Gauge& lease_gauge_;
  ops::Counter& quotes_in_;
  ops::Counter& seq_gaps_;
  ops::Counter& missed_ticks_;
  ops::Counter& stale_;
  ops::Counter& new_lives_;
  ops::Counter& rebased_;
  ops::Counter& lease_changes_;
  ops::Counter& backfilled_;
  ops::Counter& late_for_bars_;
  ops::Counter& unavailable_;
};

}  // namespace tickwire::dispatch
