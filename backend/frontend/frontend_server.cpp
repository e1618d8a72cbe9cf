#include "frontend/frontend_server.hpp"

#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <boost/beast/core/string.hpp>
#include <charconv>
#include <spdlog/spdlog.h>

#include "frontend/long_poll.hpp"
#include "stream/event_id.hpp"
#include "stream/symbol_search.hpp"
#include "ops/node_document.hpp"
#include "tickwire/clock.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::frontend {

namespace {
stream::QuoteServer::Configuration server_config(const FrontendServer::Configuration& c) {
  stream::QuoteServer::Configuration s;
  s.name = "frontend";
  s.bind = c.bind;
  s.threads = c.threads;
  s.heartbeat = c.heartbeat;
  s.outbox.write_timeout = c.write_timeout;
  s.outbox.max_bytes = c.max_outbox_bytes;
  s.websocket.idle_timeout = c.ws_idle_timeout;
  s.sse.retry_ms = c.retry_ms;
  s.report_latency = true;
  s.serve_websocket = true;
  s.cors_origins = c.cors_origins;
  s.reuse_port = c.reuse_port;
  s.connection_caps = c.connection_caps;
  s.tls = c.tls;
  s.admin_token = c.admin_token;
  return s;
}
}  // namespace

FrontendServer::FrontendServer(cache::FrontendSide& cache, ops::Registry& metrics,
                               Configuration config)
    : cache_(cache),
      metrics_(metrics),
      config_(std::move(config)),
      server_(metrics, server_config(config_)),
      poll_metrics_(stream::StreamMetrics::make(metrics, "tickwire_frontend", "poll", false)),
      poll_holds_(server_.hub(), config_.poll_hold),
      bars_(cache, metrics, server_.errors(), {}),
      poll_sweep_(server_.control_context()) {
  holds_gauge_ = metrics.gauge_callback("tickwire_frontend_poll_held_symbols",
                                        "Symbols kept demanded on behalf of recent pollers", {},
                                        [this] { return static_cast<double>(poll_holds_.size()); });
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
    auto who = authenticate(req, target);
    if (auto* refused = std::get_if<net::Response>(&who)) return respond(std::move(*refused));
    const auto dir = cache_.directory();
    if (!dir) {
      return respond(server_.errors().make(net::http::status::service_unavailable,
                                           "not_ready", "the symbol directory is not loaded yet",
                                           req.version(), req.keep_alive()));
    }
    respond(stream::symbol_search(*dir, req, target, server_.errors()));
  });
  server_.add_route("/v1/bars", [this](const net::Request& req, const net::HttpTarget& target,
                                       net::Respond respond) {
    auto who = authenticate(req, target);
    if (auto* refused = std::get_if<net::Response>(&who)) return respond(std::move(*refused));
    auto symbol = bars_.requested_symbol(req, target);
    if (auto* bad = std::get_if<net::Response>(&symbol)) return respond(std::move(*bad));
    const auto& s = std::get<std::string>(symbol);
    if (auto forbidden = unentitled(std::get<std::optional<stream::Access>>(who), {s}, req)) {
      return respond(std::move(*forbidden));
    }
    bars_.answer(req, s, std::move(respond));
  });
  add_admin_routes(server_);
  server_.set_readiness([this] { return cache_.directory() != nullptr; });
}

FrontendServer::~FrontendServer() { cache_.detach_frontend(config_.id); }

void FrontendServer::add_admin_routes(stream::QuoteServer& server) {
  server.add_route("/v1/admin/metrics", [this](const net::Request& req, const net::HttpTarget&,
                                               net::Respond respond) {
    const auto version = req.version();
    const bool keep_alive = req.keep_alive();
    if (!fleet_) {
      return respond(net::json_response(net::http::status::ok, metrics_document({}), version,
                                        keep_alive));
    }
    // A one-off look: the fleet read now, not the list of whenever someone last watched. The
    // answer may come after this server is gone (shutdown while Redis is slow): it is built
    // from copies, never from `this`.
    fleet_->read_nodes([self = ops::node_document(metrics_, config_.id, config_.role),
                        id = config_.id, version, keep_alive,
                        respond = std::move(respond)](auto nodes) {
      respond(net::json_response(net::http::status::ok, fleet_document(self, id, nodes), version,
                                 keep_alive));
    });
  });
  server.add_route("/v1/admin/metrics/stream", [this, &server](const net::Request&,
                                                              const net::HttpTarget&,
                                                              net::Respond respond) {
    respond(server.periodic_takeover("metrics", [this] {
      return metrics_document(fleet_ ? fleet_->nodes() : cache::FleetView::Nodes{});
    }));
  });
}

std::string FrontendServer::metrics_document(const cache::FleetView::Nodes& fleet) const {
  return fleet_document(ops::node_document(metrics_, config_.id, config_.role), config_.id, fleet);
}

std::string FrontendServer::fleet_document(const std::string& self, const std::string& self_id,
                                           const cache::FleetView::Nodes& fleet) {
  // This node first, then every other node of the fleet as the cache tier last reported it.
  boost::json::array nodes;
  nodes.push_back(boost::json::parse(self));
  for (const auto& doc : fleet) {
    boost::system::error_code ec;
    auto node = boost::json::parse(doc, ec);
    if (ec || !node.is_object()) continue;  // never serve a broken document
    const auto* id = node.as_object().if_contains("id");
    if (id && id->is_string() && id->as_string() == self_id) continue;
    nodes.push_back(std::move(node));
  }
  return boost::json::serialize(boost::json::object{{"nodes", std::move(nodes)}});
}

void FrontendServer::start() {
  cache_.attach_frontend(
      config_.id, cache::FrontendSide::Sinks{
                      [this](const EncodedQuote& q) { server_.hub().publish(q); },
                      [this](const cache::SymbolStatus& st) {
                        server_.hub().set_symbol_status(st.symbol, st.reason);
                      }});
  cache_.watch_health(config_.id, [this](bool live) {
    server_.hub().set_status(live, live ? "quotes are live"
                                        : "the cache tier is unreachable; quotes may be stale");
  });
  server_.start();
  boost::asio::post(poll_sweep_.get_executor(), [this] { arm_poll_sweep(); });
}

void FrontendServer::shutdown(std::chrono::milliseconds budget) { server_.shutdown(budget); }

stream::SymbolLimits FrontendServer::symbol_limits() const {
  stream::SymbolLimits limits{config_.max_symbols, nullptr};
  if (auto dir = cache_.directory()) {
    limits.is_listed = [dir](std::string_view s) { return dir->contains(s); };
  }
  return limits;
}

std::variant<std::optional<stream::Access>, net::Response> FrontendServer::authenticate(
    const net::Request& req, const net::HttpTarget& target) {
  if (!config_.tokens) return std::optional<stream::Access>{};
  std::string_view token;
  if (const auto h = req.find(net::http::field::authorization); h != req.end()) {
    const auto value = h->value();
    if (value.size() > 7 && boost::beast::iequals(value.substr(0, 7), "Bearer ")) {
      token = value.substr(7);
    }
  } else if (const auto* q = target.param("token")) {
    token = *q;
  }
  auto result = authorize(token);
  if (auto* access = std::get_if<stream::Access>(&result)) {
    // Who, never the token (it may be in the query): operators trace a user by `sub`.
    const std::string_view path = req.target();
    spdlog::debug("frontend: {} for sub {}", path.substr(0, path.find('?')), access->subject);
    return std::optional{std::move(*access)};
  }
  const auto& refusal = std::get<Refusal>(result);
  spdlog::debug("frontend: refused a client token: {}", refusal.detail);  // never the token
  auto res = server_.errors().make(net::http::status::unauthorized, refusal.code, refusal.detail,
                                   req.version(), req.keep_alive());
  res.set(net::http::field::www_authenticate,
          R"(Bearer realm="tickwire", error=")" +
              std::string(refusal.code == "token_missing" ? "invalid_request" : "invalid_token") +
              "\"");
  return res;
}

std::variant<stream::Access, stream::Authorizer::Refusal> FrontendServer::authorize(
    std::string_view token) const {
  auto verdict = config_.tokens->verify(token, unix_micros_now() / 1'000'000);
  if (auto* failure = std::get_if<auth::TokenFailure>(&verdict)) {
    return Refusal{auth::code(failure->error), std::move(failure->detail)};
  }
  auto& claims = std::get<auth::Claims>(verdict);
  stream::Access access;
  access.subject = std::move(claims.sub);
  access.expires_at = claims.exp;
  if (claims.symbols) {
    access.symbols = std::make_shared<const std::vector<std::string>>(std::move(*claims.symbols));
  }
  return access;
}

std::optional<net::Response> FrontendServer::unentitled(
    const std::optional<stream::Access>& access, const std::vector<std::string>& symbols,
    const net::Request& req) {
  if (!access) return std::nullopt;
  const auto refused = access->refused(symbols);
  if (refused.empty()) return std::nullopt;
  server_.errors().count("forbidden");
  boost::json::array list;
  for (const auto& s : refused) list.emplace_back(s);
  boost::json::object body{{"error", "forbidden"},
                           {"detail", "your token does not cover these symbols"},
                           {"symbols", std::move(list)}};
  return net::json_response(net::http::status::forbidden, boost::json::serialize(body),
                            req.version(), req.keep_alive());
}

std::optional<net::Response> FrontendServer::disabled(bool enabled, const char* name,
                                                     const net::Request& req) {
  if (enabled) return std::nullopt;
  return server_.errors().make(net::http::status::service_unavailable, "transport_disabled",
                               std::string(name) + " is turned off on this server",
                               req.version(), req.keep_alive());
}

void FrontendServer::stream(const net::Request& req, const net::HttpTarget& target,
                            net::Respond respond) {
  if (auto off = disabled(config_.sse, "SSE", req)) return respond(std::move(*off));
  auto who = authenticate(req, target);
  if (auto* refused = std::get_if<net::Response>(&who)) return respond(std::move(*refused));
  const auto& access = std::get<std::optional<stream::Access>>(who);
  std::vector<std::string> unknown;  // served without them, and named in the snapshot
  auto parsed =
      stream::requested_symbols(req, target, symbol_limits(), server_.errors(), &unknown);
  if (auto* error = std::get_if<net::Response>(&parsed)) return respond(std::move(*error));
  auto symbols = std::get<std::vector<std::string>>(std::move(parsed));
  if (auto forbidden = unentitled(access, symbols, req)) return respond(std::move(*forbidden));
  if (!unknown.empty()) server_.errors().count("unknown_symbol");
  respond(server_.sse_takeover(req, std::move(symbols), stream::last_event_id(req, target),
                               access ? access->expires_at : 0, std::move(unknown)));
}

void FrontendServer::websocket(const net::Request& req, const net::HttpTarget& target,
                               net::Respond respond) {
  if (auto off = disabled(config_.websocket, "WebSocket", req)) return respond(std::move(*off));
  if (!boost::beast::websocket::is_upgrade(req)) {
    auto res = server_.errors().make(net::http::status::upgrade_required, "upgrade_required",
                                     "/v1/ws speaks WebSocket only", req.version(), false);
    res.set(net::http::field::upgrade, "websocket");
    return respond(std::move(res));
  }
  auto who = authenticate(req, target);
  if (auto* refused = std::get_if<net::Response>(&who)) return respond(std::move(*refused));
  auto& access = std::get<std::optional<stream::Access>>(who);
  // An initial subscription may come in the URL; later ones come as messages.
  std::vector<std::string> symbols, unknown;
  if (target.param("symbols")) {
    auto parsed =
        stream::requested_symbols(req, target, symbol_limits(), server_.errors(), &unknown);
    if (auto* error = std::get_if<net::Response>(&parsed)) return respond(std::move(*error));
    symbols = std::get<std::vector<std::string>>(std::move(parsed));
    if (auto forbidden = unentitled(access, symbols, req)) return respond(std::move(*forbidden));
  }
  respond(server_.ws_takeover(
      req, std::move(symbols), symbol_limits(), stream::last_event_id(req, target),
      access ? std::make_shared<const stream::Access>(std::move(*access)) : nullptr, this,
      std::move(unknown)));
}

void FrontendServer::quotes(const net::Request& req, const net::HttpTarget& target,
                            net::Respond respond) {
  if (auto off = disabled(config_.polling, "Polling", req)) return respond(std::move(*off));
  auto who = authenticate(req, target);
  if (auto* refused = std::get_if<net::Response>(&who)) return respond(std::move(*refused));
  std::vector<std::string> unknown;  // answered without them, and named in the answer
  auto parsed =
      stream::requested_symbols(req, target, symbol_limits(), server_.errors(), &unknown);
  if (auto* error = std::get_if<net::Response>(&parsed)) return respond(std::move(*error));
  auto symbols = std::get<std::vector<std::string>>(std::move(parsed));
  if (auto forbidden = unentitled(std::get<std::optional<stream::Access>>(who), symbols, req)) {
    return respond(std::move(*forbidden));
  }
  if (!unknown.empty()) server_.errors().count("unknown_symbol");
  std::size_t wait = 0;
  if (const auto* w = target.param("wait")) {
    const auto r = std::from_chars(w->data(), w->data() + w->size(), wait);
    if (w->empty() || r.ec != std::errc() || r.ptr != w->data() + w->size()) {
      return respond(server_.errors().make(net::http::status::bad_request, "bad_parameter",
                                           "wait must be a whole number of seconds",
                                           req.version(), req.keep_alive()));
    }
    wait = std::min<std::size_t>(wait, static_cast<std::size_t>(config_.max_poll_wait.count()));
  }
  const auto* since_param = target.param("since");
  const std::string since = since_param ? *since_param : std::string();
  // A poll is demand too: its symbols stay subscribed until pollers stop asking.
  poll_holds_.touch(symbols);
  auto& hub = server_.hub();

  // A first poll (no cursor) waits, like a stream's snapshot, up to 1 s for symbols it has
  // just made demanded upstream, so it normally answers with every one of them.
  // Symbols the upstream does not carry have nothing to wait for.
  auto answerable = [this](const std::vector<std::string>& asked) {
    auto& h = server_.hub();
    return h.latest(asked).size() + h.unavailable(asked).size() >= asked.size();
  };
  if (since.empty() && !answerable(symbols)) {
    const auto shard = next_poll_shard_.fetch_add(1) % hub.pool().size();
    std::make_shared<LongPoll>(
        hub, shard, symbols, std::chrono::steady_clock::now() + std::chrono::seconds(1),
        [this, req, symbols, unknown, respond = std::move(respond)] {
          respond(poll_answer(req, symbols, {}, unknown));
        },
        [answerable, symbols] { return answerable(symbols); })
        ->start();
    return;
  }
  if (wait > 0 && hub.snapshot(symbols, since).frames.empty()) {
    // Nothing new yet: answer when something changes, or with an empty delta at the deadline.
    const auto shard = next_poll_shard_.fetch_add(1) % hub.pool().size();
    poll_metrics_.connections->add(1);
    std::make_shared<LongPoll>(
        hub, shard, symbols,
        std::chrono::steady_clock::now() + std::chrono::seconds(wait),
        [this, req, symbols, since, unknown, respond = std::move(respond)] {
          poll_metrics_.connections->add(-1);
          respond(poll_answer(req, symbols, since, unknown));
        },
        [this, symbols, since] { return !server_.hub().snapshot(symbols, since).frames.empty(); })
        ->start();
    return;
  }
  respond(poll_answer(req, symbols, since, unknown));
}

net::Response FrontendServer::poll_answer(const net::Request& req,
                                          const std::vector<std::string>& symbols,
                                          const std::string& since,
                                          const std::vector<std::string>& unknown) {
  auto& hub = server_.hub();
  const auto snap = hub.snapshot(symbols, since);
  const auto latest = hub.latest(symbols);
  // A strong validator: the newest event among these symbols, for this exact question.
  std::uint64_t newest = 0;
  for (const auto& f : latest) newest = std::max(newest, f->event_id);
  std::size_t question = std::hash<std::string>{}(since);
  for (const auto& s : symbols) question = question * 31 + std::hash<std::string>{}(s);
  const auto status = hub.status();
  const bool stale = status && !status->live;
  const auto unavailable = hub.unavailable(symbols);
  std::size_t unavailable_hash = 0;
  for (const auto& u : unavailable) {
    unavailable_hash = unavailable_hash * 31 + std::hash<std::string>{}(u->json);
  }
  const std::string etag = "\"" + std::to_string(hub.epoch()) + "-" + std::to_string(newest) +
                           "-" + std::to_string(question % 1'000'000'007) +
                           (stale ? "-stale" : "") +
                           (unavailable.empty()
                                ? std::string()
                                : "-u" + std::to_string(unavailable_hash % 1'000'000'007)) +
                           "\"";
  if (const auto it = req.find(net::http::field::if_none_match);
      it != req.end() && it->value() == etag) {
    net::Response res{net::http::status::not_modified, req.version()};
    res.set(net::http::field::etag, etag);
    res.set(net::http::field::cache_control, "no-cache");
    res.keep_alive(req.keep_alive());
    return res;
  }
  // {"cursor":"E.N","quotes":[...],"pending":[...],"unavailable":[...],"status":"live"}: quotes
  // as the shared codec wrote them; `pending` names requested symbols with no quote yet (just
  // subscribed upstream); `unavailable` holds the status objects of requested symbols the
  // upstream does not carry (as a stream's symbol status events);
  // `status` is "stale" while the cache tier is unreachable (as a stream's status event).
  std::string body = "{\"cursor\":\"" + stream::EventId{hub.epoch(), snap.event_n}.str() +
                     "\",\"quotes\":[";
  for (std::size_t i = 0; i < snap.frames.size(); ++i) {
    if (i) body += ',';
    body += snap.frames[i]->json();
  }
  boost::json::array pending;
  std::string unavailable_json = "[";
  for (const auto& u : unavailable) {
    if (unavailable_json.size() > 1) unavailable_json += ',';
    unavailable_json += u->json;
  }
  unavailable_json += ']';
  for (const auto& s : symbols) {
    const bool have = std::any_of(latest.begin(), latest.end(),
                                  [&](const stream::FramePtr& f) { return f->quote.symbol == s; });
    const bool refused = std::any_of(unavailable.begin(), unavailable.end(),
                                     [&](const stream::StatusPtr& u) { return u->symbol == s; });
    if (!have && !refused) pending.emplace_back(s);
  }
  boost::json::array unknown_json;
  for (const auto& s : unknown) unknown_json.emplace_back(s);
  body += "],\"pending\":" + boost::json::serialize(pending) +
          ",\"unavailable\":" + unavailable_json +
          (unknown.empty() ? std::string() : ",\"unknown\":" + boost::json::serialize(unknown_json)) +
          ",\"status\":\"" +
          (stale ? "stale" : "live") + "\"}";
  poll_metrics_.sent->inc(snap.frames.size());
  poll_metrics_.writes->inc();
  auto res = net::json_response(net::http::status::ok, std::move(body), req.version(),
                                req.keep_alive());
  res.set(net::http::field::etag, etag);
  res.set(net::http::field::cache_control, "no-cache");  // revalidate with If-None-Match
  return res;
}

void FrontendServer::arm_poll_sweep() {
  poll_sweep_.expires_after(std::chrono::seconds(1));
  poll_sweep_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    poll_holds_.expire();
    arm_poll_sweep();
  });
}

}  // namespace tickwire::frontend
