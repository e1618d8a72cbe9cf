#include "cache/kafka/kafka_fleet.hpp"

#include "cache/kafka/kafka_message.hpp"
#include "cache/kafka/kafka_topics.hpp"

namespace tickwire::cache::kafka {

KafkaFleet::KafkaFleet(const KafkaUrl& url, ops::Registry& metrics,
                       std::function<std::string()> document, Configuration config)
    : config_(std::move(config)),
      document_(std::move(document)),
      producer_(url, metrics,
                {.client_id = config_.node_id + "-fleet", .who = "kafka fleet producer"},
                {.tick = [this] { report(); }}) {
  if (!config_.read) return;
  reader_ = std::make_unique<Reader>(
      url,
      Reader::Configuration{.client_id = config_.node_id + "-fleet-nodes",
                            .who = "kafka fleet nodes",
                            .topics = {topics::nodes}},
      Reader::Handlers{.record = [this](const RdKafka::Message& m) {
        std::string id(key_of(m));
        if (id.empty()) return;
        std::lock_guard lock(mu_);
        if (!m.payload()) {
          documents_.erase(id);  // a node that stopped cleanly
          return;
        }
        const auto ts = m.timestamp();
        const auto written = ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE
                                 ? SystemClock::now()
                                 : SystemClock::time_point(std::chrono::milliseconds(ts.timestamp));
        documents_[std::move(id)] =
            Document{std::string(value_of(m)), written};
      }});
}

KafkaFleet::~KafkaFleet() { stop(); }

void KafkaFleet::start() {
  producer_.start();
  if (reader_) reader_->start();
}

void KafkaFleet::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (reader_) reader_->stop();
  // Leave the list at once rather than after the ttl.
  producer_.send(topics::nodes, 0, config_.node_id, std::nullopt);
  producer_.stop(std::chrono::milliseconds(500));
}

void KafkaFleet::report() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_report_) return;
  next_report_ = now + config_.interval;
  producer_.send(topics::nodes, 0, config_.node_id, document_());
}

KafkaFleet::Nodes KafkaFleet::nodes() {
  const auto now = SystemClock::now();
  Nodes out;
  std::lock_guard lock(mu_);
  for (auto it = documents_.begin(); it != documents_.end();) {
    if (now - it->second.written > config_.ttl) {
      it = documents_.erase(it);  // gone quiet: it left the fleet
      continue;
    }
    out.push_back(it->second.json);
    ++it;
  }
  return out;
}

void KafkaFleet::read_nodes(std::function<void(Nodes)> done) { done(nodes()); }

}  // namespace tickwire::cache::kafka
