#include "dispatch/dispatcher.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "dispatch/rendezvous.hpp"

namespace tickwire::dispatch {

namespace asio = boost::asio;

Dispatcher::Dispatcher(asio::any_io_executor ex, cache::DispatchSide& cache,
                       ops::Registry& metrics, Configuration config,
                       std::unique_ptr<UpstreamAdapter> upstream)
    : ex_(ex),
      cache_(cache),
      config_(std::move(config)),
      upstream_(std::move(upstream)),
      reconcile_timer_(ex),
      bar_timer_(ex),
      upstream_symbols_(metrics.gauge("tickwire_dispatch_upstream_symbols",
                                      "Symbols this process subscribes upstream")),
      lease_gauge_(metrics.gauge("tickwire_dispatch_provider_lease_held",
                                 "1 while this dispatcher holds the provider's one connection "
                                 "(providers with a connection budget of 1)")),
      quotes_in_(metrics.counter("tickwire_dispatch_quotes_total",
                                 "Quotes received from upstream")),
      seq_gaps_(metrics.counter("tickwire_dispatch_seq_gaps_total",
                                "Quotes whose upstream seq skipped ahead of the last one seen")),
      missed_ticks_(metrics.counter("tickwire_dispatch_missed_ticks_total",
                                    "Sum of the seq numbers skipped in those gaps")),
      stale_(metrics.counter("tickwire_dispatch_stale_quotes_total",
                             "Upstream quotes dropped as duplicates or older than held")),
      new_lives_(metrics.counter("tickwire_dispatch_upstream_restarts_total",
                                 "Symbols followed into a new life of the upstream feed (a new "
                                 "epoch, or numbering that started again); seq continues")),
      rebased_(metrics.counter("tickwire_dispatch_seq_rebased_total",
                               "Symbols renumbered above the seq the cache tier held (another "
                               "dispatcher numbered them before, e.g. after a failover)")),
      lease_changes_(metrics.counter("tickwire_dispatch_provider_lease_changes_total",
                                     "Times this dispatcher took or lost the provider lease")),
      backfilled_(metrics.counter("tickwire_dispatch_backfilled_bars_total",
                                  "One-minute bars loaded from the provider's history for "
                                  "newly held symbols")),
      late_for_bars_(metrics.counter("tickwire_dispatch_quotes_late_for_bars_total",
                                     "Published quotes left out of the minute bars: they "
                                     "came over a minute late, after their minute's bar had "
                                     "gone to the cache tier")),
      unavailable_(metrics.counter("tickwire_dispatch_unavailable_symbols_total",
                                   "Demanded symbols the provider refused to carry (e.g. over "
                                   "its plan's symbol limit)")) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::start() {
  // Every dispatcher is a member (the fleet view counts them); membership decides ownership
  // only without a connection budget.
  cache_.join_dispatchers(config_.id, [this](const std::vector<std::string>& members) {
    asio::post(ex_, [this, members] { on_members(members); });
  });
  if (exclusive()) {
    cache_.hold_exclusive("provider:" + upstream_->name(), config_.id, [this](bool held) {
      asio::post(ex_, [this, held] { on_lease(held); });
    });
  }
  cache_.watch_rejections([this](const cache::Rejection& r) {
    asio::post(ex_, [this, r] { on_rejected(r); });
  });
  cache_.watch_demand([this](const cache::DemandChange& change) {
    asio::post(ex_, [this, change] { on_demand(change); });
  });
  asio::post(ex_, [this] {
    UpstreamAdapter::Events events;
    events.quote = [this](const UpstreamQuote& uq) { accept(uq); };
    events.directory = [this](std::shared_ptr<const SymbolDirectory> d) {
      cache_.set_directory(std::move(d));
    };
    events.unavailable = [this](const std::string& symbol, const std::string& reason) {
      if (!held_.contains(symbol)) return;
      unavailable_.inc();
      spdlog::warn("dispatch {}: {} refused {} ({})", config_.id, upstream_->name(), symbol,
                   reason);
      // Clients following it are told (a `status` event for the symbol), not left waiting.
      cache_.set_symbol_status(cache::SymbolStatus{symbol, reason});
    };
    upstream_->start(std::move(events));
    arm_bar_flush();
  });
  spdlog::info("dispatch {}: upstream {}{}", config_.id, upstream_->describe(),
               exclusive() ? " (one connection fleet-wide, under the provider lease)" : "");
}

void Dispatcher::stop() {
  if (exclusive()) cache_.release_exclusive("provider:" + upstream_->name());
  cache_.leave_dispatchers(config_.id);
  asio::post(ex_, [this] {
    stopped_ = true;
    reconcile_timer_.cancel();
    bar_timer_.cancel();
    upstream_->stop();
    held_.clear();
    latest_.clear();
    upstream_symbols_.set(0);
    lease_gauge_.set(0);
  });
}

void Dispatcher::on_demand(const cache::DemandChange& change) {
  for (const auto& s : change.added) demanded_.insert(s);
  for (const auto& s : change.removed) demanded_.erase(s);
  schedule_reconcile();
}

void Dispatcher::on_members(std::vector<std::string> members) {
  members_ = std::move(members);
  schedule_reconcile();
}

void Dispatcher::on_lease(bool held) {
  if (stopped_ || held == lease_held_) return;
  lease_held_ = held;
  lease_changes_.inc();
  lease_gauge_.set(held ? 1 : 0);
  if (held) {
    spdlog::info("dispatch {}: holds the {} connection for the fleet", config_.id,
                 upstream_->name());
  } else {
    spdlog::warn("dispatch {}: lost the {} lease; its connection is closed so that only one "
                 "dispatcher holds it",
                 config_.id, upstream_->name());
  }
  // Losing it must close the connection now, not after a batching delay.
  if (!held) return reconcile();
  schedule_reconcile();
}

void Dispatcher::schedule_reconcile() {
  if (reconcile_pending_ || stopped_) return;
  reconcile_pending_ = true;
  reconcile_timer_.expires_after(config_.batch_delay);
  reconcile_timer_.async_wait([this](boost::system::error_code ec) {
    reconcile_pending_ = false;
    if (!ec && !stopped_) reconcile();
  });
}

void Dispatcher::reconcile() {
  // What we should hold.
  std::set<std::string> wanted;
  if (exclusive()) {
    if (lease_held_) wanted = demanded_;
  } else {
    for (const auto& s : demanded_) {
      if (rendezvous_owner(s, members_) == config_.id) wanted.insert(s);
    }
  }
  std::vector<std::string> gone, added;
  for (const auto& s : held_) {
    if (!wanted.contains(s)) gone.push_back(s);
  }
  for (const auto& s : wanted) {
    if (!held_.contains(s)) added.push_back(s);
  }
  // Held before the adapter hears of it: it may report a symbol unavailable at once.
  held_ = std::move(wanted);
  for (const auto& s : gone) {
    sequences_.forget(s);
    latest_.erase(s);
    bars_.forget(s);
    // Nobody wants it any more: a refusal of it must not greet whoever asks for it next (the
    // next subscribe may succeed). A symbol moving to another dispatcher keeps its status until
    // that one subscribes it.
    if (!demanded_.contains(s)) cache_.set_symbol_status(cache::SymbolStatus{s, ""});
  }
  if (!gone.empty()) upstream_->unsubscribe(gone);
  if (!added.empty()) {
    upstream_->subscribe(added);
    // The day before this dispatcher held them, where the provider keeps it.
    // Stored as each symbol's history arrives (a few hundred bars at a time, not one burst at
    // the next flush); the cache tier keeps the day, this process nothing of it.
    upstream_->backfill(added, [this](const std::string& symbol, std::vector<Bar> bars) {
      if (stopped_ || !held_.contains(symbol)) return;
      auto older = bars_.before_live(symbol, std::move(bars));
      if (older.empty()) return;
      backfilled_.inc(older.size());
      cache_.store_bars(symbol, std::move(older));
    });
  }
  upstream_symbols_.set(static_cast<std::int64_t>(held_.size()));
}

void Dispatcher::accept(const UpstreamQuote& uq) {
  if (!held_.contains(uq.quote.symbol)) return;  // not (or no longer) ours
  quotes_in_.inc();
  const auto r = sequences_.map(uq.quote.symbol, uq.epoch, uq.quote.seq, uq.quote.ts);
  switch (r.verdict) {
    case SequenceMapper::Verdict::stale:
      return stale_.inc();
    case SequenceMapper::Verdict::gap:
      seq_gaps_.inc();
      missed_ticks_.inc(r.missed);
      break;
    case SequenceMapper::Verdict::new_life:
      new_lives_.inc();
      // A restarted feed renumbers every symbol at once: one line per few seconds, the
      // metric counts them all.
      if (const auto now = std::chrono::steady_clock::now(); now >= next_new_life_log_) {
        next_new_life_log_ = now + std::chrono::seconds(5);
        spdlog::warn("dispatch {}: {} numbers {} anew (upstream epoch {}, seq {}); following it, "
                     "Tickwire's seq continues at {}",
                     config_.id, upstream_->name(), uq.quote.symbol, uq.epoch, uq.quote.seq,
                     r.seq);
      }
      break;
    case SequenceMapper::Verdict::fresh:
      break;
  }
  auto& q = latest_[uq.quote.symbol];
  q = uq.quote;
  q.seq = r.seq;
  // Encoded here, once: every tier after this one passes these bytes on as they are.
  cache_.publish(EncodedQuote::encode(q));
  if (!bars_.add(q)) late_for_bars_.inc();
}

void Dispatcher::arm_bar_flush() {
  bar_timer_.expires_after(config_.bar_flush);
  bar_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    for (auto& [symbol, bars] : bars_.take()) cache_.store_bars(symbol, std::move(bars));
    arm_bar_flush();
  });
}

void Dispatcher::on_rejected(const cache::Rejection& r) {
  const auto it = latest_.find(r.symbol);
  // Only newer data than the cache tier holds needs renumbering; otherwise the rejected quote
  // was a duplicate, or another dispatcher (during a handover) was simply ahead with it.
  if (it == latest_.end() || it->second.ts <= r.held_ts) return;
  const auto seq = sequences_.rebase(r.symbol, r.held_seq);
  if (!seq) return;  // a later quote was numbered above it already
  rebased_.inc();
  if (const auto now = std::chrono::steady_clock::now(); now >= next_rebase_log_) {
    next_rebase_log_ = now + std::chrono::seconds(5);
    spdlog::info("dispatch {}: {} was numbered up to {} elsewhere; continuing at {}", config_.id,
                 r.symbol, r.held_seq, *seq);
  }
  it->second.seq = *seq;
  cache_.publish(EncodedQuote::encode(it->second));
}

}  // namespace tickwire::dispatch
