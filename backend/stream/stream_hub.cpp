#include "stream/stream_hub.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <random>

#include "stream/ws_frame.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::stream {

namespace {
std::uint64_t make_epoch() {
  // Seconds since the Unix epoch plus randomness: distinct across restarts and across the
  // processes of a fleet, short enough to keep event ids readable.
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return (static_cast<std::uint64_t>(secs) << 16) | (std::random_device{}() & 0xFFFF);
}
}  // namespace

StreamHub::StreamHub(net::IoPool& pool, ops::Registry& metrics, Configuration config)
    : pool_(pool),
      config_(std::move(config)),
      epoch_(make_epoch()),
      shards_(pool.size()),
      stale_quotes_(metrics.counter(config_.metric_prefix + "_stale_quotes_total",
                                    "Quotes dropped because a newer seq was already held")),
      published_(metrics.counter(config_.metric_prefix + "_quotes_published_total",
                                 "Quotes accepted for fan-out (encoded once each)")),
      resumes_(metrics.counter(config_.metric_prefix + "_stream_resumes_total",
                               "Streams started from a Last-Event-ID: only changes were sent")),
      shard_conflated_(metrics.counter(
          config_.metric_prefix + "_shard_conflated_total",
          "Quotes replaced by a newer one of the same symbol before a busy shard fanned them "
          "out (per shard)")),
      shard_conflated_deliveries_(metrics.counter(
          config_.metric_prefix + "_shard_conflated_deliveries_total",
          "Quotes a client did not get because a busy shard replaced them with a newer one of the "
          "same symbol (replaced quotes x that shard's subscribers of the symbol)")),
      skipped_deliveries_(metrics.counter(
          config_.metric_prefix + "_skipped_deliveries_total",
          "Quotes a client did not get because they never reached this server (seq gaps from "
          "upstream or the cache tier, x the subscribers of the symbol)")),
      symbol_status_changes_(metrics.counter(
          config_.metric_prefix + "_symbol_status_changes_total",
          "Symbols this server was told the upstream stopped or resumed carrying (each change "
          "goes to the symbol's clients as a status event)")) {
  for (std::size_t i = 0; i < shards_.size(); ++i) inboxes_.push_back(std::make_unique<Inbox>());
  symbols_gauge_ = metrics.gauge_callback(
      config_.metric_prefix + "_subscribed_symbols",
      "Distinct symbols with at least one connection", {},
      [this] { return static_cast<double>(subscribed_symbols()); });
  subscriptions_gauge_ = metrics.gauge_callback(
      config_.metric_prefix + "_subscriptions",
      "Sum over symbols of the connections subscribed to it", {},
      [this] { return static_cast<double>(subscriptions()); });
  unavailable_gauge_ = metrics.gauge_callback(
      config_.metric_prefix + "_unavailable_symbols",
      "Symbols the upstream does not carry now (their clients were sent a status event)", {},
      [this] {
        std::lock_guard lock(latest_mu_);
        return static_cast<double>(unavailable_.size());
      });
}

StreamHub::~StreamHub() = default;

void StreamHub::set_demand_observer(DemandObserver observer) {
  std::lock_guard lock(demand_mu_);
  observer_ = std::move(observer);
}

void StreamHub::start() {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    shards_[i].timer = std::make_unique<boost::asio::steady_timer>(pool_.shard(i));
    shards_[i].next_heartbeat = std::chrono::steady_clock::now() + config_.heartbeat;
    boost::asio::post(pool_.shard(i), [this, i] { arm_timer(i); });
  }
}

void StreamHub::arm_timer(std::size_t shard) {
  auto& s = shards_[shard];
  s.timer->expires_after(std::chrono::seconds(1));
  s.timer->async_wait([this, shard](boost::system::error_code ec) {
    if (ec) return;  // cancelled: the pool is stopping
    auto& sh = shards_[shard];
    const auto now = std::chrono::steady_clock::now();
    const bool heartbeat = now >= sh.next_heartbeat;
    if (heartbeat) sh.next_heartbeat = now + config_.heartbeat;
    // on_tick may close a connection, but a subscriber only leaves `members` from its
    // destructor, which never runs synchronously inside on_tick: iterating is safe.
    for (auto* sub : sh.members) sub->on_tick(now, heartbeat);
    arm_timer(shard);
  });
}

namespace {
StatusPtr symbol_status_frame(const std::string& symbol, const std::string& reason,
                              bool websocket) {
  auto frame = std::make_shared<StatusFrame>();
  frame->live = reason.empty();
  frame->symbol = symbol;
  frame->reason = reason;
  boost::json::object o{{"state", reason.empty() ? "available" : "unavailable"}};
  if (!reason.empty()) o.emplace("reason", reason);
  o.emplace("symbol", symbol);
  frame->json = boost::json::serialize(o);
  frame->sse = sse::event("status", "", frame->json);
  if (websocket) {
    o.emplace("type", "status");
    frame->ws = ws::frame(ws::Opcode::text, boost::json::serialize(o));
  }
  return frame;
}
}  // namespace

void StreamHub::publish(const EncodedQuote& q) {
  auto frame = std::make_shared<QuoteFrame>();
  frame->quote = q;
  bool cleared = false;  // the symbol was unavailable: this quote says otherwise
  {
    std::lock_guard lock(latest_mu_);
    auto& held = latest_[q.symbol];
    if (held && held->quote.seq >= q.seq) {
      stale_quotes_.inc();
      return;
    }
    if (held) frame->skipped_before = q.seq - held->quote.seq - 1;
    // The id is taken under the lock so ids and the latest table agree on order (resume).
    frame->event_id = ++next_event_;
    const auto id = EventId{epoch_, frame->event_id}.str();
    frame->sse = sse::event("quote", id, frame->json());
    if (config_.websocket_frames) {
      static constexpr std::string_view head = R"({"type":"quote","id":")", mid = R"(","quote":)";
      const auto size = head.size() + id.size() + mid.size() + frame->json().size() + 1;
      frame->ws.reserve(size + 4);
      ws::append_header(frame->ws, ws::Opcode::text, size);
      frame->ws.append(head).append(id).append(mid).append(frame->json()).append("}");
    }
    held = frame;
    cleared = !unavailable_.empty() && unavailable_.erase(q.symbol) > 0;
  }
  if (cleared) {
    symbol_status_changes_.inc();
    post_symbol_status(symbol_status_frame(q.symbol, "", config_.websocket_frames));
  }
  published_.inc();
  FramePtr shared = std::move(frame);
  for (std::size_t i = 0; i < shards_.size(); ++i) enqueue(i, shared);
}

void StreamHub::enqueue(std::size_t shard, const FramePtr& frame) {
  auto& box = *inboxes_[shard];
  std::lock_guard lock(box.mu);
  auto [it, fresh] = box.position.try_emplace(frame->quote.symbol, box.frames.size());
  Waiting waiting{frame, 0, frame->skipped_before};
  if (!fresh) {
    // Superseded before the shard got to it: the shard's subscribers of the symbol miss it (and
    // whatever it skipped), which drain_inbox() counts per subscriber.
    auto& old = box.frames[it->second];
    waiting.replaced = old.replaced + 1;
    waiting.skipped += old.skipped;
    old = Waiting{};
    it->second = box.frames.size();
    shard_conflated_.inc();
  }
  box.frames.push_back(std::move(waiting));
  if (box.frames.size() > 2 * box.position.size() + 64) {
    // Mostly superseded entries: compact, so a shard far behind holds one frame per symbol.
    std::size_t out = 0;
    for (auto& w : box.frames) {
      if (!w.frame) continue;
      box.position[w.frame->quote.symbol] = out;
      box.frames[out++] = std::move(w);
    }
    box.frames.resize(out);
  }
  if (box.scheduled) return;
  box.scheduled = true;
  boost::asio::post(pool_.shard(shard), [this, shard] { drain_inbox(shard); });
}

void StreamHub::drain_inbox(std::size_t shard) {
  auto& box = *inboxes_[shard];
  std::vector<Waiting> batch;
  {
    std::lock_guard lock(box.mu);
    batch.swap(box.frames);
    box.position.clear();
    box.scheduled = false;
  }
  // Quotes are queued on their connections first and written after the batch: a connection
  // gets one write per batch however many of its symbols the batch holds. One frame per drain,
  // the usual case at low load, still means one write per quote.
  for (const auto& w : batch) {
    if (!w.frame) continue;
    const auto subscribers = deliver_on_shard(shard, w.frame);
    if (w.replaced) shard_conflated_deliveries_.inc(w.replaced * subscribers);
    if (w.skipped) skipped_deliveries_.inc(w.skipped * subscribers);
  }
  flush_shard(shard);
}

std::size_t StreamHub::deliver_on_shard(std::size_t shard, const FramePtr& frame) {
  auto& sh = shards_[shard];
  const auto it = sh.table.find(frame->quote.symbol);
  if (it == sh.table.end()) return 0;
  // deliver() never re-enters the table (it only queues), so the vector is stable while we walk
  // it.
  for (const auto& e : it->second) {
    if (e.sub->deliver(frame, e.slot)) sh.to_flush.push_back(e.sub);
  }
  return it->second.size();
}

void StreamHub::flush_shard(std::size_t shard) {
  // A subscriber leaves the shard only from its destructor, which never runs inside this
  // handler (pending socket operations own it), so every pointer here is alive.
  auto& pending = shards_[shard].to_flush;
  for (auto* sub : pending) sub->flush();
  pending.clear();
}

void StreamHub::attach(std::size_t shard, StreamSubscriber* sub) {
  shards_[shard].members.insert(sub);
  connections_.fetch_add(1);
}

void StreamHub::detach(std::size_t shard, StreamSubscriber* sub) {
  if (shards_[shard].members.erase(sub)) connections_.fetch_sub(1);
}

std::vector<std::uint32_t> StreamHub::add(std::size_t shard, StreamSubscriber* sub,
                                          const std::vector<std::string>& symbols,
                                          const std::vector<std::uint32_t>& slots) {
  auto& sh = shards_[shard];
  std::vector<std::uint32_t> positions;
  positions.reserve(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    auto& entries = sh.table[symbols[i]];
    positions.push_back(static_cast<std::uint32_t>(entries.size()));
    entries.push_back(Entry{sub, slots[i]});
  }
  demand_up(symbols);
  return positions;
}

void StreamHub::remove(std::size_t shard, StreamSubscriber* sub,
                       const std::vector<std::string>& symbols,
                       const std::vector<std::uint32_t>& positions) {
  auto& sh = shards_[shard];
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const auto it = sh.table.find(symbols[i]);
    if (it == sh.table.end()) continue;
    auto& entries = it->second;
    const auto pos = positions[i];
    if (pos >= entries.size() || entries[pos].sub != sub) continue;  // cannot happen; be safe
    // O(1) removal: move the last entry into the hole and tell its owner where it went.
    if (pos + 1 != entries.size()) {
      entries[pos] = entries.back();
      entries[pos].sub->set_table_position(entries[pos].slot, pos);
    }
    entries.pop_back();
    if (entries.empty()) sh.table.erase(it);
  }
  demand_down(symbols);
}

void StreamHub::hold(const std::vector<std::string>& symbols) { demand_up(symbols); }
void StreamHub::release(const std::vector<std::string>& symbols) { demand_down(symbols); }

void StreamHub::demand_up(const std::vector<std::string>& symbols) {
  subscriptions_.fetch_add(symbols.size());
  std::vector<std::string> added;
  std::lock_guard lock(demand_mu_);
  for (const auto& s : symbols) {
    if (demand_[s]++ == 0) added.push_back(s);
  }
  if (!added.empty() && observer_.added) observer_.added(added);
}

void StreamHub::demand_down(const std::vector<std::string>& symbols) {
  subscriptions_.fetch_sub(symbols.size());
  std::vector<std::string> removed;
  std::lock_guard lock(demand_mu_);
  for (const auto& s : symbols) {
    const auto it = demand_.find(s);
    if (it == demand_.end()) continue;
    if (--it->second == 0) {
      demand_.erase(it);
      removed.push_back(s);
    }
  }
  if (!removed.empty() && observer_.removed) observer_.removed(removed);
}

StreamHub::Snapshot StreamHub::snapshot(const std::vector<std::string>& symbols,
                                        std::string_view last_event_id) {
  Snapshot snap;
  const auto resume = EventId::parse(last_event_id);
  std::lock_guard lock(latest_mu_);
  const bool resumable = resume && resume->epoch == epoch_ && resume->n <= next_event_;
  snap.resumed = resumable;
  if (resumable) resumes_.inc();
  for (const auto& s : symbols) {
    const auto it = latest_.find(s);
    if (it == latest_.end()) continue;
    if (resumable && it->second->event_id <= resume->n) continue;
    snap.frames.push_back(it->second);
  }
  if (!unavailable_.empty()) {
    for (const auto& s : symbols) {
      if (const auto it = unavailable_.find(s); it != unavailable_.end()) {
        snap.unavailable.push_back(it->second);
      }
    }
  }
  snap.event_n = next_event_;
  return snap;
}

std::vector<FramePtr> StreamHub::latest(const std::vector<std::string>& symbols) {
  std::vector<FramePtr> out;
  std::lock_guard lock(latest_mu_);
  for (const auto& s : symbols) {
    if (const auto it = latest_.find(s); it != latest_.end()) out.push_back(it->second);
  }
  return out;
}

std::size_t StreamHub::shard_index(const boost::asio::any_io_executor& ex) const {
  for (std::size_t i = 0; i < pool_.size(); ++i) {
    if (&boost::asio::query(ex, boost::asio::execution::context) == &pool_.shard(i)) return i;
  }
  return 0;
}

void StreamHub::set_status(bool live, const std::string& reason) {
  auto frame = std::make_shared<StatusFrame>();
  frame->live = live;
  boost::json::object o{{"state", live ? "live" : "stale"}, {"reason", reason}};
  frame->json = boost::json::serialize(o);
  frame->sse = sse::event("status", "", frame->json);
  o.emplace("type", "status");
  frame->ws = ws::frame(ws::Opcode::text, boost::json::serialize(o));
  {
    std::lock_guard lock(status_mu_);
    if (status_ ? status_->live == live : live) return;  // no change (none yet means live)
    status_ = frame;
  }
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    boost::asio::post(pool_.shard(i), [this, i, frame] {
      for (auto* sub : shards_[i].members) sub->notify_status(frame);
    });
  }
}

void StreamHub::set_symbol_status(const std::string& symbol, const std::string& reason) {
  auto frame = symbol_status_frame(symbol, reason, config_.websocket_frames);
  {
    std::lock_guard lock(latest_mu_);
    if (reason.empty()) {
      if (unavailable_.erase(symbol) == 0) return;
    } else {
      auto& held = unavailable_[symbol];
      if (held && held->reason == reason) return;
      held = frame;
    }
  }
  symbol_status_changes_.inc();
  post_symbol_status(std::move(frame));
}

void StreamHub::post_symbol_status(StatusPtr status) {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    boost::asio::post(pool_.shard(i), [this, i, status] {
      const auto it = shards_[i].table.find(status->symbol);
      if (it == shards_[i].table.end()) return;
      // notify_symbol_status() only queues (as deliver() does): the table stays as it is.
      for (const auto& e : it->second) e.sub->notify_symbol_status(status, e.slot);
    });
  }
}

std::vector<StatusPtr> StreamHub::unavailable(const std::vector<std::string>& symbols) const {
  std::vector<StatusPtr> out;
  std::lock_guard lock(latest_mu_);
  if (unavailable_.empty()) return out;
  for (const auto& s : symbols) {
    if (const auto it = unavailable_.find(s); it != unavailable_.end()) out.push_back(it->second);
  }
  return out;
}

StatusPtr StreamHub::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

void StreamHub::drain_all() {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    boost::asio::post(pool_.shard(i), [this, i] {
      for (auto* sub : shards_[i].members) sub->drain();
    });
  }
}

std::unordered_map<std::string, std::uint32_t> StreamHub::subscription_counts() const {
  std::lock_guard lock(demand_mu_);
  return demand_;
}

std::size_t StreamHub::subscribed_symbols() const {
  std::lock_guard lock(demand_mu_);
  return demand_.size();
}

}  // namespace tickwire::stream
