#include "stream/symbol_search.hpp"

#include <charconv>
#include <limits>

namespace tickwire::stream {

net::Response symbol_search(const SymbolDirectory& directory, const net::Request& req,
                       const net::HttpTarget& target, net::ErrorReplies& errors) {
  const auto* q = target.param("q");
  std::size_t limit = q && !q->empty() ? 50 : std::numeric_limits<std::size_t>::max();
  if (const auto* l = target.param("limit")) {
    std::size_t v = 0;
    const auto r = std::from_chars(l->data(), l->data() + l->size(), v);
    if (l->empty() || r.ec != std::errc() || r.ptr != l->data() + l->size() || v == 0) {
      return errors.make(net::http::status::bad_request, "bad_parameter",
                         "limit must be a positive whole number", req.version(),
                         req.keep_alive());
    }
    limit = v;
  }
  if (q && q->size() > 64) {
    return errors.make(net::http::status::bad_request, "bad_parameter",
                       "q is longer than 64 characters", req.version(), req.keep_alive());
  }
  const auto found = directory.search(q ? *q : std::string(), limit);
  return net::json_response(net::http::status::ok, directory.to_json(found), req.version(),
                       req.keep_alive());
}

}  // namespace tickwire::stream
