#include "cache/kafka/kafka_dispatch_side.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "cache/kafka/demand_record.hpp"
#include "cache/kafka/kafka_message.hpp"
#include "cache/kafka/kafka_topics.hpp"
#include "tickwire/bar_json.hpp"

namespace tickwire::cache::kafka {

KafkaDispatchSide::KafkaDispatchSide(const KafkaUrl& url, ops::Registry& metrics,
                                     Configuration config)
    : config_(std::move(config)),
      url_(url),
      metrics_(metrics),
      producer_(url, metrics,
                {.client_id = config_.node_id + "-dispatch", .who = "kafka dispatch producer"},
                {.reachable = [this](bool up) { ready_.set(up ? 1 : 0); },
                 .tick = [this] { send_pending(); }}),
      quotes_(url,
              {.client_id = config_.node_id + "-dispatch-quotes",
               .who = "kafka dispatch quotes",
               .topics = {topics::quotes}},
              {.record = [this](const RdKafka::Message& m) { on_quote_record(m); }}),
      demand_(url,
              {.client_id = config_.node_id + "-dispatch-demand",
               .who = "kafka dispatch demand",
               .topics = {topics::demand},
               .group = "tickwire.dispatchers",
               .session_timeout = config_.lease},
              {.record = [this](const RdKafka::Message& m) { on_demand_record(m); },
               .assigned = [this](const Reader::Partitions& p) { on_assigned(p); },
               .revoked = [this](const Reader::Partitions& p, bool lost) { on_revoked(p, lost); },
               .at_end =
                   [this](const std::string&, int partition) {
                     replaying_.erase(partition);
                     demand_dirty_ = true;
                   },
               .tick = [this] { on_demand_tick(); }}),
      ready_(metrics.gauge("tickwire_kafka_ready", "1 while the Kafka cluster answers, else 0")),
      published_(metrics.counter("tickwire_cache_quotes_total", "Quotes published to the cache")),
      rejected_(metrics.counter("tickwire_cache_stale_quotes_total",
                                "Quotes not stored because the cache holds a newer seq")),
      bad_records_(metrics.counter("tickwire_cache_bad_messages_total",
                                   "Pub/sub messages or stored quotes that did not decode")),
      // Not tickwire_cache_fleet_demanded_symbols: over Kafka a dispatcher sees only the demand
      // of the partitions it owns, not the fleet's.
      demanded_gauge_(metrics.gauge("tickwire_cache_kafka_owned_symbols",
                                    "Symbols demanded in the partitions this dispatcher owns")),
      owned_partitions_(metrics.gauge("tickwire_cache_kafka_owned_partitions",
                                      "Partitions of tickwire.demand this dispatcher is assigned")) {}

KafkaDispatchSide::~KafkaDispatchSide() { stop(); }

void KafkaDispatchSide::start() {
  started_ = true;
  producer_.start();
  quotes_.start();
  demand_.start();
  std::lock_guard lock(exclusive_mu_);
  if (exclusive_) exclusive_->start();
}

void KafkaDispatchSide::stop() {
  {
    std::lock_guard lock(exclusive_mu_);
    if (exclusive_) exclusive_->stop();
  }
  demand_.stop();
  quotes_.stop();
  producer_.stop(std::chrono::milliseconds(1000));
}

void KafkaDispatchSide::publish(const EncodedQuote& q) {
  std::optional<Rejection> rejection;
  std::function<void(const Rejection&)> watcher;
  {
    std::lock_guard lock(mu_);
    const auto it = held_.find(q.symbol);
    if (it != held_.end() && it->second.seq >= q.seq) {
      rejection = Rejection{q.symbol, it->second.seq, it->second.ts};
      watcher = rejection_watcher_;
    } else if (const auto p = pending_.find(q.symbol); p != pending_.end()) {
      p->second = q;  // behind a quote that waits: conflated, and sent in order
    } else if (producer_.send_routed(topics::quotes, q.symbol, q.symbol, to_envelope(q))) {
      published_.inc();
    } else {
      pending_.emplace(q.symbol, q);
    }
  }
  if (!rejection) return;
  rejected_.inc();
  if (watcher) watcher(*rejection);
}

void KafkaDispatchSide::send_pending() {
  std::lock_guard lock(mu_);
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (!producer_.send_routed(topics::quotes, it->first, it->first, to_envelope(it->second))) {
      return;  // still full: the rest wait for the next tick
    }
    published_.inc();
    it = pending_.erase(it);
  }
  for (auto it = pending_status_.begin(); it != pending_status_.end();) {
    const std::string key = it->first + std::string(topics::status_key_suffix);
    if (!producer_.send_routed(topics::quotes, it->first, key, it->second)) return;
    it = pending_status_.erase(it);
  }
  if (pending_directory_ && producer_.send(topics::state, 0, "directory", *pending_directory_)) {
    pending_directory_.reset();
  }
  for (auto it = pending_bars_.begin(); it != pending_bars_.end();) {
    auto& bars = it->second;
    while (!bars.empty() && send_bar(it->first, bars.front())) bars.pop_front();
    if (!bars.empty()) return;
    it = pending_bars_.erase(it);
  }
}

void KafkaDispatchSide::watch_rejections(std::function<void(const Rejection&)> watcher) {
  std::lock_guard lock(mu_);
  rejection_watcher_ = std::move(watcher);
}

void KafkaDispatchSide::on_quote_record(const RdKafka::Message& m) {
  const auto key = key_of(m);
  if (key.empty() || key.ends_with(topics::status_key_suffix)) return;
  const auto header = envelope_header(value_of(m));
  if (!header) {
    bad_records_.inc();
    return;
  }
  std::lock_guard lock(mu_);
  auto it = held_.find(key);
  if (it == held_.end()) it = held_.emplace(std::string(key), Held{}).first;
  if (header->seq > it->second.seq) it->second = Held{header->seq, header->ts};
}

void KafkaDispatchSide::watch_demand(std::function<void(const DemandChange&)> watcher) {
  std::lock_guard lock(demand_mu_);
  demand_watcher_ = std::move(watcher);
  if (demand_known_) demand_watcher_(DemandChange{{reported_.begin(), reported_.end()}, {}});
}

void KafkaDispatchSide::join_dispatchers(
    const std::string& dispatcher_id, std::function<void(const std::vector<std::string>&)> watcher) {
  std::lock_guard lock(demand_mu_);
  members_watcher_ = std::move(watcher);
  // The group decides ownership: alone in its own list, this dispatcher owns all it is told.
  if (demand_known_) members_watcher_({dispatcher_id});
}

void KafkaDispatchSide::leave_dispatchers(const std::string&) {
  // Leaving the group is stop()'s (the reader's close() sends LeaveGroup).
}

void KafkaDispatchSide::on_assigned(const Reader::Partitions& parts) {
  std::map<int, std::unordered_map<std::string, Standing>> fresh;
  assigned_once_ = true;
  assignment_read_at_ = std::chrono::steady_clock::now();
  replaying_.clear();
  for (const auto& [topic, p] : parts) {
    fresh[p];  // read again from the start: what an earlier owner held is in the log
    replaying_.insert(p);
  }
  standing_ = std::move(fresh);
  owned_partitions_.set(static_cast<std::int64_t>(parts.size()));
  demand_dirty_ = true;
}

void KafkaDispatchSide::on_revoked(const Reader::Partitions& parts, bool lost) {
  for (const auto& [topic, p] : parts) {
    standing_.erase(p);
    replaying_.erase(p);
  }
  owned_partitions_.set(static_cast<std::int64_t>(standing_.size()));
  // Handed over in a rebalance: most come back in the next assignment, moments later. Lost
  // (the cluster away): nothing can be published anyway, and tearing the upstream down only
  // delays the recovery; the next assignment decides.
  const auto now = std::chrono::steady_clock::now();
  hold_until_ = lost ? std::chrono::steady_clock::time_point::max() : now + config_.lease;
}

void KafkaDispatchSide::on_demand_record(const RdKafka::Message& m) {
  auto owned = standing_.find(m.partition());
  if (owned == standing_.end()) return;
  const std::string frontend(key_of(m));
  if (frontend.empty()) {
    bad_records_.inc();
    return;
  }
  demand_dirty_ = true;
  if (!m.payload()) {  // a tombstone: the frontend withdrew its demand
    owned->second.erase(frontend);
    return;
  }
  std::string why;
  auto record = decode_demand(value_of(m), &why);
  if (!record) {
    bad_records_.inc();
    spdlog::warn("kafka dispatch demand: a record of {} does not decode: {}", frontend, why);
    return;
  }
  const auto ts = m.timestamp();
  const auto written = ts.type == RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE
                           ? SystemClock::now()
                           : SystemClock::time_point(std::chrono::milliseconds(ts.timestamp));
  owned->second[frontend] = Standing{std::move(record->symbols),
                                     written + record->lease};
}

void KafkaDispatchSide::on_demand_tick() {
  const auto now = SystemClock::now();
  // Nothing is known before the group's first assignment, or while one is still being read.
  if (!assigned_once_ || !replaying_.empty()) return;
  if (hold_until_) {
    if (!demand_dirty_ && std::chrono::steady_clock::now() < *hold_until_) return;
    hold_until_.reset();
  }
  if (!demand_dirty_ && now < next_expiry_ && demand_known_) return;
  report_demand(now);
}

void KafkaDispatchSide::report_demand(SystemClock::time_point now) {
  demand_dirty_ = false;
  next_expiry_ = SystemClock::time_point::max();
  std::set<std::string> demanded;
  for (auto& [p, frontends] : standing_) {
    for (auto it = frontends.begin(); it != frontends.end();) {
      if (it->second.until <= now) {
        it = frontends.erase(it);  // the frontend stopped renewing: its lease ran out
        continue;
      }
      next_expiry_ = std::min(next_expiry_, it->second.until);
      demanded.insert(it->second.symbols.begin(), it->second.symbols.end());
      ++it;
    }
  }
  DemandChange change;
  std::set_difference(demanded.begin(), demanded.end(), reported_.begin(), reported_.end(),
                      std::back_inserter(change.added));
  if (assignment_read_at_) {
    spdlog::info("kafka dispatch demand: {} symbol(s) demanded in the {} partition(s) owned, read "
                 "in {} ms", demanded.size(), standing_.size(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - *assignment_read_at_).count());
    assignment_read_at_.reset();
  }
  std::set_difference(reported_.begin(), reported_.end(), demanded.begin(), demanded.end(),
                      std::back_inserter(change.removed));
  std::lock_guard lock(demand_mu_);
  const bool first = !demand_known_;
  demand_known_ = true;
  demand_ready_ = true;
  reported_ = std::move(demanded);
  demanded_gauge_.set(static_cast<std::int64_t>(reported_.size()));
  if (first && members_watcher_) members_watcher_({config_.node_id});
  if (demand_watcher_ && (first || !change.added.empty() || !change.removed.empty())) {
    demand_watcher_(change);
  }
}

void KafkaDispatchSide::hold_exclusive(const std::string& name, const std::string& holder,
                                       std::function<void(bool held)> watcher) {
  // One group per lease name, all on the one partition of tickwire.exclusive: the member the
  // group assigns it to holds the lease.
  auto shared = std::make_shared<std::function<void(bool)>>(std::move(watcher));
  std::string group = "tickwire.exclusive.";
  for (const char c : name) group += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  auto reader = std::make_unique<Reader>(
      url_,
      Reader::Configuration{.client_id = holder + "-exclusive",
                            .who = "kafka exclusive lease " + name,
                            .topics = {topics::exclusive},
                            .group = group,
                            .session_timeout = config_.lease},
      Reader::Handlers{.assigned =
                       [shared, name](const Reader::Partitions& parts) {
                         if (parts.empty()) return;
                         spdlog::info("kafka exclusive lease {}: held", name);
                         (*shared)(true);
                       },
                       .revoked =
                       [shared, name, this](const Reader::Partitions& parts, bool lost) {
                         if (parts.empty()) return;
                         if (lost) {
                           metrics_.counter("tickwire_cache_exclusive_lease_lost_total",
                                            "Times this dispatcher lost the exclusive lease "
                                            "(or could not confirm it)")
                               .inc();
                         }
                         (*shared)(false);
                       }});
  std::lock_guard lock(exclusive_mu_);
  exclusive_ = std::move(reader);
  if (started_) exclusive_->start();
}

void KafkaDispatchSide::release_exclusive(const std::string&) {
  std::unique_ptr<Reader> reader;
  {
    std::lock_guard lock(exclusive_mu_);
    reader = std::move(exclusive_);
  }
  if (reader) reader->stop();  // leaves the group: another member is assigned at once
}

void KafkaDispatchSide::set_directory(std::shared_ptr<const SymbolDirectory> directory) {
  std::vector<const SymbolInfo*> all;
  all.reserve(directory->all().size());
  for (const auto& s : directory->all()) all.push_back(&s);
  auto json = directory->to_json(all);
  std::lock_guard lock(mu_);
  if (!producer_.send(topics::state, 0, "directory", json)) pending_directory_ = std::move(json);
}

void KafkaDispatchSide::set_symbol_status(const SymbolStatus& status) {
  std::lock_guard lock(mu_);
  const std::string key = status.symbol + std::string(topics::status_key_suffix);
  if (pending_status_.contains(status.symbol) ||
      !producer_.send_routed(topics::quotes, status.symbol, key, status.reason)) {
    pending_status_[status.symbol] = status.reason;
  }
}

bool KafkaDispatchSide::send_bar(const std::string& symbol, const Bar& bar) {
  std::string key = symbol;
  key += topics::bar_key_separator;
  key += std::to_string(bar.t);
  std::string value;
  append_bar_json(value, bar);
  return producer_.send_routed(topics::bars, symbol, key, value);
}

void KafkaDispatchSide::store_bars(const std::string& symbol, std::vector<Bar> bars) {
  std::lock_guard lock(mu_);
  auto waiting = pending_bars_.find(symbol);
  if (waiting != pending_bars_.end()) {
    replace_bars(waiting->second, bars);  // behind bars that wait: in order, bounded
    return;
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (send_bar(symbol, bars[i])) continue;
    replace_bars(pending_bars_[symbol], std::span<const Bar>(bars).subspan(i));
    return;
  }
}

}  // namespace tickwire::cache::kafka
