#include "stream/quote_server.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

#include "stream/periodic_sse_session.hpp"

namespace tickwire::stream {

QuoteServer::QuoteServer(ops::Registry& metrics, Configuration config)
    : config_(std::move(config)),
      prefix_("tickwire_" + config_.name),
      metrics_(metrics),
      pool_(config_.threads, config_.name),
      hub_(pool_, metrics, {prefix_, config_.heartbeat, config_.serve_websocket}),
      stream_metrics_(StreamMetrics::make(metrics, prefix_, "sse", config_.report_latency)),
      ws_metrics_(StreamMetrics::make(metrics, prefix_, "websocket", config_.report_latency)),
      admin_metrics_(StreamMetrics::make(metrics, prefix_, "admin", false)),
      http_metrics_(StreamMetrics::make(metrics, prefix_, "http", false)),
      errors_(metrics, prefix_),
      connection_caps_(config_.connection_caps) {
  config_.sse.outbox = config_.outbox;
  config_.websocket.outbox = config_.outbox;
  config_.http.write_timeout = config_.outbox.write_timeout;
  const auto tls_failures = [&](const char* reason) {
    return &metrics.counter(prefix_ + "_tls_handshake_failures_total",
                            "TLS handshakes that failed, by reason (plain_http: an HTTP request "
                            "sent to the TLS port)",
                            {{"reason", reason}});
  };
  http_counters_.write_timeouts = http_metrics_.write_timeouts;
  http_counters_.tls_plain_http = tls_failures("plain_http");
  http_counters_.tls_failed = tls_failures("failed");
  http_counters_.tls_timeout = tls_failures("timeout");
  if (config_.tls.enabled()) {
    try {
      tls_ = std::make_unique<net::TlsContext>(config_.tls, metrics, prefix_);
    } catch (const std::runtime_error& e) {
      throw std::invalid_argument(e.what());
    }
  }
}

bool QuoteServer::reload_tls() { return tls_ && tls_->reload(); }

QuoteServer::~QuoteServer() {
  pool_.stop_now();
  // Connections still waiting on I/O end here, while the hub they unregister from exists.
  pool_.discard_pending();
}

void QuoteServer::add_route(const std::string& path, Route route) {
  routes_[path] = std::move(route);
}

void QuoteServer::start() {
  listener_ = std::make_shared<net::Listener>(
      pool_, config_.bind,
      [this](boost::asio::ip::tcp::socket&& socket) {
        auto stream = tls_ ? net::ClientStream(std::move(socket), tls_->current())
                           : net::ClientStream(std::move(socket));
        std::make_shared<net::HttpSession>(std::move(stream), *this, errors_, config_.http,
                                           http_counters_, connection_caps_)
            ->run();
      },
      metrics_, prefix_, config_.reuse_port);
  hub_.start();
  listener_->start();
  pool_.start();
}

void QuoteServer::shutdown(std::chrono::milliseconds budget) {
  shutting_down_ = true;
  if (listener_) listener_->stop();
  hub_.drain_all();
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (hub_.connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (hub_.connections() > 0) {
    spdlog::warn("{}: {} streams still open after {} ms, closing them", config_.name,
                 hub_.connections(), budget.count());
  }
  pool_.stop_now();
}

net::Takeover QuoteServer::sse_takeover(const net::Request& req, std::vector<std::string> symbols,
                                        std::string last_event_id, std::int64_t expires_at,
                                        std::vector<std::string> unknown) {
  return [this, symbols = std::move(symbols), id = std::move(last_event_id),
          cors = cors_origin(req), expires_at, unknown = std::move(unknown)](
             net::ClientStream&& stream, boost::beast::flat_buffer&&,
             net::ConnectionLimits::Ticket&& ticket) mutable {
    std::make_shared<SseSession>(std::move(stream), hub_, stream_metrics_, config_.sse,
                                 std::move(symbols), std::move(id), std::move(cors),
                                 std::move(ticket), expires_at, std::move(unknown))
        ->start();
  };
}

bool QuoteServer::admin_allowed(const net::Request& req) const {
  if (config_.admin_token.empty()) return true;
  const auto header = req.find(net::http::field::authorization);
  if (header == req.end()) return false;
  const auto value = header->value();
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() != kBearer.size() + config_.admin_token.size() ||
      !value.starts_with(kBearer)) {
    return false;
  }
  // Constant time: the comparison must not tell an attacker how much of a guess was right.
  return CRYPTO_memcmp(value.data() + kBearer.size(), config_.admin_token.data(),
                       config_.admin_token.size()) == 0;
}

std::string QuoteServer::cors_origin(const net::Request& req) const {
  const auto origin = req.find(net::http::field::origin);
  if (origin == req.end() || config_.cors_origins.empty()) return {};
  for (const auto& allowed : config_.cors_origins) {
    if (allowed == "*") return "*";
    if (allowed == origin->value()) return allowed;
  }
  return {};
}

net::Respond QuoteServer::with_cors(const net::Request& req, net::Respond respond) const {
  auto origin = cors_origin(req);
  if (origin.empty()) return respond;
  return [origin = std::move(origin), respond = std::move(respond)](net::HandlerResult r) {
    if (auto* res = std::get_if<net::Response>(&r)) {
      res->set(net::http::field::access_control_allow_origin, origin);
      res->set(net::http::field::access_control_expose_headers, "ETag");
      if (origin != "*") res->set(net::http::field::vary, "Origin");
    }
    respond(std::move(r));
  };
}

net::Takeover QuoteServer::ws_takeover(const net::Request& upgrade, std::vector<std::string> symbols,
                                       SymbolLimits limits, std::string last_event_id,
                                       std::shared_ptr<const Access> access,
                                       const Authorizer* authorizer,
                                       std::vector<std::string> unknown) {
  return [this, upgrade, symbols = std::move(symbols), limits = std::move(limits),
          id = std::move(last_event_id), access = std::move(access), authorizer,
          unknown = std::move(unknown)](net::ClientStream&& stream,
                                         boost::beast::flat_buffer&& early,
                                         net::ConnectionLimits::Ticket&& ticket) mutable {
    std::make_shared<WsSession>(std::move(stream), std::move(upgrade), std::move(early), hub_,
                                ws_metrics_, errors_, config_.websocket, std::move(limits),
                                std::move(symbols), std::move(id), std::move(ticket),
                                std::move(access), authorizer, std::move(unknown))
        ->start();
  };
}

net::Takeover QuoteServer::periodic_takeover(std::string event,
                                             std::function<std::string()> produce) {
  return [this, event = std::move(event), produce = std::move(produce)](
             net::ClientStream&& stream, boost::beast::flat_buffer&&,
             net::ConnectionLimits::Ticket&& ticket) {
    std::make_shared<PeriodicSseSession>(std::move(stream), hub_, admin_metrics_,
                                         config_.outbox, event, produce, std::move(ticket))
        ->start();
  };
}

void QuoteServer::handle(const net::Request& req, net::Respond plain_respond) {
  auto respond = with_cors(req, std::move(plain_respond));
  const auto target = net::parse_target(req.target());
  if (!target) {
    return respond(errors_.make(net::http::status::bad_request, "bad_request",
                                "the request target is not a valid origin-form URL",
                                req.version(), false));
  }
  const bool builtin = target->path == "/metrics" || target->path == "/healthz" ||
                       target->path == "/readyz";
  const auto route = routes_.find(target->path);
  if (!builtin && route == routes_.end()) {
    return respond(errors_.make(net::http::status::not_found, "not_found",
                                "no such endpoint: " + target->path, req.version(),
                                req.keep_alive()));
  }
  const bool admin = target->path == "/metrics" || target->path.starts_with("/v1/admin/");
  if (admin && !admin_allowed(req)) {
    auto res = errors_.make(net::http::status::unauthorized, "admin_token_required",
                            "this endpoint needs Authorization: Bearer <admin token>",
                            req.version(), req.keep_alive());
    res.set(net::http::field::www_authenticate, R"(Bearer realm="tickwire-admin")");
    return respond(std::move(res));
  }
  if (req.method() == net::http::verb::options && !cors_origin(req).empty()) {
    // A browser's CORS preflight (a page setting Last-Event-ID or If-None-Match itself).
    net::Response res{net::http::status::no_content, req.version()};
    res.set(net::http::field::access_control_allow_methods, "GET");
    res.set(net::http::field::access_control_allow_headers,
            "Last-Event-ID, If-None-Match, Cache-Control, Authorization");
    res.set(net::http::field::access_control_max_age, "600");
    res.keep_alive(req.keep_alive());
    return respond(std::move(res));
  }
  if (req.method() != net::http::verb::get) {
    auto res = errors_.make(net::http::status::method_not_allowed, "method_not_allowed",
                            "only GET is allowed here", req.version(), req.keep_alive());
    res.set(net::http::field::allow, "GET");
    return respond(std::move(res));
  }
  if (shutting_down_) {
    return respond(errors_.make(net::http::status::service_unavailable, "shutting_down",
                                "the server is shutting down", req.version(), false));
  }
  if (target->path == "/metrics") {
    net::Response res{net::http::status::ok, req.version()};
    res.set(net::http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.keep_alive(req.keep_alive());
    res.body() = metrics_.render_prometheus();
    res.prepare_payload();
    return respond(std::move(res));
  }
  if (target->path == "/healthz") {
    return respond(net::json_response(net::http::status::ok, R"({"status":"ok"})", req.version(),
                                 req.keep_alive()));
  }
  if (target->path == "/readyz") {
    const bool ready = !ready_ || ready_();
    return respond(net::json_response(ready ? net::http::status::ok : net::http::status::service_unavailable,
                                 ready ? R"({"status":"ready"})" : R"({"status":"starting"})",
                                 req.version(), req.keep_alive()));
  }
  route->second(req, *target, std::move(respond));
}

}  // namespace tickwire::stream
