#include "frontend/frontend_server.hpp"

#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json.hpp>

#include "net/periodic_sse_session.hpp"
#include "net/symbol_search.hpp"
#include "tickwire/clock.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::frontend {

namespace {
net::QuoteServer::Configuration server_config(const FrontendServer::Configuration& c) {
  net::QuoteServer::Configuration s;
  s.name = "frontend";
  s.bind = c.bind;
  s.threads = c.threads;
  s.heartbeat = c.heartbeat;
  s.sse.write_timeout = c.write_timeout;
  s.sse.retry_ms = c.retry_ms;
  s.report_latency = true;
  s.serve_websocket = true;
  s.websocket.write_timeout = c.write_timeout;
  return s;
}
}  // namespace

FrontendServer::FrontendServer(cache::FrontendSide& cache, ops::Registry& metrics,
                               Configuration config)
    : cache_(cache),
      metrics_(metrics),
      config_(std::move(config)),
      server_(metrics, server_config(config_)),
      poll_holder_(config_.id + "/poll") {
  server_.hub().set_demand_observer(
      {[this](const std::vector<std::string>& added) { cache_.add_demand(config_.id, added); },
       [this](const std::vector<std::string>& removed) {
         cache_.release_demand(config_.id, removed);
       }});
  server_.add_route("/v1/stream", [this](auto& req, auto& target, auto respond) {
    stream(req, target, std::move(respond));
  });
  server_.add_route("/v1/ws", [this](auto& req, auto& target, auto respond) {
    websocket(req, target, std::move(respond));
  });
  server_.add_route("/v1/quotes", [this](auto& req, auto& target, auto respond) {
    quotes(req, target, std::move(respond));
  });
  server_.add_route("/v1/symbols", [this](const net::Request& req, const net::HttpTarget& target,
                                          net::Respond respond) {
    const auto dir = cache_.directory();
    if (!dir) {
      return respond(server_.errors().make(net::http::status::service_unavailable,
                                           "not_ready", "the symbol directory is not loaded yet",
                                           req.version(), req.keep_alive()));
    }
    respond(net::symbol_search(*dir, req, target, server_.errors()));
  });
  server_.add_route("/v1/admin/metrics", [this](const net::Request& req, const net::HttpTarget&,
                                                net::Respond respond) {
    respond(net::json_response(net::http::status::ok, metrics_document(), req.version(),
                               req.keep_alive()));
  });
  server_.add_route("/v1/admin/metrics/stream",
                    [this](const net::Request&, const net::HttpTarget&, net::Respond respond) {
                      respond(net::Takeover([this](boost::asio::ip::tcp::socket&& socket,
                                                   boost::beast::flat_buffer&&) {
                        std::make_shared<net::PeriodicSseSession>(
                            std::move(socket), server_.hub(), "metrics",
                            [this] { return metrics_document(); })
                            ->start();
                      }));
                    });
  server_.set_readiness([this] { return cache_.directory() != nullptr; });
}

FrontendServer::~FrontendServer() { cache_.detach_frontend(config_.id); }

std::string FrontendServer::metrics_document() const {
  // A list of nodes: this process today; with a shared cache tier, every node of the fleet.
  boost::json::object values;
  for (const auto& sample : metrics_.samples()) values[sample.series] = sample.value;
  boost::json::object node{{"id", config_.id},
                           {"role", config_.role},
                           {"ts", unix_micros_now()},
                           {"metrics", std::move(values)}};
  return boost::json::serialize(boost::json::object{{"nodes", boost::json::array{std::move(node)}}});
}

void FrontendServer::start() {
  cache_.attach_frontend(config_.id, [this](const Quote& q) { server_.hub().publish(q); });
  server_.start();
}

void FrontendServer::shutdown(std::chrono::milliseconds budget) { server_.shutdown(budget); }

net::SymbolLimits FrontendServer::symbol_limits() const {
  net::SymbolLimits limits{config_.max_symbols, nullptr};
  if (auto dir = cache_.directory()) {
    limits.is_listed = [dir](std::string_view s) { return dir->contains(s); };
  }
  return limits;
}

void FrontendServer::stream(const net::Request& req, const net::HttpTarget& target,
                            net::Respond respond) {
  auto symbols = net::requested_symbols(req, target, symbol_limits(), server_.errors());
  if (auto* error = std::get_if<net::Response>(&symbols)) return respond(std::move(*error));
  respond(server_.sse_takeover(std::get<std::vector<std::string>>(std::move(symbols)),
                               net::last_event_id(req, target)));
}

void FrontendServer::websocket(const net::Request& req, const net::HttpTarget& target,
                               net::Respond respond) {
  if (!boost::beast::websocket::is_upgrade(req)) {
    auto res = server_.errors().make(net::http::status::upgrade_required, "upgrade_required",
                                     "/v1/ws speaks WebSocket only", req.version(), false);
    res.set(net::http::field::upgrade, "websocket");
    return respond(std::move(res));
  }
  // An initial subscription may come in the URL; later ones come as messages.
  std::vector<std::string> symbols;
  if (target.param("symbols")) {
    auto parsed = net::requested_symbols(req, target, symbol_limits(), server_.errors());
    if (auto* error = std::get_if<net::Response>(&parsed)) return respond(std::move(*error));
    symbols = std::get<std::vector<std::string>>(std::move(parsed));
  }
  respond(server_.ws_takeover(req, std::move(symbols), symbol_limits()));
}

void FrontendServer::quotes(const net::Request& req, const net::HttpTarget& target,
                            net::Respond respond) {
  auto parsed = net::requested_symbols(req, target, symbol_limits(), server_.errors());
  if (auto* error = std::get_if<net::Response>(&parsed)) return respond(std::move(*error));
  const auto& symbols = std::get<std::vector<std::string>>(parsed);
  // A poll is demand too: hold it briefly so the symbols stay subscribed upstream for the
  // linger period and the next poll sees fresh prices.
  cache_.add_demand(poll_holder_, symbols);
  cache_.release_demand(poll_holder_, symbols);
  const auto latest = cache_.latest(symbols);

  std::vector<std::string> encoded;
  encoded.reserve(latest.size());
  for (const auto& q : latest) encoded.push_back(encode_quote(q));
  boost::json::array pending;
  for (const auto& s : symbols) {
    const bool have = std::any_of(latest.begin(), latest.end(),
                                  [&](const Quote& q) { return q.symbol == s; });
    if (!have) pending.emplace_back(s);
  }
  // {"quotes":[...],"pending":[...]}: quotes as the shared codec writes them; `pending` lists
  // the requested symbols that have no quote yet (they were just subscribed upstream).
  std::string body = "{\"quotes\":[";
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (i) body += ',';
    body += encoded[i];
  }
  body += "],\"pending\":" + boost::json::serialize(pending) + "}";
  respond(net::json_response(net::http::status::ok, std::move(body), req.version(),
                             req.keep_alive()));
}

}  // namespace tickwire::frontend
