// What every Kafka client of the cache tier shares: its librdkafka configuration, built from
// the --cache kafka:// URL, and its events (errors and librdkafka's own log lines) routed to
// spdlog, each kind at most once per 10 s, so a cluster that is away does not flood the log.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cache/kafka/kafka_url.hpp"

namespace tickwire::cache::kafka {

class Events final : public RdKafka::EventCb {
 public:
  // `who` names the client in log lines ("kafka frontend producer"). `on_down` runs, on
  // librdkafka's thread, when every broker is down.
  explicit Events(std::string who, std::function<void()> on_down = {});
  void event_cb(RdKafka::Event& event) override;

 private:
  bool first_in_a_while(const std::string& what);

  std::string who_;
  std::function<void()> on_down_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_logged_;
};

// The settings every client of the cache tier uses, plus `settings` (which win). Throws
// std::invalid_argument naming the setting librdkafka refused.
std::unique_ptr<RdKafka::Conf> client_config(const KafkaUrl& url, const std::string& client_id,
                                             const std::map<std::string, std::string>& settings,
                                             RdKafka::EventCb* events);

// The partition counts of the cache tier's topics from the cluster's metadata (blocking up to
// `timeout`); nullopt and `why` when the cluster did not answer. Topics it does not have are
// left out.
std::optional<std::map<std::string, int>> topic_partitions(RdKafka::Handle& handle,
                                                           std::chrono::milliseconds timeout,
                                                           std::string* why);

}  // namespace tickwire::cache::kafka
