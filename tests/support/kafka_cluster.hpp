// A librdkafka mock cluster that a test starts as a process of its own (kafka-mock-cluster,
// tests/support/kafka_mock_cluster/) and stops by its PID: explicitly, or from the destructor
// when the test fails early. Its brokers listen on loopback ports it picks.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"

namespace tickwire::test {

class KafkaCluster {
 public:
  // `name` names the log and bootstrap files in the working directory; `topics` are created
  // with their partition counts.
  KafkaCluster(const std::string& name, std::vector<std::pair<std::string, int>> topics,
               int brokers = 3);
  ~KafkaCluster();

  // The topics the Kafka cache tier expects an operator to have created (docs/operations.md,
  // "Scale-out on Kafka"), with their partition counts.
  static std::vector<std::pair<std::string, int>> cache_tier_topics() {
    return {{"tickwire.quotes", 12}, {"tickwire.demand", 12}, {"tickwire.bars", 12},
            {"tickwire.state", 1},   {"tickwire.nodes", 1},   {"tickwire.exclusive", 1}};
  }

  // librdkafka's bootstrap.servers, and the same as --cache kafka://...
  const std::string& bootstrap() const { return bootstrap_; }
  std::string url() const { return "kafka://" + bootstrap_; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }

  // Every broker down (connections closed, new ones refused) and back up, with its data.
  void brokers_down();
  void brokers_up();

 private:
  std::string bootstrap_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace tickwire::test
