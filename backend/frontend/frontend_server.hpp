// The frontend tier: holds client connections and serves the public v1 API
//   GET /v1/stream?symbols=   SSE: snapshot, then quotes (conflated per connection)
//   GET /v1/ws                WebSocket: subscribe/unsubscribe messages, same quotes
//   GET /v1/quotes?symbols=   polling: JSON snapshot, ETag/304, `since` deltas, long-poll `wait`
//   GET /v1/symbols?q=        symbol search
//   GET /v1/admin/metrics[/stream]  every metric of this node and of the fleet's other nodes as
//                             JSON (SSE: once a second)
// plus /healthz, /readyz and /metrics. With client tokens (--auth jwt) every /v1/ request but
// the admin ones needs one (401 otherwise), and a request for symbols outside it is refused
// (403 forbidden, naming them); streams end when their token expires (docs/security.md). Its lookup table (symbol -> connections, per shard) lives
// in the StreamHub; when a symbol gains its first connection here the frontend registers demand
// in the cache tier, and releases it when the last one leaves.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/token_verifier.hpp"
#include "cache/cache_tier.hpp"
#include "cache/fleet_view.hpp"
#include "stream/quote_server.hpp"
#include "stream/stream_request.hpp"
#include "frontend/bars_endpoint.hpp"
#include "frontend/poll_holds.hpp"
#include "ops/metrics.hpp"

namespace tickwire::frontend {

class FrontendServer final : private stream::Authorizer {
 public:
  struct Configuration {
    std::string id = "frontend";  // unique in the fleet: the cache tier's demand holder
    std::string role = "frontend";  // what this node runs, as the operator view shows it
    boost::asio::ip::tcp::endpoint bind{boost::asio::ip::make_address("127.0.0.1"), 8080};
    std::size_t threads = 1;
    std::size_t max_symbols = 500;
    std::chrono::seconds heartbeat{15};
    std::chrono::seconds write_timeout{30};
    std::chrono::seconds ws_idle_timeout{30};  // a silent WebSocket client: pinged at half, closed
    std::size_t max_outbox_bytes = 512 * 1024;  // per connection: queued output, replies included
    net::ConnectionLimits::Caps connection_caps;  // 0: no cap (see net/connection_limits.hpp)
    std::uint32_t retry_ms = 3000;
    std::chrono::seconds poll_hold{30};     // a poll keeps its symbols demanded this long
    std::chrono::seconds max_poll_wait{30};  // upper bound of a long-poll's wait=
    std::vector<std::string> cors_origins{"*"};  // browser origins allowed to read the API
    // Client transports served; a disabled one answers 503 transport_disabled.
    bool sse = true, websocket = true, polling = true;
    bool reuse_port = false;  // let other frontend processes listen on the same port
    // The edge (docs/security.md): HTTPS/WSS only when set; client tokens (null: anonymous); the
    // admin token /metrics and /v1/admin/* need (empty: open).
    net::TlsFiles tls;
    std::shared_ptr<const auth::TokenVerifier> tokens;
    std::string admin_token;
  };

  FrontendServer(cache::FrontendSide& cache, ops::Registry& metrics, Configuration config);
  ~FrontendServer();

  // Before start(): the other nodes the operator endpoints list (none by default).
  void set_fleet(cache::FleetView* fleet) { fleet_ = fleet; }
  // Before start(): serves the operator endpoints (/v1/admin/metrics and its stream) on `admin`
  // too, a server of this process's own on another port (--admin-port).
  void add_admin_routes(stream::QuoteServer& admin);
  void start();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return server_.local_endpoint(); }
  void shutdown(std::chrono::milliseconds budget);
  // SIGHUP: the TLS certificate and key are read again for new connections (see QuoteServer).
  bool reload_tls() { return server_.reload_tls(); }

 private:
  void stream(const net::Request& req, const net::HttpTarget& target, net::Respond respond);
  void quotes(const net::Request& req, const net::HttpTarget& target, net::Respond respond);
  void websocket(const net::Request& req, const net::HttpTarget& target, net::Respond respond);
  stream::SymbolLimits symbol_limits() const;
  // Who the client is (from its token), or the 401 to answer; nullopt Access: anonymous (no
  // --auth). The token comes as `Authorization: Bearer T`, or `?token=T` for browsers.
  std::variant<std::optional<stream::Access>, net::Response> authenticate(
      const net::Request& req, const net::HttpTarget& target);
  // 403 forbidden naming the symbols `access` does not cover, if any.
  std::optional<net::Response> unentitled(const std::optional<stream::Access>& access,
                                          const std::vector<std::string>& symbols,
                                          const net::Request& req);
  std::variant<stream::Access, Refusal> authorize(std::string_view token) const override;
  // `unknown`: requested symbols left out as unlisted, named in the answer.
  net::Response poll_answer(const net::Request& req, const std::vector<std::string>& symbols,
                            const std::string& since, const std::vector<std::string>& unknown);
  void arm_poll_sweep();
  std::string metrics_document(const cache::FleetView::Nodes& fleet) const;
  // {"nodes": [self, then every node of `fleet` but self_id]}; broken documents are left out.
  static std::string fleet_document(const std::string& self, const std::string& self_id,
                                    const cache::FleetView::Nodes& fleet);
  std::optional<net::Response> disabled(bool enabled, const char* name, const net::Request& req);

  cache::FrontendSide& cache_;
  cache::FleetView* fleet_ = nullptr;
  ops::Registry& metrics_;
  Configuration config_;
  stream::QuoteServer server_;
  stream::StreamMetrics poll_metrics_;
  PollHolds poll_holds_;
  BarsEndpoint bars_;
  boost::asio::steady_timer poll_sweep_;
  std::atomic<std::size_t> next_poll_shard_{0};
  ops::Registry::CallbackHandle holds_gauge_;
};

}  // namespace tickwire::frontend
