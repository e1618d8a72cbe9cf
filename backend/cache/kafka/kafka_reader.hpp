// One librdkafka consumer of the cache tier, with a thread of its own that runs every handler.
// Two ways to read:
//   - without a group: every partition of `topics`, from the start of the log (the topics are
//     compacted, so the start holds the latest record of every key), then follows them;
//   - in `group`: Kafka's group protocol shares the partitions of `topics` among the members;
//     each assigned partition is read from its start, and `assigned`/`revoked` tell the owner.
//     Offsets are never committed: the state a member rebuilds is in the log itself.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cache/kafka/kafka_client.hpp"

namespace tickwire::cache::kafka {

class Reader {
 public:
  using Partitions = std::vector<std::pair<std::string, int>>;  // topic, partition
  struct Configuration {
    std::string client_id{};
    std::string who{};  // names this reader in log lines
    std::vector<std::string> topics{};
    std::string group{};  // empty: every partition, no group
    // In a group: a member that stops heartbeating is out after this long.
    std::chrono::milliseconds session_timeout{6000};
    std::chrono::milliseconds tick{100};
  };
  struct Handlers {
    std::function<void(const RdKafka::Message&)> record{};
    std::function<void(const Partitions&)> assigned{};  // read from their start from now on
    // `lost`: the assignment was lost (no heartbeat got through) rather than handed over.
    std::function<void(const Partitions&, bool lost)> revoked{};
    std::function<void(const std::string& topic, int partition)> at_end{};  // caught up with it
    std::function<void()> tick{};
  };

  // Throws std::invalid_argument when librdkafka refuses the configuration.
  Reader(const KafkaUrl& url, Configuration config, Handlers handlers);
  ~Reader();

  void start();
  void stop();  // leaves the group (partitions go to the others at once) and ends the thread

  // Records of `topic` in its assigned partitions not read yet (from the last fetch's high
  // watermarks), updated every tick; -1 until known.
  std::int64_t lag(const std::string& topic) const;

 private:
  class Rebalance;
  void run();
  bool assign_everything();
  void measure_lag();

  Configuration config_;
  Handlers handlers_;
  std::unique_ptr<Events> events_;
  std::unique_ptr<Rebalance> rebalance_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  bool assigned_all_ = false;
  std::chrono::steady_clock::time_point next_assign_try_{};
  std::chrono::steady_clock::time_point missing_logged_{};
  std::string address_;

  mutable std::mutex mu_;
  std::map<std::string, std::int64_t> lag_;
};

}  // namespace tickwire::cache::kafka
