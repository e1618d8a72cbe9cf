// An HTTP server that streams quotes: the shape shared by the frontend tier and the exchange
// simulator. It owns the shard pool, the listener, the StreamHub and the SSE sessions, answers
// /healthz, /readyz and /metrics itself, rejects unknown paths (404) and methods (405), and
// hands every other GET to the routes its owner registered.
//
// The edge: over TLS when given a certificate (HTTPS and WSS only; reload_tls() swaps the
// certificate for new connections), and with an admin token /metrics and /v1/admin/* answer 401
// without `Authorization: Bearer <token>` (/healthz and /readyz stay open for probes).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "net/http_session.hpp"
#include "net/http_target.hpp"
#include "net/io_pool.hpp"
#include "net/listener.hpp"
#include "net/tls_context.hpp"
#include "stream/access.hpp"
#include "stream/sse_session.hpp"
#include "stream/stream_hub.hpp"
#include "stream/ws_session.hpp"
#include "ops/metrics.hpp"

namespace tickwire::stream {

class QuoteServer final : public net::HttpHandler {
 public:
  struct Configuration {
    std::string name;  // "frontend" or "exchange": metric prefix tickwire_<name>, thread names
    boost::asio::ip::tcp::endpoint bind;
    std::size_t threads = 1;
    std::chrono::seconds heartbeat{15};
    Outbox::Limits outbox;  // every stream's (SSE, WebSocket, periodic): bytes and write timeout
    SseSession::Configuration sse;        // its `outbox` is taken from above
    WsSession::Configuration websocket;   // likewise
    bool serve_websocket = false;  // encode WebSocket frames and allow ws_takeover()
    net::HttpLimits http;
    bool report_latency = false;  // tickwire_quote_latency_seconds (frontend only)
    // Origins whose browser pages may read the responses (CORS): "*" for any; empty: none.
    std::vector<std::string> cors_origins;
    bool reuse_port = false;  // SO_REUSEPORT: several processes share the port (Listener)
    net::ConnectionLimits::Caps connection_caps;  // --max-connections, --max-connections-per-ip
    net::TlsFiles tls;        // --tls-cert, --tls-key; empty: plain HTTP
    std::string admin_token;  // --admin-token-file's contents; empty: admin endpoints open
  };
  using Route = std::function<void(const net::Request&, const net::HttpTarget&, net::Respond)>;

  // Throws std::invalid_argument when the TLS files cannot be loaded (the message names them).
  QuoteServer(ops::Registry& metrics, Configuration config);
  ~QuoteServer() override;

  // Before start(). Routes answer GET.
  void add_route(const std::string& path, Route route);
  // /readyz answers 200 once this returns true (default: always).
  void set_readiness(std::function<bool()> ready) { ready_ = std::move(ready); }

  // Binds (throws if it cannot), then serves on the pool's threads.
  void start();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return listener_->local_endpoint(); }

  // Stops accepting, lets every stream send what it has and end cleanly, waits up to `budget`
  // for them to go; then stops the threads.
  void shutdown(std::chrono::milliseconds budget);

  // Loads the TLS certificate and key again (SIGHUP); false (logged, counted) if they do not
  // load, or when this server does not speak TLS. Any thread.
  bool reload_tls();
  bool serves_tls() const noexcept { return tls_ != nullptr; }

  StreamHub& hub() noexcept { return hub_; }
  // Shard 0: for the owner's own timers (the exchange's market clock).
  boost::asio::io_context& control_context() { return pool_.shard(0); }
  net::ErrorReplies& errors() noexcept { return errors_; }
  const std::string& metric_prefix() const noexcept { return prefix_; }

  // What a route returns to turn the request into an SSE stream (ended at `expires_at`, unix
  // seconds, when its token expires; 0: never).
  // `unknown`: requested symbols left out as unlisted, named in the snapshot.
  net::Takeover sse_takeover(const net::Request& req, std::vector<std::string> symbols,
                             std::string last_event_id, std::int64_t expires_at = 0,
                             std::vector<std::string> unknown = {});
  // ...or an SSE stream of one document produced once a second (operator metrics).
  net::Takeover periodic_takeover(std::string event, std::function<std::string()> produce);
  // ...or a WebSocket connection (needs serve_websocket); `access` null: anonymous.
  // `unknown`: symbols of the URL's subscription left out as unlisted (an `error` names them).
  net::Takeover ws_takeover(const net::Request& upgrade, std::vector<std::string> symbols,
                            SymbolLimits limits, std::string last_event_id,
                            std::shared_ptr<const Access> access = nullptr,
                            const Authorizer* authorizer = nullptr,
                            std::vector<std::string> unknown = {});

  void handle(const net::Request& req, net::Respond respond) override;

 private:
  // The Access-Control-Allow-Origin value for this request, or empty when none applies.
  std::string cors_origin(const net::Request& req) const;
  net::Respond with_cors(const net::Request& req, net::Respond respond) const;
  bool admin_allowed(const net::Request& req) const;

  Configuration config_;
  std::string prefix_;
  ops::Registry& metrics_;
  net::IoPool pool_;
  StreamHub hub_;
  StreamMetrics stream_metrics_;
  StreamMetrics ws_metrics_;
  StreamMetrics admin_metrics_;  // the periodic streams (transport="admin")
  StreamMetrics http_metrics_;   // plain HTTP answers: only their write timeouts
  net::HttpCounters http_counters_;
  net::ErrorReplies errors_;
  std::unique_ptr<net::TlsContext> tls_;
  net::ConnectionLimits connection_caps_;
  std::shared_ptr<net::Listener> listener_;
  std::unordered_map<std::string, Route> routes_;
  std::function<bool()> ready_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace tickwire::stream
