// The cache tier inside one process (the all-in-one deployment and the desktop app's bundled
// backend): latest quote per symbol, the demand table with linger, and direct fan-out to the
// attached frontends' sinks. The lock guards the tables only: sinks are called after it is
// released (see Attached), and the directory is an atomic pointer, read by every request
// without the lock.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "cache/cache_tier.hpp"
#include "cache/demand_table.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache {

class EmbeddedCache final : public CacheTier {
 public:
  struct Configuration {
    std::chrono::milliseconds demand_linger{30'000};
    std::chrono::milliseconds linger_check{250};  // how often lingering symbols are expired
  };

  // `ex` runs the linger timer.
  EmbeddedCache(boost::asio::any_io_executor ex, ops::Registry& metrics, Configuration config);
  ~EmbeddedCache() override;

  void start();
  void stop();  // thread-safe; cancels the linger timer

  // DispatchSide
  void publish(const EncodedQuote& q) override;
  void watch_rejections(std::function<void(const Rejection&)> watcher) override;
  void watch_demand(std::function<void(const DemandChange&)> watcher) override;
  void join_dispatchers(const std::string& dispatcher_id,
                        std::function<void(const std::vector<std::string>&)> watcher) override;
  void leave_dispatchers(const std::string& dispatcher_id) override;
  // One process, one dispatcher: held at once.
  void hold_exclusive(const std::string&, const std::string&,
                      std::function<void(bool held)> watcher) override {
    watcher(true);
  }
  void release_exclusive(const std::string&) override {}
  void set_directory(std::shared_ptr<const SymbolDirectory> directory) override;
  void set_symbol_status(const SymbolStatus& status) override;
  void store_bars(const std::string& symbol, std::vector<Bar> bars) override;

  // FrontendSide
  void attach_frontend(const std::string& frontend_id, Sinks sinks) override;
  void detach_frontend(const std::string& frontend_id) override;
  void add_demand(const std::string& frontend_id, const std::vector<std::string>& symbols) override;
  void release_demand(const std::string& frontend_id,
                      const std::vector<std::string>& symbols) override;
  std::shared_ptr<const SymbolDirectory> directory() const override;
  // One process: always live, so the watcher is called once, now.
  void watch_health(const std::string&, std::function<void(bool live)> watcher) override {
    watcher(true);
  }
  void read_bars(const std::string& symbol, BarsReply done) override;

 private:
  // A frontend's sinks, called without mu_ held. `active` counts calls in progress so that
  // detach_frontend() can wait for them: after it returns no sink runs again.
  struct Attached {
    explicit Attached(Sinks s) : sinks(std::move(s)) {}
    Sinks sinks;
    std::atomic<int> active{0};
    std::atomic<bool> detached{false};
  };
  static void call(Attached& a, const EncodedQuote& q);
  static void call(Attached& a, const SymbolStatus& s);
  // The attached frontends that demand `symbol` (with mu_ held).
  template <typename Out>
  void holders_of(const std::string& symbol, Out& out) const;

  void arm_linger_timer();
  void notify_demand(const DemandChange& change);  // with mu_ held
  void notify_members();                           // with mu_ held

  Configuration config_;
  boost::asio::steady_timer linger_timer_;

  mutable std::mutex mu_;
  std::unordered_map<std::string, EncodedQuote> latest_;
  std::unordered_map<std::string, std::string> unavailable_;  // symbol -> reason
  std::unordered_map<std::string, std::deque<Bar>> bars_;     // of demanded symbols only
  DemandTable demand_;
  std::unordered_map<std::string, std::shared_ptr<Attached>> frontends_;
  std::vector<std::function<void(const DemandChange&)>> demand_watchers_;
  std::function<void(const Rejection&)> rejection_watcher_;  // set before the first publish
  std::map<std::string, std::function<void(const std::vector<std::string>&)>> dispatchers_;
  bool stopped_ = false;
  // A mutex of its own, not std::atomic<shared_ptr>: libstdc++ 12 implements that with a lock
  // bit ThreadSanitizer cannot see, which hid real reports behind false ones. Read per request
  // for the symbol list, never per quote.
  mutable std::mutex directory_mu_;
  std::shared_ptr<const SymbolDirectory> directory_;

  ops::Counter& quotes_in_;
  ops::Counter& fanout_;
  ops::Counter& stale_;
  ops::Registry::CallbackHandle demanded_gauge_;
  ops::Registry::CallbackHandle lingering_gauge_;
  ops::Registry::CallbackHandle latest_gauge_;
};

}  // namespace tickwire::cache
