// The cache tier as a dispatcher sees it, over Kafka (docs/operations.md, "Scale-out on Kafka"):
//   - publish(): each quote goes to tickwire.quotes, keyed by symbol, in the symbol's partition;
//     a quote whose seq is not above the highest this side has read of the symbol on the topic
//     (another dispatcher's, or an earlier run's) is rejected, as Redis rejects it;
//   - demand: the dispatchers form one consumer group on tickwire.demand. The partitions this
//     dispatcher is assigned decide what it owns: the symbols the frontends' records in them
//     demand. So it reports itself as the only dispatcher (join_dispatchers) and reports as
//     demand only what it owns; a dispatcher that dies is replaced by the group's rebalance
//     once its session (the lease) runs out;
//   - the exclusive lease: a consumer group of its own on the one partition of
//     tickwire.exclusive; the member assigned the partition holds the lease;
//   - minute bars on tickwire.bars, one record per (symbol, minute);
//   - the symbol directory on tickwire.state.
// Nothing blocks the dispatcher's thread: a record the producer cannot queue now waits here,
// the latest per symbol, and goes when it can.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cache/cache_tier.hpp"
#include "cache/kafka/kafka_producer.hpp"
#include "cache/kafka/kafka_reader.hpp"
#include "cache/kafka/kafka_url.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::kafka {

class KafkaDispatchSide final : public DispatchSide {
 public:
  struct Configuration {
    std::string node_id;
    // The group session: a dispatcher that stops heartbeating for this long is replaced.
    std::chrono::milliseconds lease{3000};
  };

  // Throws std::invalid_argument when librdkafka refuses the configuration.
  KafkaDispatchSide(const KafkaUrl& url, ops::Registry& metrics, Configuration config);
  ~KafkaDispatchSide() override;

  void start();
  // Leaves the groups (the others take over at once) and delivers what is queued (bounded).
  void stop();
  // The cluster answers and the group has assigned this dispatcher its demand (until then it
  // owns nothing, so it is not ready to serve).
  bool ready() const { return producer_.reachable() && demand_ready_.load(); }

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
  using SystemClock = std::chrono::system_clock;
  struct Held {
    std::uint64_t seq = 0;
    std::int64_t ts = 0;
  };
  // One frontend's record in one demand partition.
  struct Standing {
    std::vector<std::string> symbols;
    SystemClock::time_point until;
  };

  void send_pending();  // producer thread
  // Demand reader's thread:
  void on_demand_record(const RdKafka::Message& m);
  void on_assigned(const Reader::Partitions& parts);
  void on_revoked(const Reader::Partitions& parts, bool lost);
  void on_demand_tick();
  void report_demand(SystemClock::time_point now);
  // Quote reader's thread:
  void on_quote_record(const RdKafka::Message& m);

  Configuration config_;
  KafkaUrl url_;
  ops::Registry& metrics_;
  Producer producer_;
  Reader quotes_;  // every partition: the highest seq of each symbol
  Reader demand_;  // the dispatchers' group

  std::mutex mu_;  // everything below up to the demand state
  // Looked up by the record's key as read (a string_view): no string built per record.
  struct SymbolHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, Held, SymbolHash, std::equal_to<>> held_;
  std::unordered_map<std::string, EncodedQuote> pending_;       // quotes not queued yet
  std::unordered_map<std::string, std::string> pending_status_;  // symbol -> reason
  std::optional<std::string> pending_directory_;
  // Bars not queued yet, by symbol (each within MinuteBars' window).
  std::unordered_map<std::string, std::deque<Bar>> pending_bars_;
  std::function<void(const Rejection&)> rejection_watcher_;

  // Demand: the watchers under demand_mu_ (they may be set while the reader runs); the tables
  // on the demand reader's thread only.
  std::mutex demand_mu_;
  std::function<void(const DemandChange&)> demand_watcher_;
  std::function<void(const std::vector<std::string>&)> members_watcher_;
  std::set<std::string> reported_;  // what the watcher was last told
  bool demand_known_ = false;
  std::atomic<bool> demand_ready_{false};  // demand_known_, for ready() on any thread
  std::map<int, std::unordered_map<std::string, Standing>> standing_;  // by owned partition
  bool assigned_once_ = false;
  std::optional<std::chrono::steady_clock::time_point> assignment_read_at_;  // for the log
  std::set<int> replaying_;  // assigned partitions not read to their end yet
  bool demand_dirty_ = false;
  // After partitions were taken away, the demand reported stays until the next assignment is
  // read (a rebalance hands most of them back within moments) or, if none comes, this time.
  std::optional<std::chrono::steady_clock::time_point> hold_until_;
  SystemClock::time_point next_expiry_ = SystemClock::time_point::max();

  std::mutex exclusive_mu_;
  std::unique_ptr<Reader> exclusive_;
  bool started_ = false;

  ops::Gauge& ready_;
  ops::Counter& published_;
  ops::Counter& rejected_;
  ops::Counter& bad_records_;
  bool send_bar(const std::string& symbol, const Bar& bar);  // under mu_
  ops::Gauge& demanded_gauge_;
  ops::Gauge& owned_partitions_;
};

}  // namespace tickwire::cache::kafka
