#include "frontend/bars_endpoint.hpp"

#include "stream/bars_request.hpp"
#include "tickwire/bar_json.hpp"

namespace tickwire::frontend {

BarsEndpoint::BarsEndpoint(cache::FrontendSide& cache, ops::Registry& metrics,
                           net::ErrorReplies& errors, Configuration config)
    : cache_(cache),
      errors_(errors),
      config_(config),
      hits_(metrics.counter("tickwire_frontend_bars_cache_hits_total",
                            "GET /v1/bars answered from this frontend's cache")),
      reads_(metrics.counter("tickwire_frontend_bars_reads_total",
                             "GET /v1/bars answered by reading the cache tier")) {}

std::variant<std::string, net::Response> BarsEndpoint::requested_symbol(
    const net::Request& req, const net::HttpTarget& target) {
  const auto dir = cache_.directory();
  if (!dir) {
    return errors_.make(net::http::status::service_unavailable, "not_ready",
                        "the symbol directory is not loaded yet", req.version(),
                        req.keep_alive());
  }
  return stream::bars_request(*dir, req, target, errors_);
}

void BarsEndpoint::answer(const net::Request& req, const std::string& symbol,
                          net::Respond respond) {
  {
    std::lock_guard lock(mu_);
    if (const auto it = cached_.find(symbol);
        it != cached_.end() && it->second.expires > Clock::now()) {
      hits_.inc();
      return respond(reply(req, *it->second.body));
    }
  }
  reads_.inc();
  cache_.read_bars(symbol, [this, version = req.version(), keep_alive = req.keep_alive(), symbol,
                            respond = std::move(respond)](std::optional<std::vector<Bar>> bars) {
    if (!bars) {
      return respond(errors_.make(net::http::status::service_unavailable, "cache_unavailable",
                                  "the cache tier cannot be read now; try again shortly",
                                  version, keep_alive));
    }
    auto body = std::make_shared<const std::string>(encode_bars(symbol, 0, *bars));
    remember(symbol, body);
    auto res = net::json_response(net::http::status::ok, *body, version, keep_alive);
    res.set(net::http::field::cache_control, "max-age=1");
    respond(std::move(res));
  });
}

net::Response BarsEndpoint::reply(const net::Request& req, const std::string& body) const {
  auto res = net::json_response(net::http::status::ok, body, req.version(), req.keep_alive());
  res.set(net::http::field::cache_control, "max-age=1");
  return res;
}

void BarsEndpoint::remember(const std::string& symbol, std::shared_ptr<const std::string> body) {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  if (cached_.size() >= config_.max_entries && !cached_.contains(symbol)) {
    std::erase_if(cached_, [now](const auto& e) { return e.second.expires <= now; });
    if (cached_.size() >= config_.max_entries) cached_.clear();
  }
  cached_[symbol] = Cached{now + config_.ttl, std::move(body)};
}

}  // namespace tickwire::frontend
