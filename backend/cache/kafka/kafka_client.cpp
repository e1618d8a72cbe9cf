#include "cache/kafka/kafka_client.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace tickwire::cache::kafka {

Events::Events(std::string who, std::function<void()> on_down)
    : who_(std::move(who)), on_down_(std::move(on_down)) {}

bool Events::first_in_a_while(const std::string& what) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  auto& last = last_logged_[what];
  if (last != std::chrono::steady_clock::time_point{} && now - last < std::chrono::seconds(10)) {
    return false;
  }
  last = now;
  return true;
}

void Events::event_cb(RdKafka::Event& event) {
  switch (event.type()) {
    case RdKafka::Event::EVENT_ERROR: {
      if (event.err() == RdKafka::ERR__ALL_BROKERS_DOWN && on_down_) on_down_();
      if (first_in_a_while(RdKafka::err2str(event.err()))) {
        spdlog::error("{}: {} ({})", who_, RdKafka::err2str(event.err()), event.str());
      }
      break;
    }
    case RdKafka::Event::EVENT_LOG: {
      // librdkafka's own lines at warning and above (the configuration asks for no more).
      if (event.severity() > RdKafka::Event::EVENT_SEVERITY_WARNING) break;
      if (first_in_a_while(event.fac())) spdlog::warn("{}: {}: {}", who_, event.fac(), event.str());
      break;
    }
    default:
      break;
  }
}

std::unique_ptr<RdKafka::Conf> client_config(const KafkaUrl& url, const std::string& client_id,
                                             const std::map<std::string, std::string>& settings,
                                             RdKafka::EventCb* events) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::map<std::string, std::string> all{
      {"bootstrap.servers", url.bootstrap_servers()},
      {"client.id", client_id},
      {"log_level", "4"},  // warnings and errors
      // A cluster that comes back is found within a second, not after librdkafka's 10 s backoff.
      {"reconnect.backoff.ms", "100"},
      {"reconnect.backoff.max.ms", "1000"},
      {"socket.keepalive.enable", "true"},
  };
  for (const auto& [k, v] : settings) all[k] = v;
  std::string error;
  for (const auto& [k, v] : all) {
    if (conf->set(k, v, error) != RdKafka::Conf::CONF_OK) {
      throw std::invalid_argument("kafka setting " + k + ": " + error);
    }
  }
  if (events && conf->set("event_cb", events, error) != RdKafka::Conf::CONF_OK) {
    throw std::invalid_argument("kafka event callback: " + error);
  }
  return conf;
}

std::optional<std::map<std::string, int>> topic_partitions(RdKafka::Handle& handle,
                                                           std::chrono::milliseconds timeout,
                                                           std::string* why) {
  RdKafka::Metadata* raw = nullptr;
  const auto err = handle.metadata(true, nullptr, &raw, static_cast<int>(timeout.count()));
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (err != RdKafka::ERR_NO_ERROR || !md) {
    if (why) *why = RdKafka::err2str(err);
    return std::nullopt;
  }
  std::map<std::string, int> out;
  for (const auto* t : *md->topics()) {
    if (t->err() != RdKafka::ERR_NO_ERROR || t->partitions()->empty()) continue;
    out[t->topic()] = static_cast<int>(t->partitions()->size());
  }
  return out;
}

}  // namespace tickwire::cache::kafka
