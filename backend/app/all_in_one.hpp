// Wiring of every tier in one process (the default deployment, and what the desktop app will
// bundle): exchange simulator -> dispatcher -> embedded cache -> frontend. The dispatcher reaches
// the exchange over real SSE on loopback, so the upstream boundary is the same as in a fleet.
// With an upstream URL or a provider the simulator is not started and the dispatcher follows
// that feed.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "cache/embedded_cache.hpp"
#include "dispatch/dispatcher.hpp"
#include "app/upstream_factory.hpp"
#include "dispatch/upstream/v1_feed_adapter.hpp"
#include "exchange/exchange_server.hpp"
#include "frontend/frontend_server.hpp"
#include "net/io_pool.hpp"
#include "net/upstream_url.hpp"
#include "ops/heap_trimmer.hpp"
#include "ops/metrics.hpp"
#include "ops/process_memory.hpp"

namespace tickwire::app {

class AllInOne {
 public:
  struct Configuration {
    frontend::FrontendServer::Configuration frontend;
    exchange::ExchangeServer::Configuration exchange;
    cache::EmbeddedCache::Configuration cache;
    dispatch::Dispatcher::Configuration dispatch;
    dispatch::V1FeedAdapter::Configuration v1_feed;  // `url` is filled in from `upstream`
    std::optional<net::UpstreamUrl> upstream;        // set: no simulator, follow this feed
    ProviderChoice provider;                         // set: no simulator, follow this provider
  };

  explicit AllInOne(Configuration config);
  ~AllInOne();

  // Binds every listener (throws boost::system::system_error when one cannot) and starts.
  void start();
  // Clients first (their streams end cleanly), then the upstream side. Bounded by `budget`.
  void shutdown(std::chrono::milliseconds budget);

  // Reads the frontend's TLS certificate and key again (SIGHUP); false if it has none or they
  // do not load (the old ones stay).
  bool reload_tls() { return frontend_ && frontend_->reload_tls(); }

  boost::asio::ip::tcp::endpoint frontend_endpoint() const;
  std::optional<boost::asio::ip::tcp::endpoint> exchange_endpoint() const;
  ops::Registry& metrics() noexcept { return metrics_; }

 private:
  Configuration config_;
  ops::Registry metrics_;
  ops::ProcessMemoryGauges memory_gauges_{metrics_};  // resident and heap on /metrics
  net::IoPool core_;  // runs the embedded cache's timer, the dispatcher and the heap trimmer
  std::unique_ptr<ops::HeapTrimmer> heap_trimmer_;
  std::unique_ptr<exchange::ExchangeServer> exchange_;
  std::unique_ptr<cache::EmbeddedCache> cache_;
  std::unique_ptr<dispatch::Dispatcher> dispatcher_;
  std::unique_ptr<frontend::FrontendServer> frontend_;
  bool stopped_ = false;
};

}  // namespace tickwire::app
