#include "kafka_cluster.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace tickwire::test {

KafkaCluster::KafkaCluster(const std::string& name,
                           std::vector<std::pair<std::string, int>> topics, int brokers) {
  const std::string file = name + ".bootstrap";
  std::remove(file.c_str());
  ChildProcess::Options o;
  o.argv = {KAFKA_MOCK_CLUSTER_PATH, "--bootstrap-file", file, "--brokers",
            std::to_string(brokers)};
  for (const auto& [topic, partitions] : topics) {
    o.argv.push_back("--topic");
    o.argv.push_back(topic + ":" + std::to_string(partitions));
  }
  o.log_file = name + ".log";
  process_ = std::make_unique<ChildProcess>(o);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(file);
    if (std::getline(in, bootstrap_) && !bootstrap_.empty()) return;
    if (!process_->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("kafka-mock-cluster did not start; see " + o.log_file);
}

KafkaCluster::~KafkaCluster() {
  if (!process_) return;
  process_->signal(SIGTERM);
  if (!process_->wait_exit(std::chrono::seconds(5))) process_->signal(SIGKILL);
}

void KafkaCluster::brokers_down() { process_->signal(SIGUSR1); }
void KafkaCluster::brokers_up() { process_->signal(SIGUSR2); }

}  // namespace tickwire::test
