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
      upstream_symbols_(metrics.gauge("tickwire_dispatch_upstream_symbols",
                                      "Symbols this process subscribes upstream")),
      lease_gauge_(metrics.gauge("tickwire_dispatch_provider_lease_held",
                                 "1 while this dispatcher holds the provider's one connection "
                                 "(providers with a connection budget of 1)")),
      quotes_in_(metrics.counter("tickwire_dispatch_quotes_total",
                                 "Quotes received from upstream")),
      lease_changes_(metrics.counter("tickwire_dispatch_provider_lease_changes_total",
                                     "Times this dispatcher took or lost the provider lease")),
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
  cache_.watch_demand([this](const cache::DemandChange& change) {
    asio::post(ex_, [this, change] { on_demand(change); });
  });
  asio::post(ex_, [this] {
    UpstreamAdapter::Events events;
    events.quote = [this](const Quote& q) { accept(q); };
    events.directory = [this](std::shared_ptr<const SymbolDirectory> d) {
      cache_.set_directory(std::move(d));
    };
    events.unavailable = [this](const std::string& symbol, const std::string& reason) {
      if (!held_.contains(symbol)) return;
      unavailable_.inc();
      spdlog::warn("dispatch {}: {} refused {} ({})", config_.id, upstream_->name(), symbol,
                   reason);
    };
    upstream_->start(std::move(events));
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
    upstream_->stop();
    held_.clear();
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
  if (!gone.empty()) upstream_->unsubscribe(gone);
  if (!added.empty()) upstream_->subscribe(added);
  upstream_symbols_.set(static_cast<std::int64_t>(held_.size()));
}

void Dispatcher::accept(const Quote& q) {
  if (!held_.contains(q.symbol)) return;  // not (or no longer) ours
  quotes_in_.inc();
  // Encoded here, once: every tier after this one passes these bytes on as they are.
  cache_.publish(EncodedQuote::encode(q));
}

}  // namespace tickwire::dispatch
