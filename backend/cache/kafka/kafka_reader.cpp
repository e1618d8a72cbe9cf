#include "cache/kafka/kafka_reader.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tickwire::cache::kafka {

namespace {

Reader::Partitions names_of(const std::vector<RdKafka::TopicPartition*>& parts) {
  Reader::Partitions out;
  out.reserve(parts.size());
  for (const auto* p : parts) out.emplace_back(p->topic(), p->partition());
  return out;
}

}  // namespace

// Runs inside consume(), on the reader's thread.
class Reader::Rebalance final : public RdKafka::RebalanceCb {
 public:
  explicit Rebalance(Reader& reader) : reader_(reader) {}
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& parts) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      // From the start of each partition: the members rebuild their state from the log.
      for (auto* p : parts) p->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      consumer->assign(parts);
      spdlog::info("{}: assigned {} partition(s)", reader_.config_.who, parts.size());
      if (reader_.handlers_.assigned) reader_.handlers_.assigned(names_of(parts));
    } else {
      const bool lost = consumer->assignment_lost();
      spdlog::info("{}: {} {} partition(s)", reader_.config_.who, lost ? "lost" : "handed over",
                   parts.size());
      if (reader_.handlers_.revoked) reader_.handlers_.revoked(names_of(parts), lost);
      consumer->unassign();
    }
  }

 private:
  Reader& reader_;
};

Reader::Reader(const KafkaUrl& url, Configuration config, Handlers handlers)
    : config_(std::move(config)), handlers_(std::move(handlers)), address_(url.str()) {
  events_ = std::make_unique<Events>(config_.who);
  rebalance_ = std::make_unique<Rebalance>(*this);
  std::map<std::string, std::string> settings{
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "earliest"},
      {"fetch.wait.max.ms", "10"},  // latency over batching: quotes are small and urgent
  };
  if (config_.group.empty()) {
    // A consumer needs a group id even when it assigns partitions itself; it never joins it.
    settings["group.id"] = config_.client_id;
  } else {
    const auto session = config_.session_timeout.count();
    settings["group.id"] = config_.group;
    settings["session.timeout.ms"] = std::to_string(session);
    settings["heartbeat.interval.ms"] = std::to_string(std::max<long>(100, session / 3));
    settings["partition.assignment.strategy"] = "range";
  }
  auto conf = client_config(url, config_.client_id, settings, events_.get());
  std::string error;
  if (!config_.group.empty() &&
      conf->set("rebalance_cb", rebalance_.get(), error) != RdKafka::Conf::CONF_OK) {
    throw std::invalid_argument("kafka rebalance callback: " + error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer_) throw std::invalid_argument("kafka consumer: " + error);
}

Reader::~Reader() { stop(); }

void Reader::start() {
  if (!config_.group.empty()) {
    const auto err = consumer_->subscribe(config_.topics);
    if (err != RdKafka::ERR_NO_ERROR) {
      throw std::invalid_argument(config_.who + ": subscribe: " + RdKafka::err2str(err));
    }
  }
  thread_ = std::thread([this] { run(); });
}

void Reader::stop() {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  // Leaves the group at once (LeaveGroup), so the others take the partitions over without
  // waiting out the session timeout.
  if (consumer_) consumer_->close();
}

bool Reader::assign_everything() {
  std::string why;
  const auto found = topic_partitions(*consumer_, std::chrono::milliseconds(1000), &why);
  if (!found) return false;
  std::vector<RdKafka::TopicPartition*> parts;
  for (const auto& t : config_.topics) {
    const auto it = found->find(t);
    if (it == found->end()) {
      const auto now = std::chrono::steady_clock::now();
      if (now - missing_logged_ >= std::chrono::seconds(10)) {
        missing_logged_ = now;
        spdlog::error("{}: the topic {} does not exist on {}: create it (docs/operations.md, "
                      "\"Scale-out on Kafka\"); waiting for it", config_.who, t, address_);
      }
      RdKafka::TopicPartition::destroy(parts);
      return false;
    }
    for (int p = 0; p < it->second; ++p) {
      parts.push_back(RdKafka::TopicPartition::create(t, p, RdKafka::Topic::OFFSET_BEGINNING));
    }
  }
  const auto err = consumer_->assign(parts);
  const auto names = names_of(parts);
  RdKafka::TopicPartition::destroy(parts);
  if (err != RdKafka::ERR_NO_ERROR) {
    spdlog::error("{}: assign: {}", config_.who, RdKafka::err2str(err));
    return false;
  }
  spdlog::info("{}: reading {} partition(s) from their start", config_.who, names.size());
  if (handlers_.assigned) handlers_.assigned(names);
  return true;
}

void Reader::run() {
  auto next_tick = std::chrono::steady_clock::now();
  const int wait_ms = static_cast<int>(std::min(config_.tick, std::chrono::milliseconds(50)).count());
  while (!stopping_.load()) {
    const auto now = std::chrono::steady_clock::now();
    if (config_.group.empty() && !assigned_all_) {
      if (now < next_assign_try_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
        continue;
      }
      assigned_all_ = assign_everything();
      next_assign_try_ = now + std::chrono::seconds(1);
      continue;
    }
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(wait_ms));
    switch (m->err()) {
      case RdKafka::ERR_NO_ERROR:
        if (handlers_.record) handlers_.record(*m);
        break;
      case RdKafka::ERR__PARTITION_EOF:
        if (handlers_.at_end) handlers_.at_end(m->topic_name(), m->partition());
        break;
      case RdKafka::ERR__TIMED_OUT:
        break;
      default:
        spdlog::debug("{}: {}", config_.who, m->errstr());
        break;
    }
    if (std::chrono::steady_clock::now() >= next_tick) {
      measure_lag();
      if (handlers_.tick) handlers_.tick();
      next_tick = std::chrono::steady_clock::now() + config_.tick;
    }
  }
}

void Reader::measure_lag() {
  std::vector<RdKafka::TopicPartition*> parts;
  if (consumer_->assignment(parts) != RdKafka::ERR_NO_ERROR) return;
  consumer_->position(parts);
  std::map<std::string, std::int64_t> lag;
  for (const auto* p : parts) {
    std::int64_t low = 0, high = 0;
    auto& sum = lag.try_emplace(p->topic(), 0).first->second;
    if (consumer_->get_watermark_offsets(p->topic(), p->partition(), &low, &high) !=
            RdKafka::ERR_NO_ERROR ||
        high < 0) {
      continue;
    }
    const auto at = p->offset() >= 0 ? p->offset() : low;
    sum += std::max<std::int64_t>(0, high - at);
  }
  RdKafka::TopicPartition::destroy(parts);
  std::lock_guard lock(mu_);
  lag_ = std::move(lag);
}

std::int64_t Reader::lag(const std::string& topic) const {
  std::lock_guard lock(mu_);
  const auto it = lag_.find(topic);
  return it == lag_.end() ? -1 : it->second;
}

}  // namespace tickwire::cache::kafka
