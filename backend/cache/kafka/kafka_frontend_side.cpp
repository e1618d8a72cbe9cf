#include "cache/kafka/kafka_frontend_side.hpp"

#include <spdlog/spdlog.h>

#include "cache/kafka/demand_record.hpp"
#include "cache/kafka/kafka_message.hpp"
#include "cache/kafka/kafka_topics.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::cache::kafka {

KafkaFrontendSide::KafkaFrontendSide(const KafkaUrl& url, ops::Registry& metrics,
                                     Configuration config)
    : config_(std::move(config)),
      producer_(url, metrics,
                {.client_id = config_.node_id + "-frontend", .who = "kafka frontend producer"},
                {.reachable = [this](bool up) { on_reachable(up); },
                 .tick = [this] { on_tick(); }}),
      reader_(url,
              {.client_id = config_.node_id + "-frontend-quotes",
               .who = "kafka frontend quotes",
               .topics = {topics::quotes, topics::bars, topics::state}},
              {.record = [this](const RdKafka::Message& m) { on_record(m); }}),
      demand_(config_.demand_linger),
      ready_(metrics.gauge("tickwire_kafka_ready", "1 while the Kafka cluster answers, else 0")),
      received_(metrics.counter("tickwire_cache_fanout_total",
                                "Quote deliveries from the cache to frontends")),
      bad_messages_(metrics.counter("tickwire_cache_bad_messages_total",
                                    "Pub/sub messages or stored quotes that did not decode")) {
  demanded_gauge_ = metrics.gauge_callback(
      "tickwire_cache_demanded_symbols", "Symbols this frontend demands (including lingering)", {},
      [this] { return static_cast<double>(demanded_count_.load()); });
  lag_gauge_ = metrics.gauge_callback(
      "tickwire_cache_kafka_consumer_lag",
      "Records of tickwire.quotes this frontend has not read yet (0 until first measured)", {},
      [this] { return static_cast<double>(std::max<std::int64_t>(0, reader_.lag(topics::quotes))); });
}

KafkaFrontendSide::~KafkaFrontendSide() { stop(); }

void KafkaFrontendSide::start() {
  producer_.start();
  reader_.start();
}

void KafkaFrontendSide::stop() {
  reader_.stop();
  producer_.stop(std::chrono::milliseconds(1000));
}

void KafkaFrontendSide::attach_frontend(const std::string& frontend_id, Sinks sinks) {
  std::lock_guard sinks_lock(sink_mu_);
  std::lock_guard lock(mu_);
  frontend_id_ = frontend_id;
  sinks_ = std::move(sinks);
  next_renewal_ = {};  // sent at the next tick
}

void KafkaFrontendSide::detach_frontend(const std::string& frontend_id) {
  std::lock_guard sinks_lock(sink_mu_);  // waits for a delivery in progress
  std::lock_guard lock(mu_);
  health_watchers_.erase(frontend_id);
  if (frontend_id != frontend_id_) return;
  // Withdraw the demand at once rather than letting the lease run out.
  for (const int p : sent_partitions_) producer_.send(topics::demand, p, frontend_id_, std::nullopt);
  sent_partitions_.clear();
  demand_ = DemandTable(config_.demand_linger);
  demanded_count_ = 0;
  sinks_ = Sinks{};
  frontend_id_.clear();
}

void KafkaFrontendSide::add_demand(const std::string& frontend_id,
                                   const std::vector<std::string>& symbols) {
  std::vector<EncodedQuote> snapshot;
  std::vector<SymbolStatus> statuses;
  Sinks sinks;
  std::lock_guard sinks_lock(sink_mu_);  // no live update overtakes the snapshot
  {
    std::lock_guard lock(mu_);
    if (frontend_id != frontend_id_) return;
    std::set<int> changed;
    const auto n = producer_.partitions(topics::demand);
    for (const auto& s : symbols) {
      if (demand_.add(frontend_id, s) && n) changed.insert(topics::partition_of(s, *n));
      if (const auto q = latest_.find(s); q != latest_.end()) snapshot.push_back(q->second);
      if (const auto u = unavailable_.find(s); u != unavailable_.end()) {
        statuses.push_back(SymbolStatus{s, u->second});
      }
    }
    demanded_count_ = static_cast<std::int64_t>(demand_.size());
    if (!changed.empty()) send_demand(changed);
    sinks = sinks_;
  }
  for (const auto& q : snapshot) {
    if (sinks.quote) sinks.quote(q);
  }
  for (const auto& st : statuses) {
    if (sinks.symbol_status) sinks.symbol_status(st);
  }
}

void KafkaFrontendSide::release_demand(const std::string& frontend_id,
                                       const std::vector<std::string>& symbols) {
  std::lock_guard lock(mu_);
  if (frontend_id != frontend_id_) return;
  const auto now = DemandTable::Clock::now();
  for (const auto& s : symbols) demand_.release(frontend_id, s, now);
}

void KafkaFrontendSide::send_demand(const std::set<int>& partitions) {
  if (frontend_id_.empty()) return;
  const auto n = producer_.partitions(topics::demand);
  if (!n) return;  // the cluster has not answered yet: the renewal sends it all
  std::map<int, std::vector<std::string>> by_partition;
  for (auto& s : demand_.demanded_symbols()) {
    const int p = topics::partition_of(s, *n);
    if (partitions.empty() || partitions.contains(p)) by_partition[p].push_back(std::move(s));
  }
  std::set<int> targets = partitions;
  if (partitions.empty()) {
    targets = sent_partitions_;
    for (const auto& [p, symbols] : by_partition) targets.insert(p);
  }
  for (const int p : targets) {
    const auto it = by_partition.find(p);
    if (it == by_partition.end()) {
      if (sent_partitions_.contains(p) &&
          producer_.send(topics::demand, p, frontend_id_, std::nullopt)) {
        sent_partitions_.erase(p);
      }
      continue;
    }
    const auto value = encode_demand(DemandRecord{config_.lease, std::move(it->second)});
    if (producer_.send(topics::demand, p, frontend_id_, value)) {
      sent_partitions_.insert(p);
    } else {
      next_renewal_ = {};  // queue full: everything again at the next tick
    }
  }
}

void KafkaFrontendSide::on_tick() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  const auto gone = demand_.expire(now);
  if (!gone.empty()) {
    demanded_count_ = static_cast<std::int64_t>(demand_.size());
    if (const auto n = producer_.partitions(topics::demand)) {
      std::set<int> changed;
      for (const auto& s : gone) changed.insert(topics::partition_of(s, *n));
      send_demand(changed);
    }
  }
  if (now >= next_renewal_ && producer_.partitions(topics::demand)) {
    next_renewal_ = now + config_.lease / 3;
    send_demand({});
  }
}

void KafkaFrontendSide::on_reachable(bool up) {
  std::lock_guard lock(mu_);
  ready_.set(up ? 1 : 0);
  if (up) next_renewal_ = {};  // the demand again at once: the cluster may have lost it
  if (up == live_) return;
  live_ = up;
  for (auto& [id, w] : health_watchers_) w(up);
}

void KafkaFrontendSide::watch_health(const std::string& frontend_id,
                                     std::function<void(bool live)> watcher) {
  std::lock_guard lock(mu_);
  watcher(live_);
  health_watchers_[frontend_id] = std::move(watcher);
}

void KafkaFrontendSide::on_record(const RdKafka::Message& m) {
  const auto key = key_of(m);
  if (m.topic_name() == topics::state) {
    if (key == "directory" && m.payload()) on_directory(value_of(m));
    return;
  }
  if (m.topic_name() == topics::bars) {
    if (m.payload()) on_bar(key, value_of(m));
    return;
  }
  if (key.empty() || !m.payload()) {
    bad_messages_.inc();
    return;
  }
  if (key.ends_with(topics::status_key_suffix)) {
    return on_status(std::string(key.substr(0, key.size() - topics::status_key_suffix.size())),
                     value_of(m));
  }
  on_quote(std::string(key), value_of(m));
}

void KafkaFrontendSide::on_quote(std::string symbol, std::string_view value) {
  auto q = from_envelope(std::move(symbol), value);
  if (!q) {
    bad_messages_.inc();
    spdlog::debug("kafka frontend: a quote record is not an envelope: {}", value.substr(0, 200));
    return;
  }
  QuoteSink sink;
  std::lock_guard sinks_lock(sink_mu_);
  {
    std::lock_guard lock(mu_);
    auto& latest = latest_[q->symbol];
    if (latest.seq >= q->seq) return;  // an older one (two dispatchers during a handover)
    latest = *q;
    unavailable_.erase(q->symbol);  // a quote of a symbol means it is available
    if (demand_.demanded(q->symbol)) sink = sinks_.quote;
  }
  if (!sink) return;
  received_.inc();
  sink(*q);
}

void KafkaFrontendSide::on_status(const std::string& symbol, std::string_view reason) {
  SymbolStatusSink sink;
  std::lock_guard sinks_lock(sink_mu_);
  {
    std::lock_guard lock(mu_);
    if (reason.empty()) {
      unavailable_.erase(symbol);
    } else {
      unavailable_[symbol] = std::string(reason);
    }
    if (demand_.demanded(symbol)) sink = sinks_.symbol_status;
  }
  if (sink) sink(SymbolStatus{symbol, std::string(reason)});
}

void KafkaFrontendSide::on_directory(std::string_view value) {
  {
    std::lock_guard lock(mu_);
    if (value == directory_json_) return;
  }
  std::string error;
  auto dir = SymbolDirectory::from_json(value, &error);
  if (!dir) {
    bad_messages_.inc();
    spdlog::error("kafka frontend: the symbol directory on {} does not decode: {}", topics::state,
                  error);
    return;
  }
  spdlog::info("kafka frontend: symbol directory loaded ({} symbols)", dir->size());
  std::lock_guard lock(mu_);
  directory_json_ = std::string(value);
  directory_ = std::make_shared<SymbolDirectory>(std::move(*dir));
}

std::shared_ptr<const SymbolDirectory> KafkaFrontendSide::directory() const {
  std::lock_guard lock(mu_);
  return directory_;
}

void KafkaFrontendSide::on_bar(std::string_view key, std::string_view value) {
  const auto at = key.rfind(topics::bar_key_separator);
  auto bar = at == std::string_view::npos ? std::nullopt : decode_bar(value);
  if (!bar || !is_valid_symbol(key.substr(0, at))) {
    bad_messages_.inc();
    return;
  }
  std::lock_guard lock(mu_);
  replace_bars(bars_[std::string(key.substr(0, at))], std::span<const Bar>(&*bar, 1));
}

void KafkaFrontendSide::read_bars(const std::string& symbol, BarsReply done) {
  std::vector<Bar> out;
  {
    std::lock_guard lock(mu_);
    if (const auto it = bars_.find(symbol); it != bars_.end()) {
      out.assign(it->second.begin(), it->second.end());
    }
  }
  done(std::move(out));
}

}  // namespace tickwire::cache::kafka
