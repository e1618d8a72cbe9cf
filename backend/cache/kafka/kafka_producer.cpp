#include "cache/kafka/kafka_producer.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "cache/kafka/kafka_topics.hpp"

namespace tickwire::cache::kafka {

class Producer::Reports final : public RdKafka::DeliveryReportCb {
 public:
  Reports(std::string who, ops::Counter& errors) : who_(std::move(who)), errors_(errors) {}
  void dr_cb(RdKafka::Message& m) override {
    if (m.err() == RdKafka::ERR_NO_ERROR) return;
    errors_.inc();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_logged_ < std::chrono::seconds(10)) return;
    last_logged_ = now;
    spdlog::error("{}: a record to {} was not delivered: {}", who_, m.topic_name(), m.errstr());
  }

 private:
  std::string who_;
  ops::Counter& errors_;
  std::chrono::steady_clock::time_point last_logged_{};
};

Producer::Producer(const KafkaUrl& url, ops::Registry& metrics, Configuration config,
                   Handlers handlers)
    : config_(std::move(config)),
      handlers_(std::move(handlers)),
      address_(url.str()),
      // tickwire_kafka_*, not tickwire_cache_*: every role has producers (the fleet's), and a
      // cache metric on the exchange would give it a cache card in the operator view.
      errors_(metrics.counter("tickwire_kafka_produce_errors_total",
                              "Records Kafka did not take (delivery failed)")),
      refused_(metrics.counter("tickwire_kafka_produce_deferred_total",
                               "Times the producer could not queue a record (queue full, or the "
                               "topic not known yet); a record kept back counts at each retry")) {
  events_ = std::make_unique<Events>(config_.who);
  reports_ = std::make_unique<Reports>(config_.who, errors_);
  auto conf = client_config(url, config_.client_id,
                            {
                                // Quotes go out at once (one loop turn of batching at most).
                                {"linger.ms", "1"},
                                // Kept until the cluster takes them, however long it is away:
                                // the queue bound, not a timeout, limits the memory.
                                {"message.timeout.ms", "0"},
                                {"queue.buffering.max.messages", std::to_string(config_.max_queued)},
                                {"enable.idempotence", "false"},
                            },
                            events_.get());
  std::string error;
  if (conf->set("dr_cb", reports_.get(), error) != RdKafka::Conf::CONF_OK) {
    throw std::invalid_argument("kafka delivery reports: " + error);
  }
  producer_.reset(RdKafka::Producer::create(conf.get(), error));
  if (!producer_) throw std::invalid_argument("kafka producer: " + error);
}

Producer::~Producer() { stop(std::chrono::milliseconds(0)); }

void Producer::start() {
  thread_ = std::thread([this] { run(); });
}

void Producer::stop(std::chrono::milliseconds flush) {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (producer_ && flush.count() > 0) producer_->flush(static_cast<int>(flush.count()));
  if (producer_ && producer_->outq_len() > 0) {
    spdlog::warn("{}: {} record(s) not delivered at shutdown", config_.who, producer_->outq_len());
  }
}

void Producer::run() {
  auto next_probe = std::chrono::steady_clock::now();
  auto next_tick = next_probe;
  while (!stopping_.load()) {
    producer_->poll(static_cast<int>(std::min(config_.tick, std::chrono::milliseconds(50)).count()));
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_probe) {
      probe();
      next_probe = std::chrono::steady_clock::now() + config_.probe_interval;
    }
    if (now >= next_tick) {
      if (handlers_.tick) handlers_.tick();
      next_tick = now + config_.tick;
    }
  }
}

void Producer::probe() {
  std::string why;
  const auto found = topic_partitions(*producer_, std::chrono::milliseconds(1000), &why);
  const bool up = found.has_value();
  if (found) {
    std::lock_guard lock(mu_);
    partitions_ = *found;
  }
  reachable_ = up;
  // The first answer is logged either way: a cluster that never answers is named at once.
  if (probed_ && up == reported_reachable_) return;
  probed_ = true;
  reported_reachable_ = up;
  if (up) {
    spdlog::info("{}: Kafka at {} answers{}", config_.who, address_,
                 ever_reachable_ ? " again" : "");
    for (const char* t : {topics::quotes, topics::demand, topics::bars, topics::state,
                          topics::nodes, topics::exclusive}) {
      if (!found->contains(t)) {
        spdlog::error("{}: the topic {} does not exist on {}: create it (docs/operations.md, "
                      "\"Scale-out on Kafka\")", config_.who, t, address_);
      }
    }
    ever_reachable_ = true;
  } else {
    spdlog::error("{}: Kafka at {} does not answer: {}", config_.who, address_, why);
  }
  if (handlers_.reachable) handlers_.reachable(up);
}

std::optional<int> Producer::partitions(const std::string& topic) const {
  std::lock_guard lock(mu_);
  const auto it = partitions_.find(topic);
  if (it == partitions_.end()) return std::nullopt;
  return it->second;
}

bool Producer::send_routed(const std::string& topic, std::string_view route,
                           std::string_view key, std::string_view value) {
  const auto n = partitions(topic);
  if (!n) {
    refused_.inc();
    return false;
  }
  return send(topic, topics::partition_of(route, *n), key, value);
}

bool Producer::send(const std::string& topic, int partition, std::string_view key,
                    std::optional<std::string_view> value) {
  // librdkafka's produce() takes a non-const payload pointer; with RK_MSG_COPY it only reads it.
  const auto err = producer_->produce(
      topic, partition, RdKafka::Producer::RK_MSG_COPY,
      value ? const_cast<char*>(value->data()) : nullptr, value ? value->size() : 0, key.data(),
      key.size(), 0, nullptr);
  if (err == RdKafka::ERR_NO_ERROR) return true;
  refused_.inc();
  if (err != RdKafka::ERR__QUEUE_FULL) errors_.inc();
  return false;
}

}  // namespace tickwire::cache::kafka
