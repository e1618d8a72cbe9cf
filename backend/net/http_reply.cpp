#include "net/http_reply.hpp"

#include <boost/json.hpp>

namespace tickwire::net {

Response json_response(http::status status, std::string body, unsigned version, bool keep_alive) {
  Response res{status, version};
  res.set(http::field::server, "tickwire");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

ErrorReplies::ErrorReplies(ops::Registry& metrics, std::string metric_prefix)
    : metrics_(metrics), prefix_(std::move(metric_prefix)) {
  // Known reasons start at 0, so dashboards and rate() see them before the first rejection.
  for (const char* reason :
       {"bad_request", "bad_symbol", "unknown_symbol", "missing_parameter", "bad_parameter",
        "too_many_symbols", "not_found", "method_not_allowed", "header_too_large",
        "body_too_large", "shutting_down", "not_ready", "upgrade_required", "bad_message",
        "message_too_large", "transport_disabled", "admin_token_required", "token_missing",
        "token_invalid", "token_expired", "forbidden", "cache_unavailable"}) {
    counter(reason);
  }
}

ops::Counter& ErrorReplies::counter(std::string_view reason) {
  return metrics_.counter(prefix_ + "_rejected_requests_total",
                          "Requests answered with an error, by reason",
                          {{"reason", std::string(reason)}});
}

Response ErrorReplies::make(http::status status, std::string_view reason, std::string_view detail,
                            unsigned version, bool keep_alive) {
  // Registry lookups lock, but only on this rejection path, never for good traffic.
  counter(reason).inc();
  boost::json::object body;
  body["error"] = reason;
  body["detail"] = detail;
  return json_response(status, boost::json::serialize(body), version, keep_alive);
}

}  // namespace tickwire::net
