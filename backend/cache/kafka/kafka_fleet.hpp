// Fleet metrics over Kafka: every `interval` this node sends its metrics document to
// tickwire.nodes, keyed by its id; a frontend (`read`) follows the topic and keeps each node's
// latest document with its timestamp, so its operator endpoints list every node that reported
// within `ttl`. /metrics stays per process.
// Unlike the Redis fleet, reading costs the broker nothing per ask: each reader fetches the
// documents as they are written (one per node per interval), whether or not anyone watches.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cache/fleet_view.hpp"
#include "cache/kafka/kafka_producer.hpp"
#include "cache/kafka/kafka_reader.hpp"
#include "cache/kafka/kafka_url.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::kafka {

class KafkaFleet final : public FleetView {
 public:
  struct Configuration {
    std::string node_id;
    std::chrono::milliseconds interval{1000};
    std::chrono::milliseconds ttl{5000};  // a node missing this long leaves the list
    bool read = false;                    // frontends read the fleet; other roles only report
  };

  // `document` runs on the producer's thread and returns this node's metrics document.
  KafkaFleet(const KafkaUrl& url, ops::Registry& metrics, std::function<std::string()> document,
             Configuration config);
  ~KafkaFleet() override;

  void start();
  void stop();

  Nodes nodes() override;
  void read_nodes(std::function<void(Nodes)> done) override;

 private:
  using SystemClock = std::chrono::system_clock;
  void report();

  Configuration config_;
  std::function<std::string()> document_;
  Producer producer_;
  std::unique_ptr<Reader> reader_;  // frontends only
  std::chrono::steady_clock::time_point next_report_{};
  bool stopped_ = false;

  std::mutex mu_;
  struct Document {
    std::string json;
    SystemClock::time_point written;
  };
  std::map<std::string, Document> documents_;  // by node id
};

}  // namespace tickwire::cache::kafka
