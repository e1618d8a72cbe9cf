// One librdkafka producer of the cache tier, with a thread of its own that serves its delivery
// reports and, every `probe_interval`, asks the cluster for its metadata: that answer keeps the
// topics' partition counts and tells whether the cluster is reachable (a producer alone cannot
// tell: it queues while the brokers are away). send() never blocks: a record that cannot be
// queued now (partitions not known yet, queue full) is refused, and the caller keeps it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "cache/kafka/kafka_client.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::kafka {

class Producer {
 public:
  struct Configuration {
    std::string client_id{};
    std::string who{};  // names this producer in log lines
    std::chrono::milliseconds probe_interval{500};
    std::chrono::milliseconds tick{100};
    int max_queued = 100'000;  // records queued in librdkafka (past it send() refuses)
  };
  struct Handlers {
    std::function<void(bool reachable)> reachable{};  // on every change, on this thread
    std::function<void()> tick{};                     // every `tick`, on this thread
  };

  // Throws std::invalid_argument when librdkafka refuses the configuration.
  Producer(const KafkaUrl& url, ops::Registry& metrics, Configuration config, Handlers handlers);
  ~Producer();

  void start();
  // Delivers what is queued (up to `flush`) and ends the thread.
  void stop(std::chrono::milliseconds flush);

  // To the partition of `route` (topics::partition_of) of `topic`.
  bool send_routed(const std::string& topic, std::string_view route, std::string_view key,
                   std::string_view value);
  // To `partition`; `value` nullopt is a tombstone (compaction removes the key).
  bool send(const std::string& topic, int partition, std::string_view key,
            std::optional<std::string_view> value);

  std::optional<int> partitions(const std::string& topic) const;
  bool reachable() const noexcept { return reachable_.load(); }

 private:
  class Reports;
  void run();
  void probe();

  Configuration config_;
  Handlers handlers_;
  std::unique_ptr<Events> events_;
  std::unique_ptr<Reports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> reachable_{false};
  bool probed_ = false;
  bool reported_reachable_ = false;
  bool ever_reachable_ = false;
  std::string address_;

  mutable std::mutex mu_;
  std::map<std::string, int> partitions_;

  ops::Counter& errors_;
  ops::Counter& refused_;
};

}  // namespace tickwire::cache::kafka
