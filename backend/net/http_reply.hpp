// HTTP request/response types used by every server, and the JSON error replies clients get for
// bad input: {"error": "<reason>", "detail": "<human text>"}, counted per reason in
// <prefix>_rejected_requests_total{reason}.
#pragma once

#include <boost/beast/http.hpp>
#include <string>
#include <string_view>

#include "ops/metrics.hpp"

namespace tickwire::net {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response json_response(http::status status, std::string body, unsigned version, bool keep_alive);

class ErrorReplies {
 public:
  ErrorReplies(ops::Registry& metrics, std::string metric_prefix);
  // `reason` is a stable machine-readable word (it becomes the metric label and "error").
  Response make(http::status status, std::string_view reason, std::string_view detail,
                unsigned version, bool keep_alive);
  // Counts a rejection answered some other way (a WebSocket error message).
  void count(std::string_view reason) { counter(reason).inc(); }

 private:
  ops::Counter& counter(std::string_view reason);
  ops::Registry& metrics_;
  std::string prefix_;
};

}  // namespace tickwire::net
