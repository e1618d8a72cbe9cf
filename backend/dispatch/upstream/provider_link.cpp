#include "dispatch/upstream/provider_link.hpp"

#include <spdlog/spdlog.h>

namespace tickwire::dispatch {

ProviderLink::ProviderLink(boost::asio::any_io_executor ex,
                           std::shared_ptr<boost::asio::ssl::context> tls, ops::Registry& metrics,
                           Configuration config, Callbacks callbacks)
    : ex_(ex),
      tls_(std::move(tls)),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      retry_timer_(ex),
      connections_(metrics.gauge("tickwire_dispatch_upstream_connections",
                                 "Upstream connections (v1: SSE subscription groups)")),
      reconnects_(metrics.counter("tickwire_dispatch_upstream_reconnects_total",
                                  "Upstream connections lost or refused, each followed by a "
                                  "reconnect with backoff")) {}

ProviderLink::~ProviderLink() { release(); }

void ProviderLink::want() {
  if (wanted_) return;
  wanted_ = true;
  if (!waiting_ && !client_) connect();
}

void ProviderLink::release() {
  wanted_ = false;
  waiting_ = false;
  retry_timer_.cancel();
  ++attempt_;  // whatever the old client still reports is ignored
  if (client_) client_->close();
  client_.reset();
  if (open_) connections_.add(-1);
  open_ = false;
}

void ProviderLink::send(std::string text) {
  if (client_ && open_) client_->send(std::move(text));
}

void ProviderLink::drop(const std::string& why) {
  if (!client_) return;
  const auto attempt = attempt_;
  client_->close();
  on_closed(attempt, why, 0);
}

void ProviderLink::connect() {
  const auto attempt = ++attempt_;
  net::WsClient::Configuration c;
  c.url = config_.url;
  c.headers = config_.headers;
  c.idle_timeout = config_.idle_timeout;
  net::WsClient::Callbacks cb;
  // The client may outlive this link by a callback or two (its close completes later).
  std::weak_ptr<int> life = life_;
  cb.on_open = [this, life, attempt] {
    if (life.expired() || attempt != attempt_) return;
    open_ = true;
    connections_.add(1);
    if (callbacks_.on_open) callbacks_.on_open();
  };
  cb.on_message = [this, life, attempt](std::string_view text) {
    if (!life.expired() && attempt == attempt_ && callbacks_.on_message) {
      callbacks_.on_message(text);
    }
  };
  cb.on_closed = [this, life, attempt](const std::string& why, unsigned status) {
    if (!life.expired()) on_closed(attempt, why, status);
  };
  client_ = std::make_shared<net::WsClient>(ex_, tls_, std::move(c), std::move(cb));
  client_->start();
}

void ProviderLink::on_closed(std::uint64_t attempt, const std::string& why, unsigned status) {
  if (attempt != attempt_) return;
  ++attempt_;
  const bool was_open = open_;
  if (open_) connections_.add(-1);
  open_ = false;
  client_.reset();
  reconnects_.inc();
  if (callbacks_.on_closed) callbacks_.on_closed(why, status);
  if (was_open) backoff_ = std::chrono::milliseconds(0);  // it worked for a while
  if (wanted_) schedule();
}

void ProviderLink::schedule() {
  // Exponential backoff, each wait drawn from half to all of it (a fleet does not reconnect in
  // lockstep), and never shorter than a refusal asked for.
  backoff_ = std::min(config_.backoff_max, std::max(config_.backoff_initial, backoff_ * 2));
  std::uniform_int_distribution<long> jitter(backoff_.count() / 2, backoff_.count());
  const auto wait = std::max(std::chrono::milliseconds(jitter(rng_)), hold_off_);
  hold_off_ = std::chrono::milliseconds(0);
  spdlog::info("{}: reconnecting to {} in {} ms", config_.provider, where(), wait.count());
  waiting_ = true;
  retry_timer_.expires_after(wait);
  retry_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !waiting_) return;
    waiting_ = false;
    if (wanted_ && !client_) connect();
  });
}

}  // namespace tickwire::dispatch
