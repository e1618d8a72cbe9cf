// The cache tier as a frontend sees it, over Kafka (docs/operations.md, "Scale-out on Kafka"):
//   - quotes: this frontend reads every partition of tickwire.quotes from its start (the topic
//     is compacted, so the start holds every symbol's latest quote and status) and follows it,
//     keeping the latest quote and status of every symbol: a new subscription's snapshot is
//     served from memory at once, with no round trip. Quotes of symbols it demands go to the
//     sinks; the rest only update what it keeps;
//   - demand: one record per partition of tickwire.demand holding the symbols of that partition
//     this frontend demands (lingering ones included), sent on every change and renewed every
//     lease/3; a frontend that dies stops renewing and its demand lapses with the lease;
//   - health: stale while the cluster does not answer the producer's metadata probe; when it
//     answers again the whole demand is sent again;
//   - minute bars: it follows tickwire.bars too and keeps every symbol's window (MinuteBars'),
//     so a chart is served from memory: up to 1,440 bars (~69 KB) per symbol charted in the
//     last day;
//   - the symbol directory from tickwire.state.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/cache_tier.hpp"
#include "cache/demand_table.hpp"
#include "cache/kafka/kafka_producer.hpp"
#include "cache/kafka/kafka_reader.hpp"
#include "cache/kafka/kafka_url.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::kafka {

class KafkaFrontendSide final : public FrontendSide {
 public:
  struct Configuration {
    std::string node_id;
    std::chrono::milliseconds lease{3000};
    std::chrono::milliseconds demand_linger{30'000};
  };

  // Throws std::invalid_argument when librdkafka refuses the configuration.
  KafkaFrontendSide(const KafkaUrl& url, ops::Registry& metrics, Configuration config);
  ~KafkaFrontendSide() override;

  void start();
  void stop();  // detach_frontend() withdraws the demand first
  bool ready() const { return producer_.reachable(); }

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
  void on_record(const RdKafka::Message& m);          // reader's thread
  void on_quote(std::string symbol, std::string_view value);
  void on_status(const std::string& symbol, std::string_view reason);
  void on_directory(std::string_view value);
  void on_bar(std::string_view key, std::string_view value);
  void on_tick();                                     // producer's thread
  void on_reachable(bool up);                         // producer's thread
  // Sends this frontend's records for `partitions` (all when empty); under mu_.
  void send_demand(const std::set<int>& partitions);

  Configuration config_;
  Producer producer_;
  Reader reader_;

  // Held while a sink runs, so that detach_frontend() can wait for a delivery in progress, and
  // so that a snapshot (add_demand) and a live update are never delivered out of order.
  std::mutex sink_mu_;
  mutable std::mutex mu_;  // everything below
  std::string frontend_id_;
  Sinks sinks_;
  DemandTable demand_;
  std::unordered_map<std::string, EncodedQuote> latest_;
  std::unordered_map<std::string, std::string> unavailable_;  // symbol -> reason
  std::unordered_map<std::string, std::deque<Bar>> bars_;
  std::map<std::string, std::function<void(bool)>> health_watchers_;
  bool live_ = false;
  std::set<int> sent_partitions_;  // partitions this frontend has a standing record in
  std::chrono::steady_clock::time_point next_renewal_{};
  std::string directory_json_;
  std::shared_ptr<const SymbolDirectory> directory_;

  std::atomic<std::int64_t> demanded_count_{0};
  ops::Gauge& ready_;
  ops::Counter& received_;
  ops::Counter& bad_messages_;
  ops::Registry::CallbackHandle demanded_gauge_;
  ops::Registry::CallbackHandle lag_gauge_;
};

}  // namespace tickwire::cache::kafka
